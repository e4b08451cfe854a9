/**
 * `npm start`: brings the local marketplace up on embedded defaults and prints where to look.
 *
 *   chain     anvil, state persisted in .data/anvil-state.json (a restart keeps the chain); mined
 *             past the indexer's finality depth (mineBeyondFinality in lib/anvil.ts)
 *   contracts deployed once (skipped when the recorded deployment is live)
 *   indexer   Ponder on PGlite in .data/pglite (PostgreSQL when DATABASE_URL is set), serving the
 *             GraphQL API and the artifact store; a fresh chain clears its cache (indexer/run/genesisGuard.ts);
 *             following anvil's new heads over its WebSocket (a mined event reaches a subscriber
 *             without waiting for a poll; bench/README.md, "Freshness"); LOOM_WS_URL= (empty) polls
 *   web UI    the built SvelteKit app (built first when ui/build is missing)
 *   workers   local worker daemons with anvil's accounts 4, 5, ... (only with bubblewrap: jobs never
 *             run unsandboxed by default)
 *   gateway   the x402 payment gateway (gateway/, POST /x402/jobs on GATEWAY_PORT, 4021), paying gas
 *             with anvil's account 3; when attached, only when LOOM_GATEWAY_KEY is given
 *   demo      with --demo (or LOOM_DEMO=1): a few jobs in every state (scripts/demo.ts), seeded
 *             once per chain
 *
 * Attach mode: with LOOM_RPC_URL (--rpc-url), LOOM_CHAIN_ID (--chain-id), LOOM_MARKET_ADDRESS
 * (--market) and LOOM_REPLICATED_MARKET_ADDRESS (--replicated-market), and optionally
 * LOOM_START_BLOCK (--start-block; else the block the registry the market names appeared in), LOOM_WS_URL and LOOM_USDC_ADDRESS (a token for the UI's forms), no anvil is started
 * and nothing is deployed: the chain id and the market's code are checked (a clear error and exit
 * code 1 otherwise), then the indexer (in .data/chain-<id>-<address>/) and the UI run against
 * that chain, and one worker only when its key is given (LOOM_WORKER_KEY, or LOOM_KEYSTORE with
 * LOOM_KEYSTORE_PASSWORD): anvil's keys are never used on a chain that is not local.
 *
 * Ctrl-C (SIGINT) or SIGTERM stops everything, children first; starting again resumes the chain and
 * the index. Env: ANVIL_PORT (8545), API_PORT (42069), UI_PORT (3000), GATEWAY_PORT (4021), METRICS_PORT (9464: the first
 * local worker's metrics, the next ones count up; "off" for none), DATABASE_URL,
 * LOOM_LOCAL_WORKERS (1; 0 for none; at most 4, or 2 with the demo, whose workers are accounts 6
 * and 7).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createPublicClient, http, toHex } from 'viem';
import { mnemonicToAccount } from 'viem/accounts';
import { anvilWsUrl, mineBeyondFinality, mineWhile, startAnvil, type Anvil } from './lib/anvil.ts';
import { AttachError, checkAttachTarget, type AttachTarget } from './lib/attach.ts';
import { startPonder, type Ponder } from '../indexer/run/ponderProcess.ts';
import { deploy } from './deploy.ts';
import { deploymentPath, readDeployment } from '../sdk/chain/deploymentRecord';
import { DEMO_ACCOUNTS, seedDemo } from './demo.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const dataDir = join(root, '.data');
/** anvil's well-known development mnemonic: its keys guard nothing but the local chain. */
const ANVIL_MNEMONIC = 'test test test test test test test test test test test junk';
/** Local workers take anvil's accounts from here up; 8 is the arbiter, 9 the treasury. */
const FIRST_WORKER_ACCOUNT = 4;

const usage = `usage: npm start [-- options]

  --demo                 seed demo jobs in every state (local chain only; once per chain)   LOOM_DEMO=1
  --rpc-url <url>        attach to this chain instead of starting anvil                    LOOM_RPC_URL
  --chain-id <id>        its chain id (required to attach)                                 LOOM_CHAIN_ID
  --market <address>     the LoomMarket to index (required to attach)                      LOOM_MARKET_ADDRESS
  --replicated-market <address>  the LoomReplicatedMarket (required to attach)             LOOM_REPLICATED_MARKET_ADDRESS
  --start-block <n>      first block to index (default: where the registry was deployed)   LOOM_START_BLOCK
  -h, --help             this text

Ports: ANVIL_PORT (8545), API_PORT (42069), UI_PORT (3000), METRICS_PORT (9464).
Database: PGlite in .data/ unless DATABASE_URL is set. Local workers: LOOM_LOCAL_WORKERS (1).`;

const parse = () =>
  parseArgs({
    options: {
      demo: { type: 'boolean' },
      'rpc-url': { type: 'string' },
      'chain-id': { type: 'string' },
      market: { type: 'string' },
      'replicated-market': { type: 'string' },
      'start-block': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  }).values;
let args: ReturnType<typeof parse>;
try {
  args = parse();
} catch (err) {
  console.error(`${err instanceof Error ? err.message : err}\n\n${usage}`);
  process.exit(2);
}
if (args.help) {
  console.log(usage);
  process.exit(0);
}
// Flags win over the environment, under the environment's names, so every child sees the same.
for (const [flag, name] of [['rpc-url', 'LOOM_RPC_URL'], ['chain-id', 'LOOM_CHAIN_ID'], ['market', 'LOOM_MARKET_ADDRESS'], ['replicated-market', 'LOOM_REPLICATED_MARKET_ADDRESS'], ['start-block', 'LOOM_START_BLOCK']] as const) {
  if (args[flag] !== undefined) process.env[name] = args[flag];
}
const env = process.env;
// Secrets go to the worker that needs them, not to every process (Ponder, the UI) that inherits env.
const workerSecrets: NodeJS.ProcessEnv = {};
for (const name of ['LOOM_WORKER_KEY', 'LOOM_KEYSTORE_PASSWORD']) {
  if (env[name] !== undefined) workerSecrets[name] = env[name];
  delete env[name];
}
// The gateway's key likewise goes to the gateway alone.
const gatewayKey = env.LOOM_GATEWAY_KEY;
delete env.LOOM_GATEWAY_KEY;
const attachMode = Boolean(env.LOOM_RPC_URL);
const demo = args.demo === true || /^(1|true|yes|on)$/i.test(env.LOOM_DEMO ?? '');
const anvilPort = port('ANVIL_PORT', 8545);
const apiPort = port('API_PORT', 42069);
const uiPort = port('UI_PORT', 3000);
const metricsPort = env.METRICS_PORT === 'off' ? null : port('METRICS_PORT', 9464);
const localWorkers = Number(env.LOOM_LOCAL_WORKERS ?? 1);
const gatewayPort = port('GATEWAY_PORT', 4021);
/** The local chain's gateway pays gas with anvil's account 3; an attached chain's only with a given key. */
const GATEWAY_ACCOUNT = 3;
const runGateway = !attachMode || Boolean(gatewayKey);

function port(name: string, fallback: number): number {
  const value = Number(env[name] ?? fallback);
  if (!Number.isInteger(value) || value <= 0 || value > 65_535) fail(`${name} is not a port: "${env[name]}"`);
  return value;
}

function fail(message: string): never {
  console.error(`start failed: ${message}`);
  process.exit(1);
}

if (!attachMode && (env.LOOM_MARKET_ADDRESS || env.LOOM_CHAIN_ID)) {
  fail('LOOM_MARKET_ADDRESS or LOOM_CHAIN_ID is set without LOOM_RPC_URL: set all three to attach to a chain, or none for the local one');
}
if (attachMode && demo) fail('--demo seeds a local chain with anvil\'s keys; it does not run when attached to a chain (LOOM_RPC_URL)');
const maxLocalWorkers = (demo ? DEMO_ACCOUNTS.workers[0] : DEMO_ACCOUNTS.arbiter) - FIRST_WORKER_ACCOUNT;
if (!Number.isInteger(localWorkers) || localWorkers < 0 || localWorkers > maxLocalWorkers) {
  fail(`LOOM_LOCAL_WORKERS must be 0 to ${maxLocalWorkers}${demo ? ' with the demo (its workers are accounts 6 and 7)' : ' (accounts 4 to 7)'}, not "${env.LOOM_LOCAL_WORKERS}"`);
}

/** Resolves when nothing listens on 127.0.0.1:port. */
function portFree(p: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(p, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

/**
 * Ponder refuses to resume a schema built by other indexing code, so the schema is named after a
 * hash of that code and of the chain and market it indexes: an unchanged indexer resumes where it
 * stopped, a changed one re-indexes, and two chains never share a schema in one PostgreSQL database.
 */
function indexerBuildSchema(chain: string): string {
  const files = ['ponder.config.ts', 'indexer/ponder.schema.ts', 'abis/generated.ts', ...walk('indexer/src')]
    .filter((f) => !f.startsWith('indexer/src/api/'))
    .sort();
  const hash = createHash('sha256').update(chain);
  for (const f of files) hash.update(f).update(readFileSync(join(root, f)));
  return `loom_${hash.digest('hex').slice(0, 10)}`;
}

function walk(dir: string): string[] {
  return readdirSync(join(root, dir)).flatMap((name) => {
    const path = join(dir, name);
    return statSync(join(root, path)).isDirectory() ? walk(path) : path.endsWith('.ts') ? [path] : [];
  });
}

let anvil: Promise<Anvil> | undefined;
let ponder: Promise<Ponder> | undefined;
const children: ChildProcess[] = [];
let stopping = false;
/** Stops the children, then the indexer, then the chain, including any of them still starting. */
const stop = async (code: number) => {
  if (stopping) return;
  stopping = true;
  await Promise.all(children.map(stopChild));
  await (await ponder?.catch(() => undefined))?.stop();
  await (await anvil?.catch(() => undefined))?.stop();
  if (code === 0) console.log('Loom stopped.');
  process.exit(code);
};
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));

/** Starts a child in its own process group, logging to `<logDir>/<name>.log`; its death stops everything. */
function startChild(name: string, logDir: string, args: string[], childEnv: NodeJS.ProcessEnv): ChildProcess {
  if (stopping) throw new Error('stopping');
  const logFile = join(logDir, `${name}.log`);
  const log = createWriteStream(logFile, { flags: 'a' });
  const child = spawn(process.execPath, args, { cwd: root, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  child.on('exit', (code) => {
    if (!stopping) {
      console.error(`${name} exited unexpectedly (code ${code}); see ${relative(root, logFile)}`);
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

/** What the local chain or the attached one gives the rest of the stack. */
type Chain = {
  rpcUrl: string;
  /** Where the indexer follows new heads (LOOM_WS_URL); none: it polls rpcUrl. */
  wsUrl?: string;
  chainId: number;
  market: string;
  registry: string;
  /** The replicated-job market: the deployment's, or LOOM_REPLICATED_MARKET_ADDRESS when attached. */
  replicated?: string;
  usdc?: string;
  /** Where this chain's index, worker state and logs live. */
  dir: string;
  /** The deployment record (local chain only). */
  deploymentFile?: string;
  summary: string[];
};

async function localChain(): Promise<Chain> {
  mkdirSync(dataDir, { recursive: true });
  anvil = startAnvil({ port: anvilPort, stateFile: join(dataDir, 'anvil-state.json'), detached: true });
  const a = await anvil;
  a.process.on('exit', (code) => {
    if (!stopping) {
      console.error(`anvil exited unexpectedly (code ${code})`);
      void stop(1);
    }
  });
  const d = await deploy(a.rpcUrl, { quiet: true });
  // A short chain would make the indexer start from block 0, which anvil may re-create on a restart.
  await mineBeyondFinality(a.rpcUrl);
  return {
    rpcUrl: a.rpcUrl,
    wsUrl: env.LOOM_WS_URL ?? anvilWsUrl(a.rpcUrl),
    chainId: d.chainId,
    market: d.LoomMarket.address,
    registry: d.LoomRegistry.address,
    replicated: d.LoomReplicatedMarket.address,
    usdc: d.TestUSDC.address,
    dir: dataDir,
    deploymentFile: join(root, deploymentPath(d.chainId)),
    summary: [
      `chain       ${a.rpcUrl} (chain id ${d.chainId}, state in .data/anvil-state.json)`,
      `LoomMarket  ${d.LoomMarket.address}${d.deployed ? ' (deployed now)' : ' (already deployed)'}`,
      `  registry  ${d.LoomRegistry.address}, replicated jobs ${d.LoomReplicatedMarket.address}`,
      `TestUSDC    ${d.TestUSDC.address}`,
    ],
  };
}

async function attachedChain(): Promise<Chain> {
  let target: AttachTarget;
  try {
    target = await checkAttachTarget({
      rpcUrl: env.LOOM_RPC_URL!,
      chainId: env.LOOM_CHAIN_ID,
      market: env.LOOM_MARKET_ADDRESS,
      replicated: env.LOOM_REPLICATED_MARKET_ADDRESS,
      startBlock: env.LOOM_START_BLOCK,
    });
  } catch (err) {
    if (err instanceof AttachError) fail(err.message);
    throw err;
  }
  // Found, not given: pass it on so that Ponder and a restart agree on it.
  env.LOOM_START_BLOCK = String(target.startBlock);
  // The registry the market names: Ponder indexes it beside the markets.
  env.LOOM_REGISTRY_ADDRESS = target.registry;
  const dir = join(dataDir, `chain-${target.chainId}-${target.market.slice(2, 10).toLowerCase()}`);
  mkdirSync(dir, { recursive: true });
  return {
    rpcUrl: target.rpcUrl,
    wsUrl: env.LOOM_WS_URL,
    chainId: target.chainId,
    market: target.market,
    registry: target.registry,
    replicated: target.replicated,
    usdc: env.LOOM_USDC_ADDRESS || undefined,
    dir,
    summary: [
      `chain       ${target.rpcUrl} (chain id ${target.chainId}, attached: nothing deployed)`,
      `LoomMarket  ${target.market} (indexed from block ${target.startBlock}${target.startBlockFound ? ', where the registry\'s code appeared' : ''})`,
      `  registry  ${target.registry}, replicated jobs ${target.replicated}`,
    ],
  };
}

/** Polls Ponder's /ready; Ponder is tracked before this so that a Ctrl-C meanwhile stops it too. */
async function waitReady(p: Ponder, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (p.process.exitCode !== null) throw new Error(`the indexer exited (code ${p.process.exitCode}) before it was ready; see its log`);
    try {
      if ((await fetch(`${p.url}/ready`)).ok) return;
    } catch {}
    if (Date.now() > deadline) throw new Error(`the indexer was not ready within ${timeoutMs / 1000} s; see its log`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Resolves once `url` answers HTTP at all (the server listens); fails if `child` exits first. */
async function waitAnswering(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${url} exited (code ${child.exitCode}) before it answered; see its log`);
    try {
      await fetch(url, { redirect: 'manual' });
      return;
    } catch {}
    if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs / 1000} s; see its log`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

try {
  const ports: [string, number][] = [['API_PORT', apiPort], ['UI_PORT', uiPort]];
  if (!attachMode) ports.unshift(['ANVIL_PORT', anvilPort]);
  if (runGateway) ports.push(['GATEWAY_PORT', gatewayPort]);
  for (const [name, p] of ports) if (!(await portFree(p))) fail(`port ${p} (${name}) is in use: stop what listens there, or set ${name}`);

  const chain = attachMode ? await attachedChain() : await localChain();
  console.log(`chain ready; starting the indexer (first start builds and indexes, a few seconds)...`);
  const logFile = join(chain.dir, 'ponder.log');
  // The local chain is polled fast (when not followed over its WebSocket); a public one at Ponder's usual pace.
  const pollingMs = Number(env.LOOM_POLLING_MS ?? (attachMode ? 1000 : 100));
  ponder = startPonder({
    rpcUrl: chain.rpcUrl,
    deploymentFile: chain.deploymentFile ?? join(root, deploymentPath(chain.chainId)),
    databaseUrl: env.DATABASE_URL,
    pgliteDir: join(chain.dir, 'pglite'),
    schema: indexerBuildSchema(`${chain.chainId}:${chain.market.toLowerCase()}`),
    port: apiPort,
    logFile,
    pollingMs,
    env: { LOOM_WS_URL: chain.wsUrl ?? '' },
    waitReady: false,
  });
  const indexer = await ponder;
  indexer.process.on('exit', (code) => {
    if (!stopping) {
      console.error(`the indexer exited unexpectedly (code ${code}); see ${relative(root, logFile)}`);
      void stop(1);
    }
  });
  await waitReady(indexer, 300_000);
  // Ready means the backfill is done, which leaves out the newest blocks Ponder holds unfinalized
  // (30 on anvil): "up" waits until the chain's head at this moment is indexed too. Following the
  // local chain's new heads, the indexer fetches them only on a new block: empty ones bring them in.
  const head = indexer.waitForBlock(await createPublicClient({ transport: http(chain.rpcUrl) }).getBlockNumber(), 300_000);
  await (!attachMode && chain.wsUrl ? mineWhile(chain.rpcUrl, head) : head);

  if (!existsSync(join(root, 'ui', 'build', 'index.js'))) {
    console.log('building the web UI (first start only)...');
    const build = spawnSync('npm', ['run', 'ui:build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
    if (build.status !== 0) throw new Error('the web UI did not build (npm run ui:build)');
  }
  const ui = startChild('ui', chain.dir, [join(root, 'ui', 'build')], {
    ...env,
    PORT: String(uiPort),
    HOST: '127.0.0.1',
    PUBLIC_API_URL: indexer.url,
    PUBLIC_RPC_URL: chain.rpcUrl,
    PUBLIC_CHAIN_ID: String(chain.chainId),
    PUBLIC_MARKET_ADDRESS: chain.market,
    PUBLIC_REGISTRY_ADDRESS: chain.registry,
    PUBLIC_REPLICATED_MARKET_ADDRESS: chain.replicated ?? '',
    PUBLIC_USDC_ADDRESS: chain.usdc ?? '',
  });

  await waitAnswering(`http://127.0.0.1:${uiPort}/`, ui, 60_000);

  let demoLine: string | undefined;
  if (demo && chain.deploymentFile) {
    console.log('demo data (seeded once per chain)...');
    const deployment = readDeployment(chain.deploymentFile, root);
    if (!deployment) throw new Error(`no deployment record at ${chain.deploymentFile}`);
    const seeded = await seedDemo({ rpcUrl: chain.rpcUrl, deployment, apiUrl: indexer.url });
    await indexer.waitForBlock(seeded.head, 120_000);
    demoLine = seeded.seeded
      ? `${seeded.jobs.length} jobs in every state (clients: accounts 1 and 2; demo workers: 6 and 7)`
      : 'already seeded on this chain';
  }

  const workers: string[] = [];
  const sandbox = bubblewrapAvailable();
  const workerEnv = (i: number): NodeJS.ProcessEnv => {
    const e: NodeJS.ProcessEnv = {
      ...env,
      LOOM_API_URL: indexer.url,
      LOOM_RPC_URL: chain.rpcUrl,
      LOOM_WORKER_DATA_DIR: join(chain.dir, `worker-${i + 1}`),
      LOOM_METRICS_PORT: metricsPort === null ? 'off' : String(metricsPort + i),
    };
    if (chain.deploymentFile) e.LOOM_DEPLOYMENT_FILE = chain.deploymentFile;
    else {
      e.LOOM_MARKET_ADDRESS = chain.market;
      if (chain.replicated) e.LOOM_REPLICATED_MARKET_ADDRESS = chain.replicated;
    }
    return e;
  };
  const metricsNote = (i: number) => (metricsPort === null ? '' : `metrics :${metricsPort + i}, `);
  let workersNote: string;
  if (attachMode) {
    const keyGiven = Boolean(workerSecrets.LOOM_WORKER_KEY || env.LOOM_KEYSTORE);
    if (keyGiven && sandbox) {
      startChild('worker-1', chain.dir, ['--import', 'tsx', 'worker/cli.ts', 'start'], { ...workerEnv(0), ...workerSecrets });
      workers.push(`worker-1 with the given key (${metricsNote(0)}logs ${relative(root, join(chain.dir, 'worker-1.log'))})`);
    }
    workersNote = keyGiven ? 'none: bubblewrap is missing (apt-get install bubblewrap)' : 'none (attached: set LOOM_WORKER_KEY or LOOM_KEYSTORE to run one)';
  } else {
    for (let i = 0; sandbox && i < localWorkers; i++) {
      const account = mnemonicToAccount(ANVIL_MNEMONIC, { addressIndex: FIRST_WORKER_ACCOUNT + i });
      const e = workerEnv(i);
      // The local chain's workers sign with anvil's keys, never with a key meant for another chain.
      delete e.LOOM_KEYSTORE;
      delete e.LOOM_MARKET_ADDRESS;
      startChild(`worker-${i + 1}`, chain.dir, ['--import', 'tsx', 'worker/cli.ts', 'start'], {
        ...e,
        LOOM_WORKER_KEY: toHex(account.getHdKey().privateKey!),
        LOOM_ALLOWED_TOKENS: `eth,${chain.usdc}`,
      });
      workers.push(`${account.address} (${metricsNote(i)}logs .data/worker-${i + 1}.log)`);
    }
    workersNote = sandbox
      ? 'none (LOOM_LOCAL_WORKERS=0)'
      : 'none: bubblewrap is missing (apt-get install bubblewrap), and jobs never run unsandboxed by default';
  }

  let gatewayLine = 'none (attached: set LOOM_GATEWAY_KEY to run one)';
  if (runGateway) {
    const key = attachMode ? gatewayKey! : toHex(mnemonicToAccount(ANVIL_MNEMONIC, { addressIndex: GATEWAY_ACCOUNT }).getHdKey().privateKey!);
    const gatewayEnv: NodeJS.ProcessEnv = { ...env, LOOM_RPC_URL: chain.rpcUrl, GATEWAY_PORT: String(gatewayPort), LOOM_GATEWAY_KEY: key };
    if (chain.deploymentFile) gatewayEnv.LOOM_DEPLOYMENT_FILE = chain.deploymentFile;
    else gatewayEnv.LOOM_MARKET_ADDRESS = chain.market;
    if (chain.usdc && !gatewayEnv.LOOM_GATEWAY_TOKEN) gatewayEnv.LOOM_GATEWAY_TOKEN = chain.usdc;
    const gateway = startChild('gateway', chain.dir, ['--import', 'tsx', 'gateway/cli.ts'], gatewayEnv);
    await waitAnswering(`http://127.0.0.1:${gatewayPort}/health`, gateway, 60_000);
    gatewayLine = `http://127.0.0.1:${gatewayPort}/x402/jobs (x402: loom job post --pay x402; logs ${relative(root, join(chain.dir, 'gateway.log'))})`;
  }

  const dataNote = relative(root, chain.dir);
  console.log(`
Loom is up.
  web UI      http://127.0.0.1:${uiPort}
  GraphQL     ${indexer.url}/graphql (GraphiQL in a browser; subscriptions over SSE)
  x402        ${gatewayLine}
  ${chain.summary.join('\n  ')}
  new blocks  ${chain.wsUrl ? `new heads over ${chain.wsUrl}` : `polled every ${pollingMs} ms (set LOOM_WS_URL to follow new heads)`}
  database    ${env.DATABASE_URL ? 'PostgreSQL (DATABASE_URL)' : `PGlite in ${dataNote}/pglite`}, schema ${indexer.schema}
  workers     ${workers.length ? workers.join('\n              ') : workersNote}${demoLine ? `\n  demo        ${demoLine}` : ''}
  logs        ${dataNote}/*.log
Ctrl-C stops everything.`);
} catch (err) {
  if (!stopping) {
    console.error(`start failed: ${err instanceof Error ? err.message : err}`);
    await stop(1);
  }
}
