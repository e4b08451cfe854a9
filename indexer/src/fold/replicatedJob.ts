/**
 * A replicated job's row as a pure fold of its events (ReplicatedJobPosted, SlotTaken,
 * ResultCommitted, ResultRevealed, ReplicatedJobClosed). It shares the `job` table with single jobs
 * (see indexer/ponder.schema.ts for what the shared columns hold); job.ts dispatches here.
 */
import type { job as jobTable } from '../../ponder.schema';
import { argsOf, big, hex, utcDay, ZERO_ADDRESS, ZERO_BYTES32, type LoggedEvent } from './event';
import { postedJobRow } from './postedJob';
import { quorumResultURI, replicatedOutcomeOf, type Slot } from './slot';

// The row type from the schema, as job.ts has it (job.ts dispatches here, so this module cannot import it).
type Job = typeof jobTable.$inferSelect;
type JobStatus = Job['status'];

/** A replicated job's events, in the order they can come. */
export const REPLICATED_JOB_EVENTS = new Set(['ReplicatedJobPosted', 'SlotTaken', 'ResultCommitted', 'ResultRevealed', 'ReplicatedJobClosed']);

/**
 * A running replicated job's status from its counts: OPEN while a slot is free, ASSIGNED once every
 * slot is taken, SUBMITTED once results are in (every slot committed, or a reveal came). The counts
 * only grow, so the status never goes back.
 */
export function replicatedStatus(c: { replicas: number; filled: number; committed: number; revealed: number }): JobStatus {
  if (c.revealed > 0 || c.committed === c.replicas) return 'SUBMITTED';
  if (c.filled === c.replicas) return 'ASSIGNED';
  return 'OPEN';
}

/** The row a ReplicatedJobPosted creates. */
export function replicatedPosted(event: LoggedEvent): Job {
  const t = argsOf(event).terms;
  const price = big(t.price);
  const replicas = Number(t.replicas);
  const commitDeadline = big(t.openUntil) + BigInt(t.commitWindow);
  return {
    ...postedJobRow(event),
    kind: 'REPLICATED',
    arbiter: ZERO_ADDRESS,
    budget: price * BigInt(replicas),
    mode: 'CLAIM',
    offeredTo: ZERO_ADDRESS,
    executionTimeout: 0,
    challengeWindow: 0,
    replicas,
    quorum: Number(t.quorum),
    commitWindow: Number(t.commitWindow),
    revealWindow: Number(t.revealWindow),
    price,
    filled: 0,
    committed: 0,
    revealed: 0,
    commitDeadline,
    revealDeadline: commitDeadline + BigInt(t.revealWindow),
  };
}

type Counts = Pick<Job, 'replicas' | 'filled' | 'committed' | 'revealed' | 'slotWorkers' | 'status'>;

/**
 * The columns of a replicated job that `event` changes (everything but ReplicatedJobPosted).
 *
 * @param job The job before the event (its counts, workers and status are read).
 * @param slots For ReplicatedJobClosed: the job's slots after the close (`closeSlots`), which say
 *   whose reveal gives the result URI.
 */
export function replicatedPatchOf(job: Counts, event: LoggedEvent, slots: readonly Slot[] = []): Partial<Job> {
  const args = argsOf(event);
  const next: Partial<Job> = { updatedAt: event.timestamp, updatedBlock: event.blockNumber };
  const counts = {
    replicas: job.replicas ?? 0,
    filled: job.filled ?? 0,
    committed: job.committed ?? 0,
    revealed: job.revealed ?? 0,
  };
  switch (event.name) {
    case 'SlotTaken':
      counts.filled = Number(args.filled);
      next.filled = counts.filled;
      next.slotWorkers = [...job.slotWorkers, hex(args.worker)];
      break;
    case 'ResultCommitted':
      counts.committed = Number(args.committed);
      next.committed = counts.committed;
      // Non-zero when this commit completed a full job: the reveal phase opened now.
      if (big(args.revealDeadline) !== 0n) next.revealDeadline = big(args.revealDeadline);
      break;
    case 'ResultRevealed':
      counts.revealed += 1;
      next.revealed = counts.revealed;
      break;
    case 'ReplicatedJobClosed': {
      const quorumHash = hex(args.resultHash);
      const sum = (values: unknown[]) => values.reduce<bigint>((total, v) => total + big(v), 0n);
      next.status = 'CLOSED';
      next.outcome = replicatedOutcomeOf(event);
      next.resultHash = quorumHash === ZERO_BYTES32 ? null : quorumHash;
      next.resultURI = quorumHash === ZERO_BYTES32 ? null : quorumResultURI(slots);
      next.workerPayout = sum(args.payouts as unknown[]);
      next.fee = big(args.fee);
      next.clientRefund = big(args.clientRefund);
      next.slashed = sum(args.slashed as unknown[]);
      next.winnerSlashShare = big(args.winnerSlashShare);
      next.clientSlashShare = big(args.clientSlashShare);
      next.closedAt = event.timestamp;
      return next;
    }
    default:
      return {};
  }
  const status = replicatedStatus(counts);
  if (status !== job.status) {
    next.status = status;
    if (status === 'ASSIGNED') {
      next.assignedAt = event.timestamp;
      next.assignedDay = utcDay(event.timestamp);
    }
    if (status === 'SUBMITTED') next.submittedAt = event.timestamp;
  }
  return next;
}
