// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ReplicatedFixture} from "../utils/ReplicatedFixture.sol";
import {ReplicatedOutcome, ReplicatedStatus, ReplicatedTerms} from "../../src/interfaces/ILoomTypes.sol";

/// @notice When finalize may settle a replicated job: not while a reveal can still come, at once when
/// none can, and never twice. What it pays is in ReplicatedSettlement.t.sol.
contract ReplicatedFinalizeTest is ReplicatedFixture {
    // ---- too early, phase by phase ----

    function test_finalize_revertsWhileUnfilledJobIsOpen() public {
        (bytes32 jobId, ReplicatedTerms memory t) = _postAndTake(_repParams(), 1);
        _expectFinalizeRefused(t, _tooEarly(jobId, t.openUntil, START));

        vm.warp(t.openUntil);
        _expectFinalizeRefused(t, _tooEarly(jobId, t.openUntil, t.openUntil));

        vm.warp(uint256(t.openUntil) + 1);
        _finalize(t);
        _assertRepJob(jobId, ReplicatedStatus.Closed, 1, 0, 0, 0);
    }

    function test_finalize_revertsWhileSlotsAreTaken() public {
        (bytes32 jobId, ReplicatedTerms memory t) = _postAndTake(_repParams(), 2);

        _expectFinalizeRefused(t, _tooEarly(jobId, _commitDeadline(t) + t.revealWindow, START));
    }

    function test_finalize_revertsDuringCommitPhase() public {
        (bytes32 jobId, ReplicatedTerms memory t) = _postAndTake(_repParams(), 3);
        _commit(t, 0, AGREED);
        vm.warp(_commitDeadline(t));

        _expectFinalizeRefused(t, _tooEarly(jobId, _commitDeadline(t) + t.revealWindow, _commitDeadline(t)));
    }

    function test_finalize_revertsUntilRevealDeadlinePassed() public {
        (bytes32 jobId, ReplicatedTerms memory t) = _postAndTake(_repParams(), 3);
        _commitAll(t, _hashes(AGREED, AGREED, bytes32(0)));
        vm.warp(_commitDeadline(t) + 1);
        _reveal(t, 0, AGREED);
        _reveal(t, 1, AGREED);
        uint256 revealDeadline = _commitDeadline(t) + t.revealWindow;

        vm.warp(revealDeadline);
        _expectFinalizeRefused(t, _tooEarly(jobId, revealDeadline, revealDeadline));

        vm.warp(revealDeadline + 1);
        _finalize(t);
        _assertRepJob(jobId, ReplicatedStatus.Closed, 3, 2, 2, 0);
    }

    function test_finalize_revertsUntilEarlyRevealDeadlinePassed() public {
        (bytes32 jobId, ReplicatedTerms memory t) = _postAndTake(_repParams(), 3);
        vm.warp(START + 7 minutes);
        _commitAll(t, _hashes(AGREED, AGREED, AGREED));
        _reveal(t, 0, AGREED);
        _reveal(t, 1, AGREED);
        uint256 revealDeadline = START + 7 minutes + t.revealWindow;

        vm.warp(revealDeadline);
        _expectFinalizeRefused(t, _tooEarly(jobId, revealDeadline, revealDeadline));

        vm.warp(revealDeadline + 1);
        _finalize(t);
        _assertRepJob(jobId, ReplicatedStatus.Closed, 3, 3, 2, revealDeadline);
    }

    // ---- as soon as nothing can change ----

    function test_finalize_atOnceWhenEverySlotRevealed() public {
        (bytes32 jobId, ReplicatedTerms memory t) = _postAndTake(_repParams(), 3);
        _commitAll(t, _hashes(AGREED, AGREED, AGREED));
        _revealAll(t, _hashes(AGREED, AGREED, AGREED), _flags(true, true, true));

        _finalize(t);

        assertEq(block.timestamp, START, "in the same second as the last reveal");
        _assertRepJob(jobId, ReplicatedStatus.Closed, 3, 3, 3, START + t.revealWindow);
    }

    function test_finalize_atOnceWhenEveryFilledSlotOfAPartialJobRevealed() public {
        (bytes32 jobId, ReplicatedTerms memory t) = _postAndTake(_repParams(), 2);
        _commitAndReveal(t, _hashes(AGREED, AGREED), _flags(true, true));

        _finalize(t);

        assertEq(block.timestamp, _commitDeadline(t) + 1, "right after the commit deadline");
        _assertRepJob(jobId, ReplicatedStatus.Closed, 2, 2, 2, 0);
    }

    function test_finalize_afterRevealDeadlineWithNoCommitAtAll() public {
        (bytes32 jobId, ReplicatedTerms memory t) = _postAndTake(_repParams(), 3);
        vm.warp(_commitDeadline(t) + t.revealWindow + 1);

        // Nobody committed: no quorum, everyone slashed, the client gets back the budget and all collateral.
        _expectClosed(
            jobId,
            ReplicatedOutcome.NoQuorum,
            bytes32(0),
            _replicaList(3),
            _amounts(0, 0, 0),
            _amounts(0.1 ether, 0.1 ether, 0.1 ether),
            0,
            3 ether,
            0,
            0.3 ether
        );
        _finalize(t);
    }

    // ---- never twice ----

    function test_finalize_revertsIfClosedAlready() public {
        (bytes32 jobId, ReplicatedTerms memory t) = _postAndTake(_repParams(), 3);
        _commitAll(t, _hashes(AGREED, AGREED, AGREED));
        _revealAll(t, _hashes(AGREED, AGREED, AGREED), _flags(true, true, true));
        _finalize(t);
        uint256 treasuryCredit = _repCredit(address(0), treasury);

        _expectFinalizeRefused(t, abi.encodeWithSelector(JobAlreadyClosed.selector, jobId));
        _expectRepRefused(
            client,
            abi.encodeCall(replicated.cancelReplicatedJob, (t)),
            abi.encodeWithSelector(JobAlreadyClosed.selector, jobId)
        );
        _registerReplica(3);
        _expectRepRefused(
            replicaWorkers[3],
            abi.encodeCall(replicated.takeSlot, (t)),
            abi.encodeWithSelector(JobAlreadyClosed.selector, jobId)
        );
        assertEq(_repCredit(address(0), treasury), treasuryCredit, "paid once");
    }

    function test_finalize_revertsIfExpiredJobClosedAlready() public {
        (bytes32 jobId, ReplicatedTerms memory t) = _postAndTake(_repParams(), 1);
        vm.warp(uint256(t.openUntil) + 1);
        _finalize(t);

        _expectFinalizeRefused(t, abi.encodeWithSelector(JobAlreadyClosed.selector, jobId));
        assertEq(_repCredit(address(0), client), 3 ether, "refunded once");
    }

    function test_finalize_revertsIfJobNotFound() public {
        ReplicatedTerms memory t = _repTerms(_repParams(), client, spec);

        _expectFinalizeRefused(t, abi.encodeWithSelector(JobNotFound.selector, keccak256(abi.encode(t))));
    }

    // ---- helpers ----

    function _tooEarly(bytes32 jobId, uint256 deadline, uint256 timestamp) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(FinalizeTooEarly.selector, jobId, deadline, timestamp);
    }

    function _expectFinalizeRefused(ReplicatedTerms memory t, bytes memory revertData) internal {
        _expectRepRefused(stranger, abi.encodeCall(replicated.finalize, (t)), revertData);
    }
}
