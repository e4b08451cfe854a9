/**
 * Live job logs: what a running job prints, as the worker streams it to the API and clients follow it.
 *
 * A job's log (one per job and worker: a replicated job has one per slot's worker) is a sequence of
 * chunks. Each chunk carries whole lines of one stream (stdout or stderr), its byte `offset` in the
 * log (the bytes of every chunk before it), and its bytes as opaque `data`: plain text lines, or,
 * for a private job, a ciphertext (`encrypted: true`; the API never reads it, offsets then count the
 * ciphertext's bytes). The worker signs each chunk (EIP-712 over the job, the offset, the stream,
 * the data's sha256, the flags and the time, in the domain of this market); the API accepts a chunk
 * only from the job's assigned worker (or a worker holding a slot of it), only at the offset where
 * the log ends, and within its limits. The last chunk says `end: true`.
 *
 * The live stream is ephemeral: the API keeps a bounded tail of each log in memory, for a while.
 * What is kept is the whole log in the result bundle (`.loom/logs/`, listed in `.loom/run.json`).
 *
 * Clients follow a log over Server-Sent Events: `GET <api>/jobs/0x<id>/log?from=<offset>`
 * (followJobLog below, used by the CLI and the web UI).
 *
 * Browser-safe.
 *
 * @example
 * for await (const e of followJobLog({ apiUrl, jobId, from: 0 })) if (e.kind === 'chunk') process.stdout.write(e.data);
 */
import { type Address, type Hex, sha256 } from 'viem';
import { jobLogDomain, jobLogStreams, jobLogTypes } from '../abis/offchainMessages';

export type JobLogStream = (typeof jobLogStreams)[number];

/**
 * Shared bounds: a line longer than `maxLineBytes` is cut by the worker (the rest of it dropped,
 * ` [loom: line cut]` said instead); a chunk holds at most `maxChunkBytes` of data (the API refuses
 * bigger requests).
 */
export const jobLogBounds = { maxLineBytes: 8 * 1024, maxChunkBytes: 64 * 1024 } as const;

/** One chunk of a log, as the worker writes it. */
export type JobLogChunk = {
  jobId: Hex;
  /** Bytes of this log before this chunk. */
  offset: number;
  stream: JobLogStream;
  /** Whole lines (plain), or a ciphertext (`encrypted`). */
  data: Uint8Array;
  /** The data is sealed to the client's key (private jobs): opaque to the API. */
  encrypted: boolean;
  /** The last chunk of the log: the job's run is over (its data may be empty). */
  end: boolean;
};

/** A chunk on the wire (the body of `POST /jobs/0x<id>/log`): data in base64, with its signature. */
export type SignedJobLogChunk = {
  jobId: Hex;
  offset: number;
  stream: JobLogStream;
  data: string;
  encrypted: boolean;
  end: boolean;
  /** Seconds since the epoch: the API refuses signatures older than a few minutes. */
  issuedAt: number;
  signer: Address;
  signature: Hex;
};

/** The EIP-712 domain and types of a chunk (abis/offchainMessages.ts, shared with the API). */
export { jobLogDomain, jobLogStreams, jobLogTypes };

/** The typed data a worker signs for a chunk. */
export function jobLogTypedData(o: { chainId: number; market: Address; chunk: JobLogChunk; issuedAt: number }) {
  return {
    domain: jobLogDomain(o.chainId, o.market),
    types: jobLogTypes,
    primaryType: 'JobLogChunk' as const,
    message: {
      jobId: o.chunk.jobId,
      offset: BigInt(o.chunk.offset),
      stream: o.chunk.stream,
      dataSha256: sha256(o.chunk.data),
      encrypted: o.chunk.encrypted,
      end: o.chunk.end,
      issuedAt: BigInt(o.issuedAt),
    },
  };
}

export type JobLogSigner = {
  address: Address;
  signTypedData: (typedData: ReturnType<typeof jobLogTypedData>) => Promise<Hex>;
};

/**
 * Signs a chunk; returns the request body to POST to `<api>/jobs/0x<id>/log`.
 * @example
 * const body = await signJobLogChunk({ signer: account, chainId, market, chunk });
 */
export async function signJobLogChunk(o: { signer: JobLogSigner; chainId: number; market: Address; chunk: JobLogChunk; now?: number }): Promise<SignedJobLogChunk> {
  const c = o.chunk;
  if (!/^0x[0-9a-fA-F]{64}$/.test(c.jobId)) throw new Error(`signJobLogChunk: jobId must be a bytes32, got "${c.jobId}"`);
  if (!Number.isSafeInteger(c.offset) || c.offset < 0) throw new Error(`signJobLogChunk: offset must be a byte count, got ${c.offset}`);
  if (c.data.length > jobLogBounds.maxChunkBytes) throw new Error(`signJobLogChunk: a chunk holds at most ${jobLogBounds.maxChunkBytes} bytes, got ${c.data.length}`);
  const issuedAt = Math.floor(o.now ?? Date.now() / 1000);
  const signature = await o.signer.signTypedData(jobLogTypedData({ chainId: o.chainId, market: o.market, chunk: c, issuedAt }));
  return { jobId: c.jobId.toLowerCase() as Hex, offset: c.offset, stream: c.stream, data: toBase64(c.data), encrypted: c.encrypted, end: c.end, issuedAt, signer: o.signer.address, signature };
}

/** The URL of a job's log: `POST` a chunk to it, `GET` it as Server-Sent Events. */
export function jobLogUrl(apiUrl: string, jobId: Hex, q: { from?: number; worker?: Address; follow?: boolean } = {}): string {
  const params = new URLSearchParams();
  if (q.from !== undefined) params.set('from', String(q.from));
  if (q.worker) params.set('worker', q.worker.toLowerCase());
  if (q.follow === false) params.set('follow', '0');
  const query = params.toString();
  return `${apiUrl.replace(/\/+$/, '')}/jobs/${jobId.toLowerCase()}/log${query ? `?${query}` : ''}`;
}

/** What a follower receives. */
export type JobLogEvent =
  | { kind: 'chunk'; worker: Address; offset: number; stream: JobLogStream; data: Uint8Array; encrypted: boolean }
  /** Bytes [from, to) are no longer held by the API (its buffer is a bounded tail): read them in the result. */
  | { kind: 'gap'; from: number; to: number }
  /** The log is complete at `offset` bytes. */
  | { kind: 'end'; worker: Address; offset: number };

export class JobLogError extends Error {
  override name = 'JobLogError';
  constructor(
    readonly status: number,
    readonly code: string,
    readonly shortMessage: string,
  ) {
    super(`the job log could not be read: ${status} ${code}: ${shortMessage}`);
  }
}

export type FollowJobLogOptions = {
  apiUrl: string;
  jobId: Hex;
  /** The byte offset to start at (default 0). */
  from?: number;
  /** Whose log, for a job with several workers (default: the first to write one). */
  worker?: Address;
  /** Keep following until the log ends (default true); false: what the API holds now, then stop. */
  follow?: boolean;
  signal?: AbortSignal;
  fetch?: typeof fetch;
  /** A dropped connection is resumed from the last offset received, at most this many times in a row (default 10). */
  retries?: number;
  /** While following, a job the API does not know yet (just posted) is asked for again each second, this many times (default 30). */
  unknownJobRetries?: number;
};

/**
 * Follows a job's log: yields its chunks in order from `from`, then `end`. A connection that drops
 * is resumed from the offset reached (the API's SSE ids are offsets). Refusals (no such log when not
 * following, too many streams) throw JobLogError.
 */
export async function* followJobLog(o: FollowJobLogOptions): AsyncGenerator<JobLogEvent> {
  const doFetch = o.fetch ?? fetch;
  let from = o.from ?? 0;
  let worker = o.worker;
  let failures = 0;
  let unknownJob = 0;
  for (;;) {
    let res: Response;
    try {
      res = await doFetch(jobLogUrl(o.apiUrl, o.jobId, { from, ...(worker ? { worker } : {}), ...(o.follow === false ? { follow: false } : {}) }), {
        headers: { accept: 'text/event-stream' },
        ...(o.signal ? { signal: o.signal } : {}),
      });
    } catch (err) {
      if (o.signal?.aborted || ++failures > (o.retries ?? 10)) throw err;
      await new Promise((r) => setTimeout(r, Math.min(200 * failures, 2000)));
      continue;
    }
    if (!res.ok || !res.body) {
      const body = (await res.json().catch(() => ({}))) as { error?: { code?: string; message?: string } };
      // Following a job just posted: the API indexes it within moments.
      if (res.status === 404 && o.follow !== false && ++unknownJob <= (o.unknownJobRetries ?? 30)) {
        await new Promise((r) => setTimeout(r, 1000));
        continue;
      }
      throw new JobLogError(res.status, body.error?.code ?? 'HTTP_ERROR', body.error?.message ?? `HTTP ${res.status}`);
    }
    let ended = false;
    try {
      for await (const msg of sseMessages(res.body)) {
        failures = 0;
        const d = JSON.parse(msg.data) as Record<string, unknown>;
        if (msg.event === 'chunk') {
          const e: JobLogEvent = {
            kind: 'chunk',
            worker: d.worker as Address,
            offset: d.offset as number,
            stream: d.stream as JobLogStream,
            data: fromBase64(d.data as string),
            encrypted: d.encrypted === true,
          };
          worker ??= e.worker;
          from = e.offset + e.data.length;
          yield e;
        } else if (msg.event === 'gap') {
          from = d.to as number;
          yield { kind: 'gap', from: d.from as number, to: d.to as number };
        } else if (msg.event === 'end') {
          ended = true;
          yield { kind: 'end', worker: d.worker as Address, offset: d.offset as number };
          return;
        } else if (msg.event === 'close') {
          // A snapshot (follow=0) is over.
          return;
        }
      }
    } catch (err) {
      if (o.signal?.aborted) return;
      if (++failures > (o.retries ?? 10)) throw err;
    }
    if (ended || o.follow === false || o.signal?.aborted) return;
    // The server ended the stream (a restart, a slow reader cut): resume where we are.
    await new Promise((r) => setTimeout(r, Math.min(200 * Math.max(1, failures), 2000)));
  }
}

/** Server-Sent Events from a response body: one `{ event, data, id }` per message. */
async function* sseMessages(body: ReadableStream<Uint8Array>): AsyncGenerator<{ event: string; data: string; id?: string }> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let cut: number;
      while ((cut = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        let event = 'message';
        let id: string | undefined;
        const data: string[] = [];
        for (const line of block.split('\n')) {
          if (line.startsWith(':')) continue;
          const colon = line.indexOf(':');
          const field = colon < 0 ? line : line.slice(0, colon);
          const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
          if (field === 'event') event = value;
          else if (field === 'data') data.push(value);
          else if (field === 'id') id = value;
        }
        if (data.length > 0) yield { event, data: data.join('\n'), ...(id !== undefined ? { id } : {}) };
      }
    }
  } finally {
    reader.releaseLock();
    await body.cancel().catch(() => {});
  }
}

/** Bytes to base64 (browser and Node). */
export function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

/** base64 to bytes (browser and Node); throws on anything that is not base64. */
export function fromBase64(text: string): Uint8Array {
  const s = atob(text);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}
