// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {MarketFixture} from "../utils/MarketFixture.sol";
import {HardwareClaim, CloseReason, JobMode, JobParams, JobStatus, JobTerms} from "../../src/interfaces/ILoomTypes.sol";

/// @notice placeBid, withdrawBid and acceptBid on auction jobs.
contract BidsTest is MarketFixture {
    /// @dev An open auction job (ETH, 1 ETH budget, 0.1 ETH collateral); `worker` registered with 1 ETH.
    function _auction() internal returns (bytes32 jobId, JobTerms memory t) {
        _register(worker, 1 ether);
        (jobId, t) = _post(_params(JobMode.Auction));
    }

    function _auctionRequiring(JobParams memory p) internal returns (bytes32 jobId, JobTerms memory t) {
        _register(worker, 1 ether);
        (jobId, t) = _post(p);
    }

    /// @dev `_auction()` with `worker`'s bid of 0.6 ETH on it.
    function _auctionWithBid() internal returns (bytes32 jobId, JobTerms memory t) {
        (jobId, t) = _auction();
        _bid(worker, t, 0.6 ether);
    }

    function _bid(address who, JobTerms memory t, uint96 price) internal {
        vm.prank(who);
        market.placeBid(t, price);
    }

    function _expectAcceptRefused(JobTerms memory t, address bidder, bytes memory revertData) internal {
        _expectRefused(client, abi.encodeCall(market.acceptBid, (t, bidder)), revertData);
    }

    function _expectWithdrawRefused(address who, JobTerms memory t, bytes memory revertData) internal {
        _expectRefused(who, abi.encodeCall(market.withdrawBid, (t)), revertData);
    }

    // ---- placeBid ----

    function test_placeBid_storesBid() public {
        (bytes32 jobId, JobTerms memory t) = _auctionWithBid();

        assertEq(market.bids(jobId, worker), 0.6 ether);
        _assertJob(jobId, address(0), JobStatus.Open, CloseReason.None, 0);
        _assertStake(worker, 1 ether, 0);
        _assertCredits(address(0), 0, 0, 0);
    }

    function test_placeBid_emitsBidPlaced() public {
        (bytes32 jobId, JobTerms memory t) = _auction();
        vm.expectEmit(true, true, true, true, address(market));
        emit BidPlaced(jobId, worker, 0.6 ether);
        _bid(worker, t, 0.6 ether);
    }

    function test_placeBid_replacesBid() public {
        (bytes32 jobId, JobTerms memory t) = _auctionWithBid();
        vm.expectEmit(true, true, true, true, address(market));
        emit BidPlaced(jobId, worker, 0.5 ether);
        _bid(worker, t, 0.5 ether);
        assertEq(market.bids(jobId, worker), 0.5 ether);
    }

    function test_placeBid_keepsBidsOfSeveralWorkers() public {
        (bytes32 jobId, JobTerms memory t) = _auction();
        _register(worker2, 1 ether);
        _bid(worker, t, 0.6 ether);
        _bid(worker2, t, 0.7 ether);
        assertEq(market.bids(jobId, worker), 0.6 ether);
        assertEq(market.bids(jobId, worker2), 0.7 ether);
    }

    function test_placeBid_acceptsFullBudgetAtOpenUntil() public {
        (bytes32 jobId, JobTerms memory t) = _auction();
        vm.warp(t.openUntil);
        _bid(worker, t, 1 ether);
        assertEq(market.bids(jobId, worker), 1 ether);
    }

    function test_placeBid_acceptsMatchingGpuModel() public {
        JobParams memory p = _params(JobMode.Auction);
        p.gpuModel = H100;
        p.minGpuCount = 2;
        p.minVramMiB = 81_920;
        (bytes32 jobId, JobTerms memory t) = _auctionRequiring(p);
        _bid(worker, t, 0.6 ether);
        assertEq(market.bids(jobId, worker), 0.6 ether);
    }

    function test_placeBid_revertsIfJobNotFound() public {
        (, JobTerms memory t) = _auction();
        t.salt = 1;
        _expectJobNotFound(t);
        _bid(worker, t, 0.6 ether);
    }

    function test_placeBid_revertsIfWrongMode() public {
        _register(worker, 1 ether);
        (bytes32 jobId, JobTerms memory t) = _post(_params(JobMode.Claim));
        vm.expectRevert(abi.encodeWithSelector(WrongMode.selector, jobId, JobMode.Claim));
        _bid(worker, t, 0.6 ether);
    }

    function test_placeBid_revertsIfAssigned() public {
        (bytes32 jobId, JobTerms memory t) = _acceptedWith(_params(JobMode.Auction), 0.6 ether);
        _register(worker2, 1 ether);
        _expectUnexpectedStatus(jobId, JobStatus.Open, JobStatus.Assigned);
        _bid(worker2, t, 0.5 ether);
    }

    function test_placeBid_revertsIfClosed() public {
        (bytes32 jobId, JobTerms memory t) = _auction();
        vm.prank(client);
        market.cancelJob(t);
        _expectUnexpectedStatus(jobId, JobStatus.Open, JobStatus.Closed);
        _bid(worker, t, 0.6 ether);
    }

    function test_placeBid_revertsIfDeadlinePassed() public {
        (bytes32 jobId, JobTerms memory t) = _auction();
        vm.warp(uint256(t.openUntil) + 1);
        vm.expectRevert(abi.encodeWithSelector(DeadlinePassed.selector, jobId, t.openUntil, uint256(t.openUntil) + 1));
        _bid(worker, t, 0.6 ether);
    }

    function test_placeBid_revertsIfPriceZero() public {
        (, JobTerms memory t) = _auction();
        vm.expectRevert(abi.encodeWithSelector(InvalidBidPrice.selector, 0, 1 ether));
        _bid(worker, t, 0);
    }

    function test_placeBid_revertsIfPriceAboveBudget() public {
        (, JobTerms memory t) = _auction();
        vm.expectRevert(abi.encodeWithSelector(InvalidBidPrice.selector, 1 ether + 1, 1 ether));
        _bid(worker, t, 1 ether + 1);
    }

    function test_placeBid_revertsIfNotRegistered() public {
        (, JobTerms memory t) = _auction();
        vm.expectRevert(abi.encodeWithSelector(NotRegistered.selector, stranger));
        _bid(stranger, t, 0.6 ether);
    }

    function test_placeBid_revertsIfWorkerUnavailable() public {
        (, JobTerms memory t) = _auction();
        vm.prank(worker);
        registry.setAvailability(false);
        vm.expectRevert(abi.encodeWithSelector(WorkerUnavailable.selector, worker));
        _bid(worker, t, 0.6 ether);
    }

    function test_placeBid_revertsIfTooFewGpus() public {
        JobParams memory p = _params(JobMode.Auction);
        p.minGpuCount = 3;
        (bytes32 jobId, JobTerms memory t) = _auctionRequiring(p);
        vm.expectRevert(abi.encodeWithSelector(RequirementsNotMet.selector, jobId, worker));
        _bid(worker, t, 0.6 ether);
    }

    function test_placeBid_revertsIfTooLittleVram() public {
        JobParams memory p = _params(JobMode.Auction);
        p.minVramMiB = 81_921;
        (bytes32 jobId, JobTerms memory t) = _auctionRequiring(p);
        vm.expectRevert(abi.encodeWithSelector(RequirementsNotMet.selector, jobId, worker));
        _bid(worker, t, 0.6 ether);
    }

    function test_placeBid_revertsIfWrongGpuModel() public {
        JobParams memory p = _params(JobMode.Auction);
        p.gpuModel = bytes32("NVIDIA A100-SXM4-80GB");
        (bytes32 jobId, JobTerms memory t) = _auctionRequiring(p);
        vm.expectRevert(abi.encodeWithSelector(RequirementsNotMet.selector, jobId, worker));
        _bid(worker, t, 0.6 ether);
    }

    function test_placeBid_revertsIfInsufficientFreeStake() public {
        _register(worker, 0.05 ether);
        (, JobTerms memory t) = _post(_params(JobMode.Auction));
        vm.expectRevert(abi.encodeWithSelector(InsufficientFreeStake.selector, worker, 0.05 ether, 0.1 ether));
        _bid(worker, t, 0.6 ether);
    }

    function test_placeBid_revertsIfStakeLockedInAnotherJob() public {
        _register(worker, 0.15 ether);
        (, JobTerms memory claimed) = _post(_params(JobMode.Claim));
        vm.prank(worker);
        market.claimJob(claimed);
        (, JobTerms memory t) = _post(_params(JobMode.Auction));
        vm.expectRevert(abi.encodeWithSelector(InsufficientFreeStake.selector, worker, 0.05 ether, 0.1 ether));
        _bid(worker, t, 0.6 ether);
    }

    // ---- withdrawBid ----

    function test_withdrawBid_deletesBid() public {
        (bytes32 jobId, JobTerms memory t) = _auctionWithBid();
        vm.expectEmit(true, true, true, true, address(market));
        emit BidWithdrawn(jobId, worker);
        vm.prank(worker);
        market.withdrawBid(t);

        assertEq(market.bids(jobId, worker), 0);
        _assertJob(jobId, address(0), JobStatus.Open, CloseReason.None, 0);
    }

    function test_withdrawBid_thenAcceptRevertsBidNotFound() public {
        (bytes32 jobId, JobTerms memory t) = _auctionWithBid();
        vm.prank(worker);
        market.withdrawBid(t);
        vm.expectRevert(abi.encodeWithSelector(BidNotFound.selector, jobId, worker));
        vm.prank(client);
        market.acceptBid(t, worker);
    }

    function test_withdrawBid_revertsIfBidNotFound() public {
        (bytes32 jobId, JobTerms memory t) = _auctionWithBid();
        _expectWithdrawRefused(stranger, t, abi.encodeWithSelector(BidNotFound.selector, jobId, stranger));
    }

    function test_withdrawBid_revertsIfJobNotFound() public {
        (, JobTerms memory t) = _auction();
        t.salt = 7;
        _expectWithdrawRefused(worker, t, _jobNotFound(t));
    }

    function test_withdrawBid_revertsIfWrongMode() public {
        (bytes32 jobId, JobTerms memory t) = _post(_params(JobMode.Claim));
        _expectWithdrawRefused(worker, t, abi.encodeWithSelector(WrongMode.selector, jobId, JobMode.Claim));
    }

    function test_withdrawBid_revertsIfAssigned() public {
        (bytes32 jobId, JobTerms memory t) = _acceptedWith(_params(JobMode.Auction), 0.6 ether);
        _expectWithdrawRefused(worker, t, _unexpectedStatus(jobId, JobStatus.Open, JobStatus.Assigned));
        assertEq(market.bids(jobId, worker), 0.6 ether, "the accepted bid stays the price");
    }

    function test_withdrawBid_revertsIfClosed() public {
        (bytes32 jobId, JobTerms memory t) = _auctionWithBid();
        vm.prank(client);
        market.cancelJob(t);
        _expectWithdrawRefused(worker, t, _unexpectedStatus(jobId, JobStatus.Open, JobStatus.Closed));
    }

    // ---- acceptBid ----

    function test_acceptBid_assignsWorkerAtBidPrice() public {
        (bytes32 jobId, JobTerms memory t) = _auctionWithBid();
        vm.prank(client);
        market.acceptBid(t, worker);

        _assertJob(jobId, worker, JobStatus.Assigned, CloseReason.None, START + 2 hours);
        assertEq(market.bids(jobId, worker), 0.6 ether, "the accepted bid is the price");
        _assertStake(worker, 1 ether, 0.1 ether);
        _assertCredits(address(0), 0.4 ether, 0, 0);
        assertEq(address(market).balance, 1 ether, "the budget stays in the market");
        assertEq(address(registry).balance, 1 ether, "the stake stays in the registry");
        assertEq(registry.lockedBy(address(market), worker), 0.1 ether, "locked by the market");
    }

    function test_acceptBid_emitsJobAssigned() public {
        (bytes32 jobId, JobTerms memory t) = _auctionWithBid();
        vm.warp(START + 10 minutes);
        vm.expectEmit(true, true, true, true, address(market));
        emit JobAssigned(jobId, worker, 0.6 ether, 0.4 ether, 0.1 ether, uint40(START + 10 minutes + 2 hours));
        vm.prank(client);
        market.acceptBid(t, worker);
    }

    function test_acceptBid_creditsUnusedUsdcBudget() public {
        _register(worker, 1 ether);
        (bytes32 jobId, JobTerms memory t) = _post(_usdcParams(JobMode.Auction));
        _bid(worker, t, 700e6);
        vm.expectEmit(true, true, true, true, address(market));
        emit JobAssigned(jobId, worker, 700e6, 300e6, 0.1 ether, uint40(START + 2 hours));
        vm.prank(client);
        market.acceptBid(t, worker);

        _assertCredits(address(usdc), 300e6, 0, 0);
        _assertCredits(address(0), 0, 0, 0);
        _assertStake(worker, 1 ether, 0.1 ether);
    }

    function test_acceptBid_atFullBudgetCreditsNothing() public {
        (bytes32 jobId, JobTerms memory t) = _auction();
        _bid(worker, t, 1 ether);
        vm.expectEmit(true, true, true, true, address(market));
        emit JobAssigned(jobId, worker, 1 ether, 0, 0.1 ether, uint40(START + 2 hours));
        vm.prank(client);
        market.acceptBid(t, worker);
        _assertCredits(address(0), 0, 0, 0);
    }

    function test_acceptBid_choosesAmongBids() public {
        (bytes32 jobId, JobTerms memory t) = _auction();
        _register(worker2, 1 ether);
        _bid(worker, t, 0.6 ether);
        _bid(worker2, t, 0.8 ether);
        vm.prank(client);
        market.acceptBid(t, worker2);

        _assertJob(jobId, worker2, JobStatus.Assigned, CloseReason.None, START + 2 hours);
        _assertStake(worker2, 1 ether, 0.1 ether);
        _assertStake(worker, 1 ether, 0);
        assertEq(market.credits(address(0), client), 0.2 ether);
    }

    function test_acceptBid_worksUntilAcceptWindowEnds() public {
        (bytes32 jobId, JobTerms memory t) = _auctionWithBid();
        uint256 lastAccept = uint256(t.openUntil) + 1 days;
        vm.warp(lastAccept);
        vm.prank(client);
        market.acceptBid(t, worker);
        _assertJob(jobId, worker, JobStatus.Assigned, CloseReason.None, lastAccept + 2 hours);
    }

    function test_acceptBid_withoutCollateralLocksNothing() public {
        JobParams memory p = _params(JobMode.Auction);
        p.collateral = 0;
        (bytes32 jobId,) = _acceptedWith(p, 0.6 ether);
        _assertJob(jobId, worker, JobStatus.Assigned, CloseReason.None, START + 2 hours);
        _assertStake(worker, 1 ether, 0);
    }

    function test_acceptBid_revertsIfJobNotFound() public {
        (, JobTerms memory t) = _auctionWithBid();
        t.salt = 1;
        _expectAcceptRefused(t, worker, _jobNotFound(t));
    }

    function test_acceptBid_revertsIfWrongMode() public {
        _register(worker, 1 ether);
        (bytes32 jobId, JobTerms memory t) = _post(_params(JobMode.Claim));
        _expectAcceptRefused(t, worker, abi.encodeWithSelector(WrongMode.selector, jobId, JobMode.Claim));
    }

    function test_acceptBid_revertsIfNotClient() public {
        (bytes32 jobId, JobTerms memory t) = _auctionWithBid();
        vm.expectRevert(abi.encodeWithSelector(NotClient.selector, jobId, worker));
        vm.prank(worker);
        market.acceptBid(t, worker);
    }

    function test_acceptBid_revertsIfAcceptWindowPassed() public {
        (bytes32 jobId, JobTerms memory t) = _auctionWithBid();
        uint256 lastAccept = uint256(t.openUntil) + 1 days;
        vm.warp(lastAccept + 1);
        bytes memory late = abi.encodeWithSelector(DeadlinePassed.selector, jobId, lastAccept, lastAccept + 1);
        _expectAcceptRefused(t, worker, late);
    }

    function test_acceptBid_revertsIfBidNotFound() public {
        (bytes32 jobId, JobTerms memory t) = _auctionWithBid();
        _expectAcceptRefused(t, worker2, abi.encodeWithSelector(BidNotFound.selector, jobId, worker2));
    }

    function test_acceptBid_revertsIfAlreadyAssigned() public {
        (bytes32 jobId, JobTerms memory t) = _auctionWithBid();
        _register(worker2, 1 ether);
        _bid(worker2, t, 0.7 ether);
        vm.prank(client);
        market.acceptBid(t, worker);
        _expectAcceptRefused(t, worker2, _unexpectedStatus(jobId, JobStatus.Open, JobStatus.Assigned));
    }

    function test_acceptBid_revertsIfBidderBecameUnavailable() public {
        (, JobTerms memory t) = _auctionWithBid();
        vm.prank(worker);
        registry.setAvailability(false);
        _expectAcceptRefused(t, worker, abi.encodeWithSelector(WorkerUnavailable.selector, worker));
    }

    function test_acceptBid_revertsIfBidderDeregistered() public {
        (, JobTerms memory t) = _auctionWithBid();
        vm.prank(worker);
        registry.deregister();
        _expectAcceptRefused(t, worker, abi.encodeWithSelector(NotRegistered.selector, worker));
    }

    function test_acceptBid_revertsIfBidderNoLongerMeetsRequirements() public {
        (bytes32 jobId, JobTerms memory t) = _auctionWithBid();
        HardwareClaim memory smaller = _hardware();
        smaller.vramMiB = 24_576;
        vm.prank(worker);
        registry.updateClaim(smaller);
        _expectAcceptRefused(t, worker, abi.encodeWithSelector(RequirementsNotMet.selector, jobId, worker));
    }

    function test_acceptBid_revertsIfBidderStakeNoLongerCovers() public {
        (, JobTerms memory t) = _auctionWithBid();
        vm.prank(worker);
        registry.requestUnstake(0.95 ether);
        bytes memory revertData = abi.encodeWithSelector(InsufficientFreeStake.selector, worker, 0.05 ether, 0.1 ether);
        _expectAcceptRefused(t, worker, revertData);
    }
}
