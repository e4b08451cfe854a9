/**
 * The worker's side of a live log, on its own: lines split and cut, the kept log and its record,
 * the live stream's limits, chunks in order at their offsets. (liveLog.e2e: the same through the
 * real API, worker daemon and CLI.)
 */
import { createHash } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import type { JobLogChunk } from '../../sdk/jobLog';
import { LiveLog, type SendChunk } from './liveLog';

const JOB = `0x${'ab'.repeat(32)}` as const;

function recorder(o: { refuseFirst?: number } = {}) {
  const chunks: JobLogChunk[] = [];
  let refuse = o.refuseFirst ?? 0;
  const send: SendChunk = async (c) => {
    if (refuse-- > 0) return { ok: false, retryAfterMs: 10, reason: '429' };
    chunks.push({ ...c, data: Buffer.from(c.data) });
    return { ok: true };
  };
  const text = () => chunks.map((c) => Buffer.from(c.data).toString()).join('');
  return { chunks, send, text };
}

describe('live log (worker side)', () => {
  test('default: output split into whole lines per stream, sent in order at their offsets, ended; the whole log kept with its sizes and hashes', async () => {
    const r = recorder();
    const log = new LiveLog({ jobId: JOB, send: r.send });
    log.push('stdout', Buffer.from('hel'));
    log.push('stdout', Buffer.from('lo\nwor'));
    log.push('stderr', Buffer.from('warn\n'));
    log.push('stdout', Buffer.from('ld\nno newline'));
    const kept = log.finish();
    await log.drained();
    expect(r.text()).toBe('hello\nwarn\nworld\nno newline\n');
    let offset = 0;
    for (const c of r.chunks) {
      expect(c.offset).toBe(offset);
      offset += c.data.length;
    }
    expect(r.chunks.at(-1)!.end).toBe(true);
    expect(r.chunks.filter((c) => c.end)).toHaveLength(1);
    expect(kept.files.map((f) => [f.path, f.content.toString()])).toEqual([
      ['.loom/logs/stdout.log', 'hello\nworld\nno newline\n'],
      ['.loom/logs/stderr.log', 'warn\n'],
    ]);
    const sha = (s: string) => createHash('sha256').update(s).digest('hex');
    expect(kept.record).toEqual({
      stdout: { path: '.loom/logs/stdout.log', bytes: 23, sha256: sha('hello\nworld\nno newline\n') },
      stderr: { path: '.loom/logs/stderr.log', bytes: 5, sha256: sha('warn\n') },
    });
  });

  test('behavior: a line over the limit is cut and the rest of it dropped; a refusal to wait out (429) is retried', async () => {
    const r = recorder({ refuseFirst: 2 });
    const log = new LiveLog({ jobId: JOB, send: r.send, maxLineBytes: 10 });
    log.push('stdout', Buffer.from('0123456789ABCDEF'));
    log.push('stdout', Buffer.from('GHIJ\nshort\n'));
    const kept = log.finish();
    await log.drained();
    expect(r.text()).toBe('0123456789 [loom: line cut]\nshort\n');
    expect(kept.files[0]!.content.toString()).toBe('0123456789 [loom: line cut]\nshort\n');
  });

  test('behavior: a flood is capped: the live stream keeps to its rate and says what it left out; the kept log to its size, marked truncated', async () => {
    let now = 0;
    const r = recorder();
    const log = new LiveLog({ jobId: JOB, send: r.send, streamBurstBytes: 1000, streamBytesPerSecond: 100, keepBytes: 5000, now: () => now });
    const line = Buffer.from(`${'x'.repeat(99)}\n`);
    for (let i = 0; i < 100; i++) log.push('stdout', line);
    await new Promise((r) => setTimeout(r, 20)); // the first burst is sent
    now += 1000;
    log.push('stdout', Buffer.from('after\n'));
    const kept = log.finish();
    await log.drained();
    const live = r.text();
    expect(live.split('\n').filter((l) => l.startsWith('x'))).toHaveLength(10);
    expect(live).toContain('[loom: 9000 bytes of output left out of the live log');
    expect(live.endsWith('after\n')).toBe(true);
    expect(kept.files[0]!.content.length).toBe(5000);
    expect(kept.record?.truncated).toBe(true);
  });

  test('behavior: a replicated run streams its log but keeps none (replicas must agree byte for byte)', async () => {
    const r = recorder();
    const log = new LiveLog({ jobId: JOB, send: r.send, keep: false });
    log.push('stdout', Buffer.from('replica\n'));
    expect(log.finish()).toEqual({ files: [], record: undefined });
    await log.drained();
    expect(r.text()).toBe('replica\n');
  });
});
