// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {StdInvariant} from "forge-std/StdInvariant.sol";
import {MarketFixture} from "../utils/MarketFixture.sol";
import {ICredits} from "../../src/interfaces/ICredits.sol";
import {
    CloseReason, JobMode, JobStatus, ReplicatedOutcome, ReplicatedStatus, SlotState
} from "../../src/interfaces/ILoomTypes.sol";
import {Handler} from "./Handler.sol";
import {HandlerBase} from "./HandlerBase.sol";

/// @notice Invariants of the registry, both markets and the model hub under random sequences of every
/// public action, in ETH and USDC, by a few workers and clients who run single-worker and replicated jobs
/// side by side on the same stake, some using models the actors publish, some restricted to pools the
/// actors run; one of them refuses ETH and one re-enters its payer when paid. `afterInvariant` winds
/// every run down and checks that the four contracts end empty.
/// @dev The handler only makes calls the rules allow, so any revert is a finding: an action that should
/// have worked did not (for example, a worker that meets every requirement cannot take a slot).
/// forge-config: default.invariant.fail-on-revert = true
/// forge-config: deep.invariant.fail-on-revert = true
contract LoomMarketsInvariantTest is MarketFixture {
    Handler internal handler;
    address internal sink = makeAddr("sink");

    function setUp() public override {
        super.setUp();
        handler = new Handler(registry, market, replicated, usdc, sink);
        // Every run starts with all actors registered on capable machines; the handler may make them leave.
        uint256 actorCount = handler.actors().length;
        for (uint256 k; k < actorCount; k++) {
            handler.register(k, 5 ether, 0);
        }
        // ...and with a few jobs open, because a run is short and a job needs many steps to settle: a claim
        // job in ETH posted by the re-entering actor, an auction in USDC posted by the refusing one, three
        // gasless ones, and two
        // replicated jobs (3 replicas in ETH, 5 in USDC; odd prices, so that quorum shares leave a remainder).
        handler.postJob(actorCount - 1, 1 ether, 0.5 ether, 0, 1 days, 1 days, 1 days, 0);
        handler.postJob(actorCount - 2, 5_000e6, 0.3 ether, 3, 1 days, 1 days, 1 days, 0);
        // Gasless USDC posts by EOA clients, each payment path once: a receive-authorization for a
        // direct offer, an x402 transfer to the order's deposit address, and one a front-runner submitted.
        handler.postJob(0, 2_000e6, 0.1 ether, 1 | 4 | (1 << 3), 1 days, 1 days, 1 days, 0);
        handler.postJob(1, 3_000e6, 0, 1 | (2 << 3), 1 days, 1 days, 1 days, 0);
        handler.postJob(2, 4_000e6, 0.2 ether, 1 | (3 << 3), 1 days, 1 days, 1 days, 0);
        require(handler.calls("postJobFor") == 1 && handler.calls("postJobFromDeposit") == 2, "the gasless seeds were posted");
        uint256 oneDayEach = 1 days | (1 days << 64) | (1 days << 128);
        handler.postReplicatedJob(0, 0.3 ether + 1, 0.5 ether, 0, 1 | (1 << 16), oneDayEach, 0);
        handler.postReplicatedJob(1, 1_000e6 + 1, 0.2 ether, 1, 3 | (1 << 16) | (1 << 24), oneDayEach, 0);

        // Two pools (an open one with a 10% fee that three actors join, one that needs approval) and three
        // models (an ETH fee, a USDC fee, free), then a Pool job and a pooled replicated job, both in ETH
        // through the hub, restricted to the open pool.
        handler.createPool(3, 1_000, false);
        handler.createPool(4, 500, true);
        for (uint256 k; k < 3; k++) {
            handler.joinPool(k, 0);
        }
        handler.publish(0, 0.05 ether, 2);
        handler.publish(1, 100e6, 1 | 2);
        handler.publish(2, 0, 0);
        uint256 seed = _seedForPool(1, 2);
        handler.postJob(seed, 1 ether, 0.1 ether, (1 << 5) | (1 << 7), 1 days, 1 days, 1 days, 0);
        handler.postReplicatedJob(seed, 0.5 ether, 0.1 ether, (1 << 1) | (1 << 3), 1 | (1 << 16), oneDayEach, 0);
        require(
            handler.calls("postJobWithModels") == 1 && handler.calls("postReplicatedJobWithModels") == 1,
            "the model seeds were posted"
        );

        // A selector listed n times is called n times as often: the steps that move a job forward
        // weigh more than those that end it early, so that full lifecycles fit in a run. Taking slots,
        // committing and revealing weigh most: a replicated job needs all three, for several workers.
        bytes4[39] memory actions = [
            handler.register.selector,
            handler.addStake.selector,
            handler.requestUnstake.selector,
            handler.withdrawStake.selector,
            handler.deregister.selector,
            handler.setAvailability.selector,
            handler.postJob.selector,
            handler.placeBid.selector,
            handler.withdrawBid.selector,
            handler.acceptBid.selector,
            handler.claimJob.selector,
            handler.submitResult.selector,
            handler.release.selector,
            handler.dispute.selector,
            handler.resolveDispute.selector,
            handler.settleTimedOutDispute.selector,
            handler.cancelJob.selector,
            handler.expire.selector,
            handler.reclaim.selector,
            handler.returnJob.selector,
            handler.postReplicatedJob.selector,
            handler.takeSlot.selector,
            handler.commitResult.selector,
            handler.revealResult.selector,
            handler.finalize.selector,
            handler.cancelReplicatedJob.selector,
            handler.withdraw.selector,
            handler.reenter.selector,
            handler.setFee.selector,
            handler.warp.selector,
            handler.warpToDeadline.selector,
            handler.publish.selector,
            handler.retire.selector,
            handler.createPool.selector,
            handler.setPoolFee.selector,
            handler.joinPool.selector,
            handler.approveMember.selector,
            handler.removeMember.selector,
            handler.leavePool.selector
        ];
        uint8[39] memory weights = [
            1, 1, 1, 1, 1, 1, 2, 2, 1, 2, 3, 3, 2, 2, 2, 1, 1, 1, 1, 1, 2, 4, 4, 3, 2, 1, 2, 1, 1, 1, 3,
            2, 1, 1, 1, 2, 1, 1, 1
        ];
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

    // ---- money ----

    /// @notice Per token, the registry, both markets and the model hub together hold exactly the escrow
    /// of every live job of either market (budgets in the markets, model fees in the hub), plus (in ETH)
    /// every worker's stake and unbonding stake, plus every credit at either market or the hub (the
    /// treasury's fees, pool operators' fees, royalties and refunded model fees included); and each holds
    /// its own part of it (slashed stake leaves the registry only for the market that slashed it).
    function invariant_balancesAreEscrowStakeAndCredits() public view {
        address hub = address(market.models());
        uint256 eth = handler.ghost_escrow(address(market), address(0))
            + handler.ghost_escrow(address(replicated), address(0)) + handler.ghost_modelEscrow(address(0))
            + _stakeHeld() + _credits(market, address(0)) + _credits(replicated, address(0))
            + _credits(ICredits(hub), address(0));
        uint256 tokens = handler.ghost_escrow(address(market), address(usdc))
            + handler.ghost_escrow(address(replicated), address(usdc)) + handler.ghost_modelEscrow(address(usdc))
            + _credits(market, address(usdc)) + _credits(replicated, address(usdc)) + _credits(ICredits(hub), address(usdc));
        assertEq(
            address(registry).balance + address(market).balance + address(replicated).balance + hub.balance,
            eth,
            "ETH: escrow + stake + unbonding + credits"
        );
        assertEq(
            usdc.balanceOf(address(registry)) + usdc.balanceOf(address(market)) + usdc.balanceOf(address(replicated))
                + usdc.balanceOf(hub),
            tokens,
            "USDC: escrow + credits"
        );

        assertEq(address(registry).balance, _stakeHeld(), "registry ETH: stake + unbonding");
        assertEq(usdc.balanceOf(address(registry)), 0, "registry USDC");
        ICredits[2] memory markets = [ICredits(market), ICredits(replicated)];
        for (uint256 m; m < markets.length; m++) {
            address at = address(markets[m]);
            assertEq(at.balance, handler.ghost_escrow(at, address(0)) + _credits(markets[m], address(0)), "market ETH");
            assertEq(
                usdc.balanceOf(at),
                handler.ghost_escrow(at, address(usdc)) + _credits(markets[m], address(usdc)),
                "market USDC"
            );
        }
        assertEq(hub.balance, handler.ghost_modelEscrow(address(0)) + _credits(ICredits(hub), address(0)), "hub ETH");
        assertEq(
            usdc.balanceOf(hub),
            handler.ghost_modelEscrow(address(usdc)) + _credits(ICredits(hub), address(usdc)),
            "hub USDC"
        );
    }

    /// @notice The escrow each market's own state implies (single jobs: the budget while open, the price
    /// once assigned; replicated jobs: every replica's price while running) is, per token, the handler's
    /// ghost escrow.
    function invariant_liveEscrowMatchesGhostEscrow() public view {
        uint256[2] memory single;
        uint256 n = handler.jobCount();
        for (uint256 i; i < n; i++) {
            Handler.JobView memory job = handler.jobAt(i);
            single[job.token == address(0) ? 0 : 1] += _marketEscrowOf(job);
        }
        assertEq(single[0], handler.ghost_escrow(address(market), address(0)), "single ETH escrow");
        assertEq(single[1], handler.ghost_escrow(address(market), address(usdc)), "single USDC escrow");

        uint256[2] memory replicas;
        n = handler.replicatedJobCount();
        for (uint256 r; r < n; r++) {
            Handler.ReplicatedView memory job = handler.replicatedJobAt(r);
            (ReplicatedStatus status,,,,,,) = replicated.replicatedJobs(job.id);
            if (status == ReplicatedStatus.Running) {
                replicas[job.token == address(0) ? 0 : 1] += uint256(job.price) * job.replicas;
            }
        }
        assertEq(replicas[0], handler.ghost_escrow(address(replicated), address(0)), "replicated ETH escrow");
        assertEq(replicas[1], handler.ghost_escrow(address(replicated), address(usdc)), "replicated USDC escrow");
    }

    /// @notice At each market and the model hub, per token, the credits outstanding are what its events
    /// credited minus what its events say was withdrawn.
    function invariant_creditsMatchTheLogs() public view {
        ICredits[3] memory markets = [ICredits(market), ICredits(replicated), ICredits(market.models())];
        address[2] memory tokens = [address(0), address(usdc)];
        for (uint256 m; m < markets.length; m++) {
            for (uint256 t; t < tokens.length; t++) {
                address at = address(markets[m]);
                assertEq(
                    _credits(markets[m], tokens[t]),
                    handler.ghost_credited(at, tokens[t]) - handler.ghost_withdrawn(at, tokens[t]),
                    "credits != credited - withdrawn"
                );
            }
        }
    }

    /// @notice Every closed job paid out (worker, pool operator, fee and client refund together) exactly
    /// what it held in escrow, and the hub settled (royalties and refunds together) exactly the model fees
    /// escrowed with it, once; a live job's fees are untouched. A replicated job shared out exactly the
    /// collateral it slashed.
    function invariant_closedJobsPayOutTheirEscrow() public view {
        uint256 n = handler.jobCount();
        for (uint256 i; i < n; i++) {
            Handler.JobView memory job = handler.jobAt(i);
            bool closed = job.status == JobStatus.Closed;
            assertEq(handler.ghost_royaltySettled(job.id), closed ? handler.ghost_modelFeesOf(job.id) : 0, "model fees settled");
            if (!closed) continue;
            assertEq(handler.ghost_paidOut(job.id), handler.ghost_escrowAtClose(job.id), "payout != escrow");
        }
        n = handler.replicatedJobCount();
        for (uint256 r; r < n; r++) {
            Handler.ReplicatedView memory job = handler.replicatedJobAt(r);
            bool closed = job.status == ReplicatedStatus.Closed;
            assertEq(
                handler.ghost_royaltySettled(job.id), closed ? handler.ghost_modelFeesOf(job.id) : 0, "replicated model fees settled"
            );
            if (!closed) continue;
            assertEq(
                handler.ghost_replicatedPaidOut(job.id),
                uint256(job.price) * job.replicas,
                "replicated payout != budget"
            );
            uint256 slashed;
            for (uint256 s; s < job.filled; s++) {
                slashed += handler.ghost_slotSlashed(job.id, s);
            }
            assertEq(handler.ghost_slashShared(job.id), slashed, "slash shared != slashed");
        }
    }

    // ---- jobs ----

    /// @notice No job pays twice: a closed job emitted exactly one close event (`JobClosed` or
    /// `ReplicatedJobClosed`) and stays closed, a live job none.
    function invariant_jobsCloseOnce() public view {
        uint256 n = handler.jobCount();
        for (uint256 i; i < n; i++) {
            Handler.JobView memory job = handler.jobAt(i);
            JobStatus status = _statusOf(job.id);
            if (job.status == JobStatus.Closed) assertEq(uint8(status), uint8(JobStatus.Closed), "left Closed");
            assertEq(handler.ghost_closedEvents(job.id), status == JobStatus.Closed ? 1 : 0, "JobClosed count");
        }
        n = handler.replicatedJobCount();
        for (uint256 r; r < n; r++) {
            Handler.ReplicatedView memory job = handler.replicatedJobAt(r);
            (ReplicatedStatus status,,,,,,) = replicated.replicatedJobs(job.id);
            if (job.status == ReplicatedStatus.Closed) {
                assertEq(uint8(status), uint8(ReplicatedStatus.Closed), "replicated left Closed");
            }
            assertEq(
                handler.ghost_replicatedClosedEvents(job.id),
                status == ReplicatedStatus.Closed ? 1 : 0,
                "ReplicatedJobClosed count"
            );
        }
    }

    /// @notice No single job ever slashes more than the collateral its worker locked for it, and no
    /// replicated slot more than the collateral locked for that slot.
    function invariant_slashNeverExceedsCollateral() public view {
        uint256 n = handler.jobCount();
        for (uint256 i; i < n; i++) {
            Handler.JobView memory job = handler.jobAt(i);
            assertLe(handler.ghost_slashed(job.id), job.collateral, "slash above collateral");
        }
        n = handler.replicatedJobCount();
        for (uint256 r; r < n; r++) {
            Handler.ReplicatedView memory job = handler.replicatedJobAt(r);
            for (uint256 s; s < job.replicas; s++) {
                assertLe(handler.ghost_slotSlashed(job.id, s), job.collateral, "slot slash above collateral");
            }
        }
    }

    /// @notice Every job's state in its market is what the handler's model says: a single job's status,
    /// worker and deadline; a replicated job's status, counts and reveal deadline, and every slot's worker
    /// and state.
    function invariant_jobsFollowTheModel() public view {
        uint256 n = handler.jobCount();
        for (uint256 i; i < n; i++) {
            Handler.JobView memory job = handler.jobAt(i);
            (address worker, JobStatus status,, uint40 deadline,,) = market.jobs(job.id);
            assertEq(uint8(status), uint8(job.status), "status");
            if (status != JobStatus.Open) assertEq(worker, job.worker, "worker");
            assertEq(deadline, job.deadline, "deadline");
        }
        n = handler.replicatedJobCount();
        for (uint256 r; r < n; r++) {
            Handler.ReplicatedView memory job = handler.replicatedJobAt(r);
            (ReplicatedStatus status, uint8 filled, uint8 committed, uint8 revealed, uint40 revealDeadline,,) =
                replicated.replicatedJobs(job.id);
            assertEq(uint8(status), uint8(job.status), "replicated status");
            assertEq(filled, job.filled, "filled");
            assertEq(committed, job.committed, "committed");
            assertEq(revealed, job.revealed, "revealed");
            assertEq(revealDeadline, job.revealDeadline, "reveal deadline");
            for (uint256 s; s < job.replicas; s++) {
                HandlerBase.TrackedSlot memory slot = handler.slotAt(r, s);
                (address worker, SlotState state,) = replicated.slots(job.id, s);
                assertEq(worker, slot.worker, "slot worker");
                assertEq(uint8(state), uint8(slot.state), "slot state");
            }
        }
    }

    /// @notice Every closed replicated job ended as the model works out from its slots: the outcome, who
    /// lost their collateral (all of it) and who was paid.
    function invariant_replicatedOutcomesFollowTheModel() public view {
        uint256 n = handler.replicatedJobCount();
        for (uint256 r; r < n; r++) {
            Handler.ReplicatedView memory job = handler.replicatedJobAt(r);
            if (job.status != ReplicatedStatus.Closed) continue;
            assertEq(uint8(handler.ghost_outcome(job.id)), uint8(job.outcome), "outcome");
            for (uint256 s; s < job.filled; s++) {
                HandlerBase.TrackedSlot memory slot = handler.slotAt(r, s);
                assertEq(handler.ghost_slotSlashed(job.id, s), slot.expectSlashed ? job.collateral : 0, "slot slashed");
                assertEq(handler.ghost_slotPaid(job.id, s) != 0, slot.expectPaid, "slot paid");
            }
        }
    }

    /// @notice No creator and no pool operator is ever paid for a job that did not complete: a royalty or
    /// a pool fee only for a single job whose worker was paid (released, or a ruling or timeout that gave
    /// it a share) and never one cancelled, expired, returned or reclaimed; for a replicated job only on
    /// QuorumReached. And every amount is what the fees fixed at posting (models) and at assignment (pools)
    /// give, whatever versions were published and pool fees set since.
    function invariant_onlyCompletedJobsPayCreatorsAndOperators() public view {
        assertEq(handler.ghost_feeMismatches(), 0, "a royalty or pool fee differs from the fee fixed for the job");
        uint256 n = handler.jobCount();
        for (uint256 i; i < n; i++) {
            Handler.JobView memory job = handler.jobAt(i);
            bool paysCreatorsOrOperator = handler.ghost_royaltyPaidEvents(job.id) != 0 || handler.ghost_poolFeePaid(job.id) != 0;
            if (!paysCreatorsOrOperator) continue;
            assertTrue(handler.ghost_workerPaid(job.id), "paid for a job whose worker was not");
            (,, CloseReason reason,,,) = market.jobs(job.id);
            assertTrue(
                reason == CloseReason.Completed || reason == CloseReason.DisputeResolved
                    || reason == CloseReason.ArbitrationTimedOut,
                "paid for a job that did not complete"
            );
        }
        n = handler.replicatedJobCount();
        for (uint256 r; r < n; r++) {
            Handler.ReplicatedView memory job = handler.replicatedJobAt(r);
            if (handler.ghost_royaltyPaidEvents(job.id) == 0 && handler.ghost_poolFeePaid(job.id) == 0) continue;
            assertEq(uint8(handler.ghost_outcome(job.id)), uint8(ReplicatedOutcome.QuorumReached), "paid without a quorum");
        }
    }

    // ---- stake ----

    /// @notice Each worker's locked stake is the collateral of its live single jobs plus that of its
    /// slots in running replicated jobs, never more than its stake; and what each market has locked of
    /// it is that market's part.
    function invariant_lockedStakeIsLiveCollateral() public view {
        address[] memory actors = handler.actors();
        uint256[] memory bySingle = new uint256[](actors.length);
        uint256[] memory byReplicated = new uint256[](actors.length);
        uint256 n = handler.jobCount();
        for (uint256 i; i < n; i++) {
            Handler.JobView memory job = handler.jobAt(i);
            if (!_isAssigned(job.status)) continue;
            bySingle[_indexOf(actors, job.worker)] += job.collateral;
        }
        n = handler.replicatedJobCount();
        for (uint256 r; r < n; r++) {
            Handler.ReplicatedView memory job = handler.replicatedJobAt(r);
            if (job.status != ReplicatedStatus.Running) continue;
            for (uint256 s; s < job.filled; s++) {
                byReplicated[_indexOf(actors, handler.slotAt(r, s).worker)] += job.collateral;
            }
        }
        for (uint256 k; k < actors.length; k++) {
            (uint96 stake, uint96 locked,,,,) = registry.workers(actors[k]);
            assertEq(locked, bySingle[k] + byReplicated[k], "locked != live collateral");
            assertLe(locked, stake, "locked above stake");
            assertEq(registry.lockedBy(address(market), actors[k]), bySingle[k], "locked by the single market");
            assertEq(
                registry.lockedBy(address(replicated), actors[k]), byReplicated[k], "locked by the replicated market"
            );
        }
    }

    /// @notice Stake and unbonding stake add up to all ETH ever staked minus all withdrawn and all slashed
    /// by either market.
    function invariant_stakeIsConserved() public view {
        assertEq(
            _stakeHeld(),
            handler.ghost_stakeDeposited() - handler.ghost_stakeWithdrawn() - handler.ghost_slashedTotal(),
            "stake"
        );
    }

    /// @notice Every ETH payout to the re-entering actor met its try to re-enter the payer's paying
    /// function, and the payer's guard refused every one.
    function invariant_guardRefusesReentry() public view {
        assertEq(handler.reentrant().reentriesSucceeded(), 0, "re-entered a guarded function");
        assertEq(handler.reentrant().reentriesBlocked(), handler.ghost_reentrantPayouts(), "re-entries tried");
    }

    /// @notice Past every deadline, every job of both markets can be settled by anyone, every worker can
    /// leave and take its stake, every account can withdraw its credits from both markets, and then the
    /// registry and the markets hold nothing at all.
    function afterInvariant() public virtual {
        handler.settleAll();
        handler.exitAll();

        uint256 n = handler.jobCount();
        for (uint256 i; i < n; i++) {
            assertEq(uint8(_statusOf(handler.jobAt(i).id)), uint8(JobStatus.Closed), "job left open");
        }
        n = handler.replicatedJobCount();
        for (uint256 r; r < n; r++) {
            (ReplicatedStatus status,,,,,,) = replicated.replicatedJobs(handler.replicatedJobAt(r).id);
            assertEq(uint8(status), uint8(ReplicatedStatus.Closed), "replicated job left running");
        }
        invariant_balancesAreEscrowStakeAndCredits();
        invariant_liveEscrowMatchesGhostEscrow();
        invariant_creditsMatchTheLogs();
        invariant_closedJobsPayOutTheirEscrow();
        invariant_jobsCloseOnce();
        invariant_slashNeverExceedsCollateral();
        invariant_jobsFollowTheModel();
        invariant_replicatedOutcomesFollowTheModel();
        invariant_lockedStakeIsLiveCollateral();
        invariant_stakeIsConserved();
        invariant_guardRefusesReentry();
        invariant_onlyCompletedJobsPayCreatorsAndOperators();
        address[5] memory holders = [
            address(registry), address(market), address(replicated), address(market.deposits()), address(market.models())
        ];
        for (uint256 h; h < holders.length; h++) {
            assertEq(holders[h].balance, 0, "a contract holds ETH");
            assertEq(usdc.balanceOf(holders[h]), 0, "a contract holds USDC");
        }
    }

    // ---- reading the contracts ----

    /// @dev Stake and unbonding stake of every actor (only actors ever register).
    function _stakeHeld() internal view returns (uint256 held) {
        address[] memory actors = handler.actors();
        for (uint256 k; k < actors.length; k++) {
            (uint96 stake,,,,,) = registry.workers(actors[k]);
            (uint96 unbonding,) = registry.unbonding(actors[k]);
            held += uint256(stake) + unbonding;
        }
    }

    /// @dev Every credit of `token` at market (or hub) `m`, over every account it can credit.
    function _credits(ICredits m, address token) internal view returns (uint256 total) {
        address[] memory accounts = handler.accountList();
        for (uint256 k; k < accounts.length; k++) {
            total += m.credits(token, accounts[k]);
        }
    }

    /// @dev The escrow the market holds for a job, from its own state: the budget while open, the
    /// price (budget or accepted bid) while assigned, nothing once closed.
    function _marketEscrowOf(Handler.JobView memory job) internal view returns (uint256) {
        (address worker, JobStatus status,,,,) = market.jobs(job.id);
        if (status == JobStatus.Open) return job.budget;
        if (!_isAssigned(status)) return 0;
        return job.mode == JobMode.Auction ? market.bids(job.id, worker) : job.budget;
    }

    function _isAssigned(JobStatus status) internal pure returns (bool) {
        return status == JobStatus.Assigned || status == JobStatus.Submitted || status == JobStatus.Disputed;
    }

    function _statusOf(bytes32 jobId) internal view returns (JobStatus status) {
        (, status,,,,) = market.jobs(jobId);
    }

    /// @dev An actor seed whose jobs the handler restricts to pool `pool` of `pools` (see postJob).
    function _seedForPool(uint256 pool, uint256 pools) internal pure returns (uint256 seed) {
        while (1 + uint256(keccak256(abi.encode(seed, "pool"))) % pools != pool) {
            seed++;
        }
    }

    function _indexOf(address[] memory actors, address a) internal pure returns (uint256) {
        for (uint256 k; k < actors.length; k++) {
            if (actors[k] == a) return k;
        }
        revert("not an actor");
    }
}
