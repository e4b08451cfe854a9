/**
 * The daemon as operators run it (`loom-worker start`, a child process with its key in
 * LOOM_WORKER_KEY), killed with SIGKILL at awkward moments:
 *
 * - a job that reads every environment it can find (its own, /proc/1, every /proc/<pid>) finds no
 *   trace of the worker's key; its output is checked from the artifact store;
 * - killed mid-job: the restart re-runs the job and posts one result; killed again once the result
 *   is on-chain: the next restart does not post it again, and releases it after the window. The job
 *   has exactly one ResultSubmitted and one JobClosed;
 * - killed mid-job and restarted past the execution deadline: the worker posts nothing and says so;
 *   the client reclaims; the worker carries on with the next job.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { type Hex, decodeFunctionData, parseEther } from 'viem';
import { loomMarketAbi } from '../../abis/generated';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { freePort } from '../../indexer/run/freePort';
import { addressOf, keyOf } from '../../testkit/accounts';
import { scriptSpec } from '../../testkit/jobs';
import { type Stack, startStack } from '../../testkit/stack';
import { waitFor } from '../../testkit/waitFor';
import { root } from '../../testkit/root';
import { startWorker as startWorker_, type WorkerProcess, workerEnv } from '../../testkit/workers';
import { skipSandboxTests } from '../test/sandboxAvailability';

const WORKER = 7;
const CLIENT = 2;
const KEY = keyOf(WORKER);
const me = addressOf(WORKER).toLowerCase();

let m: Stack;
let dataDir: string;
type Run = WorkerProcess & { metricsPort: number };
const runs: Run[] = [];

beforeAll(async () => {
  if (skipSandboxTests) return;
  m = await startStack({ name: 'worker-crash', indexer: true, artifacts: true, jobDefaults: { executionTimeout: 120, challengeWindow: 3600 } });
  dataDir = mkdtempSync(join(m.workDir, 'worker-'));
  chmodSync(dataDir, 0o711);
}, 180_000);

afterAll(async () => {
  await m?.stop();
});

const target = () => ({ apiUrl: m.ponder.url, rpcUrl: m.anvil.rpcUrl, deploymentPath: m.deploymentPath, artifactUrl: m.artifactUrl, usdc: m.usdc });

/** Starts `loom-worker start` as a child process (its data directory kept across restarts) and waits until it follows the market. */
async function startWorker(): Promise<Run> {
  const metricsPort = await freePort();
  const env = { LOOM_METRICS_PORT: String(metricsPort), LOOM_HOUSEKEEPING_MS: '300', LOOM_ALLOWED_TOKENS: undefined, LOOM_WORKER_PRICE_PER_GPU_HOUR: undefined, LOOM_WORKER_METADATA_URI: undefined };
  const run = Object.assign(await startWorker_(target(), WORKER, { env, dataDir, readyTimeoutMs: 60_000 }), { metricsPort });
  runs.push(run);
  return run;
}

const logged = (run: Run, msg: string, jobId?: Hex) => run.lines.some((l) => l.msg === msg && (jobId === undefined || l.jobId === jobId));

async function kill9(run: Run): Promise<void> {
  run.child.kill('SIGKILL');
  await run.exited;
}

async function bundleOf(resultHash: Hex): Promise<string> {
  const res = await fetch(`${m.artifactUrl}/artifacts/${resultHash}`);
  const bytes = Buffer.from(await res.arrayBuffer());
  expect(`0x${createHash('sha256').update(bytes).digest('hex')}`).toBe(resultHash);
  const path = join(mkdtempSync(join(os.tmpdir(), 'loom-crash-')), 'r.tar');
  writeFileSync(path, bytes);
  return path;
}

const submittedJob = (id: Hex, timeoutMs = 60_000) => m.jobIn(id, 'SUBMITTED', timeoutMs);

describe.skipIf(skipSandboxTests)('worker daemon, crashes', () => {
  let worker: Run;

  test("probe: a job looking for the worker's key in every environment it can read finds nothing", async () => {
    worker = await startWorker();
    const job = await m.post({
      client: CLIENT,
      spec: scriptSpec(
        [
          'env > /out/env.txt',
          'cat /proc/1/environ > /out/pid1-environ.txt 2>&1 || true',
          'for p in /proc/[0-9]*; do echo "== $p"; tr "\\0" "\\n" < $p/environ; tr "\\0" " " < $p/cmdline; echo; done > /out/proc.txt 2>&1',
          'ls /proc > /out/proc-list.txt',
          // Spelled apart so that the job's own command line does not match.
          'grep -rsl -- "LOOM_WORKER""_KEY" /tmp /etc /in > /out/grep.txt 2>/dev/null || true',
        ].join('; '),
      ),
      budget: parseEther('0.01'),
    });
    const j = await submittedJob(job.id);
    const tar = await bundleOf(j.resultHash);
    const all = execFileSync('tar', ['-xOf', tar], { encoding: 'utf8' });
    expect(execFileSync('tar', ['-xOf', tar, 'env.txt'], { encoding: 'utf8' })).toMatch(/^HOME=/m);
    expect(all).not.toContain(KEY.slice(2));
    expect(all.toLowerCase()).not.toContain(KEY.slice(2).toLowerCase());
    expect(all).not.toContain('LOOM_WORKER_KEY');
    // The worker's own environment did hold it (the probe looked in the right kind of place).
    expect(execFileSync('cat', [`/proc/${worker.child.pid}/environ`]).toString()).toContain('LOOM_WORKER_KEY');
    // And the worker never logged it.
    expect(worker.output.join('')).not.toContain(KEY.slice(2));
    await m.send(CLIENT, 'release', [job.terms]);
  });

  test('behavior: killed mid-job, the restart runs it again and posts one result; killed again after posting, it never posts twice and releases it', async () => {
    const job = await m.post({
      client: CLIENT,
      spec: scriptSpec('echo start >> /out/log.txt; sleep 4; echo done >> /out/log.txt', { resources: { memoryMiB: 128, timeoutSeconds: 20 } }),
      budget: parseEther('0.02'),
      collateral: parseEther('0.1'),
      executionTimeout: 60,
      challengeWindow: 30,
    });
    await waitFor('the job running', () => logged(worker, 'running', job.id), 30_000);
    await new Promise((r) => setTimeout(r, 1500));
    await kill9(worker);
    await m.synced();
    expect((await m.job(job.id)).status).toBe('ASSIGNED');

    worker = await startWorker();
    expect(logged(worker, 'found an assigned job without a result on-chain; taking it up', job.id)).toBe(true);
    const j = await submittedJob(job.id);
    expect(execFileSync('tar', ['-xOf', await bundleOf(j.resultHash), 'log.txt'], { encoding: 'utf8' })).toBe('start\ndone\n');

    // Killed again with the result on-chain: the next run must not post it again.
    await kill9(worker);
    worker = await startWorker();
    await m.warp(31);
    await waitFor('the worker releasing the job', async () => (await m.job(job.id)).status === 'CLOSED', 30_000);
    await m.synced();
    expect(await m.events(job.id)).toEqual(['JobPosted', 'JobAssigned', 'ResultSubmitted', 'JobClosed']);
    const closed = await m.job(job.id);
    expect(closed.closeReason).toBe('COMPLETED');
    expect(closed.resultHash).toBe(j.resultHash);
    expect(BigInt(closed.workerPayout)).toBe(parseEther('0.02') - parseEther('0.0002'));
    expect(logged(worker, 'released after the challenge window', job.id)).toBe(true);
    expect(worker.lines.some((l) => l.msg === 'result submitted')).toBe(false);
  });

  test('behavior: restarted past the execution deadline, the worker posts nothing and says so; the client reclaims; the worker carries on', async () => {
    const job = await m.post({
      client: CLIENT,
      spec: scriptSpec('sleep 6; echo late > /out/x', { resources: { memoryMiB: 128, timeoutSeconds: 20 } }),
      budget: parseEther('0.02'),
      collateral: parseEther('0.1'),
      executionTimeout: 40,
    });
    await waitFor('the job running', () => logged(worker, 'running', job.id), 30_000);
    await kill9(worker);
    await m.warp(41);
    const fromBlock = await m.pub.getBlockNumber();

    worker = await startWorker();
    await waitFor('the worker saying the job is past its deadline', () =>
      worker.lines.some((l) => l.jobId === job.id && String(l.msg).startsWith('assigned job is past (or too close to) its execution deadline')),
    );
    await m.send(CLIENT, 'reclaim', [job.terms]);
    await m.synced();
    const closed = await m.job(job.id);
    expect(closed).toMatchObject({ status: 'CLOSED', closeReason: 'RECLAIMED', resultHash: null, slashed: parseEther('0.1').toString() });
    expect(await m.events(job.id)).toEqual(['JobPosted', 'JobAssigned', 'JobClosed']);
    // Not even an attempt: no submitResult transaction from the worker since the restart.
    const sent = await m.txsOf(me as Hex, fromBlock, await m.pub.getBlockNumber());
    expect(sent.map((t) => decodeFunctionData({ abi: loomMarketAbi, data: t.input }).functionName)).not.toContain('submitResult');

    // Still healthy: the next job is taken and done.
    const next = await m.post({ client: CLIENT, spec: scriptSpec('echo ok > /out/ok'), budget: parseEther('0.01') });
    await submittedJob(next.id);
    const metrics = await (await fetch(`http://127.0.0.1:${worker.metricsPort}/metrics`)).text();
    expect(metrics).toMatch(/^loom_worker_jobs_abandoned_total\{reason="deadline"\} 1$/m);
    expect(metrics).toMatch(/^loom_worker_results_submitted_total 1$/m);
    expect(metrics).toMatch(/^loom_worker_up 1$/m);
  });

  test('behavior: SIGTERM finishes the job held, then exits', async () => {
    const job = await m.post({ client: CLIENT, spec: scriptSpec('sleep 2; echo bye > /out/bye'), budget: parseEther('0.01') });
    await waitFor('the job running', () => logged(worker, 'running', job.id), 30_000);
    worker.child.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
    expect(logged(worker, 'result submitted', job.id)).toBe(true);
    expect(logged(worker, 'stopped')).toBe(true);
  });

  test('default: `loom-worker status` shows the worker as the market sees it; `loom-worker withdraw` takes its earnings', async () => {
    const cli = (...args: string[]) => execFileSync(process.execPath, ['--import', 'tsx', 'worker/cli.ts', ...args], { cwd: root, env: { PATH: process.env.PATH, HOME: process.env.HOME, ...workerEnv(target(), WORKER, dataDir) }, encoding: 'utf8' });
    await m.synced();
    const status = JSON.parse(cli('status', '--json'));
    expect(status).toMatchObject({ registered: true, available: true, stake: parseEther('0.9').toString(), locked: '0' });
    expect(status.address.toLowerCase()).toBe(me);
    // The two jobs done since the last release (the healthy one after the reclaim, the SIGTERM one).
    expect(status.jobs.map((j: { status: string }) => j.status)).toEqual(['SUBMITTED', 'SUBMITTED']);
    expect(status.stateCursor).toEqual(expect.any(String));

    const held = (await m.gql(`query($w: Address!) { jobs(filter: { worker: $w, status: [SUBMITTED] }) { edges { node { id terms { client token arbiter budget collateral feeBps mode offeredTo openUntil executionTimeout challengeWindow minGpuCount minVramMiB gpuModel specHash salt } } } } }`, { w: me })).jobs.edges;
    const { toContractTerms } = await import('../../sdk/jobTerms');
    for (const e of held) await m.send(CLIENT, 'release', [toContractTerms(e.node.terms)]);
    await m.synced();
    const before = await m.pub.getBalance({ address: me as Hex });
    const out = cli('withdraw');
    const line = out.split('\n').filter(Boolean).map((l) => JSON.parse(l)).find((l) => l.msg === 'withdrew earnings');
    expect(line).toMatchObject({ amount: (2n * (parseEther('0.01') - parseEther('0.0001'))).toString() });
    expect(await m.pub.getBalance({ address: me as Hex })).toBeGreaterThan(before);
    expect(cli('--help')).toMatch(/^Usage: loom-worker <start\|register\|status\|withdraw>/);
  });
});
