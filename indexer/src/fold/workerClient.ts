/**
 * A worker's record with each client (`worker_client`) as a pure fold of settled outcomes: which
 * events settle an outcome for a worker, whether it counts for or against it, and what it adds to the
 * record reputation is computed from (indexer/src/reputation.ts).
 */
import type { workerClient as workerClientTable } from '../../ponder.schema';
import { HARM, outcomeWeight, type Outcome } from '../reputation';
import { argsOf, big, type Hex, type LoggedEvent } from './event';
import { closeReasonOf, type Job } from './job';
import type { Slot } from './slot';

export type WorkerClient = typeof workerClientTable.$inferSelect;

/**
 * Whether a dispute ruling went the worker's way: it was paid the whole price (before the fee).
 * Anything less means the arbiter sided, at least in part, with the client. A POOL job's worker
 * got its payout less the pool's fee: pass the pool fee in `workerPayout` too.
 */
export function disputeWon(workerPayout: bigint, fee: bigint, price: bigint): boolean {
  return workerPayout + fee >= price;
}

/** A settled outcome for a worker, with the client it was for. */
export type ClientOutcome = Outcome & { client: Hex };

/**
 * The outcome `event` settles for `worker`, or undefined when it settles none (a cancel, an expiry,
 * an arbiter's silence, a replica without a verdict, an event that closes nothing).
 *
 * @param job The job before the event (its client and price, and the pool fee paid just before a
 *   JobClosed: part of what the worker was paid).
 * @param slot For ReplicatedJobClosed: the worker's slot after the close (its verdict and slash).
 */
export function outcomeOf(
  event: LoggedEvent,
  worker: Hex,
  job: (Pick<Job, 'client' | 'price'> & Partial<Pick<Job, 'poolFeePaid'>>) | undefined,
  slot?: Pick<Slot, 'verdict' | 'slashed'>,
): ClientOutcome | undefined {
  if (!job) return undefined;
  const base = { client: job.client, price: job.price ?? 0n, self: job.client === worker };
  if (event.name === 'JobClosed') {
    const args = argsOf(event);
    const slash = big(args.slashed) > 0n ? HARM.slashed : 0;
    switch (closeReasonOf(event)) {
      case 'COMPLETED':
        return { ...base, success: true, harm: 0 };
      case 'RECLAIMED':
        return { ...base, success: false, harm: HARM.reclaimed + slash };
      case 'DISPUTE_RESOLVED':
        return disputeWon(big(args.workerPayout) + (job.poolFeePaid ?? 0n), big(args.fee), job.price ?? 0n)
          ? { ...base, success: true, harm: 0 }
          : { ...base, success: false, harm: HARM.disputeLost + slash };
      default:
        return undefined;
    }
  }
  if (event.name === 'ReplicatedJobClosed' && slot?.verdict) {
    const slash = (slot.slashed ?? 0n) > 0n ? HARM.slashed : 0;
    if (slot.verdict === 'AGREED') return { ...base, success: true, harm: 0 };
    return { ...base, success: false, harm: (slot.verdict === 'DISAGREED' ? HARM.disagreed : HARM.unrevealed) + slash };
  }
  return undefined;
}

/** The worker's record with the outcome's client after the outcome. */
export function applyOutcome(record: WorkerClient | undefined, worker: Hex, outcome: ClientOutcome, event: LoggedEvent): WorkerClient {
  const add = outcomeWeight(outcome);
  return {
    worker,
    client: outcome.client,
    outcomes: (record?.outcomes ?? 0) + 1,
    successWeight: (record?.successWeight ?? 0) + add.successWeight,
    failureWeight: (record?.failureWeight ?? 0) + add.failureWeight,
    updatedBlock: event.blockNumber,
  };
}
