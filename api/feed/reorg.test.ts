/**
 * Chain reorganizations.
 *
 * On a real chain (anvil, the contracts, Ponder on PGlite): events are mined and delivered, the chain
 * is reverted to a snapshot (evm_snapshot / evm_revert, within Ponder's 30 unfinalized blocks) and
 * a different history is mined. Ponder rolls its rows back; the API must announce the removal:
 * a live subscriber receives a retraction for every removed event, then the canonical ones; one that
 * was away resumes from a cursor of the removed history and gets the same; `jobUpdated` says a job
 * of the removed history is gone. Then the indexed state equals a fresh replay of the canonical
 * chain into a new database (PostgreSQL when DATABASE_URL is set, else a new PGlite directory).
 *
 * On a plain database (fast, deterministic): the change feed and the jobEvents stream, with reorgs
 * written by hand, resumes from every kind of cursor, and backfill across the finality boundary.
 */
import { inArray } from 'ponder';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { eventId } from '../../indexer/src/fold/event';
import { startChain, type Chain } from '../../testkit/chain';
import { gql as query, startIndexer, type Indexer } from '../../testkit/indexer';
import { connectMarket, randomWorkload, WORKLOAD_JOB_DEFAULTS, type Market, type PostedJob } from '../../testkit/workload';
import { ChangeFeed } from './changeFeed';
import type { Context } from '../context';
import { ApiError } from '../graphql/errors';
import { subscribeJobEvents, type JobEventPayload } from './subscriptions';
import { eventCursor, retractionCursor } from '../data/eventCursors';
import { allEvents, type EventNode, type Json, waitForSubscriptions } from '../test/ponderApi';
import { subscribe, type TestSubscription } from '../test/sse';
import { createTestDatabase, type TestDatabase as PlainDatabase } from '../test/testDatabase';

const postgresUrl = process.env.DATABASE_URL;
const seed = Number(process.env.LOOM_TEST_SEED ?? Math.floor(Math.random() * 2 ** 31));

type Delivery = { retracted: boolean; cursor: string; event: EventNode };
const EVENTS = `subscription($after: String) { jobEvents(after: $after) { retracted cursor event { id blockHash txHash name jobId blockNumber } } }`;
const UPDATES = 'subscription { jobUpdated { jobId retracted job { id status } } }';
const DIGEST = '{ stateDigest { digest scope atBlock version tables { name rows sha256 } } }';

/**
 * Applies deliveries to a client's copy of the log, as the schema says a client should: an event is
 * appended (never twice), a retraction drops the event with that id and block hash (ignored when
 * not held). Returns the copy, in chain order.
 */
function applyDeliveries(start: EventNode[], deliveries: Delivery[]): EventNode[] {
  const view = new Map(start.map((e) => [e.id, e]));
  for (const d of deliveries) {
    const held = view.get(d.event.id);
    if (d.retracted) {
      if (held?.blockHash === d.event.blockHash) view.delete(d.event.id);
    } else {
      expect(held, `event ${d.event.id} delivered twice`).toBeUndefined();
      view.set(d.event.id, d.event);
    }
  }
  return [...view.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
}
const key = (e: Pick<EventNode, 'id' | 'blockHash'>) => `${e.id}@${e.blockHash}`;
const pick = (e: EventNode) => ({ id: e.id, blockHash: e.blockHash, txHash: e.txHash, name: e.name, jobId: e.jobId, blockNumber: e.blockNumber });

describe('a reorg on a real chain, indexed by Ponder', () => {
  let chain: Chain;
  let m: Market;
  let live: Indexer | undefined;
  let replay: Indexer | undefined;
  const subscriptions: TestSubscription<unknown>[] = [];
  let canonicalHead: bigint;

  beforeAll(async () => {
    console.log(`reorg.test seed: ${seed} (LOOM_TEST_SEED=${seed} reproduces the workload)`);
    chain = await startChain({ name: 'api-reorg-test', jobDefaults: WORKLOAD_JOB_DEFAULTS });
    m = connectMarket(chain);
    await m.setup();
    live = await startIndexer(chain, { schema: 'reorg_test' });
  }, 180_000);

  afterAll(async () => {
    for (const s of subscriptions) s.dispose();
  });

  const track = <T>(s: TestSubscription<T>) => {
    subscriptions.push(s as TestSubscription<unknown>);
    return s;
  };
  const deliveries = (s: TestSubscription<{ jobEvents: Delivery }>) => s.received.map((r) => r.value.jobEvents);
  const head = () => m.pub.getBlockNumber({ cacheTime: 0 });

  test('behavior: removed events are retracted for live and resuming subscribers, then the canonical ones follow', async () => {
    // A shared history, then a snapshot.
    const base = await randomWorkload(m, seed, 12);
    await live!.waitForBlock(await head());
    const baseEvents = await allEvents(live!);
    const { jobEvents: lastBase } = await query(live!, '{ jobEvents(order: DESC, first: 1) { edges { cursor } } }');
    const baseCursor: string = lastBase.edges[0].cursor;

    const liveSub = track(subscribe<{ jobEvents: Delivery }>(`${live!.url}/graphql`, EVENTS));
    const updates = track(subscribe<{ jobUpdated: Json }>(`${live!.url}/graphql`, UPDATES));
    const away = track(subscribe<{ jobEvents: Delivery }>(`${live!.url}/graphql`, EVENTS, { after: baseCursor }));
    await waitForSubscriptions(live!, 3);
    const snapshot = await m.rpc('evm_snapshot');
    const jobsAtSnapshot: PostedJob[] = [...base.jobs];

    // History A: delivered, then removed.
    const a = await randomWorkload(m, seed + 1, 8, [...jobsAtSnapshot]);
    const aPosted = a.jobs.slice(jobsAtSnapshot.length);
    const headA = await head();
    await live!.waitForBlock(headA);
    const aEvents = (await allEvents(live!)).filter((e) => e.id > baseEvents.at(-1)!.id);
    expect(aEvents.length).toBeGreaterThan(0);
    await liveSub.until((r) => r.length >= aEvents.length);
    await away.until((r) => r.length >= aEvents.length);
    const awayCursor = deliveries(away).at(-1)!.cursor;
    away.dispose();
    await waitForSubscriptions(live!, 2);

    // The reorg: back to the snapshot, and a longer history B.
    expect(await m.rpc('evm_revert', [snapshot])).toBe(true);
    const b = await randomWorkload(m, seed + 2, 12, [...jobsAtSnapshot]);
    while ((await head()) <= headA + 1n) await m.rpc('evm_mine');
    canonicalHead = await head();
    await live!.waitForBlock(canonicalHead, 60_000);
    const canonical = await allEvents(live!);
    const bEvents = canonical.filter((e) => e.id > baseEvents.at(-1)!.id);
    expect(canonical.slice(0, baseEvents.length)).toEqual(baseEvents);
    expect(b.sent.length).toBeGreaterThan(0);

    // The live subscriber: A, the retraction of all of A (newest first), then B.
    const retractedKeys = () => new Set(deliveries(liveSub).filter((d) => d.retracted).map((d) => key(d.event)));
    await liveSub.until((r) => applyDeliveries(baseEvents, r.map((x) => x.value.jobEvents)).length === canonical.length && aEvents.every((e) => retractedKeys().has(key(e))));
    await new Promise((r) => setTimeout(r, 300));
    const got = deliveries(liveSub);
    expect(applyDeliveries(baseEvents, got).map(pick)).toEqual(canonical.map(pick));
    const firstRetraction = got.findIndex((d) => d.retracted);
    expect(got.slice(0, firstRetraction).map((d) => d.event.id)).toEqual(aEvents.map((e) => e.id));
    const retractions = got.filter((d) => d.retracted).map((d) => d.event.id);
    expect(retractions).toEqual([...retractions].sort().reverse());
    // Every event of A is retracted. When Ponder polls the reverted head before B's first block, it
    // also rolls back the snapshot's own block and indexes it again (its log: "Reorged block" at the
    // block below): the feed then retracts that block's events too, as they were gone from the
    // database, and delivers them again, unchanged, before B. Nothing else may be retracted.
    const aIds = new Set(aEvents.map((e) => e.id));
    expect(retractions.filter((id) => aIds.has(id)).sort()).toEqual([...aIds].sort());
    const lastBaseId = baseEvents.at(-1)!.id;
    const lastBaseBlock = baseEvents.at(-1)!.blockNumber;
    const alsoRetracted = got.filter((d) => d.retracted && !aIds.has(d.event.id)).map((d) => d.event);
    expect(alsoRetracted.every((e) => e.id <= lastBaseId && e.blockNumber === lastBaseBlock), 'only the snapshot block may be rolled back as well').toBe(true);
    // After the first retraction: B in chain order, and nothing else but that block's events again.
    const delivered = got.slice(firstRetraction).filter((d) => !d.retracted).map((d) => d.event);
    expect(delivered.filter((e) => e.id > lastBaseId).map((e) => e.id)).toEqual(bEvents.map((e) => e.id));
    expect(delivered.filter((e) => e.id <= lastBaseId).every((e) => e.blockNumber === lastBaseBlock)).toBe(true);

    // The subscriber that was away resumes from the last event of A: A is retracted, B follows.
    const back = track(subscribe<{ jobEvents: Delivery }>(`${live!.url}/graphql`, EVENTS, { after: awayCursor }));
    await back.until((r) => applyDeliveries([...baseEvents, ...aEvents], r.map((x) => x.value.jobEvents)).length === canonical.length);
    await new Promise((r) => setTimeout(r, 300));
    expect(applyDeliveries([...baseEvents, ...aEvents], deliveries(back)).map(pick)).toEqual(canonical.map(pick));
    // As for the live subscriber: all of A, and at most the snapshot block's events as well, when
    // Ponder rolled that block back and indexed it again after the away subscriber's cursor.
    const backRetracted = deliveries(back).filter((d) => d.retracted).map((d) => d.event);
    expect(new Set(backRetracted.filter((e) => aIds.has(e.id)).map(key))).toEqual(new Set(aEvents.map(key)));
    expect(backRetracted.filter((e) => !aIds.has(e.id)).every((e) => e.id <= lastBaseId && e.blockNumber === lastBaseBlock), 'only the snapshot block may be rolled back as well').toBe(true);

    // jobUpdated: the jobs posted in A are gone.
    for (const job of aPosted) {
      await updates.until((r) => r.some((u) => u.value.jobUpdated.jobId === job.id && u.value.jobUpdated.job === null));
      const last = updates.received.filter((u) => u.value.jobUpdated.jobId === job.id).at(-1)!.value.jobUpdated;
      expect(last).toEqual({ jobId: job.id, retracted: true, job: null });
    }
  }, 150_000);

  test('behavior: after the reorg, the indexed state equals a fresh replay of the canonical chain', async () => {
    const liveDigest = (await query(live!, DIGEST)).stateDigest;
    expect(liveDigest).toMatchObject({ scope: 'FULL', atBlock: canonicalHead.toString() });
    await live!.stop();
    if (postgresUrl) {
      replay = await startIndexer(chain, { schema: 'reorg_test', postgres: postgresUrl });
    } else {
      replay = await startIndexer(chain, { schema: 'reorg_test' });
    }
    await replay.waitForBlock(canonicalHead);
    expect((await query(replay, DIGEST)).stateDigest).toEqual(liveDigest);
  }, 120_000);
});

// ---- the change feed and the jobEvents stream on a plain database ----

describe('the change feed on a plain database', () => {
  let t: PlainDatabase;
  let feed: ChangeFeed;
  let ctx: Context;
  const hashOf = (block: number, fork: number) => `0x${(block * 1000 + fork).toString(16).padStart(64, '0')}` as `0x${string}`;

  /** Writes block `block` of history `fork` with `events` events, and moves the head there. */
  async function mine(block: number, fork: number, events: number) {
    const rows = Array.from({ length: events }, (_, i) => ({
      id: eventId(BigInt(block), i),
      blockNumber: BigInt(block),
      blockHash: hashOf(block, fork),
      txHash: hashOf(block, 900 + i),
      logIndex: i,
      timestamp: 1_700_000_000n + BigInt(block),
      contract: `0x${'3a'.repeat(20)}` as `0x${string}`,
      name: i % 2 ? 'BidPlaced' : 'JobPosted',
      jobId: null,
      account: null,
      args: { block, fork, i },
    }));
    if (rows.length) await t.writer.insert(t.tables.jobEvent).values(rows);
    await t.setStatus({ ready: true, block: BigInt(block) });
  }
  /** Removes every event from `block` on (what Ponder does on a reorg). */
  async function rollBack(block: number, headBlock: number) {
    const ids = (await t.writer.select({ id: t.tables.jobEvent.id }).from(t.tables.jobEvent)).map((r) => r.id).filter((id) => id >= eventId(BigInt(block), 0));
    if (ids.length) await t.writer.delete(t.tables.jobEvent).where(inArray(t.tables.jobEvent.id, ids));
    await t.setStatus({ ready: true, block: BigInt(headBlock) });
  }

  /** A subscriber, collecting what it receives. */
  async function open(after?: string, limits = { maxQueued: 10_000, backfillPage: 3 }, filter?: { names?: string[] }) {
    const stream = await subscribeJobEvents(ctx, { after, filter }, limits);
    const got: JobEventPayload[] = [];
    let done = false;
    (async () => {
      for await (const item of stream) got.push(item);
      done = true;
    })();
    return { got, stream, isDone: () => done, settle: () => new Promise((r) => setTimeout(r, 30)) };
  }
  const ids = (items: JobEventPayload[]) => items.map((p) => (p.kind === 'error' ? 'error' : `${p.kind === 'retracted' ? '-' : '+'}${p.row.id}@${Number(BigInt(p.row.blockHash) % 1000n)}`));
  const cursorOf = (p: JobEventPayload) => (p.kind === 'event' ? eventCursor(p.row) : p.kind === 'retracted' ? retractionCursor(p.row) : '');

  beforeAll(async () => {
    t = await createTestDatabase();
    await t.setStatus({ ready: true, block: 0n });
    // A window of 3 blocks: events more than 3 blocks deep are final, read from the database.
    feed = new ChangeFeed({ db: t.db, tables: t.tables, logger: pino({ level: 'silent' }), pollMs: 60_000, reorgDepth: 3 });
    await feed.start();
    ctx = { db: t.db, tables: t.tables, feed } as unknown as Context;
  });

  afterAll(async () => {
    await feed?.close();
    await t?.drop();
  });

  test('behavior: live delivery, a reorg retracted newest first, and resumes from every kind of cursor', async () => {
    for (let b = 1; b <= 6; b++) await mine(b, 0, 2);
    await feed.sync();
    // Backfill from block 1: block 2 is final (read from the database, one row per page here),
    // blocks 3 to 6 are the feed's window.
    const from2 = await open(eventCursor({ id: eventId(1n, 1), blockHash: hashOf(1, 0) }), { maxQueued: 10_000, backfillPage: 1 });
    const liveSub = await open();
    await from2.settle();
    const blocks = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => [`+${eventId(BigInt(from + i), 0)}@0`, `+${eventId(BigInt(from + i), 1)}@0`]).flat();
    expect(ids(from2.got)).toEqual(blocks(2, 6));
    expect(liveSub.got).toEqual([]);

    await mine(7, 0, 1);
    await feed.sync();
    await from2.settle();
    expect(ids(liveSub.got)).toEqual(['+000000000007-000000@0']);

    // Reorg: blocks 6 and 7 replaced by 6' (one event), 7' (none), 8' (two).
    const beforeReorg = liveSub.got.length;
    const cursorIn7 = cursorOf(liveSub.got.at(-1)!);
    await rollBack(6, 5);
    await mine(6, 1, 1);
    await mine(7, 1, 0);
    await mine(8, 1, 2);
    await feed.sync();
    await from2.settle();
    const expectedAfter = ['-000000000007-000000@0', '-000000000006-000001@0', '-000000000006-000000@0', '+000000000006-000000@1', '+000000000008-000000@1', '+000000000008-000001@1'];
    expect(ids(liveSub.got.slice(beforeReorg))).toEqual(expectedAfter);
    expect(ids(from2.got.slice(10))).toEqual(['+000000000007-000000@0', ...expectedAfter]);

    // Resume from a cursor of the removed history: its retractions, then the canonical events.
    const dead = await open(cursorIn7);
    await dead.settle();
    expect(ids(dead.got)).toEqual(expectedAfter);
    // Resume from the cursor of a retraction: only what was not yet retracted.
    const afterRetraction = await open(cursorOf(liveSub.got[beforeReorg + 1]!));
    await afterRetraction.settle();
    expect(ids(afterRetraction.got)).toEqual(expectedAfter.slice(2));
    // Resume from a canonical cursor: nothing to retract.
    const canonical = await open(cursorOf(liveSub.got.at(-2)!));
    await canonical.settle();
    expect(ids(canonical.got)).toEqual(['+000000000008-000001@1']);
    // A removed event this server never saw delivered: INVALID_CURSOR.
    await expect(open(eventCursor({ id: eventId(7n, 0), blockHash: hashOf(7, 5) }))).rejects.toMatchObject({ code: 'INVALID_CURSOR' });
    await expect(open('bm9wZQ')).rejects.toBeInstanceOf(ApiError);

    // Filters apply to retractions too.
    const postedOnly = await open(eventCursor({ id: eventId(5n, 1), blockHash: hashOf(5, 0) }), undefined, { names: ['JobPosted'] });
    await postedOnly.settle();
    expect(ids(postedOnly.got)).toEqual(['+000000000006-000000@1', '+000000000008-000000@1']);
    await rollBack(8, 7);
    await mine(8, 2, 1);
    await feed.sync();
    await postedOnly.settle();
    expect(ids(postedOnly.got.slice(2))).toEqual(['-000000000008-000000@1', '+000000000008-000000@2']);
    expect(ids(liveSub.got.slice(beforeReorg + expectedAfter.length))).toEqual(['-000000000008-000001@1', '-000000000008-000000@1', '+000000000008-000000@2']);

    for (const s of [from2, liveSub, dead, afterRetraction, canonical, postedOnly]) await s.stream.return?.();
    expect(feed.listenerCount).toBe(0);
  });

  test('behavior: a subscriber too slow for its queue is ended with UNAVAILABLE (it resubscribes with its cursor)', async () => {
    const slow = await subscribeJobEvents(ctx, {}, { maxQueued: 2, backfillPage: 3 });
    for (let b = 9; b <= 10; b++) await mine(b, 0, 2);
    await feed.sync();
    const items: JobEventPayload[] = [];
    for await (const item of slow) items.push(item);
    expect(items.at(-1)).toMatchObject({ kind: 'error', error: { code: 'UNAVAILABLE' } });
    expect(feed.listenerCount).toBe(0);
  });

  test('behavior: the window holds only what Ponder may still roll back; a reorg above its finalized block is still retracted', async () => {
    for (let b = 11; b <= 14; b++) await mine(b, 0, 2);
    // As while Ponder backfills history: its finalized block moves with its head, nothing is held.
    await t.setStatus({ ready: false, block: 14n, finalized: 14n });
    await feed.sync();
    expect(feed.windowStartId).toBe(eventId(15n, 0));
    expect(feed.known).toEqual([]);
    t.queries.reset();
    await feed.sync();
    const keyReads = () => t.queries.texts.filter((q) => /^select "id", "block_hash" from/.test(q)).length;
    expect(keyReads(), 'no window keys read').toBe(0);

    // Live, finalized two blocks back: only the blocks above it are the window (reorgDepth allows 3).
    const sub = await open();
    await mine(15, 0, 2);
    await mine(16, 0, 0);
    await t.setStatus({ ready: true, block: 16n, finalized: 14n });
    await feed.sync();
    t.queries.reset();
    await feed.sync();
    expect(keyReads(), 'the window keys read').toBe(1);
    expect(feed.windowStartId).toBe(eventId(15n, 0));
    expect(feed.known.map((r) => r.id)).toEqual([eventId(15n, 0), eventId(15n, 1)]);
    await rollBack(15, 14);
    await mine(15, 1, 1);
    await mine(16, 1, 0);
    await feed.sync();
    await sub.settle();
    expect(ids(sub.got)).toEqual(['+000000000015-000000@0', '+000000000015-000001@0', '-000000000015-000001@0', '-000000000015-000000@0', '+000000000015-000000@1']);
    await sub.stream.return?.();
  });
});
