/**
 * The event stream of a subscription, as it leaves the server: over real TCP (@hono/node-server, as
 * Ponder serves it) the events are written straight to the Node response; through `app.request`
 * (no Node response) they travel in a ReadableStream body. Both carry the same head (event stream,
 * CORS, request id) and the same bytes; a client that goes away ends its subscription on the server.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { waitFor } from '../../testkit/waitFor';
import type { createApi } from '../createApi';
import { apiCounters, jobPostedRow } from '../test/liveEvents';
import { servedApi, type ServedApi } from '../test/servedApi';
import type { TestDatabase } from '../test/testDatabase';

const QUERY = 'subscription { jobEvents { cursor event { id name } } }';

let t: TestDatabase;
let api: ReturnType<typeof createApi>;
let served: ServedApi;
let url: string;

beforeAll(async () => {
  served = await servedApi({ subscriptions: { signal: null, pollMs: 25, reorgDepth: 2 }, clients: { requests: false } });
  ({ t, api, url } = served);
});

afterAll(async () => {
  await served?.close();
});

let block = 0;
/** One block with one JobPosted, written as the indexer writes it, and the head moved there. */
async function mine(): Promise<string> {
  block++;
  const row = jobPostedRow(block, 0, { block });
  await t.writer.insert(t.tables.jobEvent).values(row);
  await t.setStatus({ ready: true, block: BigInt(block) });
  return row.id;
}

const metrics = () => apiCounters(url);

const subscription = (signal: AbortSignal): RequestInit => ({
  method: 'POST',
  headers: { 'Content-Type': 'application/json', Accept: 'text/event-stream', Origin: 'https://app.example', 'X-Request-Id': 'sse-test-1' },
  body: JSON.stringify({ query: QUERY }),
  signal,
});

/** Reads `body` until `count` `next` messages have arrived; returns the text read. */
async function readMessages(body: ReadableStream<Uint8Array>, count: number): Promise<string> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  while ((text.match(/^event: next$/gm) ?? []).length < count) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
  }
  reader.releaseLock();
  return text;
}

const head = (res: Response) => ({
  status: res.status,
  type: res.headers.get('content-type'),
  cacheControl: res.headers.get('cache-control'),
  allowOrigin: res.headers.get('access-control-allow-origin'),
  exposes: res.headers.get('access-control-expose-headers'),
  requestId: res.headers.get('x-request-id'),
});

test('default: over TCP and in process, the same head and the same messages; a client that leaves ends its subscription', async () => {
  const tcp = new AbortController();
  const overTcp = await fetch(`${url}/graphql`, subscription(tcp.signal));
  const inProcess = await api.request('/graphql', subscription(new AbortController().signal));
  const expected = { status: 200, type: 'text/event-stream', cacheControl: 'no-cache', allowOrigin: '*', requestId: 'sse-test-1' };
  expect(head(overTcp)).toMatchObject(expected);
  expect(head(inProcess)).toMatchObject(expected);
  expect(head(overTcp).exposes).toMatch(/X-Request-Id/i);
  await waitFor('both subscriptions to follow the feed', async () => (await metrics()).loom_api_subscriptions === 2, 10_000, 25);

  const ids = [await mine(), await mine()];
  const [a, b] = await Promise.all([readMessages(overTcp.body!, 2), readMessages(inProcess.body!, 2)]);
  // A ping first, then one `next` message per event, byte for byte the same on both paths.
  expect(a.startsWith(':\n\n')).toBe(true);
  expect(a).toBe(b);
  const messages = [...a.matchAll(/^event: next\ndata: (.*)\n\n/gm)].map((m) => JSON.parse(m[1]!).data.jobEvents.event);
  expect(messages).toEqual(ids.map((id) => ({ id, name: 'JobPosted' })));

  // The clients leave (the socket closed; the in-process body cancelled): the server ends both
  // subscriptions and gives their streams back.
  tcp.abort();
  await inProcess.body!.cancel();
  await waitFor(
    'the subscriptions to end',
    async () => {
      const m = await metrics();
      return m.loom_api_subscriptions === 0 && m.loom_api_sse_streams === 0;
    },
    10_000,
    25,
  );
});
