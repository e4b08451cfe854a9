/**
 * The bad-input suite: malformed requests and documents, limits, oversized pages, bad cursors, bad
 * addresses and ids, unknown entities, and a failing database. Every answer is a clear GraphQL error
 * with a code from the closed set, never a stack trace, and the server keeps answering valid queries.
 */
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { foldJob } from '../indexer/src/fold/job';
import { createApi } from './createApi';
import type { Db } from './data/tables';
import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { errorCodes } from './graphql/errors';
import { encodeCursor } from './data/pagination';
import { accounts, buildFixture, loadFixture, type Fixture } from './test/fixtures';
import { codes, gql, type GraphQLResponse } from './test/gql';
import { createTestDatabase, type TestDatabase } from './test/testDatabase';

let t: TestDatabase;
let fixture: Fixture;
let app: ReturnType<typeof createApi>;
const logs: Record<string, unknown>[] = [];
const logger = pino(
  { level: 'info' },
  new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n')) if (line) logs.push(JSON.parse(line));
      done();
    },
  }),
);

beforeAll(async () => {
  t = await createTestDatabase();
  fixture = await loadFixture(t, buildFixture());
  app = createApi({ db: t.db, tables: t.tables, foldJob, logger });
});
afterAll(async () => {
  await t?.drop();
});

const VALID = '{ jobs(first: 2) { edges { node { id } } } }';

/** The response is errors only, each with `code`, the closed set, and nothing that looks internal. */
function expectError(res: GraphQLResponse, code: string, message?: RegExp) {
  expect(res.body.errors?.length, res.text).toBeGreaterThan(0);
  expect(codes(res)).toContain(code);
  for (const error of res.body.errors!) {
    expect(errorCodes).toContain(error.extensions?.code);
    if (message) expect(error.message).toMatch(message);
  }
  expectNothingInternal(res);
}

function expectNothingInternal(res: GraphQLResponse) {
  expect(res.text).not.toMatch(/\bat .+\(.*:\d+:\d+\)|node_modules|\.ts:\d+|"stack"|originalError|drizzle|postgres/i);
}

// After every bad request, the server still answers a valid one.
afterEach(async () => {
  const res = await gql(app, VALID);
  expect(res.body.errors, res.text).toBeUndefined();
  expect(res.body.data.jobs.edges).toHaveLength(2);
});

describe('error: malformed requests', () => {
  test('error: a body that is not JSON is BAD_REQUEST', async () => {
    const res = await app.request('/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query": ' });
    expect((await res.json()).errors[0].extensions.code).toBe('BAD_REQUEST');
    // Under the GraphQL-over-HTTP media type, request errors are HTTP 400 too.
    const strict = await app.request('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
      body: '{"query": ',
    });
    expect(strict.status).toBe(400);
  });

  test('error: no query is BAD_REQUEST', async () => {
    const res = await app.request('/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect((await res.json()).errors[0].extensions.code).toBe('BAD_REQUEST');
  });

  test('error: a GET without query (and not a browser) is BAD_REQUEST', async () => {
    const res = await app.request('/graphql', { headers: { accept: 'application/json' } });
    expect((await res.json()).errors[0].extensions.code).toBe('BAD_REQUEST');
  });

  test('error: an unknown parameter is BAD_REQUEST', async () => {
    const res = await app.request('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: VALID, extra: 1 }),
    });
    expect((await res.json()).errors[0].extensions.code).toBe('BAD_REQUEST');
  });

  test('error: a body over 64 KiB is BAD_REQUEST (413)', async () => {
    const res = await app.request('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: VALID, variables: { pad: 'x'.repeat(70_000) } }),
    });
    expect(res.status).toBe(413);
    expect((await res.json()).errors[0].extensions.code).toBe('BAD_REQUEST');
  });

  test('error: an unknown operation name is BAD_REQUEST', async () => {
    expectError(await gql(app, 'query A { market { feeBps } }', undefined, { operationName: 'B' }), 'BAD_REQUEST');
  });

  test('error: syntax errors are GRAPHQL_PARSE_FAILED, with the location', async () => {
    const res = await gql(app, '{ jobs(first: 2 { edges }');
    expectError(res, 'GRAPHQL_PARSE_FAILED', /Syntax Error/);
    expect(res.body.errors![0].locations).toBeDefined();
  });

  test('error: unknown fields (in queries and subscriptions), mutations and wrong argument types are GRAPHQL_VALIDATION_FAILED', async () => {
    expectError(await gql(app, '{ jobs { nope } }'), 'GRAPHQL_VALIDATION_FAILED', /nope/);
    expectError(await gql(app, 'mutation { x }'), 'GRAPHQL_VALIDATION_FAILED');
    expectError(await gql(app, 'subscription { jobEvents { nope } }'), 'GRAPHQL_VALIDATION_FAILED', /nope/);
    expectError(await gql(app, '{ jobs(first: "ten") { totalCount } }'), 'GRAPHQL_VALIDATION_FAILED');
    expectError(await gql(app, '{ jobs(filter: { kind: BOTH }) { totalCount } }'), 'GRAPHQL_VALIDATION_FAILED', /BOTH/);
  });

  test('error: a fragment cycle is GRAPHQL_VALIDATION_FAILED, not a hang', async () => {
    const res = await gql(app, '{ market { ...A } } fragment A on Market { ...B } fragment B on Market { ...A }');
    expectError(res, 'GRAPHQL_VALIDATION_FAILED', /Cannot spread fragment/);
  });
});

describe('error: limits', () => {
  test('error: depth over 12 is QUERY_TOO_COMPLEX', async () => {
    const deep = '{ jobs { edges { node { bids { edges { node { job { bids { edges { node { job { bids { edges { node { price } } } } } } } } } } } } } } }';
    const res = await gql(app, deep);
    expectError(res, 'QUERY_TOO_COMPLEX', /depth \d+ is over the limit of 12/);
    expect(res.body.errors![0].extensions?.limit).toBe(12);
  });

  test('error: more than 20 aliases is QUERY_TOO_COMPLEX (fragments count per spread)', async () => {
    const aliases = Array.from({ length: 21 }, (_, i) => `a${i}: market { feeBps }`).join(' ');
    expectError(await gql(app, `{ ${aliases} }`), 'QUERY_TOO_COMPLEX', /21 aliases/);
    const viaFragments = `{ ${Array.from({ length: 6 }, (_, i) => `m${i}: market { ...F }`).join(' ')} } fragment F on Market { x: feeBps y: treasury z: arbiters }`;
    expectError(await gql(app, viaFragments), 'QUERY_TOO_COMPLEX', /24 aliases/);
  });

  test('error: more than 2000 tokens is QUERY_TOO_COMPLEX', async () => {
    const fields = Array.from({ length: 2_100 }, () => 'feeBps').join(' ');
    expectError(await gql(app, `{ market { ${fields} } }`), 'QUERY_TOO_COMPLEX', /2000 tokens/);
  });

  test('error: a document over 16 KiB is QUERY_TOO_COMPLEX', async () => {
    expectError(await gql(app, `# ${'x'.repeat(17_000)}\n${VALID}`), 'QUERY_TOO_COMPLEX', /characters/);
  });

  test('error: an estimated cost over 20000 is QUERY_TOO_COMPLEX, with variables too', async () => {
    const costly = 'query($n: Int) { jobs(first: $n) { edges { node { bids(first: $n) { totalCount } events(first: $n) { totalCount } } } } }';
    expectError(await gql(app, costly, { n: 100 }), 'QUERY_TOO_COMPLEX', /estimated cost 20100/);
    // The same shape with smaller pages is fine.
    const ok = await gql(app, costly, { n: 50 });
    expect(ok.body.errors).toBeUndefined();
  });

  test('error: fragment fan-out is refused before it costs anything', async () => {
    const levels = 18;
    const fragments = Array.from({ length: levels }, (_, i) =>
      i === levels - 1 ? `fragment F${i} on Market { feeBps }` : `fragment F${i} on Market { ...F${i + 1} ...F${i + 1} }`,
    ).join(' ');
    const started = Date.now();
    const res = await gql(app, `{ market { ...F0 } } ${fragments}`);
    expectError(res, 'QUERY_TOO_COMPLEX');
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  test('error: a page over 100 is PAGE_TOO_LARGE; a negative one BAD_USER_INPUT', async () => {
    const res = await gql(app, '{ jobs(first: 101) { totalCount } }');
    expectError(res, 'PAGE_TOO_LARGE', /at most 100/);
    expect(res.body.errors![0].extensions?.maxPageSize).toBe(100);
    expect(res.body.errors![0].path).toEqual(['jobs']);
    expectError(await gql(app, '{ workers(first: 500) { totalCount } }'), 'PAGE_TOO_LARGE');
    expectError(await gql(app, '{ jobEvents(first: -1) { totalCount } }'), 'BAD_USER_INPUT');
    expectError(await gql(app, `{ matchWorkers(jobId: "${fixture.matchJobId}", first: 101) { score } }`), 'PAGE_TOO_LARGE');
    expectError(await gql(app, `{ job(id: "${fixture.matchJobId}") { bids(first: 1000) { totalCount } } }`), 'PAGE_TOO_LARGE');
  });
});

describe('error: cursors', () => {
  test('error: garbage, foreign and tampered cursors are INVALID_CURSOR', async () => {
    const page = await gql(app, '{ jobs(first: 1) { pageInfo { endCursor } } workers(first: 1) { pageInfo { endCursor } } }');
    const jobCursor = page.body.data.jobs.pageInfo.endCursor as string;
    const workerCursor = page.body.data.workers.pageInfo.endCursor as string;
    const bad = [
      'garbage!',
      'bm90IGpzb24',
      Buffer.from('{"o":"job:POSTED_AT_DESC"}').toString('base64url'),
      encodeCursor('job:POSTED_AT_DESC', ['1 OR 1=1', '0x00']),
      encodeCursor('job:POSTED_AT_DESC', ['12', 'not-a-hash']),
      workerCursor,
      'x'.repeat(600),
    ];
    for (const after of bad) {
      expectError(await gql(app, 'query($a: String) { jobs(after: $a) { totalCount } }', { a: after }), 'INVALID_CURSOR');
    }
    // A cursor is tied to its order.
    expectError(await gql(app, 'query($a: String) { jobs(orderBy: BUDGET_ASC, after: $a) { totalCount } }', { a: jobCursor }), 'INVALID_CURSOR');
    expectError(await gql(app, 'query($a: String) { jobEvents(after: $a) { totalCount } }', { a: jobCursor }), 'INVALID_CURSOR');
    expectError(await gql(app, 'query($a: String) { bids(after: $a) { totalCount } }', { a: jobCursor }), 'INVALID_CURSOR');
  });
});

describe('error: bad values', () => {
  test('error: bad addresses are BAD_USER_INPUT, as literals and as variables', async () => {
    for (const address of ['0x123', 'hello', `0x${'g'.repeat(40)}`, '0xAbCdEf0000000000000000000000000000000001']) {
      expectError(await gql(app, `{ worker(address: "${address}") { address } }`), 'BAD_USER_INPUT', /Address/);
      expectError(await gql(app, 'query($a: Address!) { balances(account: $a) { amount } }', { a: address }), 'BAD_USER_INPUT', /Address/);
      expectError(await gql(app, 'query($a: Address!) { credits(account: $a) { amount } }', { a: address }), 'BAD_USER_INPUT', /Address/);
      expectError(await gql(app, `{ market(address: "${address}") { feeBps } }`), 'BAD_USER_INPUT', /Address/);
    }
    expectError(await gql(app, 'query($f: JobFilter) { jobs(filter: $f) { totalCount } }', { f: { market: '0x1' } }), 'BAD_USER_INPUT');
    expectError(await gql(app, '{ worker(address: 12) { address } }'), 'BAD_USER_INPUT', /Address/);
    expectError(await gql(app, 'query($f: JobFilter) { jobs(filter: $f) { totalCount } }', { f: { client: '0x1' } }), 'BAD_USER_INPUT');
    expectError(await gql(app, 'query($f: JobFilter) { jobs(filter: $f) { totalCount } }', { f: { takableBy: 'bob' } }), 'BAD_USER_INPUT');
    expectError(await gql(app, '{ jobs(filter: { offeredTo: "0x1" }) { totalCount } }'), 'BAD_USER_INPUT', /Address/);
  });

  test('behavior: EIP-55 checksummed and uppercase-hex-digit addresses are accepted', async () => {
    const res = await gql(app, 'query($a: Address!) { worker(address: $a) { address } }', {
      a: '0x0000000000000000000000000000000000001001',
    });
    expect(res.body.data.worker.address).toBe(accounts.w1);
    const checksummed = await gql(app, '{ worker(address: "0x5FbDB2315678afecb367f032d93F642f64180aa3") { address } }');
    expect(checksummed.body.errors).toBeUndefined();
  });

  test('error: bad ids, BigInts, days and filters are BAD_USER_INPUT', async () => {
    expectError(await gql(app, '{ job(id: "42") { id } }'), 'BAD_USER_INPUT', /job id/);
    expectError(await gql(app, '{ bids(jobId: "0xzz") { totalCount } }'), 'BAD_USER_INPUT');
    expectError(await gql(app, `{ job(id: "${fixture.matchJobId}", atBlock: "-1") { id } }`), 'BAD_USER_INPUT', /BigInt/);
    expectError(await gql(app, `{ job(id: "${fixture.matchJobId}", atBlock: "1.5") { id } }`), 'BAD_USER_INPUT', /BigInt/);
    expectError(await gql(app, 'query($b: BigInt) { stateDigest(atBlock: $b) { digest } }', { b: 1e300 }), 'BAD_USER_INPUT');
    expectError(await gql(app, '{ stats(fromDay: "2025-02-30") { day } }'), 'BAD_USER_INPUT', /calendar day/);
    expectError(await gql(app, '{ stats(fromDay: "2023-01-01", toDay: "2025-01-01") { day } }'), 'BAD_USER_INPUT', /366/);
    expectError(await gql(app, '{ stats(fromDay: "2025-01-02", toDay: "2025-01-01") { day } }'), 'BAD_USER_INPUT');
    expectError(
      await gql(app, '{ jobs(filter: { status: [OPEN, OPEN, OPEN, OPEN, OPEN, OPEN] }) { totalCount } }'),
      'BAD_USER_INPUT',
      /at most 5/,
    );
    expectError(await gql(app, `{ jobs(filter: { fitsGpuModel: "${'x'.repeat(33)}" }) { totalCount } }`), 'BAD_USER_INPUT', /32 bytes/);
    expectError(await gql(app, '{ jobs(filter: { fitsGpuCount: -1 }) { totalCount } }'), 'BAD_USER_INPUT');
    expectError(await gql(app, '{ workers(filter: { minReputation: -5 }) { totalCount } }'), 'BAD_USER_INPUT');
    expectError(await gql(app, `{ worker(address: "${accounts.w1}") { reputation(version: 3) } }`), 'BAD_USER_INPUT', /version 3/);
    expectError(await gql(app, 'query($f: JobFilter) { jobs(filter: $f) { totalCount } }', { f: { kind: 'BOTH' } }), 'BAD_USER_INPUT');
    expectError(await gql(app, 'query($n: Int!) { jobs(first: $n) { totalCount } }', {}), 'BAD_USER_INPUT', /\$n/);
    expectError(await gql(app, 'query($n: Int) { jobs(first: $n) { totalCount } }', { n: 'ten' }), 'BAD_USER_INPUT');
  });

  test('behavior: unknown ids give null; matchWorkers on an unknown job is NOT_FOUND', async () => {
    const unknown = `0x${'ee'.repeat(32)}`;
    const res = await gql(app, `{ job(id: "${unknown}") { id } worker(address: "0x${'ee'.repeat(20)}") { address } }`);
    expect(res.body).toEqual({ data: { job: null, worker: null } });
    const missing = await gql(app, `{ matchWorkers(jobId: "${unknown}") { score } }`);
    expectError(missing, 'NOT_FOUND');
    expect(missing.body.data).toBeNull();
    const noMarket = await gql(app, `{ market(address: "0x${'ee'.repeat(20)}") { feeBps } credits(account: "0x${'ee'.repeat(20)}") { amount } }`);
    expect(noMarket.body).toEqual({ data: { market: null, credits: [] } });
  });

  test('behavior: an error in one field leaves the others answered', async () => {
    const res = await gql(app, '{ market { feeBps } job(id: "42") { id } }');
    expect(res.body.data).toEqual({ market: { feeBps: 100 }, job: null });
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    expect(res.body.errors![0].path).toEqual(['job']);
  });
});

describe('error: failures behind the API', () => {
  test('error: an unreachable database is UNAVAILABLE, with no detail, and logged', async () => {
    const pool = new pg.Pool({ connectionString: 'postgresql://postgres@127.0.0.1:1/postgres', connectionTimeoutMillis: 2_000 });
    const broken = createApi({ db: drizzle(pool, { casing: 'snake_case' }) as unknown as Db, tables: t.tables, logger });
    logs.length = 0;
    const res = await gql(broken, VALID, undefined, { headers: { 'x-request-id': 'req-unavailable-1' } });
    expectError(res, 'UNAVAILABLE', /retry later/);
    expect(res.body.errors![0].extensions?.requestId).toBe('req-unavailable-1');
    expect(res.headers.get('x-request-id')).toBe('req-unavailable-1');
    expect(logs.some((l) => l.requestId === 'req-unavailable-1' && l.level === 50)).toBe(true);
    const ready = await broken.request('/api/ready');
    expect(ready.status).toBe(503);
    await pool.end();
  });

  test('error: a failing query is INTERNAL, masked, and logged under the request id', async () => {
    const failing = {
      select: () => {
        throw new Error('relation "job" does not exist at /secret/path.ts:12:3');
      },
    } as unknown as Db;
    const broken = createApi({ db: failing, tables: t.tables, logger });
    logs.length = 0;
    const res = await gql(broken, VALID);
    expectError(res, 'INTERNAL', /^Internal server error$/);
    const requestId = res.body.errors![0].extensions?.requestId;
    expect(requestId).toBe(res.headers.get('x-request-id'));
    expect(res.text).not.toContain('secret');
    const logged = logs.find((l) => l.requestId === requestId && l.level === 50) as { err?: { message?: string } };
    expect(logged?.err?.message).toContain('does not exist');
  });
});

describe('behavior: logs and metrics', () => {
  test('behavior: a request is logged with id, operation, duration and error codes, never variables', async () => {
    logs.length = 0;
    await gql(app, 'query Secretive($a: Address!) { worker(address: $a) { address } }', { a: 'sekrit-value' });
    const line = logs.find((l) => l.msg === 'graphql');
    expect(line).toMatchObject({ operation: 'Secretive', type: 'query', status: 200, errors: ['BAD_USER_INPUT'] });
    expect(typeof line?.requestId).toBe('string');
    expect(typeof line?.durationMs).toBe('number');
    expect(JSON.stringify(logs)).not.toContain('sekrit');
  });

  test('behavior: /api/metrics counts operations and errors by code', async () => {
    await gql(app, 'query Named { market { feeBps } }');
    await gql(app, '{ jobs(first: 101) { totalCount } }');
    const text = await (await app.request('/api/metrics')).text();
    expect(text).toMatch(/loom_api_graphql_operations_total\{operation="Named",type="query",outcome="ok"\} \d+/);
    expect(text).toMatch(/loom_api_graphql_errors_total\{code="PAGE_TOO_LARGE"\} \d+/);
    expect(text).toMatch(/loom_api_graphql_operation_duration_seconds_bucket\{operation="Named",type="query",le="\+Inf"\} \d+/);
    expect(text).toContain('# TYPE loom_api_graphql_operation_duration_seconds histogram');
  });
});
