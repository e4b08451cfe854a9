// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC3009} from "@openzeppelin/contracts/token/ERC20/extensions/draft-ERC3009.sol";
import {MarketFixture} from "../utils/MarketFixture.sol";
import {PlainToken} from "./PostJobFor.t.sol";
import {LoomDeposits} from "../../src/LoomDeposits.sol";
import {JobDeposit} from "../../src/JobDeposit.sol";
import {JobMode, JobParams, JobStatus, JobTerms, TransferAuthorization} from "../../src/interfaces/ILoomTypes.sol";

/// @dev x402 payments into jobs: the client signs an EIP-3009 transfer to its order's deposit
/// address (as an x402 fetch client does, with a nonce of its own), and anyone turns it into the job.
/// Tests that empty one deposit address twice run isolated (each call its own transaction, as on a
/// chain): the emptying contract's account is cleared only when its transaction ends.
contract DepositsTest is MarketFixture {
    bytes32 constant TRANSFER_TYPEHASH =
        keccak256("TransferWithAuthorization(address from,address to,uint256 value,uint256 validAfter,uint256 validBefore,bytes32 nonce)");

    LoomDeposits deposits;
    uint256 payerKey = 0xC11E47;
    address payer;
    address gateway = makeAddr("gateway");

    function setUp() public override {
        super.setUp();
        deposits = market.deposits();
        payer = vm.addr(payerKey);
        usdc.mint(payer, 1_000e6);
    }

    function _order() internal view returns (JobParams memory p) {
        p = _params(JobMode.Claim);
        p.token = address(usdc);
        p.budget = 25e6;
        p.collateral = 0;
        p.salt = 11;
    }

    function _depositOf(JobParams memory p) internal view returns (address) {
        return deposits.depositAddress(deposits.orderId(p, keccak256(spec), payer), p.token);
    }

    function _sign(uint256 key, address to, uint256 value, uint256 validBefore, bytes32 nonce)
        internal
        view
        returns (TransferAuthorization memory)
    {
        bytes32 structHash = keccak256(abi.encode(TRANSFER_TYPEHASH, vm.addr(key), to, value, 0, validBefore, nonce));
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, keccak256(abi.encodePacked("\x19\x01", usdc.DOMAIN_SEPARATOR(), structHash)));
        return TransferAuthorization({validAfter: 0, validBefore: validBefore, nonce: nonce, signature: abi.encodePacked(r, s, v)});
    }

    /// @dev What an x402 client signs for the order: the budget to its deposit address.
    function _paid(JobParams memory p) internal view returns (TransferAuthorization memory) {
        return _sign(payerKey, _depositOf(p), p.budget, block.timestamp + 10 minutes, keccak256("a random nonce"));
    }

    /// @dev Anyone (here a front-runner) submits the signed transfer straight to the token.
    function _frontRun(TransferAuthorization memory a, address to, uint256 value) internal {
        vm.prank(stranger);
        usdc.transferWithAuthorization(payer, to, value, a.validAfter, a.validBefore, a.nonce, a.signature);
    }

    function _assertNothingLeftBehind(address deposit) internal view {
        assertEq(usdc.balanceOf(deposit), 0, "the deposit address is empty");
        assertEq(deposit.code.length, 0, "and holds no code");
        assertEq(usdc.balanceOf(address(deposits)), 0, "LoomDeposits keeps nothing");
    }

    function test_deposits_isTheMarketsOwn() public view {
        assertEq(address(deposits.market()), address(market));
        assertTrue(address(deposits).code.length > 0);
    }

    function test_postJob_postsThePayersJobAndEscrowsItsBudget() public {
        JobParams memory p = _order();
        JobTerms memory t = _terms(p, payer, spec);
        bytes32 jobId = keccak256(abi.encode(t));
        address deposit = _depositOf(p);
        TransferAuthorization memory a = _paid(p);

        vm.expectEmit(address(market));
        emit JobPosted(jobId, payer, address(usdc), t, spec);
        vm.prank(gateway);
        assertEq(deposits.postJob(p, spec, payer, a), jobId, "the id postJob by the payer gives");

        assertEq(usdc.balanceOf(address(market)), p.budget, "budget escrowed");
        assertEq(usdc.balanceOf(payer), 1_000e6 - p.budget, "taken from the payer once");
        assertEq(usdc.balanceOf(gateway), 0, "the submitter pays only gas");
        _assertNothingLeftBehind(deposit);
        assertTrue(_status(jobId) == JobStatus.Open);

        // The payer owns the job: cancelling refunds it.
        vm.prank(payer);
        market.cancelJob(t);
        assertEq(market.credits(address(usdc), payer), p.budget);
    }

    function test_postJob_aFrontRunTransferStillBecomesTheJob() public {
        JobParams memory p = _order();
        TransferAuthorization memory a = _paid(p);
        _frontRun(a, _depositOf(p), p.budget);
        assertEq(usdc.balanceOf(_depositOf(p)), p.budget, "waiting at the deposit address");

        vm.prank(gateway);
        bytes32 jobId = deposits.postJob(p, spec, payer, a); // the token refuses the used nonce; the deposit decides
        assertTrue(_status(jobId) == JobStatus.Open);
        assertEq(usdc.balanceOf(address(market)), p.budget);
        _assertNothingLeftBehind(_depositOf(p));
    }

    function test_postJob_withoutASignatureTakesWhatTheDepositHolds() public {
        JobParams memory p = _order();
        _frontRun(_paid(p), _depositOf(p), p.budget);
        TransferAuthorization memory none;
        vm.prank(stranger);
        bytes32 jobId = deposits.postJob(p, spec, payer, none);
        assertTrue(_status(jobId) == JobStatus.Open);
    }

    function test_postJob_creditsMoreThanTheBudgetBackToThePayer() public {
        JobParams memory p = _order();
        address deposit = _depositOf(p);
        vm.prank(client);
        usdc.transfer(deposit, 3e6); // someone else's gift lands there too
        vm.prank(gateway);
        deposits.postJob(p, spec, payer, _paid(p));
        assertEq(usdc.balanceOf(address(market)), p.budget, "exactly the budget escrowed");
        assertEq(usdc.balanceOf(payer), 1_000e6 - p.budget + 3e6, "the rest to the payer");
        _assertNothingLeftBehind(_depositOf(p));
    }

    function test_postJob_revertsWithTheTokensRefusalWhenNothingArrived() public {
        JobParams memory p = _order();
        TransferAuthorization memory bySomeoneElse = _sign(0xBAD, _depositOf(p), p.budget, block.timestamp + 10 minutes, bytes32(0));
        vm.prank(gateway);
        vm.expectRevert(ERC3009.ERC3009InvalidSignature.selector);
        deposits.postJob(p, spec, payer, bySomeoneElse);

        TransferAuthorization memory a = _paid(p);
        vm.warp(a.validBefore);
        vm.prank(gateway);
        vm.expectRevert(abi.encodeWithSelector(ERC3009.ERC3009InvalidAuthorizationTime.selector, 0, a.validBefore));
        deposits.postJob(p, spec, payer, a);
        assertEq(usdc.balanceOf(payer), 1_000e6, "nothing moved");
    }

    function test_postJob_otherTermsCannotUseThePayment() public {
        JobParams memory p = _order();
        TransferAuthorization memory a = _paid(p);
        // Another order (a cheaper budget, another salt, another client) has another deposit address:
        // the signature, made out to this order's, does not hold for it.
        JobParams memory cheaper = _order();
        cheaper.budget = 1e6;
        JobParams memory otherSalt = _order();
        otherSalt.salt = 12;
        vm.startPrank(stranger);
        vm.expectRevert(ERC3009.ERC3009InvalidSignature.selector);
        deposits.postJob(cheaper, spec, payer, a);
        vm.expectRevert(ERC3009.ERC3009InvalidSignature.selector);
        deposits.postJob(otherSalt, spec, payer, a);
        vm.expectRevert(ERC3009.ERC3009InvalidSignature.selector);
        deposits.postJob(p, spec, stranger, a);
        vm.stopPrank();
        assertEq(usdc.balanceOf(payer), 1_000e6, "nothing moved");
    }

    function test_postJob_revertsShortWhenLessThanTheBudgetArrived() public {
        JobParams memory p = _order();
        address deposit = _depositOf(p);
        TransferAuthorization memory partial_ = _sign(payerKey, deposit, 5e6, block.timestamp + 1 hours, bytes32(uint256(1)));
        _frontRun(partial_, deposit, 5e6);
        TransferAuthorization memory none;
        vm.prank(gateway);
        vm.expectRevert(abi.encodeWithSelector(DepositShort.selector, deposit, 5e6, p.budget));
        deposits.postJob(p, spec, payer, none);
        assertEq(usdc.balanceOf(deposit), 5e6, "what it held stays there");
    }

    function test_postJob_aRefusedPostLeavesTheMoneyAtTheDeposit() public {
        JobParams memory p = _order();
        p.budget = 0; // the market refuses it
        address deposit = _depositOf(p);
        vm.prank(client);
        usdc.transfer(deposit, 1e6);
        TransferAuthorization memory none;
        vm.prank(gateway);
        vm.expectRevert(ZeroBudget.selector);
        deposits.postJob(p, spec, payer, none);
        assertEq(usdc.balanceOf(deposit), 1e6);
    }

    function test_postJob_refusesEthAndTokensWithoutEip3009() public {
        JobParams memory eth = _params(JobMode.Claim);
        TransferAuthorization memory a = _paid(_order());
        vm.prank(gateway);
        vm.expectRevert(abi.encodeWithSelector(AuthorizationUnsupported.selector, address(0)));
        deposits.postJob(eth, spec, payer, a);

        PlainToken plain = new PlainToken();
        vm.prank(owner);
        market.setTokenAllowed(address(plain), true);
        JobParams memory p = _order();
        p.token = address(plain);
        vm.prank(gateway);
        vm.expectRevert(abi.encodeWithSelector(AuthorizationUnsupported.selector, address(plain)));
        deposits.postJob(p, spec, payer, a);
    }

    function test_postJobPaidBy_onlyLoomDepositsMayCall() public {
        JobParams memory p = _order();
        vm.prank(client);
        vm.expectRevert(abi.encodeWithSelector(UnexpectedSender.selector, client));
        market.postJobPaidBy(p, spec, client);
    }

    /// forge-config: default.isolate = true
    function test_refund_returnsAnUnpostedPaymentToThePayer() public {
        JobParams memory p = _order();
        _frontRun(_paid(p), _depositOf(p), p.budget);
        vm.prank(stranger); // anyone may, the money can only go to the payer
        deposits.refund(p, keccak256(spec), payer);
        assertEq(usdc.balanceOf(payer), 1_000e6, "all of it back");
        _assertNothingLeftBehind(_depositOf(p));

        // The order cannot be posted with that payment any more: the token says why.
        TransferAuthorization memory a = _paid(p);
        vm.prank(gateway);
        vm.expectRevert(abi.encodeWithSelector(ERC3009.ERC3009UsedAuthorization.selector, payer, a.nonce));
        deposits.postJob(p, spec, payer, a);
    }

    /// forge-config: default.isolate = true
    function test_refund_emptiesTheSameAddressAgainAndAgain() public {
        JobParams memory p = _order();
        address deposit = _depositOf(p);
        for (uint256 i = 1; i <= 3; i++) {
            vm.prank(client);
            usdc.transfer(deposit, i * 1e6);
            deposits.refund(p, keccak256(spec), payer);
            assertEq(usdc.balanceOf(deposit), 0);
        }
        assertEq(usdc.balanceOf(payer), 1_000e6 + 6e6);
    }

    /// forge-config: default.isolate = true
    function test_refund_afterPostingReturnsWhatCameLater() public {
        JobParams memory p = _order();
        vm.prank(gateway);
        deposits.postJob(p, spec, payer, _paid(p));
        address deposit = _depositOf(p);
        vm.prank(client);
        usdc.transfer(deposit, 2e6);
        deposits.refund(p, keccak256(spec), payer);
        assertEq(usdc.balanceOf(payer), 1_000e6 - p.budget + 2e6);
        assertEq(usdc.balanceOf(address(market)), p.budget, "the escrow is untouched");
    }

    function test_refund_revertsWhenNothingIsThere() public {
        JobParams memory p = _order();
        vm.expectRevert(abi.encodeWithSelector(NothingDeposited.selector, _depositOf(p)));
        deposits.refund(p, keccak256(spec), payer);
    }

    function test_depositAddress_isTheCreate2AddressOfTheOrder() public view {
        JobParams memory p = _order();
        bytes32 order = deposits.orderId(p, keccak256(spec), payer);
        assertEq(order, keccak256(abi.encode(p, keccak256(spec), payer)));
        bytes32 initCodeHash = keccak256(abi.encodePacked(type(JobDeposit).creationCode, abi.encode(address(usdc))));
        address expected = address(uint160(uint256(keccak256(abi.encodePacked(bytes1(0xff), address(deposits), order, initCodeHash)))));
        assertEq(deposits.depositAddress(order, address(usdc)), expected);
        p.salt = 12;
        assertTrue(deposits.depositAddress(deposits.orderId(p, keccak256(spec), payer), address(usdc)) != expected, "each order its own");
    }

    /// Whatever sits at the deposit address, a post escrows exactly the budget and returns the rest.
    function testFuzz_postJob_conservesTheMoney(uint96 budget, uint96 extra) public {
        budget = uint96(bound(budget, 1, 500e6));
        extra = uint96(bound(extra, 0, 500e6));
        JobParams memory p = _order();
        p.budget = budget;
        usdc.mint(_depositOf(p), extra);
        vm.prank(gateway);
        deposits.postJob(p, spec, payer, _paid(p));
        assertEq(usdc.balanceOf(address(market)), budget);
        assertEq(usdc.balanceOf(payer), 1_000e6 - uint256(budget) + extra);
        _assertNothingLeftBehind(_depositOf(p));
    }
}
