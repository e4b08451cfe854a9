// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {CloseReason, JobTerms} from "./ILoomTypes.sol";

/// @notice The single-worker market's own events (the shared ones are in IMarketBase, the workers' in
/// ILoomRegistry). Every state change emits exactly one event, and each carries everything an indexer
/// needs: indexers never read contract state. Once shipped, an event's name and fields do not change.
interface ILoomMarketEvents {
    // ---- arbiters (the constructor emits the initial values too) ----

    /// @notice An arbiter was added to or removed from the allow-list.
    event ArbiterAllowed(address indexed arbiter, bool allowed);
    /// @notice The arbiter used by jobs that name none.
    event DefaultArbiterSet(address indexed arbiter);

    // ---- jobs ----

    /// @notice A client posted a job and escrowed its budget. `spec` is emitted, never stored.
    event JobPosted(bytes32 indexed jobId, address indexed client, address indexed token, JobTerms terms, bytes spec);
    /// @notice A worker placed or replaced its bid on an auction job.
    event BidPlaced(bytes32 indexed jobId, address indexed worker, uint96 price);
    /// @notice A worker withdrew its bid.
    event BidWithdrawn(bytes32 indexed jobId, address indexed worker);
    /// @notice A worker was assigned (claim or accepted bid) at `price`, locking `collateral` of its
    /// stake; `refund` (budget - price) was credited to the client.
    event JobAssigned(
        bytes32 indexed jobId,
        address indexed worker,
        uint96 price,
        uint96 refund,
        uint96 collateral,
        uint40 executionDeadline
    );
    /// @notice The assigned worker posted its result; disputes are possible until `challengeDeadline`.
    event ResultSubmitted(
        bytes32 indexed jobId, address indexed worker, bytes32 resultHash, string resultURI, uint40 challengeDeadline
    );
    /// @notice The client disputed the result; the arbiter may rule until `arbitrationDeadline`.
    event JobDisputed(bytes32 indexed jobId, address indexed client, string reason, uint40 arbitrationDeadline);
    /// @notice A party added evidence to a dispute.
    event EvidenceSubmitted(bytes32 indexed jobId, address indexed party, string evidence);
    /// @notice The job ended; `reason` says how. In the job's token, `workerPayout` was credited to the
    /// worker, `fee` to the treasury and `clientRefund` to the client. `slashed` is collateral (ETH) taken
    /// from the worker's stake and credited to the client; the rest of the job's collateral was unlocked.
    event JobClosed(
        bytes32 indexed jobId,
        CloseReason indexed reason,
        address worker,
        uint96 workerPayout,
        uint96 fee,
        uint96 clientRefund,
        uint96 slashed
    );
}
