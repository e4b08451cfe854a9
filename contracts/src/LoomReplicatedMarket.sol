// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {
    ReplicatedOutcome,
    ReplicatedParams,
    ReplicatedStatus,
    ReplicatedTerms,
    Requirements,
    SlotState
} from "./interfaces/ILoomTypes.sol";
import {ILoomModels} from "./interfaces/ILoomModels.sol";
import {ILoomRegistry} from "./interfaces/ILoomRegistry.sol";
import {ILoomReplicatedMarket} from "./interfaces/ILoomReplicatedMarket.sol";
import {Ledger} from "./base/Ledger.sol";
import {MarketConfig} from "./base/MarketConfig.sol";
import {Payouts} from "./libraries/Payouts.sol";
import {TermsHash} from "./libraries/TermsHash.sol";

/// @title Loom replicated-job market
/// @notice See ILoomReplicatedMarket. Settlement, in `finalize`:
/// - quorum reached (a hash revealed by at least `quorum` workers; `quorum > replicas / 2`, so at most
///   one can): the price of the filled slots is shared equally by that hash's workers (each pays the
///   fee fixed at posting; the rounding remainder and the price of empty slots go back to the client).
///   Every other taken slot (another hash, or no reveal) loses its whole collateral: half of it is
///   shared by the quorum's workers, the rest (and rounding) goes to the client.
/// - no quorum: the client gets the whole budget back; revealers are unlocked; slots that did not
///   reveal lose their collateral to the client.
/// - fewer than `quorum` slots taken by `openUntil` (expired unfilled): refund, nobody slashed.
/// There is no dispute phase: the workers' agreement is the verdict, and an arbiter would only be a
/// single point of trust the replication exists to remove.
/// A job restricted to a pool takes only its members, each of whom pays the operator the pool's fee
/// (as it stood when the slot was taken) out of its payout. The fees of the models a job uses (see
/// LoomModels) go to their creators when the quorum is reached and back to the client otherwise.
/// @dev Job ids cannot collide with the single market's: there the terms are 16 words, here 15.
contract LoomReplicatedMarket is ILoomReplicatedMarket, MarketConfig, Ledger {
    /// @notice Most replicas a job may ask for.
    uint8 public constant MAX_REPLICAS = 7;
    /// @dev ReplicatedTerms' fields, all static: its ABI encoding is this many words.
    uint256 private constant TERMS_WORDS = 15;
    /// @notice Longest commit or reveal window.
    uint256 public constant MAX_PHASE_WINDOW = 30 days;

    /// @dev One slot: 1 + 1 + 1 + 1 + 5 + 8 + 1 bytes. `pool`: the pool whose members alone may take
    /// slots (0: any worker). `royalties`: LoomModels holds model fees for the job.
    struct Job {
        ReplicatedStatus status;
        uint8 filled;
        uint8 committed;
        uint8 revealed;
        uint40 revealDeadline;
        uint64 pool;
        bool royalties;
    }

    /// @dev One slot per taken slot: 20 + 1 + 2 bytes. `poolFeeBps`: the pool's fee when it was taken.
    struct Slot {
        address worker;
        SlotState state;
        uint16 poolFeeBps;
    }

    /// @notice The model hub allowed to post jobs whose model fees it escrows (`postReplicatedJobPaidBy`).
    ILoomModels public immutable models;

    mapping(bytes32 jobId => Job) public replicatedJobs;
    mapping(bytes32 jobId => mapping(uint256 slot => Slot)) public slots;
    /// @notice The slot's commitment while committed, its result hash once revealed.
    mapping(bytes32 jobId => mapping(uint256 slot => bytes32)) public slotHashes;

    constructor(ILoomRegistry registry_, address owner_, address treasury_, uint16 feeBps_, ILoomModels models_)
        MarketConfig(owner_, treasury_, feeBps_)
        Ledger(registry_)
    {
        models = models_;
    }

    /// @inheritdoc ILoomReplicatedMarket
    function postReplicatedJob(ReplicatedParams calldata p, bytes calldata spec)
        external
        payable
        nonReentrant
        returns (bytes32 jobId)
    {
        jobId = _post(p, spec, msg.sender, false);
    }

    /// @inheritdoc ILoomReplicatedMarket
    function postReplicatedJobPaidBy(ReplicatedParams calldata p, bytes calldata spec, address client)
        external
        payable
        nonReentrant
        returns (bytes32 jobId)
    {
        if (msg.sender != address(models)) revert UnexpectedSender(msg.sender);
        jobId = _post(p, spec, client, true);
    }

    /// @dev Checks the parameters, opens the job for `client`, emits and takes the budget from the caller.
    function _post(ReplicatedParams calldata p, bytes calldata spec, address client, bool royalties)
        private
        returns (bytes32 jobId)
    {
        if (spec.length > MAX_SPEC_BYTES) revert SpecTooLarge(spec.length, MAX_SPEC_BYTES);
        if (p.price == 0) revert ZeroBudget();
        if (p.token != address(0) && !tokenAllowed[p.token]) revert TokenNotAllowed(p.token);
        if (p.openUntil < block.timestamp || p.openUntil > block.timestamp + MAX_OPEN_PERIOD) {
            revert InvalidOpenUntil(p.openUntil, block.timestamp);
        }
        if (p.replicas < 2 || p.replicas > MAX_REPLICAS || uint16(p.quorum) * 2 <= p.replicas || p.quorum > p.replicas)
        {
            revert InvalidReplication(p.replicas, p.quorum);
        }
        if (
            p.commitWindow == 0 || p.commitWindow > MAX_PHASE_WINDOW || p.revealWindow == 0
                || p.revealWindow > MAX_PHASE_WINDOW
        ) revert InvalidWindow(p.commitWindow, p.revealWindow);
        uint256 budget = uint256(p.price) * p.replicas;
        if (budget > type(uint96).max) revert BudgetOverflow(p.price, p.replicas);

        if (p.pool != 0) registry.checkPool(p.pool);

        ReplicatedTerms memory t = _complete(p, spec, client);
        jobId = _postedJobId(t);
        Job storage job = replicatedJobs[jobId];
        if (job.status != ReplicatedStatus.None) revert JobExists(jobId);
        job.status = ReplicatedStatus.Running;
        job.pool = p.pool;
        job.royalties = royalties;
        emit ReplicatedJobPosted(jobId, client, p.token, t, spec);
        if (p.pool != 0) emit ReplicatedJobPooled(jobId, p.pool);
        _receive(p.token, budget);
    }

    /// @inheritdoc ILoomReplicatedMarket
    function takeSlot(ReplicatedTerms calldata terms) external {
        bytes32 jobId = _jobId(terms);
        Job storage job = _running(jobId);
        if (block.timestamp > terms.openUntil) revert DeadlinePassed(jobId, terms.openUntil, block.timestamp);
        uint8 filled = job.filled;
        if (filled >= terms.replicas) revert NoFreeSlot(jobId);
        for (uint256 i; i < filled; i++) {
            if (slots[jobId][i].worker == msg.sender) revert SlotAlreadyHeld(jobId, msg.sender);
        }
        registry.lock(
            jobId, msg.sender, Requirements(terms.minGpuCount, terms.minVramMiB, terms.gpuModel), terms.collateral
        );
        uint64 pool = job.pool;
        uint16 poolFeeBps = pool == 0 ? 0 : registry.startPoolJob(pool, msg.sender);
        slots[jobId][filled] = Slot(msg.sender, SlotState.Taken, poolFeeBps);
        job.filled = filled + 1;
        emit SlotTaken(jobId, msg.sender, filled, filled + 1);
    }

    /// @inheritdoc ILoomReplicatedMarket
    function commitResult(ReplicatedTerms calldata terms, uint8 slot, bytes32 commitment) external {
        bytes32 jobId = _jobId(terms);
        Job storage job = _running(jobId);
        _expectSlot(jobId, slot, SlotState.Taken);
        uint256 commitDeadline = _commitDeadline(terms);
        if (block.timestamp > commitDeadline) revert DeadlinePassed(jobId, commitDeadline, block.timestamp);
        if (commitment == bytes32(0)) revert ZeroCommitment(jobId);
        slotHashes[jobId][slot] = commitment;
        slots[jobId][slot].state = SlotState.Committed;
        uint8 committed = job.committed + 1;
        job.committed = committed;
        // A full job whose every slot has committed need not wait for the commit deadline.
        uint40 revealDeadline;
        if (committed == terms.replicas) {
            revealDeadline = uint40(block.timestamp + terms.revealWindow);
            job.revealDeadline = revealDeadline;
        }
        emit ResultCommitted(jobId, msg.sender, slot, commitment, committed, revealDeadline);
    }

    /// @inheritdoc ILoomReplicatedMarket
    function revealResult(
        ReplicatedTerms calldata terms,
        uint8 slot,
        bytes32 resultHash,
        bytes32 salt,
        string calldata resultURI
    ) external {
        bytes32 jobId = _jobId(terms);
        Job storage job = _running(jobId);
        _expectSlot(jobId, slot, SlotState.Committed);
        (bool open, uint256 revealDeadline) = _revealPhase(job, terms);
        if (!open) revert RevealNotOpen(jobId, _commitDeadline(terms), block.timestamp);
        if (block.timestamp > revealDeadline) revert DeadlinePassed(jobId, revealDeadline, block.timestamp);
        if (resultHash == bytes32(0)) revert ZeroResultHash(jobId);
        if (bytes(resultURI).length > MAX_TEXT_BYTES) revert TextTooLong(bytes(resultURI).length, MAX_TEXT_BYTES);
        if (_commitment(jobId, msg.sender, resultHash, salt) != slotHashes[jobId][slot]) {
            revert CommitmentMismatch(jobId, slot);
        }
        slotHashes[jobId][slot] = resultHash;
        slots[jobId][slot].state = SlotState.Revealed;
        job.revealed += 1;
        emit ResultRevealed(jobId, msg.sender, slot, resultHash, resultURI);
    }

    /// @inheritdoc ILoomReplicatedMarket
    function finalize(ReplicatedTerms calldata terms) external nonReentrant {
        bytes32 jobId = _jobId(terms);
        Job memory job = _running(jobId);
        if (job.filled < terms.quorum) {
            if (block.timestamp <= terms.openUntil) revert FinalizeTooEarly(jobId, terms.openUntil, block.timestamp);
            _settleUnfilled(jobId, terms, job.filled, ReplicatedOutcome.ExpiredUnfilled);
            return;
        }
        if (job.revealed < job.filled) {
            (, uint256 revealDeadline) = _revealPhase(job, terms);
            if (block.timestamp <= revealDeadline) revert FinalizeTooEarly(jobId, revealDeadline, block.timestamp);
        }
        _settle(jobId, terms, job.filled);
    }

    /// @inheritdoc ILoomReplicatedMarket
    function cancelReplicatedJob(ReplicatedTerms calldata terms) external {
        bytes32 jobId = _jobId(terms);
        Job memory job = _running(jobId);
        if (msg.sender != terms.client) revert NotClient(jobId, msg.sender);
        if (job.filled != 0) revert SlotsTaken(jobId, job.filled);
        _settleUnfilled(jobId, terms, 0, ReplicatedOutcome.Cancelled);
    }

    /// @inheritdoc ILoomReplicatedMarket
    function replicatedJobIdOf(ReplicatedTerms calldata terms) external pure returns (bytes32) {
        return _jobId(terms);
    }

    /// @inheritdoc ILoomReplicatedMarket
    function commitmentOf(bytes32 jobId, address worker, bytes32 resultHash, bytes32 salt)
        external
        pure
        returns (bytes32)
    {
        return _commitment(jobId, worker, resultHash, salt);
    }

    // ---- settlement ----

    /// @dev What `_settle` works out, kept in memory to stay within the stack.
    struct Settlement {
        address[] workers;
        uint64 pool;
        /// @dev The pool's operator (the same for every slot), once a slot's pool job has ended.
        address operator;
        uint96[] payouts;
        uint96[] slashed;
        bytes32 resultHash;
        uint256 winners;
        uint256 totalSlashed;
        uint96 fee;
        uint96 clientRefund;
    }

    /// @dev Settles a job with at least `quorum` slots taken, once no reveal can come any more.
    function _settle(bytes32 jobId, ReplicatedTerms calldata terms, uint8 filled) private {
        replicatedJobs[jobId].status = ReplicatedStatus.Closed;
        Settlement memory s;
        s.pool = replicatedJobs[jobId].pool;
        s.workers = new address[](filled);
        s.payouts = new uint96[](filled);
        s.slashed = new uint96[](filled);
        bytes32[] memory hashes = new bytes32[](filled);
        for (uint256 i; i < filled; i++) {
            Slot memory slot = slots[jobId][i];
            s.workers[i] = slot.worker;
            if (slot.state == SlotState.Revealed) hashes[i] = slotHashes[jobId][i];
        }
        s.resultHash = _quorumHash(hashes, terms.quorum);
        ReplicatedOutcome outcome = s.resultHash == bytes32(0) ? ReplicatedOutcome.NoQuorum : ReplicatedOutcome.QuorumReached;

        // Who is slashed: without a quorum, those who did not reveal; with one, everyone off it.
        for (uint256 i; i < filled; i++) {
            bool keeps = outcome == ReplicatedOutcome.QuorumReached ? hashes[i] == s.resultHash : hashes[i] != bytes32(0);
            if (keeps) {
                if (outcome == ReplicatedOutcome.QuorumReached) s.winners++;
            } else {
                s.slashed[i] = terms.collateral;
                s.totalSlashed += terms.collateral;
            }
            if (terms.collateral != 0) registry.unlock(s.workers[i], terms.collateral, s.slashed[i]);
            if (s.pool != 0) s.operator = registry.endPoolJob(s.pool, s.workers[i]);
        }

        uint96 budget = terms.price * terms.replicas;
        (uint96 slashEach, uint96 clientSlashShare) = Payouts.slashSplit(s.totalSlashed, s.winners);
        if (outcome == ReplicatedOutcome.NoQuorum) {
            s.clientRefund = budget;
        } else {
            (uint96 gross, uint96 remainder) = Payouts.quorumShare(uint256(terms.price) * filled, s.winners);
            uint96 feeEach = Payouts.fee(gross, terms.feeBps);
            for (uint256 i; i < filled; i++) {
                if (hashes[i] != s.resultHash) continue;
                s.payouts[i] = _payWinner(jobId, terms.token, s, i, gross - feeEach);
                _credit(address(0), s.workers[i], slashEach);
            }
            s.fee = feeEach * uint96(s.winners);
            s.clientRefund = budget - terms.price * filled + remainder;
            if (s.fee != 0) _credit(terms.token, treasury, s.fee);
        }
        _credit(terms.token, terms.client, s.clientRefund);
        _credit(address(0), terms.client, clientSlashShare);
        emit ReplicatedJobClosed(
            jobId, outcome, s.resultHash, s.workers, s.payouts, s.slashed, s.fee, s.clientRefund, slashEach, clientSlashShare
        );
        if (replicatedJobs[jobId].royalties) {
            models.settle(jobId, terms.client, outcome == ReplicatedOutcome.QuorumReached ? 1 : 0, 1);
        }
    }

    /// @dev Credits slot `i`'s worker its payout after the fee, less its pool's fee; returns what it got.
    function _payWinner(bytes32 jobId, address token, Settlement memory s, uint256 i, uint96 payout)
        private
        returns (uint96)
    {
        if (s.pool != 0) payout -= _payPool(jobId, token, s.pool, s.operator, payout, slots[jobId][i].poolFeeBps);
        _credit(token, s.workers[i], payout);
        return payout;
    }

    /// @dev Closes a job that will never reach its quorum for want of workers: everyone whole.
    function _settleUnfilled(bytes32 jobId, ReplicatedTerms calldata terms, uint8 filled, ReplicatedOutcome outcome)
        private
    {
        Job storage job = replicatedJobs[jobId];
        job.status = ReplicatedStatus.Closed;
        uint64 pool = job.pool;
        address[] memory workers = new address[](filled);
        for (uint256 i; i < filled; i++) {
            workers[i] = slots[jobId][i].worker;
            if (terms.collateral != 0) registry.unlock(workers[i], terms.collateral, 0);
            if (pool != 0) registry.endPoolJob(pool, workers[i]);
        }
        uint96 budget = terms.price * terms.replicas;
        _credit(terms.token, terms.client, budget);
        emit ReplicatedJobClosed(
            jobId, outcome, bytes32(0), workers, new uint96[](filled), new uint96[](filled), 0, budget, 0, 0
        );
        if (job.royalties) models.settle(jobId, terms.client, 0, 1);
    }

    /// @dev The hash revealed at least `quorum` times, or zero. Zero entries are slots without a reveal.
    function _quorumHash(bytes32[] memory hashes, uint8 quorum) private pure returns (bytes32) {
        for (uint256 i; i < hashes.length; i++) {
            if (hashes[i] == bytes32(0)) continue;
            uint256 count;
            for (uint256 j = i; j < hashes.length; j++) {
                if (hashes[j] == hashes[i]) count++;
            }
            if (count >= quorum) return hashes[i];
        }
        return bytes32(0);
    }

    // ---- internals ----

    function _complete(ReplicatedParams calldata p, bytes calldata spec, address client)
        private
        view
        returns (ReplicatedTerms memory t)
    {
        t.client = client;
        t.token = p.token;
        t.price = p.price;
        t.collateral = p.collateral;
        t.feeBps = feeBps;
        t.replicas = p.replicas;
        t.quorum = p.quorum;
        t.openUntil = p.openUntil;
        t.commitWindow = p.commitWindow;
        t.revealWindow = p.revealWindow;
        t.minGpuCount = p.minGpuCount;
        t.minVramMiB = p.minVramMiB;
        t.gpuModel = p.gpuModel;
        t.specHash = keccak256(spec);
        t.salt = p.salt;
    }

    /// @dev Whether reveals are accepted now (they may also be too late), and until when.
    function _revealPhase(Job memory job, ReplicatedTerms calldata terms)
        private
        view
        returns (bool open, uint256 revealDeadline)
    {
        if (job.revealDeadline != 0) return (true, job.revealDeadline);
        uint256 commitDeadline = _commitDeadline(terms);
        return (block.timestamp > commitDeadline, commitDeadline + terms.revealWindow);
    }

    function _commitDeadline(ReplicatedTerms calldata terms) private pure returns (uint256) {
        return uint256(terms.openUntil) + terms.commitWindow;
    }

    function _expectSlot(bytes32 jobId, uint8 slot, SlotState expected) private view {
        Slot memory s = slots[jobId][slot];
        if (s.worker != msg.sender) revert NotSlotWorker(jobId, slot, msg.sender);
        if (s.state != expected) revert UnexpectedSlotState(jobId, slot, expected, s.state);
    }

    function _running(bytes32 jobId) private view returns (Job storage job) {
        job = replicatedJobs[jobId];
        if (job.status != ReplicatedStatus.Running) {
            if (job.status == ReplicatedStatus.None) revert JobNotFound(jobId);
            revert JobAlreadyClosed(jobId);
        }
    }

    function _commitment(bytes32 jobId, address worker, bytes32 resultHash, bytes32 salt)
        private
        pure
        returns (bytes32)
    {
        return keccak256(abi.encode(jobId, worker, resultHash, salt));
    }

    /// @dev keccak256(abi.encode(terms)), see TermsHash.
    function _jobId(ReplicatedTerms calldata terms) private pure returns (bytes32) {
        uint256 at;
        assembly ("memory-safe") {
            at := terms
        }
        return TermsHash.ofCalldata(at, TERMS_WORDS);
    }

    function _postedJobId(ReplicatedTerms memory terms) private pure returns (bytes32) {
        uint256 at;
        assembly ("memory-safe") {
            at := terms
        }
        return TermsHash.ofMemory(at, TERMS_WORDS);
    }
}
