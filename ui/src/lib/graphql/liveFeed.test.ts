import { expect, test, vi } from 'vitest';
import type { LoomListener, LoomReader } from '$sdk/reads';
import { LiveFeed, type FeedMessage } from './liveFeed.svelte';

type Sink = (result: { data?: unknown; error?: unknown }) => void;

/** A stand-in for the SDK's reader: one latest event, and subscriptions the test drives by hand. */
function fakeClient(latest: { cursor: string; timestamp: string; blockNumber: string } | undefined) {
  const subscriptions: { variables: { after: string | null }; sink: Sink; closed: boolean }[] = [];
  const client = {
    query: async () => ({ jobEvents: { edges: latest ? [{ node: latest }] : [] } }),
    listen: (_doc: unknown, variables: { after: string | null }, listener: LoomListener<unknown>) => {
      const s = { variables, sink: listenerSink(listener), closed: false };
      subscriptions.push(s);
      return () => (s.closed = true);
    },
  } as unknown as LoomReader;
  return { client, subscriptions };
}

/** Results pushed into a `listen` callback as the reader pushes them: data, or the stream's failure. */
const listenerSink =
  (listener: LoomListener<unknown>): Sink =>
  (result) =>
    result.error ? listener.error(result.error as never) : listener.next(result.data);

const event = (id: string, block: number, timestamp: number, jobId: string | null = '0x01') => ({
  id,
  cursor: `c-${id}`,
  blockNumber: String(block),
  blockHash: `0x${id}`,
  txHash: `0xtx${id}`,
  logIndex: 0,
  timestamp: String(timestamp),
  name: 'JobPosted',
  jobId,
  account: null,
  args: {},
});

test('LiveFeed: one stream from the newest cursor; after a drop it resumes from the last delivery, missing nothing', async () => {
  vi.useFakeTimers();
  const now = Math.floor(Date.now() / 1000);
  const { client, subscriptions } = fakeClient({ cursor: 'c-0', timestamp: String(now + 3600), blockNumber: '7' });
  const feed = new LiveFeed(client);
  const seen: FeedMessage[] = [];
  feed.on((m) => seen.push(m));
  feed.start();
  await vi.advanceTimersByTimeAsync(0);

  expect(subscriptions).toHaveLength(1);
  expect(subscriptions[0]!.variables).toEqual({ after: 'c-0' });
  // Chain time ran ahead of the wall clock (time travel on anvil): deadlines are judged by chain time.
  expect(feed.clockOffset).toBeGreaterThanOrEqual(3599);
  expect(feed.headBlock).toBe(7n);

  subscriptions[0]!.sink({ data: { jobEvents: { retracted: false, cursor: 'c-1', event: event('1', 8, now) } } });
  subscriptions[0]!.sink({ data: { jobEvents: { retracted: true, cursor: 'c-1r', event: event('1', 8, now) } } });
  expect(feed.status).toBe('live');
  expect(feed.headBlock).toBe(8n);
  expect(seen.map((m) => (m.kind === 'event' ? `${m.delivery.retracted ? '-' : '+'}${m.delivery.event.id}` : m.kind))).toEqual(['+1', '-1']);
  expect(feed.recent).toHaveLength(2);

  // The stream fails: the feed says so, waits, and resubscribes after the last cursor it processed.
  subscriptions[0]!.sink({ error: new Error('UNAVAILABLE') });
  expect(subscriptions[0]!.closed).toBe(true);
  expect(feed.status).toBe('reconnecting');
  await vi.advanceTimersByTimeAsync(600);
  expect(subscriptions).toHaveLength(2);
  expect(subscriptions[1]!.variables).toEqual({ after: 'c-1r' });

  feed.stop();
  expect(subscriptions[1]!.closed).toBe(true);
  expect(feed.status).toBe('offline');
  vi.useRealTimers();
});

test('LiveFeed: with no events yet it listens from now', async () => {
  vi.useFakeTimers();
  const { client, subscriptions } = fakeClient(undefined);
  const feed = new LiveFeed(client);
  feed.start();
  await vi.advanceTimersByTimeAsync(0);
  expect(subscriptions[0]!.variables).toEqual({ after: null });
  feed.stop();
  vi.useRealTimers();
});

test('LiveFeed: ready waits for the starting cursor, so that a view reading after it misses no event', async () => {
  let answer: (value: unknown) => void = () => {};
  const subscriptions: unknown[] = [];
  const client = {
    query: () => new Promise((resolve) => (answer = (result) => resolve((result as { data: unknown }).data))),
    listen: () => (subscriptions.push(1), () => {}),
  } as unknown as LoomReader;
  const feed = new LiveFeed(client);
  let ready = false;
  void feed.ready.then(() => (ready = true));
  feed.start();
  await Promise.resolve();
  expect(ready).toBe(false);
  answer({ data: { jobEvents: { edges: [{ node: { cursor: 'c-9', timestamp: '1', blockNumber: '9' } }] } } });
  await feed.ready;
  expect(ready).toBe(true);
  expect(subscriptions).toHaveLength(1);
  feed.stop();
});

test('LiveFeed: ready also resolves when the first try fails, or the feed is stopped', async () => {
  vi.useFakeTimers();
  const failing = { query: async () => Promise.reject(new Error('down')) } as unknown as LoomReader;
  const feed = new LiveFeed(failing);
  feed.start();
  await vi.advanceTimersByTimeAsync(0);
  await feed.ready;
  expect(feed.status).toBe('reconnecting');
  feed.stop();

  const never = new LiveFeed({ query: () => new Promise(() => {}) } as unknown as LoomReader);
  never.start();
  never.stop();
  await never.ready;
  vi.useRealTimers();
});
