/**
 * Uploads a result bundle to the artifact store: `PUT /artifacts/0x<sha256>`, streamed from disk,
 * so the store checks the bytes against the hash the worker will post on-chain, and signed by the
 * worker's key (the store takes results from registered workers only; sdk/artifactUpload.ts).
 * Retried with backoff until `deadline` (a store that is briefly down must not cost the job); each
 * attempt is signed anew, as signatures expire within minutes.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import type { Account, Address } from 'viem';
import { signArtifactUpload } from '../../sdk/artifactUpload';
import { WorkerError } from '../errors';

/** Signs the upload of `size` bytes hashing to `sha256`: the headers to send. */
export type SignUpload = (sha256: string, size: number) => Promise<Record<string, string>>;

/** The worker's signer of result uploads, for the store of `market` on `chainId`. */
export function resultUploadSigner(account: Account, chainId: number, market: Address): SignUpload {
  const signTypedData = account.signTypedData;
  if (!signTypedData) throw new WorkerError('KEY_UNAVAILABLE', 'the worker account cannot sign typed data (result uploads are signed)');
  const signer = { address: account.address, signTypedData: signTypedData.bind(account) } as Parameters<typeof signArtifactUpload>[0]['signer'];
  return (sha256, size) => signArtifactUpload({ signer, chainId, market, sha256, size, purpose: 'result' });
}

export type UploadOptions = {
  /** The store's base URL (the API's, by default): PUT goes to `${baseUrl}/artifacts/0x<sha256>`. */
  baseUrl: string;
  path: string;
  sha256: string;
  /** Signs each attempt (resultUploadSigner). */
  sign: SignUpload;
  /** Stop retrying at this time (ms since the epoch). */
  deadline: number;
  signal?: AbortSignal;
  onRetry?: (attempt: number, reason: string) => void;
};

/** Uploads and returns the bundle's `artifact://` URI. */
export async function uploadArtifact(o: UploadOptions): Promise<string> {
  const url = `${o.baseUrl.replace(/\/+$/, '')}/artifacts/0x${o.sha256}`;
  const { size } = await stat(o.path);
  let delay = 500;
  for (let attempt = 1; ; attempt++) {
    let reason: string;
    let retryAfterMs: number | undefined;
    try {
      const signed = await o.sign(o.sha256, size);
      const res = await fetch(url, {
        method: 'PUT',
        body: Readable.toWeb(createReadStream(o.path)) as ReadableStream,
        headers: { 'content-type': 'application/octet-stream', 'content-length': String(size), ...signed },
        duplex: 'half',
        ...(o.signal ? { signal: o.signal } : {}),
      } as RequestInit);
      const body = (await res.json().catch(() => ({}))) as { hash?: string; error?: { code: string; message: string } };
      if (res.ok && body.hash?.toLowerCase() === `0x${o.sha256}`) return `artifact://${o.sha256}`;
      reason = body.error ? `${res.status} ${body.error.code}: ${body.error.message}` : `HTTP ${res.status}`;
      // A rate limit says when to come back: retrying sooner only spends the next window.
      const retryAfter = Number(res.headers.get('retry-after'));
      if (res.status === 429 && Number.isFinite(retryAfter) && retryAfter > 0) retryAfterMs = retryAfter * 1000;
      // The store refusing the bytes themselves, or the signature, will not change on a retry (each
      // attempt signs anew, so a 401 means another chain or market, or a clock far off). A 403 (not
      // a registered worker) is retried: the store's index may not have seen the registration yet.
      if (res.status === 400 || res.status === 401 || res.status === 413) throw new WorkerError('UPLOAD_FAILED', `the artifact store refused the bundle: ${reason}`);
    } catch (err) {
      if (err instanceof WorkerError) throw err;
      if (o.signal?.aborted) throw new WorkerError('UPLOAD_FAILED', 'upload cancelled', { cause: err });
      reason = (err as Error).message;
    }
    const wait = retryAfterMs ?? delay;
    if (Date.now() + wait > o.deadline) throw new WorkerError('UPLOAD_FAILED', `could not upload to ${url} in time: ${reason}`);
    o.onRetry?.(attempt, reason);
    await new Promise((r) => setTimeout(r, wait));
    delay = Math.min(delay * 2, 10_000);
  }
}
