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
import { and, asc, eq, gt, lt } from 'ponder';
import type { Context } from '../context';
import type { JobEventRow } from '../data/tables';
import { decodeSubscriptionCursor, type SubscriptionCursor } from '../data/eventCursors';
import { readIndexingStatus } from '../data/indexingStatus';
import { type JobEventFilter, jobEventFilterCondition, jobEventMatcher, type JobFilter, jobMatcher, takerPoolOf } from '../data/filters';
import { boundedList } from '../graphql/checkArgs';
import { ApiError } from '../graphql/errors';
import { parseJobId } from '../graphql/scalars';
import { blockOfId, type ChangeFeed, type FeedBatch, type JobChange, positionBefore } from './changeFeed';
import { PushQueue } from './pushQueue';

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

// The same item object for every subscriber the feed hands a row or change to: the API executes and
// serializes a subscription's result once per item (api/graphql/sharedSubscriptionResults.ts).
const eventItems = new WeakMap<JobEventRow, JobEventPayload>();
const retractedItems = new WeakMap<JobEventRow, JobEventPayload>();
const jobItems = new WeakMap<JobChange, JobUpdatePayload>();

function sharedItem<K extends object, V>(items: WeakMap<K, V>, key: K, make: () => V): V {
  let item = items.get(key);
  if (!item) items.set(key, (item = make()));
  return item;
}
const eventItem = (row: JobEventRow) => sharedItem(eventItems, row, () => ({ kind: 'event' as const, row }));
const retractedItem = (row: JobEventRow) => sharedItem(retractedItems, row, () => ({ kind: 'retracted' as const, row }));
const jobItem = (change: JobChange, head: bigint) => sharedItem(jobItems, change, () => ({ kind: 'job' as const, change, head }));

const slowClient = () =>
  new ApiError('UNAVAILABLE', 'The subscription fell too far behind and was ended; resubscribe with the last cursor received');

/** A subscriber's queue: bounded by `limits.maxQueued`, counted in the API's gauge, its overflow reported. */
function subscriberQueue<T>(ctx: Context, limits: SubscriptionLimits, error: (error: unknown) => T): PushQueue<T> {
  return new PushQueue<T>(limits.maxQueued, () => error(slowClient()), { stats: ctx.queueStats, onOverflow: ctx.onSlowClient });
}

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
    // Beyond this server's latest indexed block, or while it (re)indexes, the cursor's event may
    // well be on the chain: this server is behind, not reorganized. An indexer restarted after a
    // crash rolls its unfinalized blocks back and indexes them again (Ponder's checkpoint still
    // names the old head until then, and it is not ready meanwhile); a replica lags. Retry with the
    // same cursor, rather than start over from now.
    const block = blockOfId(cursor.id);
    if (feed.head === null || block > feed.head || !(await readIndexingStatus(ctx.db)).ready) {
      throw new ApiError(
        'UNAVAILABLE',
        `this server has not indexed the block of the cursor (${block}) yet; retry with the same cursor`,
      );
    }
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
  limits: SubscriptionLimits = ctx.subscriptionLimits ?? defaultSubscriptionLimits,
): Promise<AsyncIterableIterator<JobEventPayload>> {
  const where = jobEventFilterCondition(ctx.tables, args.filter);
  const matches = jobEventMatcher(args.filter);
  const cursor = args.after != null ? decodeSubscriptionCursor(args.after) : undefined;
  const feed = await readyFeed(ctx);
  // The feed then reflects at least what the client saw when it got its cursor.
  await feed.sync();
  const start = await resolveStart(ctx, feed, cursor);

  const queue = subscriberQueue<JobEventPayload>(ctx, limits, (error) => ({ kind: 'error', error }));
  let after = start.after;

  /** A batch's reorg: retract what the subscriber holds beyond the fork, newest first. */
  const retract = (batch: FeedBatch) => {
    if (batch.forkPos === null || after <= batch.forkPos) return;
    for (const row of batch.retracted) if (row.id <= after && matches(row)) queue.push(retractedItem(row));
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
        for (const row of rows) queue.push(eventItem(row));
        after = rows.length === limits.backfillPage ? rows.at(-1)!.id : positionBefore(bound);
        continue;
      }
      // The window, then live: one synchronous step.
      for (const row of feed.known) if (row.id > after && matches(row)) queue.push(eventItem(row));
      if (feed.lastId > after) after = feed.lastId;
      const unlisten = feed.listen((batch) => {
        retract(batch);
        for (const row of batch.added) if (row.id > after && matches(row)) queue.push(eventItem(row));
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
  limits: SubscriptionLimits = ctx.subscriptionLimits ?? defaultSubscriptionLimits,
): Promise<AsyncIterableIterator<JobUpdatePayload>> {
  let matches = jobMatcher(args.filter); // checks the filter as the query does
  const list = boundedList('ids', args.ids, 100);
  const ids = list ? new Set(list.map((id) => parseJobId(id))) : undefined;
  // `takableBy` depends on the pool the worker is a member of, which registry events change: it is
  // read again before each batch is matched (batches stay in order: each waits for the one before).
  const taker = args.filter?.takableBy ?? undefined;
  const readTakerPool = async () => {
    if (taker) matches = jobMatcher(args.filter, await takerPoolOf(ctx.db, ctx.tables, taker));
  };
  await readTakerPool();
  const feed = await readyFeed(ctx);

  const queue = subscriberQueue<JobUpdatePayload>(ctx, limits, (error) => ({ kind: 'error', error }));
  const wanted = (change: JobChange) => {
    if (ids && !ids.has(change.jobId)) return false;
    if (!args.filter) return true;
    return (change.after !== null && matches(change.after)) || (change.before != null && matches(change.before));
  };
  const deliver = (batch: FeedBatch) => {
    for (const change of batch.jobs) if (wanted(change)) queue.push(jobItem(change, batch.head));
  };
  let previous = Promise.resolve();
  const unlisten = feed.listen(
    (batch) => {
      if (!taker) return deliver(batch);
      previous = previous.then(readTakerPool).then(
        () => deliver(batch),
        (error: unknown) => queue.push({ kind: 'error', error }),
      );
    },
    { jobs: true },
  );
  queue.onClose(unlisten);
  return queue;
}

//END
