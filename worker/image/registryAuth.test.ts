/**
 * Private images: pulls with a job's registry credentials (sealed.registryAuth), against a real
 * docker-registry with htpasswd (bcrypt) Basic auth, and a token-auth front (Docker Hub's scheme:
 * Basic credentials to the token realm, a Bearer token to the registry, blobs redirected elsewhere).
 * The cache is keyed by manifest digest, which is public: a private root must not reach a job that
 * cannot itself authenticate for it.
 */
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, expect, test } from 'vitest';
import type { RegistryCredential } from '../../sdk/sealing';
import { parseImageRef } from '../../sdk/spec/imageRef';
import { busyboxImage, type PushedImage, pushImage } from '../../testkit/images';
import { register } from '../../testkit/reaper';
import { type Registry, startRegistry } from '../../testkit/registry';
import { tempDir } from '../../testkit/tempDir';
import { WorkerError } from '../errors';
import { ImageStore } from './imageStore';

const USER = { username: 'loom-client', password: 'pw-Zq8-very-secret-registry-password' };
const WRONG = 'pw-wrong-guess';

let privateRegistry: Registry;
let publicRegistry: Registry;
let secretImage: PushedImage;
let publicImage: PushedImage;
let work: string;

beforeAll(async () => {
  [privateRegistry, publicRegistry] = await Promise.all([startRegistry({ users: [USER] }), startRegistry()]);
  work = tempDir('registry-auth');
  // Different contents: the private image's root must not be the public one's.
  secretImage = await pushImage(privateRegistry, await busyboxImage(work, 'secret', { env: ['SECRET_IMAGE=1'] }), 'team/secret');
  publicImage = await pushImage(publicRegistry, await busyboxImage(work, 'public', { env: ['PUBLIC_IMAGE=1'] }), 'loom/public');
}, 90_000);

function credential(registry: string, password = USER.password): RegistryCredential {
  return { registry, username: USER.username, password };
}

/** A store and everything it logged. */
async function openStore(dir: string, allowed: string[]) {
  const logged: string[] = [];
  const logger = { info: (o: object, msg: string) => logged.push(JSON.stringify(o) + msg), warn: (o: object, msg: string) => logged.push(JSON.stringify(o) + msg) };
  const store = await ImageStore.open({ dir, cacheBytes: 1 << 30, maxImageBytes: 1 << 30, allowedRegistries: allowed, logger });
  return { store, logged };
}

async function refusal(p: Promise<unknown>): Promise<{ reason: string; code: string }> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WorkerError);
  const w = err as WorkerError;
  expect(w.code).toBe('IMAGE_REJECTED');
  return { reason: w.shortMessage, code: (w.cause as { code: string }).code };
}

/** Every file under `dir` that contains `needle`. */
function filesContaining(dir: string, needle: string): string[] {
  const hits: string[] = [];
  for (const name of readdirSync(dir, { recursive: true }) as string[]) {
    const path = join(dir, name);
    const st = statSync(path, { throwIfNoEntry: false });
    if (st?.isFile() && readFileSync(path).includes(needle)) hits.push(path);
  }
  return hits;
}

test('behavior: a private image is refused anonymously and with wrong credentials, with reasons; pulled with the right ones; its cached root is served only to jobs the registry lets in', async () => {
  const dir = join(work, 'store');
  const { store, logged } = await openStore(dir, [privateRegistry.host]);

  // Before a claim, anonymously: refused, and the reason says why (and how a spec says so).
  const check = await store.check(secretImage.ref);
  expect(check).toMatchObject({ ok: false, code: 'not_found' });
  expect(!check.ok && check.reason).toMatch(/refused anonymous access .* a private image \(its spec says so with sealed\.registryAuth/);
  const anonymous = await refusal(store.prepare(secretImage.ref));
  expect(anonymous.code).toBe('not_found');

  // Wrong password: refused as such.
  const wrong = await refusal(store.prepare(secretImage.ref, { registryAuth: [credential(privateRegistry.host, WRONG)] }));
  expect(wrong).toMatchObject({ code: 'unauthorized' });
  expect(wrong.reason).toMatch(new RegExp(`the registry refused the job's credentials for ${privateRegistry.host}`));

  // Credentials for another registry are not used for this one.
  const elsewhere = await refusal(store.prepare(secretImage.ref, { registryAuth: [credential(publicRegistry.host)] }));
  expect(elsewhere.code).toBe('not_found');

  // The right credentials: pulled, unpacked, marked private.
  const owner = await store.prepare(secretImage.ref, { registryAuth: [credential(privateRegistry.host)] });
  expect(owner.pulled).toBe(true);
  expect(owner.config.env).toContain('SECRET_IMAGE=1');
  expect(statSync(join(owner.rootDir, 'bin', 'busybox')).isFile()).toBe(true);
  const record = JSON.parse(readFileSync(join(owner.rootDir, '..', 'image.json'), 'utf8'));
  expect(record.private).toBe(true);

  // Another job naming the same (public) digest without credentials, or with wrong ones: refused,
  // though the root is right there; the registry was asked.
  const before = store.requestCount;
  expect((await refusal(store.prepare(secretImage.ref))).code).toBe('not_found');
  expect((await refusal(store.prepare(secretImage.ref, { registryAuth: [credential(privateRegistry.host, WRONG)] }))).code).toBe('unauthorized');
  expect(store.requestCount).toBeGreaterThan(before);
  // Its check before a claim is refused too (the manifest is cached, but was pulled with credentials).
  expect(await store.check(secretImage.ref)).toMatchObject({ ok: false, code: 'not_found' });

  // A job with valid credentials of its own: the cached root, after one manifest request, no layer.
  const blobsBefore = privateRegistry.logs().split('\n').filter((l) => l.includes('/blobs/')).length;
  const requests = store.requestCount;
  const second = await store.prepare(secretImage.ref, { registryAuth: [{ ...credential(privateRegistry.host) }] });
  expect(second.pulled).toBe(false);
  expect(second.rootDir).toBe(owner.rootDir);
  expect(store.requestCount - requests).toBeLessThanOrEqual(2); // the manifest GET (+ its Basic retry)
  expect(privateRegistry.logs().split('\n').filter((l) => l.includes('/blobs/')).length).toBe(blobsBefore);
  await second.release();
  await owner.release();

  // After a restart the mark holds (image.json), so the anonymous job is still refused.
  const reopened = await openStore(dir, [privateRegistry.host]);
  expect((await refusal(reopened.store.prepare(secretImage.ref))).code).toBe('not_found');
  const again = await reopened.store.prepare(secretImage.ref, { registryAuth: [credential(privateRegistry.host)] });
  expect(again.pulled).toBe(false);
  await again.release();

  // The password is nowhere: not in the cache directory, not in what the store logged.
  expect(filesContaining(dir, USER.password)).toEqual([]);
  expect(filesContaining(dir, Buffer.from(`${USER.username}:${USER.password}`).toString('base64'))).toEqual([]);
  expect([...logged, ...reopened.logged].join('\n')).not.toContain(USER.password);
  expect(logged.join('\n')).toContain('image pulled and unpacked');
}, 60_000);

test('behavior: a public image pulled by a job with credentials for another registry gets none of them; the public root stays open to all', async () => {
  const { store } = await openStore(join(work, 'store-public'), [publicRegistry.host, privateRegistry.host]);
  const withOthers = await store.prepare(publicImage.ref, { registryAuth: [credential(privateRegistry.host)] });
  expect(withOthers.pulled).toBe(true);
  expect(JSON.parse(readFileSync(join(withOthers.rootDir, '..', 'image.json'), 'utf8')).private).toBeUndefined();
  const requests = store.requestCount;
  const anonymous = await store.prepare(publicImage.ref);
  expect(anonymous.pulled).toBe(false);
  expect(store.requestCount).toBe(requests); // a public root: from the cache, no request
  await withOthers.release();
  await anonymous.release();
});

/**
 * Docker Hub's scheme in front of the public registry: 401 + Bearer challenge; the token realm wants
 * Basic credentials; blobs are redirected to another origin. Records every Authorization header by path.
 */
async function startTokenFront() {
  const seen: { path: string; authorization: string | undefined }[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url!, `http://${req.headers.host}`);
    seen.push({ path: `${req.headers.host}${url.pathname}`, authorization: req.headers.authorization });
    if (url.pathname === '/token') {
      const expected = `Basic ${Buffer.from(`${USER.username}:${USER.password}`).toString('base64')}`;
      if (req.headers.authorization !== expected) return void res.writeHead(401, { 'content-type': 'application/json' }).end('{"details":"incorrect username or password"}');
      return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token: 'granted-token', expires_in: 300 }));
    }
    const upstream = (path: string) =>
      fetch(`${publicRegistry.url}${path}`, { headers: { accept: String(req.headers.accept ?? '*/*') } }).then(async (r) => {
        res.writeHead(r.status, { 'content-type': r.headers.get('content-type') ?? 'application/octet-stream' }).end(Buffer.from(await r.arrayBuffer()));
      });
    if (url.pathname.startsWith('/storage/')) return void upstream(url.pathname.slice('/storage'.length));
    if (req.headers.authorization !== 'Bearer granted-token') {
      const repo = url.pathname.split('/').slice(2, -2).join('/');
      return void res
        .writeHead(401, { 'www-authenticate': `Bearer realm="http://127.0.0.1:${port}/token",service="front.test",scope="repository:${repo}:pull"`, 'content-type': 'application/json' })
        .end('{"errors":[{"code":"UNAUTHORIZED"}]}');
    }
    // Blobs live in "storage" on another origin (localhost, not 127.0.0.1), as S3-backed registries do.
    if (url.pathname.includes('/blobs/')) return void res.writeHead(307, { location: `http://localhost:${port}/storage${url.pathname}` }).end();
    void upstream(url.pathname);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  register({ name: 'token front', stop: () => new Promise<void>((r) => server.close(() => r())) });
  return { host: `127.0.0.1:${port}`, port, seen };
}

test('behavior: token auth with credentials: Basic to the token realm only, the Bearer token to the registry, nothing across the redirect to blob storage', async () => {
  const front = await startTokenFront();
  const parsed = parseImageRef(`${front.host}/loom/public@${publicImage.digest}`);
  if (!parsed.ok) throw new Error(parsed.reason);
  const { store } = await openStore(join(work, 'store-token'), [front.host]);

  // Anonymously the token service says no: refused with the reason.
  expect(await store.check(parsed.ref)).toMatchObject({ ok: false, code: 'not_found', reason: expect.stringMatching(/refused an anonymous token/) });
  // Wrong password: the token service refuses it, named as such.
  const wrong = await refusal(store.prepare(parsed.ref, { registryAuth: [credential(front.host, WRONG)] }));
  expect(wrong).toMatchObject({ code: 'unauthorized', reason: expect.stringMatching(/token service .* refused the job's credentials/) });

  // A login for another registry: never sent here (not to the registry, not to its token realm).
  front.seen.length = 0;
  expect((await refusal(store.prepare(parsed.ref, { registryAuth: [credential(privateRegistry.host)] }))).code).toBe('not_found');
  expect(front.seen.length).toBeGreaterThan(0);
  expect(front.seen.filter((s) => s.authorization?.startsWith('Basic '))).toEqual([]);

  front.seen.length = 0;
  const image = await store.prepare(parsed.ref, { registryAuth: [credential(front.host)] });
  expect(image.pulled).toBe(true);
  const basic = front.seen.filter((s) => s.authorization?.startsWith('Basic '));
  expect(basic.length).toBeGreaterThan(0);
  expect(basic.every((s) => s.path === `${front.host}/token`)).toBe(true);
  const storage = front.seen.filter((s) => s.path.startsWith(`localhost:${front.port}/storage/`));
  expect(storage.length).toBeGreaterThan(0);
  expect(storage.every((s) => s.authorization === undefined)).toBe(true);
  expect(front.seen.filter((s) => s.path.includes('/v2/') && s.authorization === 'Bearer granted-token').length).toBeGreaterThan(0);
  await image.release();

  // The token got with one job's credentials is not another's: an anonymous job is refused.
  expect((await refusal(store.prepare(parsed.ref))).code).toBe('not_found');
}, 60_000);
