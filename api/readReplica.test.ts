/**
 * `ponder serve` on a read replica, as the deployment guide (README, "Deploying") lays it out: one
 * `ponder start` indexes into the primary, a serve process reads a hot standby of it (streaming
 * replication, testkit/postgres.ts `standbyOf`) and listens for the indexer's notifications on the
 * primary (LOOM_NOTIFY_DATABASE_URL), since a standby refuses LISTEN.
 *
 * - The replica's API answers queries with what the indexer wrote to the primary.
 * - Its subscriptions deliver a new event, driven by the primary's notifications.
 * - Without the notify URL, the replica's LISTEN fails (and the feed is left to its safety poll):
 *   what the variable is for.
 */
import { parseEther } from 'viem';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import pg from 'pg';
import { createLoomReader } from '../sdk/reads';
import { JobEventsSubscription } from '../sdk/documents';
import { type Stack, startStack } from '../testkit/stack';
import { gql, type Indexer, startIndexer } from '../testkit/indexer';
import { startPostgres, type PrivatePostgres } from '../testkit/postgres';
import { waitFor } from '../testkit/waitFor';

let primary: PrivatePostgres;
let standby: PrivatePostgres;
let m: Stack;
let replica: Indexer;

/** The same database on the standby's port. */
const onStandby = (url: string) => {
  const u = new URL(url);
  u.port = String(standby.port);
  return u.toString();
};

beforeAll(async () => {
  primary = await startPostgres();
  standby = await startPostgres({ standbyOf: primary });
  m = await startStack({
    name: 'read_replica',
    indexer: { postgres: primary.url },
    jobDefaults: { budget: parseEther('0.01'), collateral: 0n, executionTimeout: 3600, challengeWindow: 600, minGpuCount: 0, minVramMiB: 0 },
  });
  await m.post({ spec: 'first' });
  await m.synced();
  replica = await startIndexer(m, {
    schema: 'read_replica',
    databaseUrl: onStandby(m.ponder.databaseUrl!),
    mode: 'serve',
    guard: false,
    env: { LOOM_NOTIFY_DATABASE_URL: m.ponder.databaseUrl! },
  });
}, 240_000);

afterAll(async () => {
  await replica?.stop();
  await m?.stop();
});

describe('ponder serve on a read replica', () => {
  test('default: the replica is a standby, and its API answers with what the indexer wrote to the primary', async () => {
    const c = new pg.Client({ connectionString: onStandby(m.ponder.databaseUrl!) });
    await c.connect();
    try {
      expect((await c.query('select pg_is_in_recovery() as r')).rows[0].r).toBe(true);
    } finally {
      await c.end();
    }
    const count = async (url: string) => (await gql({ url } as Indexer, '{ jobs(first: 1) { totalCount } }')).jobs.totalCount as number;
    const onPrimary = await count(m.ponder.url);
    expect(onPrimary).toBe(1);
    await waitFor('the replica to show the indexed job', async () => (await count(replica.url)) === onPrimary, 30_000, 100);
  });

  test('behavior: a subscription on the replica delivers a new event, on the primary’s notifications', async () => {
    const reader = createLoomReader({ url: replica.url });
    const stream = reader.subscribe(JobEventsSubscription, { filter: { names: ['JobPosted'] } });
    try {
      const iterator = stream[Symbol.asyncIterator]();
      const posted = await m.post({ spec: 'second' });
      // The stream starts after the newest event at subscription: the next JobPosted is the new job's.
      let next = await iterator.next();
      while (!next.done && next.value.jobEvents.event.jobId !== posted.id) next = await iterator.next();
      expect(next.done).toBe(false);
      expect(next.value!.jobEvents.event).toMatchObject({ name: 'JobPosted', jobId: posted.id });
    } finally {
      stream.close();
    }
    expect(replica.logs()).not.toMatch(/cannot execute LISTEN during recovery/);
  });

  test('behavior: without LOOM_NOTIFY_DATABASE_URL, the replica cannot LISTEN', async () => {
    const bare = await startIndexer(m, { schema: 'read_replica', databaseUrl: onStandby(m.ponder.databaseUrl!), mode: 'serve', guard: false });
    try {
      // The feed starts with the API (inside Ponder) and tries to LISTEN at once.
      await waitFor('the LISTEN failure in the log', () => /notification connection lost/.test(bare.logs()), 30_000, 100);
      expect(standby.logs()).toMatch(/cannot execute LISTEN during recovery/);
    } finally {
      await bare.stop();
    }
  });
});
