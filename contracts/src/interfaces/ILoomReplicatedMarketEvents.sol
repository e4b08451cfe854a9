// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ReplicatedOutcome, ReplicatedTerms} from "./ILoomTypes.sol";

/// @notice The replicated market's own events: one per step of a replicated job.
interface ILoomReplicatedMarketEvents {
    /// @notice A client posted a replicated job and escrowed `price * replicas`. `spec` is emitted, never stored.
    event ReplicatedJobPosted(
        bytes32 indexed jobId, address indexed client, address indexed token, ReplicatedTerms terms, bytes spec
    );
    /// @notice The job just posted is restricted to the members of `pool`.
    event ReplicatedJobPooled(bytes32 indexed jobId, uint64 indexed pool);
    /// @notice `worker` took slot `slot` (0-based), locking the job's collateral; `filled` slots are taken now.
    event SlotTaken(bytes32 indexed jobId, address indexed worker, uint8 slot, uint8 filled);
    /// @notice The worker of `slot` committed to a result. `committed` slots have committed now. When
    /// this commit completes a full job, the reveal phase opens at once and `revealDeadline` is set
    /// (otherwise it is 0: the reveal phase opens at the commit deadline).
    event ResultCommitted(
        bytes32 indexed jobId, address indexed worker, uint8 slot, bytes32 commitment, uint8 committed, uint40 revealDeadline
    );
    /// @notice The worker of `slot` revealed its result hash and where its bundle is.
    event ResultRevealed(bytes32 indexed jobId, address indexed worker, uint8 slot, bytes32 resultHash, string resultURI);
    /// @notice The job ended with `outcome`. `resultHash` is the quorum's (zero without one). Per slot
    /// (slot order, taken slots only): its worker, what it was credited in the job's token after the
    /// fee, and the collateral (ETH) slashed from its stake. `fee` went to the treasury; each worker of
    /// the quorum was also credited `winnerSlashShare` in ETH; the client was credited `clientRefund` in
    /// the job's token and `clientSlashShare` in ETH.
    event ReplicatedJobClosed(
        bytes32 indexed jobId,
        ReplicatedOutcome indexed outcome,
        bytes32 resultHash,
        address[] workers,
        uint96[] payouts,
        uint96[] slashed,
        uint96 fee,
        uint96 clientRefund,
        uint96 winnerSlashShare,
        uint96 clientSlashShare
    );
}
