/**
 * Subscriptions end to end: a real anvil with the contracts, a real Ponder serving the API, and
 * graphql-sse clients (the client urql's subscriptionExchange runs) subscribing over HTTP while a
 * random lifecycle workload (seeded) is mined.
 *
 * - PGlite (`ponder start`): every event arrives once, in chain order, soon after it is mined; a
 *   subscriber that disconnects and comes back with its last cursor gets exactly what it missed,
 *   then live events; a filtered resume; jobUpdated delivers each changed job's new state; a
 *   replicated job's steps reach both streams, and jobUpdated filtered by kind sees only its kind.
 * - PostgreSQL (when DATABASE_URL is set): the same chain indexed by `ponder start` on a fresh
 *   database, and a separate `ponder serve` process (which indexes nothing) delivering live
 *   subscriptions driven by the indexing process's notifications.
 */
import pino from 'pino';
import { toHex, zeroAddress, zeroHash } from 'viem';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { resultCommitment } from '../../sdk/replication';
import { addressOf, ROLES } from '../../testkit/accounts';
import { startChain, type Chain } from '../../testkit/chain';
import { gql as query, startIndexer, type Indexer } from '../../testkit/indexer';
import { ChangeFeed } from './changeFeed';
import { createApi } from '../createApi';
import { codes, gql } from '../test/gql';
import { createTestDatabase } from '../test/testDatabase';
import { connectMarket, randomWorkload, WORKLOAD_JOB_DEFAULTS, type Market, type PostedJob, type Sent } from '../../testkit/workload';
import { allEvents, type EventNode, type Json, percentile, waitForSubscriptions } from '../test/ponderApi';
import { subscribe, type TestSubscription } from '../test/sse';

const postgresUrl = process.env.DATABASE_URL;
const seed = Number(process.env.LOOM_TEST_SEED ?? Math.floor(Math.random() * 2 ** 31));

let chain: Chain;
let m: Market;
let live: Indexer | undefined;
const subscriptions: TestSubscription<unknown>[] = [];
let jobs: PostedJob[] = [];

type Delivery = { retracted: boolean; cursor: string; event: EventNode };
const DELIVERY = 'retracted cursor event { id blockHash txHash name jobId blockNumber }';
const EVENTS = `subscription($after: String, $filter: JobEventFilter) { jobEvents(after: $after, filter: $filter) { ${DELIVERY} } }`;
const JOB_FIELDS = 'id status closeReason worker price workerPayout activeBids updatedBlock';
const UPDATES = `subscription { jobUpdated { jobId retracted headBlock job { ${JOB_FIELDS} bids { totalCount } } } }`;

const track = <T>(s: TestSubscription<T>) => {
  subscriptions.push(s as TestSubscription<unknown>);
  return s;
};
const deliveries = (s: TestSubscription<{ jobEvents: Delivery }>) => s.received.map((r) => r.value.jobEvents);
const head = () => m.pub.getBlockNumber({ cacheTime: 0 });

beforeAll(async () => {
  console.log(`subscriptions.test seed: ${seed} (LOOM_TEST_SEED=${seed} reproduces the workload)`);
  chain = await startChain({ name: 'api-subscriptions-test', jobDefaults: WORKLOAD_JOB_DEFAULTS });
  m = connectMarket(chain);
  await m.setup();
  live = await startIndexer(chain, { schema: 'sub_test' });
  await live.waitForBlock(await head());
}, 180_000);

afterAll(async () => {
  for (const s of subscriptions) s.dispose();
});

/** The events of `sent` transactions, matched to their first delivery: mined -> received, in ms. */
function latencies(sent: Sent[], sub: TestSubscription<{ jobEvents: Delivery }>): number[] {
  const arrival = new Map<string, number>();
  for (const r of sub.received) {
    const tx = r.value.jobEvents.event.txHash;
    if (!arrival.has(tx)) arrival.set(tx, r.at);
  }
  return sent.filter((s) => arrival.has(s.receipt.transactionHash)).map((s) => arrival.get(s.receipt.transactionHash)! - s.minedAt);
}

describe('subscriptions on PGlite (ponder start)', () => {
  let updates: TestSubscription<{ jobUpdated: Json }>;
  let firstSubscribedAt: string;

  test('behavior: every event arrives once, in chain order; a resumed subscriber misses nothing and repeats nothing', async () => {
    firstSubscribedAt = (await allEvents(live!)).at(-1)!.id;
    const first = track(subscribe<{ jobEvents: Delivery }>(`${live!.url}/graphql`, EVENTS));
    updates = track(subscribe<{ jobUpdated: Json }>(`${live!.url}/graphql`, UPDATES));
    await waitForSubscriptions(live!, 2);

    // Phase 1: live.
    const phase1 = await randomWorkload(m, seed, 30, jobs);
    jobs = phase1.jobs;
    await live!.waitForBlock(await head());
    const after1 = (await allEvents(live!)).filter((e) => e.id > firstSubscribedAt);
    await first.until((r) => r.length >= after1.length);
    expect(deliveries(first).map((d) => d.event.id)).toEqual(after1.map((e) => e.id));
    expect(deliveries(first).every((d) => !d.retracted)).toBe(true);
    expect(after1.length).toBeGreaterThan(10);

    // Latency at a realistic rate (a burst of one block per transaction outruns Ponder's indexing,
    // which then sets the pace): mined -> received.
    const paced = await randomWorkload(m, seed + 10, 20, jobs, { paceMs: 250 });
    jobs = paced.jobs;
    await live!.waitForBlock(await head());
    const pacedIds = new Set(paced.sent.map((s) => s.receipt.transactionHash));
    await first.until((r) => paced.sent.every((s) => r.some((x) => x.value.jobEvents.event.txHash === s.receipt.transactionHash)));
    const lat = latencies(paced.sent, first);
    const [p50, p99] = [percentile(lat, 50), percentile(lat, 99)];
    console.log(`mined -> received over SSE (PGlite, ${lat.length} transactions 250 ms apart): p50 ${p50} ms, p99 ${p99} ms`);
    // Every paced transaction's event arrived; how fast is a benchmark's question
    // (api.subscription.latency.*, bench/README.md), not a test's: a loaded machine would fail it.
    expect(lat.length).toBe(pacedIds.size);

    // Disconnect: the server lets go of the subscription.
    const cursor = deliveries(first).at(-1)!.cursor;
    first.dispose();
    await waitForSubscriptions(live!, 1);

    // Phase 2, while disconnected; then resume with the last cursor, and phase 3, live again.
    const phase2 = await randomWorkload(m, seed + 1, 15, jobs);
    jobs = phase2.jobs;
    const resumed = track(subscribe<{ jobEvents: Delivery }>(`${live!.url}/graphql`, EVENTS, { after: cursor }));
    await waitForSubscriptions(live!, 2);
    const phase3 = await randomWorkload(m, seed + 2, 15, jobs);
    jobs = phase3.jobs;
    await live!.waitForBlock(await head());
    const all = await allEvents(live!);
    const missed = all.filter((e) => e.id > deliveries(first).at(-1)!.event.id);
    await resumed.until((r) => r.length >= missed.length);
    await new Promise((r) => setTimeout(r, 300)); // nothing more may come
    expect(deliveries(resumed).map((d) => d.event.id)).toEqual(missed.map((e) => e.id));
    expect(deliveries(resumed).map((d) => d.event.blockHash)).toEqual(missed.map((e) => e.blockHash));
    expect(phase2.sent.length).toBeGreaterThan(0);
    expect(phase3.sent.length).toBeGreaterThan(0);

    // A filtered subscription resumed from the very first cursor: exactly the matching events.
    const firstCursor = deliveries(resumed)[0]!.cursor;
    const filter = { names: ['JobPosted', 'JobAssigned', 'JobClosed'] };
    const filtered = track(subscribe<{ jobEvents: Delivery }>(`${live!.url}/graphql`, EVENTS, { after: firstCursor, filter }));
    const expected = (await allEvents(live!, filter)).filter((e) => e.id > deliveries(resumed)[0]!.event.id);
    await filtered.until((r) => r.length >= expected.length);
    expect(deliveries(filtered).map((d) => d.event.id)).toEqual(expected.map((e) => e.id));
    filtered.dispose();
  }, 120_000);

  test('behavior: jobUpdated delivers the new state of every job that changed', async () => {
    const events = (await allEvents(live!)).filter((e) => e.id > firstSubscribedAt && e.jobId);
    const changed = [...new Set(events.map((e) => e.jobId!))];
    const current = new Map<string, Json>();
    for (const id of changed) {
      current.set(id, (await query(live!, `query($id: ID!) { job(id: $id) { ${JOB_FIELDS} bids { totalCount } } }`, { id })).job);
    }
    const lastUpdates = () => {
      const byJob = new Map<string, Json>();
      for (const r of updates.received) byJob.set(r.value.jobUpdated.jobId, r.value.jobUpdated);
      return byJob;
    };
    // Each changed job's last update is its current state (updates may trail the events a little).
    await updates
      .until(() => {
        const byJob = lastUpdates();
        return changed.every((id) => JSON.stringify(byJob.get(id)?.job) === JSON.stringify(current.get(id)));
      }, 10_000)
      .catch(() => {});
    const byJob = lastUpdates();
    expect([...byJob.keys()].sort()).toEqual([...changed].sort());
    for (const id of changed) {
      expect(byJob.get(id)!.job, id).toEqual(current.get(id));
      expect(byJob.get(id)!.retracted).toBe(false);
    }
    // Updates come in indexing order: a job's updatedBlock never goes back.
    const blocks = new Map<string, bigint>();
    for (const r of updates.received) {
      const u = r.value.jobUpdated;
      const b = BigInt(u.job.updatedBlock);
      expect(b >= (blocks.get(u.jobId) ?? 0n)).toBe(true);
      blocks.set(u.jobId, b);
    }
  });

  test("behavior: a replicated job's steps reach both streams; jobUpdated filtered by kind sees only that kind", async () => {
    const names = ['ReplicatedJobPosted', 'SlotTaken', 'ResultCommitted', 'ResultRevealed', 'ReplicatedJobClosed'];
    const steps = track(subscribe<{ jobEvents: Delivery }>(`${live!.url}/graphql`, EVENTS, { filter: { names } }));
    const REPLICATED_FIELDS = 'id kind status slotsFilled commits reveals outcome resultHash updatedBlock slots { worker state verdict }';
    const replicatedUpdates = track(
      subscribe<{ jobUpdated: Json }>(
        `${live!.url}/graphql`,
        `subscription($filter: JobFilter) { jobUpdated(filter: $filter) { jobId job { ${REPLICATED_FIELDS} } } }`,
        { filter: { kind: 'REPLICATED' } },
      ),
    );
    await waitForSubscriptions(live!, 4);

    const [client] = ROLES.clients;
    const workers = ROLES.workers.slice(0, 2);
    for (const w of workers) await chain.writer(w).setAvailability(true);
    const { jobId, terms } = await chain.writer(client).postReplicatedJob({
      terms: { token: zeroAddress, price: 10n ** 15n, collateral: 0n, replicas: 2, quorum: 2, openUntil: (await chain.now()) + 3600, commitWindow: 600, revealWindow: 600, minGpuCount: 0, minVramMiB: 0, gpuModel: zeroHash, salt: 7n, pool: 0n },
      spec: { version: 1 },
    });
    // A single job changes in the middle: the kind filter keeps it out.
    const single = await chain.post({ client, spec: { version: 1 } });
    const result = toHex(0xa11, { size: 32 });
    const salt = (slot: number) => toHex(slot + 1, { size: 32 });
    for (const w of workers) await chain.writer(w).takeSlot(terms);
    for (const [slot, w] of workers.entries()) await chain.writer(w).commitResult(terms, slot, resultCommitment(jobId, addressOf(w), result, salt(slot)));
    for (const [slot, w] of workers.entries()) await chain.writer(w).revealResult(terms, slot, result, salt(slot), `ipfs://slot-${slot}`);
    await chain.writer(ROLES.stranger).finalize(terms);
    await live!.waitForBlock(await head());

    const expected = ['ReplicatedJobPosted', 'SlotTaken', 'SlotTaken', 'ResultCommitted', 'ResultCommitted', 'ResultRevealed', 'ResultRevealed', 'ReplicatedJobClosed'];
    await steps.until((r) => r.length >= expected.length);
    expect(deliveries(steps).map((d) => [d.event.name, d.event.jobId])).toEqual(expected.map((name) => [name, jobId]));

    const current = (await query(live!, `query($id: ID!) { job(id: $id) { ${REPLICATED_FIELDS} } }`, { id: jobId })).job;
    expect(current).toMatchObject({ kind: 'REPLICATED', status: 'CLOSED', outcome: 'QUORUM_REACHED', resultHash: result, reveals: 2 });
    const last = () => replicatedUpdates.received.filter((u) => u.value.jobUpdated.jobId === jobId).at(-1)?.value.jobUpdated.job;
    await replicatedUpdates.until(() => JSON.stringify(last()) === JSON.stringify(current), 10_000).catch(() => {});
    expect(last()).toEqual(current);
    expect(replicatedUpdates.received.map((u) => u.value.jobUpdated.jobId)).not.toContain(single.id);
    expect(replicatedUpdates.received.every((u) => u.value.jobUpdated.job.kind === 'REPLICATED')).toBe(true);
    steps.dispose();
    replicatedUpdates.dispose();
    await waitForSubscriptions(live!, 2);
  }, 60_000);

  test('behavior: subscribers of one subscription share each result, executed once; another filter gets its own', async () => {
    const counters = async () => {
      const text = await (await fetch(`${live!.url}/api/metrics`)).text();
      const read = (name: string) => Number(text.match(new RegExp(`^${name} (\\d+)$`, 'm'))?.[1] ?? Number.NaN);
      return { executed: read('loom_api_subscription_results_executed_total'), shared: read('loom_api_subscription_results_shared_total') };
    };
    const same = [0, 1, 2].map(() => track(subscribe<{ jobEvents: Delivery }>(`${live!.url}/graphql`, EVENTS)));
    const posted = track(subscribe<{ jobEvents: Delivery }>(`${live!.url}/graphql`, EVENTS, { filter: { names: ['JobPosted'] } }));
    await waitForSubscriptions(live!, 6);
    const before = await counters();

    const lastBefore = (await allEvents(live!)).at(-1)!.id;
    const work = await randomWorkload(m, seed + 20, 8, jobs);
    jobs = work.jobs;
    await live!.waitForBlock(await head());
    const events = (await allEvents(live!)).filter((e) => e.id > lastBefore);
    const postedCount = events.filter((e) => e.name === 'JobPosted').length;
    for (const sub of same) await sub.until((r) => r.length >= events.length);
    await posted.until((r) => r.length >= postedCount);
    const after = await counters();

    // Every subscriber of the same subscription got the same deliveries.
    expect(deliveries(same[0]!).map((d) => d.event.id)).toEqual(events.map((e) => e.id));
    const bodies = same.map((sub) => JSON.stringify(deliveries(sub)));
    expect(bodies[1]).toBe(bodies[0]);
    expect(bodies[2]).toBe(bodies[0]);
    expect(deliveries(posted).map((d) => d.event.name)).toEqual(Array(postedCount).fill('JobPosted'));
    // The three share: each event is executed for one of them and handed to the other two (all
    // three read it within a moment, so at most a few are executed again after the cache turned
    // over). Nothing else open shares their subscription: the filtered one, the resumed one (its
    // cursor) and `updates` execute their own.
    const shared = after.shared - before.shared;
    expect(shared).toBeGreaterThan(events.length);
    expect(shared).toBeLessThanOrEqual(2 * events.length);
    for (const sub of [...same, posted]) sub.dispose();
    await waitForSubscriptions(live!, 2);
  }, 60_000);

  test('error: bad arguments fail the subscription with the query codes', async () => {
    const bad = track(subscribe(`${live!.url}/graphql`, EVENTS, { after: 'not-a-cursor' }));
    await bad.until(() => bad.errors.length > 0 || bad.completed, 10_000).catch(() => {});
    expect((bad.errors[0] as Json)?.extensions?.code).toBe('INVALID_CURSOR');
    const tooMany = track(subscribe(`${live!.url}/graphql`, 'subscription($ids: [ID!]) { jobUpdated(ids: $ids) { jobId } }', {
      ids: Array.from({ length: 101 }, (_, i) => `0x${i.toString(16).padStart(64, '0')}`),
    }));
    await tooMany.until(() => tooMany.errors.length > 0 || tooMany.completed, 10_000).catch(() => {});
    expect((tooMany.errors[0] as Json)?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe.skipIf(!postgresUrl)('subscriptions on PostgreSQL: ponder start and a separate ponder serve', () => {
  test('behavior: both processes deliver live events; the serve process resumes from a cursor', async () => {
    await live?.stop(); // two cores: one indexer at a time
    const indexer = await startIndexer(chain, { schema: 'sub_test', postgres: postgresUrl! });
    await indexer.waitForBlock(await head());
    const serve = await startIndexer(chain, { schema: 'sub_test', databaseUrl: indexer.databaseUrl, mode: 'serve' });

    const before = await allEvents(serve);
    const mid = before[Math.floor(before.length / 2)]!;
    const { jobEvents } = await query(serve, `query($id: BigInt) { jobEvents(filter: { fromBlock: $id }, first: 1) { edges { cursor } } }`, {
      id: mid.blockNumber,
    });
    const fromServe = track(subscribe<{ jobEvents: Delivery }>(`${serve.url}/graphql`, EVENTS, { after: jobEvents.edges[0].cursor }));
    const fromIndexer = track(subscribe<{ jobEvents: Delivery }>(`${indexer.url}/graphql`, EVENTS));
    const serveUpdates = track(subscribe<{ jobUpdated: Json }>(`${serve.url}/graphql`, UPDATES));
    await waitForSubscriptions(serve, 2);
    await waitForSubscriptions(indexer, 1);

    const work = await randomWorkload(m, seed + 3, 16, jobs, { paceMs: 200 });
    jobs = work.jobs;
    await indexer.waitForBlock(await head());
    const all = await allEvents(serve);
    const newOnes = all.filter((e) => e.id > before.at(-1)!.id);
    expect(newOnes.length).toBeGreaterThan(0);
    const firstId = all.find((e) => e.blockNumber === mid.blockNumber)!.id;
    const expectedServe = all.filter((e) => e.id > firstId);
    await fromServe.until((r) => r.length >= expectedServe.length);
    await fromIndexer.until((r) => r.length >= newOnes.length);
    expect(deliveries(fromServe).map((d) => d.event.id)).toEqual(expectedServe.map((e) => e.id));
    expect(deliveries(fromIndexer).map((d) => d.event.id)).toEqual(newOnes.map((e) => e.id));

    const lat = latencies(work.sent, fromServe);
    console.log(`mined -> received over SSE (ponder serve on PostgreSQL, ${lat.length} transactions 200 ms apart): p50 ${percentile(lat, 50)} ms, p99 ${percentile(lat, 99)} ms`);
    expect(lat.length).toBe(new Set(work.sent.map((s) => s.receipt.transactionHash)).size);

    // The serve process's jobUpdated: each changed job's last update is its current state.
    const changed = [...new Set(newOnes.filter((e) => e.jobId).map((e) => e.jobId!))];
    const current = new Map<string, Json>();
    for (const id of changed) {
      current.set(id, (await query(serve, `query($id: ID!) { job(id: $id) { ${JOB_FIELDS} bids { totalCount } } }`, { id })).job);
    }
    const lastOf = (id: string) => serveUpdates.received.filter((u) => u.value.jobUpdated.jobId === id).at(-1)?.value.jobUpdated.job;
    await serveUpdates.until(() => changed.every((id) => JSON.stringify(lastOf(id)) === JSON.stringify(current.get(id))), 10_000).catch(() => {});
    for (const id of changed) expect(lastOf(id), id).toEqual(current.get(id));
  }, 150_000);
});

describe('subscriptions over HTTP, without Ponder', () => {
  test('error: a subscription without Accept: text/event-stream is BAD_REQUEST (406), and starts nothing', async () => {
    const t = await createTestDatabase();
    const feed = new ChangeFeed({ db: t.db, tables: t.tables, logger: pino({ level: 'silent' }) });
    try {
      await t.setStatus({ ready: true, block: 1n });
      const app = createApi({ db: t.db, tables: t.tables, logger: pino({ level: 'silent' }), subscriptions: { feed } });
      for (const accept of ['application/json', 'application/graphql-response+json']) {
        const res = await gql(app, 'subscription { jobEvents { cursor } }', undefined, { headers: { accept } });
        expect(res.status).toBe(406);
        expect(codes(res)).toEqual(['BAD_REQUEST']);
      }
      expect(feed.listenerCount).toBe(0);
      const metrics = await (await app.request('/api/metrics')).text();
      expect(metrics).toContain('loom_api_subscriptions 0');
      expect(metrics).toContain('loom_api_graphql_errors_total{code="BAD_REQUEST"} 2');
    } finally {
      await feed.close();
      await t.drop();
    }
  });
});
