/**
 * Taking jobs: each open job is considered once (strategy.ts decides; for a pool job, with this
 * worker's membership as the registry has it), its image is checked with the registry (allow-list,
 * manifest, size, platform, CUDA: jobImages.ts), its inputs are verified and its models' files
 * fetched into the cache (../models/modelStore.ts) before any transaction, then it is claimed or
 * bid for (a replicated job: a slot is taken), or refused with a reason. An image job's pull starts once its bid stands, its claim is
 * mined or its slot taken. Jobs refused for want of a slot or of free stake are considered again,
 * oldest first, when either frees up.
 */
import { type Hex, parseEventLogs } from 'viem';
import { loomMarketAbi } from '../../sdk';
import { type JobTerms, jobIdOf, toContractTerms } from '../../sdk/jobTerms';
import type { JobSpec } from '../../sdk/spec/jobSpec';
import { ACCEPT_WINDOW } from '../../sdk/marketRules';
import { receiptEvents } from '../../sdk/receipts';
import { formatRevert } from '../../sdk/revert';
import { TxError } from './createWorkerWriter';
import type { DaemonContext } from './daemonContext';
import { describeError } from './describeError';
import { type ApiJob, modelsOf, replicatedViewOf } from './loomApi';
import { resendAfterStateMoved, revertedAsStateMoved } from './resendAfterStateMoved';
import type { JobRunner } from './run';
import { type ReplicatedJobView, commitDeadlineOf } from './replicatedJob';
import { type PoolMembership, type StrategyContext, decide, decideReplicated } from './strategy';
import { MODE } from '../../sdk/enums';
import type { ModelFileMount } from '../models/jobModels';

export class Intake {
  private retrying = false;

  constructor(
    private readonly ctx: DaemonContext,
    private readonly runner: JobRunner,
  ) {}

  /** Decides on an open job (once) and claims it, bids for it, or refuses it with a reason. */
  async consider(job: ApiJob, receivedAt: number): Promise<void> {
    const { state, metrics, writer } = this.ctx;
    const id = job.id.toLowerCase() as Hex;
    if (state.stopping || state.considered.has(id)) return;
    if (state.considered.size > 100_000) state.considered.clear();
    state.considered.add(id);
    if (job.status !== 'OPEN') return;
    const log = this.ctx.logger.child({ jobId: id });
    let terms: JobTerms;
    try {
      terms = toContractTerms(job.terms);
      if (jobIdOf(terms) !== id) throw new Error('the terms do not hash to the job id');
    } catch (err) {
      this.refuse(id, 'terms', `the API's terms are unusable: ${(err as Error).message}`);
      return;
    }
    let now: number;
    let pool: PoolMembership | null | undefined;
    try {
      now = await this.ctx.chainNow();
      // A pool job is for its members: where this worker stands is read only for one.
      if (terms.mode === MODE.POOL) pool = await this.ctx.poolMembership();
    } catch (err) {
      // The RPC failed: nothing was decided; the job is considered again later.
      this.deferOnRpcFailure(id, terms.openUntil, receivedAt, err);
      return;
    }
    const decision = decide({ status: job.status, terms, spec: job.spec, models: modelsOf(job) }, this.strategyContext(now, pool), this.ctx.config.strategy);
    if (decision.action === 'skip') {
      this.refuse(id, decision.reason, decision.detail);
      if (decision.reason === 'capacity' || decision.reason === 'collateral') this.defer(id, terms.openUntil, receivedAt);
      return;
    }
    // Reserve the slot (or bid) and the collateral now, before anything is awaited.
    if (decision.action === 'claim') state.claiming.set(id, terms.collateral);
    else state.bids.set(id, { terms, collateral: terms.collateral, placed: false });
    this.ctx.updateGauges();
    let assigned = false;
    try {
      if (!(await this.readyToRun(id, decision.spec, decision.models))) return;
      if (decision.action === 'claim') {
        const { hash, receipt } = await writer.claimJob(terms);
        metrics.pickupLatency.observe((Date.now() - receivedAt) / 1000);
        metrics.decisions.inc({ decision: 'claim', reason: 'accepted' });
        const [assignedLog] = parseEventLogs({ abi: loomMarketAbi, logs: receipt.logs, eventName: 'JobAssigned' });
        log.info({ price: terms.budget.toString(), tx: hash }, 'claimed');
        state.claiming.delete(id);
        assigned = true;
        this.ctx.images.warm(id, decision.spec);
        this.runner.onAssigned({ ...job, status: 'ASSIGNED', price: terms.budget.toString() }, Number(assignedLog?.args.executionDeadline ?? 0));
      } else {
        const { hash } = await writer.placeBid(terms, decision.price);
        metrics.pickupLatency.observe((Date.now() - receivedAt) / 1000);
        metrics.decisions.inc({ decision: 'bid', reason: 'accepted' });
        const bid = state.bids.get(id);
        if (bid) bid.placed = true;
        assigned = true; // keeps the verified inputs until the client decides
        log.info({ price: decision.price.toString(), budget: terms.budget.toString(), tx: hash }, 'bid placed');
        // Pull while the bid stands: an accepted bid then runs from the cache.
        this.ctx.images.warm(id, decision.spec);
      }
    } catch (err) {
      if (decision.action === 'bid') state.bids.delete(id);
      if (err instanceof TxError && err.rpc) {
        // The RPC failed, not the contract: not a refusal. A claim whose answer was lost may have
        // gone through (its JobAssigned event runs it); otherwise the job is considered again later.
        this.deferOnRpcFailure(id, terms.openUntil, receivedAt, err);
      } else if (err instanceof TxError) {
        // Usually another worker was faster (UnexpectedStatus): the simulation spared the gas.
        this.refuse(id, 'refused', err.revert ? formatRevert(err.revert) : err.shortMessage);
      } else {
        log.warn({ err: describeError(err) }, 'could not take the job');
        metrics.decisions.inc({ decision: 'skip', reason: 'error' });
      }
    } finally {
      state.claiming.delete(id);
      if (!assigned) this.ctx.dropPrepared(id);
      this.ctx.updateGauges();
    }
  }

  /**
   * Decides on a replicated job with a free slot (once) and takes a slot, or refuses it with a
   * reason: the same checks as a claim (strategy.ts), image and inputs before any transaction; the
   * run must fit before the commit deadline.
   */
  async considerReplicated(job: ReplicatedJobView, receivedAt: number): Promise<void> {
    const { state, metrics, writer } = this.ctx;
    const id = job.id.toLowerCase() as Hex;
    if (state.stopping || state.considered.has(id)) return;
    if (state.considered.size > 100_000) state.considered.clear();
    state.considered.add(id);
    if (job.status !== 'OPEN') return;
    if (!this.ctx.saltOf) {
      this.refuse(id, 'reveal_salt', "this worker's key cannot derive reveal salts that survive a restart (revealSecret.ts)");
      return;
    }
    const log = this.ctx.logger.child({ jobId: id });
    const terms = job.terms;
    let now: number;
    let pool: PoolMembership | null | undefined;
    try {
      now = await this.ctx.chainNow();
      if (job.pool !== undefined) pool = await this.ctx.poolMembership();
    } catch (err) {
      this.deferOnRpcFailure(id, terms.openUntil, receivedAt, err, true);
      return;
    }
    const decision = decideReplicated(
      { status: job.status, terms, spec: job.spec, ...(job.models ? { models: job.models } : {}), ...(job.pool === undefined ? {} : { pool: job.pool }) },
      this.strategyContext(now, pool),
      this.ctx.config.strategy,
    );
    if (decision.action === 'skip') {
      this.refuse(id, decision.reason, decision.detail);
      if (decision.reason === 'capacity' || decision.reason === 'collateral') this.defer(id, terms.openUntil, receivedAt, true);
      return;
    }
    // Reserve the machine and the collateral now, before anything is awaited.
    state.claiming.set(id, terms.collateral);
    this.ctx.updateGauges();
    let taken = false;
    try {
      if (!(await this.readyToRun(id, decision.spec, decision.models))) return;
      const { hash, receipt } = await resendAfterStateMoved(
        () => writer.takeSlot(terms),
        (tx) => log.warn({ tx }, 'takeSlot ran out of gas as another slot was taken meanwhile; sending it again'),
      );
      metrics.pickupLatency.observe((Date.now() - receivedAt) / 1000);
      metrics.decisions.inc({ decision: 'take', reason: 'accepted' });
      metrics.replicatedSteps.inc({ step: 'take' });
      const [slotTaken] = receiptEvents(receipt, 'SlotTaken');
      if (!slotTaken) throw new Error(`takeSlot ${hash} emitted no SlotTaken`);
      const slot = Number(slotTaken.args.slot);
      log.info({ slot, price: terms.price.toString(), replicas: terms.replicas, quorum: terms.quorum, tx: hash }, 'took a slot of a replicated job');
      state.claiming.delete(id);
      taken = true;
      this.ctx.images.warm(id, decision.spec);
      this.runner.runSlot(job, slot, commitDeadlineOf(terms));
    } catch (err) {
      if (err instanceof TxError && err.rpc) {
        // A takeSlot whose answer was lost may have gone through: reconciliation finds the slot.
        this.deferOnRpcFailure(id, terms.openUntil, receivedAt, err, true);
        if (err.maybeSent) state.reconcileDue = true;
      } else if (revertedAsStateMoved(err)) {
        // Out of gas again and again as other slots were taken: considered again later.
        metrics.decisions.inc({ decision: 'skip', reason: 'reverted' });
        this.defer(id, terms.openUntil, receivedAt, true);
      } else if (err instanceof TxError) {
        // Full already (NoFreeSlot), or closed: the simulation spared the gas.
        this.refuse(id, 'refused', err.revert ? formatRevert(err.revert) : err.shortMessage);
      } else {
        log.warn({ err: describeError(err) }, 'could not take a slot');
        metrics.decisions.inc({ decision: 'skip', reason: 'error' });
      }
    } finally {
      state.claiming.delete(id);
      if (!taken) this.ctx.dropPrepared(id);
      this.ctx.updateGauges();
    }
  }

  /** Considers the jobs open now, single and replicated (at start, and after losing the cursor). */
  async scanOpenJobs(): Promise<void> {
    const { state, config } = this.ctx;
    const now = await this.ctx.chainNow();
    // takableBy: direct offers made to other workers are not even listed.
    const filter = { status: ['OPEN' as const], openAfter: String(now), takableBy: this.ctx.address, fitsGpuCount: state.onChain.gpuCount, fitsVramMiB: state.onChain.vramMiB };
    for (const job of await this.ctx.api.jobs({ ...filter, kind: 'SINGLE' })) this.ctx.track(this.consider(job, Date.now()));
    if (!config.strategy.modes.replicated) return;
    for (const job of await this.ctx.api.jobs({ ...filter, kind: 'REPLICATED' })) {
      const view = replicatedViewOf(job);
      if (view) this.ctx.track(this.considerReplicated(view, Date.now()));
    }
  }

  /** Considers deferred jobs again, oldest first, while a slot is free (those still open). */
  retryDeferred(): void {
    const { state } = this.ctx;
    if (state.deferred.size === 0 || state.stopping || this.retrying) return;
    this.retrying = true;
    this.ctx.track(
      (async () => {
        try {
          // The RPC failing here only postpones the retry to the next round.
          const now = await this.ctx.chainNow().catch(() => undefined);
          if (now === undefined) return;
          for (const [id, d] of [...state.deferred]) {
            if (state.stopping) return;
            if (now > d.openUntil) {
              state.deferred.delete(id);
              continue;
            }
            if (state.held.size + state.claiming.size >= this.ctx.config.strategy.maxConcurrentJobs) return;
            state.deferred.delete(id);
            if (d.replicated) {
              const job = await this.ctx.replicated.replicatedJob(id).catch(() => null);
              if (job?.status !== 'OPEN') continue;
              state.considered.delete(id);
              await this.considerReplicated(job, d.seenAt);
              continue;
            }
            const job = await this.ctx.api.job(id).catch(() => null);
            if (job?.status !== 'OPEN') continue;
            state.considered.delete(id);
            await this.consider(job, d.seenAt);
          }
        } finally {
          this.retrying = false;
        }
      })(),
    );
  }

  /** Another worker was assigned a job we bid on: forget the bid. */
  notChosen(id: Hex, assignedTo: string): void {
    if (!this.ctx.state.bids.delete(id)) return;
    this.ctx.logger.info({ jobId: id, assignedTo }, 'not chosen: the job went to another worker');
    this.ctx.dropPrepared(id);
    this.ctx.updateGauges();
  }

  /** Forgets a bid on a job that closed. */
  forgetBid(id: Hex): void {
    if (this.ctx.state.bids.delete(id)) this.ctx.dropPrepared(id);
  }

  /** Forgets bids the client can no longer accept (their accept window passed). */
  forgetLapsedBids(now: number): void {
    const { state } = this.ctx;
    for (const [id, b] of state.bids) {
      if (b.placed && now > b.terms.openUntil + ACCEPT_WINDOW) {
        state.bids.delete(id);
        this.ctx.dropPrepared(id);
        this.ctx.logger.info({ jobId: id }, 'bid lapsed: the client did not accept it in time');
      }
    }
  }

  /** Keeps an open job to consider again when a slot or stake frees up (retryDeferred). */
  private defer(id: Hex, openUntil: number, seenAt: number, replicated = false): void {
    const { state } = this.ctx;
    state.deferred.set(id, { openUntil, seenAt, replicated });
    if (state.deferred.size > 1000) state.deferred.delete(state.deferred.keys().next().value!);
  }

  /** The RPC failed while taking a job: counted and logged, and the job deferred (retryDeferred reads it again from the API). */
  private deferOnRpcFailure(id: Hex, openUntil: number, seenAt: number, err: unknown, replicated = false): void {
    this.ctx.metrics.decisions.inc({ decision: 'skip', reason: 'rpc' });
    this.ctx.logger.warn({ jobId: id, err: describeError(err) }, 'the RPC failed while taking the job; will consider it again');
    this.defer(id, openUntil, seenAt, replicated);
  }

  /**
   * The last checks before a claim, bid or slot costs a transaction: the image is allowed and fits,
   * the inputs answer with the right bytes, the models' files are in the cache (fetched and verified
   * now if they were not, and held for the job), and the daemon is not stopping. A failed check refuses the job.
   */
  private async readyToRun(id: Hex, spec: JobSpec, models: readonly ModelFileMount[]): Promise<boolean> {
    // Its client could seal nothing this worker can open: taking it would only end in giving it up.
    if (spec.sealed && !this.ctx.sealing) {
      this.refuse(id, 'sealed', 'the job expects sealed secrets and this worker has no sealing key');
      return false;
    }
    const image = await this.ctx.images.check(spec);
    if (!image.ok) {
      this.refuse(id, `image_${image.code}`, image.reason);
      return false;
    }
    if (image.unchecked) this.ctx.logger.info({ jobId: id, image: spec.image?.text, detail: image.unchecked }, 'private image (sealed.registryAuth): not readable before the claim; it is pulled with the sealed credentials at run time');
    const inputs = await this.ctx.inputCache.verify(id, spec.inputs);
    if (!inputs.ok) {
      this.refuse(id, 'inputs', inputs.reason);
      return false;
    }
    const ready = await this.ctx.models.prepare(id, models);
    if (!ready.ok) {
      this.refuse(id, 'models', ready.reason);
      return false;
    }
    if (models.length > 0) this.ctx.logger.info({ jobId: id, files: models.length, bytes: models.reduce((n, f) => n + f.size, 0) }, 'model files ready (verified by sha256)');
    return !this.ctx.state.stopping;
  }

  private refuse(id: Hex, reason: string, detail: string): void {
    this.ctx.metrics.decisions.inc({ decision: 'skip', reason });
    this.ctx.logger.info({ jobId: id, reason, detail }, 'job refused');
  }

  private strategyContext(now: number, pool?: PoolMembership | null): StrategyContext {
    const { state } = this.ctx;
    let reserved = 0n;
    for (const c of state.claiming.values()) reserved += c;
    for (const b of state.bids.values()) reserved += b.collateral;
    const claim = this.ctx.hardware.claim;
    return {
      self: this.ctx.address,
      now,
      claim: state.onChain,
      machine: { gpus: claim.gpuCount, vramMiB: claim.vramMiB, cpuCores: claim.cpuCores, ramMiB: claim.ramMiB },
      freeStake: state.freeStake > reserved ? state.freeStake - reserved : 0n,
      heldJobs: state.held.size + state.claiming.size,
      openBids: state.bids.size,
      gpusHealthy: state.gpuHealthy,
      ...(pool === undefined ? {} : { pool }),
    };
  }
}
