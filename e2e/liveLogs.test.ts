/**
 * Live job logs end to end: a real worker daemon runs script jobs in its sandbox and streams their
 * output to the API (Ponder serving it), signed; the real `loom` CLI follows it.
 *
 * - A job that prints over time is followed live by `loom job logs -f` (its first lines arrive while
 *   the job still runs), a follower stopped midway resumes from the offset it reached, and after the
 *   run the whole log is in the result bundle (`.loom/logs/`, listed with its hash in `.loom/run.json`).
 * - A flood is capped: the live log keeps to its limits and says what it left out; the kept log is
 *   truncated at its bound; the API answers others meanwhile.
 * - Forged chunks are refused by the real API: another key than the job's worker, a chunk signed
 *   for another job, the worker writing the log of a job that is not its.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { type Hex, parseEther } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type JobLogSigner, signJobLogChunk } from '../sdk/jobLog';
import { skipSandboxTests } from '../worker/test/sandboxAvailability';
import { accountOf } from '../testkit/accounts';
import { scriptSpec } from '../testkit/jobs';
import { LOOM_BIN, loomProcessEnv, runLoom } from '../testkit/loomCli';
import { root } from '../testkit/root';
import { type Stack, startStack } from '../testkit/stack';
import { step, waitFor } from '../testkit/waitFor';

const CLIENT = 1;
let m: Stack;

beforeAll(async () => {
  if (skipSandboxTests) return;
  m = await step('anvil, Ponder, the artifact store and a worker daemon', 170_000, () => startStack({ name: 'live-logs', indexer: true, artifacts: true, workers: 1 }));
}, 180_000);

afterAll(async () => {
  await m?.stop();
});

const env = () => m.cliEnv(CLIENT);
const loom = (args: string[]) => runLoom(args, env());

/** `loom job logs … -f` running in the background, its output as it comes. */
function follow(args: string[]): { child: ChildProcess; out: () => string; err: () => string; exited: Promise<number | null> } {
  const child = spawn(LOOM_BIN, ['job', 'logs', ...args], { cwd: root, env: loomProcessEnv(env()), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, out: () => out, err: () => err, exited };
}

const LINES = Array.from({ length: 6 }, (_, i) => `line ${i + 1}`);
// Three lines, a pause long enough for the CLI to start and look while the job runs, three more, a line on stderr.
const PRINTS_OVER_TIME = `for i in 1 2 3; do echo "line $i"; sleep 0.2; done; sleep 25; for i in 4 5 6; do echo "line $i"; done; echo "a warning" >&2; echo ok > /out/ok.txt`;

async function resultBundle(id: Hex): Promise<string> {
  await m.jobIn(id, 'SUBMITTED', 120_000);
  const out = join(m.workDir, `result-${id.slice(2, 10)}.tar`);
  const r = await loom(['job', 'result', id, '-o', out]);
  expect(r.code, r.stderr).toBe(0);
  return out;
}
const untar = (tar: string, file: string) => execFileSync('tar', ['-xOf', tar, file]);

describe.skipIf(skipSandboxTests)('live job logs', () => {
  test('default: a job that prints over time is followed live by the CLI, resumed from an offset, and found complete in the result', async () => {
    const job = await m.post({ client: CLIENT, spec: scriptSpec(PRINTS_OVER_TIME, { resources: { memoryMiB: 256, timeoutSeconds: 90, outputMiB: 16 } }), budget: parseEther('0.01') });
    // Once the API knows the job, maybe before it runs: then the follower waits for the log to begin.
    await waitFor('the job indexed', async () => (await m.job(job.id)) ?? undefined);
    const live = follow([job.id, '-f']);
    const interrupted = follow([job.id, '-f']);

    // Live: the first lines arrive while the job is still running (it sleeps 25 s before line 4).
    await waitFor('the first lines, live', () => live.out().includes('line 3\n'), 90_000);
    expect(live.out()).not.toContain('line 4');
    expect((await m.job(job.id)).status).toBe('ASSIGNED');

    // A follower that goes away after the first line comes back from the offset it reached.
    await waitFor('the interrupted follower', () => interrupted.out().includes('line 1\n'));
    interrupted.child.kill('SIGINT');
    expect(await interrupted.exited).toBe(130);
    const reached = Buffer.byteLength(interrupted.out());
    const resumed = follow([job.id, '-f', '--from', String(reached)]);

    expect(await live.exited).toBe(0);
    expect(live.out()).toBe(LINES.map((l) => `${l}\n`).join(''));
    expect(live.err()).toBe('a warning\n');
    expect(await resumed.exited).toBe(0);
    expect(interrupted.out() + resumed.out()).toBe(live.out());

    // Without -f: what the API holds (the log ended, it is still held), from an offset.
    const tail = await loom(['job', 'logs', job.id, '--from', String(Buffer.byteLength('line 1\nline 2\n'))]);
    expect(tail.code, tail.stderr).toBe(0);
    expect(tail.stdout).toBe('line 3\nline 4\nline 5\nline 6\n');
    const json = await loom(['job', 'logs', job.id, '--json']);
    const records = json.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(records.at(-1)).toEqual({ end: { offset: Buffer.byteLength(live.out() + live.err()), worker: m.workers[0]!.address } });
    expect(records.filter((r) => r.stream === 'stderr').map((r) => r.text)).toEqual(['a warning\n']);

    // Kept: the whole log is in the result, listed in the run record with its size and hash.
    const tar = await resultBundle(job.id);
    const stdout = untar(tar, '.loom/logs/stdout.log');
    expect(stdout.toString()).toBe(live.out());
    expect(untar(tar, '.loom/logs/stderr.log').toString()).toBe('a warning\n');
    const record = JSON.parse(untar(tar, '.loom/run.json').toString());
    expect(record.logs.stdout).toEqual({ path: '.loom/logs/stdout.log', bytes: stdout.length, sha256: createHash('sha256').update(stdout).digest('hex') });
    expect(untar(tar, 'ok.txt').toString()).toBe('ok\n');
  }, 240_000);

  test('behavior: a log flood is capped: the live log keeps to its limits and says what it left out, the kept one is truncated, the API answers others', async () => {
    const flood = `yes 'flood 0123456789 0123456789 0123456789' | head -c 30000000; echo done > /out/done.txt`;
    const job = await m.post({ client: CLIENT, spec: scriptSpec(flood, { resources: { memoryMiB: 256, timeoutSeconds: 60, outputMiB: 16 } }), budget: parseEther('0.01') });
    await waitFor('the job indexed', async () => (await m.job(job.id)) ?? undefined);
    const live = follow([job.id, '-f', '--json']);
    await waitFor('the flood to begin', () => live.out().includes('flood'), 90_000);
    // Others are served meanwhile.
    expect((await m.gql('query { jobs(first: 1) { totalCount } }')).jobs.totalCount).toBeGreaterThan(0);
    expect(await live.exited).toBe(0);
    const records = live.out().trim().split('\n').map((l) => JSON.parse(l));
    const streamed = records.filter((r) => r.text !== undefined).reduce((n, r) => n + Buffer.byteLength(r.text), 0);
    // The worker's live burst (256 KiB), its rate (32 KiB/s) while the flood lasts, and the notes: a tenth of the 30 MB printed at most.
    expect(streamed).toBeLessThan(3_000_000);
    expect(records.some((r) => /\[loom: \d+ bytes of output left out of the live log/.test(r.text ?? ''))).toBe(true);

    const tar = await resultBundle(job.id);
    const record = JSON.parse(untar(tar, '.loom/run.json').toString());
    expect(record.logs.truncated).toBe(true);
    expect(record.logs.stdout.bytes).toBeLessThanOrEqual(8 * 2 ** 20);
    expect(record.logs.stdout.bytes).toBeGreaterThan(7 * 2 ** 20);
  }, 240_000);

  test('error: forged chunks are refused by the API: a key that is not the job\'s worker, a chunk signed for another job, a worker writing another\'s job', async () => {
    const running = await m.post({ client: CLIENT, spec: scriptSpec('echo real; sleep 3; echo ok > /out/ok.txt'), budget: parseEther('0.01') });
    await m.jobIn(running.id, 'ASSIGNED');
    // Nobody takes this one: it stays OPEN, assigned to no worker.
    const unassigned = await m.post({ client: CLIENT, spec: scriptSpec('true'), budget: parseEther('0.01'), openFor: 3600, mode: 1 });
    await m.jobIn(unassigned.id, 'OPEN');
    const worker = accountOf(m.workers[0]!.index);
    const stranger = privateKeyToAccount(generatePrivateKey());
    const post = async (signer: JobLogSigner, jobId: Hex, path: Hex = jobId) => {
      const body = await signJobLogChunk({ signer, chainId: m.deployment.chainId, market: m.market, chunk: { jobId, offset: 0, stream: 'stdout', data: new TextEncoder().encode('forged\n'), encrypted: false, end: false } });
      const res = await fetch(`${m.ponder.url}/jobs/${path}/log`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
      return { status: res.status, error: ((await res.json()) as { error?: { code: string; message: string } }).error };
    };
    const byStranger = await post(stranger as JobLogSigner, running.id);
    expect(byStranger.status).toBe(403);
    expect(byStranger.error?.message).toMatch(/is not the worker of job/);
    const otherJob = await post(worker as JobLogSigner, unassigned.id, running.id);
    expect(otherJob.status).toBe(400);
    const notItsJob = await post(worker as JobLogSigner, unassigned.id);
    expect(notItsJob.status).toBe(403);
    // Nothing forged reached the log.
    await m.jobIn(running.id, 'SUBMITTED', 120_000);
    const r = await loom(['job', 'logs', running.id]);
    expect(r.stdout).toBe('real\n');
  }, 240_000);
});
