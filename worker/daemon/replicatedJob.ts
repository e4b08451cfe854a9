/**
 * A replicated job as the daemon reads it (loomApi.ts makes it from the API's job and its slots), and
 * what its phases are at a given chain time, as LoomReplicatedMarket decides them:
 *
 *   slots taken until openUntil (or all filled) -> each slot commits by the commit deadline
 *   (openUntil + commitWindow) -> the reveal phase opens when every slot of a full job has committed,
 *   or after the commit deadline, and lasts revealWindow -> anyone finalizes once every taken slot has
 *   revealed or after the reveal deadline; with fewer than `quorum` slots taken, after openUntil.
 *
 * Pure functions of the job's counts and the clock: the daemon asks them before each transaction,
 * so it never sends one the contract would refuse for its timing.
 */
import type { Address, Hex } from 'viem';
import type { ReplicatedJobTerms } from '../../sdk/writes';
import type { JobModel } from '../models/jobModels';

export type SlotState = 'TAKEN' | 'COMMITTED' | 'REVEALED';

export type ReplicatedSlotView = {
  slot: number;
  worker: Address;
  state: SlotState;
  /** The commitment once committed (kept after the reveal). */
  commitment: Hex | null;
  /** The revealed result hash. */
  resultHash: Hex | null;
};

export type ReplicatedJobView = {
  id: Hex;
  terms: ReplicatedJobTerms;
  /** The spec bytes as posted. */
  spec: Hex;
  /** The models it was posted with (the API's `Job.models`); none when absent. */
  models?: readonly JobModel[];
  /** The pool whose members alone may take its slots (the API's `Job.pool`); undefined: any worker. */
  pool?: bigint;
  /** OPEN while a slot is free, ASSIGNED once all are taken, SUBMITTED once results are in, CLOSED once finalized. */
  status: 'OPEN' | 'ASSIGNED' | 'SUBMITTED' | 'CLOSED';
  filled: number;
  committed: number;
  revealed: number;
  /** The end of the reveal phase: set early once every slot committed, else commit deadline + revealWindow. */
  revealDeadline: number;
  /** Taken slots, in slot order. */
  slots: ReplicatedSlotView[];
};

/** openUntil + commitWindow: the last second a slot may commit. */
export function commitDeadlineOf(terms: ReplicatedJobTerms): number {
  return terms.openUntil + terms.commitWindow;
}

/** Whether reveals are accepted at chain time `now` (they may also be too late: see `revealDeadline`). */
export function revealOpen(job: Pick<ReplicatedJobView, 'terms' | 'filled' | 'committed'>, now: number): boolean {
  return (job.filled === job.terms.replicas && job.committed === job.terms.replicas) || now > commitDeadlineOf(job.terms);
}

/**
 * Whether `finalize` goes through at chain time `now`: with fewer than `quorum` slots taken, after
 * openUntil (a refund, nobody slashed); otherwise once every taken slot revealed, or after the
 * reveal deadline.
 */
export function finalizeDue(job: Pick<ReplicatedJobView, 'terms' | 'status' | 'filled' | 'revealed' | 'revealDeadline'>, now: number): boolean {
  if (job.status === 'CLOSED') return false;
  if (job.filled < job.terms.quorum) return now > job.terms.openUntil;
  return job.revealed >= job.filled || now > job.revealDeadline;
}

/** This worker's slot of `job`, if it holds one. */
export function slotOf(job: Pick<ReplicatedJobView, 'slots'>, worker: Address): ReplicatedSlotView | undefined {
  return job.slots.find((s) => s.worker.toLowerCase() === worker.toLowerCase());
}

/** What the daemon reads of replicated jobs (LoomApi answers it from the API). */
export type ReplicatedReads = {
  /** The job, with its slots; null when the API does not know it (yet). */
  replicatedJob(id: Hex): Promise<ReplicatedJobView | null>;
  /** Jobs not closed in which `worker` holds a slot. */
  replicatedJobsOf(worker: Address): Promise<ReplicatedJobView[]>;
};
