/**
 * What resolvers share: the read-only database, the indexer's tables, per-request loaders, the
 * indexer's pure job fold (for time travel) and the change feed.
 */
import type { ChangeFeed } from './feed/changeFeed';
import type { QueueStats } from './feed/pushQueue';
import type { Loaders } from './data/loaders';
import type { PresenceStore } from './presence/presenceStore';
import type { Db, JobFold, Tables } from './data/tables';

/** What yoga gives every resolver. */
export type Context = {
  db: Db;
  tables: Tables;
  loaders: Loaders;
  foldJob: JobFold | undefined;
  /** Expensive computations in progress, shared by identical concurrent requests (server-wide). */
  inFlight: Map<string, Promise<unknown>>;
  requestId: string;
  /** The process's change feed, for subscriptions (absent: subscriptions answer UNAVAILABLE). */
  feed?: ChangeFeed;
  /** Bounds of each subscriber (feed/subscriptions.ts: SubscriptionLimits; default defaultSubscriptionLimits). */
  subscriptionLimits?: { maxQueued: number; backfillPage: number };
  /** The API's counters of queued items, shared by every subscriber's queue. */
  queueStats?: QueueStats;
  /** Which workers are online (heartbeats; the API's memory, not chain state). */
  presence: PresenceStore;
  /** Called when this request's subscription is ended for falling too far behind (its connection then gets a grace period). */
  onSlowClient?: () => void;
};
