/**
 * Signed uploads end to end through the routes (`app.request`, no network): headers made by the
 * SDK's signer (sdk/artifactUpload.ts, what every client uses) and checked by the server's
 * (uploadSignature.ts), so the two sides of the format are tested against each other.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import type { Address } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { afterAll, describe, expect, test } from 'vitest';
import { type ArtifactPurpose, artifactUploadHeaders, signArtifactUpload } from '../../sdk/artifactUpload';
import { artifactRoutes, defaultQuotas } from './artifactRoutes';
import { LocalArtifactStore } from './localArtifactStore';
import { uploadHeaders } from './uploadSignature';

const root = mkdtempSync(join(os.tmpdir(), 'loom-signed-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const CHAIN_ID = 31337;
const MARKET: Address = '0x5FbDB2315678afecb367f032d93F642f64180aa3';
const worker = privateKeyToAccount(generatePrivateKey());
const client = privateKeyToAccount(generatePrivateKey());
const stranger = privateKeyToAccount(generatePrivateKey());

let n = 0;
let clock = 1_800_000_000_000;
function setup(o: Partial<NonNullable<Parameters<typeof artifactRoutes>[1]>['uploads']> = {}) {
  const store = new LocalArtifactStore({ dir: join(root, `store${n++}`) });
  const app = new Hono();
  const registered = new Set([worker.address.toLowerCase()]);
  app.route(
    '/artifacts',
    artifactRoutes(store, {
      trustProxy: true,
      now: () => clock,
      uploads: { domain: { chainId: CHAIN_ID, market: MARKET }, isRegisteredWorker: async (a) => registered.has(a.toLowerCase()), ...o },
    }),
  );
  return { app, store };
}

const sha = (b: string) => createHash('sha256').update(b).digest('hex');
type Signer = typeof worker;
const sign = (signer: Signer, body: string, purpose: ArtifactPurpose, over: { sha256?: string; size?: number; chainId?: number; market?: Address; now?: number } = {}) =>
  signArtifactUpload({
    signer,
    chainId: over.chainId ?? CHAIN_ID,
    market: over.market ?? MARKET,
    sha256: over.sha256 ?? sha(body),
    size: over.size ?? Buffer.byteLength(body),
    purpose,
    now: over.now ?? clock / 1000,
  });
const put = (app: Hono, body: string, headers: Record<string, string>, path = `/artifacts/0x${sha(body)}`) =>
  app.request(path, { method: 'PUT', body, headers: { 'x-forwarded-for': '10.0.0.1', ...headers } });
const errorOf = async (res: Response) => ((await res.json()) as { error: { code: string; message: string } }).error;

describe('signed uploads', () => {
  test('default: a worker uploads its result and a client its input, each signed; both are served', async () => {
    const { app } = setup();
    const result = await put(app, 'result bundle', await sign(worker, 'result bundle', 'result'));
    expect(result.status).toBe(201);
    expect(await result.json()).toEqual({ hash: `0x${sha('result bundle')}`, size: 13, uri: `artifact://${sha('result bundle')}`, created: true });
    const input = await put(app, 'training data', await sign(client, 'training data', 'input'));
    expect(input.status).toBe(201);
    const model = await put(app, 'model weights', await sign(client, 'model weights', 'model'));
    expect(model.status).toBe(201);
    expect(await (await app.request(`/artifacts/0x${sha('training data')}`)).text()).toBe('training data');
    // The SDK and the server name the same headers.
    expect(artifactUploadHeaders).toEqual(uploadHeaders);
  });

  test('error: an unsigned upload is refused with 401 and nothing is kept, with or without a hash in the path', async () => {
    const { app, store } = setup();
    const named = await put(app, 'anon', {});
    expect(named.status).toBe(401);
    const err = await errorOf(named);
    expect(err.code).toBe('UNAUTHORIZED');
    expect(err.message).toMatch(/must be signed/);
    expect((await put(app, 'anon', {}, '/artifacts')).status).toBe(401);
    expect(await store.has(`0x${sha('anon')}`)).toBe(false);
  });

  test('behavior: anonymous uploads are accepted only when the operator allows them', async () => {
    const { app } = setup({ allowAnonymous: true });
    expect((await put(app, 'anon', {})).status).toBe(201);
    expect((await put(app, 'anon 2', {}, '/artifacts')).status).toBe(201);
    // Still, a signature that is there must be right.
    const bad = await put(app, 'anon 3', { ...(await sign(client, 'anon 3', 'input')), [uploadHeaders.signer]: stranger.address });
    expect(bad.status).toBe(401);

    const previous = process.env.LOOM_ARTIFACTS_ALLOW_ANONYMOUS;
    process.env.LOOM_ARTIFACTS_ALLOW_ANONYMOUS = '1';
    try {
      expect((await put(setup().app, 'anon 4', {})).status).toBe(201);
    } finally {
      if (previous === undefined) delete process.env.LOOM_ARTIFACTS_ALLOW_ANONYMOUS;
      else process.env.LOOM_ARTIFACTS_ALLOW_ANONYMOUS = previous;
    }
    expect((await put(setup().app, 'anon 5', {})).status).toBe(401);
  });

  test('error: forged signatures, and signatures for another hash, size, purpose, store or signer, are refused with 401', async () => {
    const { app, store } = setup();
    const body = 'precious input';
    const good = await sign(client, body, 'input');
    const cases: [string, Record<string, string>][] = [
      ['garbage signature', { ...good, [uploadHeaders.signature]: `0x${'11'.repeat(65)}` }],
      ['signed by another key, claiming the client', { ...(await sign(stranger, body, 'input')), [uploadHeaders.signer]: client.address }],
      ['signed for other bytes', await sign(client, body, 'input', { sha256: sha('other bytes') })],
      ['another size claimed', { ...good, [uploadHeaders.size]: '999' }],
      ['another purpose claimed', { ...good, [uploadHeaders.purpose]: 'model' }],
      ['another chain', await sign(client, body, 'input', { chainId: 1 })],
      ['another market', await sign(client, body, 'input', { market: '0x0000000000000000000000000000000000000001' })],
      ['a missing header', Object.fromEntries(Object.entries(good).filter(([k]) => k !== uploadHeaders.issuedAt))],
      ['an unknown purpose', { ...good, [uploadHeaders.purpose]: 'log' }],
    ];
    for (const [what, headers] of cases) {
      const res = await put(app, body, headers);
      expect(res.status, what).toBe(401);
      expect((await errorOf(res)).code, what).toBe('UNAUTHORIZED');
    }
    // The right signature on other bytes: the path names other bytes than were signed.
    expect((await put(app, 'swapped', good, `/artifacts/0x${sha('swapped')}`)).status).toBe(401);
    expect(await store.has(`0x${sha(body)}`)).toBe(false);
    expect((await put(app, body, good)).status).toBe(201);
  });

  test('error: an expired or future-dated signature is refused with 401; within the window it is accepted', async () => {
    const { app } = setup({ maxAgeSeconds: 300 });
    const now = clock / 1000;
    const expired = await put(app, 'late', await sign(client, 'late', 'input', { now: now - 301 }));
    expect(expired.status).toBe(401);
    expect((await errorOf(expired)).message).toMatch(/expired/);
    const future = await put(app, 'early', await sign(client, 'early', 'input', { now: now + 120 }));
    expect(future.status).toBe(401);
    expect((await errorOf(future)).message).toMatch(/future/);
    expect((await put(app, 'on time', await sign(client, 'on time', 'input', { now: now - 290 }))).status).toBe(201);
  });

  test('error: results signed by an address that is not a registered worker are refused with 403', async () => {
    const { app, store } = setup();
    const res = await put(app, 'fake result', await sign(client, 'fake result', 'result'));
    expect(res.status).toBe(403);
    expect(await errorOf(res)).toEqual({ code: 'FORBIDDEN', message: `results are accepted from registered workers only, and ${client.address.toLowerCase()} is not one` });
    expect(await store.has(`0x${sha('fake result')}`)).toBe(false);
    // Without a way to tell workers apart, no result is accepted.
    const blind = setup({ isRegisteredWorker: undefined });
    expect((await put(blind.app, 'result', await sign(worker, 'result', 'result'))).status).toBe(403);
  });

  test('error: over its quota a signer gets 429 with Retry-After (413 for more than a whole quota); stored bytes cost nothing; others are unaffected', async () => {
    const { app } = setup({ quotas: { input: { count: 2, bytes: 100, windowSeconds: 600 } } });
    expect((await put(app, 'one', await sign(client, 'one', 'input'))).status).toBe(201);
    expect((await put(app, 'two', await sign(client, 'two', 'input'))).status).toBe(201);
    // The same bytes again: already stored, not counted.
    expect((await put(app, 'two', await sign(client, 'two', 'input'))).status).toBe(200);
    const third = await put(app, 'three', await sign(client, 'three', 'input'));
    expect(third.status).toBe(429);
    expect(third.headers.get('retry-after')).toBe('600');
    expect((await errorOf(third)).code).toBe('QUOTA_EXCEEDED');
    // Models share the input quota; results have their own; another signer has its own.
    expect((await put(app, 'three', await sign(client, 'three', 'model'))).status).toBe(429);
    expect((await put(app, 'three', await sign(stranger, 'three', 'input'))).status).toBe(201);
    expect((await put(app, 'a result', await sign(worker, 'a result', 'result'))).status).toBe(201);

    // Bytes: 60 + 60 is over 100.
    const other = privateKeyToAccount(generatePrivateKey());
    expect((await put(app, 'x'.repeat(60), await sign(other, 'x'.repeat(60), 'input'))).status).toBe(201);
    const bytes = await put(app, 'y'.repeat(60), await sign(other, 'y'.repeat(60), 'input'));
    expect(bytes.status).toBe(429);
    expect((await errorOf(bytes)).message).toMatch(/60 of 100 bytes/);
    const whole = await put(app, 'z'.repeat(101), await sign(stranger, 'z'.repeat(101), 'input'));
    expect(whole.status).toBe(413);

    // A refused upload gives its reservation back: a hash mismatch costs nothing.
    const third2 = privateKeyToAccount(generatePrivateKey());
    const lie = await sign(third2, 'p'.repeat(50), 'input');
    expect((await app.request(`/artifacts/0x${sha('p'.repeat(50))}`, { method: 'PUT', body: 'q'.repeat(50), headers: lie })).status).toBe(400);
    expect((await put(app, 'r'.repeat(90), await sign(third2, 'r'.repeat(90), 'input'))).status).toBe(201);

    // The next window.
    clock += 600_000;
    expect((await put(app, 'three again', await sign(client, 'three again', 'input'))).status).toBe(201);
  });

  test('error: a body longer than its signed size is refused (400 from Content-Length, 413 while streaming) and nothing is kept', async () => {
    const { app, store } = setup();
    const body = 'twelve bytes';
    const headers = await sign(client, body, 'input', { size: 5 });
    const declared = await put(app, body, { ...headers, 'content-length': '12' });
    expect(declared.status).toBe(400);
    expect((await errorOf(declared)).message).toBe('the body is 12 bytes, the signature says 5');
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(new TextEncoder().encode(body));
        c.close();
      },
    });
    const streamed = await app.request(`/artifacts/0x${sha(body)}`, { method: 'PUT', body: stream, headers, duplex: 'half' } as RequestInit);
    expect(streamed.status).toBe(413);
    expect(await store.has(`0x${sha(body)}`)).toBe(false);
  });

  test('default: the documented quotas, overridable from the environment', () => {
    expect(defaultQuotas({})).toEqual({
      result: { bytes: 20 * 2 ** 30, count: 2000, windowSeconds: 3600 },
      input: { bytes: 5 * 2 ** 30, count: 200, windowSeconds: 3600 },
    });
    expect(defaultQuotas({ LOOM_ARTIFACT_INPUT_QUOTA_COUNT: '5', LOOM_ARTIFACT_QUOTA_WINDOW_SECONDS: '60' }).input).toEqual({ bytes: 5 * 2 ** 30, count: 5, windowSeconds: 60 });
  });
});
