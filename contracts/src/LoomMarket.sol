// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {CloseReason, JobMode, JobParams, JobStatus, JobTerms, PaymentAuthorization, Requirements} from "./interfaces/ILoomTypes.sol";
import {ILoomMarket} from "./interfaces/ILoomMarket.sol";
import {ILoomRegistry} from "./interfaces/ILoomRegistry.sol";
import {Arbiters} from "./base/Arbiters.sol";
import {Ledger} from "./base/Ledger.sol";
import {MarketConfig} from "./base/MarketConfig.sol";
import {LoomDeposits} from "./LoomDeposits.sol";
import {LoomModels} from "./LoomModels.sol";
import {Payouts} from "./libraries/Payouts.sol";
import {TermsHash} from "./libraries/TermsHash.sol";

/// @title Loom job market
/// @notice See ILoomMarket. Jobs move Open -> Assigned -> Submitted -> (Disputed ->) Closed, or
/// Open -> Closed (cancel, expiry), or Assigned -> Closed (return, reclaim). Closed is terminal. Workers and
/// their stake are the registry's: assignment locks the job's collateral there, closing unlocks it.
contract LoomMarket is ILoomMarket, MarketConfig, Arbiters, Ledger {
    uint256 public constant MAX_EXECUTION_TIMEOUT = 30 days;
    uint256 public constant MAX_CHALLENGE_WINDOW = 30 days;
    /// @notice How long the client of an auction may still accept a bid after bidding closed.
    uint256 public constant ACCEPT_WINDOW = 1 days;
    /// @notice How long an arbiter has to rule once a dispute is raised.
    uint256 public constant ARBITRATION_PERIOD = 7 days;
    /// @dev JobTerms' fields, all static: its ABI encoding is this many words.
    uint256 private constant TERMS_WORDS = 16;

    /// @dev One slot: 20 + 1 + 1 + 5 + 2 + 1 = 30 bytes. Everything else about a job is in its terms.
    /// `deadline`: execution (Assigned), challenge (Submitted), arbitration (Disputed).
    /// The price is not stored: it is the accepted bid in Auction mode and the budget in the others.
    /// `poolFeeBps`: a Pool job's fee, fixed at assignment. `royalties`: LoomModels holds model fees for it.
    struct Job {
        address worker;
        JobStatus status;
        CloseReason closeReason;
        uint40 deadline;
        uint16 poolFeeBps;
        bool royalties;
    }

    /// @notice Where x402 payments arrive (deposit addresses) and become jobs (`postJobPaidBy`).
    /// Created here so that its code is this market's creation code, not its runtime code.
    LoomDeposits public immutable deposits;
    /// @notice The model hub, whose jobs' fees this market settles when they close. Created here too.
    LoomModels public immutable models;

    mapping(bytes32 jobId => Job) public jobs;
    /// @dev An accepted bid stays stored: it is the job's price until the job closes.
    mapping(bytes32 jobId => mapping(address worker => uint96 price)) public bids;

    constructor(ILoomRegistry registry_, address owner_, address treasury_, address defaultArbiter_, uint16 feeBps_)
        MarketConfig(owner_, treasury_, feeBps_)
        Arbiters(defaultArbiter_)
        Ledger(registry_)
    {
        deposits = new LoomDeposits(this);
        models = new LoomModels(registry_);
    }

    /// @inheritdoc ILoomMarket
    function postJob(JobParams calldata p, bytes calldata spec)
        external
        payable
        nonReentrant
        returns (bytes32 jobId)
    {
        jobId = _post(p, spec, msg.sender);
        _receive(p.token, p.budget);
    }

    /// @inheritdoc ILoomMarket
    function postJobFor(JobParams calldata p, bytes calldata spec, address client, PaymentAuthorization calldata payment)
        external
        nonReentrant
        returns (bytes32 jobId)
    {
        jobId = _post(p, spec, client);
        _receiveAuthorized(p.token, client, p.budget, jobId, payment);
    }

    /// @inheritdoc ILoomMarket
    function postJobPaidBy(JobParams calldata p, bytes calldata spec, address client)
        external
        payable
        nonReentrant
        returns (bytes32 jobId)
    {
        bool royalties = msg.sender == address(models);
        if (!royalties && msg.sender != address(deposits)) revert UnexpectedSender(msg.sender);
        jobId = _post(p, spec, client);
        if (royalties) jobs[jobId].royalties = true;
        _receive(p.token, p.budget);
    }

    /// @dev Checks the client's parameters, opens the job and emits JobPosted; the caller takes the budget.
    function _post(JobParams calldata p, bytes calldata spec, address client) private returns (bytes32 jobId) {
        if (spec.length > MAX_SPEC_BYTES) revert SpecTooLarge(spec.length, MAX_SPEC_BYTES);
        if (p.budget == 0) revert ZeroBudget();
        if (p.token != address(0) && !tokenAllowed[p.token]) revert TokenNotAllowed(p.token);
        if (p.openUntil < block.timestamp || p.openUntil > block.timestamp + MAX_OPEN_PERIOD) {
            revert InvalidOpenUntil(p.openUntil, block.timestamp);
        }
        if (p.executionTimeout == 0 || p.executionTimeout > MAX_EXECUTION_TIMEOUT) {
            revert InvalidExecutionTimeout(p.executionTimeout);
        }
        if (p.challengeWindow > MAX_CHALLENGE_WINDOW) revert InvalidChallengeWindow(p.challengeWindow);
        if ((p.mode >= JobMode.Direct) != (p.offeredTo != address(0))) revert InvalidOffer(p.mode, p.offeredTo);
        if (p.mode == JobMode.Pool) {
            if (uint160(p.offeredTo) > type(uint64).max) revert InvalidOffer(p.mode, p.offeredTo);
            registry.checkPool(uint64(uint160(p.offeredTo)));
        }

        JobTerms memory t = _complete(p, spec, client);
        jobId = _postedJobId(t);
        Job storage job = jobs[jobId];
        if (job.status != JobStatus.None) revert JobExists(jobId);
        job.status = JobStatus.Open;
        emit JobPosted(jobId, client, p.token, t, spec);
    }

    /// @inheritdoc ILoomMarket
    function placeBid(JobTerms calldata terms, uint96 price) external {
        bytes32 jobId = _openAuction(terms);
        if (block.timestamp > terms.openUntil) revert DeadlinePassed(jobId, terms.openUntil, block.timestamp);
        if (price == 0 || price > terms.budget) revert InvalidBidPrice(price, terms.budget);
        registry.checkEligible(jobId, msg.sender, _requirements(terms), terms.collateral);
        bids[jobId][msg.sender] = price;
        emit BidPlaced(jobId, msg.sender, price);
    }

    /// @inheritdoc ILoomMarket
    function withdrawBid(JobTerms calldata terms) external {
        bytes32 jobId = _openAuction(terms);
        if (bids[jobId][msg.sender] == 0) revert BidNotFound(jobId, msg.sender);
        delete bids[jobId][msg.sender];
        emit BidWithdrawn(jobId, msg.sender);
    }

    /// @inheritdoc ILoomMarket
    function acceptBid(JobTerms calldata terms, address worker) external {
        bytes32 jobId = _openAuction(terms);
        if (msg.sender != terms.client) revert NotClient(jobId, msg.sender);
        uint256 lastAccept = terms.openUntil + ACCEPT_WINDOW;
        if (block.timestamp > lastAccept) revert DeadlinePassed(jobId, lastAccept, block.timestamp);
        uint96 price = bids[jobId][worker];
        if (price == 0) revert BidNotFound(jobId, worker);
        _assign(jobId, terms, worker, price);
    }

    /// @inheritdoc ILoomMarket
    function claimJob(JobTerms calldata terms) external {
        bytes32 jobId = _jobId(terms);
        _expect(jobId, JobStatus.Open);
        if (terms.mode == JobMode.Auction) revert WrongMode(jobId, terms.mode);
        if (terms.mode == JobMode.Direct && msg.sender != terms.offeredTo) revert NotOfferedWorker(jobId, msg.sender);
        if (block.timestamp > terms.openUntil) revert DeadlinePassed(jobId, terms.openUntil, block.timestamp);
        _assign(jobId, terms, msg.sender, terms.budget);
    }

    /// @inheritdoc ILoomMarket
    function submitResult(JobTerms calldata terms, bytes32 resultHash, string calldata resultURI) external {
        bytes32 jobId = _jobId(terms);
        Job memory job = _expect(jobId, JobStatus.Assigned);
        if (msg.sender != job.worker) revert NotAssignedWorker(jobId, msg.sender);
        if (block.timestamp > job.deadline) revert DeadlinePassed(jobId, job.deadline, block.timestamp);
        if (resultHash == bytes32(0)) revert ZeroResultHash(jobId);
        _checkText(bytes(resultURI).length);
        uint40 challengeDeadline = uint40(block.timestamp + terms.challengeWindow);
        // Field by field: solc writes a packed struct one member at a time, so unchanged ones cost gas.
        Job storage stored = jobs[jobId];
        stored.status = JobStatus.Submitted;
        stored.deadline = challengeDeadline;
        emit ResultSubmitted(jobId, msg.sender, resultHash, resultURI, challengeDeadline);
    }

    /// @inheritdoc ILoomMarket
    function release(JobTerms calldata terms) external {
        bytes32 jobId = _jobId(terms);
        Job memory job = _expect(jobId, JobStatus.Submitted);
        if (msg.sender != terms.client && block.timestamp <= job.deadline) {
            revert DeadlineNotReached(jobId, job.deadline, block.timestamp);
        }
        _close(jobId, terms, CloseReason.Completed, job, _price(jobId, terms, job.worker), 0, 0);
    }

    /// @inheritdoc ILoomMarket
    function dispute(JobTerms calldata terms, string calldata reason) external {
        bytes32 jobId = _jobId(terms);
        Job memory job = _expect(jobId, JobStatus.Submitted);
        if (msg.sender != terms.client) revert NotClient(jobId, msg.sender);
        if (block.timestamp > job.deadline) revert DeadlinePassed(jobId, job.deadline, block.timestamp);
        _checkText(bytes(reason).length);
        uint40 arbitrationDeadline = uint40(block.timestamp + ARBITRATION_PERIOD);
        Job storage stored = jobs[jobId];
        stored.status = JobStatus.Disputed;
        stored.deadline = arbitrationDeadline;
        emit JobDisputed(jobId, msg.sender, reason, arbitrationDeadline);
    }

    /// @inheritdoc ILoomMarket
    function submitEvidence(JobTerms calldata terms, string calldata evidence) external {
        bytes32 jobId = _jobId(terms);
        Job memory job = _expect(jobId, JobStatus.Disputed);
        if (msg.sender != terms.client && msg.sender != job.worker) revert NotParty(jobId, msg.sender);
        _checkText(bytes(evidence).length);
        emit EvidenceSubmitted(jobId, msg.sender, evidence);
    }

    /// @inheritdoc ILoomMarket
    function resolveDispute(JobTerms calldata terms, uint96 workerAmount, uint96 slash) external {
        bytes32 jobId = _jobId(terms);
        Job memory job = _expect(jobId, JobStatus.Disputed);
        if (msg.sender != terms.arbiter) revert NotArbiter(jobId, msg.sender);
        if (block.timestamp > job.deadline) revert DeadlinePassed(jobId, job.deadline, block.timestamp);
        uint96 price = _price(jobId, terms, job.worker);
        if (workerAmount > price || slash > terms.collateral) {
            revert InvalidRuling(workerAmount, price, slash, terms.collateral);
        }
        _close(jobId, terms, CloseReason.DisputeResolved, job, workerAmount, price - workerAmount, slash);
    }

    /// @inheritdoc ILoomMarket
    function settleTimedOutDispute(JobTerms calldata terms) external {
        bytes32 jobId = _jobId(terms);
        Job memory job = _expect(jobId, JobStatus.Disputed);
        if (block.timestamp <= job.deadline) revert DeadlineNotReached(jobId, job.deadline, block.timestamp);
        uint96 price = _price(jobId, terms, job.worker);
        (uint96 toWorker, uint96 toClient) = Payouts.neutralSplit(price);
        _close(jobId, terms, CloseReason.ArbitrationTimedOut, job, toWorker, toClient, 0);
    }

    /// @inheritdoc ILoomMarket
    function cancelJob(JobTerms calldata terms) external {
        bytes32 jobId = _jobId(terms);
        Job memory job = _expect(jobId, JobStatus.Open);
        if (msg.sender != terms.client) revert NotClient(jobId, msg.sender);
        _close(jobId, terms, CloseReason.Cancelled, job, 0, terms.budget, 0);
    }

    /// @inheritdoc ILoomMarket
    function expire(JobTerms calldata terms) external {
        bytes32 jobId = _jobId(terms);
        Job memory job = _expect(jobId, JobStatus.Open);
        uint256 closesAt = terms.mode == JobMode.Auction ? terms.openUntil + ACCEPT_WINDOW : terms.openUntil;
        if (block.timestamp <= closesAt) revert DeadlineNotReached(jobId, closesAt, block.timestamp);
        _close(jobId, terms, CloseReason.Expired, job, 0, terms.budget, 0);
    }

    /// @inheritdoc ILoomMarket
    function returnJob(JobTerms calldata terms) external {
        bytes32 jobId = _jobId(terms);
        Job memory job = _expect(jobId, JobStatus.Assigned);
        if (msg.sender != job.worker) revert NotAssignedWorker(jobId, msg.sender);
        if (block.timestamp > job.deadline) revert DeadlinePassed(jobId, job.deadline, block.timestamp);
        _close(jobId, terms, CloseReason.Returned, job, 0, _price(jobId, terms, job.worker), 0);
    }

    /// @inheritdoc ILoomMarket
    function reclaim(JobTerms calldata terms) external {
        bytes32 jobId = _jobId(terms);
        Job memory job = _expect(jobId, JobStatus.Assigned);
        if (block.timestamp <= job.deadline) revert DeadlineNotReached(jobId, job.deadline, block.timestamp);
        uint96 price = _price(jobId, terms, job.worker);
        _close(jobId, terms, CloseReason.Reclaimed, job, 0, price, terms.collateral);
    }

    /// @inheritdoc ILoomMarket
    function jobIdOf(JobTerms calldata terms) external pure returns (bytes32) {
        return _jobId(terms);
    }

    // ---- internals ----

    /// @dev Completes the client's parameters into the job's terms. Fields are assigned one by one
    /// because a 15-field struct literal does not fit the stack.
    function _complete(JobParams calldata p, bytes calldata spec, address client) private view returns (JobTerms memory t) {
        t.client = client;
        t.token = p.token;
        // The default arbiter is allow-listed by construction (setArbiter refuses to drop it).
        if (p.arbiter == address(0)) {
            t.arbiter = defaultArbiter;
        } else {
            if (!arbiterAllowed[p.arbiter]) revert ArbiterNotAllowed(p.arbiter);
            t.arbiter = p.arbiter;
        }
        t.budget = p.budget;
        t.collateral = p.collateral;
        t.feeBps = feeBps;
        t.mode = p.mode;
        t.offeredTo = p.offeredTo;
        t.openUntil = p.openUntil;
        t.executionTimeout = p.executionTimeout;
        t.challengeWindow = p.challengeWindow;
        t.minGpuCount = p.minGpuCount;
        t.minVramMiB = p.minVramMiB;
        t.gpuModel = p.gpuModel;
        t.specHash = keccak256(spec);
        t.salt = p.salt;
    }

    function _assign(bytes32 jobId, JobTerms calldata terms, address worker, uint96 price) private {
        registry.lock(jobId, worker, _requirements(terms), terms.collateral);
        uint16 poolFeeBps;
        if (terms.mode == JobMode.Pool) poolFeeBps = registry.startPoolJob(_pool(terms), worker);
        uint40 executionDeadline = uint40(block.timestamp + terms.executionTimeout);
        Job storage stored = jobs[jobId];
        stored.worker = worker;
        stored.status = JobStatus.Assigned;
        stored.deadline = executionDeadline;
        if (poolFeeBps != 0) stored.poolFeeBps = poolFeeBps;
        uint96 refund = terms.budget - price;
        _credit(terms.token, terms.client, refund);
        emit JobAssigned(jobId, worker, price, refund, terms.collateral, executionDeadline);
    }

    /// @dev Closes the job (`job`: its state before) and credits everyone. `workerGross` pays the
    /// protocol fee fixed in the terms, then a Pool job's fee fixed at assignment. An assigned worker's
    /// collateral is released, `slashed` of it taken from its stake (the registry sends it here; it is
    /// credited to the client). The fees of the job's models go to their creators in proportion to what
    /// the worker was paid.
    function _close(
        bytes32 jobId,
        JobTerms calldata terms,
        CloseReason reason,
        Job memory job,
        uint96 workerGross,
        uint96 clientRefund,
        uint96 slashed
    ) private {
        address worker = job.worker;
        Job storage stored = jobs[jobId];
        stored.status = JobStatus.Closed;
        stored.closeReason = reason;
        stored.deadline = 0;
        if (terms.collateral != 0 && worker != address(0)) registry.unlock(worker, terms.collateral, slashed);
        uint96 fee = Payouts.fee(workerGross, terms.feeBps);
        uint96 workerPayout = workerGross - fee;
        if (terms.mode == JobMode.Pool && worker != address(0)) {
            uint64 pool = _pool(terms);
            address operator = registry.endPoolJob(pool, worker);
            workerPayout -= _payPool(jobId, terms.token, pool, operator, workerPayout, job.poolFeeBps);
        }
        _credit(terms.token, worker, workerPayout);
        if (fee != 0) _credit(terms.token, treasury, fee);
        _credit(terms.token, terms.client, clientRefund);
        _credit(address(0), terms.client, slashed);
        emit JobClosed(jobId, reason, worker, workerPayout, fee, clientRefund, slashed);
        if (job.royalties) models.settle(jobId, terms.client, workerGross, uint256(workerGross) + clientRefund);
    }

    /// @dev A Pool job's pool id, kept in `offeredTo` (checked at posting to fit 64 bits).
    function _pool(JobTerms calldata terms) private pure returns (uint64) {
        return uint64(uint160(terms.offeredTo));
    }

    function _requirements(JobTerms calldata terms) private pure returns (Requirements memory) {
        return Requirements(terms.minGpuCount, terms.minVramMiB, terms.gpuModel);
    }

    function _openAuction(JobTerms calldata terms) private view returns (bytes32 jobId) {
        jobId = _jobId(terms);
        _expect(jobId, JobStatus.Open);
        if (terms.mode != JobMode.Auction) revert WrongMode(jobId, terms.mode);
    }

    function _expect(bytes32 jobId, JobStatus expected) private view returns (Job memory job) {
        job = jobs[jobId];
        if (job.status != expected) {
            if (job.status == JobStatus.None) revert JobNotFound(jobId);
            revert UnexpectedStatus(jobId, expected, job.status);
        }
    }

    function _price(bytes32 jobId, JobTerms calldata terms, address worker) private view returns (uint96) {
        return terms.mode == JobMode.Auction ? bids[jobId][worker] : terms.budget;
    }

    function _checkText(uint256 length) private pure {
        if (length > MAX_TEXT_BYTES) revert TextTooLong(length, MAX_TEXT_BYTES);
    }

    /// @dev keccak256(abi.encode(terms)), see TermsHash.
    function _jobId(JobTerms calldata terms) private pure returns (bytes32) {
        uint256 at;
        assembly ("memory-safe") {
            at := terms
        }
        return TermsHash.ofCalldata(at, TERMS_WORDS);
    }

    function _postedJobId(JobTerms memory terms) private pure returns (bytes32) {
        uint256 at;
        assembly ("memory-safe") {
            at := terms
        }
        return TermsHash.ofMemory(at, TERMS_WORDS);
    }
}
