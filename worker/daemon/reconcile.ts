/**
 * Rebuilds what the worker holds from the API (the chain's view): jobs assigned to it without a
 * result are taken up again, results it submitted wait for release, its standing bids are tracked,
 * and its slots of replicated jobs not yet closed are taken up where they stand (run, committed,
 * revealed: replicatedSlots.ts `resume`). Run at start, every minute, and after a reorganization
 * retracts an event.
 */
import type { Hex } from 'viem';
import { toContractTerms } from '../../sdk/jobTerms';
import { SandboxRunner } from '../sandbox/sandboxRunner';
import type { DaemonContext } from './daemonContext';
import { slotOf } from './replicatedJob';
import type { ReplicatedSlots } from './replicatedSlots';
import type { JobRunner } from './run';
import { sweepJobCgroups } from './sweepJobCgroups';

export async function reconcile(ctx: DaemonContext, parts: { runner: JobRunner; slots: ReplicatedSlots }): Promise<void> {
  const { runner, slots } = parts;
  const { state, api, logger } = ctx;
  state.lastReconcile = Date.now();
  state.reconcileDue = false;
  const mine = await api.jobsOf(ctx.address, ['ASSIGNED', 'SUBMITTED', 'DISPUTED']);
  for (const job of mine) {
    const id = job.id.toLowerCase() as Hex;
    if (job.status === 'ASSIGNED' && !state.held.has(id) && !state.done.has(id)) {
      logger.info({ jobId: id, executionDeadline: job.executionDeadline }, 'found an assigned job without a result on-chain; taking it up');
      if (ctx.sandbox instanceof SandboxRunner) {
        const swept = await sweepJobCgroups(ctx.sandbox.capabilities.cgroups, id).catch(() => []);
        if (swept.length) logger.info({ jobId: id, cgroups: swept }, 'removed cgroups left by an earlier run');
      }
      runner.onAssigned(job, Number(job.executionDeadline));
    } else if (job.status === 'SUBMITTED' && !state.awaitingRelease.has(id)) {
      state.awaitingRelease.set(id, { terms: toContractTerms(job.terms), challengeDeadline: Number(job.challengeDeadline) });
    }
  }
  for (const job of await api.activeBidJobs(ctx.address)) {
    const id = job.id.toLowerCase() as Hex;
    state.considered.add(id);
    if (job.status === 'OPEN' && !state.bids.has(id)) {
      const terms = toContractTerms(job.terms);
      state.bids.set(id, { terms, collateral: terms.collateral, placed: true });
    }
  }
  // Slots held whatever the modes now: a commitment left unrevealed is slashed.
  const replicated = await ctx.replicated.replicatedJobsOf(ctx.address);
  const running = new Set<Hex>();
  if (replicated.length > 0) {
    const now = await ctx.chainNow();
    for (const view of replicated) {
      const id = view.id.toLowerCase() as Hex;
      running.add(id);
      state.considered.add(id);
      // A slot not taken up yet may be run again after a crash: what a killed run left goes first,
      // only empty groups, as another worker on this machine may be running its own slot of the job.
      const fresh = !state.held.has(id) && !state.slots.has(id) && !state.done.has(id) && slotOf(view, ctx.address)?.state !== 'REVEALED';
      if (fresh && ctx.sandbox instanceof SandboxRunner) await sweepJobCgroups(ctx.sandbox.capabilities.cgroups, id, { leaveBusy: true }).catch(() => []);
      await slots.resume(view, now);
    }
  }
  // Records of jobs closed while the worker was away are of no use any more.
  for (const id of ctx.stateFile.committedJobs()) {
    if (!running.has(id) && !state.slots.has(id) && !state.held.has(id)) await ctx.stateFile.forgetCommit(id);
  }
  ctx.updateGauges();
}
