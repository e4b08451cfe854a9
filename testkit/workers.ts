/**
 * Worker daemons as child processes (`loom-worker start`, or `loom worker start`), configured as a
 * test wants them: short housekeeping and reserves, one ETH of stake, the test tokens allowed, debug
 * logs. Registered with the reaper; their output is kept, parsed line by line.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { accountOf, keyOf } from './accounts';
import { root } from './root';
import { registerProcess } from './reaper';
import { tempDir } from './tempDir';
import { waitFor } from './waitFor';

export type WorkerProcess = {
  index: number;
  address: `0x${string}`;
  child: ChildProcess;
  /** JSON log lines, parsed. */
  lines: Record<string, unknown>[];
  /** Everything it printed, as it came. */
  output: string[];
  /** Resolves with the exit code once the process has ended. */
  exited: Promise<number | null>;
  stop: () => Promise<void>;
};

export type WorkerTarget = { apiUrl: string; rpcUrl: string; deploymentPath: string; artifactUrl?: string; usdc: string };

const sandboxAvailable = () => existsSync('/usr/bin/bwrap') || existsSync('/bin/bwrap');

/** The environment a test worker runs with (on top of PATH and HOME). */
export function workerEnv(target: WorkerTarget, index: number, dataDir: string): Record<string, string> {
  return {
    LOOM_WORKER_KEY: keyOf(index),
    LOOM_API_URL: target.apiUrl,
    ...(target.artifactUrl ? { LOOM_ARTIFACT_URL: target.artifactUrl } : {}),
    LOOM_RPC_URL: target.rpcUrl,
    LOOM_DEPLOYMENT_FILE: target.deploymentPath,
    LOOM_WORKER_DATA_DIR: dataDir,
    LOOM_WORKER_STAKE: '1',
    LOOM_METRICS_PORT: 'off',
    LOOM_HOUSEKEEPING_MS: '500',
    LOOM_RESERVE_SECONDS: '10',
    LOOM_SUBMIT_RESERVE_SECONDS: '5',
    LOOM_ALLOWED_TOKENS: `eth,${target.usdc}`,
    LOOM_WORKER_PRICE_PER_GPU_HOUR: '2500000',
    LOOM_WORKER_METADATA_URI: `https://workers.example/${index}`,
    // Without bubblewrap (a developer machine) the worker runs what the sandbox cannot provide
    // unconfined: the tests run only their own tiny scripts. CI installs bubblewrap.
    ...(sandboxAvailable() ? {} : { LOOM_UNSAFE_NO_SANDBOX: 'true' }),
  };
}

/**
 * Starts worker daemon `index` (an account of the mnemonic) and resolves once it follows the market.
 * `command` defaults to the worker's own CLI; `env` adds to or overrides the test environment.
 */
export async function startWorker(
  target: WorkerTarget,
  index: number,
  opts: { env?: Record<string, string | undefined>; command?: string[]; readyTimeoutMs?: number; dataDir?: string } = {},
): Promise<WorkerProcess> {
  // A restarted worker is given its data directory again (its state file: cursor, jobs in hand).
  const dataDir = opts.dataDir ?? mkdtempSync(join(tempDir(`worker-${index}`), 'data-'));
  chmodSync(dataDir, 0o711); // the sandbox user must reach the job directories
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    ...workerEnv(target, index, dataDir),
    LOG_LEVEL: 'debug',
    ...opts.env,
  };
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];
  const [command, ...args] = opts.command ?? [process.execPath, '--import', 'tsx', 'worker/cli.ts', 'start'];
  const child = spawn(command!, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const w: WorkerProcess = { index, address: accountOf(index).address.toLowerCase() as `0x${string}`, child, lines: [], output: [], exited, stop: async () => {} };
  // SIGINT: the daemon's own clean shutdown.
  w.stop = registerProcess(`worker ${index}`, child, { signal: 'SIGINT', logs: () => w.output.join('') });
  let buffer = '';
  child.stdout!.on('data', (d: Buffer) => {
    w.output.push(d.toString());
    buffer += d.toString();
    const parts = buffer.split('\n');
    buffer = parts.pop()!;
    for (const p of parts) {
      try {
        if (p.trim()) w.lines.push(JSON.parse(p));
      } catch {}
    }
  });
  child.stderr!.on('data', (d: Buffer) => w.output.push(d.toString()));
  await waitFor(
    `worker ${index} to follow the market`,
    () => {
      if (child.exitCode !== null) throw new Error(`worker ${index} exited with ${child.exitCode}: ${w.output.join('').slice(-2000)}`);
      return w.output.join('').includes('following the market');
    },
    opts.readyTimeoutMs ?? 90_000,
    150,
  );
  return w;
}
