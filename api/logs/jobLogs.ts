/**
 * The live logs this API process holds: per job and worker, a bounded tail of the chunks the worker
 * wrote, and the followers waiting for more. Ephemeral by design: in memory, per process, dropped a
 * while after the log ends (or goes quiet); a restart loses them. The whole log is kept in the result
 * bundle (`.loom/logs/`), not here.
 *
 * Bounds (api/README.md, "Live job logs"; LOOM_API_LOG_* variables):
 *   - per log: `maxBytes` accepted in all, at most `bytesPerSecond` sustained (`burstBytes` at once),
 *     of which the last `bufferBytes` are held; a follower that asks for older bytes is told of the gap;
 *   - per process: at most `maxLogs` logs at once; ended logs go after `keepEndedMs`, quiet ones after `idleMs`.
 * A writer over its rate is refused (429, Retry-After), never queued: a flood from one job costs the
 * API a signature check per refused request, and no memory.
 */
import type { Address, Hex } from 'viem';
import type { LogStream, VerifiedChunk } from './logSignature';

export type JobLogLimits = {
  maxBytes: number;
  bytesPerSecond: number;
  burstBytes: number;
  bufferBytes: number;
  maxLogs: number;
  keepEndedMs: number;
  idleMs: number;
  /** Largest chunk (bytes of data). */
  maxChunkBytes: number;
};

export const defaultJobLogLimits: JobLogLimits = {
  maxBytes: 16 * 2 ** 20,
  bytesPerSecond: 64 * 1024,
  burstBytes: 512 * 1024,
  bufferBytes: 2 ** 20,
  maxLogs: 2000,
  keepEndedMs: 10 * 60_000,
  idleMs: 60 * 60_000,
  maxChunkBytes: 64 * 1024,
};

/** The limits the environment sets (LOOM_API_LOG_*), over the defaults. */
export function jobLogLimitsFromEnv(env: Record<string, string | undefined> = process.env): JobLogLimits {
  const n = (name: string, fallback: number) => {
    const raw = env[name]?.trim();
    if (raw === undefined || raw === '') return fallback;
    const v = Number(raw);
    if (!Number.isInteger(v) || v <= 0) throw new RangeError(`${name}=${JSON.stringify(raw)}: expected a whole number > 0`);
    return v;
  };
  const d = defaultJobLogLimits;
  return {
    ...d,
    maxBytes: n('LOOM_API_LOG_MAX_BYTES', d.maxBytes),
    bytesPerSecond: n('LOOM_API_LOG_BYTES_PER_SECOND', d.bytesPerSecond),
    burstBytes: n('LOOM_API_LOG_BURST_BYTES', d.burstBytes),
    bufferBytes: n('LOOM_API_LOG_BUFFER_BYTES', d.bufferBytes),
    maxLogs: n('LOOM_API_LOG_MAX_LOGS', d.maxLogs),
  };
}

export type HeldChunk = { offset: number; stream: LogStream; data: Uint8Array; encrypted: boolean };

/** What a follower reads from `from`: a gap first when older bytes are gone, then chunks. */
export type LogRead = { gap?: { from: number; to: number }; chunks: HeldChunk[]; next: number };

export type AppendOutcome =
  | { ok: true; duplicate: boolean; end: number }
  | { ok: false; code: 'OFFSET_MISMATCH' | 'LOG_ENDED' | 'LOG_FULL' | 'RATE_LIMITED' | 'UNAVAILABLE'; message: string; retryAfterSeconds?: number; expected?: number };

export class JobLog {
  private chunks: HeldChunk[] = [];
  private held = 0;
  /** The offset of the first held chunk. */
  start: number;
  /** The offset the next chunk must start at. */
  end: number;
  ended = false;
  lastWriteMs: number;
  private tokens: number;
  private tokensAt: number;
  private waiters = new Set<() => void>();

  constructor(
    readonly jobId: Hex,
    readonly worker: Address,
    startOffset: number,
    private readonly limits: JobLogLimits,
    now: number,
  ) {
    this.start = startOffset;
    this.end = startOffset;
    this.lastWriteMs = now;
    this.tokens = limits.burstBytes;
    this.tokensAt = now;
  }

  append(c: VerifiedChunk, now: number): AppendOutcome {
    const len = c.data.length;
    // A retried request the log already holds (its answer was lost): accepted again, nothing changes.
    const held = c.offset + len <= this.end && (c.offset < this.end || (c.end && this.ended));
    if (held && (!c.end || this.ended)) return { ok: true, duplicate: true, end: this.end };
    if (this.ended) return { ok: false, code: 'LOG_ENDED', message: `the log of job ${this.jobId} by ${this.worker} has ended at ${this.end} bytes` };
    if (c.offset !== this.end) return { ok: false, code: 'OFFSET_MISMATCH', message: `the log is at ${this.end} bytes; a chunk must continue it there, not at ${c.offset}`, expected: this.end };
    if (this.end + len > this.limits.maxBytes) {
      return { ok: false, code: 'LOG_FULL', message: `a live log holds at most ${this.limits.maxBytes} bytes; the whole log is in the result bundle` };
    }
    this.tokens = Math.min(this.limits.burstBytes, this.tokens + ((now - this.tokensAt) / 1000) * this.limits.bytesPerSecond);
    this.tokensAt = now;
    if (len > this.tokens) {
      const retryAfterSeconds = Math.max(1, Math.ceil((len - this.tokens) / this.limits.bytesPerSecond));
      return { ok: false, code: 'RATE_LIMITED', message: `a live log takes at most ${this.limits.bytesPerSecond} bytes per second; retry in ${retryAfterSeconds} s`, retryAfterSeconds };
    }
    this.tokens -= len;
    if (len > 0) {
      this.chunks.push({ offset: c.offset, stream: c.stream, data: c.data, encrypted: c.encrypted });
      this.held += len;
      this.end += len;
      while (this.held > this.limits.bufferBytes && this.chunks.length > 1) {
        const dropped = this.chunks.shift()!;
        this.held -= dropped.data.length;
        this.start = this.chunks[0]!.offset;
      }
    }
    if (c.end) this.ended = true;
    this.lastWriteMs = now;
    this.wake();
    return { ok: true, duplicate: false, end: this.end };
  }

  /**
   * The held chunks from `from` on, up to about `maxBytes` (always at least one chunk). A plain
   * chunk that `from` falls inside is cut there; a sealed one is sent whole (its bytes mean nothing cut).
   */
  read(from: number, maxBytes: number): LogRead {
    const out: HeldChunk[] = [];
    let next = from;
    let gap: LogRead['gap'];
    if (from < this.start) {
      gap = { from, to: this.start };
      next = this.start;
    }
    let bytes = 0;
    for (const c of this.chunks) {
      if (c.offset + c.data.length <= next) continue;
      if (out.length > 0 && bytes + c.data.length > maxBytes) break;
      const cut = !c.encrypted && c.offset < next ? next - c.offset : 0;
      const piece = cut > 0 ? { ...c, offset: next, data: c.data.subarray(cut) } : c;
      out.push(piece);
      bytes += piece.data.length;
      next = piece.offset + piece.data.length;
    }
    return { ...(gap ? { gap } : {}), chunks: out, next };
  }

  /** Resolves when the log grows or ends, or after `ms`. */
  wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.waiters.add(done);
    });
  }

  /** Wakes every follower (also when the log is dropped). */
  wake(): void {
    for (const w of [...this.waiters]) w();
  }
}

/** Every live log of this process. */
export class JobLogs {
  private readonly logs = new Map<string, JobLog>();
  /** Followers of a job whose log has not started yet. */
  private readonly waitingFor = new Map<Hex, Set<() => void>>();

  constructor(
    readonly limits: JobLogLimits,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.logs.size;
  }

  /** The log of `jobId` by `worker`; without `worker`, the first one written for the job. */
  get(jobId: Hex, worker?: Address): JobLog | undefined {
    this.sweep();
    if (worker) return this.logs.get(key(jobId, worker));
    for (const log of this.logs.values()) if (log.jobId === jobId) return log;
    return undefined;
  }

  /** Appends a verified chunk (from a writer the caller checked), starting the log if it is new. */
  append(c: VerifiedChunk): AppendOutcome {
    const now = this.now();
    let log = this.logs.get(key(c.jobId, c.signer));
    if (!log) {
      this.sweep();
      if (this.logs.size >= this.limits.maxLogs) {
        return { ok: false, code: 'UNAVAILABLE', message: `this API holds ${this.limits.maxLogs} live logs already; retry later`, retryAfterSeconds: 30 };
      }
      // A log may start at any offset: after an API restart the worker carries on where it was.
      log = new JobLog(c.jobId, c.signer, c.offset, this.limits, now);
      this.logs.set(key(c.jobId, c.signer), log);
      const waiting = this.waitingFor.get(c.jobId);
      this.waitingFor.delete(c.jobId);
      for (const w of waiting ?? []) w();
    }
    return log.append(c, now);
  }

  /** Resolves when a log of `jobId` starts, or after `ms`. */
  waitForLog(jobId: Hex, ms: number): Promise<void> {
    return new Promise((resolve) => {
      let set = this.waitingFor.get(jobId);
      if (!set) this.waitingFor.set(jobId, (set = new Set()));
      const done = () => {
        clearTimeout(timer);
        set!.delete(done);
        if (set!.size === 0 && this.waitingFor.get(jobId) === set) this.waitingFor.delete(jobId);
        resolve();
      };
      const timer = setTimeout(done, ms);
      set.add(done);
    });
  }

  /** Drops logs that ended a while ago, or went quiet. */
  private sweep(): void {
    const now = this.now();
    for (const [k, log] of this.logs) {
      const age = now - log.lastWriteMs;
      if ((log.ended && age > this.limits.keepEndedMs) || age > this.limits.idleMs) {
        this.logs.delete(k);
        log.wake();
      }
    }
  }
}

function key(jobId: Hex, worker: Address): string {
  return `${jobId}:${worker.toLowerCase()}`;
}
