/**
 * Slow clients cannot hold memory without bound. The API served over real TCP (@hono/node-server, as
 * Ponder serves it) on a real database; a raw client opens many subscriptions and never reads a byte
 * while large events flow (written to the database as the indexer would, driving the change feed).
 * The server's own counters (/api/metrics) show what it holds for them: each subscriber's queue stays
 * within its bound and the bytes waiting in its sockets within about one event past Node's buffer;
 * each of those subscriptions is ended ("fell too far behind") and, as the client does not read even
 * that, its connection is closed. A client that reads gets every event, in order, meanwhile.
 */
import { once } from 'node:events';
import net from 'node:net';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { eventId } from '../../indexer/src/fold/event';
import { waitFor } from '../../testkit/waitFor';
import { apiCounters, jobPostedRow } from '../test/liveEvents';
import { subscribe, type TestSubscription } from '../test/sse';
import { servedApi, type ServedApi } from '../test/servedApi';
import type { TestDatabase } from '../test/testDatabase';

const STALLED = 20;
/** Above one block's events, so a reader that keeps up never overflows on one batch. */
const MAX_QUEUED = 150;
const EVENT_BYTES = 4096;
const PER_BLOCK = 100;
/** What Node's socket buffer holds before it says "wait for drain" (16 KiB), plus one event, with room. */
const BYTES_PER_STALLED_STREAM = 64 * 1024;

let t: TestDatabase;
let served: ServedApi;
let url: string;
const sockets: net.Socket[] = [];
let reader: TestSubscription<{ jobEvents: { cursor: string; event: { id: string } } }> | undefined;

beforeAll(async () => {
  served = await servedApi({
    subscriptions: { signal: null, pollMs: 25, reorgDepth: 2 },
    clients: { maxQueued: MAX_QUEUED, slowClientGraceMs: 200, streamsPerClient: STALLED + 5, requests: false },
  });
  ({ t, url } = served);
});

afterAll(async () => {
  reader?.dispose();
  for (const s of sockets) s.destroy();
  await served?.close();
});

/** The server's metrics, by name (unlabelled ones). */
const metrics = () => apiCounters(url);

/** A raw HTTP/1.1 subscription request; the socket is never read (no 'data' listener, never resumed). */
function openStalled(): net.Socket {
  const body = JSON.stringify({ query: 'subscription { jobEvents { cursor event { id args } } }' });
  const socket = net.connect(served.port, '127.0.0.1');
  socket.write(
    `POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nAccept: text/event-stream\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
  sockets.push(socket);
  return socket;
}

let block = 0;
/** One block of PER_BLOCK large events, written as the indexer writes them, and the head moved there. */
async function mine(): Promise<void> {
  block++;
  const rows = Array.from({ length: PER_BLOCK }, (_, i) => jobPostedRow(block, i, { block, i, pad: 'x'.repeat(EVENT_BYTES) }));
  await t.writer.insert(t.tables.jobEvent).values(rows);
  await t.setStatus({ ready: true, block: BigInt(block) });
}

test('behavior: many subscriptions that are never read stay within their bounds, are ended, and their connections closed; a reader gets everything', async () => {
  reader = subscribe(`${url}/graphql`, 'subscription { jobEvents { cursor event { id } } }');
  for (let i = 0; i < STALLED; i++) openStalled();
  await waitFor('every subscription to follow the feed', async () => (await metrics()).loom_api_subscriptions === STALLED + 1, 20_000, 25);

  // Events flow, at the reader's pace, until every stalled subscriber has overflowed its queue.
  const samples: Record<string, number>[] = [];
  for (let n = 0; ; n++) {
    expect(n, 'blocks mined before every stalled subscriber was ended').toBeLessThan(200);
    await mine();
    await reader.until((r) => r.length >= block * PER_BLOCK);
    const m = await metrics();
    samples.push(m);
    if (m.loom_api_slow_subscribers_total === STALLED) break;
  }

  // Their connections are closed once they do not read the end in the grace period.
  const after = await waitFor('the stalled connections to be closed', async () => {
    const m = await metrics();
    return m.loom_api_sse_streams === 1 && m.loom_api_slow_connections_cut_total === STALLED && m;
  });
  samples.push(after);
  expect(after.loom_api_subscriptions).toBe(1);

  // What the server held for them, all along: queues within their bound, sockets' bytes within one event past Node's buffer.
  const mostQueued = Math.max(...samples.map((m) => m.loom_api_subscription_queued_items!));
  const mostBuffered = Math.max(...samples.map((m) => m.loom_api_sse_buffered_bytes!));
  console.log(`${STALLED} stalled subscribers over ${block} blocks of ${PER_BLOCK} events of ${EVENT_BYTES} bytes: at most ${mostQueued} items queued, ${mostBuffered} bytes buffered in sockets`);
  expect(mostQueued).toBeLessThanOrEqual(STALLED * (MAX_QUEUED + 1) + 10);
  expect(mostBuffered).toBeLessThanOrEqual(STALLED * BYTES_PER_STALLED_STREAM);
  expect(after.loom_api_subscription_queued_items).toBe(0);

  // The clients find their connections closed once they read at last.
  await Promise.all(
    sockets.map(async (s) => {
      s.on('error', () => {});
      s.resume();
      if (!s.closed) await once(s, 'close');
    }),
  );

  // The reader that kept up got every event, in order, and no error.
  const ids = reader.received.map((r) => r.value.jobEvents.event.id);
  expect(ids).toEqual(Array.from({ length: block }, (_, b) => Array.from({ length: PER_BLOCK }, (_, i) => eventId(BigInt(b + 1), i))).flat());
  expect(reader.errors).toEqual([]);
  expect((await metrics()).loom_api_sse_streams).toBe(1);
}, 180_000);
