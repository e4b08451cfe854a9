// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {MarketFixture} from "./MarketFixture.sol";
import {replicatedTermsOf} from "./ReplicatedTermsOf.sol";
import {
    ReplicatedOutcome,
    ReplicatedParams,
    ReplicatedStatus,
    ReplicatedTerms,
    SlotState
} from "../../src/interfaces/ILoomTypes.sol";

/// @notice MarketFixture plus seven funded workers for replicated jobs, and helpers that walk a
/// replicated job through its phases: take slots, commit, reveal, finalize.
abstract contract ReplicatedFixture is MarketFixture {
    uint8 internal constant MAX_REPLICAS = 7;
    uint256 internal constant MAX_PHASE_WINDOW = 30 days;
    /// @dev What every replica worker stakes when the helpers register it.
    uint96 internal constant REPLICA_STAKE = 1 ether;
    /// @dev The result the honest replicas agree on, and two others.
    bytes32 internal constant AGREED = keccak256("agreed result");
    bytes32 internal constant DISSENT = keccak256("dissenting result");
    bytes32 internal constant OTHER = keccak256("another result");
    string internal constant REVEAL_URI = "http://127.0.0.1/artifacts/replica";

    /// @dev Replica workers, slot i taken by replicaWorkers[i] in the helpers.
    address[MAX_REPLICAS] internal replicaWorkers;

    function setUp() public virtual override {
        super.setUp();
        for (uint256 i; i < MAX_REPLICAS; i++) {
            replicaWorkers[i] = makeAddr(string.concat("replica", vm.toString(i)));
            vm.deal(replicaWorkers[i], 100 ether);
        }
    }

    // ---- posting ----

    /// @dev Default parameters: ETH, 3 replicas with a quorum of 2, 1 ETH per replica, 0.1 ETH collateral,
    /// slots open for an hour, then two hours to commit and one to reveal.
    function _repParams() internal view returns (ReplicatedParams memory p) {
        p.token = address(0);
        p.price = 1 ether;
        p.collateral = 0.1 ether;
        p.replicas = 3;
        p.quorum = 2;
        p.openUntil = uint40(block.timestamp + 1 hours);
        p.commitWindow = 2 hours;
        p.revealWindow = 1 hours;
        p.minGpuCount = 1;
        p.minVramMiB = 40_960;
        p.gpuModel = bytes32(0);
        p.salt = 0;
    }

    /// @dev `_repParams()` with `replicas` and `quorum`.
    function _repParams(uint8 replicas, uint8 quorum) internal view returns (ReplicatedParams memory p) {
        p = _repParams();
        p.replicas = replicas;
        p.quorum = quorum;
    }

    /// @dev The terms the replicated market completes `p` into when `poster` posts it with `spec_`.
    function _repTerms(ReplicatedParams memory p, address poster, bytes memory spec_)
        internal
        view
        returns (ReplicatedTerms memory)
    {
        return replicatedTermsOf(p, poster, replicated.feeBps(), keccak256(spec_));
    }

    /// @dev What `p` escrows: its price times its replicas.
    function _budget(ReplicatedParams memory p) internal pure returns (uint256) {
        return uint256(p.price) * p.replicas;
    }

    /// @dev The client posts `p` with `spec`, paying the budget in ETH or USDC.
    function _postRep(ReplicatedParams memory p) internal returns (bytes32 jobId, ReplicatedTerms memory t) {
        t = _repTerms(p, client, spec);
        vm.prank(client);
        jobId = replicated.postReplicatedJob{value: p.token == address(0) ? _budget(p) : 0}(p, spec);
        assertEq(jobId, keccak256(abi.encode(t)), "replicated job id is the hash of the terms");
    }

    // ---- slots ----

    /// @dev Registers replicaWorkers[slot] with REPLICA_STAKE unless it is registered already.
    function _registerReplica(uint256 slot) internal {
        (,,,, bool registered,) = registry.workers(replicaWorkers[slot]);
        if (!registered) _register(replicaWorkers[slot], REPLICA_STAKE);
    }

    /// @dev Fills the job up to `count` slots: the next free slots, slot i taken by replicaWorkers[i]
    /// (registered first if needed).
    function _takeSlots(ReplicatedTerms memory t, uint256 count) internal {
        (, uint8 filled,,,,,) = replicated.replicatedJobs(keccak256(abi.encode(t)));
        for (uint256 i = filled; i < count; i++) {
            _registerReplica(i);
            vm.prank(replicaWorkers[i]);
            replicated.takeSlot(t);
        }
    }

    /// @dev Posts `p` and fills `count` of its slots.
    function _postAndTake(ReplicatedParams memory p, uint256 count)
        internal
        returns (bytes32 jobId, ReplicatedTerms memory t)
    {
        (jobId, t) = _postRep(p);
        _takeSlots(t, count);
    }

    // ---- commit and reveal ----

    /// @dev The salt replicaWorkers[slot] commits with.
    function _saltOf(uint256 slot) internal pure returns (bytes32) {
        return keccak256(abi.encode("salt", slot));
    }

    /// @dev keccak256(abi.encode(jobId, worker, resultHash, salt)), computed here rather than read from
    /// the contract, so that a change of the scheme shows.
    function _commitmentFor(bytes32 jobId, address who, bytes32 resultHash, bytes32 salt)
        internal
        pure
        returns (bytes32)
    {
        return keccak256(abi.encode(jobId, who, resultHash, salt));
    }

    /// @dev replicaWorkers[slot] commits to `resultHash` with `_saltOf(slot)`.
    function _commit(ReplicatedTerms memory t, uint256 slot, bytes32 resultHash) internal {
        bytes32 jobId = keccak256(abi.encode(t));
        vm.prank(replicaWorkers[slot]);
        replicated.commitResult(t, uint8(slot), _commitmentFor(jobId, replicaWorkers[slot], resultHash, _saltOf(slot)));
    }

    /// @dev replicaWorkers[slot] reveals `resultHash` with `_saltOf(slot)`.
    function _reveal(ReplicatedTerms memory t, uint256 slot, bytes32 resultHash) internal {
        vm.prank(replicaWorkers[slot]);
        replicated.revealResult(t, uint8(slot), resultHash, _saltOf(slot), REVEAL_URI);
    }

    /// @dev Every slot i with a non-zero `commits[i]` commits it.
    function _commitAll(ReplicatedTerms memory t, bytes32[] memory commits) internal {
        for (uint256 i; i < commits.length; i++) {
            if (commits[i] != bytes32(0)) _commit(t, i, commits[i]);
        }
    }

    /// @dev Every slot i with `reveals[i]` reveals `commits[i]`.
    function _revealAll(ReplicatedTerms memory t, bytes32[] memory commits, bool[] memory reveals) internal {
        for (uint256 i; i < commits.length; i++) {
            if (reveals[i]) _reveal(t, i, commits[i]);
        }
    }

    /// @dev Commits `commits`, opens the reveal phase (at once when every slot of a full job committed,
    /// else at the commit deadline + 1) and reveals where `reveals` says so.
    function _commitAndReveal(ReplicatedTerms memory t, bytes32[] memory commits, bool[] memory reveals) internal {
        _commitAll(t, commits);
        (,,,, uint40 revealDeadline,,) = replicated.replicatedJobs(keccak256(abi.encode(t)));
        if (revealDeadline == 0) vm.warp(_commitDeadline(t) + 1);
        _revealAll(t, commits, reveals);
    }

    /// @dev A job of `p` whose first `commits.length` slots are taken, committed and revealed as given,
    /// at the moment after which nobody can reveal any more: ready to finalize.
    function _playedOut(ReplicatedParams memory p, bytes32[] memory commits, bool[] memory reveals)
        internal
        returns (bytes32 jobId, ReplicatedTerms memory t)
    {
        (jobId, t) = _postAndTake(p, commits.length);
        _commitAndReveal(t, commits, reveals);
        vm.warp(_revealDeadlineOf(jobId, t) + 1);
    }

    /// @dev Anyone (the stranger) finalizes.
    function _finalize(ReplicatedTerms memory t) internal {
        vm.prank(stranger);
        replicated.finalize(t);
    }

    // ---- deadlines ----

    function _commitDeadline(ReplicatedTerms memory t) internal pure returns (uint256) {
        return uint256(t.openUntil) + t.commitWindow;
    }

    /// @dev The reveal deadline as it stands: set early when a full job committed, else the commit
    /// deadline plus the reveal window.
    function _revealDeadlineOf(bytes32 jobId, ReplicatedTerms memory t) internal view returns (uint256) {
        (,,,, uint40 early,,) = replicated.replicatedJobs(jobId);
        return early != 0 ? early : _commitDeadline(t) + t.revealWindow;
    }

    // ---- small arrays ----

    function _hashes(bytes32 a, bytes32 b, bytes32 c) internal pure returns (bytes32[] memory h) {
        h = new bytes32[](3);
        (h[0], h[1], h[2]) = (a, b, c);
    }

    function _hashes(bytes32 a, bytes32 b) internal pure returns (bytes32[] memory h) {
        h = new bytes32[](2);
        (h[0], h[1]) = (a, b);
    }

    function _flags(bool a, bool b, bool c) internal pure returns (bool[] memory f) {
        f = new bool[](3);
        (f[0], f[1], f[2]) = (a, b, c);
    }

    function _flags(bool a, bool b) internal pure returns (bool[] memory f) {
        f = new bool[](2);
        (f[0], f[1]) = (a, b);
    }

    function _amounts(uint96 a, uint96 b, uint96 c) internal pure returns (uint96[] memory x) {
        x = new uint96[](3);
        (x[0], x[1], x[2]) = (a, b, c);
    }

    function _amounts(uint96 a, uint96 b) internal pure returns (uint96[] memory x) {
        x = new uint96[](2);
        (x[0], x[1]) = (a, b);
    }

    /// @dev replicaWorkers[0..count).
    function _replicaList(uint256 count) internal view returns (address[] memory list) {
        list = new address[](count);
        for (uint256 i; i < count; i++) {
            list[i] = replicaWorkers[i];
        }
    }

    // ---- assertions ----

    function _assertRepJob(
        bytes32 jobId,
        ReplicatedStatus status,
        uint8 filled,
        uint8 committed,
        uint8 revealed,
        uint256 revealDeadline
    ) internal view {
        (ReplicatedStatus s, uint8 f, uint8 c, uint8 r, uint40 d,,) = replicated.replicatedJobs(jobId);
        assertEq(uint8(s), uint8(status), "replicated job status");
        assertEq(f, filled, "slots filled");
        assertEq(c, committed, "slots committed");
        assertEq(r, revealed, "slots revealed");
        assertEq(d, revealDeadline, "early reveal deadline");
    }

    function _assertSlot(bytes32 jobId, uint256 slot, address worker_, SlotState state, bytes32 hash) internal view {
        (address w, SlotState s,) = replicated.slots(jobId, slot);
        assertEq(w, worker_, "slot worker");
        assertEq(uint8(s), uint8(state), "slot state");
        assertEq(replicated.slotHashes(jobId, slot), hash, "slot commitment or result hash");
    }

    /// @dev replicaWorkers[slot]'s stake and lock in the registry, all of the lock held by the replicated market.
    function _assertReplicaStake(uint256 slot, uint96 stake, uint96 locked) internal view {
        (uint96 s, uint96 l,,,,) = registry.workers(replicaWorkers[slot]);
        assertEq(s, stake, "replica stake");
        assertEq(l, locked, "replica locked");
        assertEq(
            registry.lockedBy(address(replicated), replicaWorkers[slot]), locked, "locked by the replicated market"
        );
    }

    /// @dev The replicated market's credit of `token` (address(0): ETH) for `who`.
    function _repCredit(address token, address who) internal view returns (uint256) {
        return replicated.credits(token, who);
    }

    /// @dev The next call emits ReplicatedJobClosed from the replicated market with exactly these fields.
    function _expectClosed(
        bytes32 jobId,
        ReplicatedOutcome outcome,
        bytes32 resultHash,
        address[] memory workers_,
        uint96[] memory payouts,
        uint96[] memory slashed,
        uint96 fee,
        uint96 clientRefund,
        uint96 winnerSlashShare,
        uint96 clientSlashShare
    ) internal {
        vm.expectEmit(true, true, true, true, address(replicated));
        emit ReplicatedJobClosed(
            jobId,
            outcome,
            resultHash,
            workers_,
            payouts,
            slashed,
            fee,
            clientRefund,
            winnerSlashShare,
            clientSlashShare
        );
    }

    // ---- expected reverts ----

    /// @dev `who` makes the replicated-market call `call` and it reverts with `revertData`.
    function _expectRepRefused(address who, bytes memory call, bytes memory revertData) internal {
        _expectRefusedBy(address(replicated), who, call, revertData);
    }
}
