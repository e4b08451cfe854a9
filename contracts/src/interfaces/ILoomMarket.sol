// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {CloseReason, JobParams, JobStatus, JobTerms, PaymentAuthorization} from "./ILoomTypes.sol";
import {IMarketBase} from "./IMarketBase.sol";
import {ILoomMarketEvents} from "./ILoomMarketEvents.sol";

/// @title Loom job market
/// @notice Single-worker jobs: clients escrow budgets for GPU jobs; workers staked in the registry
/// claim or bid, run them, post result hashes and get paid; arbiters settle disputes. Every step is
/// an event.
/// @dev A job's terms are never stored: the job id is `keccak256(abi.encode(terms))`, the terms are
/// emitted in `JobPosted`, and every later call passes them back as calldata. Storage holds only what
/// changes (one slot per job). Payouts are credited and pulled with `withdraw`.
/// Stake and collateral are in ETH whatever the job's token; the registry holds the stake, and this
/// market locks a job's collateral there on assignment and unlocks or slashes it when the job closes.
interface ILoomMarket is IMarketBase, ILoomMarketEvents {
    // ---- jobs ----

    /// @notice Posts a job and escrows its budget (`msg.value` for ETH, `transferFrom` for an ERC-20).
    /// @param params What the client states; the contract completes it into the job's terms.
    /// @param spec The job spec (at most MAX_SPEC_BYTES), emitted and hashed into the terms, never stored.
    /// @return jobId The hash of the completed terms.
    function postJob(JobParams calldata params, bytes calldata spec) external payable returns (bytes32 jobId);

    /// @notice Posts a job on behalf of `client`, who pays its budget by signing, off-chain, an
    /// EIP-3009 `ReceiveWithAuthorization` (from `client`, to this market, of the budget, with the
    /// job id as its nonce): the client needs no ETH, and anyone may submit it (a gateway, a relayer).
    /// The job is exactly the one `postJob` by `client` would make (same terms, same id). Whoever
    /// submits the authorization, the budget can only be escrowed for that job: the nonce binds it to
    /// the terms, and only this market can redeem it. The fee is the current one: if it changed since
    /// the client signed, the terms differ and the token refuses the signature.
    /// @param client The job's client and the authorization's signer.
    /// @param payment The authorization's validity window and signature.
    function postJobFor(JobParams calldata params, bytes calldata spec, address client, PaymentAuthorization calldata payment)
        external
        returns (bytes32 jobId);

    /// @notice Posts a job for `client` paid by the caller, which must be this market's LoomDeposits
    /// (`deposits()`: it takes payments made to deposit addresses, as x402 clients make them) or
    /// LoomModels (`models()`: it escrows the fees of the models the job uses, settled when it closes).
    function postJobPaidBy(JobParams calldata params, bytes calldata spec, address client)
        external
        payable
        returns (bytes32 jobId);

    /// @notice Places or replaces the caller's bid on an auction job, until `openUntil`.
    /// The caller must be an available registered worker that meets the requirements and whose free
    /// stake covers the collateral; `price` must be positive and at most the budget.
    function placeBid(JobTerms calldata terms, uint96 price) external;

    /// @notice Withdraws the caller's bid while the job is open.
    function withdrawBid(JobTerms calldata terms) external;

    /// @notice The client accepts `worker`'s bid, until ACCEPT_WINDOW after `openUntil`: the worker is
    /// assigned at its bid, its collateral locked, and `budget - price` credited back to the client.
    function acceptBid(JobTerms calldata terms, address worker) external;

    /// @notice The first eligible worker takes a claim-mode job at the full budget, until `openUntil`;
    /// a Direct job only the worker it is offered to.
    function claimJob(JobTerms calldata terms) external;

    /// @notice The assigned worker posts its result by the execution deadline (inclusive).
    function submitResult(JobTerms calldata terms, bytes32 resultHash, string calldata resultURI) external;

    /// @notice Pays the worker (minus the fee fixed at posting) and unlocks its collateral.
    /// The client may release at any time after the result; anyone may after the challenge window.
    function release(JobTerms calldata terms) external;

    /// @notice The client disputes the result within the challenge window (inclusive).
    function dispute(JobTerms calldata terms, string calldata reason) external;

    /// @notice The client or the worker adds evidence to an open dispute.
    function submitEvidence(JobTerms calldata terms, string calldata evidence) external;

    /// @notice The job's arbiter rules by the arbitration deadline (inclusive): `workerAmount` of the
    /// price goes to the worker (minus the fee), the rest to the client, and `slash` of the collateral
    /// is taken from the worker's stake and credited to the client.
    function resolveDispute(JobTerms calldata terms, uint96 workerAmount, uint96 slash) external;

    /// @notice After the arbitration deadline without a ruling, anyone settles with the neutral default:
    /// the price is split in half (the odd wei to the client), the worker's half pays the fee, and
    /// the collateral is unlocked without a slash. Neither side is punished for the arbiter's silence.
    function settleTimedOutDispute(JobTerms calldata terms) external;

    /// @notice The client cancels an open job and gets its budget credited back.
    function cancelJob(JobTerms calldata terms) external;

    /// @notice Anyone closes a job nobody was assigned to in time (claim and direct: after `openUntil`;
    /// auction: after `openUntil + ACCEPT_WINDOW`); the budget is credited back to the client.
    function expire(JobTerms calldata terms) external;

    /// @notice The assigned worker hands the job back before its execution deadline (inclusive), e.g.
    /// when the client's sealed inputs never arrive or do not open: the price is credited back to the
    /// client (the rest of the budget was refunded at assignment), the collateral is unlocked without a
    /// slash, nobody is paid and no fee is taken. The job closes as `Returned`.
    /// @dev A worker may take jobs and return them at the cost of gas only; the answer is reputation:
    /// every `Returned` close is public, and indexers count them per worker.
    function returnJob(JobTerms calldata terms) external;

    /// @notice After the execution deadline without a result, anyone closes the job: the price is
    /// credited back to the client and the worker's whole collateral is slashed to the client.
    function reclaim(JobTerms calldata terms) external;

    // ---- owner ----

    /// @notice Adds or removes an arbiter from the allow-list. A job keeps the arbiter it was posted with.
    function setArbiter(address arbiter, bool allowed) external;

    /// @notice Sets the arbiter for jobs that name none; it must be allow-listed.
    function setDefaultArbiter(address arbiter) external;

    // ---- views ----

    /// @notice The id of a job with these terms.
    function jobIdOf(JobTerms calldata terms) external pure returns (bytes32);

    /// @notice A job's mutable state. `deadline` is the one that matters in its current status:
    /// execution (Assigned), challenge (Submitted) or arbitration (Disputed). `poolFeeBps` is the pool
    /// fee fixed at assignment (Pool mode); `royalties` says LoomModels escrowed model fees for it.
    function jobs(bytes32 jobId)
        external
        view
        returns (
            address worker,
            JobStatus status,
            CloseReason closeReason,
            uint40 deadline,
            uint16 poolFeeBps,
            bool royalties
        );

    /// @notice A worker's bid on a job (0: none).
    function bids(bytes32 jobId, address worker) external view returns (uint96 price);
}
