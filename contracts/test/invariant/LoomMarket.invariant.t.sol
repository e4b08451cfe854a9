// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {StdInvariant} from "forge-std/StdInvariant.sol";
import {MarketFixture} from "../utils/MarketFixture.sol";
import {JobMode, JobStatus} from "../../src/interfaces/ILoomTypes.sol";
import {Handler} from "./Handler.sol";

/// @notice Invariants of the job market under random sequences of every public action, in ETH and
/// USDC, by a few staked workers and clients, one of which refuses ETH and one of which re-enters
/// the market when paid. `afterInvariant` winds every run down and checks that the market ends empty.
/// @dev The handler only makes calls the market's rules allow, so any revert is a finding: an action
/// that should have worked did not (for example, a worker that meets every requirement cannot claim).
/// forge-config: default.invariant.fail-on-revert = true
/// forge-config: deep.invariant.fail-on-revert = true
contract LoomMarketInvariantTest is MarketFixture {
    Handler internal handler;
    address internal sink = makeAddr("sink");

    function setUp() public override {
        super.setUp();
        handler = new Handler(registry, market, usdc, sink);
        // Every run starts with all actors registered on capable machines; the handler may make them leave.
        uint256 actorCount = handler.actors().length;
        for (uint256 k; k < actorCount; k++) {
            handler.register(k, 5 ether, 0);
        }

        // A selector listed n times is called n times as often: the steps that move a job forward
        // weigh more than those that end it early, so that full lifecycles fit in a run.
        bytes4[24] memory actions = [
            Handler.register.selector,
            Handler.addStake.selector,
            Handler.requestUnstake.selector,
            Handler.withdrawStake.selector,
            Handler.deregister.selector,
            Handler.setAvailability.selector,
            Handler.postJob.selector,
            Handler.placeBid.selector,
            Handler.withdrawBid.selector,
            Handler.acceptBid.selector,
            Handler.claimJob.selector,
            Handler.submitResult.selector,
            Handler.release.selector,
            Handler.dispute.selector,
            Handler.resolveDispute.selector,
            Handler.settleTimedOutDispute.selector,
            Handler.cancelJob.selector,
            Handler.expire.selector,
            Handler.reclaim.selector,
            Handler.withdraw.selector,
            Handler.reenter.selector,
            Handler.setFee.selector,
            Handler.warp.selector,
            Handler.warpToDeadline.selector
        ];
        uint8[24] memory weights = [1, 1, 1, 1, 1, 1, 4, 3, 1, 2, 3, 3, 2, 2, 2, 1, 1, 1, 1, 2, 1, 1, 1, 2];
        uint256 total;
        for (uint256 k; k < weights.length; k++) {
            total += weights[k];
        }
        bytes4[] memory selectors = new bytes4[](total);
        uint256 next;
        for (uint256 k; k < actions.length; k++) {
            for (uint256 w; w < weights[k]; w++) {
                selectors[next++] = actions[k];
            }
        }
        targetContract(address(handler));
        targetSelector(StdInvariant.FuzzSelector({addr: address(handler), selectors: selectors}));
    }

    /// @notice Per token, the market holds exactly the escrow of live jobs, plus (in ETH) every worker's
    /// stake and unbonding stake, plus every credited balance, the treasury's fees included.
    function invariant_balanceIsEscrowPlusStakePlusCredits() public view {
        address[] memory accounts = handler.accountList();
        uint256 eth = handler.ghost_escrow(address(0));
        uint256 tokens = handler.ghost_escrow(address(usdc));
        for (uint256 k; k < accounts.length; k++) {
            (uint96 stake,,,,,) = registry.workers(accounts[k]);
            (uint96 unbonding,) = registry.unbonding(accounts[k]);
            eth += uint256(stake) + unbonding + market.credits(address(0), accounts[k]);
            tokens += market.credits(address(usdc), accounts[k]);
        }
        assertEq(address(market).balance, eth, "ETH: escrow + stake + unbonding + credits");
        assertEq(usdc.balanceOf(address(market)), tokens, "USDC: escrow + credits");
    }

    /// @notice The escrow the market holds for live jobs (the budget of open jobs, the price of assigned,
    /// submitted and disputed ones) sums, per token, to the handler's ghost escrow total.
    function invariant_liveEscrowMatchesGhostEscrow() public view {
        uint256 eth;
        uint256 tokens;
        uint256 n = handler.jobCount();
        for (uint256 i; i < n; i++) {
            Handler.JobView memory job = handler.jobAt(i);
            uint256 escrow = _marketEscrowOf(job);
            if (job.token == address(0)) eth += escrow;
            else tokens += escrow;
        }
        assertEq(eth, handler.ghost_escrow(address(0)), "ETH escrow");
        assertEq(tokens, handler.ghost_escrow(address(usdc)), "USDC escrow");
    }

    /// @notice No job leaves Closed and no job pays out twice: a closed job emitted exactly one
    /// `JobClosed`, a live job none.
    function invariant_closedJobsStayClosedAndPayOnce() public view {
        uint256 n = handler.jobCount();
        for (uint256 i; i < n; i++) {
            Handler.JobView memory job = handler.jobAt(i);
            JobStatus status = _statusOf(job.id);
            if (job.status == JobStatus.Closed) assertEq(uint8(status), uint8(JobStatus.Closed), "left Closed");
            assertEq(handler.ghost_closedEvents(job.id), status == JobStatus.Closed ? 1 : 0, "JobClosed count");
        }
    }

    /// @notice No job ever slashes more than the collateral its worker locked for it.
    function invariant_slashNeverExceedsCollateral() public view {
        uint256 n = handler.jobCount();
        for (uint256 i; i < n; i++) {
            Handler.JobView memory job = handler.jobAt(i);
            assertLe(handler.ghost_slashed(job.id), job.collateral, "slash above collateral");
        }
    }

    /// @notice Every closed job paid out (worker, fee and client refund together) exactly what it held in escrow.
    function invariant_closedJobsPayOutTheirEscrow() public view {
        uint256 n = handler.jobCount();
        for (uint256 i; i < n; i++) {
            Handler.JobView memory job = handler.jobAt(i);
            if (job.status != JobStatus.Closed) continue;
            assertEq(handler.ghost_paidOut(job.id), handler.ghost_escrowAtClose(job.id), "payout != escrow");
        }
    }

    /// @notice Every job's status and worker in the market are what the handler's model of the lifecycle says.
    function invariant_jobsFollowTheModel() public view {
        uint256 n = handler.jobCount();
        for (uint256 i; i < n; i++) {
            Handler.JobView memory job = handler.jobAt(i);
            (address worker, JobStatus status,,) = market.jobs(job.id);
            assertEq(uint8(status), uint8(job.status), "status");
            if (status != JobStatus.Open) assertEq(worker, job.worker, "worker");
        }
    }

    /// @notice Each worker's locked stake is the collateral of the live jobs assigned to it, and never
    /// more than its stake.
    function invariant_lockedStakeIsLiveCollateral() public view {
        address[] memory actors = handler.actors();
        uint256[] memory expected = new uint256[](actors.length);
        uint256 n = handler.jobCount();
        for (uint256 i; i < n; i++) {
            Handler.JobView memory job = handler.jobAt(i);
            if (!_isAssigned(job.status)) continue;
            for (uint256 k; k < actors.length; k++) {
                if (actors[k] == job.worker) expected[k] += job.collateral;
            }
        }
        for (uint256 k; k < actors.length; k++) {
            (uint96 stake, uint96 locked,,,,) = registry.workers(actors[k]);
            assertEq(locked, expected[k], "locked != live collateral");
            assertLe(locked, stake, "locked above stake");
        }
    }

    /// @notice Stake and unbonding stake add up to all ETH ever staked minus all withdrawn and all slashed.
    function invariant_stakeIsConserved() public view {
        address[] memory actors = handler.actors();
        uint256 held;
        for (uint256 k; k < actors.length; k++) {
            (uint96 stake,,,,,) = registry.workers(actors[k]);
            (uint96 unbonding,) = registry.unbonding(actors[k]);
            held += uint256(stake) + unbonding;
        }
        assertEq(
            held,
            handler.ghost_stakeDeposited() - handler.ghost_stakeWithdrawn() - handler.ghost_slashedTotal(),
            "stake"
        );
    }

    /// @notice The reentrancy guard refuses every attempt to re-enter withdraw or withdrawStake while
    /// the market is paying the re-entering actor.
    function invariant_guardRefusesReentry() public view {
        assertEq(handler.reentrant().reentriesSucceeded(), 0, "re-entered a guarded function");
    }

    /// @notice Past every deadline, every job can be settled by anyone, every worker can leave and take
    /// its stake, every account can withdraw its credits, and then the market holds nothing at all.
    function afterInvariant() public {
        handler.settleAll();
        handler.exitAll();

        uint256 n = handler.jobCount();
        for (uint256 i; i < n; i++) {
            assertEq(uint8(_statusOf(handler.jobAt(i).id)), uint8(JobStatus.Closed), "job left open");
        }
        invariant_balanceIsEscrowPlusStakePlusCredits();
        invariant_liveEscrowMatchesGhostEscrow();
        invariant_closedJobsStayClosedAndPayOnce();
        invariant_slashNeverExceedsCollateral();
        invariant_closedJobsPayOutTheirEscrow();
        invariant_jobsFollowTheModel();
        invariant_lockedStakeIsLiveCollateral();
        invariant_stakeIsConserved();
        invariant_guardRefusesReentry();
        assertEq(handler.ghost_escrow(address(0)), 0, "ghost ETH escrow");
        assertEq(handler.ghost_escrow(address(usdc)), 0, "ghost USDC escrow");
        assertEq(address(market).balance, 0, "market holds ETH");
        assertEq(usdc.balanceOf(address(market)), 0, "market holds USDC");
    }

    // ---- reading the market ----

    /// @dev The escrow the market holds for a job, from its own state: the budget while open, the
    /// price (budget or accepted bid) while assigned, nothing once closed.
    function _marketEscrowOf(Handler.JobView memory job) internal view returns (uint256) {
        (address worker, JobStatus status,,) = market.jobs(job.id);
        if (status == JobStatus.Open) return job.budget;
        if (!_isAssigned(status)) return 0;
        return job.mode == JobMode.Claim ? job.budget : market.bids(job.id, worker);
    }

    function _isAssigned(JobStatus status) internal pure returns (bool) {
        return status == JobStatus.Assigned || status == JobStatus.Submitted || status == JobStatus.Disputed;
    }

    function _statusOf(bytes32 jobId) internal view returns (JobStatus status) {
        (, status,,) = market.jobs(jobId);
    }
}
