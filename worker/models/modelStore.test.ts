/**
 * The model cache against a real artifact store (the API's routes over HTTP, testkit/artifacts.ts):
 * files fetched by sha256 and verified, kept across jobs and restarts, shared downloads, refusals
 * with reasons, eviction of what no job holds.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type ArtifactServer, startArtifactServer } from '../../testkit/artifacts';
import type { ModelFileMount } from './jobModels';
import { ModelStore } from './modelStore';

const root = mkdtempSync(join(os.tmpdir(), 'loom-models-'));
let server: ArtifactServer;
const sha = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');
const WEIGHTS = new Uint8Array(3 * 2 ** 20).map((_, i) => (i * 7) % 251);
const CONFIG = new TextEncoder().encode('{"hidden_size": 4096}\n');

beforeAll(async () => {
  server = await startArtifactServer({ dir: join(root, 'artifacts'), allowAnonymous: true });
  await server.store.put(WEIGHTS);
  await server.store.put(CONFIG);
});
afterAll(async () => {
  await server.stop();
  rmSync(root, { recursive: true, force: true });
});

const file = (bytes: Uint8Array, path: string, over: Partial<ModelFileMount> = {}): ModelFileMount => ({ model: '1 "llama"', sha256: sha(bytes), size: bytes.length, mountPath: `/models/llama/${path}`, ...over });

/** A fetch that counts requests for artifacts, and can serve other bytes than the store's. */
function countingFetch(tamper?: Uint8Array) {
  const requests: string[] = [];
  const f = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = String(input instanceof Request ? input.url : input);
    requests.push(url.slice(url.lastIndexOf('/') + 1));
    if (tamper) return new Response(Buffer.from(tamper), { status: 200, headers: { 'content-length': String(tamper.length) } });
    return fetch(input, init);
  }) as typeof fetch;
  return { fetch: f, requests };
}

let n = 0;
const open = (o: { cacheBytes?: number; fetch?: typeof fetch; dir?: string } = {}) =>
  ModelStore.open({ dir: o.dir ?? join(root, `cache${n++}`), artifactBaseUrl: server.url, cacheBytes: o.cacheBytes ?? 2 ** 30, ...(o.fetch ? { fetch: o.fetch } : {}) });

describe('ModelStore', () => {
  test('default: files are fetched by sha256, verified, kept read-only by hash, and served to later jobs and after a restart without a download', async () => {
    const dir = join(root, 'shared');
    const counted = countingFetch();
    const store = await open({ dir, fetch: counted.fetch });
    const files = [file(CONFIG, 'config.json'), file(WEIGHTS, 'model.safetensors')];
    const ready = await store.prepare('0xjob1', files);
    expect(ready).toEqual({
      ok: true,
      files: [
        { hostPath: join(dir, 'sha256', sha(CONFIG)), mountPath: '/models/llama/config.json' },
        { hostPath: join(dir, 'sha256', sha(WEIGHTS)), mountPath: '/models/llama/model.safetensors' },
      ],
    });
    expect(sha(readFileSync(join(dir, 'sha256', sha(WEIGHTS))))).toBe(sha(WEIGHTS));
    expect(statSync(join(dir, 'sha256', sha(WEIGHTS))).mode & 0o777).toBe(0o444);
    expect(statSync(join(dir, 'sha256')).mode & 0o777).toBe(0o711);
    expect(counted.requests).toEqual([`0x${sha(CONFIG)}`, `0x${sha(WEIGHTS)}`]);

    // Another job, and the same files under another model's name: from the cache.
    expect((await store.prepare('0xjob2', [file(WEIGHTS, 'w.bin', { model: '2 "other"', mountPath: '/models/other/w.bin' })])).ok).toBe(true);
    const restarted = await open({ dir, fetch: counted.fetch });
    expect(restarted.size).toBe(WEIGHTS.length + CONFIG.length);
    expect((await restarted.prepare('0xjob3', files)).ok).toBe(true);
    expect(counted.requests).toHaveLength(2);
  });

  test('behavior: jobs asking for the same file at once share one download', async () => {
    const counted = countingFetch();
    const store = await open({ fetch: counted.fetch });
    const results = await Promise.all(['0xa', '0xb', '0xc'].map((id) => store.prepare(id, [file(WEIGHTS, 'model.safetensors')])));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(counted.requests).toEqual([`0x${sha(WEIGHTS)}`]);
  });

  test('error: a file the store does not have, bytes that do not hash right, or a wrong declared size are refused with the reason and nothing is cached', async () => {
    const missing = new TextEncoder().encode('never uploaded');
    const store = await open();
    expect(await store.prepare('0xjob', [file(missing, 'gone.bin')])).toEqual({
      ok: false,
      reason: `model 1 "llama", file /models/llama/gone.bin (artifact://${sha(missing)}): HTTP 404 from ${server.url}`,
    });
    const tampered = new Uint8Array(CONFIG.length).fill(65);
    const lying = await open({ fetch: countingFetch(tampered).fetch });
    expect(await lying.prepare('0xjob', [file(CONFIG, 'config.json')])).toEqual({
      ok: false,
      reason: `model 1 "llama", file /models/llama/config.json (artifact://${sha(CONFIG)}): sha256 mismatch: expected ${sha(CONFIG)}, got ${sha(tampered)}`,
    });
    expect(lying.size).toBe(0);
    expect(await store.prepare('0xjob', [file(CONFIG, 'config.json', { size: CONFIG.length + 1 })])).toEqual({
      ok: false,
      reason: `model 1 "llama", file /models/llama/config.json (artifact://${sha(CONFIG)}): size mismatch: expected ${CONFIG.length + 1} bytes, got ${CONFIG.length}`,
    });
    expect(store.size).toBe(0);
  });

  test('behavior: past its size, the least recently used files no job holds are removed; a held file stays', async () => {
    const dir = join(root, 'small');
    const store = await open({ dir, cacheBytes: WEIGHTS.length + 10 });
    const a = new TextEncoder().encode('a'.repeat(100));
    await server.store.put(a);
    expect((await store.prepare('0xheld', [file(a, 'a.txt')])).ok).toBe(true);
    // Over the cap with the weights: `a` is held, so it stays, and the cache is over its size for a while.
    expect((await store.prepare('0xbig', [file(WEIGHTS, 'w')])).ok).toBe(true);
    expect(existsSync(join(dir, 'sha256', sha(a)))).toBe(true);
    // Let go: `a`, the least recently used, goes and the cache is within its size again; the weights, still held, stay.
    store.release('0xheld');
    await new Promise((r) => setTimeout(r, 50));
    expect(readdirSync(join(dir, 'sha256'))).toEqual([sha(WEIGHTS)]);
    store.release('0xbig');
    await new Promise((r) => setTimeout(r, 50));
    expect(readdirSync(join(dir, 'sha256'))).toEqual([sha(WEIGHTS)]);
  });

  test('behavior: a download a crash cut short is removed when the cache opens', async () => {
    const dir = join(root, 'crashed');
    const store = await open({ dir });
    writeFileSync(join(dir, 'sha256', `.${sha(WEIGHTS)}.part`), 'half');
    await open({ dir });
    expect(readdirSync(join(dir, 'sha256'))).toEqual([]);
    expect(store.size).toBe(0);
  });
});
