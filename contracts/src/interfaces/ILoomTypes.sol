// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @notice How a job finds its worker.
enum JobMode {
    /// @dev The first eligible worker to call `claimJob` gets the job at the full budget.
    Claim,
    /// @dev Eligible workers bid until `openUntil`; the client accepts one bid.
    Auction,
    /// @dev Offered to one named worker (`offeredTo`), who alone may claim it at the full budget until
    /// `openUntil`; after that it expires and refunds like any open job.
    Direct,
    /// @dev Restricted to a worker pool: any member of pool `uint64(uint160(offeredTo))` may claim it at
    /// the full budget until `openUntil`, as in Claim mode. The pool's operator is credited the pool's
    /// fee, as it stood at assignment, out of the member's payout.
    Pool
}

/// @notice Where a job is in its life. `Closed` is terminal; `CloseReason` says how it ended.
enum JobStatus {
    None,
    Open,
    Assigned,
    Submitted,
    Disputed,
    Closed
}

/// @notice How a closed job ended.
enum CloseReason {
    None,
    /// @dev Released after a result: the worker was paid.
    Completed,
    /// @dev The client cancelled before assignment.
    Cancelled,
    /// @dev Nobody was assigned before the job's window closed.
    Expired,
    /// @dev No result by the execution deadline: refund and collateral slashed to the client.
    Reclaimed,
    /// @dev The arbiter ruled on a dispute.
    DisputeResolved,
    /// @dev The arbiter did not rule in time: the neutral default applied.
    ArbitrationTimedOut,
    /// @dev The assigned worker handed the job back before its deadline: price refunded, collateral
    /// unlocked unslashed. Appended last so earlier values keep their numbers.
    Returned
}

/// @notice What a client states when posting a job. The contract completes it into `JobTerms`.
struct JobParams {
    /// @dev address(0) for ETH, otherwise an allow-listed ERC-20.
    address token;
    /// @dev address(0) for the protocol's default arbiter.
    address arbiter;
    /// @dev The escrowed budget: the price in Claim mode, the ceiling for bids in Auction mode.
    uint96 budget;
    /// @dev Stake (in ETH) the assigned worker locks until the job ends; slashable.
    uint96 collateral;
    JobMode mode;
    /// @dev The worker a Direct job is offered to; the pool of a Pool job, as `address(uint160(poolId))`;
    /// address(0) in the other modes.
    address offeredTo;
    /// @dev Last second at which the job can be claimed (Claim, Direct, Pool) or bid on (Auction).
    uint40 openUntil;
    /// @dev Seconds from assignment to the result deadline.
    uint32 executionTimeout;
    /// @dev Seconds after the result during which the client may dispute.
    uint32 challengeWindow;
    uint16 minGpuCount;
    uint32 minVramMiB;
    /// @dev Required GPU model as a left-aligned short string; zero accepts any model.
    bytes32 gpuModel;
    /// @dev Any value that makes the job id unique among the client's jobs with identical terms.
    uint64 salt;
}

/// @notice A client's signed EIP-3009 `ReceiveWithAuthorization` of a job's budget to the market,
/// for posting on the client's behalf (`postJobFor`). The amount is the budget, the payee the market
/// and the nonce the job id, none of them passed: the signature holds only for exactly that job.
struct PaymentAuthorization {
    uint256 validAfter;
    uint256 validBefore;
    /// @dev 65-byte ECDSA signature, or a contract wallet's (ERC-1271), as USDC v2.2 takes them.
    bytes signature;
}

/// @notice A job's immutable terms. They are emitted in `JobPosted` and never stored: the
/// job id is their hash, and every later call passes them back as calldata.
struct JobTerms {
    address client;
    address token;
    address arbiter;
    uint96 budget;
    uint96 collateral;
    /// @dev The protocol fee in basis points, fixed when the job was posted.
    uint16 feeBps;
    JobMode mode;
    /// @dev The worker a Direct job is offered to; the pool of a Pool job, as `address(uint160(poolId))`;
    /// address(0) in the other modes.
    address offeredTo;
    uint40 openUntil;
    uint32 executionTimeout;
    uint32 challengeWindow;
    uint16 minGpuCount;
    uint32 minVramMiB;
    bytes32 gpuModel;
    /// @dev keccak256 of the spec bytes emitted in `JobPosted`.
    bytes32 specHash;
    uint64 salt;
}

/// @notice A client's signed EIP-3009 `TransferWithAuthorization` of a job's budget to the order's
/// deposit address (`LoomDeposits.depositAddress`), as an x402 "exact" payment signs it: the payer
/// picks the nonce, so the job is bound by the payee instead, an address derived from the order that
/// only LoomDeposits can empty, into that job or back to the payer.
struct TransferAuthorization {
    uint256 validAfter;
    uint256 validBefore;
    bytes32 nonce;
    /// @dev 65-byte ECDSA signature, or a contract wallet's (ERC-1271), as USDC v2.2 takes them. Empty
    /// when the transfer was already made (anyone holding the signature may submit it to the token).
    bytes signature;
}

/// @notice A worker's claim about its machine. Only the fields that eligibility checks
/// need (GPU count, VRAM, model) are stored; the rest lives in events.
struct HardwareClaim {
    /// @dev GPU model as a left-aligned short string, e.g. "NVIDIA H100 80GB HBM3"; zero for CPU-only.
    bytes32 gpuModel;
    uint16 gpuCount;
    uint32 vramMiB;
    uint16 cpuCores;
    uint32 ramMiB;
    /// @dev Advertised price per GPU-hour in USD with 6 decimals; informative, never enforced.
    uint96 pricePerGpuHour;
    string metadataURI;
}

/// @notice What a job requires of a worker's hardware, as the registry checks it.
struct Requirements {
    uint16 minGpuCount;
    uint32 minVramMiB;
    /// @dev Required GPU model as a left-aligned short string; zero accepts any model.
    bytes32 gpuModel;
}

/// @notice What a client states when posting a replicated job. The contract completes it into
/// `ReplicatedTerms`. The budget escrowed is `price * replicas`.
struct ReplicatedParams {
    /// @dev address(0) for ETH, otherwise an allow-listed ERC-20.
    address token;
    /// @dev What one replica earns (before the fee).
    uint96 price;
    /// @dev Stake (in ETH) each replica's worker locks until the job ends; slashable.
    uint96 collateral;
    /// @dev n: how many workers run the job, 2 to MAX_REPLICAS.
    uint8 replicas;
    /// @dev k: how many equal results make the job's result; more than half of `replicas`.
    uint8 quorum;
    /// @dev Last second at which a slot can be taken.
    uint40 openUntil;
    /// @dev Seconds after `openUntil` by which every slot's worker must have committed.
    uint32 commitWindow;
    /// @dev Seconds the reveal phase lasts once it opens (all slots committed, or the commit deadline).
    uint32 revealWindow;
    uint16 minGpuCount;
    uint32 minVramMiB;
    bytes32 gpuModel;
    uint64 salt;
    /// @dev A worker pool whose members alone may take the slots (each pays the pool's fee as it stood
    /// when its slot was taken); 0 for any worker. Not part of the terms: kept with the job and emitted
    /// in `ReplicatedJobPooled`.
    uint64 pool;
}

/// @notice A replicated job's immutable terms: emitted in `ReplicatedJobPosted`, never stored, hashed
/// into the job id, passed back as calldata.
struct ReplicatedTerms {
    address client;
    address token;
    uint96 price;
    uint96 collateral;
    /// @dev The protocol fee in basis points, fixed when the job was posted.
    uint16 feeBps;
    uint8 replicas;
    uint8 quorum;
    uint40 openUntil;
    uint32 commitWindow;
    uint32 revealWindow;
    uint16 minGpuCount;
    uint32 minVramMiB;
    bytes32 gpuModel;
    /// @dev keccak256 of the spec bytes emitted in `ReplicatedJobPosted`.
    bytes32 specHash;
    uint64 salt;
}

/// @notice Where a replicated job is. Phases within `Running` (taking slots, committing, revealing)
/// follow from the counts and the clock.
enum ReplicatedStatus {
    None,
    Running,
    Closed
}

/// @notice How a replicated job ended.
enum ReplicatedOutcome {
    None,
    /// @dev At least `quorum` workers revealed the same result hash: they were paid.
    QuorumReached,
    /// @dev No result hash reached the quorum: the client was refunded.
    NoQuorum,
    /// @dev Fewer than `quorum` slots were taken by `openUntil`: refund, nobody slashed.
    ExpiredUnfilled,
    /// @dev The client cancelled before any slot was taken.
    Cancelled
}

/// @notice A slot's progress.
enum SlotState {
    Empty,
    Taken,
    Committed,
    Revealed
}

/// @notice What a published model or dataset is.
enum ModelKind {
    /// @dev Model weights: files mounted read-only at /models/<name>.
    Weights,
    /// @dev A dataset: files mounted read-only at /models/<name>.
    Dataset,
    /// @dev A container image (`image`, pinned by digest) the job runs in.
    Image
}

/// @notice One file of a model's content, as the artifact store holds it.
struct ModelFile {
    /// @dev The file's sha256, its address in the artifact store.
    bytes32 sha256;
    uint64 size;
    /// @dev The file's path under /models/<name>.
    string path;
}

/// @notice What a creator publishes. Emitted in `ModelPublished`; of it only the creator, the fee and its
/// token are stored (a published version never changes: a new price or content is a new version).
struct ModelParams {
    string name;
    string version;
    ModelKind kind;
    /// @dev The content of a Weights or Dataset model; empty for an Image.
    ModelFile[] files;
    /// @dev An Image model's reference, pinned by digest (`registry/repo@sha256:...`); empty otherwise.
    string image;
    string licenseURI;
    /// @dev The token of the fee: address(0) for ETH, otherwise an ERC-20 the markets allow. A job may
    /// use a model with a fee only when it is paid in this token.
    address token;
    /// @dev What each job that uses the model pays its creator; zero for a free model.
    uint96 fee;
    /// @dev The version this one follows (same creator), or 0 for a first version.
    uint32 previous;
}

/// @notice Where a worker stands with a pool.
enum PoolMemberState {
    None,
    /// @dev Asked to join a pool that needs the operator's approval.
    Requested,
    Member,
    /// @dev Asked to leave while holding pool jobs; leaves when the last one closes. Takes no new ones.
    Leaving
}
