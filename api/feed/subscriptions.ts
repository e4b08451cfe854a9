/**
 * The subscriptions' streams: `jobEvents` (the event log, resumable, with reorg retractions) and
 * `jobUpdated` (jobs' new states), both fed by the process's one change feed (api/feed/changeFeed.ts).
 *
 * A `jobEvents` subscriber's position is an event id: it holds the log up to its position (as the
 * feed delivered it, filtered). Starting:
 *   1. its cursor is checked: still on the chain (the feed's window, or the database below it), or
 *      removed by a reorg the feed saw (then the feed's reorg log says what to retract and where the
 *      canonical history resumes), or unknown (INVALID_CURSOR);
 *   2. reorgs the feed saw since are applied to its position (retractions);
 *   3. the final part of the log (below the feed's window: it cannot change) is read from the
 *      database in pages, with the subscriber's filter, as fast as the client takes it;
 *   4. in one synchronous step: the window's events after its position, then the feed's batches.
 * Every batch then retracts what the subscriber holds beyond the fork (newest first), and adds what
 * is beyond its position: cursor comparison, so backfill and live delivery neither overlap nor gap.
 */
import { createGraphQLError, type Plugin } from 'graphql-yoga';
import { and, asc, eq, gt, lt } from 'ponder';
import type { ChangeFeed, FeedBatch, JobChange } from './changeFeed';
import { positionBefore } from './changeFeed';
import type { Context, JobEventRow, JobRow } from '../context';
import { ApiError } from '../graphql/errors';
import { boundedList, gpuModelBytes, nonNegativeInt, ZERO_BYTES32 } from '../graphql/checkArgs';
import { decodeCursor, encodeCursor, keyPattern } from '../data/pagination';
import { type JobEventFilter, jobEventFilterCondition } from '../graphql/resolvers/jobEvents';
import { type JobFilter, jobFilterCondition } from '../graphql/resolvers/jobs';
import { parseJobId } from '../graphql/scalars';

/** One item of a `jobEvents` stream. */
export type JobEventPayload =
  | { kind: 'event'; row: JobEventRow }
  | { kind: 'retracted'; row: JobEventRow }
  | { kind: 'error'; error: unknown };

/** One item of a `jobUpdated` stream. */
export type JobUpdatePayload = { kind: 'job'; change: JobChange; head: bigint } | { kind: 'error'; error: unknown };

export type SubscriptionLimits = {
  /** Items waiting for a slow client before its subscription ends (it resumes with its cursor). */
  maxQueued: number;
  /** Rows per backfill query. */
  backfillPage: number;
};

export const defaultSubscriptionLimits: SubscriptionLimits = { maxQueued: 10_000, backfillPage: 500 };

// ---- cursors ----

/** The cursor of a retraction: resume after having dropped this event (and what followed it). */
export const retractionCursor = (row: Pick<JobEventRow, 'id' | 'blockHash'>) => encodeCursor('eventRetracted', [row.id, row.blockHash]);

export type SubscriptionCursor = { id: string; blockHash?: string; retracted: boolean };

/** An event cursor (with or without its block hash) or a retraction cursor; INVALID_CURSOR otherwise. */
export function decodeSubscriptionCursor(cursor: string): SubscriptionCursor {
  const attempts: [string, RegExp[], (k: string[]) => SubscriptionCursor][] = [
    ['event', [keyPattern.eventId, keyPattern.bytes32], ([id, blockHash]) => ({ id: id!, blockHash, retracted: false })],
    ['event', [keyPattern.eventId], ([id]) => ({ id: id!, retracted: false })],
    ['eventRetracted', [keyPattern.eventId, keyPattern.bytes32], ([id, blockHash]) => ({ id: id!, blockHash, retracted: true })],
  ];
  for (const [order, patterns, make] of attempts) {
    try {
      return make(decodeCursor(cursor, order, patterns));
    } catch {}
  }
  throw new ApiError('INVALID_CURSOR', 'after is not a cursor issued for this list and order');
}

// ---- filters, in memory (the same rules as the queries' SQL conditions) ----

/** A JobEventFilter as a predicate on rows (validated like the query's). */
export function jobEventMatcher(filter: JobEventFilter | null | undefined): (row: JobEventRow) => boolean {
  if (!filter) return () => true;
  const jobId = filter.jobId != null ? parseJobId(filter.jobId) : undefined;
  const account = filter.account ? filter.account.toLowerCase() : undefined;
  const names = filter.names ? new Set(filter.names) : undefined;
  const { fromBlock, toBlock } = filter;
  return (r) =>
    (jobId === undefined || r.jobId === jobId) &&
    (account === undefined || r.account === account) &&
    (names === undefined || names.has(r.name)) &&
    (fromBlock == null || r.blockNumber >= fromBlock) &&
    (toBlock == null || r.blockNumber <= toBlock);
}

/** A JobFilter as a predicate on job rows (api/resolvers/jobs.ts `jobFilterCondition`, in memory). */
export function jobMatcher(filter: JobFilter | null | undefined): (row: JobRow) => boolean {
  if (!filter) return () => true;
  const status = boundedList('status', filter.status, 5);
  const fitsGpuCount = nonNegativeInt('fitsGpuCount', filter.fitsGpuCount);
  const fitsVramMiB = nonNegativeInt('fitsVramMiB', filter.fitsVramMiB);
  const model = filter.fitsGpuModel != null ? gpuModelBytes(filter.fitsGpuModel) : undefined;
  const lower = (a: string | null | undefined) => (a ? a.toLowerCase() : undefined);
  const client = lower(filter.client);
  const worker = lower(filter.worker);
  const token = lower(filter.token);
  const arbiter = lower(filter.arbiter);
  return (j) =>
    (!status || status.includes(j.status)) &&
    (client === undefined || j.client === client) &&
    (worker === undefined || j.worker === worker) &&
    (token === undefined || j.token === token) &&
    (arbiter === undefined || j.arbiter === arbiter) &&
    (!filter.mode || j.mode === filter.mode) &&
    (fitsGpuCount === undefined || j.minGpuCount <= fitsGpuCount) &&
    (fitsVramMiB === undefined || Number(j.minVramMiB) <= fitsVramMiB) &&
    (model === undefined || j.gpuModelRaw === ZERO_BYTES32 || j.gpuModelRaw === model) &&
    (filter.maxCollateral == null || j.collateral <= filter.maxCollateral) &&
    (filter.openAfter == null || j.openUntil >= filter.openAfter) &&
    (filter.minPrice == null || (j.price ?? j.budget) >= filter.minPrice) &&
    (filter.maxPrice == null || (j.price ?? j.budget) <= filter.maxPrice);
}

// ---- the queue between the feed and one client ----

/**
 * A push queue consumed as an async iterator (yoga reads it and writes SSE events). `return()` (the
 * client went away) ends it at once, even while a `next()` waits, and runs the cleanup.
 */
export class PushQueue<T> implements AsyncIterableIterator<T> {
  private readonly items: T[] = [];
  private waiting: ((result: IteratorResult<T>) => void) | null = null;
  private ending = false;
  private finished = false;
  private readonly cleanups: (() => void)[] = [];
  private drainWaiters: { below: number; resolve: () => void }[] = [];

  constructor(private readonly maxItems: number, private readonly overflow: () => T) {}

  get closed(): boolean {
    return this.finished || this.ending;
  }

  get size(): number {
    return this.items.length;
  }

  /** Runs `fn` when the stream ends (or at once if it has). */
  onClose(fn: () => void): void {
    if (this.finished) fn();
    else this.cleanups.push(fn);
  }

  push(item: T): void {
    if (this.closed) return;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = null;
      resolve({ value: item, done: false });
      return;
    }
    this.items.push(item);
    if (this.items.length > this.maxItems) {
      this.items.length = 0;
      this.fail(this.overflow());
    }
  }

  /** Delivers `item` after what is queued, then ends. */
  fail(item: T): void {
    if (this.closed) return;
    this.push(item);
    this.ending = true;
    this.runCleanups();
  }

  /** Resolves once fewer than `below` items wait (backfill goes at the client's pace). */
  whenBelow(below: number): Promise<void> {
    if (this.items.length < below || this.closed) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push({ below, resolve }));
  }

  next(): Promise<IteratorResult<T>> {
    if (this.items.length > 0) {
      const value = this.items.shift()!;
      this.releaseDrainWaiters();
      return Promise.resolve({ value, done: false });
    }
    if (this.closed) {
      this.finish();
      return Promise.resolve({ value: undefined, done: true });
    }
    return new Promise((resolve) => {
      this.waiting = resolve;
    });
  }

  return(): Promise<IteratorResult<T>> {
    this.items.length = 0;
    this.finish();
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(error?: unknown): Promise<IteratorResult<T>> {
    this.return();
    return Promise.reject(error);
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }

  private finish() {
    if (this.finished) return;
    this.ending = true;
    this.finished = true;
    const waiting = this.waiting;
    this.waiting = null;
    waiting?.({ value: undefined, done: true });
    this.runCleanups();
    for (const w of this.drainWaiters) w.resolve();
    this.drainWaiters = [];
  }

  private runCleanups() {
    for (const fn of this.cleanups.splice(0)) {
      try {
        fn();
      } catch {}
    }
  }

  private releaseDrainWaiters() {
    if (this.drainWaiters.length === 0) return;
    const still: typeof this.drainWaiters = [];
    for (const w of this.drainWaiters) (this.items.length < w.below ? w.resolve() : still.push(w));
    this.drainWaiters = still;
  }
}

const slowClient = () =>
  new ApiError('UNAVAILABLE', 'The subscription fell too far behind and was ended; resubscribe with the last cursor received');

/** The feed, started (UNAVAILABLE when there is none). */
async function readyFeed(ctx: Context): Promise<ChangeFeed> {
  if (!ctx.feed) throw new ApiError('UNAVAILABLE', 'Subscriptions are not available on this server');
  await ctx.feed.start();
  return ctx.feed;
}

// ---- jobEvents ----

type Start = { after: string; seq: number };

/** Where a subscriber starts: its position and the last feed batch its position accounts for. */
async function resolveStart(ctx: Context, feed: ChangeFeed, cursor: SubscriptionCursor | undefined): Promise<Start> {
  if (!cursor) return { after: feed.lastId, seq: feed.seq };
  // A query cursor without block hash cannot be checked: taken as on the chain.
  if (!cursor.blockHash) return { after: cursor.id, seq: feed.seq };
  if (!cursor.retracted) {
    if (cursor.id >= feed.windowStartId) {
      if (feed.windowHas(cursor.id, cursor.blockHash)) return { after: cursor.id, seq: feed.seq };
    } else {
      const { jobEvent } = ctx.tables;
      const [row] = await ctx.db.select({ blockHash: jobEvent.blockHash }).from(jobEvent).where(eq(jobEvent.id, cursor.id));
      // Below the window nothing changes any more: this check holds whatever the feed does meanwhile.
      if (row?.blockHash === cursor.blockHash) return { after: cursor.id, seq: feed.seq };
    }
  }
  // The cursor's event was removed by a reorg: the feed's log says what else was.
  const batch = feed.findRetraction(cursor.id, cursor.blockHash);
  if (!batch) {
    throw new ApiError(
      'INVALID_CURSOR',
      'after points at an event that is no longer on the chain, removed by a reorganization this server did not see; start again from a cursor of Query.jobEvents',
    );
  }
  return { after: cursor.retracted ? positionBefore(cursor.id) : cursor.id, seq: batch.seq - 1 };
}

/**
 * Subscription.jobEvents: validates, checks the cursor, and returns the stream (which backfills,
 * then follows the feed).
 */
export async function subscribeJobEvents(
  ctx: Context,
  args: { after?: string | null; filter?: JobEventFilter | null },
  limits: SubscriptionLimits = defaultSubscriptionLimits,
): Promise<AsyncIterableIterator<JobEventPayload>> {
  const where = jobEventFilterCondition(ctx.tables, args.filter);
  const matches = jobEventMatcher(args.filter);
  const cursor = args.after != null ? decodeSubscriptionCursor(args.after) : undefined;
  const feed = await readyFeed(ctx);
  // The feed then reflects at least what the client saw when it got its cursor.
  await feed.sync();
  const start = await resolveStart(ctx, feed, cursor);

  const queue = new PushQueue<JobEventPayload>(limits.maxQueued, () => ({ kind: 'error', error: slowClient() }));
  let after = start.after;

  /** A batch's reorg: retract what the subscriber holds beyond the fork, newest first. */
  const retract = (batch: FeedBatch) => {
    if (batch.forkPos === null || after <= batch.forkPos) return;
    for (const row of batch.retracted) if (row.id <= after && matches(row)) queue.push({ kind: 'retracted', row });
    after = batch.forkPos;
  };

  const run = async () => {
    const { jobEvent } = ctx.tables;
    let seq = start.seq;
    for (;;) {
      if (queue.closed) return;
      for (const batch of feed.reorgsAfter(seq)) retract(batch);
      seq = feed.seq;
      if (after < positionBefore(feed.windowStartId)) {
        // Final history, from the database, at the client's pace.
        await queue.whenBelow(limits.backfillPage);
        const bound = feed.windowStartId;
        const rows = await ctx.db
          .select()
          .from(jobEvent)
          .where(and(where, gt(jobEvent.id, after), lt(jobEvent.id, bound)))
          .orderBy(asc(jobEvent.id))
          .limit(limits.backfillPage);
        for (const row of rows) queue.push({ kind: 'event', row });
        after = rows.length === limits.backfillPage ? rows.at(-1)!.id : positionBefore(bound);
        continue;
      }
      // The window, then live: one synchronous step.
      for (const row of feed.known) if (row.id > after && matches(row)) queue.push({ kind: 'event', row });
      if (feed.lastId > after) after = feed.lastId;
      const unlisten = feed.listen((batch) => {
        retract(batch);
        for (const row of batch.added) if (row.id > after && matches(row)) queue.push({ kind: 'event', row });
        if (batch.lastId > after) after = batch.lastId;
      });
      queue.onClose(unlisten);
      return;
    }
  };
  run().catch((error) => {
    const lost = error instanceof Error && error.message === 'reorg log overflow';
    queue.fail({ kind: 'error', error: lost ? slowClient() : error });
  });
  return queue;
}

// ---- jobUpdated ----

/** Subscription.jobUpdated: the feed's job changes that match, from now on. */
export async function subscribeJobUpdates(
  ctx: Context,
  args: { ids?: readonly string[] | null; filter?: JobFilter | null },
  limits: SubscriptionLimits = defaultSubscriptionLimits,
): Promise<AsyncIterableIterator<JobUpdatePayload>> {
  jobFilterCondition(ctx.tables, args.filter); // the query's validation
  const matches = jobMatcher(args.filter);
  const list = boundedList('ids', args.ids, 100);
  const ids = list ? new Set(list.map((id) => parseJobId(id))) : undefined;
  const feed = await readyFeed(ctx);

  const queue = new PushQueue<JobUpdatePayload>(limits.maxQueued, () => ({ kind: 'error', error: slowClient() }));
  const wanted = (change: JobChange) => {
    if (ids && !ids.has(change.jobId)) return false;
    if (!args.filter) return true;
    return (change.after !== null && matches(change.after)) || (change.before != null && matches(change.before));
  };
  const unlisten = feed.listen(
    (batch) => {
      for (const change of batch.jobs) if (wanted(change)) queue.push({ kind: 'job', change, head: batch.head });
    },
    { jobs: true },
  );
  queue.onClose(unlisten);
  return queue;
}

// ---- transport ----

/** Whether an Accept header lets yoga answer with Server-Sent Events. */
export function acceptsEventStream(accept: string | null | undefined): boolean {
  if (!accept) return true;
  return accept.split(',').some((part) => {
    const type = part.split(';')[0]!.trim().toLowerCase();
    return type === 'text/event-stream' || type === 'text/*' || type === '*/*';
  });
}

/**
 * Refuses a subscription that cannot be streamed back (the client does not accept
 * text/event-stream) BEFORE it starts: yoga would otherwise subscribe, then answer a bare 406 and
 * never end the stream it opened.
 */
export function useSubscriptionTransport(): Plugin {
  return {
    onSubscribe({ args, setResultAndStopExecution }) {
      const request = (args.contextValue as { request?: Request }).request;
      if (acceptsEventStream(request?.headers.get('accept'))) return;
      setResultAndStopExecution({
        errors: [
          createGraphQLError('Subscriptions are served as Server-Sent Events: send Accept: text/event-stream', {
            extensions: { code: 'BAD_REQUEST', http: { status: 406 } },
          }),
        ],
      });
    },
  };
}
