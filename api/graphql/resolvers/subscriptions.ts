/**
 * Subscription.jobEvents and Subscription.jobUpdated (streams in api/feed/subscriptions.ts), and the
 * JobEventDelivery and JobUpdate types.
 *
 * Each delivered item is executed like a query's result: nested fields (an event's job, a job's bids
 * and assignee) read the database through loaders. A subscription's context lives as long as the
 * subscription, so every item gets fresh loaders: a later item never shows an earlier item's rows.
 */
import type { Context } from '../../context';
import type { JobNode } from '../../data/tables';
import { eventCursor, retractionCursor } from '../../data/eventCursors';
import type { JobEventFilter, JobFilter } from '../../data/filters';
import { lazyLoaders } from '../../data/loaders';
import { type JobEventPayload, type JobUpdatePayload, subscribeJobEvents, subscribeJobUpdates } from '../../feed/subscriptions';

type Delivered<P> = Exclude<P, { kind: 'error' }>;

/** The item as resolvers see it; an error item ends the stream with that error. */
function deliver<P extends { kind: string }>(payload: P, ctx: Context): Delivered<P> {
  if (payload.kind === 'error') throw (payload as unknown as { error: unknown }).error;
  ctx.loaders = lazyLoaders(ctx.db, ctx.tables);
  return payload as Delivered<P>;
}

type EventDelivery = Delivered<JobEventPayload>;
type JobUpdate = Delivered<JobUpdatePayload>;

export const subscriptionResolvers = {
  Subscription: {
    jobEvents: {
      subscribe: (_: unknown, args: { after?: string | null; filter?: JobEventFilter | null }, ctx: Context) =>
        subscribeJobEvents(ctx, args),
      resolve: (payload: JobEventPayload, _: unknown, ctx: Context) => deliver(payload, ctx),
    },
    jobUpdated: {
      subscribe: (_: unknown, args: { ids?: string[] | null; filter?: JobFilter | null }, ctx: Context) => subscribeJobUpdates(ctx, args),
      resolve: (payload: JobUpdatePayload, _: unknown, ctx: Context) => deliver(payload, ctx),
    },
  },

  JobEventDelivery: {
    retracted: (d: EventDelivery) => d.kind === 'retracted',
    event: (d: EventDelivery) => d.row,
    cursor: (d: EventDelivery) => (d.kind === 'retracted' ? retractionCursor(d.row) : eventCursor(d.row)),
  },

  JobUpdate: {
    jobId: (u: JobUpdate) => u.change.jobId,
    job: (u: JobUpdate): JobNode | null => u.change.after,
    retracted: (u: JobUpdate) => u.change.retracted,
    headBlock: (u: JobUpdate) => u.head,
  },
};
