// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {CommonBase} from "forge-std/Base.sol";
import {StdCheats} from "forge-std/StdCheats.sol";
import {StdUtils} from "forge-std/StdUtils.sol";
import {Vm} from "forge-std/Vm.sol";
import {LoomMarket} from "../../src/LoomMarket.sol";
import {LoomRegistry} from "../../src/LoomRegistry.sol";
import {TestUSDC} from "../../src/TestUSDC.sol";
import {ILoomErrors} from "../../src/interfaces/ILoomErrors.sol";
import {ILoomMarketEvents} from "../../src/interfaces/ILoomMarketEvents.sol";
import {HardwareClaim, JobMode, JobParams, JobStatus, JobTerms} from "../../src/interfaces/ILoomTypes.sol";
import {ReentrantActor} from "../mocks/ReentrantActor.sol";
import {RevertingReceiver} from "../mocks/RevertingReceiver.sol";
import {jobTermsOf} from "../utils/JobTermsOf.sol";

/// @notice Drives a few actors through the whole market, in ETH and USDC: workers register, stake,
/// unstake and leave; clients post claim and auction jobs; jobs are bid on, accepted, claimed,
/// submitted, released, disputed, ruled on, timed out, cancelled, expired and reclaimed; everyone
/// withdraws; time moves. Inputs are bounded and jobs picked among those in the right status, so
/// most calls succeed. Among the actors, one refuses all ETH and one re-enters the market whenever
/// it is paid ETH.
/// @dev The handler keeps its own model of every job it created (status, worker, price) and moves
/// the ghost totals from that model and from the ETH that actually moved, never from the market's
/// state, so the invariants compare two independent accounts of the same history. `JobClosed`
/// events are counted from the logs. The market's state is read only to choose calls that its
/// rules allow (who is eligible, which deadline has passed).
contract Handler is CommonBase, StdCheats, StdUtils {
    uint256 internal constant EOA_ACTORS = 4;
    /// @dev Invariants read every job after every call; a cap keeps long runs cheap.
    uint256 internal constant MAX_JOBS = 48;
    uint256 internal constant MAX_ETH_BUDGET = 10 ether;
    uint256 internal constant MAX_USDC_BUDGET = 100_000e6;
    uint256 internal constant MAX_COLLATERAL = 3 ether;
    uint256 internal constant MAX_STAKE = 5 ether;
    uint256 internal constant MAX_DURATION = 3 days;
    bytes32 internal constant H100 = bytes32("NVIDIA H100 80GB HBM3");
    bytes32 internal constant RTX4090 = bytes32("NVIDIA GeForce RTX 4090");

    /// @dev A job as the handler knows it: its terms, and the handler's model of its state.
    struct TrackedJob {
        JobTerms terms;
        bytes32 id;
        JobStatus status;
        address worker;
        uint96 price;
    }

    /// @dev Which unguarded call the re-entering actor was armed with before a payout.
    enum Armed {
        None,
        Release,
        Claim
    }

    LoomRegistry public immutable registry;
    LoomMarket public immutable market;
    TestUSDC public immutable usdc;
    address public immutable owner;
    address public immutable treasury;
    address public immutable arbiter;
    /// @notice Where the refusing actor sends its ETH, and who settles jobs during the wind-down.
    address public immutable sink;
    RevertingReceiver public immutable refuser;
    ReentrantActor public immutable reentrant;

    address[] internal _actors;
    TrackedJob[] internal _jobs;
    mapping(uint256 jobIndex => mapping(address worker => uint96 price)) internal _bids;

    Armed internal _armed;
    uint256 internal _armedJob;

    // ---- ghost totals ----

    /// @notice Escrow held for live jobs, per token: budget while open, price once assigned.
    mapping(address token => uint256) public ghost_escrow;
    /// @notice ETH ever staked (register, addStake), withdrawn (withdrawStake) and slashed.
    uint256 public ghost_stakeDeposited;
    uint256 public ghost_stakeWithdrawn;
    uint256 public ghost_slashedTotal;
    /// @notice Per job, from the `JobClosed` events: how many, the ETH slashed, and
    /// workerPayout + fee + clientRefund.
    mapping(bytes32 jobId => uint256) public ghost_closedEvents;
    mapping(bytes32 jobId => uint256) public ghost_slashed;
    mapping(bytes32 jobId => uint256) public ghost_paidOut;
    /// @notice Per job, what the model held in escrow when the job closed.
    mapping(bytes32 jobId => uint256) public ghost_escrowAtClose;
    /// @notice Successful calls per handler function, for tuning the bounds.
    mapping(bytes32 action => uint256) public calls;

    constructor(LoomRegistry registry_, LoomMarket market_, TestUSDC usdc_, address sink_) {
        registry = registry_;
        market = market_;
        usdc = usdc_;
        owner = market_.owner();
        treasury = market_.treasury();
        arbiter = market_.defaultArbiter();
        sink = sink_;
        refuser = new RevertingReceiver();
        reentrant = new ReentrantActor(market_);

        for (uint256 i; i < EOA_ACTORS; i++) {
            _actors.push(makeAddr(string.concat("actor", vm.toString(i))));
        }
        _actors.push(address(refuser));
        _actors.push(address(reentrant));
        for (uint256 i; i < _actors.length; i++) {
            vm.deal(_actors[i], 1_000_000 ether);
            usdc.mint(_actors[i], 1e18);
            vm.prank(_actors[i]);
            usdc.approve(address(market_), type(uint256).max);
        }
    }

    /// @dev Counts every `JobClosed` the call emitted, whoever triggered it (re-entries included).
    modifier countCloses() {
        vm.recordLogs();
        _;
        _recordCloses();
    }

    // ---- workers ----

    function register(uint256 actorSeed, uint256 stake, uint256 hardwareSeed) external countCloses {
        (bool found, address a) = _findActor(actorSeed, _isUnregistered);
        if (!found) return;
        stake = _bound(stake, 0, MAX_STAKE);
        vm.prank(a);
        registry.register{value: stake}(_hardware(hardwareSeed));
        ghost_stakeDeposited += stake;
        calls["register"]++;
    }

    function addStake(uint256 actorSeed, uint256 amount) external countCloses {
        (bool found, address a) = _findActor(actorSeed, _isRegistered);
        if (!found) return;
        amount = _bound(amount, 1, MAX_STAKE);
        vm.prank(a);
        registry.addStake{value: amount}();
        ghost_stakeDeposited += amount;
        calls["addStake"]++;
    }

    function requestUnstake(uint256 actorSeed, uint256 amount) external countCloses {
        (bool found, address a) = _findActor(actorSeed, _hasFreeStake);
        if (!found) return;
        amount = _bound(amount, 1, _freeStake(a));
        vm.prank(a);
        registry.requestUnstake(uint96(amount));
        calls["requestUnstake"]++;
    }

    function withdrawStake(uint256 actorSeed, uint256 armSeed) external countCloses {
        (bool found, address a) = _findActor(actorSeed, _hasUnbonded);
        if (!found) return;
        _withdrawStake(a, armSeed);
        calls["withdrawStake"]++;
    }

    function deregister(uint256 actorSeed) external countCloses {
        (bool found, address a) = _findActor(actorSeed, _canDeregister);
        if (!found) return;
        vm.prank(a);
        registry.deregister();
        calls["deregister"]++;
    }

    function setAvailability(uint256 actorSeed, uint256 flag) external countCloses {
        (bool found, address a) = _findActor(actorSeed, _isRegistered);
        if (!found) return;
        vm.prank(a);
        registry.setAvailability(flag % 4 != 1); // mostly open: closed workers take no jobs
        calls["setAvailability"]++;
    }

    // ---- jobs ----

    /// @param flags bit 0: USDC instead of ETH; bit 1: auction instead of claim.
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
    ) external countCloses {
        if (_jobs.length >= MAX_JOBS) return;
        address client = _actors[actorSeed % _actors.length];
        JobParams memory p;
        p.token = flags & 1 == 0 ? address(0) : address(usdc);
        p.mode = flags & 2 == 0 ? JobMode.Claim : JobMode.Auction;
        p.budget = uint96(_bound(budget, 1, p.token == address(0) ? MAX_ETH_BUDGET : MAX_USDC_BUDGET));
        p.collateral = uint96(_bound(collateral, 0, MAX_COLLATERAL));
        p.openUntil = uint40(block.timestamp + _bound(openPeriod, 1 hours, MAX_DURATION));
        p.executionTimeout = uint32(_bound(executionTimeout, 1, MAX_DURATION));
        p.challengeWindow = uint32(_bound(challengeWindow, 0, MAX_DURATION));
        p.minGpuCount = uint16(requirements % 3);
        p.minVramMiB = (requirements >> 8) % 2 == 1 ? 40_960 : 0;
        p.gpuModel = (requirements >> 16) % 4 == 1 ? H100 : bytes32(0);
        p.salt = uint64(_jobs.length);
        bytes memory spec = abi.encodePacked("loom-job-", vm.toString(_jobs.length));

        JobTerms memory t = jobTermsOf(p, client, market.defaultArbiter(), market.feeBps(), keccak256(spec));
        vm.prank(client);
        bytes32 jobId = market.postJob{value: p.token == address(0) ? p.budget : 0}(p, spec);
        require(jobId == keccak256(abi.encode(t)), "handler: terms differ from the market's");

        _jobs.push(TrackedJob({terms: t, id: jobId, status: JobStatus.Open, worker: address(0), price: 0}));
        ghost_escrow[p.token] += p.budget;
        calls["postJob"]++;
    }

    function placeBid(uint256 jobSeed, uint256 actorSeed, uint256 price) external countCloses {
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

    function withdrawBid(uint256 jobSeed, uint256 actorSeed) external countCloses {
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

    function acceptBid(uint256 jobSeed, uint256 actorSeed) external countCloses {
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

    function claimJob(uint256 jobSeed, uint256 actorSeed) external countCloses {
        (bool found, uint256 i) = _findJob(jobSeed, JobStatus.Open, _isClaimable);
        if (!found) return;
        JobTerms memory t = _jobs[i].terms;
        address a;
        (found, a) = _findEligible(actorSeed, t);
        if (!found) return;
        vm.prank(a);
        market.claimJob(t);
        _assigned(i, a, t.budget);
        calls["claimJob"]++;
    }

    function submitResult(uint256 jobSeed, bytes32 resultHash) external countCloses {
        (bool found, uint256 i) = _findJob(jobSeed, JobStatus.Assigned, _isBeforeDeadline);
        if (!found) return;
        if (resultHash == bytes32(0)) resultHash = keccak256("result");
        vm.prank(_jobs[i].worker);
        market.submitResult(_jobs[i].terms, resultHash, "ipfs://result");
        _jobs[i].status = JobStatus.Submitted;
        calls["submitResult"]++;
    }

    /// @dev The client may release at any time; anyone else only after the challenge window.
    function release(uint256 jobSeed, uint256 callerSeed) external countCloses {
        (bool found, uint256 i) = _findJob(jobSeed, JobStatus.Submitted, _isAny);
        if (!found) return;
        address caller = _isBeforeDeadline(i) ? _jobs[i].terms.client : _actors[callerSeed % _actors.length];
        _release(i, caller);
        calls["release"]++;
    }

    function dispute(uint256 jobSeed) external countCloses {
        (bool found, uint256 i) = _findJob(jobSeed, JobStatus.Submitted, _isBeforeDeadline);
        if (!found) return;
        vm.prank(_jobs[i].terms.client);
        market.dispute(_jobs[i].terms, "result does not match the spec");
        _jobs[i].status = JobStatus.Disputed;
        calls["dispute"]++;
    }

    function resolveDispute(uint256 jobSeed, uint256 workerAmount, uint256 slash) external countCloses {
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

    function settleTimedOutDispute(uint256 jobSeed, uint256 callerSeed) external countCloses {
        (bool found, uint256 i) = _findJob(jobSeed, JobStatus.Disputed, _isPastDeadline);
        if (!found) return;
        _settleTimedOutDispute(i, _actors[callerSeed % _actors.length]);
        calls["settleTimedOutDispute"]++;
    }

    function cancelJob(uint256 jobSeed) external countCloses {
        (bool found, uint256 i) = _findJob(jobSeed, JobStatus.Open, _isAny);
        if (!found) return;
        vm.prank(_jobs[i].terms.client);
        market.cancelJob(_jobs[i].terms);
        _closed(i);
        calls["cancelJob"]++;
    }

    function expire(uint256 jobSeed, uint256 callerSeed) external countCloses {
        (bool found, uint256 i) = _findJob(jobSeed, JobStatus.Open, _isExpirable);
        if (!found) return;
        _expire(i, _actors[callerSeed % _actors.length]);
        calls["expire"]++;
    }

    function reclaim(uint256 jobSeed, uint256 callerSeed) external countCloses {
        (bool found, uint256 i) = _findJob(jobSeed, JobStatus.Assigned, _isPastDeadline);
        if (!found) return;
        _reclaim(i, _actors[callerSeed % _actors.length]);
        calls["reclaim"]++;
    }

    // ---- funds ----

    /// @dev Picks an account with a credit in the token. The refusing actor sends its ETH elsewhere,
    /// after checking, now and then, that sending to itself fails cleanly.
    function withdraw(uint256 accountSeed, uint256 tokenSeed, uint256 armSeed) external countCloses {
        address token = tokenSeed % 2 == 0 ? address(0) : address(usdc);
        address[] memory accounts = accountList();
        for (uint256 k; k < accounts.length; k++) {
            address a = accounts[(accountSeed % accounts.length + k) % accounts.length];
            uint256 credit = market.credits(token, a);
            if (credit == 0) continue;
            if (a == address(refuser) && token == address(0) && armSeed % 4 == 0) {
                vm.expectRevert(
                    abi.encodeWithSelector(ILoomErrors.EthTransferFailed.selector, address(refuser), credit)
                );
                vm.prank(a);
                market.withdraw(token, a);
            }
            _withdraw(a, token, armSeed);
            calls["withdraw"]++;
            return;
        }
    }

    /// @dev The re-entering actor takes a payout (ETH credit, else unbonded stake) while armed with a
    /// call back into the market.
    function reenter(uint256 armSeed) external countCloses {
        address a = address(reentrant);
        if (market.credits(address(0), a) != 0) _withdraw(a, address(0), armSeed);
        else if (_hasUnbonded(a)) _withdrawStake(a, armSeed);
        else return;
        calls["reenter"]++;
    }

    // ---- owner ----

    /// @dev Only jobs posted from now on pay the new fee; the terms of older jobs keep theirs.
    function setFee(uint256 feeBps) external countCloses {
        feeBps = _bound(feeBps, 0, market.MAX_FEE_BPS());
        vm.prank(owner);
        market.setFee(uint16(feeBps));
        calls["setFee"]++;
    }

    // ---- time ----

    function warp(uint256 secondsForward) external {
        vm.warp(block.timestamp + _bound(secondsForward, 1, 1 days));
        calls["warp"]++;
    }

    /// @dev Lands one second before, on, or one second after the deadline that matters to a live job.
    function warpToDeadline(uint256 jobSeed, uint256 offsetSeed) external {
        (bool found, uint256 i) = _findJob(jobSeed, JobStatus.None, _isLive);
        if (!found) return;
        uint256 deadline;
        if (_jobs[i].status == JobStatus.Open) {
            deadline = _jobs[i].terms.openUntil;
            if (_jobs[i].terms.mode == JobMode.Auction && (offsetSeed >> 8) % 2 == 1) {
                deadline += market.ACCEPT_WINDOW();
            }
        } else {
            deadline = _deadlineOf(i);
        }
        uint256 target = deadline + (offsetSeed % 3) - 1;
        if (target <= block.timestamp) return;
        vm.warp(target);
        calls["warpToDeadline"]++;
    }

    // ---- wind-down (called by afterInvariant, not a target) ----

    /// @notice Moves past every deadline and closes every live job the way anyone can.
    function settleAll() external countCloses {
        // Live deadlines lie at most ARBITRATION_PERIOD (7 days) or MAX_DURATION + ACCEPT_WINDOW ahead.
        vm.warp(block.timestamp + 31 days);
        for (uint256 i; i < _jobs.length; i++) {
            JobStatus status = _jobs[i].status;
            if (status == JobStatus.Open) _expire(i, sink);
            else if (status == JobStatus.Assigned) _reclaim(i, sink);
            else if (status == JobStatus.Submitted) _release(i, sink);
            else if (status == JobStatus.Disputed) _settleTimedOutDispute(i, sink);
        }
    }

    /// @notice Every worker leaves and withdraws its stake; every account withdraws its credits.
    function exitAll() external countCloses {
        for (uint256 k; k < _actors.length; k++) {
            if (_isRegistered(_actors[k])) {
                vm.prank(_actors[k]);
                registry.deregister();
            }
        }
        vm.warp(block.timestamp + registry.UNBONDING_PERIOD());
        for (uint256 k; k < _actors.length; k++) {
            if (_hasUnbonded(_actors[k])) _withdrawStake(_actors[k], 0);
        }
        address[] memory accounts = accountList();
        for (uint256 k; k < accounts.length; k++) {
            if (market.credits(address(0), accounts[k]) != 0) _withdraw(accounts[k], address(0), 0);
            if (market.credits(address(usdc), accounts[k]) != 0) _withdraw(accounts[k], address(usdc), 0);
        }
    }

    // ---- views for the invariants ----

    function actors() external view returns (address[] memory) {
        return _actors;
    }

    /// @notice Every account the market can credit in this suite: the actors, the treasury, the arbiter.
    function accountList() public view returns (address[] memory accounts) {
        accounts = new address[](_actors.length + 2);
        for (uint256 k; k < _actors.length; k++) {
            accounts[k] = _actors[k];
        }
        accounts[_actors.length] = treasury;
        accounts[_actors.length + 1] = arbiter;
    }

    function jobCount() external view returns (uint256) {
        return _jobs.length;
    }

    /// @notice What the invariants need of job `i`: its id, the terms that carry amounts, and the model's view.
    struct JobView {
        bytes32 id;
        address token;
        JobMode mode;
        uint96 budget;
        uint96 collateral;
        JobStatus status;
        address worker;
        uint96 price;
    }

    /// @dev A slim view: invariants read every job after every call, and the full terms cost more to copy.
    function jobAt(uint256 i) external view returns (JobView memory) {
        TrackedJob storage job = _jobs[i];
        return JobView({
            id: job.id,
            token: job.terms.token,
            mode: job.terms.mode,
            budget: job.terms.budget,
            collateral: job.terms.collateral,
            status: job.status,
            worker: job.worker,
            price: job.price
        });
    }

    /// @notice What the model holds in escrow for job `i`: the budget while open, the price while assigned.
    function escrowOf(uint256 i) public view returns (uint256) {
        JobStatus status = _jobs[i].status;
        if (status == JobStatus.Open) return _jobs[i].terms.budget;
        if (status == JobStatus.Assigned || status == JobStatus.Submitted || status == JobStatus.Disputed) {
            return _jobs[i].price;
        }
        return 0;
    }

    // ---- actions shared with the wind-down ----

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

    function _withdraw(address a, address token, uint256 armSeed) internal {
        address to = a == address(refuser) && token == address(0) ? sink : a;
        if (a == address(reentrant) && token == address(0)) _arm(armSeed);
        vm.prank(a);
        market.withdraw(token, to);
        _afterPayout();
    }

    /// @dev Counts the ETH that actually arrived, not what the market says it sent.
    function _withdrawStake(address a, uint256 armSeed) internal {
        address to = a == address(refuser) ? sink : a;
        if (a == address(reentrant)) _arm(armSeed);
        uint256 before = to.balance;
        vm.prank(a);
        registry.withdrawStake(to);
        ghost_stakeWithdrawn += to.balance - before;
        _afterPayout();
    }

    // ---- the model ----

    function _assigned(uint256 i, address worker, uint96 price) internal {
        TrackedJob storage job = _jobs[i];
        ghost_escrow[job.terms.token] -= job.terms.budget - price;
        job.status = JobStatus.Assigned;
        job.worker = worker;
        job.price = price;
    }

    function _closed(uint256 i) internal {
        TrackedJob storage job = _jobs[i];
        uint256 escrow = escrowOf(i);
        ghost_escrow[job.terms.token] -= escrow;
        ghost_escrowAtClose[job.id] = escrow;
        job.status = JobStatus.Closed;
    }

    /// @dev Arms the re-entering actor with an unguarded call it can make while being paid: releasing
    /// a job it posted (the client may release any time) or claiming an open job it is eligible for.
    function _arm(uint256 armSeed) internal {
        uint256 n = _jobs.length;
        for (uint256 k; k < n; k++) {
            uint256 i = (armSeed % n + k) % n;
            TrackedJob storage job = _jobs[i];
            if (job.status == JobStatus.Submitted && job.terms.client == address(reentrant)) {
                reentrant.arm(abi.encodeCall(market.release, (job.terms)));
                (_armed, _armedJob) = (Armed.Release, i);
                return;
            }
            if (job.status == JobStatus.Open && _isClaimable(i) && _isEligible(address(reentrant), job.terms)) {
                reentrant.arm(abi.encodeCall(market.claimJob, (job.terms)));
                (_armed, _armedJob) = (Armed.Claim, i);
                return;
            }
        }
    }

    /// @dev Applies to the model whatever the re-entering actor did while it was being paid.
    function _afterPayout() internal {
        if (_armed == Armed.None) return;
        if (reentrant.armedCallSucceeded()) {
            if (_armed == Armed.Release) {
                _closed(_armedJob);
                calls["reentrantRelease"]++;
            } else {
                _assigned(_armedJob, address(reentrant), _jobs[_armedJob].terms.budget);
                calls["reentrantClaim"]++;
            }
        }
        reentrant.arm("");
        _armed = Armed.None;
    }

    function _recordCloses() internal {
        Vm.Log[] memory logs = vm.getRecordedLogs();
        for (uint256 k; k < logs.length; k++) {
            if (logs[k].emitter != address(market) || logs[k].topics[0] != ILoomMarketEvents.JobClosed.selector) {
                continue;
            }
            bytes32 jobId = logs[k].topics[1];
            (, uint96 workerPayout, uint96 fee, uint96 clientRefund, uint96 slashed) =
                abi.decode(logs[k].data, (address, uint96, uint96, uint96, uint96));
            ghost_closedEvents[jobId]++;
            ghost_slashed[jobId] += slashed;
            ghost_slashedTotal += slashed;
            ghost_paidOut[jobId] += uint256(workerPayout) + fee + clientRefund;
        }
    }

    // ---- picking jobs and actors ----

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

    function _findActor(uint256 seed, function(address) view returns (bool) filter)
        internal
        view
        returns (bool, address)
    {
        uint256 n = _actors.length;
        for (uint256 k; k < n; k++) {
            address a = _actors[(seed % n + k) % n];
            if (filter(a)) return (true, a);
        }
        return (false, address(0));
    }

    function _findEligible(uint256 seed, JobTerms memory t) internal view returns (bool, address) {
        uint256 n = _actors.length;
        for (uint256 k; k < n; k++) {
            address a = _actors[(seed % n + k) % n];
            if (_isEligible(a, t)) return (true, a);
        }
        return (false, address(0));
    }

    /// @dev A bidder on job `i`; with `eligible`, only one the client could accept right now.
    function _findBidder(uint256 i, uint256 seed, bool eligible) internal view returns (bool, address) {
        uint256 n = _actors.length;
        for (uint256 k; k < n; k++) {
            address a = _actors[(seed % n + k) % n];
            if (_bids[i][a] != 0 && (!eligible || _isEligible(a, _jobs[i].terms))) return (true, a);
        }
        return (false, address(0));
    }

    // ---- job filters ----

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

    function _isExpirable(uint256 i) internal view returns (bool) {
        uint256 closesAt = _jobs[i].terms.openUntil + (_isAuction(i) ? market.ACCEPT_WINDOW() : 0);
        return block.timestamp > closesAt;
    }

    function _isBeforeDeadline(uint256 i) internal view returns (bool) {
        return block.timestamp <= _deadlineOf(i);
    }

    function _isPastDeadline(uint256 i) internal view returns (bool) {
        return block.timestamp > _deadlineOf(i);
    }

    /// @dev The deadline of the job's current status, as the market stores it (set on each transition).
    function _deadlineOf(uint256 i) internal view returns (uint256 deadline) {
        (,,, deadline) = market.jobs(_jobs[i].id);
    }

    // ---- actor filters ----

    function _isRegistered(address a) internal view returns (bool registered) {
        (,,,, registered,) = registry.workers(a);
    }

    function _isUnregistered(address a) internal view returns (bool) {
        return !_isRegistered(a);
    }

    function _freeStake(address a) internal view returns (uint256) {
        (uint96 stake, uint96 locked,,,,) = registry.workers(a);
        return stake - locked;
    }

    function _hasFreeStake(address a) internal view returns (bool) {
        return _isRegistered(a) && _freeStake(a) != 0;
    }

    function _hasUnbonded(address a) internal view returns (bool) {
        (uint96 amount, uint40 unlockAt) = registry.unbonding(a);
        return amount != 0 && block.timestamp >= unlockAt;
    }

    function _canDeregister(address a) internal view returns (bool) {
        (, uint96 locked,,, bool registered,) = registry.workers(a);
        return registered && locked == 0;
    }

    function _isEligible(address a, JobTerms memory t) internal view returns (bool) {
        (uint96 stake, uint96 locked, uint16 gpuCount, uint32 vramMiB, bool registered, bool available) =
            registry.workers(a);
        return registered && available && gpuCount >= t.minGpuCount && vramMiB >= t.minVramMiB
            && (t.gpuModel == bytes32(0) || registry.gpuModelOf(a) == t.gpuModel) && stake - locked >= t.collateral;
    }

    // ---- building inputs ----

    /// @dev Hardware varies so that requirements sometimes exclude a worker: 1-4 GPUs, 24 or 80 GiB, two
    /// models. A zero seed (the fuzzer's favourite) gives the most capable machine.
    function _hardware(uint256 seed) internal pure returns (HardwareClaim memory) {
        return HardwareClaim({
            gpuModel: seed % 4 == 1 ? RTX4090 : H100,
            gpuCount: uint16(4 - (seed >> 8) % 4),
            vramMiB: (seed >> 16) % 3 == 1 ? 24_576 : 81_920,
            cpuCores: 32,
            ramMiB: 262_144,
            pricePerGpuHour: 2_500_000,
            metadataURI: "ipfs://worker"
        });
    }
}
