/**
 * A job's state as a pure fold of its events, for both markets: single jobs here, replicated jobs in
 * replicatedJob.ts (and their slots in slot.ts). The indexing handlers call `applyJobEvent` on each
 * event as it comes; the API can answer "the job as of block N" with `foldJob` over the job's
 * `job_event` rows up to N. Same code, same input, same answer.
 */
import { closeReasonKeys, jobModeKeys } from '../../../abis/generated';
import type { job as jobTable } from '../../ponder.schema';
import { applyBidEvent, bidKeyOf, type Bid } from './bid';
import { postedJobRow } from './postedJob';
import { REPLICATED_JOB_EVENTS, replicatedPatchOf, replicatedPosted } from './replicatedJob';
import { applySlotEvent, closeSlots, slotKeyOf, type Slot } from './slot';
import {
  argsOf,
  big,
  hex,
  safeText,
  utcDay,
  type Hex,
  type LoggedEvent,
} from './event';

export type Job = typeof jobTable.$inferSelect;
export type JobStatus = Job['status'];
export type CloseReason = NonNullable<Job['closeReason']>;

/**
 * `CloseReason` of the contract, by its uint8 value, generated from the Solidity (abis/generated.ts);
 * 0 is None and never emitted. The indexer sits upstream of the SDK, so it reads the ABI directly.
 */
export const CLOSE_REASONS: readonly (CloseReason | undefined)[] = closeReasonKeys.map((k) => (k === 'NONE' ? undefined : k));

/** `JobMode` of the contract, by its uint8 value. */
export const JOB_MODES: readonly Job['mode'][] = jobModeKeys;

/** The close reason carried by a JobClosed event. */
export function closeReasonOf(event: LoggedEvent): CloseReason {
  const reason = CLOSE_REASONS[Number(argsOf(event).reason)];
  if (!reason) throw new Error(`JobClosed with unknown reason ${String(argsOf(event).reason)}`);
  return reason;
}

/** A single job's events (all of them carry `jobId`). */
export const SINGLE_JOB_EVENTS = new Set([
  'JobPosted',
  'BidPlaced',
  'BidWithdrawn',
  'JobAssigned',
  'ResultSubmitted',
  'JobDisputed',
  'EvidenceSubmitted',
  'JobClosed',
]);

/**
 * Events of either kind of job from elsewhere than its market's life cycle: the models it uses
 * (LoomModels' ModelsUsed, right after its posting), the pool a replicated job is restricted to
 * (ReplicatedJobPooled, right after its posting), the pool fee credited at its close (PoolFeePaid,
 * just before the close).
 */
export const JOB_MODEL_AND_POOL_EVENTS = new Set(['ModelsUsed', 'ReplicatedJobPooled', 'PoolFeePaid']);

/** Events that change a job, of either kind (all of them carry `jobId`). */
export const JOB_EVENTS = new Set([...SINGLE_JOB_EVENTS, ...REPLICATED_JOB_EVENTS, ...JOB_MODEL_AND_POOL_EVENTS]);

/** Events that create a job. */
const POSTED = new Set(['JobPosted', 'ReplicatedJobPosted']);

/** What a job event needs besides the job: the bid it is about, the job's slots after it. */
export type JobEventContext = {
  /** For BidPlaced, BidWithdrawn and JobAssigned: the event's worker's bid on this job before the event. */
  bid?: Pick<Bid, 'status'>;
  /** For ReplicatedJobClosed: the job's slots after the close (slot.ts `closeSlots`). */
  slots?: readonly Slot[];
  /**
   * For JobAssigned of a POOL job: the pool's fee at that moment, which the contract fixes for the
   * job and no job event carries (the indexer reads its pool's row; a fold of the job's events is
   * given the fee the job was assigned with, see `foldJob`).
   */
  poolFeeBps?: number | null;
};

/**
 * Price per GPU-hour in token units: what the job pays for one GPU for one hour if it uses the
 * minimum GPU count for the whole execution timeout. Null for CPU jobs (no GPU required).
 */
export function pricePerGpuHour(price: bigint, minGpuCount: number, executionTimeout: number): bigint | null {
  if (minGpuCount <= 0 || executionTimeout <= 0) return null;
  return (price * 3600n) / (BigInt(minGpuCount) * BigInt(executionTimeout));
}

/**
 * The job after `event`.
 *
 * @param job The job before the event; undefined before its JobPosted (ReplicatedJobPosted).
 * @param event One of JOB_EVENTS about this job; any other event returns `job` unchanged.
 * @param context What the event needs besides the job (see JobEventContext): the bid, whose status
 *   says whether `activeBids` changes; the slots of a closing replicated job.
 * @throws When an event other than a posting arrives for an unknown job.
 *
 * @example
 * let job = applyJobEvent(undefined, posted);   // status OPEN
 * job = applyJobEvent(job, assigned);           // status ASSIGNED, price, refund, pricePerGpuHour
 */
export function applyJobEvent(job: Job | undefined, event: LoggedEvent, context: JobEventContext = {}): Job {
  if (event.name === 'JobPosted') return posted(event);
  if (event.name === 'ReplicatedJobPosted') return replicatedPosted(event);
  if (!job) throw new Error(`${event.name} for unknown job ${String(argsOf(event).jobId)}`);
  if (!JOB_EVENTS.has(event.name)) return job;
  return { ...job, ...jobPatchOf(job, event, context) };
}

/**
 * The columns of an existing job that `event` changes, and their new values: `applyJobEvent` is
 * `{ ...job, ...jobPatchOf(job, event, context) }` for every event but a posting. The indexer writes
 * only this patch (a job row is wide, and its `specJson` makes every whole-row copy a deep one).
 *
 * @param job The job before the event (only its counters, `minGpuCount`, `executionTimeout`,
 *   `slotWorkers` and `status` are read).
 * @param event One of JOB_EVENTS other than a posting; any other event gives an empty patch.
 */
export function jobPatchOf(
  job: Pick<
    Job,
    'activeBids' | 'minGpuCount' | 'executionTimeout' | 'replicas' | 'filled' | 'committed' | 'revealed' | 'slotWorkers' | 'status' | 'mode' | 'poolFeePaid'
  >,
  event: LoggedEvent,
  context: JobEventContext = {},
): Partial<Job> {
  if (POSTED.has(event.name) || !JOB_EVENTS.has(event.name)) return {};
  if (REPLICATED_JOB_EVENTS.has(event.name)) return replicatedPatchOf(job, event, context.slots);
  const { bid } = context;
  const args = argsOf(event);
  const next: Partial<Job> = { updatedAt: event.timestamp, updatedBlock: event.blockNumber };
  switch (event.name) {
    case 'ModelsUsed':
      next.modelIds = (args.modelIds as unknown[]).map(Number);
      break;
    case 'ReplicatedJobPooled':
      next.pool = big(args.pool);
      break;
    case 'PoolFeePaid':
      // A replicated job pays one per paid member of the quorum.
      next.poolFeePaid = (job.poolFeePaid ?? 0n) + big(args.amount);
      break;
    case 'BidPlaced':
      if (bid?.status !== 'ACTIVE') next.activeBids = job.activeBids + 1;
      break;
    case 'BidWithdrawn':
      if (bid?.status === 'ACTIVE') next.activeBids = job.activeBids - 1;
      break;
    case 'JobAssigned': {
      if (bid?.status === 'ACTIVE') next.activeBids = job.activeBids - 1;
      const price = big(args.price);
      next.status = 'ASSIGNED';
      next.worker = hex(args.worker);
      next.price = price;
      next.refund = big(args.refund);
      next.pricePerGpuHour = pricePerGpuHour(price, job.minGpuCount, job.executionTimeout);
      next.executionDeadline = big(args.executionDeadline);
      next.assignedAt = event.timestamp;
      next.assignedDay = utcDay(event.timestamp);
      if (job.mode === 'POOL') next.poolFeeBps = context.poolFeeBps ?? null;
      break;
    }
    case 'ResultSubmitted':
      next.status = 'SUBMITTED';
      next.resultHash = hex(args.resultHash);
      next.resultURI = safeText(args.resultURI);
      next.challengeDeadline = big(args.challengeDeadline);
      next.submittedAt = event.timestamp;
      break;
    case 'JobDisputed':
      next.status = 'DISPUTED';
      next.disputeReason = safeText(args.reason);
      next.arbitrationDeadline = big(args.arbitrationDeadline);
      break;
    case 'JobClosed':
      next.status = 'CLOSED';
      next.closeReason = closeReasonOf(event);
      next.workerPayout = big(args.workerPayout);
      next.fee = big(args.fee);
      next.clientRefund = big(args.clientRefund);
      next.slashed = big(args.slashed);
      next.closedAt = event.timestamp;
      break;
    // EvidenceSubmitted: the evidence lives in the event log; the job only records the activity.
  }
  return next;
}

function posted(event: LoggedEvent): Job {
  const t = argsOf(event).terms;
  const mode = JOB_MODES[Number(t.mode)]!;
  const offeredTo = hex(t.offeredTo);
  return {
    ...postedJobRow(event),
    kind: 'SINGLE',
    arbiter: hex(t.arbiter),
    budget: big(t.budget),
    mode,
    offeredTo,
    // A POOL job names its pool in `offeredTo`: address(uint160(poolId)).
    pool: mode === 'POOL' ? BigInt(offeredTo) : null,
    executionTimeout: Number(t.executionTimeout),
    challengeWindow: Number(t.challengeWindow),
    replicas: null,
    quorum: null,
    commitWindow: null,
    revealWindow: null,
    price: null,
    filled: null,
    committed: null,
    revealed: null,
    commitDeadline: null,
    revealDeadline: null,
  };
}

/**
 * A job, its bids and its slots after a sequence of its events (chain order), e.g. its `job_event`
 * rows up to some block. Gives exactly what the indexer's `job`, `bid` and `job_slot` rows held at
 * that point.
 *
 * @param known What no event of the job carries: a POOL job's `poolFeeBps` (its pool's fee when it
 *   was assigned, fixed from then on: the job's current row holds it). Without it a folded POOL job
 *   that reached assignment has `poolFeeBps` null.
 *
 * @example
 * const rows = await db.select().from(jobEvent)
 *   .where(and(eq(jobEvent.jobId, id), lte(jobEvent.blockNumber, atBlock))).orderBy(jobEvent.id);
 * const { job, bids, slots } = foldJob(rows);
 */
export function foldJob(
  events: readonly LoggedEvent[],
  known: Pick<JobEventContext, 'poolFeeBps'> = {},
): { job: Job | undefined; bids: Bid[]; slots: Slot[] } {
  let job: Job | undefined;
  const bids = new Map<Hex, Bid>();
  let slots = new Map<number, Slot>();
  for (const event of events) {
    if (!JOB_EVENTS.has(event.name)) continue;
    if (!job && !POSTED.has(event.name)) continue;
    const bidKey = bidKeyOf(event);
    const bid = bidKey && bids.get(bidKey.worker);
    const slotKey = slotKeyOf(event);
    if (slotKey) {
      const slot = applySlotEvent(slots.get(slotKey.slot), event, job?.revealed ?? 0);
      if (slot) slots.set(slotKey.slot, slot);
    }
    if (event.name === 'ReplicatedJobClosed') slots = new Map(closeSlots([...slots.values()], event).map((s) => [s.slot, s]));
    job = applyJobEvent(job, event, { bid, slots: [...slots.values()], poolFeeBps: known.poolFeeBps });
    if (bidKey) {
      const nextBid = applyBidEvent(bid, event);
      if (nextBid) bids.set(bidKey.worker, nextBid);
    }
  }
  return { job, bids: [...bids.values()], slots: [...slots.values()].sort((a, b) => a.slot - b.slot) };
}
