/**
 * Running the jobs assigned to this worker, and its slots of replicated jobs: queue each, start it
 * when a slot and its GPUs are free, run it (executeJob.ts: inputs, image, sandbox, pack; or the
 * failure report), upload the bundle, post its hash (submitResult for a single job; a replicated
 * slot's result is committed to, replicatedSlots.ts), and free the slot. A replicated job runs
 * exactly as a single one, but its bundle leaves out the GPUs' identities (executeJob's
 * `recordGpus`): replicas on other machines must produce the same bytes for the same outputs.
 *
 * The run is stopped `submitReserveSeconds` before the execution (or commit) deadline, so the
 * upload and the transaction still fit; an image's pull counts inside that window and must be done
 * a little earlier still, so a pull that cannot finish fails with its reason and its failure report
 * is posted in time.
 */
import { rm } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Address, type Hex, hexToBytes } from 'viem';
import { SealError, type SecretsBundle, seal } from '../../sdk/sealing';
import type { SealedExpectation } from '../../sdk/spec/jobSpec';
import { type AwaitedSecrets, awaitSecrets } from './sealedSecrets';
import { fetchSealedBundle, sealResultFile } from './privateResult';
import { toContractTerms } from '../../sdk/jobTerms';
import { resolveJob } from '../models/jobModels';
import { type JobResult, executeJob, rejectJob } from '../executeJob';
import type { DaemonContext } from './daemonContext';
import type { HeldJob } from './daemonState';
import { describeError } from './describeError';
import { type ApiJob, modelsOf } from './loomApi';
import type { ReplicatedJobView } from './replicatedJob';
import type { RanSlot } from './replicatedSlots';
import { returnJob } from './returnJob';
import { submitResult } from './submitResult';
import { TxError } from './createWorkerWriter';
import { rpcFailure } from '../../sdk/rpcFailure';
import { uploadArtifact } from './uploadArtifact';
import { LiveLog } from '../logs/liveLog';

/** An image must be ready this long before the run is stopped: time to pack and hand over the failure report. */
const IMAGE_READY_MARGIN_MS = 5_000;

export type RunnerHooks = {
  /** Called when a job leaves its slot: deferred jobs may fit now. */
  onSlotFreed: () => void;
  /** Commits to a replicated slot's result (replicatedSlots.ts); throws the RPC's failures. */
  commit: (slot: RanSlot, resultHash: Hex, resultURI: string) => Promise<void>;
};

export class JobRunner {
  constructor(
    private readonly ctx: DaemonContext,
    private readonly hooks: RunnerHooks,
  ) {}

  /** Takes up a job assigned to this worker (once): queued, then run when a slot is free. */
  onAssigned(job: ApiJob, executionDeadline: number): void {
    const { state } = this.ctx;
    const id = job.id.toLowerCase() as Hex;
    if (state.held.has(id) || state.done.has(id)) return;
    if (state.stopping && !state.draining) return; // still assigned on-chain: the restart runs it
    const terms = toContractTerms(job.terms);
    state.bids.delete(id);
    state.held.set(id, {
      id,
      kind: 'single',
      terms,
      parsed: resolveJob(hexToBytes(job.spec), modelsOf(job), { maxModelBytes: this.ctx.config.strategy.maxModelBytes }),
      executionDeadline,
      stage: 'queued',
      assignedSeenAt: Date.now(),
    });
    this.ctx.logger.info({ jobId: id, executionDeadline, price: job.price }, 'assigned to this worker');
    this.pump();
  }

  /**
   * Takes up this worker's slot of a replicated job (once): queued, then run when a slot is free.
   * `deadline`: when the result must be on-chain (the commit deadline; the reveal deadline for a run
   * that recovers a result committed before a crash).
   */
  runSlot(view: ReplicatedJobView, slot: number, deadline: number): void {
    const { state } = this.ctx;
    const id = view.id.toLowerCase() as Hex;
    if (state.held.has(id) || state.done.has(id) || state.slots.has(id)) return;
    if (state.stopping && !state.draining) return; // the slot is still ours on-chain: the restart runs it
    state.held.set(id, {
      id,
      kind: 'replicated',
      terms: view.terms,
      slot,
      parsed: resolveJob(hexToBytes(view.spec), view.models ?? [], { maxModelBytes: this.ctx.config.strategy.maxModelBytes }),
      executionDeadline: deadline,
      stage: 'queued',
      assignedSeenAt: Date.now(),
    });
    this.ctx.logger.info({ jobId: id, slot, deadline, price: view.terms.price.toString() }, 'running a slot of a replicated job');
    this.pump();
  }

  /** Stops the run of a replicated job's slot (the job was finalized). */
  stopSlotRun(id: Hex, why: string): void {
    const h = this.ctx.state.held.get(id);
    if (h?.kind === 'replicated') this.stopJob(h, why);
  }

  /** Stops a held job without posting a result; a queued one is just forgotten. */
  stopJob(h: HeldJob, why: string): void {
    h.stopped ??= why;
    h.abort?.abort();
    // Not started yet: nothing to stop, just forget it.
    if (h.stage === 'queued') {
      this.ctx.state.held.delete(h.id);
      this.ctx.dropPrepared(h.id);
      this.ctx.updateGauges();
    }
  }

  /** Starts queued jobs while slots and GPUs are free. */
  private pump(): void {
    const { state } = this.ctx;
    if (state.stopping && !state.draining) return;
    for (const h of state.held.values()) {
      if (h.stage !== 'queued') continue;
      const running = [...state.held.values()].filter((x) => x.stage !== 'queued').length;
      if (running >= this.ctx.config.strategy.maxConcurrentJobs) break;
      const gpus = this.allocateGpus(h.parsed.ok ? h.parsed.spec.resources.gpus : 0);
      if (gpus === undefined) continue;
      h.stage = 'running';
      this.ctx.track(this.runJob(h, gpus));
    }
    this.ctx.updateGauges();
  }

  private allocateGpus(n: number): number[] | undefined {
    const inUse = this.ctx.state.gpusInUse;
    const free: number[] = [];
    for (let i = 0; i < this.ctx.hardware.claim.gpuCount && free.length < n; i++) if (!inUse.has(i)) free.push(i);
    if (free.length < n) return undefined;
    for (const i of free) inUse.add(i);
    return free;
  }

  private async runJob(h: HeldJob, gpus: number[]): Promise<void> {
    const { state, metrics, config } = this.ctx;
    const log = this.ctx.logger.child({ jobId: h.id });
    const reserve = config.submitReserveSeconds;
    let jobDir: string | undefined;
    try {
      const now = await this.whileRpcFails(h, 'reading the chain time', () => this.ctx.chainNow());
      const left = h.executionDeadline - now;
      if (left <= reserve) {
        log.error(
          { executionDeadline: h.executionDeadline, chainTime: now },
          h.kind === 'single'
            ? 'assigned job is past (or too close to) its execution deadline to run: no result will be posted; the client may reclaim it'
            : 'replicated slot is past (or too close to) its deadline to run: no result will be committed or revealed; the slot will be slashed',
        );
        metrics.jobsAbandoned.inc({ reason: 'deadline' });
        state.done.add(h.id);
        return;
      }
      const abort = new AbortController();
      h.abort = abort;
      if (h.stopped) abort.abort();
      const stopAt = Date.now() + (left - reserve) * 1000;
      const timer = setTimeout(() => abort.abort(), stopAt - Date.now());
      h.startedAt = Date.now();
      log.info({ timeoutSeconds: h.parsed.ok ? h.parsed.spec.resources.timeoutSeconds : null, secondsToDeadline: left, image: h.parsed.ok ? h.parsed.spec.image?.text : undefined }, 'running');
      let produced: JobResult;
      let secrets: SecretsBundle | undefined;
      try {
        if (h.parsed.ok && h.parsed.spec.sealed) {
          const got = await this.awaitSecrets(h, h.parsed.spec.sealed, Math.min(Date.now() + config.sealedWaitSeconds * 1000, stopAt - IMAGE_READY_MARGIN_MS), abort.signal);
          if (!got.ok) {
            if (h.stopped) {
              log.warn({ why: h.stopped }, 'job stopped; no result posted');
              return;
            }
            log.warn({ reason: got.reason }, 'giving the job up without a result: it expects sealed secrets and none usable arrived');
            metrics.jobsAbandoned.inc({ reason: 'no_sealed_bundle' });
            // The client's fault, not the worker's (README: Private jobs): a single job is handed back
            // (price to the client, collateral unlocked unslashed) rather than left to a reclaim that
            // slashes. A replicated slot has no such step: it is left to the replicated job's rules.
            if (h.kind === 'single') await this.handBack(h, got.reason);
            state.done.add(h.id);
            return;
          }
          secrets = got.secrets;
          log.info({ bundle: got.bundleId, secretVariables: Object.keys(secrets.env).length, privateInputs: secrets.privateInputs.length, registryCredentials: secrets.registryAuth.length, privateResult: secrets.resultKey !== undefined }, 'sealed bundle opened');
        }
        produced = await this.produce(h, gpus, abort.signal, Math.max(Date.now(), stopAt - IMAGE_READY_MARGIN_MS), secrets);
      } finally {
        clearTimeout(timer);
      }
      jobDir = produced.jobDir;
      if (h.stopped) {
        log.warn({ why: h.stopped }, 'job stopped; no result posted');
        return;
      }
      const bundle = produced.result;
      if (produced.ok) {
        metrics.jobsRun.inc({ outcome: 'succeeded' });
        log.info({ resultHash: bundle.resultHash, bytes: bundle.size, durationMs: produced.run.durationMs }, 'job succeeded');
      } else {
        metrics.jobsRun.inc({ outcome: 'failed' });
        metrics.jobsFailed.inc({ stage: produced.stage });
        log.warn({ stage: produced.stage, reason: produced.reason, resultHash: bundle.resultHash }, 'job failed; posting its failure report as the result');
      }

      h.stage = 'uploading';
      const deadlineMs = Date.now() + (h.executionDeadline - (await this.whileRpcFails(h, 'reading the chain time', () => this.ctx.chainNow()))) * 1000;
      // A private result goes up sealed to the client; the hash posted stays the plaintext bundle's.
      let upload = { path: bundle.path, sha256: bundle.sha256 };
      if (h.parsed.ok && h.parsed.spec.sealed?.privateResult && secrets?.resultKey) {
        try {
          upload = await sealResultFile({ path: bundle.path, to: secrets.resultKey, context: { chainId: this.ctx.chainId, jobId: h.id, recipient: h.terms.client as Address } });
        } catch (err) {
          // Never uploaded in clear, and not worth running again: the same outputs would be refused again.
          if (!(err instanceof SealError)) throw err;
          log.error({ reason: err.shortMessage }, 'giving the job up without a result: its private result cannot be sealed');
          metrics.jobsAbandoned.inc({ reason: 'private_result' });
          state.done.add(h.id);
          return;
        }
      }
      const uri = await uploadArtifact({
        baseUrl: config.artifactUrl,
        path: upload.path,
        sha256: upload.sha256,
        sign: this.ctx.signResultUpload,
        deadline: deadlineMs,
        onRetry: (attempt, reason) => log.warn({ attempt, reason }, 'upload failed; retrying'),
      });

      h.stage = 'submitting';
      if (h.kind === 'replicated') {
        // Safe to repeat: the commit reads the slot first, and the contract refuses a second commitment.
        await this.whileRpcFails(h, 'committing the result', () => this.hooks.commit({ id: h.id, terms: h.terms, slot: h.slot }, bundle.resultHash, uri));
        state.done.add(h.id);
        metrics.jobDuration.observe((Date.now() - h.assignedSeenAt) / 1000);
        return;
      }
      // Safe to repeat: submitResult reads the job first, and the contract refuses a second result.
      const terms = h.terms;
      const outcome = await this.whileRpcFails(h, 'submitting the result', () =>
        submitResult({ api: this.ctx.api, writer: this.ctx.writer, jobId: h.id, terms, resultHash: bundle.resultHash, resultURI: uri, worker: this.ctx.address }),
      );
      state.done.add(h.id);
      switch (outcome.kind) {
        case 'submitted':
          metrics.jobsSubmitted.inc();
          metrics.jobDuration.observe((Date.now() - h.assignedSeenAt) / 1000);
          state.awaitingRelease.set(h.id, { terms, challengeDeadline: outcome.challengeDeadline });
          log.info({ resultHash: bundle.resultHash, resultURI: uri, tx: outcome.txHash, challengeDeadline: outcome.challengeDeadline }, 'result submitted');
          break;
        case 'already':
          log.info({ status: outcome.status }, 'a result is already on-chain for this job; not submitting again');
          break;
        case 'too_late':
          metrics.jobsAbandoned.inc({ reason: 'deadline' });
          log.error({ detail: outcome.detail }, 'the execution deadline passed before the result could be posted; the client may reclaim');
          break;
        case 'not_ours':
          log.warn({ detail: outcome.detail }, 'the job is not assigned to this worker any more');
          break;
      }
    } catch (err) {
      if (h.stopped) {
        // Stopped while its image was being pulled (an aborted pull throws): not a failure of the worker.
        log.warn({ why: h.stopped }, 'job stopped; no result posted');
        return;
      }
      // The worker's own failure (sandbox, disk, API, chain): never silent. The job stays assigned
      // on-chain; reconciliation retries it while time is left.
      metrics.jobsAbandoned.inc({ reason: 'worker_error' });
      log.error({ err: describeError(err), executionDeadline: h.executionDeadline }, 'could not complete the job (a worker-side error); will retry while time is left');
    } finally {
      for (const g of gpus) state.gpusInUse.delete(g);
      state.held.delete(h.id);
      this.ctx.dropPrepared(h.id);
      if (jobDir && !config.keepJobDirs) await rm(jobDir, { recursive: true, force: true }).catch(() => {});
      this.pump();
      this.hooks.onSlotFreed();
    }
  }

  /**
   * Runs `step` again while it fails for the RPC (no answer, an HTTP error, an answer cut short)
   * and the job's execution deadline has not passed: a result is not thrown away, nor the job run
   * again, for a node that misbehaved for a moment. After a transaction whose answer was lost, the
   * worker's pending transactions are let through first, so the retry sees what they did.
   */
  private async whileRpcFails<T>(h: HeldJob, what: string, step: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await step();
      } catch (err) {
        const rpc = err instanceof TxError ? err.rpc : rpcFailure(err);
        // The deadline is chain time, read here on the local clock: past it the contract refuses anyway (DeadlinePassed).
        if (!rpc || h.stopped || Date.now() / 1000 > h.executionDeadline) throw err;
        this.ctx.logger.warn({ jobId: h.id, attempt, err: describeError(err) }, `the RPC failed while ${what}; retrying`);
        await sleep(Math.min(500 * attempt, 5_000));
        if (err instanceof TxError && err.maybeSent) {
          for (let i = 0; i < 60 && (await this.ctx.writer.pendingCount().catch(() => 1)) > 0; i++) await sleep(1_000);
        }
      }
    }
  }

  /** Returns a single job (returnJob.ts), once, with `reason` logged beside the outcome. */
  private async handBack(h: Extract<HeldJob, { kind: 'single' }>, reason: string): Promise<void> {
    const log = this.ctx.logger.child({ jobId: h.id });
    // Safe to repeat: returnJob reads the job first, and the contract refuses a second return.
    const outcome = await this.whileRpcFails(h, 'returning the job', () =>
      returnJob({ api: this.ctx.api, writer: this.ctx.writer, jobId: h.id, terms: h.terms, worker: this.ctx.address }),
    );
    switch (outcome.kind) {
      case 'returned':
        log.info({ tx: outcome.txHash, reason }, 'job returned to its client: price refunded, collateral unlocked');
        break;
      case 'already':
        log.info({ status: outcome.status, reason }, 'the job is no longer assigned; not returning it');
        break;
      case 'too_late':
        log.error({ detail: outcome.detail, reason }, 'the execution deadline passed before the job could be returned; the client may reclaim');
        break;
      case 'not_ours':
        log.warn({ detail: outcome.detail, reason }, 'the job is not assigned to this worker any more');
        break;
    }
  }

  /** Waits for this worker's sealed bundle of the job (sealedSecrets.ts). */
  private awaitSecrets(h: HeldJob, expect: SealedExpectation, until: number, signal: AbortSignal): Promise<AwaitedSecrets> {
    const { config } = this.ctx;
    const log = this.ctx.logger.child({ jobId: h.id });
    log.info({ waitSeconds: Math.max(0, Math.round((until - Date.now()) / 1000)) }, "waiting for the client's sealed bundle");
    return awaitSecrets({
      api: this.ctx.api,
      jobId: h.id,
      worker: this.ctx.address,
      chainId: this.ctx.chainId,
      sealing: this.ctx.sealing,
      expect,
      ...(h.parsed.ok && h.parsed.spec.image ? { imageRegistry: h.parsed.spec.image.registry } : {}),
      until,
      signal,
      fetchUri: (uri, maxBytes) => fetchSealedBundle(uri, { artifactUrl: config.artifactUrl, maxBytes, allowPrivateNetwork: config.allowPrivateInputs, signal }),
      onRefused: (bundleId, reason) => log.warn({ bundle: bundleId, reason }, 'sealed bundle refused; waiting for another'),
      onUnfetched: (bundleId, reason) => log.warn({ bundle: bundleId, reason }, 'sealed bundle not fetched yet; trying again'),
    });
  }

  /** Runs the job (retrying the worker's own errors twice), or reports an invalid spec. */
  private async produce(h: HeldJob, gpus: number[], signal: AbortSignal, imageDeadline: number, secrets?: SecretsBundle): Promise<JobResult> {
    const { config, inputCache, jobsDir } = this.ctx;
    if (!h.parsed.ok) return rejectJob({ jobId: h.id, workDir: jobsDir, stage: h.parsed.stage, reason: h.parsed.stage === 'spec' ? `invalid spec: ${h.parsed.reason}` : h.parsed.reason });
    // Taken before the operator turned host mode off (a restart finds it assigned): not run on the host.
    if (h.parsed.spec.image === undefined && !config.hostMode) {
      return rejectJob({ jobId: h.id, workDir: jobsDir, stage: 'spec', reason: 'the job has no image and host mode was turned off on this worker after it was taken' });
    }
    // One live log for all attempts: its offsets go on; each attempt's run starts the kept log over.
    // A sealed job's output may show its secrets or private data: its live log goes out sealed to the
    // client's key (from the bundle), or not at all. The kept log is in the (sealed) result either way.
    const resultKey = h.parsed.spec.sealed ? secrets?.resultKey : undefined;
    const context = { chainId: this.ctx.chainId, jobId: h.id, recipient: h.terms.client as Address };
    const sealChunk = resultKey ? async (plaintext: Uint8Array) => seal({ plaintext, to: resultKey, purpose: 'log', context }) : undefined;
    const send = h.parsed.spec.sealed && !sealChunk ? undefined : this.ctx.sendLogChunk;
    const log = new LiveLog({ jobId: h.id, keep: h.kind === 'single', logger: this.ctx.logger, ...(send ? { send } : {}), ...(sealChunk ? { seal: sealChunk } : {}) });
    for (let attempt = 1; ; attempt++) {
      try {
        const produced = await executeJob({
          jobId: h.id,
          spec: h.parsed.spec,
          workDir: jobsDir,
          sandbox: this.ctx.sandbox,
          inputs: { artifactBaseUrl: config.artifactUrl, allowPrivateNetwork: config.allowPrivateInputs, fetch: inputCache.fetchFor(h.id) },
          models: h.parsed.models,
          modelStore: this.ctx.models,
          images: this.ctx.images,
          imageDeadline,
          gpuIndices: gpus,
          machineGpus: this.ctx.hardware.gpus,
          recordGpus: h.kind === 'single',
          log,
          signal,
          ...(secrets ? { secrets } : {}),
        });
        // The end of the live log goes out in the background (stop() waits for it).
        this.ctx.track(log.drained());
        return produced;
      } catch (err) {
        if (signal.aborted || attempt >= 3) {
          // Followers learn that this run is over.
          log.finish();
          this.ctx.track(log.drained());
          throw err;
        }
        this.ctx.logger.warn({ jobId: h.id, attempt, err: describeError(err) }, 'worker-side error while running the job; retrying');
        await sleep(1000 * attempt);
      }
    }
  }
}
