/**
 * The daemon's periodic round (every `housekeepingMs`): the worker's stake as the API has it,
 * releases after the challenge window, replicated slots revealed and finalized when due, bids that
 * lapsed, reconciliation (every minute, or when an event was retracted), withdrawals, and deferred
 * jobs considered again.
 */
import type { DaemonContext } from './daemonContext';
import { describeError } from './describeError';
import type { Intake } from './intake';
import { reconcile } from './reconcile';
import type { ReplicatedSlots } from './replicatedSlots';
import type { JobRunner } from './run';
import type { Settlement } from './settle';

export class Housekeeping {
  private timer: NodeJS.Timeout | undefined;
  private busy = false;
  private lastError: { message: string; at: number } | undefined;

  constructor(
    private readonly ctx: DaemonContext,
    private readonly parts: { intake: Intake; runner: JobRunner; settlement: Settlement; slots: ReplicatedSlots },
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.round(), this.ctx.config.housekeepingMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private async round(): Promise<void> {
    const { state, config } = this.ctx;
    const { intake, settlement, slots } = this.parts;
    if (this.busy || state.stopping) return;
    this.busy = true;
    try {
      const w = await this.ctx.api.worker(this.ctx.address);
      if (w) state.noteWorker(w);
      const now = await this.ctx.chainNow();
      await settlement.releaseDue(now);
      void slots.poke();
      intake.forgetLapsedBids(now);
      if (state.reconcileDue || Date.now() - state.lastReconcile > 60_000) await reconcile(this.ctx, this.parts);
      if (config.autoWithdraw) await settlement.withdrawAll();
      intake.retryDeferred();
      this.ctx.updateGauges();
    } catch (err) {
      // Once per distinct failure per minute: an API that is down for a while is one line, not hundreds.
      const message = describeError(err);
      const repeat = message === this.lastError?.message && Date.now() - this.lastError.at < 60_000;
      if (!repeat) this.lastError = { message, at: Date.now() };
      this.ctx.logger[repeat ? 'debug' : 'warn']({ err: message }, 'housekeeping failed; will retry');
    } finally {
      this.busy = false;
    }
  }
}
