/**
 * Live job logs through the routes (`app.request`, no network): chunks signed by the SDK
 * (sdk/jobLog.ts, what the worker uses) and checked by the server (logSignature.ts), followed with
 * the SDK's follower (what the CLI and the UI use). Who may write is stubbed here (the indexed
 * job's worker); worker/logs/liveLog.test.ts runs it all against the real stack.
 */
import { Hono } from 'hono';
import type { Address, Hex } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { describe, expect, test } from 'vitest';
import { type JobLogChunk, type JobLogEvent, followJobLog, signJobLogChunk } from '../../sdk/jobLog';
import { JobLogs, defaultJobLogLimits, type JobLogLimits } from './jobLogs';
import { logRoutes } from './logRoutes';

const CHAIN_ID = 31337;
const MARKET: Address = '0x5FbDB2315678afecb367f032d93F642f64180aa3';
const worker = privateKeyToAccount(generatePrivateKey());
const stranger = privateKeyToAccount(generatePrivateKey());
const JOB: Hex = `0x${'11'.repeat(32)}`;
const OTHER_JOB: Hex = `0x${'22'.repeat(32)}`;
const UNKNOWN_JOB: Hex = `0x${'33'.repeat(32)}`;

function setup(limits: Partial<JobLogLimits> = {}) {
  let clock = 1_800_000_000_000;
  const logs = new JobLogs({ ...defaultJobLogLimits, ...limits }, () => clock);
  const app = new Hono();
  const assigned: Record<Hex, Address> = { [JOB]: worker.address, [OTHER_JOB]: stranger.address };
  app.route(
    '/jobs',
    logRoutes({
      logs,
      domain: { chainId: CHAIN_ID, market: MARKET },
      mayWrite: async (jobId, signer) => (assigned[jobId] === undefined ? 'no_job' : assigned[jobId]!.toLowerCase() === signer.toLowerCase() ? 'ok' : 'not_worker'),
      jobExists: async (jobId) => assigned[jobId] !== undefined,
      clientOf: () => '10.0.0.1',
      keepaliveMs: 200,
      now: () => clock,
    }),
  );
  const fetchApp = ((input: string | URL | Request, init?: RequestInit) => app.request(String(input).replace('http://api', ''), init)) as typeof fetch;
  return {
    app,
    logs,
    fetchApp,
    tick: (ms: number) => (clock += ms),
    now: () => clock,
  };
}

type Setup = ReturnType<typeof setup>;
const text = (s: string) => new TextEncoder().encode(s);
const chunk = (over: Partial<JobLogChunk> & { offset: number; data: Uint8Array }): JobLogChunk => ({ jobId: JOB, stream: 'stdout', encrypted: false, end: false, ...over });

async function write(s: Setup, c: JobLogChunk, signer = worker, path = c.jobId, tamper?: (b: Record<string, unknown>) => void) {
  const body = (await signJobLogChunk({ signer, chainId: CHAIN_ID, market: MARKET, chunk: c, now: s.now() / 1000 })) as unknown as Record<string, unknown>;
  tamper?.(body);
  return s.app.request(`/jobs/${path}/log`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
}
const errorOf = async (res: Response) => ((await res.json()) as { error: { code: string; message: string } }).error;

async function collect(s: Setup, o: { from?: number; follow?: boolean; jobId?: Hex } = {}): Promise<JobLogEvent[]> {
  const out: JobLogEvent[] = [];
  for await (const e of followJobLog({ apiUrl: 'http://api', jobId: o.jobId ?? JOB, fetch: s.fetchApp, ...o })) out.push(e);
  return out;
}
const textOf = (events: JobLogEvent[]) =>
  events
    .filter((e) => e.kind === 'chunk')
    .map((e) => new TextDecoder().decode((e as { data: Uint8Array }).data))
    .join('');

describe('live job logs', () => {
  test('default: the worker writes signed chunks at their offsets; a follower receives them in order, with their streams, then the end', async () => {
    const s = setup();
    const follower = collect(s);
    expect((await write(s, chunk({ offset: 0, data: text('one\ntwo\n') }))).status).toBe(200);
    const second = await write(s, chunk({ offset: 8, stream: 'stderr', data: text('oops\n') }));
    expect(await second.json()).toEqual({ offset: 13, duplicate: false });
    expect((await write(s, chunk({ offset: 13, data: text(''), end: true }))).status).toBe(200);
    const events = await follower;
    expect(events.map((e) => (e.kind === 'chunk' ? [e.offset, e.stream] : [e.kind]))).toEqual([[0, 'stdout'], [8, 'stderr'], ['end']]);
    expect(textOf(events)).toBe('one\ntwo\noops\n');
    expect(events.at(-1)).toEqual({ kind: 'end', worker: worker.address.toLowerCase(), offset: 13 });
  });

  test('behavior: a follower resumes from a byte offset (inside a chunk, too), or with Last-Event-ID as EventSource sends it', async () => {
    const s = setup();
    await write(s, chunk({ offset: 0, data: text('alpha\nbeta\n') }));
    await write(s, chunk({ offset: 11, data: text('gamma\n') }));
    expect(textOf(await collect(s, { from: 6, follow: false }))).toBe('beta\ngamma\n');
    expect(textOf(await collect(s, { from: 11, follow: false }))).toBe('gamma\n');
    const res = await s.app.request(`/jobs/${JOB}/log?follow=0`, { headers: { 'last-event-id': '11' } });
    expect(await res.text()).toContain('id: 17\nevent: chunk\n');
    // A retried chunk (its answer lost) is taken again, and changes nothing.
    expect(await (await write(s, chunk({ offset: 11, data: text('gamma\n') }))).json()).toEqual({ offset: 17, duplicate: true });
  });

  test('error: forged chunks are refused: another signer, a chunk signed for another job, tampered data, a wrong offset, an unknown job', async () => {
    const s = setup();
    const stranger403 = await write(s, chunk({ offset: 0, data: text('fake\n') }), stranger);
    expect(stranger403.status).toBe(403);
    expect((await errorOf(stranger403)).message).toMatch(/is not the worker of job/);
    // Signed by the worker for its job, posted to another job's log.
    const elsewhere = await write(s, chunk({ offset: 0, data: text('x\n') }), worker, OTHER_JOB);
    expect(elsewhere.status).toBe(400);
    expect((await errorOf(elsewhere)).message).toMatch(/not for 0x2222/);
    // ... and with the body's job id changed to match: the signature no longer holds.
    const moved = await write(s, chunk({ offset: 0, data: text('x\n') }), worker, OTHER_JOB, (b) => (b.jobId = OTHER_JOB));
    expect(moved.status).toBe(401);
    const tampered = await write(s, chunk({ offset: 0, data: text('x\n') }), worker, JOB, (b) => (b.data = Buffer.from('y\n').toString('base64')));
    expect(tampered.status).toBe(401);
    expect((await errorOf(tampered)).code).toBe('UNAUTHORIZED');
    // The stranger's own job: it may write that one, but not as the worker of this one.
    expect((await write(s, chunk({ jobId: OTHER_JOB, offset: 0, data: text('mine\n') }), stranger)).status).toBe(200);
    expect((await write(s, chunk({ offset: 0, data: text('real\n') }))).status).toBe(200);
    const gap = await write(s, chunk({ offset: 50, data: text('skipped\n') }));
    expect(gap.status).toBe(409);
    expect(await errorOf(gap)).toMatchObject({ code: 'OFFSET_MISMATCH', expected: 5 });
    expect((await write(s, chunk({ jobId: UNKNOWN_JOB, offset: 0, data: text('x\n') }))).status).toBe(404);
    const expired = await write(s, chunk({ offset: 5, data: text('late\n') }), worker, JOB, (b) => (b.issuedAt = (b.issuedAt as number) - 3600));
    expect(expired.status).toBe(401);
    expect(textOf(await collect(s, { follow: false }))).toBe('real\n');
    expect(textOf(await collect(s, { jobId: OTHER_JOB, follow: false }))).toBe('mine\n');
  });

  test('behavior: a flood is capped: over its rate a writer is refused with Retry-After, over its total with LOG_FULL; followers see a gap, not the dropped bytes', async () => {
    const s = setup({ bytesPerSecond: 1000, burstBytes: 2000, maxBytes: 5000, bufferBytes: 1500 });
    const line = text(`${'x'.repeat(999)}\n`);
    expect((await write(s, chunk({ offset: 0, data: line }))).status).toBe(200);
    expect((await write(s, chunk({ offset: 1000, data: line }))).status).toBe(200);
    const limited = await write(s, chunk({ offset: 2000, data: line }));
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
    s.tick(1000);
    expect((await write(s, chunk({ offset: 2000, data: line }))).status).toBe(200);
    s.tick(2000);
    expect((await write(s, chunk({ offset: 3000, data: line }))).status).toBe(200);
    expect((await write(s, chunk({ offset: 4000, data: line }))).status).toBe(200);
    s.tick(2000);
    const full = await write(s, chunk({ offset: 5000, data: line }));
    expect(full.status).toBe(413);
    expect((await errorOf(full)).code).toBe('LOG_FULL');
    // Only the last 1,500 bytes (whole chunks: the last one) are held.
    const events = await collect(s, { follow: false });
    expect(events[0]).toEqual({ kind: 'gap', from: 0, to: 4000 });
    expect(events.filter((e) => e.kind === 'chunk').map((e) => (e as { offset: number }).offset)).toEqual([4000]);
  });

  test('error: a follower of an unknown job, or of a log not held here without follow, is told so', async () => {
    const s = setup();
    const unknown = await s.app.request(`/jobs/${UNKNOWN_JOB}/log`);
    expect(unknown.status).toBe(404);
    const none = await s.app.request(`/jobs/${JOB}/log?follow=0`);
    expect(none.status).toBe(404);
    expect((await errorOf(none)).message).toMatch(/result bundle/);
    expect((await s.app.request(`/jobs/0x12/log`)).status).toBe(400);
    expect((await s.app.request(`/jobs/${JOB}/log?from=-1`)).status).toBe(400);
  });
});
