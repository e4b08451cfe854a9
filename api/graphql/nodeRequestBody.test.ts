/**
 * GraphQL bodies over real TCP, where the API reads them from Node's request (nodeRequestBody.ts):
 * the same answers as through `app.request` (the request's own body), for good bodies, bad JSON,
 * a byte order mark, and bodies over the limit, declared or streamed.
 */
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { createApi } from '../createApi';
import { servedApi, type ServedApi } from '../test/servedApi';

const MAX_BODY = 1024;
/** Under this media type, a request that cannot be parsed is a 400 (GraphQL over HTTP). */
const ACCEPT = 'application/graphql-response+json';

let served: ServedApi;
let api: ReturnType<typeof createApi>;
let port: number;

beforeAll(async () => {
  served = await servedApi({ maxBodyBytes: MAX_BODY, subscriptions: { signal: null, pollMs: 60_000 }, clients: { requests: false } });
  ({ api, port } = served);
});

afterAll(async () => {
  await served?.close();
});

type Answer = { status: number; body: string };

/** POSTs `chunks` to /graphql over TCP: with Content-Length, or chunked (`chunked: true`). */
function post(chunks: (string | Buffer)[], options: { chunked?: boolean; contentType?: string } = {}): Promise<Answer> {
  const bytes = chunks.map((c) => (typeof c === 'string' ? Buffer.from(c) : c));
  const headers: Record<string, string> = { 'content-type': options.contentType ?? 'application/json', accept: ACCEPT };
  if (!options.chunked) headers['content-length'] = String(bytes.reduce((n, b) => n + b.length, 0));
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: '/graphql', method: 'POST', headers }, async (res) => {
      let body = '';
      for await (const chunk of res) body += chunk;
      resolve({ status: res.statusCode!, body });
    });
    req.on('error', reject);
    for (const b of bytes) req.write(b);
    req.end();
  });
}

/** The same body through `app.request`, where the request's own body is read. */
async function inProcess(body: string | Uint8Array<ArrayBuffer>, contentType = 'application/json'): Promise<Answer> {
  const res = await api.request('/graphql', { method: 'POST', headers: { 'content-type': contentType, accept: ACCEPT }, body });
  return { status: res.status, body: await res.text() };
}

const QUERY = JSON.stringify({ query: 'query Probe($n: Int) { jobs(first: $n) { edges { cursor } } }', variables: { n: 1 }, operationName: 'Probe' });

describe('POST bodies read from Node', () => {
  test('behavior: a query, whole or in several chunks, answers as through the request body', async () => {
    const expected = await inProcess(QUERY);
    expect(expected).toEqual({ status: 200, body: JSON.stringify({ data: { jobs: { edges: [] } } }) });
    expect(await post([QUERY])).toEqual(expected);
    expect(await post([QUERY.slice(0, 10), QUERY.slice(10, 40), QUERY.slice(40)], { chunked: true })).toEqual(expected);
  });

  test('behavior: UTF-8 split across chunks, and a leading byte order mark, decode as Request.text() does', async () => {
    const query = JSON.stringify({ query: '{ __typename } # é, 工' });
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(query)]);
    const cut = bytes.indexOf(0xe5) + 1; // inside the three bytes of 工
    const expected = await inProcess(new Uint8Array(bytes));
    expect(expected).toEqual({ status: 200, body: JSON.stringify({ data: { __typename: 'Query' } }) });
    expect(await post([bytes.subarray(0, cut), bytes.subarray(cut)], { chunked: true })).toEqual(expected);
  });

  test('error: bad JSON and a body that is not an object are BAD_REQUEST (400), as through the request body', async () => {
    for (const body of ['{"query": ', '"{ __typename }"', 'null']) {
      const expected = await inProcess(body);
      expect(expected.status).toBe(400);
      expect(JSON.parse(expected.body).errors[0].extensions.code).toBe('BAD_REQUEST');
      expect(await post([body])).toEqual(expected);
    }
  });

  test('behavior: a GET query (no body) answers as in process', async () => {
    const path = `/graphql?query=${encodeURIComponent('{ __typename }')}`;
    const expected = await api.request(path, { headers: { accept: ACCEPT } });
    const overTcp = await fetch(`http://127.0.0.1:${port}${path}`, { headers: { accept: ACCEPT } });
    expect(overTcp.status).toBe(200);
    expect(await overTcp.text()).toBe(await expected.text());
  });

  test('behavior: a GraphQL string body (application/graphql) is read too', async () => {
    const expected = await inProcess('{ __typename }', 'application/graphql');
    expect(await post(['{ __typename }'], { contentType: 'application/graphql' })).toEqual(expected);
  });

  test('error: over the limit, declared or streamed, is BAD_REQUEST (413)', async () => {
    const big = JSON.stringify({ query: `{ __typename } #${'x'.repeat(MAX_BODY)}` });
    const declared = await post([big]);
    const streamed = await post([big.slice(0, 600), big.slice(600)], { chunked: true });
    for (const answer of [declared, streamed, await inProcess(big)]) {
      expect(answer.status).toBe(413);
      expect(JSON.parse(answer.body).errors[0]).toMatchObject({ message: 'The request body is too large', extensions: { code: 'BAD_REQUEST' } });
    }
    // The server is fine afterwards.
    expect((await post([QUERY])).status).toBe(200);
  });
});
