/**
 * The file side of private jobs: sealing a packed result bundle to the client before upload (the
 * artifact store addresses the sealed bytes by their own sha256; the result hash posted on-chain stays
 * the plaintext bundle's, so the client checks it after opening, and replicas still compare plaintext
 * hashes), and fetching a sealed secrets bundle that was sent by URI rather than inline.
 */
import { createHash } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import { readFile, writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import type { Hex } from 'viem';
import { type SealContext, SealError, sealResult } from '../../sdk/sealing';
import { isLocalAddress } from '../inputs/fetchInputs';

/** Largest result sealed (it is sealed in memory); a larger one is refused rather than uploaded in clear. */
export const MAX_PRIVATE_RESULT_BYTES = 256 * 2 ** 20;

/** Writes `<path>.sealed`, the bundle sealed to `to`, and returns it with its sha256 (the upload's address). */
export async function sealResultFile(o: { path: string; to: Hex; context: SealContext }): Promise<{ path: string; sha256: string }> {
  const plain = await readFile(o.path);
  if (plain.length > MAX_PRIVATE_RESULT_BYTES) throw new SealError(`the result is ${plain.length} bytes, over the ${MAX_PRIVATE_RESULT_BYTES}-byte cap of a private result`);
  const sealed = sealResult({ bundle: plain, to: o.to, context: o.context });
  const path = `${o.path}.sealed`;
  await writeFile(path, sealed, { mode: 0o600 });
  return { path, sha256: createHash('sha256').update(sealed).digest('hex') };
}

/**
 * Fetches a sealed bundle sent by URI: artifact://<sha256> from the artifact store, or http(s); at
 * most `maxBytes`. A client names the URI, so an http(s) one is held to the inputs' rule: no local
 * or private address (unless `allowPrivateNetwork`), no redirect. A SealError is the bundle's fault
 * (refused for good); any other error (the network, the store answering 5xx or not yet holding the
 * bytes) may pass, and the bundle is fetched again at the next poll.
 */
export async function fetchSealedBundle(uri: string, o: { artifactUrl: string; maxBytes: number; allowPrivateNetwork: boolean; signal?: AbortSignal }): Promise<Uint8Array> {
  const artifact = /^artifact:\/\/(?:0x)?([0-9a-fA-F]{64})$/.exec(uri);
  let url: URL;
  if (artifact) url = new URL(`${o.artifactUrl.replace(/\/+$/, '')}/artifacts/0x${artifact[1]!.toLowerCase()}`);
  else {
    if (!/^https?:\/\//.test(uri)) throw new SealError('the sealed bundle URI is neither artifact://<sha256> nor http(s)');
    url = new URL(uri);
    if (!o.allowPrivateNetwork) await assertPublicHost(url);
  }
  const res = await fetch(url, { redirect: artifact ? 'follow' : 'manual', ...(o.signal ? { signal: o.signal } : {}) });
  // A redirect could lead a public URI to a private host: not followed.
  if (res.status >= 300 && res.status < 400) {
    await res.body?.cancel();
    throw new SealError(`the sealed bundle URI redirects (HTTP ${res.status}); the worker does not follow redirects for bundles`);
  }
  if (res.status === 404 || res.status >= 500 || !res.body) throw new Error(`HTTP ${res.status} from ${artifact ? 'the artifact store' : 'its host'}`);
  if (!res.ok) throw new SealError(`the sealed bundle could not be fetched: HTTP ${res.status}`);
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.length;
    if (size > o.maxBytes) throw new SealError(`the sealed bundle is over the ${o.maxBytes}-byte cap`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

async function assertPublicHost(url: URL): Promise<void> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const addresses = isIP(host) ? [host] : (await lookup(host, { all: true }).catch(() => [])).map((a) => a.address);
  if (addresses.length === 0) throw new Error(`cannot resolve the sealed bundle's host`);
  if (addresses.some(isLocalAddress)) throw new SealError('the sealed bundle URI names a local or private address; the worker fetches bundles only from public hosts and its artifact store');
}
