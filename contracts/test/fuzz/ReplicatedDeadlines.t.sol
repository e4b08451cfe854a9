// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ReplicatedFixture} from "../utils/ReplicatedFixture.sol";
import {
    ReplicatedOutcome,
    ReplicatedParams,
    ReplicatedStatus,
    ReplicatedTerms
} from "../../src/interfaces/ILoomTypes.sol";

/// @notice The one-second boundaries of every replicated deadline, with fuzzed durations: openUntil,
/// the commit deadline, the reveal phase's opening (at the commit deadline, or early when a full job
/// committed) and the reveal deadline. A step that must happen "by" a deadline works at it and
/// reverts one second later; the step that takes over reverts at the deadline and works one second
/// later, so no second belongs to both or to neither.
/// @dev Where the late call is tried first, it reverted and changed nothing, so the test can warp
/// back to the deadline itself and show that the call goes through there.
contract ReplicatedDeadlinesFuzzTest is ReplicatedFixture {
    uint256 internal constant MAX_OPEN_PERIOD = 90 days;

    // ---- posting ----

    function testFuzz_postReplicatedJob_openUntilBounds(uint256 offset) public {
        ReplicatedParams memory p = _repParams();
        uint256 latest = block.timestamp + MAX_OPEN_PERIOD;
        p.openUntil = uint40(_bound(offset, block.timestamp - 1 days, latest + 1 days));
        bool valid = p.openUntil >= block.timestamp && p.openUntil <= latest;

        if (!valid) {
            vm.expectRevert(abi.encodeWithSelector(InvalidOpenUntil.selector, p.openUntil, block.timestamp));
            vm.prank(client);
            replicated.postReplicatedJob{value: _budget(p)}(p, spec);
        } else {
            (bytes32 jobId,) = _postRep(p);
            _assertRepJob(jobId, ReplicatedStatus.Running, 0, 0, 0, 0);
        }
    }

    function testFuzz_postReplicatedJob_openUntilExactEdges(uint256 elapsed) public {
        vm.warp(START + _bound(elapsed, 0, 365 days));
        ReplicatedParams memory p = _repParams();

        p.openUntil = uint40(block.timestamp - 1);
        _expectOpenUntilRefused(p);
        p.openUntil = uint40(block.timestamp + MAX_OPEN_PERIOD + 1);
        _expectOpenUntilRefused(p);

        p.openUntil = uint40(block.timestamp);
        _postRep(p);
        p.openUntil = uint40(block.timestamp + MAX_OPEN_PERIOD);
        _postRep(p);
    }

    function testFuzz_postReplicatedJob_windowBounds(uint256 commitWindow, uint256 revealWindow) public {
        ReplicatedParams memory p = _repParams();
        p.commitWindow = uint32(_bound(commitWindow, 0, MAX_PHASE_WINDOW + 1));
        p.revealWindow = uint32(_bound(revealWindow, 0, MAX_PHASE_WINDOW + 1));
        bool valid = p.commitWindow >= 1 && p.commitWindow <= MAX_PHASE_WINDOW && p.revealWindow >= 1
            && p.revealWindow <= MAX_PHASE_WINDOW;

        if (!valid) {
            vm.expectRevert(abi.encodeWithSelector(InvalidWindow.selector, p.commitWindow, p.revealWindow));
            vm.prank(client);
            replicated.postReplicatedJob{value: _budget(p)}(p, spec);
        } else {
            _postRep(p);
        }
    }

    // ---- openUntil: takeSlot, finalize of an unfilled job ----

    function testFuzz_takeSlot_closesAfterOpenUntil(uint256 openPeriod) public {
        (bytes32 jobId, ReplicatedTerms memory t) = _postTimed(openPeriod, 1, 1);
        _registerReplica(0);
        uint256 late = uint256(t.openUntil) + 1;

        vm.warp(late);
        vm.expectRevert(abi.encodeWithSelector(DeadlinePassed.selector, jobId, t.openUntil, late));
        vm.prank(replicaWorkers[0]);
        replicated.takeSlot(t);

        vm.warp(t.openUntil);
        vm.prank(replicaWorkers[0]);
        replicated.takeSlot(t);
        _assertRepJob(jobId, ReplicatedStatus.Running, 1, 0, 0, 0);
    }

    function testFuzz_finalize_unfilledOpensAfterOpenUntil(uint256 openPeriod, uint256 taken) public {
        (bytes32 jobId, ReplicatedTerms memory t) = _postTimed(openPeriod, 1, 1);
        uint256 filled = _bound(taken, 0, t.quorum - 1);
        _takeSlots(t, filled);

        vm.warp(t.openUntil);
        vm.expectRevert(abi.encodeWithSelector(FinalizeTooEarly.selector, jobId, t.openUntil, t.openUntil));
        _finalize(t);

        vm.warp(uint256(t.openUntil) + 1);
        _expectClosed(
            jobId,
            ReplicatedOutcome.ExpiredUnfilled,
            bytes32(0),
            _replicaList(filled),
            new uint96[](filled),
            new uint96[](filled),
            0,
            3 ether,
            0,
            0
        );
        _finalize(t);
    }

    // ---- commit deadline: commitResult, the reveal phase opening ----

    function testFuzz_commitResult_closesAfterCommitDeadline(uint256 openPeriod, uint256 commitWindow) public {
        (bytes32 jobId, ReplicatedTerms memory t) = _postTimed(openPeriod, commitWindow, 1);
        _takeSlots(t, 3);
        uint256 deadline = _commitDeadline(t);
        bytes32 commitment = _commitmentFor(jobId, replicaWorkers[0], AGREED, _saltOf(0));

        vm.warp(deadline + 1);
        vm.expectRevert(abi.encodeWithSelector(DeadlinePassed.selector, jobId, deadline, deadline + 1));
        vm.prank(replicaWorkers[0]);
        replicated.commitResult(t, 0, commitment);

        vm.warp(deadline);
        _commit(t, 0, AGREED);
        _assertRepJob(jobId, ReplicatedStatus.Running, 3, 1, 0, 0);
    }

    function testFuzz_revealResult_opensAfterCommitDeadline(uint256 openPeriod, uint256 commitWindow) public {
        (bytes32 jobId, ReplicatedTerms memory t) = _postTimed(openPeriod, commitWindow, 1 hours);
        _takeSlots(t, 3);
        _commit(t, 0, AGREED);
        uint256 deadline = _commitDeadline(t);

        vm.warp(deadline);
        vm.expectRevert(abi.encodeWithSelector(RevealNotOpen.selector, jobId, deadline, deadline));
        vm.prank(replicaWorkers[0]);
        replicated.revealResult(t, 0, AGREED, _saltOf(0), REVEAL_URI);

        vm.warp(deadline + 1);
        _reveal(t, 0, AGREED);
        _assertRepJob(jobId, ReplicatedStatus.Running, 3, 1, 1, 0);
    }

    // ---- reveal deadline: revealResult, finalize ----

    function testFuzz_revealResult_closesAfterRevealDeadline(
        uint256 openPeriod,
        uint256 commitWindow,
        uint256 revealWindow
    ) public {
        (bytes32 jobId, ReplicatedTerms memory t) = _postTimed(openPeriod, commitWindow, revealWindow);
        _takeSlots(t, 3);
        _commit(t, 0, AGREED);
        uint256 deadline = _commitDeadline(t) + t.revealWindow;

        vm.warp(deadline + 1);
        vm.expectRevert(abi.encodeWithSelector(DeadlinePassed.selector, jobId, deadline, deadline + 1));
        vm.prank(replicaWorkers[0]);
        replicated.revealResult(t, 0, AGREED, _saltOf(0), REVEAL_URI);

        vm.warp(deadline);
        _reveal(t, 0, AGREED);
        _assertRepJob(jobId, ReplicatedStatus.Running, 3, 1, 1, 0);
    }

    function testFuzz_finalize_opensAfterRevealDeadline(
        uint256 openPeriod,
        uint256 commitWindow,
        uint256 revealWindow,
        uint256 taken,
        uint256 tooEarlyAt
    ) public {
        (bytes32 jobId, ReplicatedTerms memory t) = _postTimed(openPeriod, commitWindow, revealWindow);
        uint256 filled = _bound(taken, t.quorum, t.replicas);
        _takeSlots(t, filled);
        _commit(t, 0, AGREED);
        _commit(t, 1, AGREED);
        uint256 deadline = _commitDeadline(t) + t.revealWindow;

        // Any second up to the deadline is too early while a committed slot may still reveal.
        vm.warp(_bound(tooEarlyAt, START, deadline));
        vm.expectRevert(abi.encodeWithSelector(FinalizeTooEarly.selector, jobId, deadline, block.timestamp));
        _finalize(t);
        vm.warp(deadline);
        vm.expectRevert(abi.encodeWithSelector(FinalizeTooEarly.selector, jobId, deadline, deadline));
        _finalize(t);

        vm.warp(deadline + 1);
        _finalize(t);
        _assertRepJob(jobId, ReplicatedStatus.Closed, uint8(filled), 2, 0, 0);
    }

    // ---- early reveal: a full job whose every slot committed ----

    function testFuzz_commitResult_lastCommitSetsEarlyRevealDeadline(
        uint256 openPeriod,
        uint256 commitWindow,
        uint256 revealWindow,
        uint256 commitAt
    ) public {
        (bytes32 jobId, ReplicatedTerms memory t) = _postTimed(openPeriod, commitWindow, revealWindow);
        _takeSlots(t, 3);
        _commit(t, 0, AGREED);
        _commit(t, 1, AGREED);
        uint256 at = _bound(commitAt, START, _commitDeadline(t));
        vm.warp(at);
        uint40 early = uint40(at + t.revealWindow);

        vm.expectEmit(true, true, true, true, address(replicated));
        emit ResultCommitted(
            jobId, replicaWorkers[2], 2, _commitmentFor(jobId, replicaWorkers[2], AGREED, _saltOf(2)), 3, early
        );
        _commit(t, 2, AGREED);

        _assertRepJob(jobId, ReplicatedStatus.Running, 3, 3, 0, early);
        // Reveals open in the same second, whatever the commit deadline.
        _reveal(t, 0, AGREED);
    }

    function testFuzz_revealResult_closesAfterEarlyRevealDeadline(
        uint256 openPeriod,
        uint256 commitWindow,
        uint256 revealWindow,
        uint256 commitAt
    ) public {
        (bytes32 jobId, ReplicatedTerms memory t, uint256 early) =
            _committedEarly(openPeriod, commitWindow, revealWindow, commitAt);

        vm.warp(early + 1);
        vm.expectRevert(abi.encodeWithSelector(DeadlinePassed.selector, jobId, early, early + 1));
        vm.prank(replicaWorkers[1]);
        replicated.revealResult(t, 1, AGREED, _saltOf(1), REVEAL_URI);

        vm.warp(early);
        _reveal(t, 1, AGREED);
        _assertRepJob(jobId, ReplicatedStatus.Running, 3, 3, 1, early);
    }

    function testFuzz_finalize_opensAfterEarlyRevealDeadline(
        uint256 openPeriod,
        uint256 commitWindow,
        uint256 revealWindow,
        uint256 commitAt
    ) public {
        (bytes32 jobId, ReplicatedTerms memory t, uint256 early) =
            _committedEarly(openPeriod, commitWindow, revealWindow, commitAt);
        _reveal(t, 0, AGREED);
        _reveal(t, 1, AGREED);

        vm.warp(early);
        vm.expectRevert(abi.encodeWithSelector(FinalizeTooEarly.selector, jobId, early, early));
        _finalize(t);

        vm.warp(early + 1);
        _finalize(t);
        _assertRepJob(jobId, ReplicatedStatus.Closed, 3, 3, 2, early);
    }

    function testFuzz_finalize_atOnceWhenAllRevealedEarly(
        uint256 openPeriod,
        uint256 commitWindow,
        uint256 revealWindow,
        uint256 commitAt,
        uint256 revealAt
    ) public {
        (bytes32 jobId, ReplicatedTerms memory t, uint256 early) =
            _committedEarly(openPeriod, commitWindow, revealWindow, commitAt);
        vm.warp(_bound(revealAt, block.timestamp, early));
        _revealAll(t, _hashes(AGREED, AGREED, AGREED), _flags(true, true, true));

        _finalize(t);

        _assertRepJob(jobId, ReplicatedStatus.Closed, 3, 3, 3, early);
    }

    // ---- helpers ----

    /// @dev Posts the default job (3 replicas, quorum 2) with fuzzed open period and windows.
    function _postTimed(uint256 openPeriod, uint256 commitWindow, uint256 revealWindow)
        internal
        returns (bytes32 jobId, ReplicatedTerms memory t)
    {
        ReplicatedParams memory p = _repParams();
        p.openUntil = uint40(block.timestamp + _bound(openPeriod, 0, MAX_OPEN_PERIOD));
        p.commitWindow = uint32(_bound(commitWindow, 1, MAX_PHASE_WINDOW));
        p.revealWindow = uint32(_bound(revealWindow, 1, MAX_PHASE_WINDOW));
        (jobId, t) = _postRep(p);
    }

    /// @dev A full job whose three slots committed at `commitAt` (bounded to the commit period);
    /// returns the early reveal deadline it set.
    function _committedEarly(uint256 openPeriod, uint256 commitWindow, uint256 revealWindow, uint256 commitAt)
        internal
        returns (bytes32 jobId, ReplicatedTerms memory t, uint256 early)
    {
        (jobId, t) = _postTimed(openPeriod, commitWindow, revealWindow);
        _takeSlots(t, 3);
        vm.warp(_bound(commitAt, START, _commitDeadline(t)));
        _commitAll(t, _hashes(AGREED, AGREED, AGREED));
        early = block.timestamp + t.revealWindow;
        assertEq(_revealDeadlineOf(jobId, t), early, "reveal deadline = last commit + reveal window");
    }

    function _expectOpenUntilRefused(ReplicatedParams memory p) internal {
        vm.expectRevert(abi.encodeWithSelector(InvalidOpenUntil.selector, p.openUntil, block.timestamp));
        vm.prank(client);
        replicated.postReplicatedJob{value: _budget(p)}(p, spec);
    }
}
