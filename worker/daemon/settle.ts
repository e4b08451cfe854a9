/**
 * Settlement: results submitted wait for their challenge window and are released; a dispute is
 * logged (the arbiter decides); a closed job's payout is counted and the job is done with; credited
 * balances, single and replicated jobs' alike, are withdrawn to the payout address from the market
 * that holds each.
 */
import type { Hex } from 'viem';
import type { MarketEventArgs } from '../../sdk/events';
import { toContractTerms } from '../../sdk/jobTerms';
import { TxError } from './createWorkerWriter';
import { closeReasonOf } from '../../sdk/enums';
import type { DaemonContext } from './daemonContext';
import { describeError } from './describeError';
import type { ApiJob } from './loomApi';
import type { JobRunner } from './run';
import { type Withdrawal, withdrawBalances } from './withdrawBalances';

const closeReasonName = (reason: number): string => closeReasonOf(reason) ?? String(reason);

const ZERO_ADDRESS = '0x0000000000000000000000000000000000000000';

export class Settlement {
  constructor(
    private readonly ctx: DaemonContext,
    private readonly runner: JobRunner,
  ) {}

  /** A result was submitted: ours is released after its challenge window. */
  resultSubmitted(id: Hex, job: ApiJob | null, args: MarketEventArgs<'ResultSubmitted'>): void {
    const { awaitingRelease } = this.ctx.state;
    if (args.worker.toLowerCase() === this.me() && job?.status === 'SUBMITTED' && !awaitingRelease.has(id)) {
      awaitingRelease.set(id, { terms: toContractTerms(job.terms), challengeDeadline: args.challengeDeadline });
    }
  }

  /** A client disputed a result: ours is logged (the arbiter decides), and no longer released. */
  disputed(id: Hex, job: ApiJob | null, args: MarketEventArgs<'JobDisputed'>): void {
    if (this.ctx.state.awaitingRelease.delete(id) || job?.worker?.toLowerCase() === this.me()) {
      this.ctx.logger.warn({ jobId: id, reason: args.reason }, 'the client disputed our result; the arbiter decides');
    }
  }

  /** A job closed: a bid on it is forgotten; ours, its payout is counted and a run of it stopped. */
  closed(id: Hex, job: ApiJob | null, args: MarketEventArgs<'JobClosed'>): void {
    const { state, metrics } = this.ctx;
    if (state.bids.delete(id)) this.ctx.dropPrepared(id);
    if (args.worker.toLowerCase() !== this.me()) return;
    state.awaitingRelease.delete(id);
    const payout = args.workerPayout;
    const token = job?.terms.token ?? ZERO_ADDRESS;
    if (payout > 0n) metrics.earnings.inc({ token }, payout);
    const reason = closeReasonName(args.reason);
    this.ctx.logger.info({ jobId: id, reason, payout: payout.toString(), token, slashed: args.slashed.toString() }, 'job closed');
    const h = state.held.get(id);
    if (h) this.runner.stopJob(h, `the job was closed on-chain (${reason})`);
    state.done.add(id);
    this.ctx.updateGauges();
  }

  /** Releases the results whose challenge window has passed by chain time `now`. */
  async releaseDue(now: number): Promise<void> {
    const { awaitingRelease } = this.ctx.state;
    for (const [id, s] of awaitingRelease) {
      if (now <= s.challengeDeadline) continue;
      try {
        await this.ctx.writer.release(s.terms);
        awaitingRelease.delete(id);
        this.ctx.logger.info({ jobId: id }, 'released after the challenge window');
      } catch (err) {
        if (err instanceof TxError && err.revert?.name === 'UnexpectedStatus') awaitingRelease.delete(id); // released or disputed meanwhile
        else if (!(err instanceof TxError && err.revert?.name === 'DeadlineNotReached')) this.ctx.logger.warn({ jobId: id, err: describeError(err) }, 'release failed');
      }
    }
  }

  /** Withdraws every credit, from each market, to the payout address (withdrawBalances.ts). */
  async withdrawAll(): Promise<Withdrawal[]> {
    const { api, state } = this.ctx;
    const head = await api.indexedHead();
    const done = await withdrawBalances({
      api,
      writer: this.ctx.writer,
      to: this.ctx.config.payoutAddress ?? this.ctx.address,
      logger: this.ctx.logger,
      // The API has not indexed our last withdrawal of this token from this market yet: its credit is stale.
      skip: (market, token) => {
        const last = state.withdrawnAtBlock.get(`${market}:${token.toLowerCase()}`);
        return last !== undefined && (head === null || head.number < last);
      },
    });
    for (const w of done) {
      state.withdrawnAtBlock.set(`${w.market}:${w.token.toLowerCase()}`, w.blockNumber);
      this.ctx.metrics.withdrawn.inc({ token: w.token.toLowerCase() }, w.amount);
    }
    return done;
  }

  private me(): string {
    return this.ctx.address.toLowerCase();
  }
}
