// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {CloseReason, HardwareClaim, JobTerms} from "./ILoomTypes.sol";

/// @notice Every state change of the market emits exactly one of these events, and each carries
/// everything an indexer needs: indexers never read contract state. Once shipped, an event's
/// name and fields do not change.
interface ILoomMarketEvents {
    // ---- configuration (the constructor emits the initial values too) ----

    /// @notice The protocol fee for jobs posted from now on.
    event FeeSet(uint16 feeBps);
    /// @notice Where protocol fees are credited from now on.
    event TreasurySet(address indexed treasury);
    /// @notice An ERC-20 was added to or removed from the allow-list.
    event TokenAllowed(address indexed token, bool allowed);
    /// @notice An arbiter was added to or removed from the allow-list.
    event ArbiterAllowed(address indexed arbiter, bool allowed);
    /// @notice The arbiter used by jobs that name none.
    event DefaultArbiterSet(address indexed arbiter);

    // ---- workers ----

    /// @notice A worker registered with its hardware claim and an initial stake (ETH).
    event WorkerRegistered(address indexed worker, HardwareClaim claim, uint96 stake);
    /// @notice A worker replaced its hardware claim.
    event WorkerClaimUpdated(address indexed worker, HardwareClaim claim);
    /// @notice A worker opened or closed itself to new jobs.
    event WorkerAvailabilitySet(address indexed worker, bool available);
    /// @notice A worker added stake; `stake` is the new total.
    event StakeAdded(address indexed worker, uint96 amount, uint96 stake);
    /// @notice A worker moved `amount` of free stake into unbonding; `stake` and `unbonding` are the new totals.
    event UnstakeRequested(address indexed worker, uint96 amount, uint96 stake, uint96 unbonding, uint40 unlockAt);
    /// @notice A worker withdrew its unbonded stake to `to`.
    event StakeWithdrawn(address indexed worker, address to, uint96 amount);
    /// @notice A worker left: availability off, all its stake unbonding until `unlockAt`.
    event WorkerDeregistered(address indexed worker, uint96 unbonding, uint40 unlockAt);

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

    // ---- funds ----

    /// @notice An account withdrew its whole credited balance of `token` (address(0): ETH) to `to`.
    event Withdrawn(address indexed account, address indexed token, address to, uint256 amount);
}
