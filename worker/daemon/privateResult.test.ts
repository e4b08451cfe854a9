import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { SealError } from '../../sdk/sealing';
import { fetchSealedBundle } from './privateResult';

// A stand-in host for bundle URIs: /ok serves 100 bytes, /moved redirects, anything else 404.
let server: Server;
let base: string;
beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/ok') return void res.end(Buffer.alloc(100, 7));
    if (req.url === '/moved') return void res.writeHead(302, { location: '/ok' }).end();
    if (req.url === '/artifacts/0x' + 'ab'.repeat(32)) return void res.end(Buffer.alloc(10, 1));
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => void server.close());

const opts = (over: { allowPrivateNetwork?: boolean; maxBytes?: number } = {}) => ({ artifactUrl: base, maxBytes: 1000, allowPrivateNetwork: true, ...over });

test('default: artifact://<sha256> from the artifact store, http(s) as it is', async () => {
  expect(await fetchSealedBundle(`artifact://${'ab'.repeat(32)}`, opts())).toEqual(Buffer.alloc(10, 1));
  expect(await fetchSealedBundle(`${base}/ok`, opts())).toEqual(Buffer.alloc(100, 7));
});

test('error: the bundle\'s faults are SealErrors (refused for good): a private host, a redirect, over the cap, another scheme', async () => {
  await expect(fetchSealedBundle(`${base}/ok`, opts({ allowPrivateNetwork: false }))).rejects.toThrow(/local or private address/);
  await expect(fetchSealedBundle(`http://[::1]:1/ok`, opts({ allowPrivateNetwork: false }))).rejects.toBeInstanceOf(SealError);
  await expect(fetchSealedBundle(`${base}/ok`, opts({ maxBytes: 99 }))).rejects.toThrow(/over the 99-byte cap/);
  await expect(fetchSealedBundle('ftp://example.com/b', opts())).rejects.toBeInstanceOf(SealError);
  // A redirect could lead a public URI to a private host: not followed.
  await expect(fetchSealedBundle(`${base}/moved`, opts())).rejects.toThrow(/redirects \(HTTP 302\)/);
});

test('behavior: a URI the store or host does not serve yet (404) is not the bundle\'s fault: fetched again later', async () => {
  const err = await fetchSealedBundle(`${base}/missing`, opts()).catch((e: Error) => e);
  expect(err).not.toBeInstanceOf(SealError);
  expect(String(err)).toMatch(/HTTP 404 from its host/);
});
