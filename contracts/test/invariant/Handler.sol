// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {LoomMarket} from "../../src/LoomMarket.sol";
import {LoomRegistry} from "../../src/LoomRegistry.sol";
import {LoomReplicatedMarket} from "../../src/LoomReplicatedMarket.sol";
import {TestUSDC} from "../../src/TestUSDC.sol";
import {MarketConfig} from "../../src/base/MarketConfig.sol";
import {ICredits} from "../../src/interfaces/ICredits.sol";
import {ILoomErrors} from "../../src/interfaces/ILoomErrors.sol";
import {JobMode, JobStatus, ReplicatedOutcome, ReplicatedStatus} from "../../src/interfaces/ILoomTypes.sol";
import {HandlerBase} from "./HandlerBase.sol";
import {ModelAndPoolActions} from "./ModelAndPoolActions.sol";
import {ReentryArming} from "./ReentryArming.sol";
import {WorkerActions} from "./WorkerActions.sol";

/// @notice Drives a few actors through the registry and both markets at once, in ETH and USDC: workers
/// register, stake, unstake and leave; single-worker jobs and replicated jobs run their whole lives side
/// by side on the same workers' stake; everyone withdraws from both markets; the fee changes; time
/// moves; actors publish models and run pools, and jobs use those models and are restricted to those
/// pools. Among the actors, one refuses all ETH and one re-enters its payer whenever it is paid ETH, then
/// makes one call armed beforehand into either market. The actions themselves live in WorkerActions,
/// SingleJobActions, ReplicatedJobActions and ModelAndPoolActions, the arming in ReentryArming; this contract adds money,
/// time, the wind-down and the views the invariants read.
contract Handler is WorkerActions, ModelAndPoolActions, ReentryArming {
    constructor(
        LoomRegistry registry_,
        LoomMarket market_,
        LoomReplicatedMarket replicated_,
        TestUSDC usdc_,
        address sink_
    ) HandlerBase(registry_, market_, replicated_, usdc_, sink_) {}

    // ---- funds ----

    /// @dev Picks an account with a credit in the token at one of the markets or the model hub. The
    /// refusing actor sends its ETH elsewhere, after checking, now and then, that sending to itself fails cleanly.
    /// @param tokenSeed bit 0: USDC instead of ETH; bits 1-2 (mod 3): the single market, the replicated
    /// market or the model hub.
    function withdraw(uint256 accountSeed, uint256 tokenSeed, uint256 armSeed) external recordsLogs {
        address token = tokenSeed % 2 == 0 ? address(0) : address(usdc);
        ICredits m = _ledgers()[(tokenSeed >> 1) % 3];
        address[] memory accounts = accountList();
        for (uint256 k; k < accounts.length; k++) {
            address a = accounts[(accountSeed % accounts.length + k) % accounts.length];
            uint256 credit = m.credits(token, a);
            if (credit == 0) continue;
            if (a == address(refuser) && token == address(0) && armSeed % 4 == 0) {
                vm.expectRevert(
                    abi.encodeWithSelector(ILoomErrors.EthTransferFailed.selector, address(refuser), credit)
                );
                vm.prank(a);
                m.withdraw(token, a);
                // The recorder keeps the events of a reverted call too: drop them (nothing came before).
                vm.getRecordedLogs();
            }
            _withdraw(m, a, token, armSeed);
            calls["withdraw"]++;
            return;
        }
    }

    /// @dev The re-entering actor takes a payout (an ETH credit at either market or the model hub, or its
    /// unbonded stake) while armed with a call into a market.
    function reenter(uint256 armSeed, uint256 payerSeed) external recordsLogs {
        address a = address(reentrant);
        ICredits[3] memory ledgers = _ledgers();
        for (uint256 k; k < 4; k++) {
            uint256 payer = (payerSeed % 4 + k) % 4;
            if (payer < 3 && ledgers[payer].credits(address(0), a) != 0) {
                _withdraw(ledgers[payer], a, address(0), armSeed);
            } else if (payer == 3 && _hasUnbonded(a)) {
                _withdrawStake(a, armSeed);
            } else {
                continue;
            }
            calls["reenter"]++;
            return;
        }
    }

    // ---- owner ----

    /// @dev Only jobs posted from now on pay the new fee; the terms of older jobs keep theirs.
    function setFee(uint256 marketSeed, uint256 feeBps) external recordsLogs {
        MarketConfig m = marketSeed % 2 == 0 ? MarketConfig(market) : MarketConfig(replicated);
        feeBps = _bound(feeBps, 0, m.MAX_FEE_BPS());
        vm.prank(m.owner());
        m.setFee(uint16(feeBps));
        calls["setFee"]++;
    }

    // ---- time ----

    function warp(uint256 secondsForward) external {
        vm.warp(block.timestamp + _bound(secondsForward, 1, 1 days));
        calls["warp"]++;
    }

    /// @dev Lands one second before, on, or one second after a deadline that matters to a live job: of a
    /// single job, its open period (or accept window) or the deadline of its status; of a replicated
    /// job, its open period, commit deadline or reveal deadline.
    /// @param offsetSeed mod 3: the offset; byte 1: which deadline; byte 2: which market.
    function warpToDeadline(uint256 jobSeed, uint256 offsetSeed) external {
        uint256 deadline;
        uint256 which = (offsetSeed >> 8) % 3;
        if ((offsetSeed >> 16) % 2 == 0) {
            (bool found, uint256 i) = _findJob(jobSeed, JobStatus.None, _isLive);
            if (!found) return;
            if (_jobs[i].status != JobStatus.Open) deadline = _jobs[i].deadline;
            else deadline = which == 0 ? _jobs[i].terms.openUntil : _closesAt(i);
        } else {
            (bool found, uint256 r) = _findReplicated(jobSeed, _isAnyReplicated);
            if (!found) return;
            if (which == 0) deadline = _rjobs[r].terms.openUntil;
            else if (which == 1) deadline = _commitDeadlineOf(r);
            else deadline = _revealDeadlineOf(r);
        }
        uint256 target = deadline + (offsetSeed % 3) - 1;
        if (target <= block.timestamp) return;
        vm.warp(target);
        calls["warpToDeadline"]++;
    }

    // ---- wind-down (called by afterInvariant, not a target) ----

    /// @notice Lets the work in flight finish where the rules still allow it (every worker that will
    /// commit does, then every worker that can reveal now does), then moves past every deadline and
    /// closes every live job of both markets the way anyone can.
    function settleAll() external recordsLogs {
        for (uint256 r; r < _rjobs.length; r++) {
            if (_rjobs[r].status != ReplicatedStatus.Running) continue;
            for (uint256 s; s < _rjobs[r].filled; s++) {
                if (_canCommit(r, s)) _commit(r, s);
            }
        }
        for (uint256 r; r < _rjobs.length; r++) {
            if (_rjobs[r].status != ReplicatedStatus.Running) continue;
            for (uint256 s; s < _rjobs[r].filled; s++) {
                if (_canReveal(r, s)) _reveal(r, s);
            }
        }
        // Live deadlines lie at most ARBITRATION_PERIOD (7 days) ahead, or for a replicated job at most
        // three MAX_DURATION windows (9 days).
        vm.warp(block.timestamp + 31 days);
        for (uint256 i; i < _jobs.length; i++) {
            _settleJob(i, sink);
        }
        for (uint256 r; r < _rjobs.length; r++) {
            if (_rjobs[r].status == ReplicatedStatus.Running) _finalize(r, sink);
        }
    }

    /// @notice Every worker leaves and withdraws its stake; every account (clients, workers, creators,
    /// pool operators, the treasury) withdraws its credits from both markets and the model hub.
    function exitAll() external recordsLogs {
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
        ICredits[3] memory markets = _ledgers();
        for (uint256 m; m < markets.length; m++) {
            for (uint256 k; k < accounts.length; k++) {
                if (markets[m].credits(address(0), accounts[k]) != 0) {
                    _withdraw(markets[m], accounts[k], address(0), 0);
                }
                if (markets[m].credits(address(usdc), accounts[k]) != 0) {
                    _withdraw(markets[m], accounts[k], address(usdc), 0);
                }
            }
        }
    }

    // ---- views for the invariants ----

    function actors() external view returns (address[] memory) {
        return _actors;
    }

    /// @notice Every account a market or the model hub can credit in this suite: the actors (clients,
    /// workers, creators, operators) and the treasury (each market's, once).
    function accountList() public view returns (address[] memory accounts) {
        address treasury = market.treasury();
        address replicatedTreasury = replicated.treasury();
        uint256 n = _actors.length;
        accounts = new address[](treasury == replicatedTreasury ? n + 1 : n + 2);
        for (uint256 k; k < n; k++) {
            accounts[k] = _actors[k];
        }
        accounts[n] = treasury;
        if (treasury != replicatedTreasury) accounts[n + 1] = replicatedTreasury;
    }

    function jobCount() external view returns (uint256) {
        return _jobs.length;
    }

    /// @notice What the invariants need of single job `i`: its id, the terms that carry amounts, and the model's view.
    struct JobView {
        bytes32 id;
        address token;
        JobMode mode;
        uint96 budget;
        uint96 collateral;
        JobStatus status;
        address worker;
        uint96 price;
        uint40 deadline;
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
            price: job.price,
            deadline: job.deadline
        });
    }

    function replicatedJobCount() external view returns (uint256) {
        return _rjobs.length;
    }

    /// @notice What the invariants need of replicated job `r`: its id, the terms that carry amounts,
    /// and the model's view (the outcome only once closed).
    struct ReplicatedView {
        bytes32 id;
        address token;
        uint96 price;
        uint96 collateral;
        uint8 replicas;
        ReplicatedStatus status;
        uint8 filled;
        uint8 committed;
        uint8 revealed;
        uint40 revealDeadline;
        ReplicatedOutcome outcome;
    }

    function replicatedJobAt(uint256 r) external view returns (ReplicatedView memory) {
        TrackedReplicated storage job = _rjobs[r];
        return ReplicatedView({
            id: job.id,
            token: job.terms.token,
            price: job.terms.price,
            collateral: job.terms.collateral,
            replicas: job.terms.replicas,
            status: job.status,
            filled: job.filled,
            committed: job.committed,
            revealed: job.revealed,
            revealDeadline: job.revealDeadline,
            outcome: job.outcome
        });
    }

    /// @notice The model's slot `s` of replicated job `r`.
    function slotAt(uint256 r, uint256 s) external view returns (TrackedSlot memory) {
        return _slots[r][s];
    }

    // ---- paying out ----

    /// @notice The three ledgers of credits: the single market, the replicated market, the model hub.
    function _ledgers() internal view returns (ICredits[3] memory) {
        return [ICredits(market), ICredits(replicated), ICredits(models)];
    }

    function _withdraw(ICredits m, address a, address token, uint256 armSeed) internal {
        address to = a == address(refuser) && token == address(0) ? sink : a;
        if (a == address(reentrant) && token == address(0)) {
            _arm(armSeed, address(m));
            ghost_reentrantPayouts++;
        }
        vm.prank(a);
        m.withdraw(token, to);
        _afterPayout();
    }

    function _isAnyReplicated(uint256) private pure returns (bool) {
        return true;
    }
}
