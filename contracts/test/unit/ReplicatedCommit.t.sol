// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ReplicatedFixture} from "../utils/ReplicatedFixture.sol";
import {ReplicatedParams, ReplicatedStatus, ReplicatedTerms, SlotState} from "../../src/interfaces/ILoomTypes.sol";

/// @notice commitResult: each slot's worker commits once, by the commit deadline; the last commit of a
/// full job opens the reveal phase at once.
contract ReplicatedCommitTest is ReplicatedFixture {
    function test_commitResult_storesCommitmentAndEmits() public {
        (bytes32 jobId, ReplicatedTerms memory t) = _postAndTake(_repParams(), 3);
        bytes32 commitment = _commitmentFor(jobId, replicaWorkers[1], AGREED, _saltOf(1));

        vm.expectEmit(true, true, true, true, address(replicated));
        emit ResultCommitted(jobId, replicaWorkers[1], 1, commitment, 1, 0);
        _commit(t, 1, AGREED);

        _assertSlot(jobId, 1, replicaWorkers[1], SlotState.Committed, commitment);
        _assertSlot(jobId, 0, replicaWorkers[0], SlotState.Taken, bytes32(0));
        _assertRepJob(jobId, ReplicatedStatus.Running, 3, 1, 0, 0);
    }

    function test_commitResult_lastCommitOfAFullJobOpensRevealAtOnce() public {
        (bytes32 jobId, ReplicatedTerms memory t) = _postAndTake(_repParams(), 3);
        _commit(t, 0, AGREED);
        vm.warp(START + 10 minutes);
        _commit(t, 2, AGREED);
        vm.warp(START + 20 minutes);
        uint40 revealDeadline = uint40(START + 20 minutes + t.revealWindow);

        vm.expectEmit(true, true, true, true, address(replicated));
        emit ResultCommitted(
            jobId,
            replicaWorkers[1],
            1,
            _commitmentFor(jobId, replicaWorkers[1], DISSENT, _saltOf(1)),
            3,
            revealDeadline
        );
        _commit(t, 1, DISSENT);

        _assertRepJob(jobId, ReplicatedStatus.Running, 3, 3, 0, revealDeadline);
        // Reveals are open now, before openUntil even.
        _reveal(t, 0, AGREED);
        _assertRepJob(jobId, ReplicatedStatus.Running, 3, 3, 1, revealDeadline);
    }

    function test_commitResult_allFilledSlotsOfAPartialJobDoNotOpenReveal() public {
        (bytes32 jobId, ReplicatedTerms memory t) = _postAndTake(_repParams(), 2);
        _commit(t, 0, AGREED);

        vm.expectEmit(true, true, true, true, address(replicated));
        emit ResultCommitted(
            jobId, replicaWorkers[1], 1, _commitmentFor(jobId, replicaWorkers[1], AGREED, _saltOf(1)), 2, 0
        );
        _commit(t, 1, AGREED);

        _assertRepJob(jobId, ReplicatedStatus.Running, 2, 2, 0, 0);
        // A third worker may still take the last slot until openUntil.
        _registerReplica(2);
        vm.prank(replicaWorkers[2]);
        replicated.takeSlot(t);
        _assertRepJob(jobId, ReplicatedStatus.Running, 3, 2, 0, 0);
    }

    function test_commitResult_worksAtCommitDeadline() public {
        (bytes32 jobId, ReplicatedTerms memory t) = _postAndTake(_repParams(), 3);
        vm.warp(_commitDeadline(t));

        _commit(t, 0, AGREED);

        _assertRepJob(jobId, ReplicatedStatus.Running, 3, 1, 0, 0);
    }

    function test_commitResult_revertsOneSecondAfterCommitDeadline() public {
        (bytes32 jobId, ReplicatedTerms memory t) = _postAndTake(_repParams(), 3);
        uint256 late = _commitDeadline(t) + 1;
        vm.warp(late);

        _expectCommitRefused(
            t, 0, replicaWorkers[0], AGREED, abi.encodeWithSelector(DeadlinePassed.selector, jobId, late - 1, late)
        );
    }

    function test_commitResult_revertsIfNotSlotWorker() public {
        (bytes32 jobId, ReplicatedTerms memory t) = _postAndTake(_repParams(), 2);

        _expectCommitRefused(t, 0, stranger, AGREED, abi.encodeWithSelector(NotSlotWorker.selector, jobId, 0, stranger));
        _expectCommitRefused(
            t, 0, replicaWorkers[1], AGREED, abi.encodeWithSelector(NotSlotWorker.selector, jobId, 0, replicaWorkers[1])
        );
        // A slot nobody has taken yet, and one beyond the replicas.
        _expectCommitRefused(
            t, 2, replicaWorkers[0], AGREED, abi.encodeWithSelector(NotSlotWorker.selector, jobId, 2, replicaWorkers[0])
        );
        _expectCommitRefused(
            t,
            200,
            replicaWorkers[0],
            AGREED,
            abi.encodeWithSelector(NotSlotWorker.selector, jobId, 200, replicaWorkers[0])
        );
    }

    function test_commitResult_revertsIfCommittedAlready() public {
        (bytes32 jobId, ReplicatedTerms memory t) = _postAndTake(_repParams(), 3);
        _commit(t, 0, AGREED);

        _expectCommitRefused(
            t,
            0,
            replicaWorkers[0],
            DISSENT,
            abi.encodeWithSelector(UnexpectedSlotState.selector, jobId, 0, SlotState.Taken, SlotState.Committed)
        );
        _assertSlot(
            jobId,
            0,
            replicaWorkers[0],
            SlotState.Committed,
            _commitmentFor(jobId, replicaWorkers[0], AGREED, _saltOf(0))
        );
    }

    function test_commitResult_revertsIfRevealedAlready() public {
        (bytes32 jobId, ReplicatedTerms memory t) = _postAndTake(_repParams(), 3);
        _commitAll(t, _hashes(AGREED, AGREED, AGREED));
        _reveal(t, 0, AGREED);

        _expectCommitRefused(
            t,
            0,
            replicaWorkers[0],
            AGREED,
            abi.encodeWithSelector(UnexpectedSlotState.selector, jobId, 0, SlotState.Taken, SlotState.Revealed)
        );
    }

    function test_commitResult_revertsIfZeroCommitment() public {
        (bytes32 jobId, ReplicatedTerms memory t) = _postAndTake(_repParams(), 3);

        _expectRepRefused(
            replicaWorkers[0],
            abi.encodeCall(replicated.commitResult, (t, 0, bytes32(0))),
            abi.encodeWithSelector(ZeroCommitment.selector, jobId)
        );
    }

    function test_commitResult_revertsIfJobNotFound() public {
        ReplicatedTerms memory t = _repTerms(_repParams(), client, spec);

        _expectCommitRefused(
            t, 0, replicaWorkers[0], AGREED, abi.encodeWithSelector(JobNotFound.selector, keccak256(abi.encode(t)))
        );
    }

    function test_commitResult_revertsIfJobClosed() public {
        ReplicatedParams memory p = _repParams();
        (bytes32 jobId, ReplicatedTerms memory t) = _postAndTake(p, 1);
        vm.warp(uint256(t.openUntil) + 1);
        _finalize(t);

        _expectCommitRefused(t, 0, replicaWorkers[0], AGREED, abi.encodeWithSelector(JobAlreadyClosed.selector, jobId));
    }

    // ---- helpers ----

    /// @dev `who` commits `resultHash` (with `_saltOf(slot)`) to `slot` and it reverts with `revertData`.
    function _expectCommitRefused(
        ReplicatedTerms memory t,
        uint8 slot,
        address who,
        bytes32 resultHash,
        bytes memory revertData
    ) internal {
        bytes32 commitment = _commitmentFor(keccak256(abi.encode(t)), who, resultHash, _saltOf(slot));
        _expectRepRefused(who, abi.encodeCall(replicated.commitResult, (t, slot, commitment)), revertData);
    }
}
