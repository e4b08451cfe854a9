// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {HardwareClaim, PoolMemberState, Requirements} from "./ILoomTypes.sol";
import {ILoomErrors} from "./ILoomErrors.sol";
import {ILoomRegistryEvents} from "./ILoomRegistryEvents.sol";

/// @title Loom worker registry
/// @notice Workers, their hardware claims and their ETH stake. Markets the registry trusts lock stake
/// as a job's collateral and slash it by the job's outcome; each market can unlock or slash only what it
/// locked itself. The owner chooses the trusted markets, behind a delay longer than the unbonding
/// period, so a worker who distrusts a new market can leave with its stake before it takes effect. The
/// owner can never move stake.
interface ILoomRegistry is ILoomErrors, ILoomRegistryEvents {
    // ---- workers ----

    /// @notice Registers the caller as a worker with `claim` and `msg.value` as initial stake; available at once.
    function register(HardwareClaim calldata claim) external payable;

    /// @notice Replaces the caller's hardware claim.
    function updateClaim(HardwareClaim calldata claim) external;

    /// @notice Opens (true) or closes (false) the caller to new jobs. Jobs it holds are unaffected.
    function setAvailability(bool available) external;

    /// @notice Publishes the caller's public encryption key (X25519); zero withdraws it.
    function setEncryptionKey(bytes32 key) external;

    /// @notice Delivers a sealed bundle of secrets for `jobId` to `worker`, chain-first, so the
    /// off-chain side can be rebuilt from events: `inlineBundle` (at most MAX_INLINE_SEALED_BYTES,
    /// whose sha256 must be `bundleHash`) or a `uri` to fetch it from (at most MAX_TEXT_BYTES). Anyone
    /// may call it; the worker opens only bundles whose sender is the job's client.
    function sendSealed(bytes32 jobId, address worker, bytes32 bundleHash, bytes calldata inlineBundle, string calldata uri)
        external;

    /// @notice Adds `msg.value` to the caller's stake.
    function addStake() external payable;

    /// @notice Moves `amount` of free (unlocked) stake into unbonding; it can be withdrawn after
    /// UNBONDING_PERIOD. A new request adds to the pending amount and restarts the cooldown.
    function requestUnstake(uint96 amount) external;

    /// @notice Sends the caller's unbonded stake to `to` once its cooldown has passed.
    function withdrawStake(address to) external;

    /// @notice Leaves the registry: requires no locked collateral; all stake starts unbonding.
    function deregister() external;

    // ---- worker pools ----

    /// @notice Creates a pool operated by the caller. `feeBps` (at most MAX_POOL_FEE_BPS) of each
    /// member's job payout goes to the operator; `approvalRequired` makes joining need its approval.
    function createPool(string calldata name, string calldata metadataURI, uint16 feeBps, bool approvalRequired)
        external
        returns (uint64 pool);

    /// @notice The operator sets the fee for jobs assigned from now on.
    function setPoolFee(uint64 pool, uint16 feeBps) external;

    /// @notice The calling worker (registered, in no pool, holding no pool job) joins `pool`, or asks to.
    function joinPool(uint64 pool) external;

    /// @notice The operator accepts a worker's request to join.
    function approveMember(uint64 pool, address worker) external;

    /// @notice The operator removes a member or refuses a request. Jobs the worker holds keep their fee.
    function removeMember(uint64 pool, address worker) external;

    /// @notice The caller leaves its pool (or withdraws its request): at once when it holds no pool job,
    /// otherwise when the last one closes (it takes no new ones meanwhile).
    function leavePool() external;

    /// @notice Reverts with PoolNotFound unless `pool` exists.
    function checkPool(uint64 pool) external view;

    // ---- markets ----

    /// @notice Reverts unless `worker` may take `jobId` now: registered, available, meeting `req`, with
    /// free stake covering `collateral`. Then, a trusted market calling, locks `collateral` of its stake
    /// for the caller. A lock of zero needs no trust: it is the eligibility check alone.
    function lock(bytes32 jobId, address worker, Requirements calldata req, uint96 collateral) external;

    /// @notice A trusted market assigns `worker` a job of `pool`: reverts unless it is a member (not
    /// leaving), and counts the job.
    /// @return feeBps The pool's fee, which the job keeps whatever the operator sets later.
    function startPoolJob(uint64 pool, address worker) external returns (uint16 feeBps);

    /// @notice A trusted market closed `worker`'s job of `pool`; a leaving member leaves with its last.
    /// @return operator The pool's operator, to credit its fee to.
    function endPoolJob(uint64 pool, address worker) external returns (address operator);

    /// @notice The eligibility check of `lock`, changing nothing (for bids).
    function checkEligible(bytes32 jobId, address worker, Requirements calldata req, uint96 collateral)
        external
        view;

    /// @notice Releases `collateral` that the calling market locked for `worker`, taking `slash` of it
    /// out of the stake and sending that ETH to the caller, which credits it.
    function unlock(address worker, uint96 collateral, uint96 slash) external;

    // ---- owner ----

    /// @notice Proposes to trust (or stop trusting) `market`; `applyTrust` makes it so after TRUST_DELAY.
    /// A new proposal for the same market replaces the pending one and restarts the delay.
    function proposeTrust(address market, bool trusted) external;

    /// @notice Applies a pending change of trust once its delay has passed. Anyone may call it.
    function applyTrust(address market) external;

    // ---- views ----

    /// @notice A worker's stake and eligibility-relevant claim.
    function workers(address worker)
        external
        view
        returns (uint96 stake, uint96 locked, uint16 gpuCount, uint32 vramMiB, bool registered, bool available);

    /// @notice A worker's stake in unbonding and when it unlocks.
    function unbonding(address worker) external view returns (uint96 amount, uint40 unlockAt);

    /// @notice Collateral `market` has locked of `worker`'s stake.
    function lockedBy(address market, address worker) external view returns (uint96);

    /// @notice Whether `market` may lock stake now.
    function trusted(address market) external view returns (bool);

    /// @notice A pool's operator, current fee and whether joining needs approval.
    function pools(uint64 pool) external view returns (address operator, uint16 feeBps, bool approvalRequired);

    /// @notice A worker's pool, where it stands there, and how many pool jobs it holds.
    function memberships(address worker) external view returns (uint64 pool, PoolMemberState state, uint32 activeJobs);
}
