/**
 * Following the market: the API's event log (`jobEvents`), resumed from the cursor after each
 * disconnection, each event handed to the part that acts on it. The cursor advances (and is saved,
 * stateFile.ts) only once an event is handled.
 *
 *   JobPosted        -> intake: strategy -> inputs verified -> claimJob / placeBid, or refused with a reason
 *   JobAssigned      -> ours: run it; another worker's: forget our bid (not chosen)
 *   ResultSubmitted  -> ours: release after the challenge window
 *   JobDisputed      -> ours: logged (the arbiter decides)
 *   JobClosed        -> ours: earnings counted, withdrawal due; a job still running is stopped
 *
 * Replicated jobs (LoomReplicatedMarket):
 *   ReplicatedJobPosted             -> intake: strategy -> inputs verified -> takeSlot, or refused with a reason
 *   ResultCommitted, ResultRevealed -> a job we hold a slot of: reveal or finalize if now due (replicatedSlots.ts)
 *   ReplicatedJobClosed             -> ours: payout and verdict counted, withdrawal due; a run still going is stopped
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Address, Hex } from 'viem';
import { LoomApiError } from '../../sdk/reads';
import type { DaemonContext } from './daemonContext';
import type { Intake } from './intake';
import { type ApiDelivery, type EventStream, rateLimitedWaitMs, replicatedViewOf } from './loomApi';
import type { ReplicatedSlots } from './replicatedSlots';
import type { JobRunner } from './run';
import type { Settlement } from './settle';

export class EventFollower {
  private stream: EventStream | undefined;
  private loop: Promise<void> | undefined;

  constructor(
    private readonly ctx: DaemonContext,
    private readonly parts: { intake: Intake; runner: JobRunner; settlement: Settlement; slots: ReplicatedSlots },
  ) {}

  /** Follows the event log from the state's cursor until the daemon stops. */
  start(): void {
    this.loop = this.follow();
  }

  /** Ends the current subscription (the loop ends once the daemon is stopping). */
  close(): void {
    this.stream?.close();
  }

  /** Resolves once the loop has ended. */
  async ended(): Promise<void> {
    await this.loop?.catch(() => {});
  }

  private async follow(): Promise<void> {
    const { state, api, logger } = this.ctx;
    let backoff = 250;
    while (!state.stopping) {
      let wait: number | undefined;
      const stream = api.subscribeEvents(state.cursor);
      this.stream = stream;
      try {
        for await (const d of stream) {
          backoff = 250;
          state.lastEventAt = Date.now();
          this.handle(d);
          state.cursor = d.cursor;
          this.ctx.stateFile.saveCursor(d.cursor);
          if (state.stopping) break;
        }
        if (!state.stopping) logger.warn('the event stream ended; resubscribing');
      } catch (err) {
        if (state.stopping) break;
        const message = (err as Error).message ?? String(err);
        if (err instanceof LoomApiError && err.code === 'INVALID_CURSOR') {
          logger.warn({ cursor: state.cursor }, 'the API does not know our cursor (a reorganization it did not see): starting from now and reconciling');
          state.cursor = await api.latestEventCursor().catch(() => null);
          state.reconcileDue = true;
          await this.parts.intake.scanOpenJobs().catch(() => {});
        } else {
          // Over the API's limit on open streams: wait what it asks (Retry-After), not our backoff.
          wait = rateLimitedWaitMs(err);
          logger.warn({ err: message, ...(wait !== undefined && { retryInMs: wait }) }, 'the event stream failed; resubscribing');
        }
      } finally {
        stream.close();
      }
      if (state.stopping) break;
      this.ctx.metrics.reconnects.inc();
      await sleep(wait ?? backoff);
      if (wait === undefined) backoff = Math.min(backoff * 2, 10_000);
    }
  }

  private handle(d: ApiDelivery): void {
    const { intake, runner, settlement, slots } = this.parts;
    const e = d.event;
    this.ctx.metrics.events.inc({ name: e.name });
    if (d.retracted) {
      this.ctx.logger.warn({ event: e.id, name: e.name, jobId: e.jobId }, 'an event was retracted by a chain reorganization; reconciling');
      this.ctx.state.reconcileDue = true;
      return;
    }
    const id = e.jobId?.toLowerCase() as Hex | undefined;
    if (!id) return;
    const job = e.job ?? null;
    switch (e.name) {
      case 'JobPosted':
        if (job) this.ctx.track(intake.consider(job, Date.now()));
        return;
      case 'JobAssigned': {
        const worker = e.args.worker.toLowerCase();
        if (worker !== this.ctx.address.toLowerCase()) intake.notChosen(id, worker);
        else if (job && job.status === 'ASSIGNED') runner.onAssigned(job, e.args.executionDeadline);
        return;
      }
      case 'ResultSubmitted':
        settlement.resultSubmitted(id, job, e.args);
        return;
      case 'JobDisputed':
        settlement.disputed(id, job, e.args);
        return;
      case 'JobClosed':
        settlement.closed(id, job, e.args);
        return;
      case 'ReplicatedJobPosted': {
        const view = job && replicatedViewOf(job);
        if (view) this.ctx.track(intake.considerReplicated(view, Date.now()));
        return;
      }
      case 'ResultCommitted':
      case 'ResultRevealed':
        if (this.ctx.state.slots.has(id)) void slots.poke();
        return;
      case 'ReplicatedJobClosed':
        this.ctx.track(slots.closed(id, e.args, { token: job?.terms.token as Address | undefined, outcome: job?.outcome }));
        return;
    }
  }
}
