/**
 * Sends a live log's chunks to the API (`POST <api>/jobs/0x<id>/log`), each signed with the worker's
 * key for this chain's market (sdk/jobLog.ts). The API's answer says whether to wait and retry
 * (429 with Retry-After, 503, the network; 403 and 404 while the API's index catches up with the
 * assignment) or to stop streaming (any other refusal: a bad signature, a log over its size, an
 * offset the API does not expect).
 */
import type { Account, Address } from 'viem';
import { type JobLogSigner, signJobLogChunk } from '../../sdk/jobLog';
import { WorkerError } from '../errors';
import type { SendChunk } from './liveLog';

/** @example new LiveLog({ jobId, send: logChunkSender({ apiUrl, account, chainId, market }) }) */
export function logChunkSender(o: { apiUrl: string; account: Account; chainId: number; market: Address; timeoutMs?: number }): SendChunk {
  const signTypedData = o.account.signTypedData;
  if (!signTypedData) throw new WorkerError('KEY_UNAVAILABLE', 'the worker account cannot sign typed data (live log chunks are signed)');
  const signer = { address: o.account.address, signTypedData: signTypedData.bind(o.account) } as JobLogSigner;
  const base = o.apiUrl.replace(/\/+$/, '');
  return async (chunk) => {
    const body = await signJobLogChunk({ signer, chainId: o.chainId, market: o.market, chunk });
    const res = await fetch(`${base}/jobs/${chunk.jobId.toLowerCase()}/log`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(o.timeoutMs ?? 10_000),
    });
    if (res.ok) {
      await res.body?.cancel().catch(() => {});
      return { ok: true };
    }
    const answer = (await res.json().catch(() => ({}))) as { error?: { code?: string; message?: string } };
    const reason = `${res.status} ${answer.error?.code ?? ''}: ${answer.error?.message ?? ''}`;
    if (res.status === 429 || res.status === 503 || res.status >= 500) {
      const after = Number(res.headers.get('retry-after'));
      return { ok: false, retryAfterMs: Number.isFinite(after) && after > 0 ? after * 1000 : 1000, reason };
    }
    // 404, 403: the API has not indexed the job or its assignment yet (the worker runs a claimed job
    // on its own receipt, which may come before the indexer's block): retried soon, while LiveLog allows (30 s).
    if (res.status === 404 || res.status === 403) return { ok: false, retryAfterMs: 200, reason };
    return { ok: false, reason };
  };
}
