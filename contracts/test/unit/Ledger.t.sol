// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {MarketFixture} from "../utils/MarketFixture.sol";
import {RevertingReceiver} from "../mocks/RevertingReceiver.sol";
import {JobMode, JobParams, JobTerms} from "../../src/interfaces/ILoomTypes.sol";

/// @dev An account that calls the market or the registry as itself and, once, calls back into one of
/// them from receive(). It records the reentrant call's outcome instead of bubbling it, so the outer
/// payout completes and the test can read exactly how the reentry was refused.
contract LedgerReentrantAccount {
    address internal reentryTarget;
    bytes internal reentry;
    bool public reentered;
    bool public reentrySucceeded;
    bytes public reentryRevertData;

    function setReentry(address target, bytes calldata data) external {
        reentryTarget = target;
        reentry = data;
    }

    function act(address target, bytes calldata data) external payable {
        (bool ok, bytes memory ret) = target.call{value: msg.value}(data);
        if (!ok) {
            assembly ("memory-safe") {
                revert(add(ret, 32), mload(ret))
            }
        }
    }

    receive() external payable {
        if (reentered || reentry.length == 0) return;
        reentered = true;
        (reentrySucceeded, reentryRevertData) = reentryTarget.call(reentry);
    }
}

/// @notice Pull payouts: withdrawing ETH and ERC-20 credits, failed and reentrant recipients; and
/// TestUSDC, the token these tests move.
contract LedgerTest is MarketFixture {
    bytes internal reentrantCall =
        abi.encodeWithSelector(ReentrancyGuardTransient.ReentrancyGuardReentrantCall.selector);

    // ---- withdraw: ETH ----

    function test_withdraw_paysEthCredit() public {
        _cancelledJob(address(0), 1 ether, 0);
        uint256 balanceBefore = client.balance;

        vm.expectEmit(true, true, true, true, address(market));
        emit Withdrawn(client, address(0), client, 1 ether);
        vm.prank(client);
        market.withdraw(address(0), client);

        assertEq(client.balance, balanceBefore + 1 ether, "paid");
        assertEq(market.credits(address(0), client), 0, "credit cleared");
        assertEq(address(market).balance, 0, "market empty");
    }

    function test_withdraw_paysEthToAnotherAddress() public {
        _cancelledJob(address(0), 1 ether, 0);
        address payee = makeAddr("payee");
        uint256 clientBefore = client.balance;

        vm.expectEmit(true, true, true, true, address(market));
        emit Withdrawn(client, address(0), payee, 1 ether);
        vm.prank(client);
        market.withdraw(address(0), payee);

        assertEq(payee.balance, 1 ether, "payee paid");
        assertEq(client.balance, clientBefore, "client not paid");
        assertEq(market.credits(address(0), client), 0, "credit cleared");
        assertEq(market.credits(address(0), payee), 0, "payee gets ETH, not a credit");
    }

    function test_withdraw_paysAccumulatedCreditsAtOnce() public {
        _cancelledJob(address(0), 1 ether, 0);
        _cancelledJob(address(0), 2 ether, 1);
        assertEq(market.credits(address(0), client), 3 ether, "credits add up");
        uint256 balanceBefore = client.balance;

        vm.prank(client);
        market.withdraw(address(0), client);

        assertEq(client.balance, balanceBefore + 3 ether, "paid in one go");
        assertEq(market.credits(address(0), client), 0, "credit cleared");
    }

    // ---- withdraw: ERC-20 ----

    function test_withdraw_paysTokenCredit() public {
        _cancelledJob(address(usdc), 100e6, 0);
        uint256 balanceBefore = usdc.balanceOf(client);

        vm.expectEmit(true, true, true, true, address(market));
        emit Withdrawn(client, address(usdc), client, 100e6);
        vm.prank(client);
        market.withdraw(address(usdc), client);

        assertEq(usdc.balanceOf(client), balanceBefore + 100e6, "paid");
        assertEq(market.credits(address(usdc), client), 0, "credit cleared");
        assertEq(usdc.balanceOf(address(market)), 0, "market empty");
    }

    function test_withdraw_paysTokenToAnotherAddress() public {
        _cancelledJob(address(usdc), 100e6, 0);
        address payee = makeAddr("payee");

        vm.expectEmit(true, true, true, true, address(market));
        emit Withdrawn(client, address(usdc), payee, 100e6);
        vm.prank(client);
        market.withdraw(address(usdc), payee);

        assertEq(usdc.balanceOf(payee), 100e6, "payee paid");
        assertEq(market.credits(address(usdc), client), 0, "credit cleared");
    }

    function test_withdraw_paysTokenRemovedFromAllowList() public {
        _cancelledJob(address(usdc), 100e6, 0);
        vm.prank(owner);
        market.setTokenAllowed(address(usdc), false);

        vm.prank(client);
        market.withdraw(address(usdc), client);

        assertEq(market.credits(address(usdc), client), 0, "credit still withdrawable");
        assertEq(usdc.balanceOf(address(market)), 0, "market empty");
    }

    function test_withdraw_takesOnlyTheNamedToken() public {
        _cancelledJob(address(0), 1 ether, 0);
        _cancelledJob(address(usdc), 100e6, 0);

        vm.prank(client);
        market.withdraw(address(usdc), client);

        assertEq(market.credits(address(usdc), client), 0, "token credit withdrawn");
        assertEq(market.credits(address(0), client), 1 ether, "ETH credit untouched");
        assertEq(address(market).balance, 1 ether, "ETH still held");
    }

    function test_withdraw_paysEveryPartyOfATokenJob() public {
        JobParams memory p = _usdcParams(JobMode.Claim);
        p.budget = 100e6;
        (, JobTerms memory t) = _submittedWith(p);
        vm.prank(client);
        market.release(t);
        uint256 workerBefore = usdc.balanceOf(worker);

        vm.expectEmit(true, true, true, true, address(market));
        emit Withdrawn(treasury, address(usdc), treasury, 1e6);
        vm.prank(treasury);
        market.withdraw(address(usdc), treasury);
        vm.expectEmit(true, true, true, true, address(market));
        emit Withdrawn(worker, address(usdc), worker, 99e6);
        vm.prank(worker);
        market.withdraw(address(usdc), worker);

        assertEq(usdc.balanceOf(treasury), 1e6, "1% fee");
        assertEq(usdc.balanceOf(worker), workerBefore + 99e6, "worker's net pay");
        assertEq(usdc.balanceOf(address(market)), 0, "no tokens left");
        assertEq(address(market).balance, 0, "no ETH left in the market");
        assertEq(address(registry).balance, 1 ether, "only the worker's stake left, in the registry");
    }

    function test_withdraw_paysSlashInEthForTokenJob() public {
        JobParams memory p = _usdcParams(JobMode.Claim);
        p.budget = 100e6;
        (, JobTerms memory t) = _claimedWith(p);
        vm.warp(block.timestamp + t.executionTimeout + 1);
        market.reclaim(t);
        uint256 ethBefore = client.balance;
        uint256 usdcBefore = usdc.balanceOf(client);

        vm.startPrank(client);
        market.withdraw(address(usdc), client);
        market.withdraw(address(0), client);
        vm.stopPrank();

        assertEq(usdc.balanceOf(client), usdcBefore + 100e6, "budget refunded in the token");
        assertEq(client.balance, ethBefore + 0.1 ether, "collateral slashed in ETH");
        assertEq(address(market).balance, 0, "the slash went through the market to the client");
        assertEq(address(registry).balance, 0.9 ether, "the worker's remaining stake");
    }

    // ---- withdraw: reverts ----

    function test_withdraw_revertsIfNothingToWithdraw() public {
        vm.expectRevert(abi.encodeWithSelector(NothingToWithdraw.selector, stranger, address(0)));
        vm.prank(stranger);
        market.withdraw(address(0), stranger);

        vm.expectRevert(abi.encodeWithSelector(NothingToWithdraw.selector, stranger, address(usdc)));
        vm.prank(stranger);
        market.withdraw(address(usdc), stranger);
    }

    function test_withdraw_revertsIfWithdrawnAlready() public {
        _cancelledJob(address(0), 1 ether, 0);
        vm.prank(client);
        market.withdraw(address(0), client);

        vm.expectRevert(abi.encodeWithSelector(NothingToWithdraw.selector, client, address(0)));
        vm.prank(client);
        market.withdraw(address(0), client);
    }

    function test_withdraw_revertsIfCreditIsSomeoneElses() public {
        _cancelledJob(address(0), 1 ether, 0);

        vm.expectRevert(abi.encodeWithSelector(NothingToWithdraw.selector, stranger, address(0)));
        vm.prank(stranger);
        market.withdraw(address(0), stranger);

        assertEq(market.credits(address(0), client), 1 ether, "client's credit untouched");
    }

    function test_withdraw_revertsIfZeroAddress() public {
        _cancelledJob(address(0), 1 ether, 0);

        vm.expectRevert(abi.encodeWithSelector(ZeroAddress.selector));
        vm.prank(client);
        market.withdraw(address(0), address(0));
    }

    function test_withdraw_revertsIfEthRecipientReverts() public {
        _cancelledJob(address(0), 1 ether, 0);
        address rejecter = address(new RevertingReceiver());

        vm.expectRevert(abi.encodeWithSelector(EthTransferFailed.selector, rejecter, 1 ether));
        vm.prank(client);
        market.withdraw(address(0), rejecter);

        assertEq(market.credits(address(0), client), 1 ether, "credit kept");

        // The failure blocks only that recipient: the credit can go elsewhere.
        uint256 balanceBefore = client.balance;
        vm.prank(client);
        market.withdraw(address(0), client);
        assertEq(client.balance, balanceBefore + 1 ether, "paid to a working address");
    }

    // ---- reentrancy ----

    function test_withdraw_blocksReentrantWithdraw() public {
        LedgerReentrantAccount account = _reentrantClientWithCredit();
        account.setReentry(address(market), abi.encodeCall(market.withdraw, (address(0), address(account))));

        vm.expectEmit(true, true, true, true, address(market));
        emit Withdrawn(address(account), address(0), address(account), 1 ether);
        account.act(address(market), abi.encodeCall(market.withdraw, (address(0), address(account))));

        assertTrue(account.reentered(), "receive() re-entered");
        assertFalse(account.reentrySucceeded(), "reentry refused");
        assertEq(account.reentryRevertData(), reentrantCall, "by the reentrancy guard");
        assertEq(address(account).balance, 1 ether, "paid once");
        assertEq(market.credits(address(0), address(account)), 0, "credit cleared");
        assertEq(address(market).balance, 0, "market empty");
    }

    function test_withdrawStake_blocksReentrantWithdrawStake() public {
        LedgerReentrantAccount account = _reentrantWorkerWithUnbondedStake();
        account.setReentry(address(registry), abi.encodeCall(registry.withdrawStake, (address(account))));

        vm.expectEmit(true, true, true, true, address(registry));
        emit StakeWithdrawn(address(account), address(account), 1 ether);
        account.act(address(registry), abi.encodeCall(registry.withdrawStake, (address(account))));

        assertTrue(account.reentered(), "receive() re-entered");
        assertFalse(account.reentrySucceeded(), "reentry refused");
        assertEq(account.reentryRevertData(), reentrantCall, "by the reentrancy guard");
        assertEq(address(account).balance, 1 ether, "paid once");
        (uint96 amount,) = registry.unbonding(address(account));
        assertEq(amount, 0, "unbonding cleared");
        assertEq(address(registry).balance, 0, "registry empty");
    }

    // The market and the registry keep separate books behind separate guards: a payout of one may
    // call the other, which pays what it owes, once, and nothing is paid twice.

    function test_withdraw_reentryIntoRegistryPaysEachBookOnce() public {
        LedgerReentrantAccount account = _reentrantWorkerWithUnbondedStake();
        _creditEth(account);
        account.setReentry(address(registry), abi.encodeCall(registry.withdrawStake, (address(account))));

        account.act(address(market), abi.encodeCall(market.withdraw, (address(0), address(account))));

        assertTrue(account.reentered(), "receive() re-entered");
        assertTrue(account.reentrySucceeded(), "the registry pays its own debt");
        assertEq(address(account).balance, 2 ether, "credit and stake, each once");
        assertEq(market.credits(address(0), address(account)), 0, "credit cleared");
        (uint96 amount,) = registry.unbonding(address(account));
        assertEq(amount, 0, "unbonding cleared");
        assertEq(address(market).balance, 0, "market empty");
        assertEq(address(registry).balance, 0, "registry empty");
        _assertNothingLeftFor(account);
    }

    function test_withdrawStake_reentryIntoMarketPaysEachBookOnce() public {
        LedgerReentrantAccount account = _reentrantWorkerWithUnbondedStake();
        _creditEth(account);
        account.setReentry(address(market), abi.encodeCall(market.withdraw, (address(0), address(account))));

        account.act(address(registry), abi.encodeCall(registry.withdrawStake, (address(account))));

        assertTrue(account.reentered(), "receive() re-entered");
        assertTrue(account.reentrySucceeded(), "the market pays its own debt");
        assertEq(address(account).balance, 2 ether, "stake and credit, each once");
        assertEq(address(market).balance, 0, "market empty");
        assertEq(address(registry).balance, 0, "registry empty");
        _assertNothingLeftFor(account);
    }

    // ---- TestUSDC ----

    function test_decimals_isSix() public view {
        assertEq(usdc.decimals(), 6, "decimals");
        assertEq(usdc.symbol(), "tUSDC", "symbol");
        assertEq(usdc.name(), "Test USD Coin", "name");
    }

    function test_mint_anyoneMintsToAnyone() public {
        address payee = makeAddr("payee");
        uint256 supplyBefore = usdc.totalSupply();

        vm.expectEmit(true, true, true, true, address(usdc));
        emit IERC20.Transfer(address(0), payee, 42e6);
        vm.prank(stranger);
        usdc.mint(payee, 42e6);

        assertEq(usdc.balanceOf(payee), 42e6, "balance");
        assertEq(usdc.totalSupply(), supplyBefore + 42e6, "supply");
    }

    // ---- helpers ----

    /// @dev `client` posts a claim-mode job of `budget` in `token` and cancels it: `budget` is credited back.
    function _cancelledJob(address token, uint96 budget, uint64 salt) internal {
        JobParams memory p = _params(JobMode.Claim);
        p.token = token;
        p.budget = budget;
        p.salt = salt;
        (, JobTerms memory t) = _post(p);
        uint256 creditBefore = market.credits(token, client);
        vm.prank(client);
        market.cancelJob(t);
        assertEq(market.credits(token, client), creditBefore + budget, "budget credited back");
    }

    /// @dev A contract account with 1 ETH credited: it posted a 1 ETH job and cancelled it.
    function _reentrantClientWithCredit() internal returns (LedgerReentrantAccount account) {
        account = new LedgerReentrantAccount();
        _creditEth(account);
    }

    function _creditEth(LedgerReentrantAccount account) internal {
        JobParams memory p = _params(JobMode.Claim);
        JobTerms memory t = _terms(p, address(account), spec);
        account.act{value: p.budget}(address(market), abi.encodeCall(market.postJob, (p, spec)));
        account.act(address(market), abi.encodeCall(market.cancelJob, (t)));
        assertEq(market.credits(address(0), address(account)), 1 ether, "credited");
    }

    /// @dev A contract worker whose whole 1 ETH stake has finished unbonding.
    function _reentrantWorkerWithUnbondedStake() internal returns (LedgerReentrantAccount account) {
        account = new LedgerReentrantAccount();
        account.act{value: 1 ether}(address(registry), abi.encodeCall(registry.register, (_hardware())));
        account.act(address(registry), abi.encodeCall(registry.requestUnstake, (1 ether)));
        vm.warp(block.timestamp + registry.UNBONDING_PERIOD());
    }

    /// @dev A second withdrawal from either book finds nothing.
    function _assertNothingLeftFor(LedgerReentrantAccount account) internal {
        vm.expectRevert(abi.encodeWithSelector(NothingToWithdraw.selector, address(account), address(0)));
        account.act(address(market), abi.encodeCall(market.withdraw, (address(0), address(account))));
        vm.expectRevert(abi.encodeWithSelector(UnbondingNotReady.selector, address(account), 0, 0));
        account.act(address(registry), abi.encodeCall(registry.withdrawStake, (address(account))));
    }
}
