/**
 * Everything the daemon holds in memory, in one object that its parts (follow.ts, intake.ts,
 * run.ts, settle.ts, reconcile.ts, housekeeping.ts) share. None of it is the truth: the chain is.
 * It is rebuilt from the API at start and whenever in doubt (reconcile.ts); only the cursor is
 * also kept on disk (stateFile.ts).
 */
import type { Address, Hex } from 'viem';
import type { JobTerms } from '../../sdk/jobTerms';
import type { ReplicatedJobTerms } from '../../sdk/writes';
import type { ResolvedJob } from '../models/jobModels';
import type { WorkerMetrics } from './metrics';

type JobStage = 'queued' | 'running' | 'uploading' | 'submitting';

/**
 * A job this worker runs and has not posted a result for: a single job assigned to it (the result
 * goes to submitResult), or its slot of a replicated job (the result is committed to).
 */
export type HeldJob = {
  id: Hex;
  /** Its spec as it runs (with its models' image) and its model files; or why it cannot run (its failure report says). */
  parsed: ResolvedJob;
  /**
   * When the result must be on-chain: a single job's execution deadline; a slot's commit deadline
   * (its reveal deadline when run again to recover a result committed before a crash).
   */
  executionDeadline: number;
  stage: JobStage;
  assignedSeenAt: number;
  startedAt?: number;
  abort?: AbortController;
  /** Set when the daemon stopped the job itself (shutdown, the job closed): no result is posted. */
  stopped?: string;
} & ({ kind: 'single'; terms: JobTerms } | { kind: 'replicated'; terms: ReplicatedJobTerms; slot: number });

/** A slot of a replicated job whose result this worker committed to: revealed, then finalized. */
export type HeldSlot = {
  id: Hex;
  terms: ReplicatedJobTerms;
  slot: number;
  /** committed: waiting for the reveal phase; revealed: waiting until the job can be finalized. */
  phase: 'committed' | 'revealed';
  resultHash: Hex;
  resultURI: string;
  /** When (ms, local clock) this worker may finalize: a job's slots take turns, so its workers do not race to pay gas for it. */
  finalizeAfter?: number;
};

/** A bid being placed (`placed: false`) or standing. */
type Bid = { terms: JobTerms; collateral: bigint; placed: boolean };

/** What the status line shows. */
export type DaemonSnapshot = {
  address: Address;
  following: boolean;
  lastEventAt: number | null;
  held: { id: Hex; stage: JobStage; startedAt?: number; timeoutSeconds?: number; executionDeadline: number }[];
  openBids: number;
  awaitingRelease: number;
  /** Replicated slots committed or revealed, not yet closed. */
  slots: number;
  jobsRun: number;
  jobsFailed: number;
  refused: number;
};

export class DaemonState {
  /** Jobs assigned to this worker: queued, running, uploading or submitting. */
  readonly held = new Map<Hex, HeldJob>();
  /** Replicated slots whose result is committed: revealed, then finalized (replicatedSlots.ts). */
  readonly slots = new Map<Hex, HeldSlot>();
  /** Results submitted, released once chain time passes their challenge deadline. */
  readonly awaitingRelease = new Map<Hex, { terms: JobTerms; challengeDeadline: number }>();
  /** Claims in flight, with the collateral they will lock. */
  readonly claiming = new Map<Hex, bigint>();
  readonly bids = new Map<Hex, Bid>();
  /** Jobs already considered (by the scan or an event): each is taken once. */
  readonly considered = new Set<Hex>();
  /** Jobs refused for want of a slot or of free stake, oldest first: considered again when either frees up. */
  readonly deferred = new Map<Hex, { openUntil: number; seenAt: number; replicated: boolean }>();
  /** Jobs this process is done with (result posted, or left to reclaim): reconciliation skips them. */
  readonly done = new Set<Hex>();
  readonly gpusInUse = new Set<number>();
  /** The block of the last withdrawal of each token from each market (`market:token`): until the API has indexed it, that credit is stale. */
  readonly withdrawnAtBlock = new Map<string, bigint>();

  /** The hardware claim registered on-chain, and the stake not locked as collateral. */
  onChain = { gpuModel: '0x' as Hex, gpuCount: 0, vramMiB: 0 };
  freeStake = 0n;
  /** False while the GPU probe fails (heartbeat.ts): no GPU jobs are taken. */
  gpuHealthy = true;

  /** The cursor of the last event processed. */
  cursor: string | null = null;
  following = false;
  lastEventAt: number | null = null;
  stopping = false;
  /** Stopping, but finishing (and posting) the jobs held. */
  draining = false;
  reconcileDue = false;
  lastReconcile = 0;

  /** Records the worker as the API has it: its claim and its free stake. */
  noteWorker(w: { claim: { gpuModel: Hex; gpuCount: number; vramMiB: number }; freeStake: string }): void {
    this.onChain = { gpuModel: w.claim.gpuModel, gpuCount: w.claim.gpuCount, vramMiB: Number(w.claim.vramMiB) };
    this.freeStake = BigInt(w.freeStake);
  }

  /** Bids standing on-chain (not those being placed). */
  openBids(): number {
    return [...this.bids.values()].filter((b) => b.placed).length;
  }

  /** Sets the gauges that follow the state: queue length, jobs running, open bids. */
  updateGauges(metrics: WorkerMetrics): void {
    let queued = 0;
    let running = 0;
    for (const h of this.held.values()) (h.stage === 'queued' ? queued++ : running++);
    metrics.queueLength.set(queued);
    metrics.runningJobs.set(running);
    metrics.openBids.set(this.openBids());
  }

  snapshot(address: Address, metrics: WorkerMetrics): DaemonSnapshot {
    return {
      address,
      following: this.following,
      lastEventAt: this.lastEventAt,
      held: [...this.held.values()].map((h) => ({
        id: h.id,
        stage: h.stage,
        ...(h.startedAt !== undefined ? { startedAt: h.startedAt } : {}),
        ...(h.parsed.ok ? { timeoutSeconds: h.parsed.spec.resources.timeoutSeconds } : {}),
        executionDeadline: h.executionDeadline,
      })),
      openBids: this.openBids(),
      awaitingRelease: this.awaitingRelease.size,
      slots: this.slots.size,
      jobsRun: metrics.jobsRun.total(),
      jobsFailed: metrics.jobsFailed.total(),
      refused: metrics.decisions.sum({ decision: 'skip' }),
    };
  }
}
