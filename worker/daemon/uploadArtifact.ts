/**
 * Uploads a result bundle to the artifact store: `PUT /artifacts/0x<sha256>`, streamed from disk,
 * so the store checks the bytes against the hash the worker will post on-chain. Retried with
 * backoff until `deadline` (a store that is briefly down must not cost the job).
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { WorkerError } from '../errors';

export type UploadOptions = {
  /** The store's base URL (the API's, by default): PUT goes to `${baseUrl}/artifacts/0x<sha256>`. */
  baseUrl: string;
  path: string;
  sha256: string;
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
      const res = await fetch(url, {
        method: 'PUT',
        body: Readable.toWeb(createReadStream(o.path)) as ReadableStream,
        headers: { 'content-type': 'application/octet-stream', 'content-length': String(size) },
        duplex: 'half',
        ...(o.signal ? { signal: o.signal } : {}),
      } as RequestInit);
      const body = (await res.json().catch(() => ({}))) as { hash?: string; error?: { code: string; message: string } };
      if (res.ok && body.hash?.toLowerCase() === `0x${o.sha256}`) return `artifact://${o.sha256}`;
      reason = body.error ? `${res.status} ${body.error.code}: ${body.error.message}` : `HTTP ${res.status}`;
      // A rate limit says when to come back: retrying sooner only spends the next window.
      const retryAfter = Number(res.headers.get('retry-after'));
      if (res.status === 429 && Number.isFinite(retryAfter) && retryAfter > 0) retryAfterMs = retryAfter * 1000;
      // The store refusing the bytes themselves will not change on a retry.
      if (res.status === 400 || res.status === 413) throw new WorkerError('UPLOAD_FAILED', `the artifact store refused the bundle: ${reason}`);
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
