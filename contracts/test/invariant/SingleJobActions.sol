// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {
    JobMode,
    JobParams,
    JobStatus,
    JobTerms,
    PaymentAuthorization,
    Requirements,
    TransferAuthorization
} from "../../src/interfaces/ILoomTypes.sol";
import {jobTermsOf} from "../utils/JobTermsOf.sol";
import {HandlerBase} from "./HandlerBase.sol";

/// @notice The handler's actions on the single-worker market: claim and auction jobs are posted, bid on,
/// accepted, claimed, submitted, released, disputed, ruled on, timed out, cancelled, expired and
/// reclaimed. Jobs are picked among those the model has in the right status, so most calls succeed.
abstract contract SingleJobActions is HandlerBase {
    mapping(uint256 jobIndex => mapping(address worker => uint96 price)) internal _bids;

    bytes32 private constant RECEIVE_TYPEHASH =
        keccak256("ReceiveWithAuthorization(address from,address to,uint256 value,uint256 validAfter,uint256 validBefore,bytes32 nonce)");
    bytes32 private constant TRANSFER_TYPEHASH =
        keccak256("TransferWithAuthorization(address from,address to,uint256 value,uint256 validAfter,uint256 validBefore,bytes32 nonce)");

    /// @param flags bit 0: USDC instead of ETH; bit 1: auction instead of claim; bit 2: a direct offer
    /// (to another actor; wins over bit 1); bits 3-4, for a USDC job of an EOA client, how it is paid:
    /// 0 postJob, 1 postJobFor (a receive-authorization), 2 LoomDeposits (an x402 transfer to the
    /// order's deposit address), 3 the same after a front-runner submitted the transfer itself; bits
    /// 5-6 == 1: restricted to a pool (when one exists; wins over bits 1-2); bits 7-8 == 1: posted
    /// through the model hub with up to three models it may use (when posted by the client itself).
    /// @param requirements bytes 0-2: minimum GPU count, minimum VRAM, required model.
    function postJob(
        uint256 actorSeed,
        uint256 budget,
        uint256 collateral,
        uint256 flags,
        uint256 openPeriod,
        uint256 executionTimeout,
        uint256 challengeWindow,
        uint256 requirements
    ) external recordsLogs {
        if (_jobs.length >= MAX_JOBS) return;
        address client = _actorAt(actorSeed);
        JobParams memory p;
        p.token = flags & 1 == 0 ? address(0) : address(usdc);
        p.mode = flags & 2 == 0 ? JobMode.Claim : JobMode.Auction;
        if (flags & 4 != 0) {
            p.mode = JobMode.Direct;
            p.offeredTo = _actorAt(uint256(keccak256(abi.encode(actorSeed))));
        }
        _restrictToPool(p, _pickPool(actorSeed, flags >> 5));
        p.budget = uint96(_bound(budget, 1, p.token == address(0) ? MAX_ETH_BUDGET : MAX_USDC_BUDGET));
        p.collateral = uint96(_bound(collateral, 0, MAX_COLLATERAL));
        p.openUntil = uint40(block.timestamp + _bound(openPeriod, 1 hours, MAX_DURATION));
        p.executionTimeout = uint32(_bound(executionTimeout, 1, MAX_DURATION));
        p.challengeWindow = uint32(_bound(challengeWindow, 0, MAX_DURATION));
        {
            Requirements memory req = _requirements(requirements);
            (p.minGpuCount, p.minVramMiB, p.gpuModel) = (req.minGpuCount, req.minVramMiB, req.gpuModel);
        }
        p.salt = uint64(_jobs.length);
        bytes memory spec = abi.encodePacked("loom-job-", vm.toString(_jobs.length));

        JobTerms memory t = jobTermsOf(p, client, market.defaultArbiter(), market.feeBps(), keccak256(spec));
        bytes32 jobId = _postBy(p, spec, t, flags);
        require(jobId == keccak256(abi.encode(t)), "handler: terms differ from the market's");

        _jobs.push(TrackedJob({terms: t, id: jobId, status: JobStatus.Open, worker: address(0), price: 0, deadline: 0}));
        _jobIndex[jobId] = _jobs.length;
        ghost_escrow[address(market)][p.token] += p.budget;
        calls["postJob"]++;
    }

    /// @dev A Pool job of `pool` when it is not 0 (whatever mode the flags chose).
    function _restrictToPool(JobParams memory p, uint64 pool) internal pure {
        if (pool != 0) (p.mode, p.offeredTo) = (JobMode.Pool, address(uint160(pool)));
    }

    /// @dev Posts `p`, whose terms are `t`, the way `flags` says (see postJob); the models a job posted
    /// through the hub uses are picked from the flags.
    function _postBy(JobParams memory p, bytes memory spec, JobTerms memory t, uint256 flags) internal returns (bytes32) {
        address client = t.client;
        uint256 path = p.token == address(0) || _keyOf[client] == 0 ? 0 : (flags >> 3) & 3;
        if (path != 0) return _postGasless(p, spec, client, keccak256(abi.encode(t)), path);
        if ((flags >> 7) % 3 == 1) return _postThroughHub(p, spec, client, flags);
        return _postDirectly(p, spec, client);
    }

    function _postDirectly(JobParams memory p, bytes memory spec, address client) internal returns (bytes32) {
        vm.prank(client);
        return market.postJob{value: p.token == address(0) ? p.budget : 0}(p, spec);
    }

    /// @dev The client posts through the model hub, using models picked from `seed` (directly when none fits).
    function _postThroughHub(JobParams memory p, bytes memory spec, address client, uint256 seed)
        internal
        returns (bytes32 jobId)
    {
        (uint32[] memory ids, uint256 fees) = _pickModels(uint256(keccak256(abi.encode(seed, "models"))), p.token);
        if (ids.length == 0) return _postDirectly(p, spec, client);
        vm.prank(client);
        jobId = models.postJobWithModels{value: p.token == address(0) ? p.budget + fees : 0}(p, spec, ids);
        _modelFeesEscrowed(jobId, p.token, fees);
        calls["postJobWithModels"]++;
    }

    /// @dev The client signs; a relayer (`sink`) submits and pays the gas.
    function _postGasless(JobParams memory p, bytes memory spec, address client, bytes32 jobId, uint256 path)
        internal
        returns (bytes32)
    {
        uint256 validBefore = block.timestamp + 1 hours;
        if (path == 1) {
            bytes memory sig = _signAuthorization(client, RECEIVE_TYPEHASH, address(market), p.budget, validBefore, jobId);
            vm.prank(sink);
            calls["postJobFor"]++;
            return market.postJobFor(p, spec, client, PaymentAuthorization(0, validBefore, sig));
        }
        address deposit = market.deposits().depositAddress(market.deposits().orderId(p, keccak256(spec), client), p.token);
        bytes32 nonce = keccak256(abi.encode("x402", jobId));
        TransferAuthorization memory a = TransferAuthorization(
            0, validBefore, nonce, _signAuthorization(client, TRANSFER_TYPEHASH, deposit, p.budget, validBefore, nonce)
        );
        if (path == 3) {
            vm.prank(sink);
            usdc.transferWithAuthorization(client, deposit, p.budget, 0, validBefore, nonce, a.signature);
            calls["frontRunDeposit"]++;
        }
        vm.prank(sink);
        calls["postJobFromDeposit"]++;
        return market.deposits().postJob(p, spec, client, a);
    }

    function _signAuthorization(address from, bytes32 typehash, address to, uint256 value, uint256 validBefore, bytes32 nonce)
        internal
        view
        returns (bytes memory)
    {
        bytes32 structHash = keccak256(abi.encode(typehash, from, to, value, 0, validBefore, nonce));
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(_keyOf[from], keccak256(abi.encodePacked("\x19\x01", usdc.DOMAIN_SEPARATOR(), structHash)));
        return abi.encodePacked(r, s, v);
    }

    function placeBid(uint256 jobSeed, uint256 actorSeed, uint256 price) external recordsLogs {
        (bool found, uint256 i) = _findJob(jobSeed, JobStatus.Open, _isBiddable);
        if (!found) return;
        JobTerms memory t = _jobs[i].terms;
        address a;
        (found, a) = _findEligible(actorSeed, t);
        if (!found) return;
        price = _bound(price, 1, t.budget);
        vm.prank(a);
        market.placeBid(t, uint96(price));
        _bids[i][a] = uint96(price);
        calls["placeBid"]++;
    }

    function withdrawBid(uint256 jobSeed, uint256 actorSeed) external recordsLogs {
        (bool found, uint256 i) = _findJob(jobSeed, JobStatus.Open, _isAuction);
        if (!found) return;
        address a;
        (found, a) = _findBidder(i, actorSeed, false);
        if (!found) return;
        vm.prank(a);
        market.withdrawBid(_jobs[i].terms);
        delete _bids[i][a];
        calls["withdrawBid"]++;
    }

    function acceptBid(uint256 jobSeed, uint256 actorSeed) external recordsLogs {
        (bool found, uint256 i) = _findJob(jobSeed, JobStatus.Open, _isAcceptable);
        if (!found) return;
        address a;
        (found, a) = _findBidder(i, actorSeed, true);
        if (!found) return;
        JobTerms memory t = _jobs[i].terms;
        vm.prank(t.client);
        market.acceptBid(t, a);
        _assigned(i, a, _bids[i][a]);
        calls["acceptBid"]++;
    }

    function claimJob(uint256 jobSeed, uint256 actorSeed) external recordsLogs {
        (bool found, uint256 i) = _findJob(jobSeed, JobStatus.Open, _isClaimable);
        if (!found) return;
        JobTerms memory t = _jobs[i].terms;
        address a;
        // A direct offer has one possible worker.
        (found, a) = t.mode == JobMode.Direct ? (_isEligibleFor(t.offeredTo, t), t.offeredTo) : _findEligible(actorSeed, t);
        if (!found) return;
        vm.prank(a);
        market.claimJob(t);
        _assigned(i, a, t.budget);
        calls["claimJob"]++;
    }

    function submitResult(uint256 jobSeed, bytes32 resultHash) external recordsLogs {
        (bool found, uint256 i) = _findJob(jobSeed, JobStatus.Assigned, _isBeforeDeadline);
        if (!found) return;
        if (resultHash == bytes32(0)) resultHash = keccak256("result");
        TrackedJob storage job = _jobs[i];
        vm.prank(job.worker);
        market.submitResult(job.terms, resultHash, "ipfs://result");
        job.status = JobStatus.Submitted;
        job.deadline = uint40(block.timestamp + job.terms.challengeWindow);
        calls["submitResult"]++;
    }

    /// @dev The client may release at any time; anyone else only after the challenge window.
    function release(uint256 jobSeed, uint256 callerSeed) external recordsLogs {
        (bool found, uint256 i) = _findJob(jobSeed, JobStatus.Submitted, _isAny);
        if (!found) return;
        address caller = _isBeforeDeadline(i) ? _jobs[i].terms.client : _actorAt(callerSeed);
        _release(i, caller);
        calls["release"]++;
    }

    function dispute(uint256 jobSeed) external recordsLogs {
        (bool found, uint256 i) = _findJob(jobSeed, JobStatus.Submitted, _isBeforeDeadline);
        if (!found) return;
        TrackedJob storage job = _jobs[i];
        vm.prank(job.terms.client);
        market.dispute(job.terms, "result does not match the spec");
        job.status = JobStatus.Disputed;
        job.deadline = uint40(block.timestamp + market.ARBITRATION_PERIOD());
        calls["dispute"]++;
    }

    function resolveDispute(uint256 jobSeed, uint256 workerAmount, uint256 slash) external recordsLogs {
        (bool found, uint256 i) = _findJob(jobSeed, JobStatus.Disputed, _isBeforeDeadline);
        if (!found) return;
        JobTerms memory t = _jobs[i].terms;
        workerAmount = _bound(workerAmount, 0, _jobs[i].price);
        slash = _bound(slash, 0, t.collateral);
        vm.prank(t.arbiter);
        market.resolveDispute(t, uint96(workerAmount), uint96(slash));
        _closed(i);
        calls["resolveDispute"]++;
    }

    function settleTimedOutDispute(uint256 jobSeed, uint256 callerSeed) external recordsLogs {
        (bool found, uint256 i) = _findJob(jobSeed, JobStatus.Disputed, _isPastDeadline);
        if (!found) return;
        _settleTimedOutDispute(i, _actorAt(callerSeed));
        calls["settleTimedOutDispute"]++;
    }

    function cancelJob(uint256 jobSeed) external recordsLogs {
        (bool found, uint256 i) = _findJob(jobSeed, JobStatus.Open, _isAny);
        if (!found) return;
        vm.prank(_jobs[i].terms.client);
        market.cancelJob(_jobs[i].terms);
        _closed(i);
        calls["cancelJob"]++;
    }

    function expire(uint256 jobSeed, uint256 callerSeed) external recordsLogs {
        (bool found, uint256 i) = _findJob(jobSeed, JobStatus.Open, _isExpirable);
        if (!found) return;
        _expire(i, _actorAt(callerSeed));
        calls["expire"]++;
    }

    /// @dev The assigned worker hands the job back before its deadline: the price to the client, no slash.
    function returnJob(uint256 jobSeed) external recordsLogs {
        (bool found, uint256 i) = _findJob(jobSeed, JobStatus.Assigned, _isBeforeDeadline);
        if (!found) return;
        vm.prank(_jobs[i].worker);
        market.returnJob(_jobs[i].terms);
        _closed(i);
        calls["returnJob"]++;
    }

    function reclaim(uint256 jobSeed, uint256 callerSeed) external recordsLogs {
        (bool found, uint256 i) = _findJob(jobSeed, JobStatus.Assigned, _isPastDeadline);
        if (!found) return;
        _reclaim(i, _actorAt(callerSeed));
        calls["reclaim"]++;
    }

    // ---- actions shared with the wind-down ----

    /// @dev Closes single-worker job `i` the way anyone can once its deadlines have passed.
    function _settleJob(uint256 i, address caller) internal {
        JobStatus status = _jobs[i].status;
        if (status == JobStatus.Open) _expire(i, caller);
        else if (status == JobStatus.Assigned) _reclaim(i, caller);
        else if (status == JobStatus.Submitted) _release(i, caller);
        else if (status == JobStatus.Disputed) _settleTimedOutDispute(i, caller);
    }

    function _release(uint256 i, address caller) internal {
        vm.prank(caller);
        market.release(_jobs[i].terms);
        _closed(i);
    }

    function _settleTimedOutDispute(uint256 i, address caller) internal {
        vm.prank(caller);
        market.settleTimedOutDispute(_jobs[i].terms);
        _closed(i);
    }

    function _expire(uint256 i, address caller) internal {
        vm.prank(caller);
        market.expire(_jobs[i].terms);
        _closed(i);
    }

    function _reclaim(uint256 i, address caller) internal {
        vm.prank(caller);
        market.reclaim(_jobs[i].terms);
        _closed(i);
    }

    // ---- the model ----

    function _assigned(uint256 i, address worker, uint96 price) internal {
        TrackedJob storage job = _jobs[i];
        ghost_escrow[address(market)][job.terms.token] -= job.terms.budget - price;
        job.status = JobStatus.Assigned;
        job.worker = worker;
        job.price = price;
        if (job.terms.mode == JobMode.Pool) {
            _poolFeeAtAssignment[job.id] = _pools[uint160(job.terms.offeredTo) - 1].feeBps;
            calls["poolJobAssigned"]++;
        }
        job.deadline = uint40(block.timestamp + job.terms.executionTimeout);
    }

    function _closed(uint256 i) internal {
        TrackedJob storage job = _jobs[i];
        uint256 escrow = escrowOf(i);
        ghost_escrow[address(market)][job.terms.token] -= escrow;
        ghost_escrowAtClose[job.id] = escrow;
        _modelFeesSettled(job.id, job.terms.token);
        job.status = JobStatus.Closed;
        job.deadline = 0;
    }

    /// @notice What the model holds in escrow for job `i`: the budget while open, the price while assigned.
    function escrowOf(uint256 i) public view returns (uint256) {
        JobStatus status = _jobs[i].status;
        if (status == JobStatus.Open) return _jobs[i].terms.budget;
        if (_isAssignedStatus(status)) return _jobs[i].price;
        return 0;
    }

    // ---- picking jobs and workers ----

    /// @dev The first job from `seed` on (wrapping) in `status` (None: any live status) that passes `filter`.
    function _findJob(uint256 seed, JobStatus status, function(uint256) view returns (bool) filter)
        internal
        view
        returns (bool, uint256)
    {
        uint256 n = _jobs.length;
        for (uint256 k; k < n; k++) {
            uint256 i = (seed % n + k) % n;
            if ((status == JobStatus.None || _jobs[i].status == status) && filter(i)) return (true, i);
        }
        return (false, 0);
    }

    function _findEligible(uint256 seed, JobTerms memory t) internal view returns (bool, address) {
        uint256 n = _actors.length;
        for (uint256 k; k < n; k++) {
            address a = _actors[(seed % n + k) % n];
            if (_isEligibleFor(a, t)) return (true, a);
        }
        return (false, address(0));
    }

    /// @dev A bidder on job `i`; with `eligible`, only one the client could accept right now.
    function _findBidder(uint256 i, uint256 seed, bool eligible) internal view returns (bool, address) {
        uint256 n = _actors.length;
        for (uint256 k; k < n; k++) {
            address a = _actors[(seed % n + k) % n];
            if (_bids[i][a] != 0 && (!eligible || _isEligibleFor(a, _jobs[i].terms))) return (true, a);
        }
        return (false, address(0));
    }

    /// @dev Eligible by the registry's rules, and for a Pool job a member of its pool.
    function _isEligibleFor(address a, JobTerms memory t) internal view returns (bool) {
        if (t.mode == JobMode.Pool && !_isPoolMember(a, uint64(uint160(t.offeredTo)))) return false;
        return _isEligible(a, Requirements(t.minGpuCount, t.minVramMiB, t.gpuModel), t.collateral);
    }

    // ---- job filters ----

    function _isAssignedStatus(JobStatus status) internal pure returns (bool) {
        return status == JobStatus.Assigned || status == JobStatus.Submitted || status == JobStatus.Disputed;
    }

    function _isAny(uint256) internal pure returns (bool) {
        return true;
    }

    function _isLive(uint256 i) internal view returns (bool) {
        JobStatus status = _jobs[i].status;
        return status != JobStatus.None && status != JobStatus.Closed;
    }

    function _isAuction(uint256 i) internal view returns (bool) {
        return _jobs[i].terms.mode == JobMode.Auction;
    }

    function _isBiddable(uint256 i) internal view returns (bool) {
        return _isAuction(i) && block.timestamp <= _jobs[i].terms.openUntil;
    }

    function _isAcceptable(uint256 i) internal view returns (bool) {
        return _isAuction(i) && block.timestamp <= _jobs[i].terms.openUntil + market.ACCEPT_WINDOW();
    }

    function _isClaimable(uint256 i) internal view returns (bool) {
        return !_isAuction(i) && block.timestamp <= _jobs[i].terms.openUntil;
    }

    /// @dev Whether `a` may claim job `i` as far as its mode goes: anyone, unless it is offered to another.
    function _isOfferedTo(uint256 i, address a) internal view returns (bool) {
        return _jobs[i].terms.mode != JobMode.Direct || _jobs[i].terms.offeredTo == a;
    }

    function _isExpirable(uint256 i) internal view returns (bool) {
        return block.timestamp > _closesAt(i);
    }

    /// @dev When an open job stops accepting a worker: its open period, plus the accept window in an auction.
    function _closesAt(uint256 i) internal view returns (uint256) {
        return _jobs[i].terms.openUntil + (_isAuction(i) ? market.ACCEPT_WINDOW() : 0);
    }

    function _isBeforeDeadline(uint256 i) internal view returns (bool) {
        return block.timestamp <= _jobs[i].deadline;
    }

    function _isPastDeadline(uint256 i) internal view returns (bool) {
        return block.timestamp > _jobs[i].deadline;
    }
}
