// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {CommonBase} from "forge-std/Base.sol";
import {StdCheats} from "forge-std/StdCheats.sol";
import {StdUtils} from "forge-std/StdUtils.sol";
import {Vm} from "forge-std/Vm.sol";
import {LoomMarket} from "../../src/LoomMarket.sol";
import {LoomModels} from "../../src/LoomModels.sol";
import {LoomRegistry} from "../../src/LoomRegistry.sol";
import {LoomReplicatedMarket} from "../../src/LoomReplicatedMarket.sol";
import {TestUSDC} from "../../src/TestUSDC.sol";
import {Payouts} from "../../src/libraries/Payouts.sol";
import {ILoomModels} from "../../src/interfaces/ILoomModels.sol";
import {ILoomMarketEvents} from "../../src/interfaces/ILoomMarketEvents.sol";
import {ILoomReplicatedMarketEvents} from "../../src/interfaces/ILoomReplicatedMarketEvents.sol";
import {ICreditsEvents} from "../../src/interfaces/ICreditsEvents.sol";
import {IMarketBaseEvents} from "../../src/interfaces/IMarketBaseEvents.sol";
import {
    HardwareClaim,
    JobMode,
    JobStatus,
    PoolMemberState,
    JobTerms,
    ReplicatedOutcome,
    ReplicatedStatus,
    ReplicatedTerms,
    Requirements,
    SlotState
} from "../../src/interfaces/ILoomTypes.sol";
import {ReentrantActor} from "../mocks/ReentrantActor.sol";
import {RevertingReceiver} from "../mocks/RevertingReceiver.sol";

/// @notice What every part of the invariant handler shares: the deployed set, the actors, the handler's
/// own model of every job it created (single-worker and replicated), the ghost totals, and the reading
/// of the contracts' logs.
/// @dev The model and the ghost totals move only from what the handler did and from the logs, never
/// from the contracts' state, so the invariants compare two independent accounts of the same history.
/// The contracts' state is read only to choose calls their rules allow (who is eligible now).
abstract contract HandlerBase is CommonBase, StdCheats, StdUtils {
    /// @dev Eight actors in all (with the refusing and the re-entering one): enough distinct workers
    /// to fill a job of MAX_REPLICAS slots.
    uint256 internal constant EOA_ACTORS = 6;
    /// @dev Invariants read every job after every call; caps keep long runs cheap.
    uint256 internal constant MAX_JOBS = 48;
    uint256 internal constant MAX_REPLICATED_JOBS = 24;
    uint256 internal constant MAX_ETH_BUDGET = 10 ether;
    uint256 internal constant MAX_USDC_BUDGET = 100_000e6;
    uint256 internal constant MAX_COLLATERAL = 3 ether;
    uint256 internal constant MAX_STAKE = 5 ether;
    uint256 internal constant MAX_DURATION = 3 days;
    bytes32 internal constant H100 = bytes32("NVIDIA H100 80GB HBM3");
    bytes32 internal constant RTX4090 = bytes32("NVIDIA GeForce RTX 4090");

    /// @dev A single-worker job as the handler knows it: its terms and the model's view of its state.
    struct TrackedJob {
        JobTerms terms;
        bytes32 id;
        JobStatus status;
        address worker;
        uint96 price;
        /// @dev Execution (Assigned), challenge (Submitted) or arbitration (Disputed) deadline.
        uint40 deadline;
    }

    /// @dev How the worker of a replicated slot behaves: commits and reveals the job's true result,
    /// commits and reveals a planted one (every planted worker of a job plants the same hash, so they can
    /// outvote the honest ones), never commits, or commits and never reveals.
    enum Behaviour {
        Honest,
        Planted,
        Silent,
        Hider
    }

    struct TrackedSlot {
        address worker;
        SlotState state;
        Behaviour behaviour;
        /// @dev Set when the job closes: what the model expects its settlement to do to this slot.
        bool expectSlashed;
        bool expectPaid;
    }

    /// @dev A replicated job as the handler knows it. `revealDeadline` is set, as the rules say, when
    /// the last slot of a full job commits.
    struct TrackedReplicated {
        ReplicatedTerms terms;
        bytes32 id;
        ReplicatedStatus status;
        uint8 filled;
        uint8 committed;
        uint8 revealed;
        uint40 revealDeadline;
        /// @dev Whether most of its workers plant the same wrong result (and so can outvote the rest).
        bool colluding;
        /// @dev Set when the job closes: the outcome the model expects.
        ReplicatedOutcome outcome;
    }

    LoomRegistry public immutable registry;
    LoomMarket public immutable market;
    LoomReplicatedMarket public immutable replicated;
    LoomModels public immutable models;
    TestUSDC public immutable usdc;
    /// @notice Where the refusing actor sends its ETH, and who settles jobs during the wind-down.
    address public immutable sink;
    RevertingReceiver public immutable refuser;
    ReentrantActor public immutable reentrant;

    address[] internal _actors;
    /// @dev The EOA actors' keys: they sign token authorizations for gasless posts.
    mapping(address actor => uint256 key) internal _keyOf;
    TrackedJob[] internal _jobs;
    TrackedReplicated[] internal _rjobs;
    mapping(uint256 r => mapping(uint256 slot => TrackedSlot)) internal _slots;
    /// @dev Index + 1 of a job id in `_jobs` / `_rjobs`, for reading logs.
    mapping(bytes32 jobId => uint256) internal _jobIndex;
    mapping(bytes32 jobId => uint256) internal _rjobIndex;

    /// @dev A published model as the handler knows it (model id = index + 1).
    struct TrackedModel {
        address creator;
        uint96 fee;
        address token;
        bool retired;
    }

    /// @dev A pool as the handler knows it (pool id = index + 1): its fee as the operator last set it.
    struct TrackedPool {
        address operator;
        uint16 feeBps;
        bool approvalRequired;
    }

    TrackedModel[] internal _models;
    TrackedPool[] internal _pools;
    /// @dev The pool a replicated job is restricted to (0: none).
    mapping(bytes32 jobId => uint64) internal _rjobPool;
    /// @dev The pool fee a single Pool job was assigned with, and each slot of a pooled replicated job.
    mapping(bytes32 jobId => uint16) internal _poolFeeAtAssignment;
    mapping(bytes32 jobId => mapping(uint256 slot => uint16)) internal _slotPoolFee;
    /// @dev What the worker(s) of a closed job were paid (gross) of the total, as the market tells the
    /// hub: from the close event, for checking each royalty.
    mapping(bytes32 jobId => uint256) internal _settledPaid;
    mapping(bytes32 jobId => uint256) internal _settledTotal;
    /// @dev Pool fees announced (PoolFeePaid) for a single job, not yet checked against its JobClosed.
    mapping(bytes32 jobId => uint256) internal _pendingPoolFee;

    // ---- ghost totals ----

    /// @notice Escrow the model says each market holds for its live jobs, per token.
    mapping(address market => mapping(address token => uint256)) public ghost_escrow;
    /// @notice ETH ever staked (register, addStake), withdrawn (withdrawStake, as it arrived) and
    /// slashed (from the markets' close events).
    uint256 public ghost_stakeDeposited;
    uint256 public ghost_stakeWithdrawn;
    uint256 public ghost_slashedTotal;
    /// @notice Per market and token, everything its events say it credited, and everything withdrawn.
    mapping(address market => mapping(address token => uint256)) public ghost_credited;
    mapping(address market => mapping(address token => uint256)) public ghost_withdrawn;
    /// @notice ETH payouts to the re-entering actor: each must meet one refused re-entry.
    uint256 public ghost_reentrantPayouts;

    /// @notice Single-worker jobs, from the `JobClosed` events: how many, the ETH slashed, and
    /// workerPayout + fee + clientRefund.
    mapping(bytes32 jobId => uint256) public ghost_closedEvents;
    mapping(bytes32 jobId => uint256) public ghost_slashed;
    mapping(bytes32 jobId => uint256) public ghost_paidOut;
    /// @notice Per single-worker job, what the model held in escrow when the job closed.
    mapping(bytes32 jobId => uint256) public ghost_escrowAtClose;

    /// @notice Replicated jobs, from the `ReplicatedJobClosed` events: how many, the outcome, the
    /// payouts + fee + client refund (job's token), the slashed ETH shared out (winners and client),
    /// and per slot the ETH slashed and the payout.
    mapping(bytes32 jobId => uint256) public ghost_replicatedClosedEvents;
    mapping(bytes32 jobId => ReplicatedOutcome) public ghost_outcome;
    mapping(bytes32 jobId => uint256) public ghost_replicatedPaidOut;
    mapping(bytes32 jobId => uint256) public ghost_slashShared;
    mapping(bytes32 jobId => mapping(uint256 slot => uint256)) public ghost_slotSlashed;
    mapping(bytes32 jobId => mapping(uint256 slot => uint256)) public ghost_slotPaid;

    /// @notice Model fees the hub holds for live jobs, per token, and per job what was escrowed at posting.
    mapping(address token => uint256) public ghost_modelEscrow;
    mapping(bytes32 jobId => uint256) public ghost_modelFeesOf;
    /// @notice Per job (either market), from the hub's logs: royalties paid plus fees refunded, and how
    /// many RoyaltyPaid events; from the markets' logs: pool fees paid, and whether a worker was paid.
    mapping(bytes32 jobId => uint256) public ghost_royaltySettled;
    mapping(bytes32 jobId => uint256) public ghost_royaltyPaidEvents;
    mapping(bytes32 jobId => uint256) public ghost_poolFeePaid;
    mapping(bytes32 jobId => bool) public ghost_workerPaid;
    /// @notice Amounts in the logs that differ from what the fees fixed at posting (models) or at
    /// assignment (pools) give: a model's fee in ModelsUsed, a RoyaltyPaid, a PoolFeePaid, a pooled payout.
    uint256 public ghost_feeMismatches;

    /// @notice Successful calls per handler function, for tuning the bounds.
    mapping(bytes32 action => uint256) public calls;

    constructor(
        LoomRegistry registry_,
        LoomMarket market_,
        LoomReplicatedMarket replicated_,
        TestUSDC usdc_,
        address sink_
    ) {
        registry = registry_;
        market = market_;
        replicated = replicated_;
        models = market_.models();
        usdc = usdc_;
        sink = sink_;
        refuser = new RevertingReceiver();
        address[] memory payers = new address[](3);
        (payers[0], payers[1], payers[2]) = (address(market_), address(replicated_), address(market_.models()));
        reentrant = new ReentrantActor(registry_, payers);

        for (uint256 i; i < EOA_ACTORS; i++) {
            (address a, uint256 key) = makeAddrAndKey(string.concat("actor", vm.toString(i)));
            _actors.push(a);
            _keyOf[a] = key;
        }
        _actors.push(address(refuser));
        _actors.push(address(reentrant));
        for (uint256 i; i < _actors.length; i++) {
            vm.deal(_actors[i], 1_000_000 ether);
            usdc.mint(_actors[i], 1e18);
            vm.startPrank(_actors[i]);
            usdc.approve(address(market_), type(uint256).max);
            usdc.approve(address(replicated_), type(uint256).max);
            usdc.approve(address(market_.models()), type(uint256).max);
            vm.stopPrank();
        }
    }

    /// @dev Reads every event the call emitted, whoever triggered it (re-entries included).
    modifier recordsLogs() {
        vm.recordLogs();
        _;
        _recordLogs();
    }

    // ---- hooks for the re-entering actor (Handler) ----

    /// @dev Arms the re-entering actor, about to be paid ETH by `payer`, with a call the rules allow.
    function _arm(uint256 armSeed, address payer) internal virtual;

    /// @dev Applies to the model whatever the re-entering actor did while it was being paid.
    function _afterPayout() internal virtual;

    // ---- reading the logs ----

    function _recordLogs() internal {
        Vm.Log[] memory logs = vm.getRecordedLogs();
        for (uint256 k; k < logs.length; k++) {
            Vm.Log memory log = logs[k];
            if (log.emitter == address(market)) _recordMarketLog(log);
            else if (log.emitter == address(replicated)) _recordReplicatedLog(log);
            else if (log.emitter == address(models)) _recordModelsLog(log);
        }
    }

    function _recordMarketLog(Vm.Log memory log) private {
        bytes32 topic = log.topics[0];
        if (topic == ICreditsEvents.Withdrawn.selector) {
            _recordWithdrawn(address(market), log);
        } else if (topic == IMarketBaseEvents.PoolFeePaid.selector) {
            uint256 cut = _recordPoolFee(address(market), log);
            ghost_paidOut[log.topics[1]] += cut;
            _pendingPoolFee[log.topics[1]] += cut;
        } else if (topic == ILoomMarketEvents.JobAssigned.selector) {
            (, uint96 refund,,) = abi.decode(log.data, (uint96, uint96, uint96, uint40));
            ghost_credited[address(market)][_jobs[_jobIndex[log.topics[1]] - 1].terms.token] += refund;
        } else if (topic == ILoomMarketEvents.JobClosed.selector) {
            bytes32 jobId = log.topics[1];
            (, uint96 workerPayout, uint96 fee, uint96 clientRefund, uint96 slashed) =
                abi.decode(log.data, (address, uint96, uint96, uint96, uint96));
            uint256 paid = uint256(workerPayout) + fee + clientRefund;
            _checkSingleClose(jobId, workerPayout, fee, clientRefund);
            ghost_closedEvents[jobId]++;
            ghost_slashed[jobId] += slashed;
            ghost_slashedTotal += slashed;
            ghost_paidOut[jobId] += paid;
            ghost_credited[address(market)][_jobs[_jobIndex[jobId] - 1].terms.token] += paid;
            ghost_credited[address(market)][address(0)] += slashed;
        }
    }

    function _recordReplicatedLog(Vm.Log memory log) private {
        bytes32 topic = log.topics[0];
        if (topic == ICreditsEvents.Withdrawn.selector) {
            _recordWithdrawn(address(replicated), log);
        } else if (topic == IMarketBaseEvents.PoolFeePaid.selector) {
            ghost_replicatedPaidOut[log.topics[1]] += _recordPoolFee(address(replicated), log);
        } else if (topic == ILoomReplicatedMarketEvents.ReplicatedJobClosed.selector) {
            _recordReplicatedClose(log.topics[1], ReplicatedOutcome(uint8(uint256(log.topics[2]))), log.data);
        }
    }

    /// @dev The data of a `ReplicatedJobClosed` event (its non-indexed fields).
    struct ReplicatedClose {
        bytes32 resultHash;
        address[] workers;
        uint96[] payouts;
        uint96[] slashed;
        uint96 fee;
        uint96 clientRefund;
        uint96 winnerSlashShare;
        uint96 clientSlashShare;
    }

    function _recordReplicatedClose(bytes32 jobId, ReplicatedOutcome outcome, bytes memory data) private {
        // Event data is the bare tuple; a struct with dynamic fields decodes from an offset to it.
        ReplicatedClose memory c = abi.decode(bytes.concat(abi.encode(uint256(32)), data), (ReplicatedClose));
        uint256 paid = uint256(c.fee) + c.clientRefund;
        uint256 winners;
        for (uint256 s; s < c.payouts.length; s++) {
            paid += c.payouts[s];
            // A winner's share is at least 1 wei after the fee (price >= 1, fee < 100%): paid means won.
            if (c.payouts[s] != 0) winners++;
            ghost_slotPaid[jobId][s] += c.payouts[s];
            ghost_slotSlashed[jobId][s] += c.slashed[s];
            ghost_slashedTotal += c.slashed[s];
        }
        uint256 slashShared = winners * c.winnerSlashShare + c.clientSlashShare;
        ghost_replicatedClosedEvents[jobId]++;
        ghost_outcome[jobId] = outcome;
        ghost_replicatedPaidOut[jobId] += paid;
        ghost_slashShared[jobId] += slashShared;
        address token = _rjobs[_rjobIndex[jobId] - 1].terms.token;
        ghost_credited[address(replicated)][token] += paid;
        ghost_credited[address(replicated)][address(0)] += slashShared;
        ghost_workerPaid[jobId] = winners != 0;
        (_settledPaid[jobId], _settledTotal[jobId]) = (outcome == ReplicatedOutcome.QuorumReached ? 1 : 0, 1);
        if (winners != 0) _checkPooledPayouts(jobId, c.payouts);
    }

    /// @dev A PoolFeePaid from `market_`: credited to the operator. Returns the amount.
    function _recordPoolFee(address market_, Vm.Log memory log) private returns (uint256 cut) {
        (address token, uint96 amount) = abi.decode(log.data, (address, uint96));
        cut = amount;
        ghost_credited[market_][token] += cut;
        ghost_poolFeePaid[log.topics[1]] += cut;
    }

    /// @dev Checks a single job's pool fee against the fee fixed at assignment, and keeps what its
    /// worker was paid (gross) of the total for checking its royalties.
    function _checkSingleClose(bytes32 jobId, uint96 workerPayout, uint96 fee, uint96 clientRefund) private {
        uint256 cut = _pendingPoolFee[jobId];
        delete _pendingPoolFee[jobId];
        TrackedJob storage job = _jobs[_jobIndex[jobId] - 1];
        uint256 net = uint256(workerPayout) + cut;
        uint16 bps = job.terms.mode == JobMode.Pool ? _poolFeeAtAssignment[jobId] : 0;
        if (cut != Payouts.fee(uint96(net), bps)) ghost_feeMismatches++;
        ghost_workerPaid[jobId] = workerPayout != 0;
        _settledPaid[jobId] = net + fee;
        _settledTotal[jobId] = net + fee + clientRefund;
    }

    /// @dev Each winner of a replicated job got the equal share less the protocol fee less its slot's
    /// pool fee (fixed when the slot was taken), and the operator exactly those pool fees.
    function _checkPooledPayouts(bytes32 jobId, uint96[] memory payouts) private {
        uint256 r = _rjobIndex[jobId] - 1;
        ReplicatedTerms storage t = _rjobs[r].terms;
        uint256 winners;
        for (uint256 s; s < payouts.length; s++) {
            if (payouts[s] != 0) winners++;
        }
        (uint96 gross,) = Payouts.quorumShare(uint256(t.price) * payouts.length, winners);
        uint96 net = gross - Payouts.fee(gross, t.feeBps);
        uint256 cuts;
        for (uint256 s; s < payouts.length; s++) {
            if (payouts[s] == 0) continue;
            uint96 cut = Payouts.fee(net, _rjobPool[jobId] == 0 ? 0 : _slotPoolFee[jobId][s]);
            cuts += cut;
            if (payouts[s] != net - cut) ghost_feeMismatches++;
        }
        if (cuts != ghost_poolFeePaid[jobId]) ghost_feeMismatches++;
    }

    /// @dev The hub's events: fees escrowed (checked against the models' fees), royalties and refunds
    /// credited (each royalty checked against its model's fee and the worker's share), withdrawals.
    function _recordModelsLog(Vm.Log memory log) private {
        bytes32 topic = log.topics[0];
        if (topic == ICreditsEvents.Withdrawn.selector) {
            _recordWithdrawn(address(models), log);
        } else if (topic == ILoomModels.ModelsUsed.selector) {
            (, uint32[] memory ids, uint96[] memory fees) = abi.decode(log.data, (address, uint32[], uint96[]));
            for (uint256 k; k < ids.length; k++) {
                if (fees[k] != _models[ids[k] - 1].fee) ghost_feeMismatches++;
            }
        } else if (topic == ILoomModels.RoyaltyPaid.selector) {
            bytes32 jobId = log.topics[2];
            TrackedModel storage model = _models[uint256(log.topics[3]) - 1];
            (address creator, address token, uint96 amount) = abi.decode(log.data, (address, address, uint96));
            if (creator != model.creator || amount != uint256(model.fee) * _settledPaid[jobId] / _settledTotal[jobId]) {
                ghost_feeMismatches++;
            }
            ghost_credited[address(models)][token] += amount;
            ghost_royaltySettled[jobId] += amount;
            ghost_royaltyPaidEvents[jobId]++;
        } else if (topic == ILoomModels.RoyaltyRefunded.selector) {
            (address token, uint96 amount) = abi.decode(log.data, (address, uint96));
            ghost_credited[address(models)][token] += amount;
            ghost_royaltySettled[log.topics[2]] += amount;
        }
    }

    function _recordWithdrawn(address market_, Vm.Log memory log) private {
        (, uint256 amount) = abi.decode(log.data, (address, uint256));
        ghost_withdrawn[market_][address(uint160(uint256(log.topics[2])))] += amount;
    }

    // ---- picking actors ----

    function _findActor(uint256 seed, function(address) view returns (bool) filter)
        internal
        view
        returns (bool, address)
    {
        uint256 n = _actors.length;
        for (uint256 k; k < n; k++) {
            address a = _actors[(seed % n + k) % n];
            if (filter(a)) return (true, a);
        }
        return (false, address(0));
    }

    function _actorAt(uint256 seed) internal view returns (address) {
        return _actors[seed % _actors.length];
    }

    // ---- actor filters ----

    function _isRegistered(address a) internal view returns (bool registered) {
        (,,,, registered,) = registry.workers(a);
    }

    function _isUnregistered(address a) internal view returns (bool) {
        return !_isRegistered(a);
    }

    function _freeStake(address a) internal view returns (uint256) {
        (uint96 stake, uint96 locked,,,,) = registry.workers(a);
        return stake - locked;
    }

    function _hasFreeStake(address a) internal view returns (bool) {
        return _isRegistered(a) && _freeStake(a) != 0;
    }

    function _hasUnbonded(address a) internal view returns (bool) {
        (uint96 amount, uint40 unlockAt) = registry.unbonding(a);
        return amount != 0 && block.timestamp >= unlockAt;
    }

    function _canDeregister(address a) internal view returns (bool) {
        (, uint96 locked,,, bool registered,) = registry.workers(a);
        return registered && locked == 0;
    }

    /// @dev Whether `a` may take a job with these requirements and collateral now, by the registry's rules.
    function _isEligible(address a, Requirements memory req, uint96 collateral) internal view returns (bool) {
        (uint96 stake, uint96 locked, uint16 gpuCount, uint32 vramMiB, bool registered, bool available) =
            registry.workers(a);
        return registered && available && gpuCount >= req.minGpuCount && vramMiB >= req.minVramMiB
            && (req.gpuModel == bytes32(0) || registry.gpuModelOf(a) == req.gpuModel) && stake - locked >= collateral;
    }

    /// @dev Whether `a` is a member of `pool` able to take its jobs now.
    function _isPoolMember(address a, uint64 pool) internal view returns (bool) {
        (uint64 p, PoolMemberState state,) = registry.memberships(a);
        return p == pool && state == PoolMemberState.Member;
    }

    // ---- models and pools ----

    /// @dev Up to three distinct live models, from `seed` on, that a job paid in `token` may use.
    function _pickModels(uint256 seed, address token) internal view returns (uint32[] memory ids, uint256 fees) {
        uint256 n = _models.length;
        uint32[] memory found = new uint32[](3);
        uint256 count;
        uint256 want = 1 + (seed >> 128) % 3;
        for (uint256 k; k < n && count < want; k++) {
            uint256 m = (seed % n + k) % n;
            TrackedModel storage model = _models[m];
            if (model.retired || (model.fee != 0 && model.token != token)) continue;
            found[count++] = uint32(m + 1);
            fees += model.fee;
        }
        ids = new uint32[](count);
        for (uint256 k; k < count; k++) {
            ids[k] = found[k];
        }
    }

    /// @dev With `bits` % 4 == 1 and a pool to pick, the pool a job of `seed` is restricted to; else 0.
    function _pickPool(uint256 seed, uint256 bits) internal view returns (uint64) {
        if (bits % 4 != 1 || _pools.length == 0) return 0;
        return uint64(1 + uint256(keccak256(abi.encode(seed, "pool"))) % _pools.length);
    }

    /// @dev The hub escrowed `fees` for `jobId`, posted with models (the model's side of ModelsUsed).
    function _modelFeesEscrowed(bytes32 jobId, address token, uint256 fees) internal {
        ghost_modelEscrow[token] += fees;
        ghost_modelFeesOf[jobId] = fees;
    }

    /// @dev The job closed: its fees leave the hub's escrow (as credits to creators and client).
    function _modelFeesSettled(bytes32 jobId, address token) internal {
        ghost_modelEscrow[token] -= ghost_modelFeesOf[jobId];
    }

    // ---- building inputs ----

    /// @dev Hardware varies so that requirements sometimes exclude a worker: 1-4 GPUs, 24 or 80 GiB, two
    /// models. A zero seed (the fuzzer's favourite) gives the most capable machine.
    function _hardware(uint256 seed) internal pure returns (HardwareClaim memory) {
        return HardwareClaim({
            gpuModel: seed % 4 == 1 ? RTX4090 : H100,
            gpuCount: uint16(4 - (seed >> 8) % 4),
            vramMiB: (seed >> 16) % 3 == 1 ? 24_576 : 81_920,
            cpuCores: 32,
            ramMiB: 262_144,
            pricePerGpuHour: 2_500_000,
            metadataURI: "ipfs://worker"
        });
    }

    /// @dev Requirements from a seed: bytes 0-2 pick the minimum GPU count, minimum VRAM and model.
    function _requirements(uint256 seed) internal pure returns (Requirements memory req) {
        req.minGpuCount = uint16(seed % 3);
        req.minVramMiB = (seed >> 8) % 2 == 1 ? 40_960 : 0;
        req.gpuModel = (seed >> 16) % 4 == 1 ? H100 : bytes32(0);
    }
}
