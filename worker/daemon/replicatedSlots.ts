/**
 * This worker's slots of replicated jobs once their run is done: the result is committed to
 * (`keccak256(abi.encode(jobId, worker, resultHash, salt))`, the salt derived from the worker's key:
 * revealSecret.ts), revealed when the reveal phase opens (every slot committed, or the commit
 * deadline passed), and the job finalized when it can be (every slot revealed, or the reveal deadline
 * passed; with too few slots taken, after openUntil), by the slots' workers in turn. The job's close
 * counts the payout, and the housekeeping round withdraws it.
 *
 * Every step reads the job first (the API's view: replicatedJob.ts decides the phases from it and
 * chain time) and is simulated before it is sent (commitResult.ts, revealResult.ts), so nothing the
 * contract would refuse is paid for. Crash safety: the result hash is written to the state file
 * before the commitment is sent (stateFile.ts), the salt is derived again, and the chain says what
 * was done: a restart (reconcile) commits a recorded result whose slot is still TAKEN, reveals a
 * COMMITTED one, finalizes a REVEALED one, and runs the job again (it is deterministic) when a
 * COMMITTED slot's record is gone, revealing only when the new result matches the commitment.
 */
import { type Address, type Hex, zeroAddress } from 'viem';
import type { MarketEventArgs } from '../../sdk/events';
import { resultCommitment } from '../../sdk/replication';
import type { ReplicatedJobTerms } from '../../sdk/writes';
import { WorkerError } from '../errors';
import { commitResult } from './commitResult';
import { TxError } from './createWorkerWriter';
import type { DaemonContext } from './daemonContext';
import type { HeldSlot } from './daemonState';
import { describeError } from './describeError';
import { type ReplicatedJobView, commitDeadlineOf, finalizeDue, revealOpen, slotOf } from './replicatedJob';
import { revealResult } from './revealResult';

/** What the slots need of the runner: run a slot's job (again), stop one. */
export type SlotRunner = {
  runSlot(view: ReplicatedJobView, slot: number, deadline: number): void;
  stopSlotRun(id: Hex, why: string): void;
};

/** The slot the runner ran a job for. */
export type RanSlot = { id: Hex; terms: ReplicatedJobTerms; slot: number };

export class ReplicatedSlots {
  private round: Promise<void> | undefined;
  private again = false;

  constructor(
    private readonly ctx: DaemonContext,
    private readonly runner: SlotRunner,
  ) {}

  /**
   * The run of a slot's job produced a bundle, uploaded at `resultURI`: commit to it, once. Throws
   * the RPC's failures (the runner retries until the deadline); every answer of the contract is handled.
   */
  async commit(h: RanSlot, resultHash: Hex, resultURI: string): Promise<void> {
    const { ctx } = this;
    const log = ctx.logger.child({ jobId: h.id, slot: h.slot });
    const commitment = resultCommitment(h.id, ctx.address, resultHash, this.salt(h.id));
    const view = await ctx.replicated.replicatedJob(h.id).catch(() => null);
    const current = view ? slotOf(view, ctx.address) : undefined;
    if (current && current.state !== 'TAKEN') {
      // Committed before a crash that lost the record: this run computed the result again.
      if (current.commitment?.toLowerCase() !== commitment.toLowerCase()) {
        log.error({ resultHash }, 'the result computed again is not the one committed before the restart: it cannot be revealed (the slot will be slashed)');
        await this.forget(h.id);
        return;
      }
      if (current.state === 'COMMITTED') await ctx.stateFile.recordCommit(h.id, { slot: h.slot, resultHash, resultURI });
      this.hold({ id: h.id, terms: h.terms, slot: h.slot, phase: current.state === 'REVEALED' ? 'revealed' : 'committed', resultHash, resultURI });
      log.info({ resultHash }, 'recovered the committed result by running the job again');
      void this.poke();
      return;
    }
    // On disk before it is sent: a restart must find what it committed to.
    await ctx.stateFile.recordCommit(h.id, { slot: h.slot, resultHash, resultURI });
    const outcome = await commitResult({
      writer: ctx.writer,
      terms: h.terms,
      slot: h.slot,
      commitment,
      current,
      onResend: (tx) => log.warn({ tx }, 'commitResult ran out of gas as another commit landed first; sending it again'),
    });
    switch (outcome.kind) {
      case 'committed':
        ctx.metrics.replicatedSteps.inc({ step: 'commit' });
        log.info({ resultHash, resultURI, tx: outcome.txHash, revealOpen: outcome.revealDeadline !== 0 }, 'result committed');
        this.hold({ id: h.id, terms: h.terms, slot: h.slot, phase: 'committed', resultHash, resultURI });
        break;
      case 'already':
        // The commitment on-chain is this worker's: the reveal's simulation checks it is this result.
        log.info({ state: outcome.state }, 'the slot has committed already; not committing again');
        this.hold({ id: h.id, terms: h.terms, slot: h.slot, phase: outcome.state === 'REVEALED' ? 'revealed' : 'committed', resultHash, resultURI });
        break;
      case 'too_late':
        ctx.metrics.jobsAbandoned.inc({ reason: 'deadline' });
        log.error({ detail: outcome.detail }, 'the commit deadline passed before the result could be committed (the slot will be slashed)');
        await this.forget(h.id);
        break;
      case 'not_ours':
        log.warn({ detail: outcome.detail }, 'the slot is not this worker\'s');
        await this.forget(h.id);
        break;
      case 'closed':
        log.warn('the job was finalized before the result could be committed');
        await this.forget(h.id);
        break;
    }
    void this.poke();
  }

  /** Takes up a slot after a restart (reconcile): commit a recorded result, reveal, finalize, or run the job again. */
  async resume(view: ReplicatedJobView, now: number): Promise<void> {
    const { ctx } = this;
    const id = view.id.toLowerCase() as Hex;
    const mine = slotOf(view, ctx.address);
    if (!mine || ctx.state.slots.has(id) || ctx.state.held.has(id) || ctx.state.done.has(id) || view.status === 'CLOSED') return;
    const log = ctx.logger.child({ jobId: id, slot: mine.slot });
    const record = ctx.stateFile.commitOf(id);
    const ours = record?.slot === mine.slot ? record : undefined;
    if (mine.state === 'REVEALED' && mine.resultHash) {
      log.info('found a revealed slot; finalizing it when due');
      this.hold({ id, terms: view.terms, slot: mine.slot, phase: 'revealed', resultHash: mine.resultHash, resultURI: '' });
      await ctx.stateFile.forgetCommit(id);
    } else if (mine.state === 'COMMITTED' && ours) {
      log.info({ resultHash: ours.resultHash }, 'found a committed slot and its result in the state file; revealing it when the phase opens');
      this.hold({ id, terms: view.terms, slot: mine.slot, phase: 'committed', resultHash: ours.resultHash, resultURI: ours.resultURI });
    } else if (mine.state === 'TAKEN' && ours && now <= commitDeadlineOf(view.terms)) {
      log.info({ resultHash: ours.resultHash }, 'found a taken slot whose result was recorded before the restart; committing it');
      await this.commit({ id, terms: view.terms, slot: mine.slot }, ours.resultHash, ours.resultURI);
    } else if (mine.state === 'TAKEN') {
      log.info({ commitDeadline: commitDeadlineOf(view.terms) }, 'found a taken slot without a result; running it');
      this.runner.runSlot(view, mine.slot, commitDeadlineOf(view.terms));
    } else {
      // Committed, and the record is gone: the run is deterministic, so running it again gives the result.
      log.warn({ revealDeadline: view.revealDeadline }, 'found a committed slot without its result in the state file; running the job again to recover it');
      this.runner.runSlot(view, mine.slot, view.revealDeadline);
    }
    void this.poke();
  }

  /**
   * Runs a round (reveal, finalize): after an event about one of our jobs, a step of our own, and
   * every housekeeping round. Rounds never overlap: a poke during one runs another after it.
   * Resolves when the rounds end.
   */
  poke(): Promise<void> {
    if (this.round) {
      this.again = true;
      return this.round;
    }
    this.round = (async () => {
      try {
        do {
          this.again = false;
          await this.tick();
        } while (this.again && !this.ctx.state.stopping);
      } finally {
        this.round = undefined;
      }
    })();
    this.ctx.track(this.round);
    return this.round;
  }

  /**
   * One round: each slot held revealed once the phase opens, or finalized once due; a job still
   * running whose open period ended with too few slots taken is finalized (its refund unlocks the
   * collateral) and its run stopped by the close.
   */
  private async tick(): Promise<void> {
    const { ctx } = this;
    const { state } = ctx;
    if (state.slots.size === 0 && ![...state.held.values()].some((h) => h.kind === 'replicated')) return;
    const now = await ctx.chainNow();
    for (const s of [...state.slots.values()]) {
      if (state.stopping) return;
      await this.step(s, now).catch((err) => ctx.logger.warn({ jobId: s.id, err: describeError(err) }, 'replicated slot step failed; will retry'));
    }
    for (const h of [...state.held.values()]) {
      if (h.kind !== 'replicated' || state.stopping || now <= h.terms.openUntil) continue;
      const view = await ctx.replicated.replicatedJob(h.id).catch(() => null);
      if (view && view.filled < view.terms.quorum && finalizeDue(view, now)) await this.finalize(h.id, h.terms, 'too few slots were taken');
    }
  }

  /**
   * ReplicatedJobClosed: this worker's slot's payout and verdict counted and logged; the slot let go.
   * `job`: the job as the API delivered it with the event (its token, and its outcome in words).
   */
  async closed(id: Hex, args: MarketEventArgs<'ReplicatedJobClosed'>, job: { token?: Address; outcome?: string | null } = {}): Promise<void> {
    const { ctx } = this;
    const i = args.workers.findIndex((w) => w.toLowerCase() === ctx.address.toLowerCase());
    if (i < 0) return;
    const held = ctx.state.slots.get(id);
    const outcome = job.outcome ?? `OUTCOME_${args.outcome}`;
    const payout = args.payouts[i] ?? 0n;
    const slashed = args.slashed[i] ?? 0n;
    // Only a quorum's workers are paid (the price is never zero), and only they share the slashed collateral.
    const agreed = payout > 0n;
    // A slashed slot was outvoted if it revealed, silent if not: the slot as held, or as the API has it
    // (a round may have let the slot go on seeing the job closed before this event came).
    let revealed = held?.phase === 'revealed';
    if (slashed > 0n && !held) revealed = slotOf((await ctx.replicated.replicatedJob(id).catch(() => null)) ?? { slots: [] }, ctx.address)?.state === 'REVEALED';
    const verdict = agreed ? 'agreed' : slashed === 0n ? 'none' : revealed ? 'disagreed' : 'unrevealed';
    if (payout > 0n) ctx.metrics.earnings.inc({ token: (job.token ?? held?.terms.token ?? zeroAddress).toLowerCase() }, payout);
    // The quorum's share of slashed collateral is always ETH.
    if (agreed && args.winnerSlashShare > 0n) ctx.metrics.earnings.inc({ token: zeroAddress }, args.winnerSlashShare);
    ctx.metrics.replicatedClosed.inc({ outcome: outcome.toLowerCase(), verdict });
    const fields = { jobId: id, outcome, verdict, payout: payout.toString(), slashed: slashed.toString(), slashShare: (agreed ? args.winnerSlashShare : 0n).toString() };
    if (verdict === 'disagreed' || verdict === 'unrevealed') ctx.logger.warn(fields, 'replicated job closed: this slot was slashed');
    else ctx.logger.info(fields, 'replicated job closed');
    this.runner.stopSlotRun(id, `the job was finalized on-chain (${outcome})`);
    ctx.state.done.add(id);
    await this.forget(id);
  }

  private async step(s: HeldSlot, now: number): Promise<void> {
    const { ctx } = this;
    const log = ctx.logger.child({ jobId: s.id, slot: s.slot });
    const view = await ctx.replicated.replicatedJob(s.id);
    if (!view) return;
    if (view.status === 'CLOSED') {
      // Its ReplicatedJobClosed is handled by closed(); this is for a close the event log did not bring.
      ctx.state.done.add(s.id);
      await this.forget(s.id);
      return;
    }
    // Too few slots taken by openUntil: the job can only be refunded, which unlocks the collateral.
    if (view.filled < view.terms.quorum) {
      if (finalizeDue(view, now)) await this.finalizeInTurn(s, 'too few slots were taken');
      return;
    }
    if (s.phase === 'committed') {
      if (!revealOpen(view, now)) return;
      const outcome = await revealResult({ writer: ctx.writer, terms: s.terms, slot: s.slot, resultHash: s.resultHash, salt: this.salt(s.id), resultURI: s.resultURI });
      switch (outcome.kind) {
        case 'revealed':
          ctx.metrics.replicatedSteps.inc({ step: 'reveal' });
          log.info({ resultHash: s.resultHash, tx: outcome.txHash }, 'result revealed');
          s.phase = 'revealed';
          await ctx.stateFile.forgetCommit(s.id);
          void this.poke();
          return;
        case 'already':
          s.phase = 'revealed';
          await ctx.stateFile.forgetCommit(s.id);
          return;
        case 'not_yet':
          return;
        case 'too_late':
          log.error({ detail: outcome.detail }, 'the reveal deadline passed before the result could be revealed (the slot will be slashed)');
          await this.forget(s.id);
          return;
        case 'mismatch':
          log.error({ resultHash: s.resultHash }, 'the recorded result is not what this slot committed to: it cannot be revealed (the slot will be slashed)');
          await this.forget(s.id);
          return;
        case 'closed':
          await this.forget(s.id);
          return;
      }
    }
    if (finalizeDue(view, now)) await this.finalizeInTurn(s, view.revealed >= view.filled ? 'every slot revealed' : 'the reveal deadline passed');
    else s.finalizeAfter = undefined;
  }

  /**
   * Finalizes when this slot's turn has come: a job's workers take turns by slot, two housekeeping
   * rounds apart, so the first one's finalize is usually indexed before the next one's turn (and the
   * simulation stops any that is not). The housekeeping round comes back for a turn not yet due.
   */
  private async finalizeInTurn(s: HeldSlot, why: string): Promise<void> {
    s.finalizeAfter ??= Date.now() + s.slot * 2 * this.ctx.config.housekeepingMs;
    if (Date.now() >= s.finalizeAfter) await this.finalize(s.id, s.terms, why);
  }

  private async finalize(id: Hex, terms: ReplicatedJobTerms, why: string): Promise<void> {
    const { ctx } = this;
    try {
      const { hash } = await ctx.writer.finalize(terms);
      ctx.metrics.replicatedSteps.inc({ step: 'finalize' });
      ctx.logger.info({ jobId: id, why, tx: hash }, 'finalized the replicated job');
    } catch (err) {
      // Finalized by another worker meanwhile, or not quite due at the next block: nothing was sent.
      if (err instanceof TxError && (err.revert?.name === 'JobAlreadyClosed' || err.revert?.name === 'FinalizeTooEarly')) return;
      throw err;
    }
  }

  private hold(s: HeldSlot): void {
    this.ctx.state.slots.set(s.id, s);
    this.ctx.updateGauges();
  }

  private async forget(id: Hex): Promise<void> {
    this.ctx.state.slots.delete(id);
    this.ctx.updateGauges();
    await this.ctx.stateFile.forgetCommit(id);
  }

  private salt(id: Hex): Hex {
    if (!this.ctx.saltOf) throw new WorkerError('KEY_UNAVAILABLE', 'this worker cannot derive reveal salts (see revealSecret.ts)');
    return this.ctx.saltOf(id);
  }
}
