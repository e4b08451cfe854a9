// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {MarketFixture} from "../utils/MarketFixture.sol";
import {CloseReason, JobMode, JobParams, JobStatus, JobTerms} from "../../src/interfaces/ILoomTypes.sol";

contract ReleaseTest is MarketFixture {
    /// @dev Submitted at START, so the challenge window ends at START + 1 day.
    uint256 internal constant CHALLENGE_DEADLINE = START + 1 days;

    function _release(address who, JobTerms memory t) internal {
        vm.prank(who);
        market.release(t);
    }

    /// @dev The client releases; the market emits JobClosed paying `toWorker` and `fee`, and credits them.
    function _releaseExpectingPay(bytes32 jobId, JobTerms memory t, uint96 toWorker, uint96 fee) internal {
        vm.expectEmit(true, true, true, true, address(market));
        emit JobClosed(jobId, CloseReason.Completed, worker, toWorker, fee, 0, 0);
        _release(client, t);
        _assertCredits(address(0), 0, toWorker, fee);
    }

    function test_release_byClientPaysWorkerMinusFee() public {
        (bytes32 jobId, JobTerms memory t) = _submittedWith(_params(JobMode.Claim));
        _release(client, t);

        _assertJob(jobId, worker, JobStatus.Closed, CloseReason.Completed, 0);
        _assertCredits(address(0), 0, 0.99 ether, 0.01 ether);
        _assertStake(worker, 1 ether, 0);
        assertEq(address(market).balance, 1 ether, "payouts wait to be withdrawn");
        assertEq(address(registry).balance, 1 ether, "the stake stays whole in the registry");
        assertEq(registry.lockedBy(address(market), worker), 0, "the market's lock released");
    }

    function test_release_emitsJobClosed() public {
        (bytes32 jobId, JobTerms memory t) = _submittedWith(_params(JobMode.Claim));
        vm.expectEmit(true, true, true, true, address(market));
        emit JobClosed(jobId, CloseReason.Completed, worker, 0.99 ether, 0.01 ether, 0, 0);
        _release(client, t);
    }

    function test_release_byClientBeforeChallengeWindowEnds() public {
        (bytes32 jobId, JobTerms memory t) = _submittedWith(_params(JobMode.Claim));
        vm.warp(CHALLENGE_DEADLINE - 1);
        _release(client, t);
        _assertJob(jobId, worker, JobStatus.Closed, CloseReason.Completed, 0);
    }

    function test_release_byAnyoneAfterChallengeWindow() public {
        (bytes32 jobId, JobTerms memory t) = _submittedWith(_params(JobMode.Claim));
        vm.warp(CHALLENGE_DEADLINE + 1);
        vm.expectEmit(true, true, true, true, address(market));
        emit JobClosed(jobId, CloseReason.Completed, worker, 0.99 ether, 0.01 ether, 0, 0);
        _release(stranger, t);

        _assertJob(jobId, worker, JobStatus.Closed, CloseReason.Completed, 0);
        _assertCredits(address(0), 0, 0.99 ether, 0.01 ether);
        assertEq(market.credits(address(0), stranger), 0);
        _assertStake(worker, 1 ether, 0);
    }

    function test_release_byWorkerAfterChallengeWindow() public {
        (bytes32 jobId, JobTerms memory t) = _submittedWith(_params(JobMode.Claim));
        vm.warp(CHALLENGE_DEADLINE + 1);
        _release(worker, t);
        _assertJob(jobId, worker, JobStatus.Closed, CloseReason.Completed, 0);
    }

    function test_release_paysInUsdc() public {
        (bytes32 jobId, JobTerms memory t) = _submittedWith(_usdcParams(JobMode.Claim));
        vm.expectEmit(true, true, true, true, address(market));
        emit JobClosed(jobId, CloseReason.Completed, worker, 990e6, 10e6, 0, 0);
        _release(client, t);

        _assertCredits(address(usdc), 0, 990e6, 10e6);
        _assertCredits(address(0), 0, 0, 0);
        _assertStake(worker, 1 ether, 0);
    }

    function test_release_paysAcceptedBidPrice() public {
        (bytes32 jobId, JobTerms memory t) = _acceptedWith(_params(JobMode.Auction), 0.6 ether);
        _submitFor(t);
        vm.expectEmit(true, true, true, true, address(market));
        emit JobClosed(jobId, CloseReason.Completed, worker, 0.594 ether, 0.006 ether, 0, 0);
        _release(client, t);

        // The client got the unused 0.4 ETH at acceptBid; release adds nothing.
        _assertCredits(address(0), 0.4 ether, 0.594 ether, 0.006 ether);
        _assertStake(worker, 1 ether, 0);
    }

    function test_release_paysAcceptedUsdcBidPrice() public {
        (bytes32 jobId, JobTerms memory t) = _acceptedWith(_usdcParams(JobMode.Auction), 600e6);
        _submitFor(t);
        vm.expectEmit(true, true, true, true, address(market));
        emit JobClosed(jobId, CloseReason.Completed, worker, 594e6, 6e6, 0, 0);
        _release(client, t);
        _assertCredits(address(usdc), 400e6, 594e6, 6e6);
    }

    function test_release_usesFeeFixedAtPosting() public {
        (bytes32 jobId, JobTerms memory t) = _submittedWith(_params(JobMode.Claim));
        vm.prank(owner);
        market.setFee(1_000);
        _releaseExpectingPay(jobId, t, 0.99 ether, 0.01 ether);
    }

    function test_release_usesNewFeeForJobsPostedAfterChange() public {
        vm.prank(owner);
        market.setFee(1_000);
        (bytes32 jobId, JobTerms memory t) = _submittedWith(_params(JobMode.Claim));
        assertEq(t.feeBps, 1_000);
        _releaseExpectingPay(jobId, t, 0.9 ether, 0.1 ether);
    }

    function test_release_withZeroFeeCreditsNoTreasury() public {
        vm.prank(owner);
        market.setFee(0);
        (bytes32 jobId, JobTerms memory t) = _submittedWith(_params(JobMode.Claim));
        _releaseExpectingPay(jobId, t, 1 ether, 0);
    }

    function test_release_roundsFeeDown() public {
        JobParams memory p = _params(JobMode.Claim);
        p.budget = 199; // 1% of 199 wei is 1.99 wei
        (bytes32 jobId, JobTerms memory t) = _submittedWith(p);
        vm.expectEmit(true, true, true, true, address(market));
        emit JobClosed(jobId, CloseReason.Completed, worker, 198, 1, 0, 0);
        _release(client, t);
    }

    function test_release_withoutCollateralKeepsStake() public {
        JobParams memory p = _params(JobMode.Claim);
        p.collateral = 0;
        (bytes32 jobId, JobTerms memory t) = _submittedWith(p);
        _release(client, t);
        _assertJob(jobId, worker, JobStatus.Closed, CloseReason.Completed, 0);
        _assertStake(worker, 1 ether, 0);
    }

    function test_release_closesForGood() public {
        (bytes32 jobId, JobTerms memory t) = _submittedWith(_params(JobMode.Claim));
        _release(client, t);
        _assertClosedForGood(jobId, t);
    }

    function test_release_revertsIfStrangerAtChallengeDeadline() public {
        (bytes32 jobId, JobTerms memory t) = _submittedWith(_params(JobMode.Claim));
        vm.warp(CHALLENGE_DEADLINE);
        vm.expectRevert(
            abi.encodeWithSelector(DeadlineNotReached.selector, jobId, CHALLENGE_DEADLINE, CHALLENGE_DEADLINE)
        );
        _release(stranger, t);
    }

    function test_release_revertsIfWorkerBeforeChallengeDeadline() public {
        (bytes32 jobId, JobTerms memory t) = _submittedWith(_params(JobMode.Claim));
        vm.expectRevert(abi.encodeWithSelector(DeadlineNotReached.selector, jobId, CHALLENGE_DEADLINE, START));
        _release(worker, t);
    }

    function test_release_revertsIfJobNotFound() public {
        (, JobTerms memory t) = _submittedWith(_params(JobMode.Claim));
        t.salt = 1;
        _expectJobNotFound(t);
        _release(client, t);
    }

    function test_release_revertsIfOpen() public {
        (bytes32 jobId, JobTerms memory t) = _post(_params(JobMode.Claim));
        _expectUnexpectedStatus(jobId, JobStatus.Submitted, JobStatus.Open);
        _release(client, t);
    }

    function test_release_revertsIfAssigned() public {
        (bytes32 jobId, JobTerms memory t) = _claimedWith(_params(JobMode.Claim));
        _expectUnexpectedStatus(jobId, JobStatus.Submitted, JobStatus.Assigned);
        _release(client, t);
    }

    function test_release_revertsIfDisputed() public {
        (bytes32 jobId, JobTerms memory t) = _submittedWith(_params(JobMode.Claim));
        _disputeFor(t);
        _expectUnexpectedStatus(jobId, JobStatus.Submitted, JobStatus.Disputed);
        _release(client, t);
    }

    function test_release_revertsIfReleasedAlready() public {
        (bytes32 jobId, JobTerms memory t) = _submittedWith(_params(JobMode.Claim));
        _release(client, t);
        _expectUnexpectedStatus(jobId, JobStatus.Submitted, JobStatus.Closed);
        _release(client, t);
    }
}
