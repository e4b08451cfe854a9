// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "forge-std/Test.sol";
import {Vm} from "forge-std/Vm.sol";
import {LoomMarket} from "../../src/LoomMarket.sol";
import {LoomRegistry} from "../../src/LoomRegistry.sol";
import {LoomReplicatedMarket} from "../../src/LoomReplicatedMarket.sol";
import {TestUSDC} from "../../src/TestUSDC.sol";
import {ILoomErrors} from "../../src/interfaces/ILoomErrors.sol";
import {ILoomMarketEvents} from "../../src/interfaces/ILoomMarketEvents.sol";
import {ILoomRegistryEvents} from "../../src/interfaces/ILoomRegistryEvents.sol";
import {ILoomReplicatedMarketEvents} from "../../src/interfaces/ILoomReplicatedMarketEvents.sol";
import {IMarketBaseEvents} from "../../src/interfaces/IMarketBaseEvents.sol";
import {HardwareClaim, JobMode, JobParams, JobStatus, JobTerms} from "../../src/interfaces/ILoomTypes.sol";
import {CloseReason} from "../../src/interfaces/ILoomTypes.sol";
import {jobTermsOf} from "./JobTermsOf.sol";

/// @notice The deployed set (registry, single-worker market, replicated market) with funded actors and
/// helpers that walk a job through its life.
abstract contract MarketFixture is
    Test,
    ILoomErrors,
    IMarketBaseEvents,
    ILoomMarketEvents,
    ILoomRegistryEvents,
    ILoomReplicatedMarketEvents
{
    uint16 internal constant FEE_BPS = 100; // 1%
    uint256 internal constant START = 1_700_000_000;
    bytes32 internal constant H100 = bytes32("NVIDIA H100 80GB HBM3");

    LoomRegistry internal registry;
    LoomMarket internal market;
    LoomReplicatedMarket internal replicated;
    TestUSDC internal usdc;

    address internal owner = makeAddr("owner");
    address internal treasury = makeAddr("treasury");
    address internal arbiter = makeAddr("arbiter");
    address internal client = makeAddr("client");
    address internal worker = makeAddr("worker");
    address internal worker2 = makeAddr("worker2");
    address internal stranger = makeAddr("stranger");

    /// @dev A 256-byte job spec, the size the gas benchmarks use.
    bytes internal spec = bytes(
        '{"version":1,"image":"loom/gpu","command":["python","train.py","--epochs","3"],"inputs":[{"uri":"https://example.org/data.tar","sha256":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"}],"outputs":["/out"],"resources":{"gpus":1,"cpus":4}}'
    );

    function setUp() public virtual {
        vm.warp(START);
        // The registry trusts both markets from the start: their addresses follow from this
        // contract's nonce, as the deploy script computes them from the deployer's.
        uint64 nonce = vm.getNonce(address(this));
        address[] memory markets = new address[](2);
        markets[0] = vm.computeCreateAddress(address(this), nonce + 1);
        markets[1] = vm.computeCreateAddress(address(this), nonce + 2);
        registry = new LoomRegistry(owner, markets);
        market = new LoomMarket(registry, owner, treasury, arbiter, FEE_BPS);
        replicated = new LoomReplicatedMarket(registry, owner, treasury, FEE_BPS, market.models());
        assertEq(address(market), markets[0], "market at its predicted address");
        assertEq(address(replicated), markets[1], "replicated market at its predicted address");
        usdc = new TestUSDC();
        vm.startPrank(owner);
        market.setTokenAllowed(address(usdc), true);
        replicated.setTokenAllowed(address(usdc), true);
        vm.stopPrank();

        address[5] memory actors = [client, worker, worker2, stranger, arbiter];
        for (uint256 i; i < actors.length; i++) {
            vm.deal(actors[i], 1_000 ether);
            usdc.mint(actors[i], 1_000_000e6);
            vm.prank(actors[i]);
            usdc.approve(address(market), type(uint256).max);
            vm.prank(actors[i]);
            usdc.approve(address(replicated), type(uint256).max);
        }
    }

    // ---- workers ----

    function _hardware() internal pure returns (HardwareClaim memory) {
        return HardwareClaim({
            gpuModel: H100,
            gpuCount: 2,
            vramMiB: 81_920,
            cpuCores: 32,
            ramMiB: 262_144,
            pricePerGpuHour: 2_500_000,
            metadataURI: "ipfs://worker-metadata"
        });
    }

    function _register(address who, uint96 stake) internal {
        vm.prank(who);
        registry.register{value: stake}(_hardware());
    }

    // ---- jobs ----

    /// @dev Default parameters: ETH, default arbiter, 1 ETH budget, 0.1 ETH collateral.
    function _params(JobMode mode) internal view returns (JobParams memory p) {
        p.token = address(0);
        p.arbiter = address(0);
        p.budget = 1 ether;
        p.collateral = 0.1 ether;
        p.mode = mode;
        p.openUntil = uint40(block.timestamp + 1 hours);
        p.executionTimeout = 2 hours;
        p.challengeWindow = 1 days;
        p.minGpuCount = 1;
        p.minVramMiB = 40_960;
        p.gpuModel = bytes32(0);
        p.salt = 0;
    }

    /// @dev The terms the market completes `p` into when `poster` posts it with `spec_`.
    function _terms(JobParams memory p, address poster, bytes memory spec_) internal view returns (JobTerms memory) {
        address arbiter_ = p.arbiter == address(0) ? market.defaultArbiter() : p.arbiter;
        return jobTermsOf(p, poster, arbiter_, market.feeBps(), keccak256(spec_));
    }

    function _post(JobParams memory p) internal returns (bytes32 jobId, JobTerms memory t) {
        t = _terms(p, client, spec);
        vm.prank(client);
        jobId = market.postJob{value: p.token == address(0) ? p.budget : 0}(p, spec);
        assertEq(jobId, keccak256(abi.encode(t)), "job id is the hash of the terms");
    }

    /// @dev A claim-mode job claimed by `worker` (registered with 1 ETH stake).
    function _assigned() internal returns (bytes32 jobId, JobTerms memory t) {
        return _claimedWith(_params(JobMode.Claim));
    }

    function _submitted() internal returns (bytes32 jobId, JobTerms memory t) {
        return _submittedWith(_params(JobMode.Claim));
    }

    function _disputed() internal returns (bytes32 jobId, JobTerms memory t) {
        return _disputedWith(_params(JobMode.Claim));
    }

    function _status(bytes32 jobId) internal view returns (JobStatus status) {
        (, status,,,,) = market.jobs(jobId);
    }

    // ---- lifecycle helpers for any parameters ----

    /// @dev The result every helper submits.
    bytes32 internal constant RESULT_HASH = keccak256("result");
    string internal constant RESULT_URI = "http://127.0.0.1/artifacts/result";

    /// @dev `_params(mode)` paid in USDC: a 1,000 USDC budget.
    function _usdcParams(JobMode mode) internal view returns (JobParams memory p) {
        p = _params(mode);
        p.token = address(usdc);
        p.budget = 1_000e6;
    }

    /// @dev Posts `p` (claim mode) and has `worker`, registered with 1 ETH stake, claim it.
    function _claimedWith(JobParams memory p) internal returns (bytes32 jobId, JobTerms memory t) {
        _register(worker, 1 ether);
        (jobId, t) = _post(p);
        vm.prank(worker);
        market.claimJob(t);
    }

    /// @dev Posts `p` (auction mode); `worker`, registered with 1 ETH stake, bids `price` and the client accepts.
    function _acceptedWith(JobParams memory p, uint96 price) internal returns (bytes32 jobId, JobTerms memory t) {
        _register(worker, 1 ether);
        (jobId, t) = _post(p);
        vm.prank(worker);
        market.placeBid(t, price);
        vm.prank(client);
        market.acceptBid(t, worker);
    }

    /// @dev `_claimedWith(p)`, then `worker` submits RESULT_HASH.
    function _submittedWith(JobParams memory p) internal returns (bytes32 jobId, JobTerms memory t) {
        (jobId, t) = _claimedWith(p);
        _submitFor(t);
    }

    /// @dev `_submittedWith(p)`, then the client disputes.
    function _disputedWith(JobParams memory p) internal returns (bytes32 jobId, JobTerms memory t) {
        (jobId, t) = _submittedWith(p);
        _disputeFor(t);
    }

    /// @dev `worker` submits RESULT_HASH for an assigned job.
    function _submitFor(JobTerms memory t) internal {
        vm.prank(worker);
        market.submitResult(t, RESULT_HASH, RESULT_URI);
    }

    /// @dev The client disputes a submitted job.
    function _disputeFor(JobTerms memory t) internal {
        vm.prank(client);
        market.dispute(t, "output is empty");
    }

    function _assertJob(bytes32 jobId, address worker_, JobStatus status, CloseReason reason, uint256 deadline)
        internal
        view
    {
        (address w, JobStatus s, CloseReason r, uint40 d,,) = market.jobs(jobId);
        assertEq(w, worker_, "job worker");
        assertEq(uint8(s), uint8(status), "job status");
        assertEq(uint8(r), uint8(reason), "job close reason");
        assertEq(d, deadline, "job deadline");
    }

    function _assertStake(address who, uint96 stake, uint96 locked) internal view {
        (uint96 s, uint96 l,,,,) = registry.workers(who);
        assertEq(s, stake, "worker stake");
        assertEq(l, locked, "worker locked");
    }

    /// @dev Credits of `token` (address(0): ETH) for the client, the worker and the treasury.
    function _assertCredits(address token, uint256 toClient, uint256 toWorker, uint256 toTreasury) internal view {
        assertEq(market.credits(token, client), toClient, "client credits");
        assertEq(market.credits(token, worker), toWorker, "worker credits");
        assertEq(market.credits(token, treasury), toTreasury, "treasury credits");
    }

    /// @dev Every job call on a closed job reverts with UnexpectedStatus(.., Closed) and leaves it as it is.
    function _assertClosedForGood(bytes32 jobId, JobTerms memory t) internal {
        (address w, JobStatus s, CloseReason r, uint40 d,,) = market.jobs(jobId);
        assertEq(uint8(s), uint8(JobStatus.Closed), "job is closed");
        JobStatus closed = JobStatus.Closed;
        vm.startPrank(client);
        _expectUnexpectedStatus(jobId, JobStatus.Open, closed);
        market.cancelJob(t);
        _expectUnexpectedStatus(jobId, JobStatus.Open, closed);
        market.expire(t);
        _expectUnexpectedStatus(jobId, JobStatus.Open, closed);
        market.acceptBid(t, worker);
        _expectUnexpectedStatus(jobId, JobStatus.Submitted, closed);
        market.release(t);
        _expectUnexpectedStatus(jobId, JobStatus.Submitted, closed);
        market.dispute(t, "late");
        _expectUnexpectedStatus(jobId, JobStatus.Disputed, closed);
        market.submitEvidence(t, "late");
        _expectUnexpectedStatus(jobId, JobStatus.Disputed, closed);
        market.settleTimedOutDispute(t);
        _expectUnexpectedStatus(jobId, JobStatus.Assigned, closed);
        market.reclaim(t);
        vm.stopPrank();
        vm.startPrank(worker);
        _expectUnexpectedStatus(jobId, JobStatus.Open, closed);
        market.claimJob(t);
        _expectUnexpectedStatus(jobId, JobStatus.Open, closed);
        market.placeBid(t, 1);
        _expectUnexpectedStatus(jobId, JobStatus.Open, closed);
        market.withdrawBid(t);
        _expectUnexpectedStatus(jobId, JobStatus.Assigned, closed);
        market.submitResult(t, RESULT_HASH, RESULT_URI);
        _expectUnexpectedStatus(jobId, JobStatus.Assigned, closed);
        market.returnJob(t);
        vm.stopPrank();
        vm.prank(t.arbiter);
        _expectUnexpectedStatus(jobId, JobStatus.Disputed, closed);
        market.resolveDispute(t, 0, 0);
        _assertJob(jobId, w, s, r, d);
    }

    // ---- recorded logs ----

    /// @dev How many of the logs recorded since `vm.recordLogs()` are event `topic` from `emitter`
    /// (reading them clears the record): for events that must not happen.
    function _recordedCount(address emitter, bytes32 topic) internal returns (uint256 count) {
        Vm.Log[] memory logs = vm.getRecordedLogs();
        for (uint256 k; k < logs.length; k++) {
            if (logs[k].emitter == emitter && logs[k].topics[0] == topic) count++;
        }
    }

    // ---- expected reverts ----

    /// @dev The client posts `p` with `spec`, sending `value`, and the post reverts with `revertData`.
    function _expectPostReverts(JobParams memory p, uint256 value, bytes memory revertData) internal {
        vm.expectRevert(revertData);
        vm.prank(client);
        market.postJob{value: value}(p, spec);
    }

    /// @dev `who` makes the market call `call` (built with abi.encodeCall) and it reverts with `revertData`.
    /// One helper for every entry point, so that a revert test reads as setup plus one line.
    function _expectRefused(address who, bytes memory call, bytes memory revertData) internal {
        _expectRefusedBy(address(market), who, call, revertData);
    }

    /// @dev `_expectRefused` for any contract of the set (`target`: the registry, either market).
    function _expectRefusedBy(address target, address who, bytes memory call, bytes memory revertData) internal {
        vm.expectRevert(revertData);
        vm.prank(who);
        // With expectRevert pending, a low-level call returns success when it reverted with `revertData`,
        // and failure with forge's mismatch message otherwise: pass that on, or the test would pass.
        (bool matched, bytes memory mismatch) = target.call(call);
        if (!matched) {
            assembly ("memory-safe") {
                revert(add(mismatch, 32), mload(mismatch))
            }
        }
    }

    /// @dev UnexpectedStatus(jobId, expected, actual).
    function _unexpectedStatus(bytes32 jobId, JobStatus expected, JobStatus actual)
        internal
        pure
        returns (bytes memory)
    {
        return abi.encodeWithSelector(UnexpectedStatus.selector, jobId, expected, actual);
    }

    /// @dev JobNotFound for the id of `t` (terms that no posted job has).
    function _jobNotFound(JobTerms memory t) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(JobNotFound.selector, keccak256(abi.encode(t)));
    }

    /// @dev The next call reverts with UnexpectedStatus(jobId, expected, actual).
    function _expectUnexpectedStatus(bytes32 jobId, JobStatus expected, JobStatus actual) internal {
        vm.expectRevert(_unexpectedStatus(jobId, expected, actual));
    }

    /// @dev The next call reverts with JobNotFound for the id of `t` (terms that no posted job has).
    function _expectJobNotFound(JobTerms memory t) internal {
        vm.expectRevert(_jobNotFound(t));
    }
}
