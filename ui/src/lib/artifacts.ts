/**
 * Results: where a result URI can be downloaded from, and the browser-side sha256 check against
 * the hash the worker posted on-chain (crypto.subtle: available on https and on localhost); a
 * private result is opened first with the connected wallet's sealing key.
 * Inputs: a local file uploaded to the artifact store, signed by the connected wallet (as is a sealed
 * bundle over the inline cap, sealForJob.ts).
 */
import type { Account, WalletClient } from 'viem';
import { putArtifact, signArtifactUpload, type ArtifactUploadSigner, type PutArtifactResult } from '$sdk/artifactUpload';
import { type SealingKeyPair, openResult } from '$sdk/sealing';
import type { LoomConfig } from './config';

/** An http(s) URL to fetch the result from, or undefined when the URI is not fetchable here (ipfs://, …). */
export function downloadUrlOf(resultURI: string, artifactBaseUrl: string): string | undefined {
  const artifact = /^artifact:\/\/(?:0x)?([0-9a-fA-F]{64})$/.exec(resultURI.trim());
  if (artifact) return `${artifactBaseUrl.replace(/\/+$/, '')}/artifacts/0x${artifact[1]!.toLowerCase()}`;
  try {
    const url = new URL(resultURI);
    if (url.protocol === 'http:' || url.protocol === 'https:') return url.toString();
  } catch {}
  return undefined;
}

/** sha256 of the bytes, 0x-prefixed lowercase hex (the form of `Job.resultHash`). */
export async function sha256Hex(bytes: ArrayBuffer | Uint8Array): Promise<`0x${string}`> {
  if (!globalThis.crypto?.subtle) throw new Error('This page is not in a secure context (https or localhost), so the browser cannot hash.');
  const digest = await crypto.subtle.digest('SHA-256', bytes as BufferSource);
  return `0x${[...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
}

export type Verified = { ok: boolean; actual: `0x${string}`; size: number; blob: Blob };

/** Downloads the result and checks it against the on-chain hash. */
export async function downloadAndVerify(url: string, expected: string, fetchImpl: typeof fetch = fetch): Promise<Verified> {
  const res = await fetchImpl(url);
  if (!res.ok) throw new Error(`the artifact store answered ${res.status} ${res.statusText}`.trim());
  const bytes = await res.arrayBuffer();
  const actual = await sha256Hex(bytes);
  return { ok: actual === expected.toLowerCase(), actual, size: bytes.byteLength, blob: new Blob([bytes], { type: 'application/x-tar' }) };
}

/**
 * Downloads a private result (sealed to the client by the worker), opens it with the key the
 * connected wallet derives (sealingKey.svelte.ts: a signature of SEALING_KEY_MESSAGE, the same key the CLI derives), and
 * checks the plaintext against the on-chain hash. Everything happens in the browser.
 */
export async function downloadOpenAndVerify(o: {
  url: string;
  expected: string;
  jobId: `0x${string}`;
  chainId: number;
  /** The job's client, whose key the result is sealed to. */
  client: `0x${string}`;
  sealingKey: () => Promise<SealingKeyPair>;
  fetchImpl?: typeof fetch;
}): Promise<Verified> {
  const res = await (o.fetchImpl ?? fetch)(o.url);
  if (!res.ok) throw new Error(`the artifact store answered ${res.status} ${res.statusText}`.trim());
  const sealed = new Uint8Array(await res.arrayBuffer());
  const { secretKey } = await o.sealingKey();
  const plain = openResult({ envelope: sealed, secretKey, context: { chainId: o.chainId, jobId: o.jobId, recipient: o.client } });
  const actual = await sha256Hex(plain);
  return { ok: actual === o.expected.toLowerCase(), actual, size: plain.byteLength, blob: new Blob([plain as BufferSource], { type: 'application/x-tar' }) };
}

/** 1536 -> "1.5 KiB" */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${Number(v.toFixed(1))} ${units[i]}`;
}

/** The connected wallet as the signer of artifact uploads (one typed-data prompt per upload). */
export function walletUploadSigner(wallet: WalletClient & { account: Account }): ArtifactUploadSigner {
  return { address: wallet.account.address, signTypedData: (td) => wallet.signTypedData({ account: wallet.account, ...td }) };
}

/**
 * Uploads a local file to the artifact store as a job input, signed by the connected wallet (one
 * signature prompt: the store takes signed uploads only). Resolves with its `artifact://` URI.
 */
export async function uploadInput(o: {
  file: Blob;
  /** 0x-prefixed sha256 of the file (sha256Hex). */
  sha256: string;
  wallet: WalletClient & { account: Account };
  config: Pick<LoomConfig, 'artifactUrl' | 'chainId' | 'market'>;
  fetchImpl?: typeof fetch;
}): Promise<PutArtifactResult> {
  const signer = walletUploadSigner(o.wallet);
  const headers = await signArtifactUpload({ signer, chainId: o.config.chainId, market: o.config.market, sha256: o.sha256, size: o.file.size, purpose: 'input' });
  return putArtifact({ baseUrl: o.config.artifactUrl, body: o.file, sha256: o.sha256, headers, ...(o.fetchImpl ? { fetch: o.fetchImpl } : {}) });
}
