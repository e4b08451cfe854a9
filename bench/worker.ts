/**
 * The worker daemon's figures:
 *
 * - Pickup latency: a client posts claim jobs on a real anvil, one every 500 ms; a real Ponder
 *   indexes them and the daemon (in-process) follows the API's event subscription, decides, and
 *   claims. Latency = the daemon's "claimed" log line (after the claimJob receipt) minus the
 *   client's postJob receipt, over `PICKUP_JOBS` jobs after a warm-up. It includes indexing, the
 *   SSE delivery, the strategy, the simulation and the claim transaction.
 * - Sandbox overhead: the same CPU-bound command of about 10 seconds (a mawk loop calibrated on
 *   this machine), run directly and through the sandbox (bubblewrap, cgroup limits, 1 CPU),
 *   alternately, ROUNDS times each. overheadRatio = median sandboxed / median direct wall time.
 *   And the median wall time of a trivial job in the sandbox (its fixed cost).
 * - Live log latency (workerLog.ts): a line printed in the sandbox -> received by an SSE client.
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { parseEther } from 'viem';
import { claimFor } from '../worker/hardware.ts';
import { createWorkerLogger } from '../worker/logger.ts';
import { resolveConfig } from '../worker/daemon/config.ts';
import { accountOf } from '../testkit/accounts.ts';
import { scriptSpec } from '../testkit/jobs.ts';
import { percentile } from './lib/percentile.ts';
import { startStack } from '../testkit/stack.ts';
import { waitFor } from '../testkit/waitFor.ts';
import { WorkerDaemon } from '../worker/daemon/workerDaemon.ts';
import { SandboxRunner } from '../worker/sandbox/sandboxRunner.ts';
import { parseSpec } from '../sdk/spec/jobSpec.ts';
import { imageBench } from './workerImage.ts';
import { logLatencyBench } from './workerLog.ts';

const PICKUP_JOBS = Number(process.env.LOOM_BENCH_PICKUP_JOBS ?? 100);
const WARMUP_JOBS = 5;
const PACE_MS = Number(process.env.LOOM_BENCH_PACE_MS ?? 500);
const TARGET_MS = 10_000;
const ROUNDS = Number(process.env.LOOM_BENCH_SANDBOX_ROUNDS ?? 3);

const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;

async function pickupBench(): Promise<Record<string, number>> {
  const m = await startStack({ name: 'bench-worker', indexer: true, artifacts: true, jobDefaults: { executionTimeout: 120, challengeWindow: 3600 } });
  const claimedAt = new Map<string, number>();
  const problems: string[] = [];
  const logger = createWorkerLogger({ level: 'info' }, {
    write: (line: string) => {
      const o = JSON.parse(line) as { msg: string; jobId?: string; time: number; level: number };
      if (o.msg === 'claimed' && o.jobId) claimedAt.set(o.jobId, o.time);
      if (o.level >= 40 || o.msg === 'job refused') problems.push(line.trim());
    },
  });
  const dataDir = mkdtempSync(join(m.workDir, 'worker-'));
  chmodSync(dataDir, 0o711);
  const config = resolveConfig(
    {},
    {
      LOOM_API_URL: m.ponder.url,
      LOOM_ARTIFACT_URL: m.artifactUrl,
      LOOM_RPC_URL: m.anvil.rpcUrl,
      LOOM_MARKET_ADDRESS: m.market,
      LOOM_WORKER_DATA_DIR: dataDir,
      LOOM_WORKER_STAKE: '1',
      LOOM_METRICS_PORT: 'off',
      LOOM_MAX_CONCURRENT_JOBS: '8',
      LOOM_RESERVE_SECONDS: '10',
      LOOM_SUBMIT_RESERVE_SECONDS: '5',
      LOOM_HOUSEKEEPING_MS: '2000',
    },
  );
  const account = accountOf(5);
  const daemon = new WorkerDaemon({ config, account, logger, hardware: { claim: claimFor([], { cpuCores: 8, ramMiB: 16_384 }), gpus: [] } });
  try {
    await daemon.start();
    const postedAt = new Map<string, number>();
    const spec = scriptSpec('true', { resources: { memoryMiB: 64, timeoutSeconds: 10, outputMiB: 1 } });
    for (let i = 0; i < WARMUP_JOBS + PICKUP_JOBS; i++) {
      const started = Date.now();
      const job = await m.post({ spec, budget: parseEther('0.001'), executionTimeout: 60 });
      if (i >= WARMUP_JOBS) postedAt.set(job.id, Date.now());
      await new Promise((r) => setTimeout(r, Math.max(0, PACE_MS - (Date.now() - started))));
    }
    await waitFor('every job claimed', () => [...postedAt.keys()].every((id) => claimedAt.has(id)), 60_000).catch((err) => {
      throw new Error(`${(err as Error).message}; ${claimedAt.size} claimed; the daemon said:\n${problems.slice(0, 20).join('\n')}`);
    });
    const latencies = [...postedAt].map(([id, t]) => claimedAt.get(id)! - t);
    const internal = daemon.metrics.pickupLatency.samples.slice(WARMUP_JOBS).map((s) => s * 1000);
    return {
      'worker.pickup.jobs': latencies.length,
      'worker.pickup.p50Ms': percentile(latencies, 50),
      'worker.pickup.p99Ms': percentile(latencies, 99),
      'worker.pickup.deliveryToClaimP50Ms': round(percentile(internal, 50)),
    };
  } finally {
    await daemon.stop();
    await m.stop();
  }
}

function timeDirect(argv: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(argv[0]!, argv.slice(1), { stdio: 'ignore', env: {} });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(performance.now() - started) : reject(new Error(`${argv.join(' ')} exited with ${code}`))));
  });
}

async function overheadBench(): Promise<Record<string, number>> {
  const root = join(os.tmpdir(), `loom-bench-sandbox-${process.pid}`);
  mkdirSync(root, { recursive: true });
  chmodSync(root, 0o711);
  try {
    const sandbox = await SandboxRunner.create({ workDir: root });
    const loop = (n: number) => ['/usr/bin/mawk', `BEGIN { s = 0; for (i = 0; i < ${n}; i++) s += i; print s }`];
    // Calibrate to ~10 s on this machine.
    const probeN = 20_000_000;
    const probeMs = Math.min(await timeDirect(loop(probeN)), await timeDirect(loop(probeN)), await timeDirect(loop(probeN)));
    const n = Math.round((probeN * TARGET_MS) / probeMs);

    let jobs = 0;
    const inSandbox = async (argv: string[]) => {
      const parsed = parseSpec({ version: 1, command: argv, resources: { memoryMiB: 256, cpus: 1, timeoutSeconds: 120, outputMiB: 1 } });
      if (!parsed.ok) throw new Error(parsed.reason);
      const jobDir = mkdtempSync(join(root, `job${jobs++}-`));
      const started = performance.now();
      const r = await sandbox.run({ name: `bench${jobs}`, spec: parsed.spec, jobDir, inputs: [] });
      const ms = performance.now() - started;
      if (!r.ok) throw new Error(`sandboxed run failed: ${r.reason}`);
      return ms;
    };
    // Alternated, medians of each: this kind of shared machine drifts by tens of percent.
    const directs: number[] = [];
    const sandboxeds: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      directs.push(await timeDirect(loop(n)));
      sandboxeds.push(await inSandbox(loop(n)));
    }
    const direct = percentile(directs, 50);
    const sandboxed = percentile(sandboxeds, 50);
    const trivial: number[] = [];
    for (let i = 0; i < 15; i++) trivial.push(await inSandbox(['/bin/true']));
    return {
      'worker.sandbox.directMs': Math.round(direct),
      'worker.sandbox.sandboxedMs': Math.round(sandboxed),
      'worker.sandbox.overheadRatio': round(sandboxed / direct, 3),
      'worker.sandbox.startupMs': round(percentile(trivial, 50)),
    };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

export async function workerBench(): Promise<Record<string, number>> {
  const only = process.env.LOOM_BENCH_WORKER;
  return {
    ...(only === undefined || only === 'sandbox' ? await overheadBench() : {}),
    ...(only === undefined || only === 'image' ? await imageBench() : {}),
    ...(only === undefined || only === 'pickup' ? await pickupBench() : {}),
    ...(only === undefined || only === 'log' ? await logLatencyBench() : {}),
  };
}
