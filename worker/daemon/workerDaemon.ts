/**
 * The worker daemon: follows the market through the API, takes the jobs its strategy accepts, runs
 * them in the sandbox, posts their results, releases them once their challenge windows pass and
 * withdraws what they earned.
 *
 * The chain is the only source of truth. At start, and whenever in doubt (a reorganization, every
 * minute), the daemon rebuilds what it holds from the API: jobs assigned to it (run them, or, past
 * their deadline, leave them to the client's reclaim and say so), jobs it submitted (release them
 * after the window), its standing bids. The only local state is the event cursor (stateFile.ts).
 * So a `kill -9` at any moment loses nothing: the restart resumes the event log and re-runs what
 * is assigned and still has time. A result is never posted twice: submitResult.ts checks the job's
 * status first and reads the contract's UnexpectedStatus as "already done".
 *
 * Events handled (`jobEvents` subscription, resumed from the cursor):
 *   JobPosted        -> strategy (strategy.ts) -> inputs verified -> claimJob / placeBid, or refused with a reason
 *   JobAssigned      -> ours: queue and run it; another worker's: forget our bid (not chosen)
 *   ResultSubmitted  -> ours: release after the challenge window
 *   JobDisputed      -> ours: logged (the arbiter decides)
 *   JobClosed        -> ours: earnings counted, withdrawal due; a job still running is stopped
 */
import { chmod, mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { type Account, type Address, type Hex, hexToBytes, parseEventLogs } from 'viem';
import type { Logger } from 'pino';
import { loomMarketAbi } from '../../abis/generated';
import { LoomError } from '../../sdk/errors';
import { WorkerError } from '../errors';
import { type Hardware, detectHardware } from '../hardware';
import type { RunRequest, SandboxResult } from '../sandbox/sandboxRunner';
import { SandboxRunner } from '../sandbox/sandboxRunner';
import { type ParseSpecResult, parseSpec } from '../../sdk/spec/jobSpec';
import type { DaemonConfig } from './config';
import { type ChainConnection, connectChain } from '../../sdk/chain/connectChain';
import { ensureRegistered } from './ensureRegistered';
import { InputCache } from './inputCache';
import { type JobTerms, jobIdOf, toContractTerms } from '../../sdk/jobTerms';
import { LoomApiError } from '../../sdk/reads';
import { formatRevert } from '../../sdk/revert';
import { ACCEPT_WINDOW } from '../../sdk/marketRules';
import { type ApiDelivery, type ApiJob, type EventStream, LoomApi } from './loomApi';
import { type MarketWriter, TxError, createWorkerWriter } from './createWorkerWriter';
import { WorkerMetrics, serveMetrics } from './metrics';
import { type ProducedResult, failureReport, produceResult } from './produceResult';
import { StateFile } from './stateFile';
import { type StrategyContext, decide } from './strategy';
import { submitResult } from './submitResult';
import { sweepJobCgroups } from './sweepJobCgroups';
import { uploadArtifact } from './uploadArtifact';
import { type Withdrawal, withdrawBalances } from './withdrawBalances';

const CLOSE_REASONS = ['NONE', 'COMPLETED', 'CANCELLED', 'EXPIRED', 'RECLAIMED', 'DISPUTE_RESOLVED', 'ARBITRATION_TIMED_OUT'];

export type JobSandbox = { run(req: RunRequest): Promise<SandboxResult> };

export type DaemonOptions = {
  config: DaemonConfig;
  /** The worker's account (keys.ts): signs transactions; never logged. */
  account: Account;
  logger: Logger;
  metrics?: WorkerMetrics;
  /** Default: SandboxRunner.create (refuses to start without a working sandbox unless unsafeNoSandbox). */
  sandbox?: JobSandbox;
  /** Default: detectHardware(). */
  hardware?: Hardware;
};

export type JobStage = 'queued' | 'running' | 'uploading' | 'submitting';

export type HeldJob = {
  id: Hex;
  terms: JobTerms;
  spec: Hex;
  parsed: ParseSpecResult;
  executionDeadline: number;
  stage: JobStage;
  assignedSeenAt: number;
  startedAt?: number;
  abort?: AbortController;
  /** Set when the daemon stopped the job itself (shutdown, the job closed): no result is posted. */
  stopped?: string;
};

type Bid = { terms: JobTerms; price: bigint; collateral: bigint; placed: boolean };

/** What the status line shows. */
export type DaemonSnapshot = {
  address: Address;
  following: boolean;
  lastEventAt: number | null;
  held: { id: Hex; stage: JobStage; startedAt?: number; timeoutSeconds?: number; executionDeadline: number }[];
  openBids: number;
  awaitingRelease: number;
  jobsRun: number;
  jobsFailed: number;
  refused: number;
};

export class WorkerDaemon {
  readonly metrics: WorkerMetrics;
  readonly address: Address;
  private readonly config: DaemonConfig;
  private readonly logger: Logger;
  private chain!: ChainConnection;
  private api: LoomApi;
  private writer!: MarketWriter;
  private sandbox: JobSandbox | undefined;
  private hardware!: Hardware;
  private inputCache: InputCache;
  private stateFile!: StateFile;
  private readonly jobsDir: string;

  private readonly held = new Map<Hex, HeldJob>();
  private readonly awaitingRelease = new Map<Hex, { terms: JobTerms; challengeDeadline: number }>();
  private readonly claiming = new Map<Hex, bigint>();
  private readonly bids = new Map<Hex, Bid>();
  private readonly considered = new Set<Hex>();
  /** Jobs refused for want of a slot or of free stake, oldest first: considered again when either frees up. */
  private readonly deferred = new Map<Hex, { openUntil: number; seenAt: number }>();
  private retrying = false;
  /** Jobs this process is done with (result posted, or left to reclaim): reconciliation skips them. */
  private readonly done = new Set<Hex>();
  private readonly gpusInUse = new Set<number>();
  private readonly tasks = new Set<Promise<unknown>>();
  private readonly withdrawnAtBlock = new Map<string, bigint>();

  private onChain = { gpuModel: '0x' as Hex, gpuCount: 0, vramMiB: 0 };
  private freeStake = 0n;
  private cursor: string | null = null;
  private stream: EventStream | undefined;
  private following = false;
  private lastEventAt: number | null = null;
  private stopping = false;
  private draining = false;
  private housekeepingTimer: NodeJS.Timeout | undefined;
  private housekeepingBusy = false;
  private lastHousekeepingError: { message: string; at: number } | undefined;
  private lastReconcile = 0;
  private reconcileDue = false;
  private followLoop: Promise<void> | undefined;
  private metricsServer: { port: number; close(): Promise<void> } | undefined;

  constructor(private readonly o: DaemonOptions) {
    this.config = o.config;
    this.logger = o.logger;
    this.metrics = o.metrics ?? new WorkerMetrics();
    this.address = o.account.address;
    this.api = new LoomApi(o.config.apiUrl);
    this.jobsDir = join(o.config.dataDir, 'jobs');
    this.inputCache = new InputCache(join(o.config.dataDir, 'inputs'), {
      artifactBaseUrl: o.config.artifactUrl,
      allowPrivateNetwork: o.config.allowPrivateInputs,
    });
    if (o.sandbox) this.sandbox = o.sandbox;
  }

  /** The metrics server's port, once started (null when disabled). */
  get metricsPort(): number | null {
    return this.metricsServer?.port ?? null;
  }

  /**
   * Starts: sandbox, hardware, chain, registration, state rebuilt from the chain, then follows the
   * market. Resolves once the worker follows the event log.
   */
  async start(): Promise<void> {
    const c = this.config;
    const log = this.logger;
    this.metrics.startTime.set(Math.floor(Date.now() / 1000));
    if (c.metricsPort !== null) {
      this.metricsServer = await serveMetrics(this.metrics, c.metricsPort, c.metricsHost);
      log.info({ port: this.metricsServer.port, host: c.metricsHost }, 'metrics at /metrics');
    }

    // Job directories: the sandbox user (nobody, when the worker is root) must be able to reach them.
    await mkdir(this.jobsDir, { recursive: true, mode: 0o711 });
    await chmod(this.jobsDir, 0o711);
    if (!this.sandbox) {
      const runner = await SandboxRunner.create({ workDir: this.jobsDir, unsafe: c.unsafeNoSandbox, ...(c.cgroupParent ? { cgroupParent: c.cgroupParent } : {}) });
      for (const w of runner.capabilities.warnings) log.warn(w);
      this.sandbox = runner;
    }
    this.hardware = this.o.hardware ?? (await detectHardware({ pricePerGpuHour: c.pricePerGpuHour, metadataURI: c.metadataURI }));
    if (this.hardware.warning) log.warn(this.hardware.warning);

    this.chain = await connectChain({ rpcUrl: c.rpcUrl, account: this.o.account, ...(c.market ? { market: c.market } : {}), ...(c.deploymentFile ? { deploymentFile: c.deploymentFile } : {}) });
    this.writer = createWorkerWriter({ ...this.chain, account: this.o.account, metrics: this.metrics });
    this.stateFile = new StateFile(join(c.dataDir, 'worker-state.json'), { chainId: this.chain.chainId, market: this.chain.market, worker: this.address });
    log.info({ worker: this.address, market: this.chain.market, chainId: this.chain.chainId, api: c.apiUrl }, 'starting');

    // The API is the daemon's only view of the market: wait until it is up and caught up.
    await this.waitForApi();
    // Transactions sent before a crash may still be pending: let them land before reading state.
    await this.waitForPendingTransactions();

    const reg = await ensureRegistered({ api: this.api, writer: this.writer, address: this.address, claim: this.hardware.claim, stake: c.stake, logger: log });
    if (reg.worker) this.noteWorker(reg.worker);

    // Take the cursor before scanning open jobs: nothing posted in between is missed (the scan and
    // the subscription may both see a job; `considered` takes it once).
    this.cursor = await this.stateFile.loadCursor();
    const resumed = this.cursor !== null;
    if (!resumed) this.cursor = await this.api.latestEventCursor();
    await this.reconcile();
    await this.scanOpenJobs();
    if (this.stopping) return;

    this.following = true;
    this.metrics.up.set(1);
    this.followLoop = this.follow();
    this.housekeepingTimer = setInterval(() => void this.housekeeping(), c.housekeepingMs);
    log.info({ resumed, held: this.held.size, awaitingRelease: this.awaitingRelease.size, bids: this.bids.size }, 'following the market');
  }

  /**
   * Stops. `drain`: take no new jobs, but finish (and post) the ones held. Otherwise running jobs
   * are stopped without a result: they are still assigned on-chain, and a restart runs them again.
   */
  async stop(options: { drain?: boolean } = {}): Promise<void> {
    if (this.stopping && !options.drain) {
      for (const h of this.held.values()) this.stopJob(h, 'the worker is stopping');
    }
    this.stopping = true;
    this.draining = options.drain === true;
    if (this.housekeepingTimer) clearInterval(this.housekeepingTimer);
    this.stream?.close();
    if (!this.draining) for (const h of this.held.values()) this.stopJob(h, 'the worker is stopping');
    while (this.tasks.size > 0) await Promise.allSettled([...this.tasks]);
    await this.followLoop?.catch(() => {});
    await this.stateFile?.flush();
    this.metrics.up.set(0);
    this.following = false;
    await this.metricsServer?.close();
    this.logger.info('stopped');
  }

  snapshot(): DaemonSnapshot {
    return {
      address: this.address,
      following: this.following,
      lastEventAt: this.lastEventAt,
      held: [...this.held.values()].map((h) => ({
        id: h.id,
        stage: h.stage,
        ...(h.startedAt !== undefined ? { startedAt: h.startedAt } : {}),
        ...(h.parsed.ok ? { timeoutSeconds: h.parsed.spec.resources.timeoutSeconds } : {}),
        executionDeadline: h.executionDeadline,
      })),
      openBids: [...this.bids.values()].filter((b) => b.placed).length,
      awaitingRelease: this.awaitingRelease.size,
      jobsRun: this.metrics.jobsRun.total(),
      jobsFailed: this.metrics.jobsFailed.total(),
      refused: this.metrics.decisions.sum({ decision: 'skip' }),
    };
  }

  // ---- following the event log ----

  private async follow(): Promise<void> {
    let backoff = 250;
    while (!this.stopping) {
      const stream = this.api.subscribeEvents(this.cursor);
      this.stream = stream;
      try {
        for await (const d of stream) {
          backoff = 250;
          this.lastEventAt = Date.now();
          await this.handle(d);
          this.cursor = d.cursor;
          this.stateFile.saveCursor(d.cursor);
          if (this.stopping) break;
        }
        if (!this.stopping) this.logger.warn('the event stream ended; resubscribing');
      } catch (err) {
        if (this.stopping) break;
        const message = (err as Error).message ?? String(err);
        if (err instanceof LoomApiError && err.code === 'INVALID_CURSOR') {
          this.logger.warn({ cursor: this.cursor }, 'the API does not know our cursor (a reorganization it did not see): starting from now and reconciling');
          this.cursor = await this.api.latestEventCursor().catch(() => null);
          this.reconcileDue = true;
          await this.scanOpenJobs().catch(() => {});
        } else {
          this.logger.warn({ err: message }, 'the event stream failed; resubscribing');
        }
      } finally {
        stream.close();
      }
      if (this.stopping) break;
      this.metrics.reconnects.inc();
      await sleep(backoff);
      backoff = Math.min(backoff * 2, 10_000);
    }
  }

  private async handle(d: ApiDelivery): Promise<void> {
    const e = d.event;
    this.metrics.events.inc({ name: e.name });
    if (d.retracted) {
      this.logger.warn({ event: e.id, name: e.name, jobId: e.jobId }, 'an event was retracted by a chain reorganization; reconciling');
      this.reconcileDue = true;
      return;
    }
    const id = e.jobId?.toLowerCase() as Hex | undefined;
    if (!id) return;
    const me = this.address.toLowerCase();
    const job = e.job ?? null;
    const args = e.args as Record<string, string | number | null>;
    switch (e.name) {
      case 'JobPosted':
        if (job) this.track(this.consider(job, Date.now()));
        return;
      case 'JobAssigned': {
        const worker = String(args.worker).toLowerCase();
        if (worker === me) {
          if (job && job.status === 'ASSIGNED') this.onAssigned(job, Number(args.executionDeadline));
        } else if (this.bids.delete(id)) {
          this.logger.info({ jobId: id, assignedTo: worker }, 'not chosen: the job went to another worker');
          void this.inputCache.drop(id);
          this.updateGauges();
        }
        return;
      }
      case 'ResultSubmitted':
        if (String(args.worker).toLowerCase() === me && job?.status === 'SUBMITTED' && !this.awaitingRelease.has(id)) {
          this.awaitingRelease.set(id, { terms: toContractTerms(job.terms), challengeDeadline: Number(args.challengeDeadline) });
        }
        return;
      case 'JobDisputed':
        if (this.awaitingRelease.delete(id) || job?.worker?.toLowerCase() === me) {
          this.logger.warn({ jobId: id, reason: args.reason }, 'the client disputed our result; the arbiter decides');
        }
        return;
      case 'JobClosed': {
        if (this.bids.delete(id)) void this.inputCache.drop(id);
        if (String(args.worker ?? '').toLowerCase() !== me) return;
        this.awaitingRelease.delete(id);
        const payout = BigInt(args.workerPayout ?? 0);
        const token = job?.terms.token ?? '0x0000000000000000000000000000000000000000';
        if (payout > 0n) this.metrics.earnings.inc({ token }, payout);
        const reason = CLOSE_REASONS[Number(args.reason)] ?? String(args.reason);
        this.logger.info({ jobId: id, reason, payout: payout.toString(), token, slashed: String(args.slashed ?? 0) }, 'job closed');
        const h = this.held.get(id);
        if (h) this.stopJob(h, `the job was closed on-chain (${reason})`);
        this.done.add(id);
        this.updateGauges();
        return;
      }
    }
  }

  // ---- taking jobs ----

  private async consider(job: ApiJob, receivedAt: number): Promise<void> {
    const id = job.id.toLowerCase() as Hex;
    if (this.stopping || this.considered.has(id)) return;
    if (this.considered.size > 100_000) this.considered.clear();
    this.considered.add(id);
    if (job.status !== 'OPEN') return;
    const log = this.logger.child({ jobId: id });
    let terms: JobTerms;
    try {
      terms = toContractTerms(job.terms);
      if (jobIdOf(terms) !== id) throw new Error('the terms do not hash to the job id');
    } catch (err) {
      this.refuse(id, 'terms', `the API's terms are unusable: ${(err as Error).message}`);
      return;
    }
    const now = await this.chainNow();
    const decision = decide({ status: job.status, terms, spec: job.spec }, this.strategyContext(now), this.config.strategy);
    if (decision.action === 'skip') {
      this.refuse(id, decision.reason, decision.detail);
      if (decision.reason === 'capacity' || decision.reason === 'collateral') {
        this.deferred.set(id, { openUntil: terms.openUntil, seenAt: receivedAt });
        if (this.deferred.size > 1000) this.deferred.delete(this.deferred.keys().next().value!);
      }
      return;
    }
    // Reserve the slot (or bid) and the collateral now, before anything is awaited.
    if (decision.action === 'claim') this.claiming.set(id, terms.collateral);
    else this.bids.set(id, { terms, price: decision.price, collateral: terms.collateral, placed: false });
    this.updateGauges();
    let assigned = false;
    try {
      const inputs = await this.inputCache.verify(id, decision.spec.inputs);
      if (!inputs.ok) {
        this.refuse(id, 'inputs', inputs.reason);
        return;
      }
      if (this.stopping) return;
      if (decision.action === 'claim') {
        const { hash, receipt } = await this.writer.claimJob(terms);
        this.metrics.pickupLatency.observe((Date.now() - receivedAt) / 1000);
        this.metrics.decisions.inc({ decision: 'claim', reason: 'accepted' });
        const [assignedLog] = parseEventLogs({ abi: loomMarketAbi, logs: receipt.logs, eventName: 'JobAssigned' });
        log.info({ price: terms.budget.toString(), tx: hash }, 'claimed');
        this.claiming.delete(id);
        assigned = true;
        this.onAssigned({ ...job, status: 'ASSIGNED', price: terms.budget.toString() }, Number(assignedLog?.args.executionDeadline ?? 0));
      } else {
        const { hash } = await this.writer.placeBid(terms, decision.price);
        this.metrics.pickupLatency.observe((Date.now() - receivedAt) / 1000);
        this.metrics.decisions.inc({ decision: 'bid', reason: 'accepted' });
        const bid = this.bids.get(id);
        if (bid) bid.placed = true;
        assigned = true; // keeps the verified inputs until the client decides
        log.info({ price: decision.price.toString(), budget: terms.budget.toString(), tx: hash }, 'bid placed');
      }
    } catch (err) {
      if (decision.action === 'bid') this.bids.delete(id);
      if (err instanceof TxError) {
        // Usually another worker was faster (UnexpectedStatus): the simulation spared the gas.
        this.refuse(id, 'refused', err.revert ? formatRevert(err.revert) : err.shortMessage);
      } else {
        log.warn({ err: describe(err) }, 'could not take the job');
        this.metrics.decisions.inc({ decision: 'skip', reason: 'error' });
      }
    } finally {
      this.claiming.delete(id);
      if (!assigned) void this.inputCache.drop(id);
      this.updateGauges();
    }
  }

  private refuse(id: Hex, reason: string, detail: string): void {
    this.metrics.decisions.inc({ decision: 'skip', reason });
    this.logger.info({ jobId: id, reason, detail }, 'job refused');
  }

  private strategyContext(now: number): StrategyContext {
    let reserved = 0n;
    for (const c of this.claiming.values()) reserved += c;
    for (const b of this.bids.values()) reserved += b.collateral;
    const claim = this.hardware.claim;
    return {
      now,
      claim: this.onChain,
      machine: { gpus: claim.gpuCount, vramMiB: claim.vramMiB, cpuCores: claim.cpuCores, ramMiB: claim.ramMiB },
      freeStake: this.freeStake > reserved ? this.freeStake - reserved : 0n,
      heldJobs: this.held.size + this.claiming.size,
      openBids: this.bids.size,
    };
  }

  // ---- running jobs ----

  private onAssigned(job: ApiJob, executionDeadline: number): void {
    const id = job.id.toLowerCase() as Hex;
    if (this.held.has(id) || this.done.has(id)) return;
    if (this.stopping && !this.draining) return; // still assigned on-chain: the restart runs it
    const terms = toContractTerms(job.terms);
    this.bids.delete(id);
    this.held.set(id, {
      id,
      terms,
      spec: job.spec,
      parsed: parseSpec(hexToBytes(job.spec)),
      executionDeadline,
      stage: 'queued',
      assignedSeenAt: Date.now(),
    });
    this.logger.info({ jobId: id, executionDeadline, price: job.price }, 'assigned to this worker');
    this.pump();
  }

  /** Starts queued jobs while slots and GPUs are free. */
  private pump(): void {
    if (this.stopping && !this.draining) return;
    for (const h of this.held.values()) {
      if (h.stage !== 'queued') continue;
      const running = [...this.held.values()].filter((x) => x.stage !== 'queued').length;
      if (running >= this.config.strategy.maxConcurrentJobs) break;
      const gpus = this.allocateGpus(h.parsed.ok ? h.parsed.spec.resources.gpus : 0);
      if (gpus === undefined) continue;
      h.stage = 'running';
      this.track(this.runJob(h, gpus));
    }
    this.updateGauges();
  }

  private allocateGpus(n: number): number[] | undefined {
    const free: number[] = [];
    for (let i = 0; i < this.hardware.claim.gpuCount && free.length < n; i++) if (!this.gpusInUse.has(i)) free.push(i);
    if (free.length < n) return undefined;
    for (const i of free) this.gpusInUse.add(i);
    return free;
  }

  private async runJob(h: HeldJob, gpus: number[]): Promise<void> {
    const log = this.logger.child({ jobId: h.id });
    const reserve = this.config.submitReserveSeconds;
    let jobDir: string | undefined;
    try {
      const now = await this.chainNow();
      const left = h.executionDeadline - now;
      if (left <= reserve) {
        log.error(
          { executionDeadline: h.executionDeadline, chainTime: now },
          'assigned job is past (or too close to) its execution deadline to run: no result will be posted; the client may reclaim it',
        );
        this.metrics.jobsAbandoned.inc({ reason: 'deadline' });
        this.done.add(h.id);
        return;
      }
      const abort = new AbortController();
      h.abort = abort;
      if (h.stopped) abort.abort();
      const timer = setTimeout(() => abort.abort(), (left - reserve) * 1000);
      h.startedAt = Date.now();
      log.info({ timeoutSeconds: h.parsed.ok ? h.parsed.spec.resources.timeoutSeconds : null, secondsToDeadline: left }, 'running');
      let produced: ProducedResult;
      try {
        produced = await this.produce(h, gpus, abort.signal);
      } finally {
        clearTimeout(timer);
      }
      jobDir = produced.jobDir;
      if (h.stopped) {
        log.warn({ why: h.stopped }, 'job stopped; no result posted');
        return;
      }
      if (produced.ok) {
        this.metrics.jobsRun.inc({ outcome: 'succeeded' });
        log.info({ resultHash: produced.resultHash, bytes: produced.size, durationMs: produced.run?.durationMs }, 'job succeeded');
      } else {
        this.metrics.jobsRun.inc({ outcome: 'failed' });
        this.metrics.jobsFailed.inc({ stage: produced.failure!.stage });
        log.warn({ stage: produced.failure!.stage, reason: produced.failure!.reason, resultHash: produced.resultHash }, 'job failed; posting its failure report as the result');
      }

      h.stage = 'uploading';
      const deadlineMs = Date.now() + (h.executionDeadline - (await this.chainNow())) * 1000;
      const uri = await uploadArtifact({
        baseUrl: this.config.artifactUrl,
        path: produced.bundlePath,
        sha256: produced.sha256,
        deadline: deadlineMs,
        onRetry: (attempt, reason) => log.warn({ attempt, reason }, 'upload failed; retrying'),
      });

      h.stage = 'submitting';
      const outcome = await submitResult({ api: this.api, writer: this.writer, jobId: h.id, terms: h.terms, resultHash: produced.resultHash, resultURI: uri, worker: this.address });
      this.done.add(h.id);
      switch (outcome.kind) {
        case 'submitted':
          this.metrics.jobsSubmitted.inc();
          this.metrics.jobDuration.observe((Date.now() - h.assignedSeenAt) / 1000);
          this.awaitingRelease.set(h.id, { terms: h.terms, challengeDeadline: outcome.challengeDeadline });
          log.info({ resultHash: produced.resultHash, resultURI: uri, tx: outcome.txHash, challengeDeadline: outcome.challengeDeadline }, 'result submitted');
          break;
        case 'already':
          log.info({ status: outcome.status }, 'a result is already on-chain for this job; not submitting again');
          break;
        case 'too_late':
          this.metrics.jobsAbandoned.inc({ reason: 'deadline' });
          log.error({ detail: outcome.detail }, 'the execution deadline passed before the result could be posted; the client may reclaim');
          break;
        case 'not_ours':
          log.warn({ detail: outcome.detail }, 'the job is not assigned to this worker any more');
          break;
      }
    } catch (err) {
      // The worker's own failure (sandbox, disk, API, chain): never silent. The job stays assigned
      // on-chain; reconciliation retries it while time is left.
      this.metrics.jobsAbandoned.inc({ reason: 'worker_error' });
      log.error({ err: describe(err), executionDeadline: h.executionDeadline }, 'could not complete the job (a worker-side error); will retry while time is left');
    } finally {
      for (const g of gpus) this.gpusInUse.delete(g);
      this.held.delete(h.id);
      void this.inputCache.drop(h.id);
      if (jobDir && !this.config.keepJobDirs) await rm(jobDir, { recursive: true, force: true }).catch(() => {});
      this.pump();
      this.retryDeferred();
    }
  }

  /** Runs the job (retrying the worker's own errors twice), or reports an invalid spec. */
  private async produce(h: HeldJob, gpus: number[], signal: AbortSignal): Promise<ProducedResult> {
    if (!h.parsed.ok) {
      const jobDir = join(this.jobsDir, h.id.slice(2));
      await rm(jobDir, { recursive: true, force: true });
      await mkdir(jobDir, { recursive: true });
      return failureReport({ jobId: h.id, jobDir, stage: 'spec', reason: `invalid spec: ${h.parsed.reason}` });
    }
    for (let attempt = 1; ; attempt++) {
      try {
        return await produceResult({
          jobId: h.id,
          spec: h.parsed.spec,
          workDir: this.jobsDir,
          sandbox: this.sandbox!,
          inputs: { artifactBaseUrl: this.config.artifactUrl, allowPrivateNetwork: this.config.allowPrivateInputs, fetch: this.inputCache.fetchFor(h.id) },
          gpuIndices: gpus,
          signal,
        });
      } catch (err) {
        if (signal.aborted || attempt >= 3) throw err;
        this.logger.warn({ jobId: h.id, attempt, err: describe(err) }, 'worker-side error while running the job; retrying');
        await sleep(1000 * attempt);
      }
    }
  }

  /** Considers deferred jobs again, oldest first, while a slot is free (those still open). */
  private retryDeferred(): void {
    if (this.deferred.size === 0 || this.stopping || this.retrying) return;
    this.retrying = true;
    this.track(
      (async () => {
        try {
          const now = await this.chainNow();
          for (const [id, d] of [...this.deferred]) {
            if (this.stopping) return;
            if (now > d.openUntil) {
              this.deferred.delete(id);
              continue;
            }
            if (this.held.size + this.claiming.size >= this.config.strategy.maxConcurrentJobs) return;
            this.deferred.delete(id);
            const job = await this.api.job(id).catch(() => null);
            if (job?.status !== 'OPEN') continue;
            this.considered.delete(id);
            await this.consider(job, d.seenAt);
          }
        } finally {
          this.retrying = false;
        }
      })(),
    );
  }

  private stopJob(h: HeldJob, why: string): void {
    h.stopped ??= why;
    h.abort?.abort();
    // Not started yet: nothing to stop, just forget it.
    if (h.stage === 'queued') {
      this.held.delete(h.id);
      void this.inputCache.drop(h.id);
      this.updateGauges();
    }
  }

  // ---- state from the chain ----

  /** Rebuilds what the worker holds from the API: assigned jobs, results awaiting release, bids. */
  private async reconcile(): Promise<void> {
    this.lastReconcile = Date.now();
    this.reconcileDue = false;
    const mine = await this.api.jobsOf(this.address, ['ASSIGNED', 'SUBMITTED', 'DISPUTED']);
    for (const job of mine) {
      const id = job.id.toLowerCase() as Hex;
      if (job.status === 'ASSIGNED' && !this.held.has(id) && !this.done.has(id)) {
        this.logger.info({ jobId: id, executionDeadline: job.executionDeadline }, 'found an assigned job without a result on-chain; taking it up');
        if (this.sandbox instanceof SandboxRunner) {
          const swept = await sweepJobCgroups(this.sandbox.capabilities.cgroups, id).catch(() => []);
          if (swept.length) this.logger.info({ jobId: id, cgroups: swept }, 'removed cgroups left by an earlier run');
        }
        this.onAssigned(job, Number(job.executionDeadline));
      } else if (job.status === 'SUBMITTED' && !this.awaitingRelease.has(id)) {
        this.awaitingRelease.set(id, { terms: toContractTerms(job.terms), challengeDeadline: Number(job.challengeDeadline) });
      }
    }
    for (const job of await this.api.activeBidJobs(this.address)) {
      const id = job.id.toLowerCase() as Hex;
      this.considered.add(id);
      if (job.status === 'OPEN' && !this.bids.has(id)) {
        const terms = toContractTerms(job.terms);
        this.bids.set(id, { terms, price: 0n, collateral: terms.collateral, placed: true });
      }
    }
    this.updateGauges();
  }

  /** Considers the jobs open now (at start, and after losing the cursor). */
  private async scanOpenJobs(): Promise<void> {
    const now = await this.chainNow();
    const open = await this.api.jobs({
      status: ['OPEN'],
      openAfter: String(now),
      fitsGpuCount: this.onChain.gpuCount,
      fitsVramMiB: this.onChain.vramMiB,
    });
    for (const job of open) this.track(this.consider(job, Date.now()));
  }

  private noteWorker(w: { claim: { gpuModel: Hex; gpuCount: number; vramMiB: number }; freeStake: string }): void {
    this.onChain = { gpuModel: w.claim.gpuModel, gpuCount: w.claim.gpuCount, vramMiB: Number(w.claim.vramMiB) };
    this.freeStake = BigInt(w.freeStake);
  }

  private async waitForApi(): Promise<void> {
    const deadline = Date.now() + 10 * 60_000;
    for (let logged = false; ; ) {
      if (this.stopping) throw new WorkerError('API_FAILED', 'stopped while waiting for the API');
      if ((await this.api.indexedHead()) !== null) return;
      if (Date.now() > deadline) throw new WorkerError('API_FAILED', `the Loom API at ${this.config.apiUrl} was not ready within 10 minutes (GET /api/ready)`);
      if (!logged) this.logger.info({ api: this.config.apiUrl }, 'waiting for the API to be ready (indexing caught up)');
      logged = true;
      await sleep(2000);
    }
  }

  private async waitForPendingTransactions(): Promise<void> {
    const deadline = Date.now() + 120_000;
    for (;;) {
      if (this.stopping) throw new WorkerError('TX_FAILED', 'stopped while waiting for pending transactions');
      const pending = await this.writer.pendingCount();
      if (pending <= 0) return;
      if (Date.now() > deadline) throw new WorkerError('TX_FAILED', `${pending} transactions of this worker are still pending after 2 minutes`);
      this.logger.info({ pending }, 'waiting for transactions sent before the restart');
      await sleep(1000);
    }
  }

  // ---- housekeeping: releases, lapsed bids, reconciliation, withdrawals ----

  private async housekeeping(): Promise<void> {
    if (this.housekeepingBusy || this.stopping) return;
    this.housekeepingBusy = true;
    try {
      const w = await this.api.worker(this.address);
      if (w) this.noteWorker(w);
      const now = await this.chainNow();
      for (const [id, s] of this.awaitingRelease) {
        if (now <= s.challengeDeadline) continue;
        try {
          await this.writer.release(s.terms);
          this.awaitingRelease.delete(id);
          this.logger.info({ jobId: id }, 'released after the challenge window');
        } catch (err) {
          if (err instanceof TxError && err.revert?.name === 'UnexpectedStatus') this.awaitingRelease.delete(id); // released or disputed meanwhile
          else if (!(err instanceof TxError && err.revert?.name === 'DeadlineNotReached')) this.logger.warn({ jobId: id, err: describe(err) }, 'release failed');
        }
      }
      for (const [id, b] of this.bids) {
        if (b.placed && now > b.terms.openUntil + ACCEPT_WINDOW) {
          this.bids.delete(id);
          void this.inputCache.drop(id);
          this.logger.info({ jobId: id }, 'bid lapsed: the client did not accept it in time');
        }
      }
      if (this.reconcileDue || Date.now() - this.lastReconcile > 60_000) await this.reconcile();
      if (this.config.autoWithdraw) await this.withdrawAll();
      this.retryDeferred();
      this.updateGauges();
    } catch (err) {
      // Once per distinct failure per minute: an API that is down for a while is one line, not hundreds.
      const message = describe(err);
      const repeat = message === this.lastHousekeepingError?.message && Date.now() - this.lastHousekeepingError.at < 60_000;
      if (!repeat) this.lastHousekeepingError = { message, at: Date.now() };
      this.logger[repeat ? 'debug' : 'warn']({ err: message }, 'housekeeping failed; will retry');
    } finally {
      this.housekeepingBusy = false;
    }
  }

  /** Withdraws every credited balance to the payout address (withdrawBalances.ts). */
  async withdrawAll(): Promise<Withdrawal[]> {
    const head = await this.api.indexedHead();
    const done = await withdrawBalances({
      api: this.api,
      writer: this.writer,
      to: this.config.payoutAddress ?? this.address,
      logger: this.logger,
      // The API has not indexed our last withdrawal of this token yet: its balance is stale.
      skip: (token) => {
        const last = this.withdrawnAtBlock.get(token);
        return last !== undefined && (head === null || head.number < last);
      },
    });
    for (const w of done) {
      this.withdrawnAtBlock.set(w.token, w.blockNumber);
      this.metrics.withdrawn.inc({ token: w.token.toLowerCase() }, w.amount);
    }
    return done;
  }

  // ---- helpers ----

  private async chainNow(): Promise<number> {
    const block = await this.chain.publicClient.getBlock({ blockTag: 'latest' });
    return Number(block.timestamp);
  }

  private track(p: Promise<unknown>): void {
    const t = p.catch((err) => this.logger.error({ err: describe(err) }, 'unexpected error in a background task'));
    this.tasks.add(t);
    void t.finally(() => this.tasks.delete(t));
  }

  private updateGauges(): void {
    let queued = 0;
    let running = 0;
    for (const h of this.held.values()) (h.stage === 'queued' ? queued++ : running++);
    this.metrics.queueLength.set(queued);
    this.metrics.runningJobs.set(running);
    this.metrics.openBids.set([...this.bids.values()].filter((b) => b.placed).length);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** An error as a log field: its message (contract reverts by name), never the objects it holds. */
export function describe(err: unknown): string {
  if (err instanceof LoomError && err.code) return err.message;
  if (err instanceof Error) return err.message.split('\n')[0]!;
  return String(err);
}
