// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {HardwareClaim} from "./ILoomTypes.sol";

/// @notice The registry's events: one per change of a worker or of the trusted markets.
interface ILoomRegistryEvents {
    /// @notice A worker registered with its hardware claim and an initial stake (ETH).
    event WorkerRegistered(address indexed worker, HardwareClaim claim, uint96 stake);
    /// @notice A worker replaced its hardware claim.
    event WorkerClaimUpdated(address indexed worker, HardwareClaim claim);
    /// @notice A worker opened or closed itself to new jobs.
    event WorkerAvailabilitySet(address indexed worker, bool available);
    /// @notice A worker published (or replaced) the public key that clients seal job secrets to.
    event EncryptionKeySet(address indexed worker, bytes32 key);
    /// @notice `client` sealed a bundle of secrets for `jobId` to `worker`'s encryption key: the
    /// ciphertext itself (`inlineBundle`, when small) or where to fetch it (`uri`), and its sha256.
    /// The registry knows no jobs: readers accept a bundle only from the job's client to its worker.
    event SealedBundleSent(
        bytes32 indexed jobId,
        address indexed client,
        address indexed worker,
        bytes32 bundleHash,
        bytes inlineBundle,
        string uri
    );
    /// @notice A worker added stake; `stake` is the new total.
    event StakeAdded(address indexed worker, uint96 amount, uint96 stake);
    /// @notice A worker moved `amount` of free stake into unbonding; `stake` and `unbonding` are the new totals.
    event UnstakeRequested(address indexed worker, uint96 amount, uint96 stake, uint96 unbonding, uint40 unlockAt);
    /// @notice A worker withdrew its unbonded stake to `to`.
    event StakeWithdrawn(address indexed worker, address to, uint96 amount);
    /// @notice A worker left: availability off, all its stake unbonding until `unlockAt`.
    event WorkerDeregistered(address indexed worker, uint96 unbonding, uint40 unlockAt);
    /// @notice The owner proposed to trust (or stop trusting) `market`, effective from `effectiveAt`.
    event MarketTrustProposed(address indexed market, bool trusted, uint40 effectiveAt);
    /// @notice `market` is now trusted (or not) to lock stake. The constructor emits the initial set.
    /// A market no longer trusted can still unlock and slash what it locked before.
    event MarketTrustSet(address indexed market, bool trusted);

    // ---- worker pools ----

    /// @notice `operator` created pool `pool`. Joining needs the operator's approval when `approvalRequired`.
    event PoolCreated(
        uint64 indexed pool, address indexed operator, string name, string metadataURI, uint16 feeBps, bool approvalRequired
    );
    /// @notice The pool's fee for jobs assigned from now on (jobs keep the fee they were assigned with).
    event PoolFeeSet(uint64 indexed pool, uint16 feeBps);
    /// @notice A worker asked to join a pool that needs approval.
    event PoolJoinRequested(uint64 indexed pool, address indexed worker);
    /// @notice A worker became a member (joined an open pool, or was approved).
    event PoolMemberAdded(uint64 indexed pool, address indexed worker);
    /// @notice A member holding pool jobs asked to leave: it takes no new ones and leaves when they close.
    event PoolLeaveRequested(uint64 indexed pool, address indexed worker);
    /// @notice A worker left the pool (or withdrew its request to join).
    event PoolMemberLeft(uint64 indexed pool, address indexed worker);
    /// @notice The operator removed a member (or refused a request). Jobs it holds still pay the pool's fee.
    event PoolMemberRemoved(uint64 indexed pool, address indexed worker);
}
