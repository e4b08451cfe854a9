/**
 * Token auth and blob redirects as Docker Hub, ghcr.io and nvcr.io do them, in front of the real local
 * registry: a small HTTP server answers 401 with a Bearer challenge until it gets the token its token
 * endpoint hands out, and redirects blob GETs to another origin (as S3-backed registries do).
 */
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import { join } from 'node:path';
import { beforeAll, expect, test } from 'vitest';
import { busyboxImage, pushImage, type PushedImage } from '../../testkit/images';
import { register } from '../../testkit/reaper';
import { type Registry, startRegistry } from '../../testkit/registry';
import { tempDir } from '../../testkit/tempDir';
import { parseImageRef } from '../../sdk/spec/imageRef';
import { ImageStore } from './imageStore';
import { RegistryClient, parseBearerChallenge } from './registryClient';

let registry: Registry;
let image: PushedImage;
let work: string;

beforeAll(async () => {
  registry = await startRegistry();
  work = tempDir('registry-client');
  image = await pushImage(registry, await busyboxImage(work, 'auth'), 'loom/auth');
}, 60_000);

/** The token-guarded front: what it saw, for the assertions. */
async function startAuthFront() {
  const seen = { tokens: 0, scopes: [] as string[], unauthorized: 0, redirectedAuthorization: [] as (string | undefined)[] };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url!, `http://${req.headers.host}`);
    if (url.pathname === '/token') {
      seen.tokens++;
      seen.scopes.push(`${url.searchParams.get('service')} ${url.searchParams.get('scope')}`);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token: 'sesame', expires_in: 300 }));
      return;
    }
    const upstream = (path: string) =>
      fetch(`${registry.url}${path}`, { headers: { accept: String(req.headers.accept ?? '*/*') } }).then(async (r) => {
        res.writeHead(r.status, { 'content-type': r.headers.get('content-type') ?? 'application/octet-stream' }).end(Buffer.from(await r.arrayBuffer()));
      });
    if (url.pathname.startsWith('/redirected/')) {
      seen.redirectedAuthorization.push(req.headers.authorization);
      void upstream(url.pathname.slice('/redirected'.length));
      return;
    }
    if (req.headers.authorization !== 'Bearer sesame') {
      seen.unauthorized++;
      const repo = url.pathname.split('/').slice(2, -2).join('/');
      res
        .writeHead(401, { 'www-authenticate': `Bearer realm="http://127.0.0.1:${port}/token",service="front.test",scope="repository:${repo}:pull"`, 'content-type': 'application/json' })
        .end('{"errors":[{"code":"UNAUTHORIZED"}]}');
      return;
    }
    // Blobs live elsewhere (another origin), as with S3-backed registries.
    if (url.pathname.includes('/blobs/')) return void res.writeHead(307, { location: `http://localhost:${port}/redirected${url.pathname}` }).end();
    void upstream(url.pathname);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  register({ name: 'auth front', stop: () => new Promise<void>((r) => server.close(() => r())) });
  return { host: `127.0.0.1:${port}`, seen };
}

test('behavior: anonymous token auth (401 + Bearer challenge, token, retry) and blob redirects to another origin, without the token', async () => {
  const front = await startAuthFront();
  const parsed = parseImageRef(`${front.host}/loom/auth@${image.digest}`);
  if (!parsed.ok) throw new Error(parsed.reason);
  const store = await ImageStore.open({ dir: join(work, 'store'), cacheBytes: 1 << 30, maxImageBytes: 1 << 30, allowedRegistries: [front.host] });
  const prepared = await store.prepare(parsed.ref);
  expect(prepared.config).toEqual(expect.objectContaining({ env: expect.any(Array) }));
  // One challenge, one token, reused for every later request of the same scope.
  expect(front.seen).toMatchObject({ tokens: 1, unauthorized: 1, scopes: ['front.test repository:loom/auth:pull'] });
  expect(front.seen.redirectedAuthorization.length).toBeGreaterThan(0);
  expect(front.seen.redirectedAuthorization.every((a) => a === undefined)).toBe(true);
  await prepared.release();
});

test('default: loopback registries over http, others over https; Docker Hub at its API host', () => {
  expect(RegistryClient.baseUrl('127.0.0.1:5000')).toBe('http://127.0.0.1:5000/v2');
  expect(RegistryClient.baseUrl('localhost:5000')).toBe('http://localhost:5000/v2');
  expect(RegistryClient.baseUrl('[::1]:5000')).toBe('http://[::1]:5000/v2');
  expect(RegistryClient.baseUrl('ghcr.io')).toBe('https://ghcr.io/v2');
  expect(RegistryClient.baseUrl('docker.io')).toBe('https://registry-1.docker.io/v2');
  expect(parseBearerChallenge('Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/busybox:pull"')).toEqual({
    realm: 'https://auth.docker.io/token',
    service: 'registry.docker.io',
    scope: 'repository:library/busybox:pull',
  });
  expect(parseBearerChallenge('Basic realm="x"')).toBeUndefined();
});
