/**
 * The whole market for the browser tests, as real as it gets: anvil with the contracts, Ponder
 * serving the API (startPonder), an artifact store, the built UI (`node ui/build`) and real worker
 * daemons (`loom-worker start` as child processes). Also runnable by hand to look at the UI with
 * data in it:
 *
 *   npx tsx ui/tests/stack.ts            # a stack with two workers, printed URLs; Ctrl-C stops it
 *   npx tsx ui/tests/stack.ts --scenario # plus the indexer's scenario (every kind of job ending)
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { cors } from 'hono/cors';
import { toHex } from 'viem';
import { mnemonicToAccount } from 'viem/accounts';
import { artifactRoutes } from '../../api/artifacts/artifactRoutes';
import { LocalArtifactStore } from '../../api/artifacts/localArtifactStore';
import { deploy } from '../../scripts/deploy';
import { type Deployment } from '../../sdk/chain/deploymentRecord';
import { type Anvil, freePort, startAnvil } from '../../scripts/lib/anvil';
import { type Ponder, startPonder } from '../../indexer/run/ponderProcess';

export const root = fileURLToPath(new URL('../..', import.meta.url));
export const MNEMONIC = 'test test test test test test test test test test test junk';
export const accountOf = (i: number) => mnemonicToAccount(MNEMONIC, { addressIndex: i });
export const keyOf = (i: number) => toHex(accountOf(i).getHdKey().privateKey!);

export type WorkerProcess = {
  index: number;
  address: `0x${string}`;
  child: ChildProcess;
  lines: Record<string, unknown>[];
  raw: string[];
  stop: () => Promise<void>;
};

export type Stack = {
  anvil: Anvil;
  deployment: Deployment;
  deploymentFile: string;
  ponder: Ponder;
  artifactUrl: string;
  uiUrl: string;
  workDir: string;
  workers: WorkerProcess[];
  startWorker: (index: number, env?: Record<string, string>) => Promise<WorkerProcess>;
  /** Everything the processes printed, by name (kept for failed runs). */
  logs: () => Record<string, string>;
  stop: () => Promise<void>;
};

export async function waitFor<T>(what: string, check: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined && v !== false) return v as T;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

const sandboxAvailable = () => existsSync('/usr/bin/bwrap') || existsSync('/bin/bwrap');

export async function startStack(name: string, opts: { uiPort?: number; apiPort?: number; anvilPort?: number } = {}): Promise<Stack> {
  if (!existsSync(join(root, 'ui', 'build', 'index.js'))) throw new Error('ui/build is missing: run `npm run build -w ui` first');
  const runId = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  const workDir = join(root, '.cache', `ui-${name}`, runId);
  mkdirSync(workDir, { recursive: true, mode: 0o755 });
  chmodSync(workDir, 0o755);
  const deploymentFile = `.cache/deployments/ui-${name}-${runId}.json`;
  const children: ChildProcess[] = [];
  const output: Record<string, string[]> = {};

  const anvil = await startAnvil(opts.anvilPort ? { port: opts.anvilPort } : {});
  const deployment = await deploy(anvil.rpcUrl, { quiet: true, file: deploymentFile });
  const ponder = await startPonder({
    rpcUrl: anvil.rpcUrl,
    deploymentFile,
    schema: `ui_${name}`,
    pgliteDir: join(workDir, 'pglite'),
    ...(opts.apiPort ? { port: opts.apiPort } : {}),
  });

  // The artifact store, with CORS so the browser can download results and check their sha256.
  const store = new LocalArtifactStore({ dir: join(workDir, 'artifacts') });
  const app = new Hono();
  app.use('/artifacts/*', cors({ origin: '*', allowMethods: ['GET', 'HEAD'], exposeHeaders: ['ETag', 'Content-Length'] }));
  app.route('/artifacts', artifactRoutes(store));
  const artifactPort = await freePort();
  const artifactServer = serve({ fetch: app.fetch, port: artifactPort, hostname: '127.0.0.1' });
  const artifactUrl = `http://127.0.0.1:${artifactPort}`;

  // The built UI, as operators run it.
  const uiPort = opts.uiPort ?? (await freePort());
  const uiUrl = `http://127.0.0.1:${uiPort}`;
  const ui = spawn(process.execPath, [join(root, 'ui', 'build')], {
    cwd: root,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      PORT: String(uiPort),
      HOST: '127.0.0.1',
      ORIGIN: uiUrl,
      PUBLIC_API_URL: ponder.url,
      PUBLIC_RPC_URL: anvil.rpcUrl,
      PUBLIC_CHAIN_ID: String(deployment.chainId),
      PUBLIC_ARTIFACT_URL: artifactUrl,
      LOOM_DEPLOYMENT_FILE: join(root, deploymentFile),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(ui);
  output.ui = [];
  ui.stdout!.on('data', (d: Buffer) => output.ui!.push(d.toString()));
  ui.stderr!.on('data', (d: Buffer) => output.ui!.push(d.toString()));
  await waitFor('the UI to serve', async () => (await fetch(uiUrl)).ok, 30_000);

  const workers: WorkerProcess[] = [];
  const startWorker = async (index: number, env: Record<string, string> = {}): Promise<WorkerProcess> => {
    const dataDir = mkdtempSync(join(workDir, `worker-${index}-`));
    chmodSync(dataDir, 0o711); // the sandbox user must reach the job directories
    const child = spawn(process.execPath, ['--import', 'tsx', 'worker/cli.ts', 'start'], {
      cwd: root,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        LOOM_WORKER_KEY: keyOf(index),
        LOOM_API_URL: ponder.url,
        LOOM_ARTIFACT_URL: artifactUrl,
        LOOM_RPC_URL: anvil.rpcUrl,
        LOOM_DEPLOYMENT_FILE: join(root, deploymentFile),
        LOOM_WORKER_DATA_DIR: dataDir,
        LOOM_WORKER_STAKE: '1',
        LOOM_METRICS_PORT: 'off',
        LOOM_HOUSEKEEPING_MS: '500',
        LOOM_RESERVE_SECONDS: '10',
        LOOM_SUBMIT_RESERVE_SECONDS: '5',
        LOOM_ALLOWED_TOKENS: `eth,${deployment.TestUSDC.address}`,
        LOOM_WORKER_PRICE_PER_GPU_HOUR: '2500000',
        LOOM_WORKER_METADATA_URI: `https://workers.example/${index}`,
        // Without bubblewrap (a developer machine) the worker runs what the sandbox cannot provide
        // unconfined: the tests run only their own tiny scripts. CI installs bubblewrap.
        ...(sandboxAvailable() ? {} : { LOOM_UNSAFE_NO_SANDBOX: 'true' }),
        LOG_LEVEL: 'debug',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    const w: WorkerProcess = {
      index,
      address: accountOf(index).address.toLowerCase() as `0x${string}`,
      child,
      lines: [],
      raw: [],
      stop: async () => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGINT');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      },
    };
    output[`worker-${index}`] = w.raw;
    let buffer = '';
    child.stdout!.on('data', (d: Buffer) => {
      w.raw.push(d.toString());
      buffer += d.toString();
      const parts = buffer.split('\n');
      buffer = parts.pop()!;
      for (const p of parts) {
        try {
          if (p.trim()) w.lines.push(JSON.parse(p));
        } catch {}
      }
    });
    child.stderr!.on('data', (d: Buffer) => w.raw.push(d.toString()));
    await waitFor(`worker ${index} to follow the market`, () => {
      if (child.exitCode !== null) throw new Error(`worker ${index} exited with ${child.exitCode}: ${w.raw.join('').slice(-2000)}`);
      return w.lines.some((l) => l.msg === 'following the market');
    }, 90_000);
    workers.push(w);
    return w;
  };

  const logs = () => ({ 'ponder.log': ponder.logs(), ...Object.fromEntries(Object.entries(output).map(([k, v]) => [`${k}.log`, v.join('')])) });

  const stop = async () => {
    for (const w of workers) await w.stop().catch(() => {});
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM');
    await new Promise<void>((r) => artifactServer.close(() => r()));
    const logDir = join(root, 'ui', 'test-results', 'logs');
    mkdirSync(logDir, { recursive: true });
    for (const [file, text] of Object.entries(logs())) writeFileSync(join(logDir, `${name}-${file}`), text);
    await ponder.stop();
    await anvil.stop();
    rmSync(workDir, { recursive: true, force: true });
    rmSync(join(root, deploymentFile), { force: true });
  };

  return { anvil, deployment, deploymentFile, ponder, artifactUrl, uiUrl, workDir, workers, startWorker, logs, stop };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const stack = await startStack('dev', { uiPort: Number(process.env.UI_PORT ?? 5180) });
  if (process.argv.includes('--scenario')) {
    const { runScenario } = await import('../../indexer/test/scenario');
    await runScenario(stack.anvil.rpcUrl, stack.deployment);
  }
  if (!process.argv.includes('--no-workers')) {
    await stack.startWorker(5, { LOOM_MIN_PRICE_PER_GPU_HOUR: `${stack.deployment.TestUSDC.address}=3600000`, LOOM_BID_MARKUP_BPS: '1000' });
    await stack.startWorker(6, { LOOM_MIN_PRICE_PER_GPU_HOUR: `${stack.deployment.TestUSDC.address}=7200000`, LOOM_BID_MARKUP_BPS: '2000' });
  }
  console.log(`UI        ${stack.uiUrl}\nAPI       ${stack.ponder.url}/graphql\nchain     ${stack.anvil.rpcUrl}\nartifacts ${stack.artifactUrl}`);
  const shutdown = () => void stack.stop().then(() => process.exit(0));
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}
