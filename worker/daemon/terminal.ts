/**
 * What an operator sees on a terminal: log lines in words (pino's JSON is for machines; it is what
 * is written when stdout is not a TTY), and one live status line at the bottom, redrawn every
 * second, with the progress of the jobs running.
 */
import { Writable } from 'node:stream';
import type { DaemonSnapshot } from './daemonState';

const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO ', 40: 'WARN ', 50: 'ERROR', 60: 'FATAL' };
const COLORS: Record<number, string> = { 10: '90', 20: '90', 30: '36', 40: '33', 50: '31', 60: '31' };
const OMIT = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'name', 'v']);

/** A pino destination that prints lines in words and keeps a status line below them. */
export class Terminal extends Writable {
  private status = '';

  constructor(private readonly out: NodeJS.WriteStream = process.stderr) {
    super();
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, done: (err?: Error | null) => void): void {
    const text = chunk.toString('utf8');
    this.clearStatus();
    for (const line of text.split('\n')) if (line.trim()) this.out.write(`${formatLine(line)}\n`);
    this.drawStatus();
    done();
  }

  setStatus(text: string): void {
    this.clearStatus();
    this.status = text.slice(0, Math.max(20, (this.out.columns || 120) - 1));
    this.drawStatus();
  }

  clear(): void {
    this.clearStatus();
    this.status = '';
  }

  private clearStatus(): void {
    if (this.status) this.out.write('\r\x1b[2K');
  }

  private drawStatus(): void {
    if (this.status) this.out.write(`\x1b[7m${this.status}\x1b[0m`);
  }
}

/** One pino JSON line in words: "12:00:01 INFO  claimed jobId=0x12… price=1000". */
export function formatLine(line: string): string {
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  const level = Number(o.level);
  const time = new Date(Number(o.time) || Date.now()).toTimeString().slice(0, 8);
  const fields = Object.entries(o)
    .filter(([k]) => !OMIT.has(k))
    .map(([k, v]) => `${k}=${typeof v === 'string' ? (k === 'jobId' ? short(v) : v) : JSON.stringify(v)}`)
    .join(' ');
  return `\x1b[90m${time}\x1b[0m \x1b[${COLORS[level] ?? '0'}m${LEVELS[level] ?? level}\x1b[0m ${String(o.msg ?? '')}${fields ? ` \x1b[90m${fields}\x1b[0m` : ''}`;
}

const short = (hex: string) => (hex.length > 14 ? `${hex.slice(0, 8)}…${hex.slice(-4)}` : hex);

const clock = (ms: number) => {
  const s = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return `${h > 0 ? `${h}:` : ''}${String(m).padStart(h > 0 ? 2 : 1, '0')}:${String(s % 60).padStart(2, '0')}`;
};

/** The status line for a snapshot: worker, jobs with their stage and elapsed/timeout, totals. */
export function statusText(s: DaemonSnapshot, now = Date.now()): string {
  const jobs = s.held.map((h) => {
    const progress = h.startedAt !== undefined && h.timeoutSeconds !== undefined ? ` ${clock(now - h.startedAt)}/${clock(h.timeoutSeconds * 1000)}` : '';
    return `${short(h.id)} ${h.stage}${progress}`;
  });
  const since = s.lastEventAt === null ? 'no events yet' : `last event ${clock(now - s.lastEventAt)} ago`;
  return [
    `loom-worker ${short(s.address)}`,
    s.following ? 'following' : 'starting',
    jobs.length ? `jobs: ${jobs.join(', ')}` : 'idle',
    `bids ${s.openBids}`,
    `awaiting release ${s.awaitingRelease}`,
    // Replicated slots committed or revealed: shown only by workers that hold some.
    ...(s.slots > 0 ? [`slots to reveal or finalize ${s.slots}`] : []),
    `run ${s.jobsRun} (failed ${s.jobsFailed})`,
    `refused ${s.refused}`,
    since,
  ].join(' | ');
}
