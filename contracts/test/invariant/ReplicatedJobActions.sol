// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {
    ReplicatedOutcome,
    ReplicatedParams,
    ReplicatedStatus,
    ReplicatedTerms,
    Requirements,
    SlotState
} from "../../src/interfaces/ILoomTypes.sol";
import {replicatedTermsOf} from "../utils/ReplicatedTermsOf.sol";
import {HandlerBase} from "./HandlerBase.sol";

/// @notice The handler's actions on the replicated market: jobs of 2 to 7 replicas are posted in ETH
/// and USDC, their slots taken by distinct eligible workers, results committed and revealed (honest,
/// planted, or never), jobs finalized and cancelled. The model follows each slot and, when a job
/// closes, works out from its own record what the settlement must be.
abstract contract ReplicatedJobActions is HandlerBase {
    /// @dev Each replica earns at most this, so a 7-replica budget stays near the single jobs' budgets.
    uint256 internal constant MAX_ETH_PRICE = 2 ether;
    uint256 internal constant MAX_USDC_PRICE = 20_000e6;
    /// @dev Lower than the single jobs' cap: a job of 7 replicas locks it 7 times.
    uint256 internal constant MAX_SLOT_COLLATERAL = 1 ether;

    /// @param flags bit 0: USDC instead of ETH; bits 1-2 == 1: restricted to a pool (when one exists);
    /// bits 3-4 == 1: posted through the model hub with up to three models it may use.
    /// @param replication picks n (2-7, mostly small) in bytes 0 and 3, the quorum k (n/2 < k <= n) in
    /// byte 1, and in byte 2 whether the job's workers mostly collude on a planted result.
    /// @param windows the open period, commit window and reveal window, 64 bits each.
    /// @param requirements bytes 0-2: minimum GPU count, minimum VRAM, required model.
    function postReplicatedJob(
        uint256 actorSeed,
        uint256 price,
        uint256 collateral,
        uint256 flags,
        uint256 replication,
        uint256 windows,
        uint256 requirements
    ) external recordsLogs {
        if (_rjobs.length >= MAX_REPLICATED_JOBS) return;
        address client = _actorAt(actorSeed);
        ReplicatedParams memory p = _replicatedParams(price, collateral, flags, replication, windows, requirements);
        p.salt = uint64(_rjobs.length);
        bytes memory spec = abi.encodePacked("loom-replicated-job-", vm.toString(_rjobs.length));
        ReplicatedTerms memory t = replicatedTermsOf(p, client, replicated.feeBps(), keccak256(spec));
        p.pool = _pickPool(actorSeed, flags >> 1);
        bytes32 jobId = (flags >> 3) % 4 == 1
            ? _postReplicatedThroughHub(p, spec, client, actorSeed)
            : _postReplicatedDirectly(p, spec, client);
        require(jobId == keccak256(abi.encode(t)), "handler: replicated terms differ from the market's");

        TrackedReplicated storage job = _rjobs.push();
        job.terms = t;
        job.id = jobId;
        job.status = ReplicatedStatus.Running;
        job.colluding = (replication >> 16) % 4 == 0;
        _rjobIndex[jobId] = _rjobs.length;
        _rjobPool[jobId] = p.pool;
        ghost_escrow[address(replicated)][p.token] += uint256(p.price) * p.replicas;
        calls["postReplicatedJob"]++;
    }

    function _postReplicatedDirectly(ReplicatedParams memory p, bytes memory spec, address client)
        internal
        returns (bytes32)
    {
        vm.prank(client);
        return replicated.postReplicatedJob{value: p.token == address(0) ? uint256(p.price) * p.replicas : 0}(p, spec);
    }

    /// @dev The client posts through the model hub, using models picked from `seed` (directly when none fits).
    function _postReplicatedThroughHub(ReplicatedParams memory p, bytes memory spec, address client, uint256 seed)
        internal
        returns (bytes32 jobId)
    {
        (uint32[] memory ids, uint256 fees) = _pickModels(uint256(keccak256(abi.encode(seed, "models"))), p.token);
        if (ids.length == 0) return _postReplicatedDirectly(p, spec, client);
        uint256 value = p.token == address(0) ? uint256(p.price) * p.replicas + fees : 0;
        vm.prank(client);
        jobId = models.postReplicatedJobWithModels{value: value}(replicated, p, spec, ids);
        _modelFeesEscrowed(jobId, p.token, fees);
        calls["postReplicatedJobWithModels"]++;
    }

    /// @notice Distinct eligible workers take free slots of one job, one call each: all of them or a few
    /// (`_countOf`).
    /// @param behaviourSeed one byte per new slot: how its worker will behave.
    function takeSlot(uint256 jobSeed, uint256 actorSeed, uint256 behaviourSeed, uint256 countSeed)
        external
        recordsLogs
    {
        (bool found, uint256 r) = _findReplicated(jobSeed, _hasFreeSlot);
        if (!found) return;
        uint256 count = _countOf(countSeed, _rjobs[r].terms.replicas);
        for (uint256 k; k < count && _hasFreeSlot(r); k++) {
            address a;
            (found, a) = _findSlotTaker(r, actorSeed);
            if (!found) return;
            vm.prank(a);
            replicated.takeSlot(_rjobs[r].terms);
            _slotTaken(r, a, _behaviour(r, behaviourSeed >> (8 * k)));
            calls["takeSlot"]++;
        }
    }

    /// @notice The workers of some or all of the slots of one job that are ready commit, each to its result.
    function commitResult(uint256 jobSeed, uint256 slotSeed, uint256 countSeed) external recordsLogs {
        (bool found, uint256 r, uint256 s) = _findSlot(jobSeed, slotSeed, _canCommit);
        if (!found) return;
        uint256 filled = _rjobs[r].filled;
        uint256 count = _countOf(countSeed, filled);
        for (uint256 j; j < filled && count != 0; j++) {
            uint256 slot = (s + j) % filled;
            if (!_canCommit(r, slot)) continue;
            _commit(r, slot);
            count--;
        }
    }

    /// @notice The workers of some or all of the committed slots of one job reveal what they committed to.
    function revealResult(uint256 jobSeed, uint256 slotSeed, uint256 countSeed) external recordsLogs {
        (bool found, uint256 r, uint256 s) = _findSlot(jobSeed, slotSeed, _canReveal);
        if (!found) return;
        uint256 filled = _rjobs[r].filled;
        uint256 count = _countOf(countSeed, filled);
        for (uint256 j; j < filled && count != 0; j++) {
            uint256 slot = (s + j) % filled;
            if (!_canReveal(r, slot)) continue;
            _reveal(r, slot);
            count--;
        }
    }

    function finalize(uint256 jobSeed, uint256 callerSeed) external recordsLogs {
        (bool found, uint256 r) = _findReplicated(jobSeed, _isFinalizable);
        if (!found) return;
        _finalize(r, _actorAt(callerSeed));
        calls["finalize"]++;
    }

    function cancelReplicatedJob(uint256 jobSeed) external recordsLogs {
        (bool found, uint256 r) = _findReplicated(jobSeed, _isUntaken);
        if (!found) return;
        vm.prank(_rjobs[r].terms.client);
        replicated.cancelReplicatedJob(_rjobs[r].terms);
        _replicatedClosed(r, true);
        calls["cancelReplicatedJob"]++;
    }

    // ---- shared with the wind-down and the re-entering actor ----

    function _commit(uint256 r, uint256 s) internal {
        TrackedReplicated storage job = _rjobs[r];
        TrackedSlot storage slot = _slots[r][s];
        bytes32 commitment = keccak256(abi.encode(job.id, slot.worker, _resultOf(r, s), _saltOf(r, s)));
        vm.prank(slot.worker);
        replicated.commitResult(job.terms, uint8(s), commitment);
        slot.state = SlotState.Committed;
        job.committed++;
        // The last commit of a full job opens the reveal phase at once.
        if (job.committed == job.terms.replicas) job.revealDeadline = uint40(block.timestamp + job.terms.revealWindow);
        calls["commitResult"]++;
    }

    function _reveal(uint256 r, uint256 s) internal {
        TrackedSlot storage slot = _slots[r][s];
        vm.prank(slot.worker);
        replicated.revealResult(_rjobs[r].terms, uint8(s), _resultOf(r, s), _saltOf(r, s), "ipfs://replica");
        slot.state = SlotState.Revealed;
        _rjobs[r].revealed++;
        calls["revealResult"]++;
    }

    function _finalize(uint256 r, address caller) internal {
        vm.prank(caller);
        replicated.finalize(_rjobs[r].terms);
        _replicatedClosed(r, false);
    }

    // ---- the model ----

    function _slotTaken(uint256 r, address worker, Behaviour behaviour) internal {
        TrackedReplicated storage job = _rjobs[r];
        _slots[r][job.filled] = TrackedSlot({
            worker: worker, state: SlotState.Taken, behaviour: behaviour, expectSlashed: false, expectPaid: false
        });
        uint64 pool = _rjobPool[job.id];
        if (pool != 0) {
            _slotPoolFee[job.id][job.filled] = _pools[pool - 1].feeBps;
            calls["pooledSlotTaken"]++;
        }
        job.filled++;
    }

    /// @dev Closes job `r` in the model and records what its settlement must be, worked out from the
    /// model's slots by the rules at the top of LoomReplicatedMarket.
    function _replicatedClosed(uint256 r, bool cancelled) internal {
        TrackedReplicated storage job = _rjobs[r];
        job.status = ReplicatedStatus.Closed;
        ghost_escrow[address(replicated)][job.terms.token] -= _budgetOf(r);
        _modelFeesSettled(job.id, job.terms.token);
        if (cancelled) job.outcome = ReplicatedOutcome.Cancelled;
        else if (job.filled < job.terms.quorum) job.outcome = ReplicatedOutcome.ExpiredUnfilled;
        else _expectSettlement(r);
        calls[_outcomeName(job.outcome)]++;
    }

    /// @dev With at least `quorum` slots taken: a hash revealed by `quorum` workers wins and everyone
    /// else taken loses the collateral; without such a hash, only those who did not reveal lose it.
    function _expectSettlement(uint256 r) private {
        TrackedReplicated storage job = _rjobs[r];
        uint256 honest;
        uint256 planted;
        for (uint256 s; s < job.filled; s++) {
            TrackedSlot storage slot = _slots[r][s];
            if (slot.state != SlotState.Revealed) continue;
            if (slot.behaviour == Behaviour.Honest) honest++;
            else planted++;
        }
        bool quorum = honest >= job.terms.quorum || planted >= job.terms.quorum;
        Behaviour winner = honest >= job.terms.quorum ? Behaviour.Honest : Behaviour.Planted;
        job.outcome = quorum ? ReplicatedOutcome.QuorumReached : ReplicatedOutcome.NoQuorum;
        if (quorum && winner == Behaviour.Planted) calls["plantedQuorum"]++;
        for (uint256 s; s < job.filled; s++) {
            TrackedSlot storage slot = _slots[r][s];
            bool revealed = slot.state == SlotState.Revealed;
            bool keeps = quorum ? revealed && slot.behaviour == winner : revealed;
            slot.expectSlashed = !keeps;
            slot.expectPaid = quorum && keeps;
        }
    }

    function _outcomeName(ReplicatedOutcome outcome) private pure returns (bytes32) {
        if (outcome == ReplicatedOutcome.QuorumReached) return "QuorumReached";
        if (outcome == ReplicatedOutcome.NoQuorum) return "NoQuorum";
        if (outcome == ReplicatedOutcome.ExpiredUnfilled) return "ExpiredUnfilled";
        return "Cancelled";
    }

    /// @notice What the model holds in escrow for replicated job `r`: while it runs, every replica's
    /// price, filled or not.
    function replicatedEscrowOf(uint256 r) public view returns (uint256) {
        return _rjobs[r].status == ReplicatedStatus.Running ? _budgetOf(r) : 0;
    }

    function _budgetOf(uint256 r) internal view returns (uint256) {
        return uint256(_rjobs[r].terms.price) * _rjobs[r].terms.replicas;
    }

    /// @dev The reveal deadline as the rules set it: fixed by the last commit of a full job, else the
    /// commit deadline plus the reveal window.
    function _revealDeadlineOf(uint256 r) internal view returns (uint256) {
        TrackedReplicated storage job = _rjobs[r];
        if (job.revealDeadline != 0) return job.revealDeadline;
        return _commitDeadlineOf(r) + job.terms.revealWindow;
    }

    function _commitDeadlineOf(uint256 r) internal view returns (uint256) {
        return uint256(_rjobs[r].terms.openUntil) + _rjobs[r].terms.commitWindow;
    }

    /// @dev What slot `s` commits to: the job's one true result, or the hash all its planted workers share.
    function _resultOf(uint256 r, uint256 s) internal view returns (bytes32) {
        bytes32 jobId = _rjobs[r].id;
        return _slots[r][s].behaviour == Behaviour.Planted
            ? keccak256(abi.encode(jobId, "planted"))
            : keccak256(abi.encode(jobId, "result"));
    }

    function _saltOf(uint256 r, uint256 s) internal view returns (bytes32) {
        return keccak256(abi.encode(_rjobs[r].id, s, "salt"));
    }

    // ---- picking jobs, slots and workers ----

    /// @dev The first running job from `seed` on (wrapping) that passes `filter`.
    function _findReplicated(uint256 seed, function(uint256) view returns (bool) filter)
        internal
        view
        returns (bool, uint256)
    {
        uint256 n = _rjobs.length;
        for (uint256 k; k < n; k++) {
            uint256 r = (seed % n + k) % n;
            if (_rjobs[r].status == ReplicatedStatus.Running && filter(r)) return (true, r);
        }
        return (false, 0);
    }

    /// @dev The first taken slot of a running job, from the seeds on, that passes `filter`.
    function _findSlot(uint256 jobSeed, uint256 slotSeed, function(uint256, uint256) view returns (bool) filter)
        internal
        view
        returns (bool, uint256, uint256)
    {
        uint256 n = _rjobs.length;
        for (uint256 k; k < n; k++) {
            uint256 r = (jobSeed % n + k) % n;
            uint256 filled = _rjobs[r].filled;
            if (_rjobs[r].status != ReplicatedStatus.Running || filled == 0) continue;
            for (uint256 j; j < filled; j++) {
                uint256 s = (slotSeed % filled + j) % filled;
                if (filter(r, s)) return (true, r, s);
            }
        }
        return (false, 0, 0);
    }

    /// @dev An eligible worker without a slot in job `r` yet.
    function _findSlotTaker(uint256 r, uint256 seed) internal view returns (bool, address) {
        uint256 n = _actors.length;
        for (uint256 k; k < n; k++) {
            address a = _actors[(seed % n + k) % n];
            if (_canTakeSlot(r, a)) return (true, a);
        }
        return (false, address(0));
    }

    function _canTakeSlot(uint256 r, address a) internal view returns (bool) {
        TrackedReplicated storage job = _rjobs[r];
        for (uint256 s; s < job.filled; s++) {
            if (_slots[r][s].worker == a) return false;
        }
        uint64 pool = _rjobPool[job.id];
        if (pool != 0 && !_isPoolMember(a, pool)) return false;
        ReplicatedTerms storage t = job.terms;
        return _isEligible(a, Requirements(t.minGpuCount, t.minVramMiB, t.gpuModel), t.collateral);
    }

    // ---- job and slot filters ----

    function _hasFreeSlot(uint256 r) internal view returns (bool) {
        return block.timestamp <= _rjobs[r].terms.openUntil && _rjobs[r].filled < _rjobs[r].terms.replicas;
    }

    function _isUntaken(uint256 r) internal view returns (bool) {
        return _rjobs[r].filled == 0;
    }

    /// @dev With fewer slots taken than the quorum, once slots can no longer be taken; otherwise once
    /// every taken slot has revealed or the reveal deadline has passed.
    function _isFinalizable(uint256 r) internal view returns (bool) {
        TrackedReplicated storage job = _rjobs[r];
        if (job.filled < job.terms.quorum) return block.timestamp > job.terms.openUntil;
        return job.revealed == job.filled || block.timestamp > _revealDeadlineOf(r);
    }

    function _canCommit(uint256 r, uint256 s) internal view returns (bool) {
        TrackedSlot storage slot = _slots[r][s];
        return
            slot.state == SlotState.Taken && slot.behaviour != Behaviour.Silent
                && block.timestamp <= _commitDeadlineOf(r);
    }

    function _canReveal(uint256 r, uint256 s) internal view returns (bool) {
        TrackedSlot storage slot = _slots[r][s];
        if (slot.state != SlotState.Committed || slot.behaviour == Behaviour.Hider) return false;
        bool open = _rjobs[r].revealDeadline != 0 || block.timestamp > _commitDeadlineOf(r);
        return open && block.timestamp <= _revealDeadlineOf(r);
    }

    // ---- building inputs ----

    /// @dev How many slots a step moves: half the time every one it can, so that short runs still see
    /// jobs fill, commit and reveal in full; otherwise 1 to `max`.
    function _countOf(uint256 seed, uint256 max) internal pure returns (uint256) {
        return seed % 2 == 0 ? max : 1 + (seed >> 1) % max;
    }

    /// @dev Mostly the job's majority behaviour (honest, or planted in a colluding job), else the
    /// other one, silent or hiding.
    function _behaviour(uint256 r, uint256 seed) internal view returns (Behaviour) {
        uint256 roll = seed % 8;
        bool colluding = _rjobs[r].colluding;
        if (roll < 5) return colluding ? Behaviour.Planted : Behaviour.Honest;
        if (roll == 5) return colluding ? Behaviour.Honest : Behaviour.Planted;
        return roll == 6 ? Behaviour.Silent : Behaviour.Hider;
    }

    function _replicatedParams(
        uint256 price,
        uint256 collateral,
        uint256 flags,
        uint256 replication,
        uint256 windows,
        uint256 requirements
    ) internal view returns (ReplicatedParams memory p) {
        p.token = flags & 1 == 0 ? address(0) : address(usdc);
        p.price = uint96(_bound(price, 1, p.token == address(0) ? MAX_ETH_PRICE : MAX_USDC_PRICE));
        p.collateral = uint96(_bound(collateral, 0, MAX_SLOT_COLLATERAL));
        // Half the jobs have 2 or 3 replicas, so that a short run still fills and settles some.
        uint256 extra = replication % (replicated.MAX_REPLICAS() - 1);
        p.replicas = uint8(2 + ((replication >> 24) % 2 == 0 ? extra % 2 : extra));
        uint8 half = p.replicas / 2;
        p.quorum = uint8(half + 1 + (replication >> 8) % (p.replicas - half));
        p.openUntil = uint40(block.timestamp + _bound(uint64(windows), 1 hours, MAX_DURATION));
        p.commitWindow = uint32(_bound(uint64(windows >> 64), 1, MAX_DURATION));
        p.revealWindow = uint32(_bound(uint64(windows >> 128), 1, MAX_DURATION));
        Requirements memory req = _requirements(requirements);
        (p.minGpuCount, p.minVramMiB, p.gpuModel) = (req.minGpuCount, req.minVramMiB, req.gpuModel);
    }
}
