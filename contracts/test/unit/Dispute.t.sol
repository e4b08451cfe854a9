// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {MarketFixture} from "../utils/MarketFixture.sol";
import {CloseReason, JobMode, JobParams, JobStatus, JobTerms} from "../../src/interfaces/ILoomTypes.sol";

/// @notice dispute, submitEvidence, resolveDispute and settleTimedOutDispute.
contract DisputeTest is MarketFixture {
    /// @dev The result is submitted at START, so the challenge window ends at START + 1 day.
    uint256 internal constant CHALLENGE_DEADLINE = START + 1 days;
    /// @dev The helpers dispute at START, so arbitration ends at START + 7 days.
    uint256 internal constant ARBITRATION_DEADLINE = START + 7 days;

    function _resolve(address who, JobTerms memory t, uint96 workerAmount, uint96 slash) internal {
        vm.prank(who);
        market.resolveDispute(t, workerAmount, slash);
    }

    function _customArbiter() internal returns (address custom) {
        custom = makeAddr("custom arbiter");
        vm.prank(owner);
        market.setArbiter(custom, true);
    }

    // ---- dispute ----

    function test_dispute_opensArbitration() public {
        (bytes32 jobId, JobTerms memory t) = _submittedWith(_params(JobMode.Claim));
        vm.warp(START + 1 hours);
        vm.prank(client);
        market.dispute(t, "output is empty");

        _assertJob(jobId, worker, JobStatus.Disputed, CloseReason.None, START + 1 hours + 7 days);
        _assertStake(worker, 1 ether, 0.1 ether);
        _assertCredits(address(0), 0, 0, 0);
    }

    function test_dispute_emitsJobDisputed() public {
        (bytes32 jobId, JobTerms memory t) = _submittedWith(_params(JobMode.Claim));
        vm.warp(START + 1 hours);
        vm.expectEmit(true, true, true, true, address(market));
        emit JobDisputed(jobId, client, "output is empty", uint40(START + 1 hours + 7 days));
        vm.prank(client);
        market.dispute(t, "output is empty");
    }

    function test_dispute_worksAtChallengeDeadline() public {
        (bytes32 jobId, JobTerms memory t) = _submittedWith(_params(JobMode.Claim));
        vm.warp(CHALLENGE_DEADLINE);
        vm.prank(client);
        market.dispute(t, "");
        _assertJob(jobId, worker, JobStatus.Disputed, CloseReason.None, CHALLENGE_DEADLINE + 7 days);
    }

    function test_dispute_acceptsReasonOfMaxLength() public {
        (bytes32 jobId, JobTerms memory t) = _submittedWith(_params(JobMode.Claim));
        string memory reason = string(new bytes(1024));
        vm.expectEmit(true, true, true, true, address(market));
        emit JobDisputed(jobId, client, reason, uint40(ARBITRATION_DEADLINE));
        vm.prank(client);
        market.dispute(t, reason);
    }

    function test_dispute_revertsIfJobNotFound() public {
        (, JobTerms memory t) = _submittedWith(_params(JobMode.Claim));
        t.salt = 1;
        _expectJobNotFound(t);
        vm.prank(client);
        market.dispute(t, "output is empty");
    }

    function test_dispute_revertsIfAssigned() public {
        (bytes32 jobId, JobTerms memory t) = _claimedWith(_params(JobMode.Claim));
        _expectUnexpectedStatus(jobId, JobStatus.Submitted, JobStatus.Assigned);
        vm.prank(client);
        market.dispute(t, "output is empty");
    }

    function test_dispute_revertsIfDisputedAlready() public {
        (bytes32 jobId, JobTerms memory t) = _disputedWith(_params(JobMode.Claim));
        _expectUnexpectedStatus(jobId, JobStatus.Submitted, JobStatus.Disputed);
        vm.prank(client);
        market.dispute(t, "again");
    }

    function test_dispute_revertsIfReleased() public {
        (bytes32 jobId, JobTerms memory t) = _submittedWith(_params(JobMode.Claim));
        vm.prank(client);
        market.release(t);
        _expectUnexpectedStatus(jobId, JobStatus.Submitted, JobStatus.Closed);
        vm.prank(client);
        market.dispute(t, "output is empty");
    }

    function test_dispute_revertsIfNotClient() public {
        (bytes32 jobId, JobTerms memory t) = _submittedWith(_params(JobMode.Claim));
        vm.expectRevert(abi.encodeWithSelector(NotClient.selector, jobId, worker));
        vm.prank(worker);
        market.dispute(t, "output is empty");
        vm.expectRevert(abi.encodeWithSelector(NotClient.selector, jobId, arbiter));
        vm.prank(arbiter);
        market.dispute(t, "output is empty");
    }

    function test_dispute_revertsIfDeadlinePassed() public {
        (bytes32 jobId, JobTerms memory t) = _submittedWith(_params(JobMode.Claim));
        vm.warp(CHALLENGE_DEADLINE + 1);
        vm.expectRevert(
            abi.encodeWithSelector(DeadlinePassed.selector, jobId, CHALLENGE_DEADLINE, CHALLENGE_DEADLINE + 1)
        );
        vm.prank(client);
        market.dispute(t, "output is empty");
    }

    function test_dispute_revertsIfReasonTooLong() public {
        (, JobTerms memory t) = _submittedWith(_params(JobMode.Claim));
        vm.expectRevert(abi.encodeWithSelector(TextTooLong.selector, 1025, 1024));
        vm.prank(client);
        market.dispute(t, string(new bytes(1025)));
    }

    // ---- submitEvidence ----

    function test_submitEvidence_byClient() public {
        (bytes32 jobId, JobTerms memory t) = _disputedWith(_params(JobMode.Claim));
        vm.expectEmit(true, true, true, true, address(market));
        emit EvidenceSubmitted(jobId, client, "ipfs://client-evidence");
        vm.prank(client);
        market.submitEvidence(t, "ipfs://client-evidence");
        _assertJob(jobId, worker, JobStatus.Disputed, CloseReason.None, ARBITRATION_DEADLINE);
    }

    function test_submitEvidence_byWorker() public {
        (bytes32 jobId, JobTerms memory t) = _disputedWith(_params(JobMode.Claim));
        vm.expectEmit(true, true, true, true, address(market));
        emit EvidenceSubmitted(jobId, worker, "ipfs://worker-evidence");
        vm.prank(worker);
        market.submitEvidence(t, "ipfs://worker-evidence");
        _assertJob(jobId, worker, JobStatus.Disputed, CloseReason.None, ARBITRATION_DEADLINE);
    }

    function test_submitEvidence_acceptsEvidenceOfMaxLength() public {
        (bytes32 jobId, JobTerms memory t) = _disputedWith(_params(JobMode.Claim));
        string memory evidence = string(new bytes(1024));
        vm.expectEmit(true, true, true, true, address(market));
        emit EvidenceSubmitted(jobId, worker, evidence);
        vm.prank(worker);
        market.submitEvidence(t, evidence);
    }

    function test_submitEvidence_revertsIfNotParty() public {
        (bytes32 jobId, JobTerms memory t) = _disputedWith(_params(JobMode.Claim));
        vm.expectRevert(abi.encodeWithSelector(NotParty.selector, jobId, stranger));
        vm.prank(stranger);
        market.submitEvidence(t, "ipfs://evidence");
        vm.expectRevert(abi.encodeWithSelector(NotParty.selector, jobId, arbiter));
        vm.prank(arbiter);
        market.submitEvidence(t, "ipfs://evidence");
    }

    function test_submitEvidence_revertsIfEvidenceTooLong() public {
        (, JobTerms memory t) = _disputedWith(_params(JobMode.Claim));
        vm.expectRevert(abi.encodeWithSelector(TextTooLong.selector, 1025, 1024));
        vm.prank(client);
        market.submitEvidence(t, string(new bytes(1025)));
    }

    function test_submitEvidence_revertsIfJobNotFound() public {
        (, JobTerms memory t) = _disputedWith(_params(JobMode.Claim));
        t.salt = 1;
        _expectJobNotFound(t);
        vm.prank(client);
        market.submitEvidence(t, "ipfs://evidence");
    }

    function test_submitEvidence_revertsIfNotDisputed() public {
        (bytes32 jobId, JobTerms memory t) = _submittedWith(_params(JobMode.Claim));
        _expectUnexpectedStatus(jobId, JobStatus.Disputed, JobStatus.Submitted);
        vm.prank(client);
        market.submitEvidence(t, "ipfs://evidence");
    }

    function test_submitEvidence_revertsIfResolved() public {
        (bytes32 jobId, JobTerms memory t) = _disputedWith(_params(JobMode.Claim));
        _resolve(arbiter, t, 0, 0);
        _expectUnexpectedStatus(jobId, JobStatus.Disputed, JobStatus.Closed);
        vm.prank(worker);
        market.submitEvidence(t, "ipfs://evidence");
    }

    // ---- resolveDispute ----

    function test_resolveDispute_splitsPriceAndSlashes() public {
        (bytes32 jobId, JobTerms memory t) = _disputedWith(_params(JobMode.Claim));
        _resolve(arbiter, t, 0.4 ether, 0.05 ether);

        _assertJob(jobId, worker, JobStatus.Closed, CloseReason.DisputeResolved, 0);
        // Client: 0.6 ETH of the price and 0.05 ETH of slashed collateral.
        _assertCredits(address(0), 0.65 ether, 0.396 ether, 0.004 ether);
        _assertStake(worker, 0.95 ether, 0);
        assertEq(market.credits(address(0), arbiter), 0);
    }

    function test_resolveDispute_emitsJobClosed() public {
        (bytes32 jobId, JobTerms memory t) = _disputedWith(_params(JobMode.Claim));
        vm.expectEmit(true, true, true, true, address(market));
        emit JobClosed(jobId, CloseReason.DisputeResolved, worker, 0.396 ether, 0.004 ether, 0.6 ether, 0.05 ether);
        _resolve(arbiter, t, 0.4 ether, 0.05 ether);
    }

    function test_resolveDispute_creditsUsdcAndSlashesInEth() public {
        (bytes32 jobId, JobTerms memory t) = _disputedWith(_usdcParams(JobMode.Claim));
        vm.expectEmit(true, true, true, true, address(market));
        emit JobClosed(jobId, CloseReason.DisputeResolved, worker, 396e6, 4e6, 600e6, 0.05 ether);
        _resolve(arbiter, t, 400e6, 0.05 ether);

        _assertCredits(address(usdc), 600e6, 396e6, 4e6);
        _assertCredits(address(0), 0.05 ether, 0, 0);
        _assertStake(worker, 0.95 ether, 0);
    }

    function test_resolveDispute_allToWorkerWithoutSlash() public {
        (bytes32 jobId, JobTerms memory t) = _disputedWith(_params(JobMode.Claim));
        vm.expectEmit(true, true, true, true, address(market));
        emit JobClosed(jobId, CloseReason.DisputeResolved, worker, 0.99 ether, 0.01 ether, 0, 0);
        _resolve(arbiter, t, 1 ether, 0);
        _assertCredits(address(0), 0, 0.99 ether, 0.01 ether);
        _assertStake(worker, 1 ether, 0);
    }

    function test_resolveDispute_allToClientWithWholeCollateral() public {
        (bytes32 jobId, JobTerms memory t) = _disputedWith(_params(JobMode.Claim));
        vm.expectEmit(true, true, true, true, address(market));
        emit JobClosed(jobId, CloseReason.DisputeResolved, worker, 0, 0, 1 ether, 0.1 ether);
        _resolve(arbiter, t, 0, 0.1 ether);
        _assertCredits(address(0), 1.1 ether, 0, 0);
        _assertStake(worker, 0.9 ether, 0);
    }

    function test_resolveDispute_splitsAcceptedBidPrice() public {
        (bytes32 jobId, JobTerms memory t) = _acceptedWith(_params(JobMode.Auction), 0.6 ether);
        _submitFor(t);
        _disputeFor(t);
        vm.expectEmit(true, true, true, true, address(market));
        emit JobClosed(jobId, CloseReason.DisputeResolved, worker, 0.297 ether, 0.003 ether, 0.3 ether, 0);
        _resolve(arbiter, t, 0.3 ether, 0);
        // 0.4 ETH unused budget at acceptBid plus 0.3 ETH of the price.
        _assertCredits(address(0), 0.7 ether, 0.297 ether, 0.003 ether);
    }

    function test_resolveDispute_usesFeeFixedAtPosting() public {
        (bytes32 jobId, JobTerms memory t) = _disputedWith(_params(JobMode.Claim));
        vm.prank(owner);
        market.setFee(1_000);
        vm.expectEmit(true, true, true, true, address(market));
        emit JobClosed(jobId, CloseReason.DisputeResolved, worker, 0.396 ether, 0.004 ether, 0.6 ether, 0);
        _resolve(arbiter, t, 0.4 ether, 0);
    }

    function test_resolveDispute_worksAtArbitrationDeadline() public {
        (bytes32 jobId, JobTerms memory t) = _disputedWith(_params(JobMode.Claim));
        vm.warp(ARBITRATION_DEADLINE);
        _resolve(arbiter, t, 0.5 ether, 0);
        _assertJob(jobId, worker, JobStatus.Closed, CloseReason.DisputeResolved, 0);
    }

    function test_resolveDispute_byCustomArbiterOnly() public {
        address custom = _customArbiter();
        JobParams memory p = _params(JobMode.Claim);
        p.arbiter = custom;
        (bytes32 jobId, JobTerms memory t) = _disputedWith(p);

        vm.expectRevert(abi.encodeWithSelector(NotArbiter.selector, jobId, arbiter));
        _resolve(arbiter, t, 0.5 ether, 0);

        vm.expectEmit(true, true, true, true, address(market));
        emit JobClosed(jobId, CloseReason.DisputeResolved, worker, 0.495 ether, 0.005 ether, 0.5 ether, 0);
        _resolve(custom, t, 0.5 ether, 0);
        _assertJob(jobId, worker, JobStatus.Closed, CloseReason.DisputeResolved, 0);
    }

    function test_resolveDispute_keepsArbiterRemovedFromAllowList() public {
        address custom = _customArbiter();
        JobParams memory p = _params(JobMode.Claim);
        p.arbiter = custom;
        (bytes32 jobId, JobTerms memory t) = _disputedWith(p);
        vm.prank(owner);
        market.setArbiter(custom, false);

        _resolve(custom, t, 0.5 ether, 0);
        _assertJob(jobId, worker, JobStatus.Closed, CloseReason.DisputeResolved, 0);
    }

    function test_resolveDispute_keepsDefaultArbiterAtPosting() public {
        (bytes32 jobId, JobTerms memory t) = _disputedWith(_params(JobMode.Claim));
        address custom = _customArbiter();
        vm.prank(owner);
        market.setDefaultArbiter(custom);

        vm.expectRevert(abi.encodeWithSelector(NotArbiter.selector, jobId, custom));
        _resolve(custom, t, 0.5 ether, 0);
        _resolve(arbiter, t, 0.5 ether, 0);
        _assertJob(jobId, worker, JobStatus.Closed, CloseReason.DisputeResolved, 0);
    }

    function test_resolveDispute_closesForGood() public {
        (bytes32 jobId, JobTerms memory t) = _disputedWith(_params(JobMode.Claim));
        _resolve(arbiter, t, 0.4 ether, 0.05 ether);
        _assertClosedForGood(jobId, t);
    }

    function test_resolveDispute_revertsIfNotArbiter() public {
        (bytes32 jobId, JobTerms memory t) = _disputedWith(_params(JobMode.Claim));
        vm.expectRevert(abi.encodeWithSelector(NotArbiter.selector, jobId, client));
        _resolve(client, t, 0, 0.1 ether);
        vm.expectRevert(abi.encodeWithSelector(NotArbiter.selector, jobId, worker));
        _resolve(worker, t, 1 ether, 0);
        vm.expectRevert(abi.encodeWithSelector(NotArbiter.selector, jobId, owner));
        _resolve(owner, t, 1 ether, 0);
    }

    function test_resolveDispute_revertsIfDeadlinePassed() public {
        (bytes32 jobId, JobTerms memory t) = _disputedWith(_params(JobMode.Claim));
        vm.warp(ARBITRATION_DEADLINE + 1);
        vm.expectRevert(
            abi.encodeWithSelector(DeadlinePassed.selector, jobId, ARBITRATION_DEADLINE, ARBITRATION_DEADLINE + 1)
        );
        _resolve(arbiter, t, 0.5 ether, 0);
    }

    function test_resolveDispute_revertsIfWorkerAmountAbovePrice() public {
        (, JobTerms memory t) = _disputedWith(_params(JobMode.Claim));
        vm.expectRevert(abi.encodeWithSelector(InvalidRuling.selector, 1 ether + 1, 1 ether, 0, 0.1 ether));
        _resolve(arbiter, t, 1 ether + 1, 0);
    }

    function test_resolveDispute_revertsIfWorkerAmountAboveAcceptedBid() public {
        (, JobTerms memory t) = _acceptedWith(_params(JobMode.Auction), 0.6 ether);
        _submitFor(t);
        _disputeFor(t);
        vm.expectRevert(abi.encodeWithSelector(InvalidRuling.selector, 0.6 ether + 1, 0.6 ether, 0, 0.1 ether));
        _resolve(arbiter, t, 0.6 ether + 1, 0);
    }

    function test_resolveDispute_revertsIfSlashAboveCollateral() public {
        (, JobTerms memory t) = _disputedWith(_params(JobMode.Claim));
        vm.expectRevert(abi.encodeWithSelector(InvalidRuling.selector, 0, 1 ether, 0.1 ether + 1, 0.1 ether));
        _resolve(arbiter, t, 0, 0.1 ether + 1);
    }

    function test_resolveDispute_revertsIfJobNotFound() public {
        (, JobTerms memory t) = _disputedWith(_params(JobMode.Claim));
        t.salt = 1;
        _expectJobNotFound(t);
        _resolve(arbiter, t, 0, 0);
    }

    function test_resolveDispute_revertsIfNotDisputed() public {
        (bytes32 jobId, JobTerms memory t) = _submittedWith(_params(JobMode.Claim));
        _expectUnexpectedStatus(jobId, JobStatus.Disputed, JobStatus.Submitted);
        _resolve(arbiter, t, 0, 0);
    }

    function test_resolveDispute_revertsIfResolvedAlready() public {
        (bytes32 jobId, JobTerms memory t) = _disputedWith(_params(JobMode.Claim));
        _resolve(arbiter, t, 0.4 ether, 0);
        _expectUnexpectedStatus(jobId, JobStatus.Disputed, JobStatus.Closed);
        _resolve(arbiter, t, 0.4 ether, 0);
    }

    // ---- settleTimedOutDispute ----

    function test_settleTimedOutDispute_splitsInHalfWithoutSlash() public {
        JobParams memory p = _params(JobMode.Claim);
        p.budget = 1 ether + 1; // the odd wei goes to the client
        (bytes32 jobId, JobTerms memory t) = _disputedWith(p);
        vm.warp(ARBITRATION_DEADLINE + 1);
        vm.prank(stranger);
        market.settleTimedOutDispute(t);

        _assertJob(jobId, worker, JobStatus.Closed, CloseReason.ArbitrationTimedOut, 0);
        _assertCredits(address(0), 0.5 ether + 1, 0.495 ether, 0.005 ether);
        _assertStake(worker, 1 ether, 0);
        assertEq(market.credits(address(0), stranger), 0);
    }

    function test_settleTimedOutDispute_emitsJobClosed() public {
        JobParams memory p = _params(JobMode.Claim);
        p.budget = 1 ether + 1;
        (bytes32 jobId, JobTerms memory t) = _disputedWith(p);
        vm.warp(ARBITRATION_DEADLINE + 1);
        vm.expectEmit(true, true, true, true, address(market));
        emit JobClosed(jobId, CloseReason.ArbitrationTimedOut, worker, 0.495 ether, 0.005 ether, 0.5 ether + 1, 0);
        market.settleTimedOutDispute(t);
    }

    function test_settleTimedOutDispute_splitsUsdc() public {
        JobParams memory p = _usdcParams(JobMode.Claim);
        p.budget = 1_000e6 + 1;
        (bytes32 jobId, JobTerms memory t) = _disputedWith(p);
        vm.warp(ARBITRATION_DEADLINE + 1);
        vm.expectEmit(true, true, true, true, address(market));
        emit JobClosed(jobId, CloseReason.ArbitrationTimedOut, worker, 495e6, 5e6, 500e6 + 1, 0);
        market.settleTimedOutDispute(t);

        _assertCredits(address(usdc), 500e6 + 1, 495e6, 5e6);
        _assertCredits(address(0), 0, 0, 0);
        _assertStake(worker, 1 ether, 0);
    }

    function test_settleTimedOutDispute_splitsAcceptedBidPrice() public {
        (bytes32 jobId, JobTerms memory t) = _acceptedWith(_params(JobMode.Auction), 0.6 ether);
        _submitFor(t);
        _disputeFor(t);
        vm.warp(ARBITRATION_DEADLINE + 1);
        vm.expectEmit(true, true, true, true, address(market));
        emit JobClosed(jobId, CloseReason.ArbitrationTimedOut, worker, 0.297 ether, 0.003 ether, 0.3 ether, 0);
        market.settleTimedOutDispute(t);
        _assertCredits(address(0), 0.7 ether, 0.297 ether, 0.003 ether);
    }

    function test_settleTimedOutDispute_closesForGood() public {
        (bytes32 jobId, JobTerms memory t) = _disputedWith(_params(JobMode.Claim));
        vm.warp(ARBITRATION_DEADLINE + 1);
        market.settleTimedOutDispute(t);
        _assertClosedForGood(jobId, t);
    }

    function test_settleTimedOutDispute_revertsIfDeadlineNotReached() public {
        (bytes32 jobId, JobTerms memory t) = _disputedWith(_params(JobMode.Claim));
        vm.warp(ARBITRATION_DEADLINE);
        vm.expectRevert(
            abi.encodeWithSelector(DeadlineNotReached.selector, jobId, ARBITRATION_DEADLINE, ARBITRATION_DEADLINE)
        );
        market.settleTimedOutDispute(t);
    }

    function test_settleTimedOutDispute_revertsIfJobNotFound() public {
        (, JobTerms memory t) = _disputedWith(_params(JobMode.Claim));
        t.salt = 1;
        vm.warp(ARBITRATION_DEADLINE + 1);
        _expectJobNotFound(t);
        market.settleTimedOutDispute(t);
    }

    function test_settleTimedOutDispute_revertsIfNotDisputed() public {
        (bytes32 jobId, JobTerms memory t) = _submittedWith(_params(JobMode.Claim));
        vm.warp(ARBITRATION_DEADLINE + 1);
        _expectUnexpectedStatus(jobId, JobStatus.Disputed, JobStatus.Submitted);
        market.settleTimedOutDispute(t);
    }

    function test_settleTimedOutDispute_revertsIfResolved() public {
        (bytes32 jobId, JobTerms memory t) = _disputedWith(_params(JobMode.Claim));
        _resolve(arbiter, t, 0.4 ether, 0);
        vm.warp(ARBITRATION_DEADLINE + 1);
        _expectUnexpectedStatus(jobId, JobStatus.Disputed, JobStatus.Closed);
        market.settleTimedOutDispute(t);
    }
}
