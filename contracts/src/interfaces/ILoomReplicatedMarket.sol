// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ReplicatedParams, ReplicatedStatus, ReplicatedTerms} from "./ILoomTypes.sol";
import {IMarketBase} from "./IMarketBase.sol";
import {ILoomReplicatedMarketEvents} from "./ILoomReplicatedMarketEvents.sol";

/// @title Loom replicated-job market
/// @notice Jobs run by `replicas` distinct workers and settled by the contract alone: a result hash
/// that `quorum` of them reveal is the job's result, its workers are paid, and those who revealed
/// another hash or nothing are slashed. No arbiter, no dispute phase: the quorum is the verdict.
/// @dev Life of a job: posted (budget = price * replicas escrowed) -> slots taken until `openUntil`
/// or all filled (each locks `collateral` of its worker's stake in the registry) -> each slot's worker
/// commits `keccak256(abi.encode(jobId, worker, resultHash, salt))` by the commit deadline
/// (`openUntil + commitWindow`) -> the reveal phase opens when every slot of a full job has committed
/// or at the commit deadline, and lasts `revealWindow` -> anyone finalizes once every committed slot
/// has revealed or the reveal deadline has passed. Terms are never stored: the job id is their hash.
interface ILoomReplicatedMarket is IMarketBase, ILoomReplicatedMarketEvents {
    // ---- jobs ----

    /// @notice Posts a replicated job and escrows `price * replicas` (`msg.value` for ETH, else `transferFrom`).
    function postReplicatedJob(ReplicatedParams calldata params, bytes calldata spec)
        external
        payable
        returns (bytes32 jobId);

    /// @notice Posts a replicated job for `client` paid by the caller, which must be LoomModels
    /// (`models()`): it escrows the fees of the models the job uses, settled when the job closes.
    function postReplicatedJobPaidBy(ReplicatedParams calldata params, bytes calldata spec, address client)
        external
        payable
        returns (bytes32 jobId);

    /// @notice An eligible worker takes the next free slot, until `openUntil`; one slot per worker.
    function takeSlot(ReplicatedTerms calldata terms) external;

    /// @notice The slot's worker commits `keccak256(abi.encode(jobId, worker, resultHash, salt))`, by the
    /// commit deadline (inclusive).
    function commitResult(ReplicatedTerms calldata terms, uint8 slot, bytes32 commitment) external;

    /// @notice The slot's worker reveals what it committed to, from the reveal phase's opening to its
    /// deadline (inclusive).
    function revealResult(
        ReplicatedTerms calldata terms,
        uint8 slot,
        bytes32 resultHash,
        bytes32 salt,
        string calldata resultURI
    ) external;

    /// @notice Anyone settles the job: once every committed slot has revealed, or after the reveal
    /// deadline; or, with fewer than `quorum` slots taken, after `openUntil`.
    function finalize(ReplicatedTerms calldata terms) external;

    /// @notice The client cancels a job no worker has taken a slot of, and gets its budget credited back.
    function cancelReplicatedJob(ReplicatedTerms calldata terms) external;

    // ---- views ----

    /// @notice The id of a replicated job with these terms.
    function replicatedJobIdOf(ReplicatedTerms calldata terms) external pure returns (bytes32);

    /// @notice What a worker commits to: `keccak256(abi.encode(jobId, worker, resultHash, salt))`.
    function commitmentOf(bytes32 jobId, address worker, bytes32 resultHash, bytes32 salt)
        external
        pure
        returns (bytes32);

    /// @notice A job's mutable state. `revealDeadline` is 0 until every slot of a full job committed.
    /// `pool`: the pool whose members alone take slots (0: any worker); `royalties`: LoomModels holds
    /// model fees for the job.
    function replicatedJobs(bytes32 jobId)
        external
        view
        returns (
            ReplicatedStatus status,
            uint8 filled,
            uint8 committed,
            uint8 revealed,
            uint40 revealDeadline,
            uint64 pool,
            bool royalties
        );
}
