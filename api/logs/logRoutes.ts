/**
 * Live job logs over HTTP, as a Hono sub-app to mount at `/jobs`:
 *
 *   POST /jobs/0x<id>/log   a signed chunk (sdk/jobLog.ts signJobLogChunk) from the job's worker; 200 { offset }
 *   GET  /jobs/0x<id>/log   Server-Sent Events: `chunk` events (id: the offset after it), `gap`, `end`;
 *                           ?from=<offset> (or Last-Event-ID) resumes, ?worker=0x… picks a replica's
 *                           log, ?follow=0 sends what is held and ends with a `close` event
 *
 * A chunk is accepted only with a valid signature (logSignature.ts) by the job's assigned worker or
 * a worker holding one of its slots (logWriters.ts), at the offset where that worker's log ends,
 * within the log's limits (jobLogs.ts). Refusals are JSON `{ "error": { "code", "message" } }`:
 * 400 BAD_REQUEST, 401 UNAUTHORIZED (signature), 403 FORBIDDEN (not the job's worker), 404 NOT_FOUND,
 * 409 OFFSET_MISMATCH / LOG_ENDED, 413 LOG_FULL, 429 RATE_LIMITED (Retry-After), 503 UNAVAILABLE.
 *
 * A follower's stream is pulled at the client's pace from the shared buffer (no queue of its own):
 * a slow reader holds no memory, and one that falls behind the buffer is told of the gap.
 */
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Logger } from 'pino';
import { type Address, type Hex, isAddress } from 'viem';
import { type ClientAdmission, type NodeResponse, StreamTicket } from '../clients/clientAdmission';
import { RateLimiter } from '../clients/rateLimiter';
import type { JobLog, JobLogs } from './jobLogs';
import { type LogDomain, verifyLogChunk } from './logSignature';
import type { LogWriterCheck } from './logWriters';

export type LogRoutesOptions = {
  logs: JobLogs;
  /** The market whose workers sign (without it, every chunk is refused). */
  domain?: LogDomain;
  mayWrite: LogWriterCheck;
  jobExists: (jobId: Hex) => Promise<boolean>;
  /** The client's key for the request limits and stream slots. */
  clientOf: (c: Context) => string;
  /** Stream slots per client, shared with GraphQL subscriptions. */
  admission?: ClientAdmission;
  /** Chunk requests per client (default: 200 at once, 100 per second). */
  writes?: { burst: number; perSecond: number };
  /** How long a signature is valid (seconds, default 300). */
  maxAgeSeconds?: number;
  /** How often a quiet stream sends a comment, so proxies keep it open (default 15 s). */
  keepaliveMs?: number;
  logger?: Logger;
  now?: () => number;
};

const JOB_ID = /^0x[0-9a-fA-F]{64}$/;

type ErrorCode = 'BAD_REQUEST' | 'UNAUTHORIZED' | 'FORBIDDEN' | 'NOT_FOUND' | 'OFFSET_MISMATCH' | 'LOG_ENDED' | 'LOG_FULL' | 'RATE_LIMITED' | 'UNAVAILABLE';
const statusOf: Record<ErrorCode, 400 | 401 | 403 | 404 | 409 | 413 | 429 | 503> = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  OFFSET_MISMATCH: 409,
  LOG_ENDED: 409,
  LOG_FULL: 413,
  RATE_LIMITED: 429,
  UNAVAILABLE: 503,
};

/** @example app.route('/jobs', logRoutes({ logs: new JobLogs(defaultJobLogLimits), domain, mayWrite, jobExists, clientOf })) */
export function logRoutes(o: LogRoutesOptions): Hono {
  const app = new Hono();
  const now = o.now ?? Date.now;
  const writes = new RateLimiter(o.writes ?? { burst: 200, perSecond: 100 }, now);
  const keepaliveMs = o.keepaliveMs ?? 15_000;
  const limits = o.logs.limits;
  const fail = (c: Context, code: ErrorCode, message: string, extra: Record<string, unknown> = {}, headers?: Record<string, string>) =>
    c.json({ error: { code, message, ...extra } }, statusOf[code], headers);

  app.post(
    '/:id/log',
    bodyLimit({
      // base64 takes 4 bytes per 3, plus the other fields.
      maxSize: Math.ceil((limits.maxChunkBytes * 4) / 3) + 4096,
      onError: (c) => fail(c, 'LOG_FULL', `a chunk holds at most ${limits.maxChunkBytes} bytes of data`),
    }),
    async (c) => {
      const id = c.req.param('id');
      if (!JOB_ID.test(id)) return fail(c, 'BAD_REQUEST', `"${id}" is not a job id (0x and 64 hex digits)`);
      const jobId = id.toLowerCase() as Hex;
      const rate = writes.take(o.clientOf(c));
      if (!rate.ok) return fail(c, 'RATE_LIMITED', `too many log requests; retry in ${rate.retryAfterSeconds} s`, {}, { 'retry-after': String(rate.retryAfterSeconds) });
      if (!o.domain) return fail(c, 'UNAVAILABLE', 'this API takes no log chunks: it was started without the market whose workers sign them');
      let body: unknown;
      try {
        body = await c.req.json();
      } catch {
        return fail(c, 'BAD_REQUEST', 'the body must be JSON (sdk signJobLogChunk)');
      }
      const checked = await verifyLogChunk(body, jobId, {
        domain: o.domain,
        now: Math.floor(now() / 1000),
        maxAgeSeconds: o.maxAgeSeconds ?? 300,
        maxSkewSeconds: 60,
        maxChunkBytes: limits.maxChunkBytes,
      });
      if (!checked.ok) return fail(c, checked.code, checked.message);
      const chunk = checked.chunk;
      // A log exists only once its writer was checked: later chunks of it skip the database.
      if (!o.logs.get(jobId, chunk.signer)) {
        const may = await o.mayWrite(jobId, chunk.signer);
        if (may === 'no_job') return fail(c, 'NOT_FOUND', `no job ${jobId} is indexed`);
        if (may === 'not_worker') return fail(c, 'FORBIDDEN', `${chunk.signer} is not the worker of job ${jobId}: only the job's assigned worker (or a worker holding a slot of it) writes its log`);
      }
      const outcome = o.logs.append(chunk);
      if (!outcome.ok) {
        const headers = outcome.retryAfterSeconds ? { 'retry-after': String(outcome.retryAfterSeconds) } : undefined;
        return fail(c, outcome.code, outcome.message, outcome.expected === undefined ? {} : { expected: outcome.expected }, headers);
      }
      return c.json({ offset: outcome.end, duplicate: outcome.duplicate });
    },
  );

  app.get('/:id/log', async (c) => {
    const id = c.req.param('id');
    if (!JOB_ID.test(id)) return fail(c, 'BAD_REQUEST', `"${id}" is not a job id (0x and 64 hex digits)`);
    const jobId = id.toLowerCase() as Hex;
    const fromText = c.req.query('from') ?? c.req.header('last-event-id') ?? '0';
    if (!/^\d{1,15}$/.test(fromText)) return fail(c, 'BAD_REQUEST', `from must be a byte offset, got "${fromText}"`);
    const workerText = c.req.query('worker');
    if (workerText !== undefined && !isAddress(workerText, { strict: false })) return fail(c, 'BAD_REQUEST', `worker must be an address, got "${workerText}"`);
    const worker = workerText?.toLowerCase() as Address | undefined;
    const follow = c.req.query('follow') !== '0';
    if (!(await o.jobExists(jobId))) return fail(c, 'NOT_FOUND', `no job ${jobId} is indexed`);
    if (!follow && !o.logs.get(jobId, worker)) {
      return fail(c, 'NOT_FOUND', `no live log of job ${jobId} is held here: the job has not started (or printed nothing yet), or it ended a while ago and its whole log is in the result bundle (.loom/logs/)`);
    }

    const ticket = o.admission ? new StreamTicket(o.admission, o.clientOf(c)) : undefined;
    if (ticket && !ticket.take()) {
      return fail(c, 'RATE_LIMITED', `too many open streams from this client; retry in ${ticket.refusedFor} s`, {}, { 'retry-after': String(ticket.refusedFor) });
    }
    const body = followerStream(o.logs, jobId, worker, Number(fromText), follow, keepaliveMs);
    const response = new globalThis.Response(body, {
      headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'x-accel-buffering': 'no' },
    });
    return ticket && o.admission ? o.admission.watch(ticket, response, (c.env as { outgoing?: NodeResponse } | undefined)?.outgoing) : response;
  });

  return app;
}

const encoder = new TextEncoder();

function sse(event: string, data: unknown, id?: number): string {
  return `${id === undefined ? '' : `id: ${id}\n`}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** One follower's stream, pulled from the shared log at the client's pace. */
function followerStream(logs: JobLogs, jobId: Hex, worker: Address | undefined, from: number, follow: boolean, keepaliveMs: number): ReadableStream<Uint8Array> {
  let cursor = from;
  let log: JobLog | undefined;
  let cancelled = false;
  const send = (ctrl: ReadableStreamDefaultController<Uint8Array>, text: string) => {
    if (!cancelled) ctrl.enqueue(encoder.encode(text));
  };
  const finish = (ctrl: ReadableStreamDefaultController<Uint8Array>, text: string) => {
    if (cancelled) return;
    ctrl.enqueue(encoder.encode(text));
    ctrl.close();
    cancelled = true;
  };
  return new ReadableStream<Uint8Array>(
    {
      start(ctrl) {
        // The client's EventSource retries after 1 s (the default is 3).
        ctrl.enqueue(encoder.encode('retry: 1000\n\n'));
      },
      async pull(ctrl) {
        for (let waited = false; !cancelled; ) {
          log ??= logs.get(jobId, worker);
          if (!log) {
            if (!follow) return finish(ctrl, sse('close', { offset: cursor }));
            if (waited) return send(ctrl, ': waiting for the job to print\n\n');
            await logs.waitForLog(jobId, keepaliveMs);
            waited = true;
            continue;
          }
          const r = log.read(cursor, 256 * 1024);
          let out = r.gap ? sse('gap', r.gap, r.gap.to) : '';
          for (const ch of r.chunks) {
            out += sse('chunk', { worker: log.worker, offset: ch.offset, stream: ch.stream, data: Buffer.from(ch.data).toString('base64'), encrypted: ch.encrypted }, ch.offset + ch.data.length);
          }
          cursor = r.next;
          if (out) return send(ctrl, out);
          if (log.ended && cursor >= log.end) return finish(ctrl, sse('end', { worker: log.worker, offset: log.end }));
          if (!follow) return finish(ctrl, sse('close', { offset: cursor }));
          if (logs.get(log.jobId, log.worker) !== log) return finish(ctrl, sse('close', { offset: cursor }));
          if (waited) return send(ctrl, ': keepalive\n\n');
          await log.wait(keepaliveMs);
          waited = true;
        }
      },
      cancel() {
        cancelled = true;
      },
    },
    { highWaterMark: 0 },
  );
}
