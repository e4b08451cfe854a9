// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {MarketFixture} from "../utils/MarketFixture.sol";
import {CloseReason, JobMode, JobParams, JobStatus, JobTerms} from "../../src/interfaces/ILoomTypes.sol";

/// @notice cancelJob and expire: closing a job nobody was assigned to.
contract CloseOpenTest is MarketFixture {
    function _cancel(address who, JobTerms memory t) internal {
        vm.prank(who);
        market.cancelJob(t);
    }

    // ---- cancelJob ----

    function test_cancelJob_refundsEthBudget() public {
        (bytes32 jobId, JobTerms memory t) = _post(_params(JobMode.Claim));
        _cancel(client, t);

        _assertJob(jobId, address(0), JobStatus.Closed, CloseReason.Cancelled, 0);
        _assertCredits(address(0), 1 ether, 0, 0);
        assertEq(address(market).balance, 1 ether, "the refund waits to be withdrawn");
    }

    function test_cancelJob_emitsJobClosed() public {
        (bytes32 jobId, JobTerms memory t) = _post(_params(JobMode.Claim));
        vm.expectEmit(true, true, true, true, address(market));
        emit JobClosed(jobId, CloseReason.Cancelled, address(0), 0, 0, 1 ether, 0);
        _cancel(client, t);
    }

    function test_cancelJob_refundsUsdcBudget() public {
        (bytes32 jobId, JobTerms memory t) = _post(_usdcParams(JobMode.Auction));
        vm.expectEmit(true, true, true, true, address(market));
        emit JobClosed(jobId, CloseReason.Cancelled, address(0), 0, 0, 1_000e6, 0);
        _cancel(client, t);

        _assertJob(jobId, address(0), JobStatus.Closed, CloseReason.Cancelled, 0);
        _assertCredits(address(usdc), 1_000e6, 0, 0);
        _assertCredits(address(0), 0, 0, 0);
    }

    function test_cancelJob_auctionWithBids() public {
        _register(worker, 1 ether);
        (bytes32 jobId, JobTerms memory t) = _post(_params(JobMode.Auction));
        vm.prank(worker);
        market.placeBid(t, 0.6 ether);
        _cancel(client, t);

        _assertJob(jobId, address(0), JobStatus.Closed, CloseReason.Cancelled, 0);
        _assertCredits(address(0), 1 ether, 0, 0);
        _assertStake(worker, 1 ether, 0);
    }

    function test_cancelJob_closesForGood() public {
        (bytes32 jobId, JobTerms memory t) = _post(_params(JobMode.Claim));
        _cancel(client, t);
        _assertClosedForGood(jobId, t);
    }

    function test_cancelJob_revertsIfJobNotFound() public {
        (, JobTerms memory t) = _post(_params(JobMode.Claim));
        t.salt = 1;
        _expectJobNotFound(t);
        _cancel(client, t);
    }

    function test_cancelJob_revertsIfNotClient() public {
        (bytes32 jobId, JobTerms memory t) = _post(_params(JobMode.Claim));
        vm.expectRevert(abi.encodeWithSelector(NotClient.selector, jobId, stranger));
        _cancel(stranger, t);
        vm.expectRevert(abi.encodeWithSelector(NotClient.selector, jobId, owner));
        _cancel(owner, t);
    }

    function test_cancelJob_revertsIfAssigned() public {
        (bytes32 jobId, JobTerms memory t) = _claimedWith(_params(JobMode.Claim));
        _expectUnexpectedStatus(jobId, JobStatus.Open, JobStatus.Assigned);
        _cancel(client, t);
    }

    function test_cancelJob_revertsIfSubmitted() public {
        (bytes32 jobId, JobTerms memory t) = _claimedWith(_params(JobMode.Claim));
        _submitFor(t);
        _expectUnexpectedStatus(jobId, JobStatus.Open, JobStatus.Submitted);
        _cancel(client, t);
    }

    function test_cancelJob_revertsIfCancelledAlready() public {
        (bytes32 jobId, JobTerms memory t) = _post(_params(JobMode.Claim));
        _cancel(client, t);
        _expectUnexpectedStatus(jobId, JobStatus.Open, JobStatus.Closed);
        _cancel(client, t);
    }

    // ---- expire ----

    function test_expire_claimJobAfterOpenUntil() public {
        (bytes32 jobId, JobTerms memory t) = _post(_params(JobMode.Claim));
        vm.warp(uint256(t.openUntil) + 1);
        vm.prank(stranger);
        market.expire(t);

        _assertJob(jobId, address(0), JobStatus.Closed, CloseReason.Expired, 0);
        _assertCredits(address(0), 1 ether, 0, 0);
        assertEq(market.credits(address(0), stranger), 0);
    }

    function test_expire_emitsJobClosed() public {
        (bytes32 jobId, JobTerms memory t) = _post(_params(JobMode.Claim));
        vm.warp(uint256(t.openUntil) + 1);
        vm.expectEmit(true, true, true, true, address(market));
        emit JobClosed(jobId, CloseReason.Expired, address(0), 0, 0, 1 ether, 0);
        market.expire(t);
    }

    function test_expire_refundsUsdcBudget() public {
        (bytes32 jobId, JobTerms memory t) = _post(_usdcParams(JobMode.Claim));
        vm.warp(uint256(t.openUntil) + 1);
        vm.expectEmit(true, true, true, true, address(market));
        emit JobClosed(jobId, CloseReason.Expired, address(0), 0, 0, 1_000e6, 0);
        market.expire(t);
        _assertCredits(address(usdc), 1_000e6, 0, 0);
        _assertCredits(address(0), 0, 0, 0);
    }

    function test_expire_auctionAfterAcceptWindow() public {
        _register(worker, 1 ether);
        (bytes32 jobId, JobTerms memory t) = _post(_params(JobMode.Auction));
        vm.prank(worker);
        market.placeBid(t, 0.6 ether);
        uint256 closesAt = uint256(t.openUntil) + 1 days;
        vm.warp(closesAt + 1);
        vm.expectEmit(true, true, true, true, address(market));
        emit JobClosed(jobId, CloseReason.Expired, address(0), 0, 0, 1 ether, 0);
        market.expire(t);

        _assertJob(jobId, address(0), JobStatus.Closed, CloseReason.Expired, 0);
        _assertCredits(address(0), 1 ether, 0, 0);
        _assertStake(worker, 1 ether, 0);
    }

    function test_expire_closesForGood() public {
        (bytes32 jobId, JobTerms memory t) = _post(_params(JobMode.Auction));
        vm.warp(uint256(t.openUntil) + 1 days + 1);
        market.expire(t);
        _assertClosedForGood(jobId, t);
    }

    function test_expire_revertsIfClaimJobAtOpenUntil() public {
        (bytes32 jobId, JobTerms memory t) = _post(_params(JobMode.Claim));
        vm.warp(t.openUntil);
        vm.expectRevert(abi.encodeWithSelector(DeadlineNotReached.selector, jobId, t.openUntil, t.openUntil));
        market.expire(t);
    }

    function test_expire_revertsIfAuctionWithinAcceptWindow() public {
        (bytes32 jobId, JobTerms memory t) = _post(_params(JobMode.Auction));
        uint256 closesAt = uint256(t.openUntil) + 1 days;
        vm.warp(uint256(t.openUntil) + 1);
        vm.expectRevert(abi.encodeWithSelector(DeadlineNotReached.selector, jobId, closesAt, uint256(t.openUntil) + 1));
        market.expire(t);

        vm.warp(closesAt);
        vm.expectRevert(abi.encodeWithSelector(DeadlineNotReached.selector, jobId, closesAt, closesAt));
        market.expire(t);
    }

    function test_expire_revertsIfJobNotFound() public {
        (, JobTerms memory t) = _post(_params(JobMode.Claim));
        t.salt = 1;
        vm.warp(uint256(t.openUntil) + 1);
        _expectJobNotFound(t);
        market.expire(t);
    }

    function test_expire_revertsIfAssigned() public {
        (bytes32 jobId, JobTerms memory t) = _claimedWith(_params(JobMode.Claim));
        vm.warp(uint256(t.openUntil) + 1);
        _expectUnexpectedStatus(jobId, JobStatus.Open, JobStatus.Assigned);
        market.expire(t);
    }

    function test_expire_revertsIfExpiredAlready() public {
        (bytes32 jobId, JobTerms memory t) = _post(_params(JobMode.Claim));
        vm.warp(uint256(t.openUntil) + 1);
        market.expire(t);
        _expectUnexpectedStatus(jobId, JobStatus.Open, JobStatus.Closed);
        market.expire(t);
    }

    function test_expire_revertsIfCancelled() public {
        (bytes32 jobId, JobTerms memory t) = _post(_params(JobMode.Claim));
        _cancel(client, t);
        vm.warp(uint256(t.openUntil) + 1);
        _expectUnexpectedStatus(jobId, JobStatus.Open, JobStatus.Closed);
        market.expire(t);
    }
}
