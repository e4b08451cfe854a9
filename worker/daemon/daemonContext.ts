/**
 * What the daemon's parts share: the one state (daemonState.ts), the services they act through
 * (the API, the market writer, the sandbox, the input cache, the images, the models, the cursor file), and helpers.
 * workerDaemon.ts builds it once the chain is connected and hands it to each part.
 */
import type { Address, Hex } from 'viem';
import type { Logger } from 'pino';
import type { Hardware } from '../hardware';
import type { RunRequest } from '../sandbox/sandboxRunner';
import type { SandboxResult } from '../sandbox/sandboxRunner';
import type { DaemonConfig } from './config';
import type { MarketWriter } from './createWorkerWriter';
import type { DaemonState } from './daemonState';
import type { InputCache } from './inputCache';
import type { ModelStore } from '../models/modelStore';
import type { PoolMembership } from './strategy';
import type { JobImages } from './jobImages';
import type { LoomApi } from './loomApi';
import type { WorkerMetrics } from './metrics';
import type { ReplicatedReads } from './replicatedJob';
import type { StateFile } from './stateFile';
import type { SignUpload } from './uploadArtifact';
import type { WorkerSealing } from './sealedSecrets';
import type { SendChunk } from '../logs/liveLog';

export type JobSandbox = { run(req: RunRequest): Promise<SandboxResult> };

export type DaemonContext = {
  readonly config: DaemonConfig;
  readonly logger: Logger;
  readonly metrics: WorkerMetrics;
  /** The worker's address. */
  readonly address: Address;
  readonly state: DaemonState;
  readonly api: LoomApi;
  /** Replicated jobs and their slots, as the API has them. */
  readonly replicated: ReplicatedReads;
  readonly writer: MarketWriter;
  readonly sandbox: JobSandbox;
  readonly hardware: Hardware;
  readonly inputCache: InputCache;
  /** Image jobs: the check before a claim, early pulls, the run's image. */
  readonly images: JobImages;
  /** Model files by sha256, fetched and verified before a claim, held by the jobs that use them. */
  readonly models: Pick<ModelStore, 'prepare' | 'release'>;
  readonly stateFile: StateFile;
  /** Where job directories live. */
  readonly jobsDir: string;
  /** Signs a result upload with the worker's key, for this chain's market (uploadArtifact.ts). */
  signResultUpload: SignUpload;
  /** Sends a running job's live log chunks to the API, signed with the worker's key (logs/logChunkSender.ts). */
  sendLogChunk?: SendChunk;
  /**
   * The salt this worker reveals a replicated job's result with (revealSecret.ts: derived from its
   * key, the same after a restart); undefined when the key cannot derive one, and replicated jobs are
   * then refused.
   */
  saltOf: ((jobId: Hex) => Hex) | undefined;
  /** The chain's id: sealed bundles and private results are bound to it. */
  readonly chainId: number;
  /**
   * The worker's sealing key (sealedSecrets.ts: derived from its key, its secret half in a closure);
   * undefined when the key cannot derive one, and jobs that expect secrets are given up.
   */
  sealing: WorkerSealing | undefined;
  /** The latest block's timestamp: deadlines are in chain time. */
  chainNow(): Promise<number>;
  /** Where this worker stands with a pool, as the registry has it now (poolMembership.ts); null when in none. */
  poolMembership(): Promise<PoolMembership | null>;
  /** Runs a task in the background; `stop` waits for it, and an unexpected error is logged. */
  track(task: Promise<unknown>): void;
  /** Sets the gauges that follow the state. */
  updateGauges(): void;
  /** Forgets what was made ready for a job before its run (verified inputs, an early image pull, held model files): it ran, or left. */
  dropPrepared(jobId: Hex): void;
};
