/**
 * The worker daemon: follows the market through the API, takes the jobs its strategy accepts (and
 * slots of replicated jobs), runs them in the sandbox, posts their results (a replicated slot's is
 * committed, then revealed), releases them once their challenge windows pass (finalizes replicated
 * jobs once their reveals are over) and withdraws what they earned.
 *
 * The chain is the only source of truth. At start, and whenever in doubt (a reorganization, every
 * minute), the daemon rebuilds what it holds from the API (reconcile.ts): jobs assigned to it (run
 * them, or, past their deadline, leave them to the client's reclaim and say so), jobs it submitted
 * (release them after the window), its standing bids, its slots of replicated jobs. The only local
 * state is the event cursor and the result hashes committed to and not yet revealed (stateFile.ts).
 * So a `kill -9` at any moment loses nothing: the restart resumes the event log, re-runs what is
 * assigned and still has time, and reveals what it committed to. A result is never posted twice:
 * submitResult.ts checks the job's status first and reads the contract's UnexpectedStatus as
 * "already done"; commitResult.ts does the same with the slot's state.
 *
 * This file starts and stops the daemon and wires its parts around one state (daemonState.ts):
 * follow.ts (the event log), intake.ts (decide, claim, bid, take a slot), run.ts (run, upload,
 * submit or commit), replicatedSlots.ts (reveal, finalize), settle.ts (release, closed jobs,
 * withdrawals), housekeeping.ts (the periodic round).
 */
import { chmod, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Account, Address, Hex } from 'viem';
import type { Logger } from 'pino';
import { connectChain } from '../../sdk/chain/connectChain';
import { revealSalt } from '../../sdk/node/revealSalt';
import { type PresenceAccount, createHeartbeatSigner } from '../../sdk/node/workerHeartbeat';
import { resultUploadSigner } from './uploadArtifact';
import { logChunkSender } from '../logs/logChunkSender';
import { WorkerError } from '../errors';
import { type Hardware, detectHardware } from '../hardware';
import { ImageStore } from '../image/imageStore';
import { SandboxRunner } from '../sandbox/sandboxRunner';
import { claimMetadataURI, offeredModes } from './claimMetadata';
import type { DaemonConfig } from './config';
import { type MarketWriter, createWorkerWriter } from './createWorkerWriter';
import type { DaemonContext, JobSandbox } from './daemonContext';
import { type DaemonSnapshot, DaemonState } from './daemonState';
import { describeError } from './describeError';
import { ensureRegistered } from './ensureRegistered';
import { HeartbeatLoop } from './heartbeat';
import { EventFollower } from './follow';
import { Housekeeping } from './housekeeping';
import { InputCache } from './inputCache';
import { Intake } from './intake';
import { type ImageSource, JobImages } from './jobImages';
import { LoomApi } from './loomApi';
import { WorkerMetrics, serveMetrics } from './metrics';
import { reconcile } from './reconcile';
import { ReplicatedSlots } from './replicatedSlots';
import { revealSecret } from './revealSecret';
import { publishSealingKey } from './publishSealingKey';
import { type WorkerSealing, workerSealing } from './sealedSecrets';
import { JobRunner } from './run';
import { ModelStore } from '../models/modelStore';
import { joinPoolAtStart, readPoolMembership } from './poolMembership';
import { Settlement } from './settle';
import { StateFile } from './stateFile';

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
  /** Default: the image store in `<data dir>/images` (ImageStore.open with the config's registries and sizes). */
  images?: ImageSource;
};

/** The daemon's parts, wired once the chain is connected. */
type Parts = { runner: JobRunner; follower: EventFollower; housekeeping: Housekeeping; heartbeat: HeartbeatLoop };

export class WorkerDaemon {
  readonly metrics: WorkerMetrics;
  readonly address: Address;
  private readonly config: DaemonConfig;
  private readonly logger: Logger;
  private readonly state = new DaemonState();
  private readonly api: LoomApi;
  private readonly jobsDir: string;
  private readonly tasks = new Set<Promise<unknown>>();
  private stateFile: StateFile | undefined;
  private parts: Parts | undefined;
  private metricsServer: { port: number; close(): Promise<void> } | undefined;

  constructor(private readonly o: DaemonOptions) {
    this.config = o.config;
    this.logger = o.logger;
    this.metrics = o.metrics ?? new WorkerMetrics();
    this.address = o.account.address;
    this.api = new LoomApi(o.config.apiUrl);
    this.jobsDir = join(o.config.dataDir, 'jobs');
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
    const state = this.state;
    this.metrics.startTime.set(Math.floor(Date.now() / 1000));
    if (c.metricsPort !== null) {
      this.metricsServer = await serveMetrics(this.metrics, c.metricsPort, c.metricsHost);
      log.info({ port: this.metricsServer.port, host: c.metricsHost }, 'metrics at /metrics');
    }

    // Job directories: the sandbox user (nobody, when the worker is root) must be able to reach them.
    await mkdir(this.jobsDir, { recursive: true, mode: 0o711 });
    await chmod(this.jobsDir, 0o711);
    let sandbox = this.o.sandbox;
    if (!sandbox) {
      const runner = await SandboxRunner.create({ workDir: this.jobsDir, unsafe: c.unsafeNoSandbox, ...(c.cgroupParent ? { cgroupParent: c.cgroupParent } : {}) });
      for (const w of runner.capabilities.warnings) log.warn(w);
      sandbox = runner;
    }
    const detected = this.o.hardware ?? (await detectHardware({ pricePerGpuHour: c.pricePerGpuHour, nvidiaSmi: c.nvidiaSmi }));
    if (detected.warning) log.warn(detected.warning);
    // The claim's metadata says which modes this worker runs (claimMetadata.ts), unless the operator publishes their own.
    const hardware: Hardware = { ...detected, claim: { ...detected.claim, metadataURI: claimMetadataURI(c) } };
    const store =
      this.o.images ??
      (await ImageStore.open({ dir: c.images.dir, cacheBytes: c.images.cacheBytes, maxImageBytes: c.images.maxImageBytes, allowedRegistries: c.images.allowedRegistries, logger: log }));
    const images = new JobImages(store, {
      logger: log,
      metrics: this.metrics,
      ...(hardware.cudaVersion === undefined ? {} : { driverCuda: hardware.cudaVersion }),
      ...(hardware.driverVersion === undefined ? {} : { driverVersion: hardware.driverVersion }),
    });
    log.info(
      { modes: offeredModes({ hostMode: c.hostMode, allowedRegistries: c.images.allowedRegistries }), registries: c.images.allowedRegistries, maxImageBytes: c.images.maxImageBytes, imageCacheBytes: c.images.cacheBytes, metadataURI: hardware.claim.metadataURI },
      'offering',
    );

    const chain = await connectChain({ rpcUrl: c.rpcUrl, account: this.o.account, ...(c.market ? { market: c.market } : {}), ...(c.deploymentFile ? { deploymentFile: c.deploymentFile } : {}) });
    const writer = createWorkerWriter({ ...chain, account: this.o.account, metrics: this.metrics });
    this.stateFile = new StateFile(join(c.dataDir, 'worker-state.json'), { chainId: chain.chainId, market: chain.market, worker: this.address });
    log.info({ worker: this.address, market: chain.market, chainId: chain.chainId, api: c.apiUrl }, 'starting');

    // Reveal salts come from the key (revealSecret.ts); the secret stays in this closure, never logged or stored.
    let saltOf: ((jobId: Hex) => Hex) | undefined;
    try {
      const secret = await revealSecret(this.o.account);
      saltOf = (jobId) => revealSalt(secret, jobId);
    } catch (err) {
      log.warn({ err: describeError(err) }, 'replicated jobs will be refused: reveal salts cannot be derived from this key');
    }

    // The sealing key comes from the key too (sealedSecrets.ts); only its public half leaves the closure.
    let sealing: WorkerSealing | undefined;
    try {
      sealing = await workerSealing(this.o.account);
    } catch (err) {
      log.warn({ err: describeError(err) }, 'jobs that expect sealed secrets will be given up: no sealing key can be derived from this key');
    }

    const inputCache = new InputCache(join(c.dataDir, 'inputs'), { artifactBaseUrl: c.artifactUrl, allowPrivateNetwork: c.allowPrivateInputs });
    const models = await ModelStore.open({ dir: c.models.dir, artifactBaseUrl: c.artifactUrl, cacheBytes: c.models.cacheBytes });
    const poolMembership = () => readPoolMembership(chain.publicClient, chain.contracts.registry, this.address);
    const ctx: DaemonContext = {
      config: c,
      logger: log,
      metrics: this.metrics,
      address: this.address,
      state,
      api: this.api,
      replicated: this.api,
      writer,
      sandbox,
      hardware,
      inputCache,
      images,
      models,
      stateFile: this.stateFile,
      jobsDir: this.jobsDir,
      signResultUpload: resultUploadSigner(this.o.account, chain.chainId, chain.market),
      sendLogChunk: logChunkSender({ apiUrl: c.apiUrl, account: this.o.account, chainId: chain.chainId, market: chain.market }),
      saltOf,
      chainId: chain.chainId,
      sealing,
      chainNow: async () => Number((await chain.publicClient.getBlock({ blockTag: 'latest' })).timestamp),
      poolMembership,
      track: (task) => this.track(task),
      updateGauges: () => state.updateGauges(this.metrics),
      dropPrepared: (id) => {
        void inputCache.drop(id);
        void images.drop(id);
        models.release(id);
      },
    };
    // Intake, the runner and the replicated slots call each other: a claimed job (or a taken slot) is
    // run, a slot's result is committed, and a job leaving its slot lets deferred jobs be considered again.
    const runner: JobRunner = new JobRunner(ctx, { onSlotFreed: () => intake.retryDeferred(), commit: (slot, hash, uri) => slots.commit(slot, hash, uri) });
    const intake = new Intake(ctx, runner);
    const settlement = new Settlement(ctx, runner);
    const slots = new ReplicatedSlots(ctx, runner);
    const parts = { intake, runner, settlement, slots };
    // Presence: heartbeats signed by a session key that the worker's key binds once (sdk/node/workerHeartbeat.ts).
    const heartbeat = new HeartbeatLoop(ctx, await createHeartbeatSigner({ account: presenceAccount(this.o.account), chainId: chain.chainId, market: chain.market }));
    this.parts = { runner, follower: new EventFollower(ctx, parts), housekeeping: new Housekeeping(ctx, parts), heartbeat };

    // The API is the daemon's only view of the market: wait until it is up and caught up.
    await this.waitForApi();
    // Transactions sent before a crash may still be pending: let them land before reading state.
    await this.waitForPendingTransactions(writer);

    const reg = await ensureRegistered({ api: this.api, writer, address: this.address, claim: hardware.claim, stake: c.stake, logger: log });
    if (reg.worker) state.noteWorker(reg.worker);
    if (sealing) await publishSealingKey({ api: this.api, writer, address: this.address, publicKey: sealing.publicKey, logger: log });
    // Registered: a pool can be joined (poolMembership.ts); pool jobs are taken once a member.
    if (c.pool !== undefined) await joinPoolAtStart({ pool: c.pool, writer, membership: poolMembership, logger: log });
    // Registered: the API takes its heartbeats from now on (the first probe decides GPU jobs before any is considered).
    await heartbeat.start();

    // Take the cursor before scanning open jobs: nothing posted in between is missed (the scan and
    // the subscription may both see a job; `considered` takes it once).
    state.cursor = (await this.stateFile.load()).cursor;
    const resumed = state.cursor !== null;
    if (!resumed) state.cursor = await this.api.latestEventCursor();
    await reconcile(ctx, parts);
    await intake.scanOpenJobs();
    if (state.stopping) return;

    state.following = true;
    this.metrics.up.set(1);
    this.parts.follower.start();
    this.parts.housekeeping.start();
    log.info({ resumed, held: state.held.size, awaitingRelease: state.awaitingRelease.size, bids: state.bids.size }, 'following the market');
  }

  /**
   * Stops. `drain`: take no new jobs, but finish (and post) the ones held. Otherwise running jobs
   * are stopped without a result: they are still assigned on-chain, and a restart runs them again.
   */
  async stop(options: { drain?: boolean } = {}): Promise<void> {
    const state = this.state;
    if (state.stopping && !options.drain) this.stopHeldJobs();
    state.stopping = true;
    state.draining = options.drain === true;
    this.parts?.housekeeping.stop();
    this.parts?.heartbeat.stop();
    this.parts?.follower.close();
    if (!state.draining) this.stopHeldJobs();
    while (this.tasks.size > 0) await Promise.allSettled([...this.tasks]);
    await this.parts?.follower.ended();
    await this.stateFile?.flush();
    this.metrics.up.set(0);
    state.following = false;
    await this.metricsServer?.close();
    this.logger.info('stopped');
  }

  snapshot(): DaemonSnapshot {
    return this.state.snapshot(this.address, this.metrics);
  }

  private stopHeldJobs(): void {
    for (const h of this.state.held.values()) this.parts?.runner.stopJob(h, 'the worker is stopping');
  }

  private async waitForApi(): Promise<void> {
    const deadline = Date.now() + 10 * 60_000;
    for (let logged = false; ; ) {
      if (this.state.stopping) throw new WorkerError('API_FAILED', 'stopped while waiting for the API');
      if ((await this.api.indexedHead()) !== null) return;
      if (Date.now() > deadline) throw new WorkerError('API_FAILED', `the Loom API at ${this.config.apiUrl} was not ready within 10 minutes (GET /api/ready)`);
      if (!logged) this.logger.info({ api: this.config.apiUrl }, 'waiting for the API to be ready (indexing caught up)');
      logged = true;
      await sleep(2000);
    }
  }

  private async waitForPendingTransactions(writer: MarketWriter): Promise<void> {
    const deadline = Date.now() + 120_000;
    for (;;) {
      if (this.state.stopping) throw new WorkerError('TX_FAILED', 'stopped while waiting for pending transactions');
      const pending = await writer.pendingCount();
      if (pending <= 0) return;
      if (Date.now() > deadline) throw new WorkerError('TX_FAILED', `${pending} transactions of this worker are still pending after 2 minutes`);
      this.logger.info({ pending }, 'waiting for transactions sent before the restart');
      await sleep(1000);
    }
  }

  private track(task: Promise<unknown>): void {
    const t = task.catch((err) => this.logger.error({ err: describeError(err) }, 'unexpected error in a background task'));
    this.tasks.add(t);
    void t.finally(() => this.tasks.delete(t));
  }
}

/** The worker's key as the signer of presence sessions (a local account signs typed data). */
function presenceAccount(account: Account): PresenceAccount {
  const signTypedData = account.signTypedData;
  if (!signTypedData) throw new WorkerError('KEY_UNAVAILABLE', 'the worker account cannot sign typed data (heartbeats are signed)');
  return { address: account.address, signTypedData: signTypedData.bind(account) as PresenceAccount['signTypedData'] };
}
