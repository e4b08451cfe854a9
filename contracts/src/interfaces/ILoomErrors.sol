// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {JobMode, JobStatus, SlotState} from "./ILoomTypes.sol";

/// @notice Every way a call to a Loom contract (registry, markets) can be rejected. Each error names
/// the rule that was broken and carries the values that broke it, so clients can explain a revert in
/// plain words. One list for all contracts: a client decodes any revert with it.
interface ILoomErrors {
    // ---- jobs ----

    /// @notice No job has this id (its terms hash to nothing that was posted).
    error JobNotFound(bytes32 jobId);
    /// @notice A job with these exact terms exists already; change the salt.
    error JobExists(bytes32 jobId);
    /// @notice The job is not in the status this call needs.
    error UnexpectedStatus(bytes32 jobId, JobStatus expected, JobStatus actual);
    /// @notice This call is for jobs of the other mode.
    error WrongMode(bytes32 jobId, JobMode mode);
    /// @notice Only the job's client may do this.
    error NotClient(bytes32 jobId, address caller);
    /// @notice Only the job's assigned worker may do this.
    error NotAssignedWorker(bytes32 jobId, address caller);
    /// @notice Only the job's arbiter may do this.
    error NotArbiter(bytes32 jobId, address caller);
    /// @notice Only the job's client or assigned worker may do this.
    error NotParty(bytes32 jobId, address caller);
    /// @notice The deadline for this step has passed.
    error DeadlinePassed(bytes32 jobId, uint256 deadline, uint256 timestamp);
    /// @notice This step is only possible after the deadline.
    error DeadlineNotReached(bytes32 jobId, uint256 deadline, uint256 timestamp);

    // ---- posting ----

    /// @notice The spec is larger than the market accepts.
    error SpecTooLarge(uint256 length, uint256 maxLength);
    /// @notice A budget must be positive.
    error ZeroBudget();
    /// @notice The ETH sent does not match what the call requires.
    error ValueMismatch(uint256 expected, uint256 sent);
    /// @notice The ERC-20 is not on the market's allow-list.
    error TokenNotAllowed(address token);
    /// @notice The arbiter is not on the market's allow-list.
    error ArbiterNotAllowed(address arbiter);
    /// @notice `openUntil` must lie between now and now + MAX_OPEN_PERIOD.
    error InvalidOpenUntil(uint256 openUntil, uint256 timestamp);
    /// @notice The execution timeout must lie between 1 second and MAX_EXECUTION_TIMEOUT.
    error InvalidExecutionTimeout(uint256 executionTimeout);
    /// @notice The challenge window must not exceed MAX_CHALLENGE_WINDOW.
    error InvalidChallengeWindow(uint256 challengeWindow);
    /// @notice The token moved a different amount than requested (fee-on-transfer tokens are rejected).
    error TransferAmountMismatch(address token, uint256 expected, uint256 received);
    /// @notice Posting on a client's behalf needs an ERC-20 with EIP-3009's `receiveWithAuthorization`
    /// (bytes-signature form, as USDC v2.2); ETH (address(0)) and other tokens are refused.
    error AuthorizationUnsupported(address token);
    /// @notice A Direct job must name the worker it is offered to, and no other mode may name one.
    error InvalidOffer(JobMode mode, address offeredTo);
    /// @notice Only the worker a Direct job is offered to may claim it.
    error NotOfferedWorker(bytes32 jobId, address caller);
    /// @notice The order's deposit address held less than its budget (the transfer was not made, or
    /// was of less); whatever it held stays there.
    error DepositShort(address deposit, uint256 received, uint256 budget);
    /// @notice The deposit address holds nothing of the token.
    error NothingDeposited(address deposit);

    // ---- workers ----

    /// @notice The caller is not a registered worker.
    error NotRegistered(address worker);
    /// @notice The caller is registered already.
    error AlreadyRegistered(address worker);
    /// @notice The worker is not available for new jobs.
    error WorkerUnavailable(address worker);
    /// @notice The worker's hardware claim does not meet the job's requirements.
    error RequirementsNotMet(bytes32 jobId, address worker);
    /// @notice The worker's unlocked stake does not cover what it needs.
    error InsufficientFreeStake(address worker, uint256 free, uint256 required);
    /// @notice A bid price must be positive and no higher than the budget.
    error InvalidBidPrice(uint256 price, uint256 budget);
    /// @notice This worker has no bid on the job.
    error BidNotFound(bytes32 jobId, address worker);
    /// @notice The worker still has collateral locked in jobs.
    error StakeLocked(address worker, uint256 locked);
    /// @notice No unbonding stake, or it is still in its cooldown.
    error UnbondingNotReady(address worker, uint256 amount, uint256 unlockAt);
    /// @notice Only a market the registry trusts may lock a worker's stake.
    error MarketNotTrusted(address market);
    /// @notice A market tried to unlock or slash more collateral than it locked for this worker.
    error LockNotHeld(address market, address worker, uint256 held, uint256 requested);
    /// @notice No change of trust is pending for this market.
    error NoTrustChangePending(address market);
    /// @notice A pending change of trust takes effect only at `effectiveAt`.
    error TrustChangeNotReady(address market, uint256 effectiveAt, uint256 timestamp);
    /// @notice Only the registry sends ETH to a market (slashed stake).
    error UnexpectedSender(address sender);

    // ---- replicated jobs ----

    /// @notice `replicas` must lie in 2..MAX_REPLICAS and `quorum` in (replicas/2, replicas].
    error InvalidReplication(uint256 replicas, uint256 quorum);
    /// @notice The commit and reveal windows must each lie between 1 second and MAX_PHASE_WINDOW.
    error InvalidWindow(uint256 commitWindow, uint256 revealWindow);
    /// @notice The price times the replicas does not fit in a uint96.
    error BudgetOverflow(uint256 price, uint256 replicas);
    /// @notice Every slot of the job is taken.
    error NoFreeSlot(bytes32 jobId);
    /// @notice A worker may hold only one slot of a job.
    error SlotAlreadyHeld(bytes32 jobId, address worker);
    /// @notice The slot is not held by the caller.
    error NotSlotWorker(bytes32 jobId, uint256 slot, address caller);
    /// @notice The slot is not at the step this call needs.
    error UnexpectedSlotState(bytes32 jobId, uint256 slot, SlotState expected, SlotState actual);
    /// @notice The commitment must not be zero.
    error ZeroCommitment(bytes32 jobId);
    /// @notice The revealed hash and salt do not hash to the slot's commitment.
    error CommitmentMismatch(bytes32 jobId, uint256 slot);
    /// @notice The reveal phase has not opened: some slot is still within its commit window.
    error RevealNotOpen(bytes32 jobId, uint256 commitDeadline, uint256 timestamp);
    /// @notice The job cannot be finalized yet: reveals are still possible.
    error FinalizeTooEarly(bytes32 jobId, uint256 revealDeadline, uint256 timestamp);
    /// @notice The replicated job has been closed already.
    error JobAlreadyClosed(bytes32 jobId);
    /// @notice A slot has been taken: the job can no longer be cancelled.
    error SlotsTaken(bytes32 jobId, uint256 filled);

    // ---- worker pools ----

    /// @notice No pool has this id.
    error PoolNotFound(uint64 pool);
    /// @notice Only the pool's operator may do this.
    error NotPoolOperator(uint64 pool, address caller);
    /// @notice The worker is not a member of the pool able to take its jobs (or has asked to leave).
    error NotPoolMember(uint64 pool, address worker);
    /// @notice The worker already belongs to (or asked to join) a pool; leave it first.
    error PoolMembershipExists(address worker, uint64 pool);
    /// @notice The worker still holds jobs of the pool it was in; it can join another when they close.
    error PoolJobsActive(address worker, uint256 count);
    /// @notice The worker has not asked to join this pool.
    error NoJoinRequest(uint64 pool, address worker);
    /// @notice A pool needs a name.
    error EmptyName();

    // ---- models ----

    /// @notice No model has this id.
    error ModelNotFound(uint32 modelId);
    /// @notice The model version was retired: no new job may use it.
    error ModelIsRetired(uint32 modelId);
    /// @notice Only the model's creator may do this (retire it, or publish a version after it).
    error NotModelCreator(uint32 modelId, address caller);
    /// @notice A model with a fee can be used only by jobs paid in the fee's token.
    error ModelTokenMismatch(uint32 modelId, address modelToken, address jobToken);
    /// @notice A job names 1 to MAX_MODELS_PER_JOB models.
    error InvalidModelCount(uint256 count, uint256 maxCount);
    /// @notice A job names the same model twice.
    error DuplicateModel(uint32 modelId);
    /// @notice A Weights or Dataset model needs 1 to MAX_MODEL_FILES files and no image; an Image
    /// model an image and no files.
    error InvalidModelContent(uint8 kind, uint256 files, uint256 imageLength);
    /// @notice The market is not one the registry trusts.
    error UntrustedMarket(address market);

    // ---- results and disputes ----

    /// @notice A result hash must not be zero.
    error ZeroResultHash(bytes32 jobId);
    /// @notice A text field (URI, reason, evidence) is longer than MAX_TEXT_BYTES.
    error TextTooLong(uint256 length, uint256 maxLength);
    /// @notice A sealed bundle carried in an event is longer than MAX_INLINE_SEALED_BYTES (store it, send its URI).
    error SealedBundleTooLarge(uint256 length, uint256 maxLength);
    /// @notice A sealed bundle names neither bytes nor a URI, or its hash is zero.
    error SealedBundleMissing(bytes32 jobId);
    /// @notice An inline sealed bundle does not hash (sha256) to the hash sent with it.
    error SealedBundleHashMismatch(bytes32 bundleHash, bytes32 actual);
    /// @notice The arbiter's split or slash exceeds what the job holds.
    error InvalidRuling(uint256 workerAmount, uint256 price, uint256 slash, uint256 collateral);

    // ---- funds and configuration ----

    /// @notice The account has no credited balance in this token.
    error NothingToWithdraw(address account, address token);
    /// @notice Sending ETH to the recipient failed.
    error EthTransferFailed(address to, uint256 amount);
    /// @notice The fee exceeds MAX_FEE_BPS.
    error FeeTooHigh(uint256 feeBps, uint256 maxFeeBps);
    /// @notice An address that must be set was zero.
    error ZeroAddress();
    /// @notice The default arbiter cannot be removed from the allow-list; set another default first.
    error DefaultArbiterRequired(address arbiter);
}
