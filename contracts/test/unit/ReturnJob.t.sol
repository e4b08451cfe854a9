// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {MarketFixture} from "../utils/MarketFixture.sol";
import {CloseReason, JobMode, JobStatus, JobTerms} from "../../src/interfaces/ILoomTypes.sol";

/// @notice returnJob: the assigned worker hands the job back before its deadline (e.g. the client's
/// sealed inputs never arrived): the client gets the price back, the worker's stake stays whole.
contract ReturnJobTest is MarketFixture {
    /// @dev The helpers assign at START with a 2-hour execution timeout.
    uint256 internal constant EXECUTION_DEADLINE = START + 2 hours;

    function test_returnJob_refundsPriceAndUnlocksCollateralUnslashed() public {
        (bytes32 jobId, JobTerms memory t) = _claimedWith(_params(JobMode.Claim));
        _assertStake(worker, 1 ether, 0.1 ether);
        vm.prank(worker);
        market.returnJob(t);

        _assertJob(jobId, worker, JobStatus.Closed, CloseReason.Returned, 0);
        _assertCredits(address(0), 1 ether, 0, 0);
        _assertStake(worker, 1 ether, 0);
        assertEq(registry.lockedBy(address(market), worker), 0, "the market's lock released");
        assertEq(address(registry).balance, 1 ether, "the whole stake stays in the registry");
    }

    function test_returnJob_emitsJobClosedWithoutPayoutFeeOrSlash() public {
        (bytes32 jobId, JobTerms memory t) = _claimedWith(_params(JobMode.Claim));
        vm.expectEmit(true, true, true, true, address(market));
        emit JobClosed(jobId, CloseReason.Returned, worker, 0, 0, 1 ether, 0);
        vm.prank(worker);
        market.returnJob(t);
    }

    function test_returnJob_refundsAcceptedBidPrice() public {
        (bytes32 jobId, JobTerms memory t) = _acceptedWith(_params(JobMode.Auction), 0.6 ether);
        vm.expectEmit(true, true, true, true, address(market));
        emit JobClosed(jobId, CloseReason.Returned, worker, 0, 0, 0.6 ether, 0);
        vm.prank(worker);
        market.returnJob(t);
        // 0.4 ETH unused budget at acceptBid, the 0.6 ETH price now: the whole budget.
        _assertCredits(address(0), 1 ether, 0, 0);
        _assertStake(worker, 1 ether, 0);
    }

    function test_returnJob_refundsUsdc() public {
        (, JobTerms memory t) = _claimedWith(_usdcParams(JobMode.Claim));
        vm.prank(worker);
        market.returnJob(t);
        _assertCredits(address(usdc), 1_000e6, 0, 0);
        _assertCredits(address(0), 0, 0, 0);
        _assertStake(worker, 1 ether, 0);
    }

    function test_returnJob_allowedAtTheDeadline() public {
        (bytes32 jobId, JobTerms memory t) = _claimedWith(_params(JobMode.Claim));
        vm.warp(EXECUTION_DEADLINE);
        vm.prank(worker);
        market.returnJob(t);
        _assertJob(jobId, worker, JobStatus.Closed, CloseReason.Returned, 0);
    }

    function test_returnJob_closesForGood() public {
        (bytes32 jobId, JobTerms memory t) = _claimedWith(_params(JobMode.Claim));
        vm.prank(worker);
        market.returnJob(t);
        _assertClosedForGood(jobId, t);
    }

    function test_returnJob_revertsForAnyoneButTheWorker() public {
        (bytes32 jobId, JobTerms memory t) = _claimedWith(_params(JobMode.Claim));
        address[3] memory others = [client, stranger, worker2];
        for (uint256 i; i < others.length; i++) {
            vm.expectRevert(abi.encodeWithSelector(NotAssignedWorker.selector, jobId, others[i]));
            vm.prank(others[i]);
            market.returnJob(t);
        }
        _assertJob(jobId, worker, JobStatus.Assigned, CloseReason.None, EXECUTION_DEADLINE);
    }

    function test_returnJob_revertsAfterTheDeadline() public {
        (bytes32 jobId, JobTerms memory t) = _claimedWith(_params(JobMode.Claim));
        vm.warp(EXECUTION_DEADLINE + 1);
        vm.expectRevert(
            abi.encodeWithSelector(DeadlinePassed.selector, jobId, EXECUTION_DEADLINE, EXECUTION_DEADLINE + 1)
        );
        vm.prank(worker);
        market.returnJob(t);
        // Past the deadline the job is the client's to reclaim, as before.
        market.reclaim(t);
        _assertJob(jobId, worker, JobStatus.Closed, CloseReason.Reclaimed, 0);
    }

    function test_returnJob_revertsIfOpen() public {
        _register(worker, 1 ether);
        (bytes32 jobId, JobTerms memory t) = _post(_params(JobMode.Claim));
        _expectUnexpectedStatus(jobId, JobStatus.Assigned, JobStatus.Open);
        vm.prank(worker);
        market.returnJob(t);
    }

    function test_returnJob_revertsIfSubmitted() public {
        (bytes32 jobId, JobTerms memory t) = _claimedWith(_params(JobMode.Claim));
        _submitFor(t);
        _expectUnexpectedStatus(jobId, JobStatus.Assigned, JobStatus.Submitted);
        vm.prank(worker);
        market.returnJob(t);
    }

    function test_returnJob_revertsIfReturnedAlready() public {
        (bytes32 jobId, JobTerms memory t) = _claimedWith(_params(JobMode.Claim));
        vm.prank(worker);
        market.returnJob(t);
        _expectUnexpectedStatus(jobId, JobStatus.Assigned, JobStatus.Closed);
        vm.prank(worker);
        market.returnJob(t);
    }

    function test_returnJob_revertsIfJobNotFound() public {
        (, JobTerms memory t) = _claimedWith(_params(JobMode.Claim));
        t.salt = 1;
        _expectJobNotFound(t);
        vm.prank(worker);
        market.returnJob(t);
    }
}
