/**
 * Rebuilds what the worker holds from the API (the chain's view): jobs assigned to it without a
 * result are taken up again, results it submitted wait for release, its standing bids are tracked.
 * Run at start, every minute, and after a reorganization retracts an event.
 */
import type { Hex } from 'viem';
import { toContractTerms } from '../../sdk/jobTerms';
import { SandboxRunner } from '../sandbox/sandboxRunner';
import type { DaemonContext } from './daemonContext';
import type { JobRunner } from './run';
import { sweepJobCgroups } from './sweepJobCgroups';

export async function reconcile(ctx: DaemonContext, runner: JobRunner): Promise<void> {
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
  ctx.updateGauges();
}
