import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { afterAll, describe, expect, test } from 'vitest';
import { artifactRoutes } from './artifactRoutes';
import { LocalArtifactStore } from './localArtifactStore';

const root = mkdtempSync(join(os.tmpdir(), 'loom-artifacts-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let n = 0;
function setup(options: Parameters<typeof artifactRoutes>[1] = {}) {
  const dir = join(root, `store${n++}`);
  const store = new LocalArtifactStore({ dir });
  const app = new Hono();
  // The store's own behaviour, with anonymous uploads allowed; signatures: signedUploads.test.ts.
  app.route('/artifacts', artifactRoutes(store, { trustProxy: true, uploads: { allowAnonymous: true }, ...options }));
  return { app, store, dir };
}

const sha = (b: string | Uint8Array) => `0x${createHash('sha256').update(b).digest('hex')}`;
const put = (app: Hono, body: BodyInit, path = '/artifacts', headers: Record<string, string> = {}) =>
  app.request(path, { method: 'PUT', body, headers: { 'x-forwarded-for': '10.0.0.1', ...headers } });

describe('artifact routes', () => {
  test('default: PUT stores the bytes under their sha256; GET returns them, immutable, with the hash as ETag', async () => {
    const { app, dir } = setup();
    const res = await put(app, 'hello loom');
    expect(res.status).toBe(201);
    const body = await res.json();
    expect(body).toEqual({ hash: sha('hello loom'), size: 10, uri: `artifact://${sha('hello loom').slice(2)}`, created: true });
    expect(res.headers.get('location')).toBe(`/artifacts/${sha('hello loom')}`);

    const got = await app.request(`/artifacts/${sha('hello loom')}`);
    expect(got.status).toBe(200);
    expect(await got.text()).toBe('hello loom');
    expect(got.headers.get('etag')).toBe(`"${sha('hello loom')}"`);
    expect(got.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(got.headers.get('content-length')).toBe('10');

    // Upper-case hex names the same artifact; a revalidation is answered 304.
    const again = await app.request(`/artifacts/${sha('hello loom').toUpperCase().replace('0X', '0x')}`, { headers: { 'if-none-match': `"${sha('hello loom')}"` } });
    expect(again.status).toBe(304);
    const head = await app.request(`/artifacts/${sha('hello loom')}`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe('10');

    // On disk: <dir>/<2 hex>/<64 hex>, and nothing left in tmp/.
    const hex = sha('hello loom').slice(2);
    expect(readFileSync(join(dir, hex.slice(0, 2), hex), 'utf8')).toBe('hello loom');
    expect(readdirSync(join(dir, 'tmp'))).toEqual([]);
  });

  test('behavior: PUT with the expected hash stores matching bytes and refuses a mismatch, keeping nothing', async () => {
    const { app, store, dir } = setup();
    const ok = await put(app, 'abc', `/artifacts/${sha('abc')}`);
    expect(ok.status).toBe(201);
    const bad = await put(app, 'abd', `/artifacts/${sha('abc').replace(/.$/, '0')}`);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: { code: 'HASH_MISMATCH', message: `the bytes hash to ${sha('abd')}, not ${sha('abc').replace(/.$/, '0')}` } });
    expect(await store.has(sha('abd') as `0x${string}`)).toBe(false);
    expect(readdirSync(join(dir, 'tmp'))).toEqual([]);
    // The same bytes again: 200, not created.
    const dup = await put(app, 'abc');
    expect(dup.status).toBe(200);
    expect((await dup.json()).created).toBe(false);
    const dupNamed = await put(app, 'abc', `/artifacts/${sha('abc')}`);
    expect(dupNamed.status).toBe(200);
  });

  test('behavior: a streamed body of any size up to the limit round-trips', async () => {
    const { app } = setup();
    const big = new Uint8Array(3 * 2 ** 20).map((_, i) => i % 251);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < big.length; i += 65_536) controller.enqueue(big.subarray(i, i + 65_536));
        controller.close();
      },
    });
    const res = await app.request('/artifacts', { method: 'PUT', body: stream, duplex: 'half' } as RequestInit);
    expect(res.status).toBe(201);
    const { hash } = await res.json();
    expect(hash).toBe(sha(big));
    expect(Buffer.from(await (await app.request(`/artifacts/${hash}`)).arrayBuffer()).equals(Buffer.from(big))).toBe(true);
  });

  test('error: over the size limit is 413, from Content-Length or while streaming, and nothing is kept', async () => {
    const { app, dir } = setup({ maxBytes: 1000 });
    const declared = await put(app, 'x'.repeat(1001));
    expect(declared.status).toBe(413);
    expect((await declared.json()).error.code).toBe('TOO_LARGE');
    // No Content-Length: a stream that turns out too long.
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 5; i++) controller.enqueue(new Uint8Array(300));
        controller.close();
      },
    });
    const streamed = await app.request('/artifacts', { method: 'PUT', body: stream, duplex: 'half' } as RequestInit);
    expect(streamed.status).toBe(413);
    expect(readdirSync(join(dir, 'tmp'))).toEqual([]);
    expect(readdirSync(dir).filter((d) => d !== 'tmp')).toEqual([]);
    expect((await put(app, 'x'.repeat(1000))).status).toBe(201);
  });

  test('error: each client IP is rate limited (429 with Retry-After); others are not', async () => {
    let now = 1_000_000;
    const { app } = setup({ puts: { max: 2, windowMs: 60_000 }, gets: { max: 3, windowMs: 60_000 }, now: () => now });
    expect((await put(app, 'a')).status).toBe(201);
    expect((await put(app, 'b')).status).toBe(201);
    const third = await put(app, 'c');
    expect(third.status).toBe(429);
    expect(third.headers.get('retry-after')).toBe('60');
    expect((await third.json()).error.code).toBe('RATE_LIMITED');
    expect((await put(app, 'c', '/artifacts', { 'x-forwarded-for': '10.0.0.2' })).status).toBe(201);
    for (let i = 0; i < 3; i++) expect((await app.request(`/artifacts/${sha('a')}`, { headers: { 'x-forwarded-for': '10.0.0.3' } })).status).toBe(200);
    expect((await app.request(`/artifacts/${sha('a')}`, { headers: { 'x-forwarded-for': '10.0.0.3' } })).status).toBe(429);
    now += 60_000;
    expect((await put(app, 'd')).status).toBe(201);
  });

  test('error: bad hashes are 400, unknown ones 404', async () => {
    const { app } = setup();
    expect((await app.request('/artifacts/0x1234')).status).toBe(400);
    expect((await put(app, 'a', '/artifacts/not-a-hash')).status).toBe(400);
    const missing = await app.request(`/artifacts/0x${'0'.repeat(64)}`);
    expect(missing.status).toBe(404);
    expect((await missing.json()).error.code).toBe('NOT_FOUND');
    expect((await app.request(`/artifacts/0x${'0'.repeat(64)}`, { headers: { 'if-none-match': `"0x${'0'.repeat(64)}"` } })).status).toBe(404);
  });

  test('behavior: a crash mid-upload leaves only a temporary file, removed when the store starts again', async () => {
    const dir = join(root, 'crash');
    const store = new LocalArtifactStore({ dir });
    await store.put(new TextEncoder().encode('x'));
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(dir, 'tmp', 'leftover'), 'partial');
    const again = new LocalArtifactStore({ dir });
    await again.put(new TextEncoder().encode('y'));
    expect(readdirSync(join(dir, 'tmp'))).toEqual([]);
    expect(await again.has(sha('x') as `0x${string}`)).toBe(true);
  });
});
