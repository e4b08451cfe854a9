/**
 * The file side of private jobs: sealing a packed result bundle to the client before upload (the
 * artifact store addresses the sealed bytes by their own sha256; the result hash posted on-chain stays
 * the plaintext bundle's, so the client checks it after opening, and replicas still compare plaintext
 * hashes), and fetching a sealed secrets bundle that was sent by URI rather than inline.
 */
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import type { Hex } from 'viem';
import { type SealContext, SealError, sealResult } from '../../sdk/sealing';

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

/** Fetches a sealed bundle sent by URI: artifact://<sha256> from the artifact store, or http(s); at most `maxBytes`. */
export async function fetchSealedBundle(uri: string, artifactUrl: string, maxBytes: number, signal?: AbortSignal): Promise<Uint8Array> {
  const artifact = /^artifact:\/\/(?:0x)?([0-9a-fA-F]{64})$/.exec(uri);
  const url = artifact ? `${artifactUrl.replace(/\/+$/, '')}/artifacts/0x${artifact[1]!.toLowerCase()}` : uri;
  if (!artifact && !/^https?:\/\//.test(uri)) throw new SealError('the sealed bundle URI is neither artifact://<sha256> nor http(s)');
  const res = await fetch(url, { ...(signal ? { signal } : {}) });
  if (!res.ok || !res.body) throw new SealError(`the sealed bundle could not be fetched: HTTP ${res.status}`);
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.length;
    if (size > maxBytes) throw new SealError(`the sealed bundle is over the ${maxBytes}-byte cap`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
