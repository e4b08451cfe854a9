// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

// Bench only (never deployed anywhere but a local bench chain): drives many real LoomMarket
// lifecycles per transaction, so that a history of 100,000+ events is generated in minutes.
// Every event is emitted by LoomMarket itself, from real calls: the driver is the client and its
// BenchWorker contracts are registered workers (msg.sender of claim, bid and submit).
// Compiled by bench/lib/history.ts with solc-js (forge does not build bench/).

import {HardwareClaim, JobMode, JobParams, JobTerms} from "../../contracts/src/interfaces/ILoomTypes.sol";
import {ILoomMarket} from "../../contracts/src/interfaces/ILoomMarket.sol";
import {jobTermsOf} from "../../contracts/test/utils/JobTermsOf.sol";

interface IMarketSettings {
    function feeBps() external view returns (uint16);
    function defaultArbiter() external view returns (address);
}

/// @notice A registered worker whose calls come from the driver.
contract BenchWorker {
    ILoomMarket public immutable market;
    address public immutable driver;

    constructor(ILoomMarket market_, HardwareClaim memory hardware) payable {
        market = market_;
        driver = msg.sender;
        market_.registry().register{value: msg.value}(hardware);
    }

    modifier onlyDriver() {
        require(msg.sender == driver, "driver only");
        _;
    }

    function claim(JobTerms calldata terms) external onlyDriver {
        market.claimJob(terms);
    }

    function bid(JobTerms calldata terms, uint96 price) external onlyDriver {
        market.placeBid(terms, price);
    }

    function submit(JobTerms calldata terms, bytes32 resultHash, string calldata uri) external onlyDriver {
        market.submitResult(terms, resultHash, uri);
    }
}

/// @notice The client: posts jobs and walks them through their lifecycles with its workers.
contract LoomBenchDriver {
    ILoomMarket public immutable market;
    address public immutable owner;
    address private immutable arbiter;
    uint16 private immutable feeBps;
    BenchWorker[] public workers;
    uint64 public salt;
    uint256 private nextWorker;

    /// @dev The sparse history's state machine (`step`): one event per call.
    JobTerms private pending;
    BenchWorker private pendingWorker;
    uint8 public stage;

    bytes private constant SPEC =
        '{"version":1,"image":"loom/cuda:12.4","command":["python","train.py","--epochs","3"],"inputs":[{"uri":"ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi"}],"resources":{"gpus":1}}';
    bytes32 private constant SPEC_HASH = keccak256(SPEC);
    bytes32 private constant H100 = "NVIDIA H100 80GB HBM3";
    bytes32 private constant A100 = "NVIDIA A100-SXM4-80GB";

    constructor(ILoomMarket market_) payable {
        market = market_;
        owner = msg.sender;
        arbiter = IMarketSettings(address(market_)).defaultArbiter();
        feeBps = IMarketSettings(address(market_)).feeBps();
    }

    /// @notice Registers `n` more workers, each staking `stake` wei of msg.value.
    function addWorkers(uint256 n, uint96 stake) external payable {
        require(msg.sender == owner, "owner only");
        for (uint256 i = 0; i < n; i++) {
            uint256 k = workers.length;
            HardwareClaim memory claim = HardwareClaim({
                gpuModel: k % 3 == 0 ? A100 : H100,
                gpuCount: uint16(1 + (k % 8)),
                vramMiB: 81_920,
                cpuCores: 32,
                ramMiB: 262_144,
                pricePerGpuHour: uint96(1_500_000 + (k % 10) * 250_000),
                metadataURI: "ipfs://bafybeibench-worker-metadata"
            });
            workers.push(new BenchWorker{value: stake}(market, claim));
        }
    }

    function workerCount() external view returns (uint256) {
        return workers.length;
    }

    /// @notice `claims` claim-mode lifecycles (post, claim, submit, release: 4 events each),
    /// `auctions` auction lifecycles (post, 3 bids, accept, submit, release: 7 events each) and
    /// `open` auctions left open with 3 standing bids (4 events each). Budgets come from msg.value.
    function run(uint256 claims, uint256 auctions, uint256 open, uint96 budget) external payable {
        require(msg.sender == owner, "owner only");
        for (uint256 i = 0; i < claims; i++) {
            JobTerms memory t = _post(JobMode.Claim, budget);
            BenchWorker w = _nextWorker();
            w.claim(t);
            _finish(t, w);
        }
        for (uint256 i = 0; i < auctions; i++) {
            JobTerms memory t = _post(JobMode.Auction, budget);
            BenchWorker w0 = _nextWorker();
            BenchWorker w1 = _nextWorker();
            BenchWorker w2 = _nextWorker();
            w0.bid(t, budget - 3);
            w1.bid(t, budget - 2);
            w2.bid(t, budget - 1);
            market.acceptBid(t, address(w0));
            _finish(t, w0);
        }
        for (uint256 i = 0; i < open; i++) {
            JobTerms memory t = _post(JobMode.Auction, budget);
            _nextWorker().bid(t, budget - 3);
            _nextWorker().bid(t, budget - 2);
            _nextWorker().bid(t, budget - 1);
        }
    }

    /// @notice Scale histories: `rounds` of twelve jobs in every state a market shows, with budgets and
    /// hardware minimums that vary, 60 events a round: 2 claim lifecycles released (4 events each),
    /// 6 auctions released (7), 1 auction left open with 3 bids (4), 1 claimed and submitted (3),
    /// 1 claimed and running (2) and 1 posted and open (1). Budgets (at most `budget` each) come from
    /// msg.value.
    function mix(uint256 rounds, uint96 budget) external payable {
        require(msg.sender == owner, "owner only");
        for (uint256 r = 0; r < rounds; r++) {
            for (uint256 i = 0; i < 2; i++) {
                (JobTerms memory t, BenchWorker w) = _claimed(budget);
                _finish(t, w);
            }
            for (uint256 i = 0; i < 6; i++) {
                JobTerms memory t = _postVaried(JobMode.Auction, budget, 1);
                BenchWorker w0 = _nextWorker();
                w0.bid(t, t.budget - 3);
                _nextWorker().bid(t, t.budget - 2);
                _nextWorker().bid(t, t.budget - 1);
                market.acceptBid(t, address(w0));
                _finish(t, w0);
            }
            JobTerms memory open = _postVaried(JobMode.Auction, budget, 1);
            _nextWorker().bid(open, open.budget - 3);
            _nextWorker().bid(open, open.budget - 2);
            _nextWorker().bid(open, open.budget - 1);
            (JobTerms memory submitted, BenchWorker sw) = _claimed(budget);
            sw.submit(submitted, keccak256(abi.encode(submitted.salt)), "ipfs://bafybeibench-result");
            _claimed(budget);
            // Nobody takes it, so its GPU minimum may exceed some workers' GPUs: 1, 2, 4 or 8.
            _postVaried(JobMode.Claim, budget, uint16(1 << (salt % 4)));
        }
    }

    function _claimed(uint96 budget) private returns (JobTerms memory t, BenchWorker w) {
        t = _postVaried(JobMode.Claim, budget, 1);
        w = _nextWorker();
        w.claim(t);
    }

    /// @dev A job whose budget (up to 1/8 below `budget`) and VRAM minimum (24, 40 or 80 GiB, every
    /// worker has 80) vary with its salt, so that price orders and hardware filters have spread.
    function _postVaried(JobMode mode, uint96 budget, uint16 minGpuCount) private returns (JobTerms memory) {
        uint64 s = salt + 1;
        uint96 b = budget - uint96((uint256(keccak256(abi.encode(s))) % 1024) * (budget / 8192));
        return _postWith(mode, b, minGpuCount, uint32(s % 5 == 0 ? 81_920 : s % 5 < 3 ? 40_960 : 24_576));
    }

    /// @notice One event per call, cycling post -> claim -> submit -> release (sparse histories).
    function step() external payable {
        require(msg.sender == owner, "owner only");
        uint8 s = stage;
        if (s == 0) {
            pending = _post(JobMode.Claim, uint96(msg.value));
        } else if (s == 1) {
            pendingWorker = _nextWorker();
            pendingWorker.claim(pending);
        } else if (s == 2) {
            pendingWorker.submit(pending, keccak256(abi.encode(pending.salt)), "ipfs://bafybeibench-result");
        } else {
            market.release(pending);
        }
        stage = (s + 1) % 4;
    }

    function _finish(JobTerms memory t, BenchWorker w) private {
        w.submit(t, keccak256(abi.encode(t.salt)), "ipfs://bafybeibench-result");
        market.release(t);
    }

    function _nextWorker() private returns (BenchWorker w) {
        uint256 k = nextWorker;
        w = workers[k];
        nextWorker = (k + 1) % workers.length;
    }

    function _post(JobMode mode, uint96 budget) private returns (JobTerms memory t) {
        return _postWith(mode, budget, 1, 40_960);
    }

    function _postWith(JobMode mode, uint96 budget, uint16 minGpuCount, uint32 minVramMiB) private returns (JobTerms memory t) {
        uint64 s = ++salt;
        JobParams memory p = JobParams({
            token: address(0),
            arbiter: address(0),
            budget: budget,
            collateral: 0,
            mode: mode,
            offeredTo: address(0),
            openUntil: uint40(block.timestamp + 3600),
            executionTimeout: 7200,
            challengeWindow: 86_400,
            minGpuCount: minGpuCount,
            minVramMiB: minVramMiB,
            gpuModel: bytes32(0),
            salt: s
        });
        market.postJob{value: budget}(p, SPEC);
        // The settings are read once, at construction: the bench never changes them.
        t = jobTermsOf(p, address(this), arbiter, feeBps, SPEC_HASH);
    }
}
