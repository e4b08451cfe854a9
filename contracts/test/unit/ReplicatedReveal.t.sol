// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ReplicatedFixture} from "../utils/ReplicatedFixture.sol";
import {ReplicatedStatus, ReplicatedTerms, SlotState} from "../../src/interfaces/ILoomTypes.sol";

/// @notice revealResult: the reveal phase opens after the commit deadline (or once a full job has all
/// committed) and lasts the reveal window; a reveal must open the slot's commitment exactly.
contract ReplicatedRevealTest is ReplicatedFixture {
    function test_revealResult_storesResultAndEmits() public {
        (bytes32 jobId, ReplicatedTerms memory t) = _postAndTake(_repParams(), 3);
        _commitAll(t, _hashes(AGREED, AGREED, DISSENT));

        vm.expectEmit(true, true, true, true, address(replicated));
        emit ResultRevealed(jobId, replicaWorkers[2], 2, DISSENT, REVEAL_URI);
        _reveal(t, 2, DISSENT);

        _assertSlot(jobId, 2, replicaWorkers[2], SlotState.Revealed, DISSENT);
        _assertRepJob(jobId, ReplicatedStatus.Running, 3, 3, 1, START + t.revealWindow);
    }

    function test_revealResult_opensOneSecondAfterCommitDeadline() public {
        (bytes32 jobId, ReplicatedTerms memory t) = _postAndTake(_repParams(), 3);
        _commit(t, 0, AGREED);
        _commit(t, 1, AGREED);
        uint256 commitDeadline = _commitDeadline(t);
        vm.warp(commitDeadline);

        _expectRevealRefused(
            t,
            0,
            AGREED,
            _saltOf(0),
            abi.encodeWithSelector(RevealNotOpen.selector, jobId, commitDeadline, commitDeadline)
        );

        vm.warp(commitDeadline + 1);
        _reveal(t, 0, AGREED);
        _assertRepJob(jobId, ReplicatedStatus.Running, 3, 2, 1, 0);
    }

    function test_revealResult_revertsBeforeEveryoneCommitted() public {
        (bytes32 jobId, ReplicatedTerms memory t) = _postAndTake(_repParams(), 3);
        _commit(t, 0, AGREED);
        _commit(t, 1, AGREED);

        _expectRevealRefused(
            t, 0, AGREED, _saltOf(0), abi.encodeWithSelector(RevealNotOpen.selector, jobId, _commitDeadline(t), START)
        );
    }

    function test_revealResult_worksAtRevealDeadline() public {
        (bytes32 jobId, ReplicatedTerms memory t) = _postAndTake(_repParams(), 3);
        _commit(t, 0, AGREED);
        vm.warp(_commitDeadline(t) + t.revealWindow);

        _reveal(t, 0, AGREED);

        _assertRepJob(jobId, ReplicatedStatus.Running, 3, 1, 1, 0);
    }

    function test_revealResult_revertsOneSecondAfterRevealDeadline() public {
        (bytes32 jobId, ReplicatedTerms memory t) = _postAndTake(_repParams(), 3);
        _commit(t, 0, AGREED);
        uint256 revealDeadline = _commitDeadline(t) + t.revealWindow;
        vm.warp(revealDeadline + 1);

        _expectRevealRefused(
            t,
            0,
            AGREED,
            _saltOf(0),
            abi.encodeWithSelector(DeadlinePassed.selector, jobId, revealDeadline, revealDeadline + 1)
        );
    }

    function test_revealResult_earlyRevealDeadlineIsInclusive() public {
        (bytes32 jobId, ReplicatedTerms memory t) = _postAndTake(_repParams(), 3);
        vm.warp(START + 5 minutes);
        _commitAll(t, _hashes(AGREED, AGREED, AGREED));
        uint256 revealDeadline = START + 5 minutes + t.revealWindow;
        assertLt(revealDeadline, _commitDeadline(t) + t.revealWindow, "earlier than the usual deadline");

        vm.warp(revealDeadline);
        _reveal(t, 0, AGREED);

        vm.warp(revealDeadline + 1);
        _expectRevealRefused(
            t,
            1,
            AGREED,
            _saltOf(1),
            abi.encodeWithSelector(DeadlinePassed.selector, jobId, revealDeadline, revealDeadline + 1)
        );
    }

    function test_revealResult_revertsIfSaltDiffers() public {
        (bytes32 jobId, ReplicatedTerms memory t) = _committedAll();

        _expectRevealRefused(t, 0, AGREED, _saltOf(1), abi.encodeWithSelector(CommitmentMismatch.selector, jobId, 0));
    }

    function test_revealResult_revertsIfHashDiffers() public {
        (bytes32 jobId, ReplicatedTerms memory t) = _committedAll();

        _expectRevealRefused(t, 1, DISSENT, _saltOf(1), abi.encodeWithSelector(CommitmentMismatch.selector, jobId, 1));
    }

    function test_revealResult_revertsIfCommitmentCopiedFromAnotherWorker() public {
        (bytes32 jobId, ReplicatedTerms memory t) = _postAndTake(_repParams(), 3);
        _commit(t, 0, AGREED);
        // Replica 1 copies replica 0's commitment, hoping to reveal replica 0's result without computing it.
        bytes32 copied = replicated.slotHashes(jobId, 0);
        vm.prank(replicaWorkers[1]);
        replicated.commitResult(t, 1, copied);
        _commit(t, 2, AGREED);
        _reveal(t, 0, AGREED);

        _expectRepRefused(
            replicaWorkers[1],
            abi.encodeCall(replicated.revealResult, (t, 1, AGREED, _saltOf(0), REVEAL_URI)),
            abi.encodeWithSelector(CommitmentMismatch.selector, jobId, 1)
        );
    }

    function test_revealResult_revertsIfAnotherWorkerRevealsTheSlot() public {
        (bytes32 jobId, ReplicatedTerms memory t) = _committedAll();

        _expectRepRefused(
            replicaWorkers[1],
            abi.encodeCall(replicated.revealResult, (t, 0, AGREED, _saltOf(0), REVEAL_URI)),
            abi.encodeWithSelector(NotSlotWorker.selector, jobId, 0, replicaWorkers[1])
        );
        _expectRepRefused(
            stranger,
            abi.encodeCall(replicated.revealResult, (t, 0, AGREED, _saltOf(0), REVEAL_URI)),
            abi.encodeWithSelector(NotSlotWorker.selector, jobId, 0, stranger)
        );
    }

    function test_revealResult_revertsIfZeroResultHash() public {
        // A commitment to the zero hash is itself non-zero, so it is accepted; its reveal is not.
        (bytes32 jobId, ReplicatedTerms memory t) = _zeroHashCommitted();

        _expectRevealRefused(t, 0, bytes32(0), _saltOf(0), abi.encodeWithSelector(ZeroResultHash.selector, jobId));
    }

    function test_revealResult_acceptsUriAtLimitAndRevertsAbove() public {
        (bytes32 jobId, ReplicatedTerms memory t) = _committedAll();

        _expectRepRefused(
            replicaWorkers[0],
            abi.encodeCall(replicated.revealResult, (t, 0, AGREED, _saltOf(0), string(new bytes(1025)))),
            abi.encodeWithSelector(TextTooLong.selector, 1025, 1024)
        );

        vm.prank(replicaWorkers[0]);
        replicated.revealResult(t, 0, AGREED, _saltOf(0), string(new bytes(1024)));
        _assertSlot(jobId, 0, replicaWorkers[0], SlotState.Revealed, AGREED);
    }

    function test_revealResult_revertsIfNotCommitted() public {
        (bytes32 jobId, ReplicatedTerms memory t) = _postAndTake(_repParams(), 3);
        _commit(t, 0, AGREED);
        vm.warp(_commitDeadline(t) + 1);

        _expectRepRefused(
            replicaWorkers[1],
            abi.encodeCall(replicated.revealResult, (t, 1, AGREED, _saltOf(1), REVEAL_URI)),
            abi.encodeWithSelector(UnexpectedSlotState.selector, jobId, 1, SlotState.Committed, SlotState.Taken)
        );
    }

    function test_revealResult_revertsIfRevealedAlready() public {
        (bytes32 jobId, ReplicatedTerms memory t) = _committedAll();
        _reveal(t, 0, AGREED);

        _expectRevealRefused(
            t,
            0,
            AGREED,
            _saltOf(0),
            abi.encodeWithSelector(UnexpectedSlotState.selector, jobId, 0, SlotState.Committed, SlotState.Revealed)
        );
        _assertRepJob(jobId, ReplicatedStatus.Running, 3, 3, 1, START + t.revealWindow);
    }

    function test_revealResult_revertsIfJobClosed() public {
        (bytes32 jobId, ReplicatedTerms memory t) = _committedAll();
        _reveal(t, 0, AGREED);
        vm.warp(START + t.revealWindow + 1);
        _finalize(t);

        _expectRevealRefused(t, 1, AGREED, _saltOf(1), abi.encodeWithSelector(JobAlreadyClosed.selector, jobId));
    }

    // ---- helpers ----

    /// @dev A full default job whose three slots committed to AGREED at START: reveals are open.
    function _committedAll() internal returns (bytes32 jobId, ReplicatedTerms memory t) {
        (jobId, t) = _postAndTake(_repParams(), 3);
        _commitAll(t, _hashes(AGREED, AGREED, AGREED));
    }

    /// @dev A full job whose slot 0 committed to the zero hash and the others to AGREED.
    function _zeroHashCommitted() internal returns (bytes32 jobId, ReplicatedTerms memory t) {
        (jobId, t) = _postAndTake(_repParams(), 3);
        vm.prank(replicaWorkers[0]);
        replicated.commitResult(t, 0, _commitmentFor(jobId, replicaWorkers[0], bytes32(0), _saltOf(0)));
        _commit(t, 1, AGREED);
        _commit(t, 2, AGREED);
    }

    /// @dev The slot's own worker reveals `resultHash` with `salt` and it reverts with `revertData`.
    function _expectRevealRefused(
        ReplicatedTerms memory t,
        uint8 slot,
        bytes32 resultHash,
        bytes32 salt,
        bytes memory revertData
    ) internal {
        _expectRepRefused(
            replicaWorkers[slot],
            abi.encodeCall(replicated.revealResult, (t, slot, resultHash, salt, REVEAL_URI)),
            revertData
        );
    }
}
