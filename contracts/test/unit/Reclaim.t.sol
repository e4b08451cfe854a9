// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {MarketFixture} from "../utils/MarketFixture.sol";
import {CloseReason, JobMode, JobParams, JobStatus, JobTerms} from "../../src/interfaces/ILoomTypes.sol";

/// @notice reclaim: no result by the execution deadline.
contract ReclaimTest is MarketFixture {
    /// @dev The helpers assign at START with a 2-hour execution timeout.
    uint256 internal constant EXECUTION_DEADLINE = START + 2 hours;

    function test_reclaim_refundsPriceAndSlashesWholeCollateral() public {
        (bytes32 jobId, JobTerms memory t) = _claimedWith(_params(JobMode.Claim));
        vm.warp(EXECUTION_DEADLINE + 1);
        vm.prank(stranger);
        market.reclaim(t);

        _assertJob(jobId, worker, JobStatus.Closed, CloseReason.Reclaimed, 0);
        _assertCredits(address(0), 1.1 ether, 0, 0);
        _assertStake(worker, 0.9 ether, 0);
        assertEq(market.credits(address(0), stranger), 0);
        assertEq(address(market).balance, 1.1 ether, "budget and slashed collateral stay until withdrawn");
        assertEq(address(registry).balance, 0.9 ether, "the registry keeps the rest of the stake");
        assertEq(registry.lockedBy(address(market), worker), 0, "the market's lock released");
    }

    function test_reclaim_emitsJobClosed() public {
        (bytes32 jobId, JobTerms memory t) = _claimedWith(_params(JobMode.Claim));
        vm.warp(EXECUTION_DEADLINE + 1);
        vm.expectEmit(true, true, true, true, address(market));
        emit JobClosed(jobId, CloseReason.Reclaimed, worker, 0, 0, 1 ether, 0.1 ether);
        market.reclaim(t);
    }

    function test_reclaim_refundsUsdcAndSlashesInEth() public {
        (bytes32 jobId, JobTerms memory t) = _claimedWith(_usdcParams(JobMode.Claim));
        vm.warp(EXECUTION_DEADLINE + 1);
        vm.expectEmit(true, true, true, true, address(market));
        emit JobClosed(jobId, CloseReason.Reclaimed, worker, 0, 0, 1_000e6, 0.1 ether);
        market.reclaim(t);

        _assertCredits(address(usdc), 1_000e6, 0, 0);
        _assertCredits(address(0), 0.1 ether, 0, 0);
        _assertStake(worker, 0.9 ether, 0);
    }

    function test_reclaim_refundsAcceptedBidPrice() public {
        (bytes32 jobId, JobTerms memory t) = _acceptedWith(_params(JobMode.Auction), 0.6 ether);
        vm.warp(EXECUTION_DEADLINE + 1);
        vm.expectEmit(true, true, true, true, address(market));
        emit JobClosed(jobId, CloseReason.Reclaimed, worker, 0, 0, 0.6 ether, 0.1 ether);
        market.reclaim(t);
        // 0.4 ETH unused budget at acceptBid, 0.6 ETH price and 0.1 ETH collateral now.
        _assertCredits(address(0), 1.1 ether, 0, 0);
        _assertStake(worker, 0.9 ether, 0);
    }

    function test_reclaim_withoutCollateralSlashesNothing() public {
        JobParams memory p = _params(JobMode.Claim);
        p.collateral = 0;
        (bytes32 jobId, JobTerms memory t) = _claimedWith(p);
        vm.warp(EXECUTION_DEADLINE + 1);
        vm.expectEmit(true, true, true, true, address(market));
        emit JobClosed(jobId, CloseReason.Reclaimed, worker, 0, 0, 1 ether, 0);
        market.reclaim(t);
        _assertCredits(address(0), 1 ether, 0, 0);
        _assertStake(worker, 1 ether, 0);
    }

    function test_reclaim_usesExecutionDeadlineOfAssignment() public {
        _register(worker, 1 ether);
        (bytes32 jobId, JobTerms memory t) = _post(_params(JobMode.Claim));
        vm.warp(START + 30 minutes);
        vm.prank(worker);
        market.claimJob(t);
        uint256 deadline = START + 30 minutes + 2 hours;

        vm.warp(deadline);
        vm.expectRevert(abi.encodeWithSelector(DeadlineNotReached.selector, jobId, deadline, deadline));
        market.reclaim(t);
        vm.warp(deadline + 1);
        market.reclaim(t);
        _assertJob(jobId, worker, JobStatus.Closed, CloseReason.Reclaimed, 0);
    }

    function test_reclaim_closesForGood() public {
        (bytes32 jobId, JobTerms memory t) = _claimedWith(_params(JobMode.Claim));
        vm.warp(EXECUTION_DEADLINE + 1);
        market.reclaim(t);
        _assertClosedForGood(jobId, t);
    }

    function test_reclaim_revertsIfDeadlineNotReached() public {
        (bytes32 jobId, JobTerms memory t) = _claimedWith(_params(JobMode.Claim));
        vm.warp(EXECUTION_DEADLINE);
        vm.expectRevert(
            abi.encodeWithSelector(DeadlineNotReached.selector, jobId, EXECUTION_DEADLINE, EXECUTION_DEADLINE)
        );
        vm.prank(client);
        market.reclaim(t);
    }

    function test_reclaim_revertsIfJobNotFound() public {
        (, JobTerms memory t) = _claimedWith(_params(JobMode.Claim));
        t.salt = 1;
        vm.warp(EXECUTION_DEADLINE + 1);
        _expectJobNotFound(t);
        market.reclaim(t);
    }

    function test_reclaim_revertsIfOpen() public {
        (bytes32 jobId, JobTerms memory t) = _post(_params(JobMode.Claim));
        vm.warp(EXECUTION_DEADLINE + 1);
        _expectUnexpectedStatus(jobId, JobStatus.Assigned, JobStatus.Open);
        market.reclaim(t);
    }

    function test_reclaim_revertsIfSubmitted() public {
        (bytes32 jobId, JobTerms memory t) = _claimedWith(_params(JobMode.Claim));
        _submitFor(t);
        vm.warp(EXECUTION_DEADLINE + 1);
        _expectUnexpectedStatus(jobId, JobStatus.Assigned, JobStatus.Submitted);
        market.reclaim(t);
    }

    function test_reclaim_revertsIfReclaimedAlready() public {
        (bytes32 jobId, JobTerms memory t) = _claimedWith(_params(JobMode.Claim));
        vm.warp(EXECUTION_DEADLINE + 1);
        market.reclaim(t);
        _expectUnexpectedStatus(jobId, JobStatus.Assigned, JobStatus.Closed);
        market.reclaim(t);
    }
}
