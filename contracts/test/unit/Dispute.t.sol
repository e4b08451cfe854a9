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

    function _expectDisputeRefused(address who, JobTerms memory t, bytes memory revertData) internal {
        _expectRefused(who, abi.encodeCall(market.dispute, (t, "output is empty")), revertData);
    }

    function _expectEvidenceRefused(address who, JobTerms memory t, bytes memory revertData) internal {
        _expectRefused(who, abi.encodeCall(market.submitEvidence, (t, "ipfs://evidence")), revertData);
    }

    function _expectResolveRefused(
        address who,
        JobTerms memory t,
        uint96 workerAmount,
        uint96 slash,
        bytes memory revertData
    ) internal {
        _expectRefused(who, abi.encodeCall(market.resolveDispute, (t, workerAmount, slash)), revertData);
    }

    /// @dev The test contract calls, as the tests of this permissionless step always did.
    function _expectSettleRefused(JobTerms memory t, bytes memory revertData) internal {
        _expectRefused(address(this), abi.encodeCall(market.settleTimedOutDispute, (t)), revertData);
    }

    function _customArbiter() internal returns (address custom) {
        custom = makeAddr("custom arbiter");
        vm.prank(owner);
        market.setArbiter(custom, true);
    }

    // ---- dispute ----

    function test_dispute_opensArbitration() public {
        (bytes32 jobId, JobTerms memory t) = _submitted();
        vm.warp(START + 1 hours);
        vm.prank(client);
        market.dispute(t, "output is empty");

        _assertJob(jobId, worker, JobStatus.Disputed, CloseReason.None, START + 1 hours + 7 days);
        _assertStake(worker, 1 ether, 0.1 ether);
        _assertCredits(address(0), 0, 0, 0);
    }

    function test_dispute_emitsJobDisputed() public {
        (bytes32 jobId, JobTerms memory t) = _submitted();
        vm.warp(START + 1 hours);
        vm.expectEmit(true, true, true, true, address(market));
        emit JobDisputed(jobId, client, "output is empty", uint40(START + 1 hours + 7 days));
        vm.prank(client);
        market.dispute(t, "output is empty");
    }

    function test_dispute_worksAtChallengeDeadline() public {
        (bytes32 jobId, JobTerms memory t) = _submitted();
        vm.warp(CHALLENGE_DEADLINE);
        vm.prank(client);
        market.dispute(t, "");
        _assertJob(jobId, worker, JobStatus.Disputed, CloseReason.None, CHALLENGE_DEADLINE + 7 days);
    }

    function test_dispute_acceptsReasonOfMaxLength() public {
        (bytes32 jobId, JobTerms memory t) = _submitted();
        string memory reason = string(new bytes(1024));
        vm.expectEmit(true, true, true, true, address(market));
        emit JobDisputed(jobId, client, reason, uint40(ARBITRATION_DEADLINE));
        vm.prank(client);
        market.dispute(t, reason);
    }

    function test_dispute_revertsIfJobNotFound() public {
        (, JobTerms memory t) = _submitted();
        t.salt = 1;
        _expectDisputeRefused(client, t, _jobNotFound(t));
    }

    function test_dispute_revertsIfAssigned() public {
        (bytes32 jobId, JobTerms memory t) = _assigned();
        _expectDisputeRefused(client, t, _unexpectedStatus(jobId, JobStatus.Submitted, JobStatus.Assigned));
    }

    function test_dispute_revertsIfDisputedAlready() public {
        (bytes32 jobId, JobTerms memory t) = _disputed();
        _expectUnexpectedStatus(jobId, JobStatus.Submitted, JobStatus.Disputed);
        vm.prank(client);
        market.dispute(t, "again");
    }

    function test_dispute_revertsIfReleased() public {
        (bytes32 jobId, JobTerms memory t) = _submitted();
        vm.prank(client);
        market.release(t);
        _expectDisputeRefused(client, t, _unexpectedStatus(jobId, JobStatus.Submitted, JobStatus.Closed));
    }

    function test_dispute_revertsIfNotClient() public {
        (bytes32 jobId, JobTerms memory t) = _submitted();
        _expectDisputeRefused(worker, t, abi.encodeWithSelector(NotClient.selector, jobId, worker));
        _expectDisputeRefused(arbiter, t, abi.encodeWithSelector(NotClient.selector, jobId, arbiter));
    }

    function test_dispute_revertsIfDeadlinePassed() public {
        (bytes32 jobId, JobTerms memory t) = _submitted();
        vm.warp(CHALLENGE_DEADLINE + 1);
        bytes memory late =
            abi.encodeWithSelector(DeadlinePassed.selector, jobId, CHALLENGE_DEADLINE, CHALLENGE_DEADLINE + 1);
        _expectDisputeRefused(client, t, late);
    }

    function test_dispute_revertsIfReasonTooLong() public {
        (, JobTerms memory t) = _submitted();
        vm.expectRevert(abi.encodeWithSelector(TextTooLong.selector, 1025, 1024));
        vm.prank(client);
        market.dispute(t, string(new bytes(1025)));
    }

    // ---- submitEvidence ----

    function test_submitEvidence_byClient() public {
        (bytes32 jobId, JobTerms memory t) = _disputed();
        vm.expectEmit(true, true, true, true, address(market));
        emit EvidenceSubmitted(jobId, client, "ipfs://client-evidence");
        vm.prank(client);
        market.submitEvidence(t, "ipfs://client-evidence");
        _assertJob(jobId, worker, JobStatus.Disputed, CloseReason.None, ARBITRATION_DEADLINE);
    }

    function test_submitEvidence_byWorker() public {
        (bytes32 jobId, JobTerms memory t) = _disputed();
        vm.expectEmit(true, true, true, true, address(market));
        emit EvidenceSubmitted(jobId, worker, "ipfs://worker-evidence");
        vm.prank(worker);
        market.submitEvidence(t, "ipfs://worker-evidence");
        _assertJob(jobId, worker, JobStatus.Disputed, CloseReason.None, ARBITRATION_DEADLINE);
    }

    function test_submitEvidence_acceptsEvidenceOfMaxLength() public {
        (bytes32 jobId, JobTerms memory t) = _disputed();
        string memory evidence = string(new bytes(1024));
        vm.expectEmit(true, true, true, true, address(market));
        emit EvidenceSubmitted(jobId, worker, evidence);
        vm.prank(worker);
        market.submitEvidence(t, evidence);
    }

    function test_submitEvidence_revertsIfNotParty() public {
        (bytes32 jobId, JobTerms memory t) = _disputed();
        _expectEvidenceRefused(stranger, t, abi.encodeWithSelector(NotParty.selector, jobId, stranger));
        _expectEvidenceRefused(arbiter, t, abi.encodeWithSelector(NotParty.selector, jobId, arbiter));
    }

    function test_submitEvidence_revertsIfEvidenceTooLong() public {
        (, JobTerms memory t) = _disputed();
        vm.expectRevert(abi.encodeWithSelector(TextTooLong.selector, 1025, 1024));
        vm.prank(client);
        market.submitEvidence(t, string(new bytes(1025)));
    }

    function test_submitEvidence_revertsIfJobNotFound() public {
        (, JobTerms memory t) = _disputed();
        t.salt = 1;
        _expectEvidenceRefused(client, t, _jobNotFound(t));
    }

    function test_submitEvidence_revertsIfNotDisputed() public {
        (bytes32 jobId, JobTerms memory t) = _submitted();
        _expectEvidenceRefused(client, t, _unexpectedStatus(jobId, JobStatus.Disputed, JobStatus.Submitted));
    }

    function test_submitEvidence_revertsIfResolved() public {
        (bytes32 jobId, JobTerms memory t) = _disputed();
        _resolve(arbiter, t, 0, 0);
        _expectEvidenceRefused(worker, t, _unexpectedStatus(jobId, JobStatus.Disputed, JobStatus.Closed));
    }

    // ---- resolveDispute ----

    function test_resolveDispute_splitsPriceAndSlashes() public {
        (bytes32 jobId, JobTerms memory t) = _disputed();
        _resolve(arbiter, t, 0.4 ether, 0.05 ether);

        _assertJob(jobId, worker, JobStatus.Closed, CloseReason.DisputeResolved, 0);
        // Client: 0.6 ETH of the price and 0.05 ETH of slashed collateral.
        _assertCredits(address(0), 0.65 ether, 0.396 ether, 0.004 ether);
        _assertStake(worker, 0.95 ether, 0);
        assertEq(market.credits(address(0), arbiter), 0);
    }

    function test_resolveDispute_emitsJobClosed() public {
        (bytes32 jobId, JobTerms memory t) = _disputed();
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
        (bytes32 jobId, JobTerms memory t) = _disputed();
        vm.expectEmit(true, true, true, true, address(market));
        emit JobClosed(jobId, CloseReason.DisputeResolved, worker, 0.99 ether, 0.01 ether, 0, 0);
        _resolve(arbiter, t, 1 ether, 0);
        _assertCredits(address(0), 0, 0.99 ether, 0.01 ether);
        _assertStake(worker, 1 ether, 0);
    }

    function test_resolveDispute_allToClientWithWholeCollateral() public {
        (bytes32 jobId, JobTerms memory t) = _disputed();
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
        (bytes32 jobId, JobTerms memory t) = _disputed();
        vm.prank(owner);
        market.setFee(1_000);
        vm.expectEmit(true, true, true, true, address(market));
        emit JobClosed(jobId, CloseReason.DisputeResolved, worker, 0.396 ether, 0.004 ether, 0.6 ether, 0);
        _resolve(arbiter, t, 0.4 ether, 0);
    }

    function test_resolveDispute_worksAtArbitrationDeadline() public {
        (bytes32 jobId, JobTerms memory t) = _disputed();
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
        (bytes32 jobId, JobTerms memory t) = _disputed();
        address custom = _customArbiter();
        vm.prank(owner);
        market.setDefaultArbiter(custom);

        vm.expectRevert(abi.encodeWithSelector(NotArbiter.selector, jobId, custom));
        _resolve(custom, t, 0.5 ether, 0);
        _resolve(arbiter, t, 0.5 ether, 0);
        _assertJob(jobId, worker, JobStatus.Closed, CloseReason.DisputeResolved, 0);
    }

    function test_resolveDispute_closesForGood() public {
        (bytes32 jobId, JobTerms memory t) = _disputed();
        _resolve(arbiter, t, 0.4 ether, 0.05 ether);
        _assertClosedForGood(jobId, t);
    }

    function test_resolveDispute_revertsIfNotArbiter() public {
        (bytes32 jobId, JobTerms memory t) = _disputed();
        _expectResolveRefused(client, t, 0, 0.1 ether, abi.encodeWithSelector(NotArbiter.selector, jobId, client));
        _expectResolveRefused(worker, t, 1 ether, 0, abi.encodeWithSelector(NotArbiter.selector, jobId, worker));
        _expectResolveRefused(owner, t, 1 ether, 0, abi.encodeWithSelector(NotArbiter.selector, jobId, owner));
    }

    function test_resolveDispute_revertsIfDeadlinePassed() public {
        (bytes32 jobId, JobTerms memory t) = _disputed();
        vm.warp(ARBITRATION_DEADLINE + 1);
        bytes memory late =
            abi.encodeWithSelector(DeadlinePassed.selector, jobId, ARBITRATION_DEADLINE, ARBITRATION_DEADLINE + 1);
        _expectResolveRefused(arbiter, t, 0.5 ether, 0, late);
    }

    function test_resolveDispute_revertsIfWorkerAmountAbovePrice() public {
        (, JobTerms memory t) = _disputed();
        bytes memory invalid = abi.encodeWithSelector(InvalidRuling.selector, 1 ether + 1, 1 ether, 0, 0.1 ether);
        _expectResolveRefused(arbiter, t, 1 ether + 1, 0, invalid);
    }

    function test_resolveDispute_revertsIfWorkerAmountAboveAcceptedBid() public {
        (, JobTerms memory t) = _acceptedWith(_params(JobMode.Auction), 0.6 ether);
        _submitFor(t);
        _disputeFor(t);
        bytes memory invalid = abi.encodeWithSelector(InvalidRuling.selector, 0.6 ether + 1, 0.6 ether, 0, 0.1 ether);
        _expectResolveRefused(arbiter, t, 0.6 ether + 1, 0, invalid);
    }

    function test_resolveDispute_revertsIfSlashAboveCollateral() public {
        (, JobTerms memory t) = _disputed();
        bytes memory invalid = abi.encodeWithSelector(InvalidRuling.selector, 0, 1 ether, 0.1 ether + 1, 0.1 ether);
        _expectResolveRefused(arbiter, t, 0, 0.1 ether + 1, invalid);
    }

    function test_resolveDispute_revertsIfJobNotFound() public {
        (, JobTerms memory t) = _disputed();
        t.salt = 1;
        _expectResolveRefused(arbiter, t, 0, 0, _jobNotFound(t));
    }

    function test_resolveDispute_revertsIfNotDisputed() public {
        (bytes32 jobId, JobTerms memory t) = _submitted();
        _expectResolveRefused(arbiter, t, 0, 0, _unexpectedStatus(jobId, JobStatus.Disputed, JobStatus.Submitted));
    }

    function test_resolveDispute_revertsIfResolvedAlready() public {
        (bytes32 jobId, JobTerms memory t) = _disputed();
        _resolve(arbiter, t, 0.4 ether, 0);
        _expectResolveRefused(arbiter, t, 0.4 ether, 0, _unexpectedStatus(jobId, JobStatus.Disputed, JobStatus.Closed));
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
        (bytes32 jobId, JobTerms memory t) = _disputed();
        vm.warp(ARBITRATION_DEADLINE + 1);
        market.settleTimedOutDispute(t);
        _assertClosedForGood(jobId, t);
    }

    function test_settleTimedOutDispute_revertsIfDeadlineNotReached() public {
        (bytes32 jobId, JobTerms memory t) = _disputed();
        vm.warp(ARBITRATION_DEADLINE);
        bytes memory early =
            abi.encodeWithSelector(DeadlineNotReached.selector, jobId, ARBITRATION_DEADLINE, ARBITRATION_DEADLINE);
        _expectSettleRefused(t, early);
    }

    function test_settleTimedOutDispute_revertsIfJobNotFound() public {
        (, JobTerms memory t) = _disputed();
        t.salt = 1;
        vm.warp(ARBITRATION_DEADLINE + 1);
        _expectSettleRefused(t, _jobNotFound(t));
    }

    function test_settleTimedOutDispute_revertsIfNotDisputed() public {
        (bytes32 jobId, JobTerms memory t) = _submitted();
        vm.warp(ARBITRATION_DEADLINE + 1);
        _expectSettleRefused(t, _unexpectedStatus(jobId, JobStatus.Disputed, JobStatus.Submitted));
    }

    function test_settleTimedOutDispute_revertsIfResolved() public {
        (bytes32 jobId, JobTerms memory t) = _disputed();
        _resolve(arbiter, t, 0.4 ether, 0);
        vm.warp(ARBITRATION_DEADLINE + 1);
        _expectSettleRefused(t, _unexpectedStatus(jobId, JobStatus.Disputed, JobStatus.Closed));
    }
}
