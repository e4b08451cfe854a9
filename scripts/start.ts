/**
 * `npm start`: brings the local marketplace up on embedded defaults and prints where to look.
 *
 *   chain     anvil, state persisted in .data/anvil-state.json (a restart keeps the chain)
 *   contracts deployed once (skipped when the recorded deployment is live)
 *   indexer   Ponder on PGlite in .data/pglite (PostgreSQL when DATABASE_URL is set), serving the
 *             GraphQL API and the artifact store; a fresh chain clears its cache (scripts/indexer.ts)
 *   web UI    the built SvelteKit app (built first when ui/build is missing)
 *   worker    one local worker daemon with anvil's account 4 (only with bubblewrap: jobs never run
 *             unsandboxed by default)
 *
 * Ctrl-C stops everything. Env: ANVIL_PORT (8545), API_PORT (42069), UI_PORT (3000), DATABASE_URL,
 * LOOM_LOCAL_WORKERS (1; 0 for none).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { toHex } from 'viem';
import { mnemonicToAccount } from 'viem/accounts';
import { startAnvil } from './lib/anvil.ts';
import { startPonder, type Ponder } from './lib/ponder.ts';
import { deploy, deploymentPath } from './deploy.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const dataDir = join(root, '.data');
mkdirSync(dataDir, { recursive: true });
const anvilPort = Number(process.env.ANVIL_PORT ?? 8545);
const apiPort = Number(process.env.API_PORT ?? 42069);
const uiPort = Number(process.env.UI_PORT ?? 3000);
const localWorkers = Number(process.env.LOOM_LOCAL_WORKERS ?? 1);
/** anvil's well-known development mnemonic: its keys guard nothing but the local chain. */
const ANVIL_MNEMONIC = 'test test test test test test test test test test test junk';

/**
 * Ponder refuses to resume a schema built by other indexing code, so the schema is named after a
 * hash of that code: an unchanged indexer resumes where it stopped, a changed one re-indexes.
 */
function indexerBuildSchema(): string {
  const files = ['ponder.config.ts', 'indexer/ponder.schema.ts', 'abis/generated.ts', ...walk('indexer/src')]
    .filter((f) => !f.startsWith('indexer/src/api/'))
    .sort();
  const hash = createHash('sha256');
  for (const f of files) hash.update(f).update(readFileSync(join(root, f)));
  return `loom_${hash.digest('hex').slice(0, 10)}`;
}

function walk(dir: string): string[] {
  return readdirSync(join(root, dir)).flatMap((name) => {
    const path = join(dir, name);
    return statSync(join(root, path)).isDirectory() ? walk(path) : path.endsWith('.ts') ? [path] : [];
  });
}

const anvil = await startAnvil({ port: anvilPort, stateFile: join(dataDir, 'anvil-state.json') });
let ponder: Ponder | undefined;
const children: ChildProcess[] = [];
let stopping = false;
const stop = async (code: number) => {
  if (stopping) return;
  stopping = true;
  await Promise.all(children.map(stopChild));
  await ponder?.stop();
  await anvil.stop();
  process.exit(code);
};

/** Starts a child in its own process group, logging to .data/<name>.log; its death stops everything. */
function startChild(name: string, args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  const log = createWriteStream(join(dataDir, `${name}.log`), { flags: 'a' });
  const child = spawn(process.execPath, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  child.on('exit', (code) => {
    if (!stopping) {
      console.error(`${name} exited unexpectedly (code ${code}); see .data/${name}.log`);
      void stop(1);
    }
  });
  children.push(child);
  return child;
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    signalGroup(child, 'SIGTERM');
  });
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals) {
  try {
    process.kill(-child.pid!, signal);
  } catch {}
}

function bubblewrapAvailable(): boolean {
  return spawnSync('bwrap', ['--version'], { stdio: 'ignore' }).status === 0;
}
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));
anvil.process.on('exit', (code) => {
  if (!stopping) {
    console.error(`anvil exited unexpectedly (code ${code})`);
    void stop(1);
  }
});

try {
  const d = await deploy(anvil.rpcUrl, { quiet: true });
  console.log(`chain ready; starting the indexer (first start builds and indexes, a few seconds)...`);
  const logFile = join(dataDir, 'ponder.log');
  ponder = await startPonder({
    rpcUrl: anvil.rpcUrl,
    deploymentFile: deploymentPath(d.chainId),
    databaseUrl: process.env.DATABASE_URL,
    pgliteDir: join(dataDir, 'pglite'),
    schema: indexerBuildSchema(),
    port: apiPort,
    logFile,
    readyTimeoutMs: 300_000,
  });
  ponder.process.on('exit', (code) => {
    if (!stopping) {
      console.error(`the indexer exited unexpectedly (code ${code}); see ${relative(root, logFile)}`);
      void stop(1);
    }
  });
  const deploymentFile = join(root, deploymentPath(d.chainId));
  if (!existsSync(join(root, 'ui', 'build', 'index.js'))) {
    console.log('building the web UI (first start only)...');
    const build = spawnSync('npm', ['run', 'ui:build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
    if (build.status !== 0) throw new Error('the web UI did not build (npm run ui:build)');
  }
  startChild('ui', [join(root, 'ui', 'build')], {
    ...process.env,
    PORT: String(uiPort),
    HOST: '127.0.0.1',
    PUBLIC_API_URL: ponder.url,
    PUBLIC_RPC_URL: anvil.rpcUrl,
    PUBLIC_CHAIN_ID: String(d.chainId),
    LOOM_DEPLOYMENT_FILE: deploymentFile,
  });

  const workers: string[] = [];
  const sandbox = bubblewrapAvailable();
  for (let i = 0; sandbox && i < localWorkers; i++) {
    const account = mnemonicToAccount(ANVIL_MNEMONIC, { addressIndex: 4 + i });
    startChild(`worker-${i + 1}`, ['--import', 'tsx', 'worker/cli.ts', 'start'], {
      ...process.env,
      LOOM_WORKER_KEY: toHex(account.getHdKey().privateKey!),
      LOOM_API_URL: ponder.url,
      LOOM_RPC_URL: anvil.rpcUrl,
      LOOM_DEPLOYMENT_FILE: deploymentFile,
      LOOM_WORKER_DATA_DIR: join(dataDir, `worker-${i + 1}`),
      LOOM_METRICS_PORT: String(9464 + i),
      LOOM_ALLOWED_TOKENS: `eth,${d.TestUSDC.address}`,
    });
    workers.push(`${account.address} (metrics :${9464 + i}, logs .data/worker-${i + 1}.log)`);
  }

  console.log(`
Loom is up.
  web UI      http://127.0.0.1:${uiPort}
  GraphQL     ${ponder.url}/graphql (GraphiQL in a browser; subscriptions over SSE)
  chain       ${anvil.rpcUrl} (chain id ${d.chainId}, state in .data/anvil-state.json)
  LoomMarket  ${d.LoomMarket.address}${d.deployed ? ' (deployed now)' : ' (already deployed)'}
  TestUSDC    ${d.TestUSDC.address}
  database    ${process.env.DATABASE_URL ? 'PostgreSQL (DATABASE_URL)' : 'PGlite in .data/pglite'}, schema ${ponder.schema}
  workers     ${workers.length ? workers.join('\n              ') : sandbox ? 'none (LOOM_LOCAL_WORKERS=0)' : 'none: bubblewrap is missing (apt-get install bubblewrap), and jobs never run unsandboxed by default'}
  logs        .data/*.log
Ctrl-C stops everything.`);
} catch (err) {
  console.error(`start failed: ${err instanceof Error ? err.message : err}`);
  await stop(1);
}
