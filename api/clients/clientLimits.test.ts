/**
 * Per-client limits on the GraphQL endpoint, on a real database (the app in-process, each request
 * given its client's socket address as @hono/node-server gives it): the token bucket on requests
 * (429, Retry-After, RATE_LIMITED; other clients unaffected; X-Forwarded-For only from a trusted
 * proxy), the cap on open subscription streams, both off by configuration, the configuration from
 * the environment, and the SDK's reading of a RATE_LIMITED answer. Slow readers: slowReaders.test.ts.
 */
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createLoomReader, LoomApiError } from '../../sdk/reads';
import { MarketQuery } from '../../sdk/documents';
import { createApi, type ApiOptions } from '../createApi';
import { gql, type GraphQLResponse } from '../test/gql';
import { createTestDatabase, type TestDatabase } from '../test/testDatabase';
import { clientLimitsFromEnv, defaultClientLimits } from './clientLimits';
import { RateLimiter } from './rateLimiter';

let t: TestDatabase;
const logger = pino({ level: 'silent' });

beforeAll(async () => {
  t = await createTestDatabase();
  await t.setStatus({ ready: true, block: 1n });
});
afterAll(async () => {
  await t?.drop();
});

/** The env @hono/node-server hands the app: the socket the request came on. */
const from = (ip: string) => ({ incoming: { socket: { remoteAddress: ip } } });

const QUERY = JSON.stringify({ query: '{ __typename }' });
const SUBSCRIPTION = JSON.stringify({ query: 'subscription { jobEvents { cursor } }' });

function app(clients: ApiOptions['clients']) {
  return createApi({ db: t.db, tables: t.tables, logger, artifacts: false, subscriptions: { signal: null, pollMs: 60_000 }, clients });
}

async function ask(api: ReturnType<typeof app>, ip: string, headers: Record<string, string> = {}): Promise<GraphQLResponse> {
  const res = await api.request('/graphql', { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json', ...headers }, body: QUERY }, from(ip));
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: JSON.parse(text), text };
}

/** Starts a subscription; the response stays open until its body is cancelled. */
const open = (api: ReturnType<typeof app>, ip: string) =>
  api.request('/graphql', { method: 'POST', headers: { 'content-type': 'application/json', accept: 'text/event-stream' }, body: SUBSCRIPTION }, from(ip));

function expectRateLimited(res: GraphQLResponse | { status: number; headers: Headers; body: GraphQLResponse['body'] }, retryAfter: number, message: RegExp) {
  expect(res.status).toBe(429);
  expect(res.headers.get('retry-after')).toBe(String(retryAfter));
  expect(res.body.errors).toHaveLength(1);
  expect(res.body.errors![0]!.extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfter });
  expect(res.body.errors![0]!.message).toMatch(message);
}

describe('the token bucket', () => {
  test('behavior: a burst, then a sustained rate; Retry-After is the wait for the next token', () => {
    let now = 0;
    const limiter = new RateLimiter({ burst: 3, perSecond: 0.5 }, () => now);
    expect([1, 2, 3].map(() => limiter.take('a').ok)).toEqual([true, true, true]);
    expect(limiter.take('a')).toEqual({ ok: false, retryAfterSeconds: 2 });
    expect(limiter.take('b').ok).toBe(true);
    now = 1500;
    expect(limiter.take('a')).toEqual({ ok: false, retryAfterSeconds: 1 });
    now = 2000;
    expect(limiter.take('a').ok).toBe(true);
    expect(limiter.take('a').ok).toBe(false);
    now = 60_000; // refilled to the burst, never above it
    expect([1, 2, 3, 4].map(() => limiter.take('a').ok)).toEqual([true, true, true, false]);
  });

  test('behavior: `max` per window refills the whole window at once (the artifact routes\' limits)', () => {
    let now = 1_000_000;
    const limiter = new RateLimiter({ max: 2, windowMs: 60_000 }, () => now);
    expect([limiter.take('a').ok, limiter.take('a').ok]).toEqual([true, true]);
    expect(limiter.take('a')).toEqual({ ok: false, retryAfterSeconds: 60 });
    now += 59_000;
    expect(limiter.take('a')).toEqual({ ok: false, retryAfterSeconds: 1 });
    now += 1_000;
    expect([limiter.take('a').ok, limiter.take('a').ok, limiter.take('a').ok]).toEqual([true, true, false]);
  });

  test('error: a limit that admits nothing is refused', () => {
    expect(() => new RateLimiter({ burst: 0, perSecond: 1 })).toThrow(/invalid rate limit/);
    expect(() => new RateLimiter({ burst: 1, perSecond: 0 })).toThrow(/invalid rate limit/);
  });
});

describe('configuration from the environment', () => {
  test('behavior: defaults, values, and 0 or "off" to disable', () => {
    expect(clientLimitsFromEnv({})).toEqual(defaultClientLimits);
    expect(clientLimitsFromEnv({ LOOM_API_REQUESTS_BURST: '50', LOOM_API_REQUESTS_PER_SECOND: '5', LOOM_API_STREAMS_PER_CLIENT: '3', LOOM_API_TRUST_PROXY: '1' })).toMatchObject({
      requests: { burst: 50, perSecond: 5 },
      streamsPerClient: 3,
      trustProxy: true,
    });
    expect(clientLimitsFromEnv({ LOOM_API_REQUESTS_BURST: '0', LOOM_API_STREAMS_PER_CLIENT: 'off' })).toMatchObject({ requests: false, streamsPerClient: false });
    expect(clientLimitsFromEnv({ LOOM_API_REQUESTS_PER_SECOND: 'off' }).requests).toBe(false);
  });

  test('error: a bad value names the variable', () => {
    expect(() => clientLimitsFromEnv({ LOOM_API_REQUESTS_BURST: 'lots' })).toThrow(/LOOM_API_REQUESTS_BURST="lots": expected a whole number/);
    expect(() => clientLimitsFromEnv({ LOOM_API_STREAMS_PER_CLIENT: '-1' })).toThrow(/LOOM_API_STREAMS_PER_CLIENT/);
    expect(() => clientLimitsFromEnv({ LOOM_API_TRUST_PROXY: 'yes' })).toThrow(/LOOM_API_TRUST_PROXY="yes": expected 1 or 0/);
    expect(() => clientLimitsFromEnv({ LOOM_API_SUBSCRIPTION_MAX_QUEUED: '0' })).toThrow(/at least 1/);
  });
});

describe('GraphQL requests per client', () => {
  test('error: over the bucket, 429 with Retry-After and RATE_LIMITED; another client is not affected; tokens come back', async () => {
    let now = 1_000_000;
    const api = app({ requests: { burst: 3, perSecond: 1 }, now: () => now });
    for (let i = 0; i < 3; i++) expect((await ask(api, '10.0.0.1')).body.data).toEqual({ __typename: 'Query' });
    const over = await ask(api, '10.0.0.1');
    expectRateLimited(over, 1, /Too many requests from this client \(at most 3 at once, then 1 per second\); retry in 1 s/);
    expect(over.headers.get('x-request-id')).toBeTruthy();

    // Another client, and X-Forwarded-For (ignored: no trusted proxy) changes nothing for the first.
    expect((await ask(api, '10.0.0.2')).status).toBe(200);
    expect((await ask(api, '10.0.0.1', { 'x-forwarded-for': '10.9.9.9' })).status).toBe(429);

    now += 1000;
    expect((await ask(api, '10.0.0.1')).status).toBe(200);
    expect((await ask(api, '10.0.0.1')).status).toBe(429);

    // Counted in the metrics.
    const metrics = await (await api.request('/api/metrics')).text();
    expect(metrics).toMatch(/^loom_api_rate_limited_total\{limit="requests"\} 3$/m);
  });

  test('behavior: behind a trusted proxy, the client is the first X-Forwarded-For entry', async () => {
    const api = app({ requests: { burst: 1, perSecond: 0.01 }, trustProxy: true });
    const proxy = '127.0.0.1';
    expect((await ask(api, proxy, { 'x-forwarded-for': '203.0.113.1, 10.0.0.1' })).status).toBe(200);
    expect((await ask(api, proxy, { 'x-forwarded-for': '203.0.113.2' })).status).toBe(200);
    expect((await ask(api, proxy, { 'x-forwarded-for': '203.0.113.1' })).status).toBe(429);
  });

  test('behavior: preflights are not counted', async () => {
    const api = app({ requests: { burst: 1, perSecond: 0.01 } });
    for (let i = 0; i < 5; i++) {
      const res = await api.request('/graphql', { method: 'OPTIONS', headers: { origin: 'http://ui.example', 'access-control-request-method': 'POST' } }, from('10.0.0.5'));
      expect(res.status).toBe(204);
    }
    expect((await ask(api, '10.0.0.5')).status).toBe(200);
  });

  test('behavior: off by configuration, nothing is refused', async () => {
    const api = app({ requests: false });
    const statuses = await Promise.all(Array.from({ length: 60 }, () => ask(api, '10.0.0.1').then((r) => r.status)));
    expect(new Set(statuses)).toEqual(new Set([200]));
  });

  test('behavior: the SDK reports RATE_LIMITED with the Retry-After to wait', async () => {
    const api = app({ requests: { burst: 1, perSecond: 0.25 } });
    const reader = createLoomReader({ url: 'http://api.test', fetch: ((input: RequestInfo | URL, init?: RequestInit) => api.request(String(input), init, from('10.0.0.7'))) as typeof fetch });
    await reader.query(MarketQuery, {}).catch(() => {}); // the one token (the market row may not exist)
    const err = (await reader.query(MarketQuery, {}).catch((e: unknown) => e)) as LoomApiError;
    expect(err).toBeInstanceOf(LoomApiError);
    expect(err.code).toBe('RATE_LIMITED');
    expect(err.retryAfterSeconds).toBe(4);
    expect(err.message).toMatch(/^RATE_LIMITED: .*retry in 4 s/);
  });
});

describe('open subscription streams per client', () => {
  test('error: over the cap, 429 RATE_LIMITED before the subscription starts; a slot frees when a stream closes; others unaffected', async () => {
    const api = app({ streamsPerClient: 2 });
    const first = await open(api, '10.0.1.1');
    const second = await open(api, '10.0.1.1');
    for (const res of [first, second]) {
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    }
    const refused = await open(api, '10.0.1.1');
    const body = await refused.json();
    expectRateLimited({ status: refused.status, headers: refused.headers, body }, 5, /Too many open subscriptions from this client \(at most 2\); close one, or retry in 5 s/);

    // Another client has its own slots; queries are not streams.
    const other = await open(api, '10.0.1.2');
    expect(other.status).toBe(200);
    expect((await ask(api, '10.0.1.1')).status).toBe(200);

    const metrics = async () => (await api.request('/api/metrics')).text();
    expect(await metrics()).toMatch(/^loom_api_sse_streams 3$/m);
    expect(await metrics()).toMatch(/^loom_api_rate_limited_total\{limit="streams"\} 1$/m);

    // The client closes one stream: its slot is free again.
    await first.body!.cancel();
    expect(await metrics()).toMatch(/^loom_api_sse_streams 2$/m);
    const again = await open(api, '10.0.1.1');
    expect(again.status).toBe(200);
    for (const res of [second, other, again]) await res.body!.cancel();
    expect(await metrics()).toMatch(/^loom_api_sse_streams 0$/m);
  });

  test('behavior: a subscription refused for another reason gives its slot back', async () => {
    const api = app({ streamsPerClient: 1 });
    for (let i = 0; i < 3; i++) {
      const res = await api.request(
        '/graphql',
        { method: 'POST', headers: { 'content-type': 'application/json', accept: 'text/event-stream' }, body: JSON.stringify({ query: 'subscription { jobEvents(after: "nope") { cursor } }' }) },
        from('10.0.2.1'),
      );
      expect(await res.text()).toMatch(/INVALID_CURSOR/);
    }
    const ok = await open(api, '10.0.2.1');
    expect(ok.status).toBe(200);
    await ok.body!.cancel();
  });

  test('behavior: off by configuration, any number of streams', async () => {
    const api = app({ streamsPerClient: false });
    const streams = await Promise.all(Array.from({ length: 12 }, () => open(api, '10.0.3.1')));
    expect(streams.map((s) => s.status)).toEqual(Array(12).fill(200));
    for (const s of streams) await s.body!.cancel();
  });
});
