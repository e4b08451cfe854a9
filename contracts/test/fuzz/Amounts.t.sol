// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {MarketFixture} from "../utils/MarketFixture.sol";
import {Payouts} from "../../src/libraries/Payouts.sol";
import {CloseReason, JobMode, JobParams, JobStatus, JobTerms} from "../../src/interfaces/ILoomTypes.sol";

/// @notice Fuzzed amounts: budgets and collateral in ETH and USDC, bid prices, the fee for any
/// feeBps up to the cap, and arbiter rulings. Every settlement must conserve value: what the job
/// escrowed ends up, to the wei, in credits, and a slash moves stake to the client and nowhere else.
contract AmountsFuzzTest is MarketFixture {
    uint256 internal constant MAX_ETH_BUDGET = 500 ether;
    uint256 internal constant MAX_USDC_BUDGET = 1_000_000e6;
    uint256 internal constant MAX_COLLATERAL = 100 ether;
    uint256 internal constant MAX_FEE_BPS = 1_000;

    // ---- posting ----

    function testFuzz_postJob_escrowsBudget(uint256 budget, uint256 collateral, bool useUsdc, bool auction) public {
        JobParams memory p = _fuzzParams(auction, useUsdc, budget, collateral);
        uint256 marketBefore = _balanceOf(p.token, address(market));
        uint256 clientBefore = _balanceOf(p.token, client);

        (bytes32 jobId,) = _post(p);

        assertEq(_balanceOf(p.token, address(market)), marketBefore + p.budget, "market escrows the budget");
        assertEq(_balanceOf(p.token, client), clientBefore - p.budget, "client paid the budget");
        assertEq(uint8(_status(jobId)), uint8(JobStatus.Open));
    }

    function testFuzz_postJob_revertsIfEthValueMismatch(uint256 budget, uint256 sent) public {
        JobParams memory p = _fuzzParams(false, false, budget, 0);
        sent = _bound(sent, 0, MAX_ETH_BUDGET);
        vm.assume(sent != p.budget);

        _expectPostReverts(p, sent, abi.encodeWithSelector(ValueMismatch.selector, p.budget, sent));
    }

    function testFuzz_postJob_revertsIfEthSentWithToken(uint256 budget, uint256 sent) public {
        JobParams memory p = _fuzzParams(false, true, budget, 0);
        sent = _bound(sent, 1, MAX_ETH_BUDGET);

        _expectPostReverts(p, sent, abi.encodeWithSelector(ValueMismatch.selector, 0, sent));
    }

    // ---- assignment ----

    function testFuzz_claimJob_locksCollateralAtFullBudget(
        uint256 budget,
        uint256 collateral,
        uint256 extraStake,
        bool useUsdc
    ) public {
        JobParams memory p = _fuzzParams(false, useUsdc, budget, collateral);
        extraStake = _bound(extraStake, 0, 100 ether);
        _register(worker, uint96(p.collateral + extraStake));
        (bytes32 jobId, JobTerms memory t) = _post(p);

        vm.expectEmit(address(market));
        emit JobAssigned(jobId, worker, p.budget, 0, p.collateral, uint40(block.timestamp + p.executionTimeout));
        vm.prank(worker);
        market.claimJob(t);

        (uint96 stake, uint96 locked,,,,) = registry.workers(worker);
        assertEq(stake, p.collateral + extraStake, "stake unchanged");
        assertEq(locked, p.collateral, "collateral locked");
        assertEq(market.credits(p.token, client), 0, "a claim refunds nothing");
    }

    function testFuzz_claimJob_revertsIfFreeStakeBelowCollateral(uint256 collateral, uint256 stake, bool useUsdc)
        public
    {
        collateral = _bound(collateral, 1, MAX_COLLATERAL);
        stake = _bound(stake, 0, collateral - 1);
        JobParams memory p = _fuzzParams(false, useUsdc, 1 ether, collateral);
        _register(worker, uint96(stake));
        (, JobTerms memory t) = _post(p);

        vm.expectRevert(abi.encodeWithSelector(InsufficientFreeStake.selector, worker, stake, collateral));
        vm.prank(worker);
        market.claimJob(t);
    }

    function testFuzz_claimJob_revertsIfCollateralAlreadyLockedElsewhere(uint256 collateral, uint256 spare) public {
        collateral = _bound(collateral, 1, MAX_COLLATERAL);
        spare = _bound(spare, 0, collateral - 1);
        _register(worker, uint96(collateral + spare));
        JobParams memory p = _fuzzParams(false, false, 1 ether, collateral);
        (, JobTerms memory first) = _post(p);
        p.salt = 1;
        (, JobTerms memory second) = _post(p);
        vm.prank(worker);
        market.claimJob(first);

        vm.expectRevert(abi.encodeWithSelector(InsufficientFreeStake.selector, worker, spare, collateral));
        vm.prank(worker);
        market.claimJob(second);
    }

    function testFuzz_placeBid_storesLatestPrice(uint256 budget, uint256 first, uint256 second, bool useUsdc) public {
        JobParams memory p = _fuzzParams(true, useUsdc, budget, 0);
        first = _bound(first, 1, p.budget);
        second = _bound(second, 1, p.budget);
        _register(worker, 0);
        (bytes32 jobId, JobTerms memory t) = _post(p);

        vm.startPrank(worker);
        market.placeBid(t, uint96(first));
        vm.expectEmit(address(market));
        emit BidPlaced(jobId, worker, uint96(second));
        market.placeBid(t, uint96(second));
        vm.stopPrank();

        assertEq(market.bids(jobId, worker), second, "a new bid replaces the old one");
    }

    function testFuzz_placeBid_revertsIfPriceAboveBudget(uint256 budget, uint256 price, bool useUsdc) public {
        JobParams memory p = _fuzzParams(true, useUsdc, budget, 0);
        price = _bound(price, uint256(p.budget) + 1, type(uint96).max);
        _register(worker, 0);
        (, JobTerms memory t) = _post(p);

        vm.expectRevert(abi.encodeWithSelector(InvalidBidPrice.selector, price, p.budget));
        vm.prank(worker);
        market.placeBid(t, uint96(price));
    }

    function testFuzz_placeBid_revertsIfPriceZero(uint256 budget, bool useUsdc) public {
        JobParams memory p = _fuzzParams(true, useUsdc, budget, 0);
        _register(worker, 0);
        (, JobTerms memory t) = _post(p);

        vm.expectRevert(abi.encodeWithSelector(InvalidBidPrice.selector, 0, p.budget));
        vm.prank(worker);
        market.placeBid(t, 0);
    }

    function testFuzz_acceptBid_creditsBudgetMinusPrice(uint256 budget, uint256 price, uint256 collateral, bool useUsdc)
        public
    {
        JobParams memory p = _fuzzParams(true, useUsdc, budget, collateral);
        price = _bound(price, 1, p.budget);
        _register(worker, p.collateral);
        (bytes32 jobId, JobTerms memory t) = _post(p);
        vm.prank(worker);
        market.placeBid(t, uint96(price));
        uint256 marketBefore = _balanceOf(p.token, address(market));

        vm.expectEmit(address(market));
        emit JobAssigned(
            jobId,
            worker,
            uint96(price),
            uint96(p.budget - price),
            p.collateral,
            uint40(block.timestamp + p.executionTimeout)
        );
        vm.prank(client);
        market.acceptBid(t, worker);

        assertEq(market.credits(p.token, client), p.budget - price, "the unused budget is credited back");
        assertEq(_balanceOf(p.token, address(market)), marketBefore, "a refund is credited, not sent");
        (, uint96 locked,,,,) = registry.workers(worker);
        assertEq(locked, p.collateral, "collateral locked");
        _assertMarketHolds(p.token, price);
    }

    // ---- fees ----

    function testFuzz_fee_roundsDownWithinCap(uint96 gross, uint256 feeBps) public pure {
        feeBps = _bound(feeBps, 0, MAX_FEE_BPS);
        uint96 fee = Payouts.fee(gross, uint16(feeBps));

        assertEq(fee, uint256(gross) * feeBps / 10_000, "fee is gross * bps / 10,000");
        assertLe(uint256(fee) * 10_000, uint256(gross) * feeBps, "rounded down: never above the exact fee");
        assertGt((uint256(fee) + 1) * 10_000, uint256(gross) * feeBps, "rounded down by less than one wei");
        assertLe(fee, gross / 10, "never above 10% of the gross");
    }

    function testFuzz_neutralSplit_givesOddWeiToClient(uint96 price) public pure {
        (uint96 toWorker, uint96 toClient) = Payouts.neutralSplit(price);

        assertEq(uint256(toWorker) + toClient, price, "the split conserves the price");
        assertEq(toWorker, price / 2);
        assertEq(toClient - toWorker, price % 2, "the odd wei goes to the client");
    }

    function testFuzz_setFee_revertsAboveCap(uint16 feeBps) public {
        feeBps = uint16(_bound(feeBps, MAX_FEE_BPS + 1, type(uint16).max));

        vm.expectRevert(abi.encodeWithSelector(FeeTooHigh.selector, feeBps, MAX_FEE_BPS));
        vm.prank(owner);
        market.setFee(feeBps);
    }

    // ---- settlement ----

    function testFuzz_release_paysPriceMinusFee(
        uint256 budget,
        uint256 price,
        uint256 collateral,
        uint256 feeBps,
        bool useUsdc,
        bool auction
    ) public {
        feeBps = _setFee(feeBps);
        JobParams memory p = _fuzzParams(auction, useUsdc, budget, collateral);
        price = auction ? _bound(price, 1, p.budget) : p.budget;
        (bytes32 jobId, JobTerms memory t) = _submittedAt(p, uint96(price));
        uint96 fee = uint96(price * feeBps / 10_000);

        vm.expectEmit(address(market));
        emit JobClosed(jobId, CloseReason.Completed, worker, uint96(price) - fee, fee, 0, 0);
        vm.prank(client);
        market.release(t);

        assertEq(market.credits(p.token, worker), price - fee, "worker gets the price minus the fee");
        assertEq(market.credits(p.token, treasury), fee, "treasury gets the fee");
        assertEq(market.credits(p.token, client), p.budget - price, "client keeps only the auction refund");
        _assertCollateralFree(p.collateral, 0);
        _assertMarketHolds(address(0), 0);
        _withdrawAll(p.token);
        assertEq(_balanceOf(p.token, address(market)), 0, "the market is empty once everyone withdrew");
        assertEq(address(registry).balance, p.collateral, "only the stake is left, in the registry");
    }

    /// @dev A ruling's amounts, kept in memory: a fuzz test with eight inputs runs out of stack.
    struct Ruling {
        uint96 price;
        uint96 workerAmount;
        uint96 slash;
        uint96 fee;
    }

    function testFuzz_resolveDispute_conservesValue(
        uint256 budget,
        uint256 price,
        uint256 collateral,
        uint256 workerAmount,
        uint256 slash,
        uint256 feeBps,
        bool useUsdc,
        bool auction
    ) public {
        feeBps = _setFee(feeBps);
        JobParams memory p = _fuzzParams(auction, useUsdc, budget, collateral);
        Ruling memory r;
        r.price = auction ? uint96(_bound(price, 1, p.budget)) : p.budget;
        r.workerAmount = uint96(_bound(workerAmount, 0, r.price));
        r.slash = uint96(_bound(slash, 0, p.collateral));
        r.fee = uint96(uint256(r.workerAmount) * feeBps / 10_000);
        (bytes32 jobId, JobTerms memory t) = _submittedAt(p, r.price);
        vm.prank(client);
        market.dispute(t, "wrong output");

        vm.expectEmit(address(market));
        emit JobClosed(
            jobId, CloseReason.DisputeResolved, worker, r.workerAmount - r.fee, r.fee, r.price - r.workerAmount, r.slash
        );
        vm.prank(arbiter);
        market.resolveDispute(t, r.workerAmount, r.slash);

        // The client gets the bid refund, the part of the price the worker did not get, and the slash (in ETH).
        uint256 clientTokenCredit = p.budget - r.workerAmount;
        assertEq(market.credits(p.token, worker), r.workerAmount - r.fee, "worker gets its share minus the fee");
        assertEq(market.credits(p.token, treasury), r.fee, "treasury gets the fee on the worker's share");
        if (p.token == address(0)) {
            assertEq(market.credits(address(0), client), clientTokenCredit + r.slash, "client: rest + slash");
        } else {
            assertEq(market.credits(p.token, client), clientTokenCredit, "client gets the rest of the price");
            assertEq(market.credits(address(0), client), r.slash, "client gets the slash in ETH");
        }
        _assertCollateralFree(p.collateral, r.slash);
        _assertMarketHolds(address(0), 0);
    }

    function testFuzz_resolveDispute_revertsIfWorkerAmountAbovePrice(
        uint256 budget,
        uint256 price,
        uint256 workerAmount,
        bool auction
    ) public {
        JobParams memory p = _fuzzParams(auction, false, budget, 1 ether);
        price = auction ? _bound(price, 1, p.budget) : p.budget;
        workerAmount = _bound(workerAmount, price + 1, type(uint96).max);
        (, JobTerms memory t) = _submittedAt(p, uint96(price));
        vm.prank(client);
        market.dispute(t, "wrong output");

        vm.expectRevert(abi.encodeWithSelector(InvalidRuling.selector, workerAmount, price, 0, p.collateral));
        vm.prank(arbiter);
        market.resolveDispute(t, uint96(workerAmount), 0);
    }

    function testFuzz_resolveDispute_revertsIfSlashAboveCollateral(uint256 collateral, uint256 slash) public {
        JobParams memory p = _fuzzParams(false, false, 1 ether, collateral);
        slash = _bound(slash, uint256(p.collateral) + 1, type(uint96).max);
        (, JobTerms memory t) = _submittedAt(p, p.budget);
        vm.prank(client);
        market.dispute(t, "wrong output");

        vm.expectRevert(abi.encodeWithSelector(InvalidRuling.selector, 0, p.budget, slash, p.collateral));
        vm.prank(arbiter);
        market.resolveDispute(t, 0, uint96(slash));
    }

    function testFuzz_settleTimedOutDispute_splitsPriceInHalf(
        uint256 budget,
        uint256 price,
        uint256 feeBps,
        bool useUsdc,
        bool auction
    ) public {
        feeBps = _setFee(feeBps);
        JobParams memory p = _fuzzParams(auction, useUsdc, budget, 1 ether);
        price = auction ? _bound(price, 1, p.budget) : p.budget;
        (bytes32 jobId, JobTerms memory t) = _submittedAt(p, uint96(price));
        vm.prank(client);
        market.dispute(t, "wrong output");
        vm.warp(block.timestamp + market.ARBITRATION_PERIOD() + 1);
        uint256 toWorker = price / 2;
        uint96 fee = uint96(toWorker * feeBps / 10_000);

        vm.expectEmit(address(market));
        emit JobClosed(
            jobId, CloseReason.ArbitrationTimedOut, worker, uint96(toWorker) - fee, fee, uint96(price - toWorker), 0
        );
        vm.prank(stranger);
        market.settleTimedOutDispute(t);

        assertEq(market.credits(p.token, worker), toWorker - fee, "worker: half the price minus the fee");
        assertEq(market.credits(p.token, treasury), fee);
        assertEq(market.credits(p.token, client), p.budget - toWorker, "client: refund + the other half");
        _assertCollateralFree(p.collateral, 0);
        _assertMarketHolds(address(0), 0);
    }

    function testFuzz_reclaim_slashesWholeCollateral(
        uint256 budget,
        uint256 price,
        uint256 collateral,
        bool useUsdc,
        bool auction
    ) public {
        JobParams memory p = _fuzzParams(auction, useUsdc, budget, collateral);
        price = auction ? _bound(price, 1, p.budget) : p.budget;
        (bytes32 jobId, JobTerms memory t) = _assignedAt(p, uint96(price));
        vm.warp(block.timestamp + p.executionTimeout + 1);

        vm.expectEmit(address(market));
        emit JobClosed(jobId, CloseReason.Reclaimed, worker, 0, 0, uint96(price), p.collateral);
        vm.prank(stranger);
        market.reclaim(t);

        if (p.token == address(0)) {
            assertEq(market.credits(address(0), client), p.budget + p.collateral, "client: budget + collateral");
        } else {
            assertEq(market.credits(p.token, client), p.budget, "client: whole budget back");
            assertEq(market.credits(address(0), client), p.collateral, "client: collateral in ETH");
        }
        assertEq(market.credits(p.token, worker), 0, "worker gets nothing");
        _assertCollateralFree(p.collateral, p.collateral);
        _assertMarketHolds(address(0), 0);
    }

    function testFuzz_cancelJob_refundsWholeBudget(uint256 budget, bool useUsdc, bool auction) public {
        JobParams memory p = _fuzzParams(auction, useUsdc, budget, 0);
        (bytes32 jobId, JobTerms memory t) = _post(p);

        vm.expectEmit(address(market));
        emit JobClosed(jobId, CloseReason.Cancelled, address(0), 0, 0, p.budget, 0);
        vm.prank(client);
        market.cancelJob(t);

        assertEq(market.credits(p.token, client), p.budget);
        _withdrawAll(p.token);
        assertEq(_balanceOf(p.token, address(market)), 0, "market empty");
    }

    // ---- stake ----

    function testFuzz_requestUnstake_movesOnlyFreeStake(uint256 stake, uint256 collateral, uint256 amount) public {
        collateral = _bound(collateral, 0, MAX_COLLATERAL);
        stake = _bound(stake, collateral, 2 * MAX_COLLATERAL);
        _register(worker, uint96(stake));
        JobParams memory p = _fuzzParams(false, false, 1 ether, collateral);
        (, JobTerms memory t) = _post(p);
        vm.prank(worker);
        market.claimJob(t);
        uint256 free = stake - collateral;

        uint256 tooMuch = _bound(amount, free + 1, type(uint96).max);
        vm.expectRevert(abi.encodeWithSelector(InsufficientFreeStake.selector, worker, free, tooMuch));
        vm.prank(worker);
        registry.requestUnstake(uint96(tooMuch));

        vm.assume(free > 0);
        amount = _bound(amount, 1, free);
        vm.prank(worker);
        registry.requestUnstake(uint96(amount));
        (uint96 stakeAfter, uint96 locked,,,,) = registry.workers(worker);
        (uint96 unbonding,) = registry.unbonding(worker);
        assertEq(stakeAfter, stake - amount, "stake drops by the amount");
        assertEq(unbonding, amount, "the amount is unbonding");
        assertEq(locked, collateral, "locked collateral untouched");
        _assertMarketHolds(address(0), 1 ether);
    }

    function testFuzz_withdraw_sendsWholeCredit(uint256 budget, bool useUsdc, address to) public {
        assumeNotForgeAddress(to);
        assumeNotPrecompile(to);
        vm.assume(to != address(0) && to != address(market) && to.code.length == 0);
        JobParams memory p = _fuzzParams(false, useUsdc, budget, 0);
        (, JobTerms memory t) = _post(p);
        vm.prank(client);
        market.cancelJob(t);
        uint256 toBefore = _balanceOf(p.token, to);

        vm.expectEmit(address(market));
        emit Withdrawn(client, p.token, to, p.budget);
        vm.prank(client);
        market.withdraw(p.token, to);

        assertEq(_balanceOf(p.token, to) - toBefore, p.budget, "recipient gets the whole credit");
        assertEq(market.credits(p.token, client), 0, "credit cleared");
        vm.expectRevert(abi.encodeWithSelector(NothingToWithdraw.selector, client, p.token));
        vm.prank(client);
        market.withdraw(p.token, to);
    }

    // ---- helpers ----

    /// @dev Default parameters with a fuzzed token, mode, budget (within the client's funds) and collateral.
    function _fuzzParams(bool auction, bool useUsdc, uint256 budget, uint256 collateral)
        internal
        view
        returns (JobParams memory p)
    {
        p = _params(auction ? JobMode.Auction : JobMode.Claim);
        p.token = useUsdc ? address(usdc) : address(0);
        p.budget = uint96(_bound(budget, 1, useUsdc ? MAX_USDC_BUDGET : MAX_ETH_BUDGET));
        p.collateral = uint96(_bound(collateral, 0, MAX_COLLATERAL));
    }

    function _setFee(uint256 feeBps) internal returns (uint256) {
        feeBps = _bound(feeBps, 0, MAX_FEE_BPS);
        vm.prank(owner);
        market.setFee(uint16(feeBps));
        return feeBps;
    }

    /// @dev Posts `p` and assigns it to `worker` (staked exactly the collateral) at `price`.
    function _assignedAt(JobParams memory p, uint96 price) internal returns (bytes32 jobId, JobTerms memory t) {
        _register(worker, p.collateral);
        (jobId, t) = _post(p);
        if (p.mode == JobMode.Claim) {
            vm.prank(worker);
            market.claimJob(t);
        } else {
            vm.prank(worker);
            market.placeBid(t, price);
            vm.prank(client);
            market.acceptBid(t, worker);
        }
    }

    function _submittedAt(JobParams memory p, uint96 price) internal returns (bytes32 jobId, JobTerms memory t) {
        (jobId, t) = _assignedAt(p, price);
        vm.prank(worker);
        market.submitResult(t, RESULT_HASH, RESULT_URI);
    }

    /// @dev The worker's collateral is unlocked and `slashed` of it left the stake.
    function _assertCollateralFree(uint96 collateral, uint256 slashed) internal view {
        (uint96 stake, uint96 locked,,,,) = registry.workers(worker);
        assertEq(locked, 0, "collateral unlocked");
        assertEq(stake, collateral - slashed, "stake lost exactly the slash");
    }

    /// @dev The market holds exactly everyone's credits plus `escrow` of `escrowToken` in live jobs, and
    /// the registry exactly everyone's stake (active and unbonding): nothing appeared or vanished, and
    /// closed jobs left no escrow behind.
    function _assertMarketHolds(address escrowToken, uint256 escrow) internal view {
        address[4] memory accounts = [client, worker, treasury, stranger];
        uint256 eth = escrowToken == address(0) ? escrow : 0;
        uint256 tokens = escrowToken == address(0) ? 0 : escrow;
        uint256 stakes;
        for (uint256 i; i < accounts.length; i++) {
            eth += market.credits(address(0), accounts[i]);
            tokens += market.credits(address(usdc), accounts[i]);
            (uint96 stake,,,,,) = registry.workers(accounts[i]);
            (uint96 unbonding,) = registry.unbonding(accounts[i]);
            stakes += uint256(stake) + unbonding;
        }
        assertEq(address(market).balance, eth, "market ETH: credits + live escrow");
        assertEq(usdc.balanceOf(address(market)), tokens, "market USDC: credits + live escrow");
        assertEq(address(registry).balance, stakes, "registry ETH: stake + unbonding");
    }

    function _withdrawAll(address token) internal {
        address[4] memory accounts = [client, worker, treasury, stranger];
        for (uint256 i; i < accounts.length; i++) {
            if (market.credits(token, accounts[i]) != 0) {
                vm.prank(accounts[i]);
                market.withdraw(token, accounts[i]);
            }
        }
    }

    function _balanceOf(address token, address who) internal view returns (uint256) {
        return token == address(0) ? who.balance : usdc.balanceOf(who);
    }
}
