/**
 * A running job's output, line by line: streamed live to the API (signed chunks, sdk/jobLog.ts) and
 * kept whole for the result bundle (`.loom/logs/stdout.log`, `.loom/logs/stderr.log`, listed with
 * their sizes and hashes in `.loom/run.json`).
 *
 * Lines are cut at `maxLineBytes` (the rest of the line dropped, ` [loom: line cut]` said instead).
 * The kept log holds at most `keepBytes` (then `truncated`). The live stream takes at most
 * `streamBytesPerSecond` (`streamBurstBytes` at once) and `streamMaxBytes` in all: past that, lines
 * are left out of the stream (a note says how many bytes) but still kept. The job's pipes are always
 * read at once, so a job printing fast never waits on the API; one request is in flight at a time,
 * and what arrives meanwhile goes in the next chunk (a line printed while nothing is in flight
 * leaves at once: the live latency is one request).
 *
 * A private job's chunks are sealed by `seal` (to the client's key) before they are signed; the API
 * only ever sees ciphertext then (`encrypted: true`).
 */
import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import type { Hex } from 'viem';
import { type JobLogChunk, type JobLogStream, jobLogBounds } from '../../sdk/jobLog';

/** Sends one chunk (signed by the caller): `ok`, or a refusal to wait out (`retryAfterMs`), or to give up on. */
export type SendChunk = (chunk: JobLogChunk) => Promise<{ ok: true } | { ok: false; retryAfterMs?: number; reason: string }>;

export type LiveLogOptions = {
  jobId: Hex;
  /** Where chunks go; without it the log is only kept. */
  send?: SendChunk;
  /**
   * Keep the whole log for the bundle (default true). False for a replicated job's run: replicas
   * agree only when their bundles are the same bytes, and output (times, host names) may differ.
   */
  keep?: boolean;
  /** Seals a chunk's bytes to the client's key (private jobs). */
  seal?: (plain: Uint8Array) => Promise<Uint8Array>;
  maxLineBytes?: number;
  keepBytes?: number;
  streamBytesPerSecond?: number;
  streamBurstBytes?: number;
  streamMaxBytes?: number;
  logger?: Logger;
  now?: () => number;
};

/** What the bundle gets: the files, and their entry in the run record. */
export type KeptLog = {
  files: { path: string; content: Buffer }[];
  record: LogRecord | undefined;
};

/** `.loom/run.json`'s `logs`: each non-empty stream's file, size and sha256; `truncated` when over the keep limit. */
export type LogRecord = { [S in JobLogStream]?: { path: string; bytes: number; sha256: string } } & { truncated?: true };

export const LOG_DIR = '.loom/logs';
const CUT = Buffer.from(' [loom: line cut]\n');
const NL = 0x0a;
/** How long refusals to wait out (rate limits, the API down or catching up) may last before the live log is given up. */
const GIVE_UP_MS = 30_000;

type Line = { stream: JobLogStream; data: Buffer };

export class LiveLog {
  private readonly maxLine: number;
  private readonly keepBytes: number;
  private readonly rate: number;
  private readonly burst: number;
  private readonly streamMax: number;
  private readonly now: () => number;

  private partial: Record<JobLogStream, Buffer[]> = { stdout: [], stderr: [] };
  private partialBytes: Record<JobLogStream, number> = { stdout: 0, stderr: 0 };
  private cutting: Record<JobLogStream, boolean> = { stdout: false, stderr: false };

  private kept: Record<JobLogStream, Buffer[]> = { stdout: [], stderr: [] };
  private keptBytes = 0;
  private truncated = false;

  private queue: Line[] = [];
  private queued = 0;
  private offset = 0;
  private streamed = 0;
  private tokens: number;
  private tokensAt: number;
  private droppedLive = 0;
  private live: boolean;
  private ended = false;
  private sending: Promise<void> | undefined;
  private finished = false;

  constructor(private readonly o: LiveLogOptions) {
    this.maxLine = o.maxLineBytes ?? jobLogBounds.maxLineBytes;
    this.keepBytes = o.keepBytes ?? 8 * 2 ** 20;
    this.rate = o.streamBytesPerSecond ?? 32 * 1024;
    this.burst = o.streamBurstBytes ?? 256 * 1024;
    this.streamMax = o.streamMaxBytes ?? 8 * 2 ** 20;
    this.now = o.now ?? Date.now;
    this.tokens = this.burst;
    this.tokensAt = this.now();
    this.live = o.send !== undefined;
  }

  /** Bytes the job printed on `stream` (the sandbox's pipe, as it came). */
  push(stream: JobLogStream, bytes: Buffer): void {
    if (this.finished) return;
    let start = 0;
    for (let nl = bytes.indexOf(NL, start); nl >= 0; nl = bytes.indexOf(NL, start)) {
      this.take(stream, bytes.subarray(start, nl + 1), true);
      start = nl + 1;
    }
    if (start < bytes.length) this.take(stream, bytes.subarray(start), false);
    this.pump();
  }

  /** A new attempt at the run (the worker retries its own failures): the kept log starts over. */
  beginRun(): void {
    this.finished = false;
    this.kept = { stdout: [], stderr: [] };
    this.keptBytes = 0;
    this.truncated = false;
    this.partial = { stdout: [], stderr: [] };
    this.partialBytes = { stdout: 0, stderr: 0 };
    this.cutting = { stdout: false, stderr: false };
  }

  /**
   * The run is over: the last partial lines are ended, the end of the live log is sent (in the
   * background: `drained()` waits for it), and the kept log is returned for the bundle.
   */
  finish(): KeptLog {
    for (const s of ['stdout', 'stderr'] as const) {
      if (this.partialBytes[s] > 0) this.line(s, Buffer.concat([...this.partial[s], Buffer.from('\n')]));
      this.partial[s] = [];
      this.partialBytes[s] = 0;
    }
    this.finished = true;
    this.ended = true;
    this.pump();
    const files: KeptLog['files'] = [];
    const record: LogRecord = {};
    for (const s of ['stdout', 'stderr'] as const) {
      const content = Buffer.concat(this.kept[s]);
      if (content.length === 0) continue;
      const path = `${LOG_DIR}/${s}.log`;
      files.push({ path, content });
      record[s] = { path, bytes: content.length, sha256: createHash('sha256').update(content).digest('hex') };
    }
    if (this.truncated) record.truncated = true;
    return { files, record: files.length > 0 ? record : undefined };
  }

  /** Resolves once everything was sent (or given up on), within `timeoutMs`. */
  async drained(timeoutMs = 10_000): Promise<void> {
    const deadline = this.now() + timeoutMs;
    while (this.sending && this.now() < deadline) {
      await Promise.race([this.sending, new Promise((r) => setTimeout(r, Math.max(0, deadline - this.now())))]);
    }
  }

  /** A piece of a line: buffered until its newline, cut when it grows past the limit. */
  private take(stream: JobLogStream, piece: Buffer, complete: boolean): void {
    if (this.cutting[stream]) {
      // The rest of a line already cut: dropped up to its newline.
      if (complete) this.cutting[stream] = false;
      return;
    }
    const have = this.partialBytes[stream];
    if (have + piece.length - (complete ? 1 : 0) > this.maxLine) {
      const head = Buffer.concat([...this.partial[stream], piece]).subarray(0, this.maxLine);
      this.line(stream, Buffer.concat([head, CUT]));
      this.partial[stream] = [];
      this.partialBytes[stream] = 0;
      this.cutting[stream] = !complete;
      return;
    }
    if (!complete) {
      // Copied: the pipe's buffer may be reused.
      this.partial[stream].push(Buffer.from(piece));
      this.partialBytes[stream] += piece.length;
      return;
    }
    const whole = have === 0 ? Buffer.from(piece) : Buffer.concat([...this.partial[stream], piece]);
    this.partial[stream] = [];
    this.partialBytes[stream] = 0;
    this.line(stream, whole);
  }

  /** A whole line (ending in a newline): kept, and streamed if the stream's limits allow. */
  private line(stream: JobLogStream, data: Buffer): void {
    if (this.o.keep === false) {
      // Streamed only.
    } else if (this.keptBytes + data.length <= this.keepBytes) {
      this.kept[stream].push(data);
      this.keptBytes += data.length;
    } else this.truncated = true;
    if (!this.live) return;
    const now = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.tokensAt) / 1000) * this.rate);
    this.tokensAt = now;
    // Also bounded while the API is slow: what waits is at most a burst.
    if (data.length > this.tokens || this.streamed + data.length > this.streamMax || this.queued + data.length > this.burst) {
      this.droppedLive += data.length;
      return;
    }
    this.tokens -= data.length;
    if (this.droppedLive > 0) this.note();
    this.enqueue({ stream, data });
  }

  private note(): void {
    const text = `[loom: ${this.droppedLive} bytes of output left out of the live log (its rate or size limit); the whole log is in the result]\n`;
    this.droppedLive = 0;
    this.enqueue({ stream: 'stderr', data: Buffer.from(text) });
  }

  private enqueue(l: Line): void {
    this.queue.push(l);
    this.queued += l.data.length;
    this.streamed += l.data.length;
  }

  /** Starts the sender unless it runs. */
  private pump(): void {
    if (!this.live || this.sending) return;
    if (this.queue.length === 0 && !this.ended) return;
    this.sending = this.sendAll().finally(() => {
      this.sending = undefined;
      if (this.live && (this.queue.length > 0 || (this.ended && this.live))) this.pump();
    });
  }

  private async sendAll(): Promise<void> {
    const send = this.o.send!;
    /** When the refusals in a row began: past GIVE_UP_MS of them, the live log is given up. */
    let failingSince: number | undefined;
    while (this.live) {
      if (this.ended && this.droppedLive > 0) this.note();
      if (this.queue.length === 0 && !this.ended) return;
      // Consecutive lines of one stream, up to a chunk.
      const stream = this.queue[0]?.stream ?? 'stdout';
      let n = 0;
      let bytes = 0;
      while (n < this.queue.length && this.queue[n]!.stream === stream && bytes + this.queue[n]!.data.length <= jobLogBounds.maxChunkBytes) bytes += this.queue[n++]!.data.length;
      if (n === 0 && this.queue.length > 0) n = 1; // a line over a chunk cannot happen (maxLine < a chunk), but never stall
      const plain = Buffer.concat(this.queue.slice(0, n).map((l) => l.data));
      const last = n === this.queue.length && this.ended;
      const data = this.o.seal ? await this.o.seal(plain) : plain;
      const outcome = await send({ jobId: this.o.jobId, offset: this.offset, stream, data, encrypted: this.o.seal !== undefined, end: last }).catch((err: Error) => ({
        ok: false as const,
        retryAfterMs: 500,
        reason: err.message,
      }));
      if (outcome.ok) {
        failingSince = undefined;
        this.queue.splice(0, n);
        this.queued -= plain.length;
        this.offset += data.length;
        if (last) {
          this.live = false;
          return;
        }
        continue;
      }
      failingSince ??= this.now();
      if (outcome.retryAfterMs === undefined || this.now() - failingSince > GIVE_UP_MS) {
        this.live = false;
        this.o.logger?.warn({ jobId: this.o.jobId, reason: outcome.reason }, 'the API refused the live log; the job runs on, and its whole log is kept in the result');
        return;
      }
      await new Promise((r) => setTimeout(r, outcome.retryAfterMs));
    }
  }
}
