/**
 * Bench histories: real LoomMarket lifecycles on a local anvil, generated fast and kept.
 *
 * bench/contracts/LoomBenchDriver.sol (compiled here with solc-js) is the client of every job and
 * owns registered BenchWorker contracts: one transaction of `run(...)` walks ten jobs through their
 * lifecycles (about 50 LoomMarket events); `step()` emits exactly one event per transaction. Each
 * transaction is mined alone in its block (automine off, `evm_mine` after each), so:
 *   dense   2,100 blocks of ~49 events   (~103,000 events)
 *   sparse  5,000 blocks of 1 event      (5,000 events)
 *   live    no history: the contracts, the driver and its workers, for benchmarks that mine their own
 *
 * Generating the dense history takes minutes, so the chain is saved with anvil's --dump-state in
 * .cache/bench/ (never committed) and reloaded with --load-state, keyed by a hash of the contracts'
 * and the driver's sources and of the history's shape: change any and it is generated again.
 */
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeFunctionData, type Abi, type Address, type Hex } from 'viem';
import { startAnvil, type Anvil } from '../../scripts/lib/anvil.ts';
import { rpc } from '../../scripts/lib/rpc.ts';
import { deploy } from '../../scripts/deploy.ts';
import { type Deployment } from '../../sdk/chain/deploymentRecord';
import { chainIdentity } from '../../indexer/run/genesisGuard.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cacheDir = join(root, '.cache', 'bench');
const DRIVER = 'bench/contracts/LoomBenchDriver.sol';

export type HistoryKind = 'dense' | 'sparse' | 'live';

/** Bumped when what is saved changes. */
const FORMAT = 2;

/** Shapes of the histories; part of the cache key. */
const SHAPES = {
  // Per transaction: 6 claim lifecycles (4 events), 3 auctions (7), 1 open auction with 3 bids (4) = 49.
  dense: { txs: 2_100, claims: 6, auctions: 3, open: 1, eventsPerTx: 49, workers: 30 },
  sparse: { txs: 5_000, workers: 8 },
  live: { txs: 0, workers: 30 },
} as const;

export type History = {
  kind: HistoryKind;
  anvil: Anvil;
  rpcUrl: string;
  deployment: Deployment;
  /** Repository-relative deployment record for ponder.config.ts (LOOM_DEPLOYMENT_FILE). */
  deploymentFile: string;
  market: Address;
  /** The LoomBenchDriver that made the history (owned by anvil's first account): more with `driverAbi`. */
  driver: Address;
  /** The account that owns the driver (unlocked on anvil). */
  owner: Address;
  /** LoomMarket's deployment block: where a replay starts. */
  startBlock: number;
  head: number;
  /** LoomMarket events in [startBlock, head]. */
  events: number;
  /** Blocks in [startBlock, head] holding at least one of them. */
  blocksWithEvents: number;
  /** Whether the history was generated in this run (rather than loaded). */
  generated: boolean;
  stop: () => Promise<void>;
};

type Meta = Omit<History, 'anvil' | 'rpcUrl' | 'stop' | 'generated' | 'kind'>;

const log = (msg: string) => console.error(`  [history] ${msg}`);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.sol') ? [path] : [];
  });
}

/** Every file the driver compiles from: the contracts, the terms helper it shares with the tests, itself. */
function driverSources(): string[] {
  return [...sourceFiles(join(root, 'contracts', 'src')).sort(), join(root, 'contracts/test/utils/JobTermsOf.sol'), join(root, DRIVER)];
}

function hashFiles(files: string[]): ReturnType<typeof createHash> {
  const hash = createHash('sha256');
  for (const file of files) hash.update(file.slice(root.length)).update(readFileSync(file));
  return hash;
}

function cacheKey(kind: HistoryKind): string {
  const hash = hashFiles([...driverSources(), join(root, 'contracts/script/Deploy.s.sol')]);
  hash.update(JSON.stringify(SHAPES[kind])).update(`format ${FORMAT}`);
  return hash.digest('hex').slice(0, 16);
}

type Artifact = { abi: Abi; bytecode: Hex };

/** Compiles the driver with solc-js (a couple of seconds; cached by the hash of every source it imports). */
export function compileDriver(): Artifact {
  const source = readFileSync(join(root, DRIVER), 'utf8');
  const file = join(cacheDir, `driver-${hashFiles(driverSources()).digest('hex').slice(0, 16)}.json`);
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8'));
  const solc = createRequire(import.meta.url)('solc');
  const input = {
    language: 'Solidity',
    sources: { [DRIVER]: { content: source } },
    settings: {
      optimizer: { enabled: true, runs: 200 },
      evmVersion: 'cancun',
      outputSelection: { [DRIVER]: { LoomBenchDriver: ['abi', 'evm.bytecode.object'] } },
    },
  };
  const findImports = (path: string) => {
    try {
      return { contents: readFileSync(resolve(root, path), 'utf8') };
    } catch {
      return { error: `File not found: ${path}` };
    }
  };
  const out = JSON.parse(solc.compile(JSON.stringify(input), { import: findImports }));
  const errors = (out.errors ?? []).filter((e: { severity: string }) => e.severity === 'error');
  if (errors.length) throw new Error(`driver does not compile:\n${errors.map((e: { formattedMessage: string }) => e.formattedMessage).join('\n')}`);
  const c = out.contracts[DRIVER].LoomBenchDriver;
  const artifact: Artifact = { abi: c.abi, bytecode: `0x${c.evm.bytecode.object}` };
  mkdirSync(cacheDir, { recursive: true });
  writeFileSync(file, JSON.stringify(artifact));
  return artifact;
}

/** Counts LoomMarket's logs (and the blocks holding them) over a range, in batches. */
export async function countLogs(
  rpcUrl: string,
  market: Address,
  from: number,
  to: number,
  blocksPerRequest = 500,
): Promise<{ events: number; blocks: number }> {
  let events = 0;
  const blocks = new Set<string>();
  for (let start = from; start <= to; start += blocksPerRequest) {
    const end = Math.min(to, start + blocksPerRequest - 1);
    const logs = await rpc<{ blockNumber: string }[]>(rpcUrl, 'eth_getLogs', [
      { address: market, fromBlock: `0x${start.toString(16)}`, toBlock: `0x${end.toString(16)}` },
    ]);
    events += logs.length;
    for (const l of logs) blocks.add(l.blockNumber);
  }
  return { events, blocks: blocks.size };
}

/** The receipt of a transaction, polled for up to 10 s; null if it never appears. */
async function waitReceipt<R>(rpcUrl: string, hash: Hex): Promise<R | null> {
  for (let tries = 0; tries < 200; tries++) {
    const receipt = await rpc<R | null>(rpcUrl, 'eth_getTransactionReceipt', [hash]);
    if (receipt) return receipt;
    await new Promise((done) => setTimeout(done, 50));
  }
  return null;
}

/** A fresh anvil with the contracts deployed and a LoomBenchDriver owning registered workers. */
export type DriverChain = {
  anvil: Anvil;
  deployment: Deployment;
  market: Address;
  driver: Address;
  owner: Address;
  abi: Abi;
  /** Sends a transaction from the owner to the driver and mines it alone in a block. */
  send: (data: Hex, value: bigint, gas: number) => Promise<Hex>;
  /** Sends one to the pool without mining: the next `evm_mine` takes every transaction sent. */
  submit: (data: Hex, value: bigint, gas: number) => Promise<Hex>;
  /** Throws (with the revert reason, replayed) unless the transaction succeeded. */
  mustSucceed: (hash: Hex, what: string) => Promise<void>;
};

/** The stake of each bench worker. */
const WORKER_STAKE = 10n ** 18n;
/** Workers registered per `addWorkers` transaction (each deploys a BenchWorker). */
const WORKERS_PER_TX = 50;

export async function startDriverChain(opts: { anvilArgs: string[]; deploymentFile: string; workers: number }): Promise<DriverChain> {
  const anvil = await startAnvil({ args: [...opts.anvilArgs, '--balance', '100000000'] });
  try {
    const deployment = await deploy(anvil.rpcUrl, { quiet: true, file: opts.deploymentFile, force: true, feeBps: 100 });
    const market = deployment.LoomMarket.address;
    const [owner] = await rpc<Address[]>(anvil.rpcUrl, 'eth_accounts');
    const { abi, bytecode } = compileDriver();
    const deployTx = await rpc<Hex>(anvil.rpcUrl, 'eth_sendTransaction', [
      { from: owner, data: `${bytecode}${market.slice(2).padStart(64, '0')}`, gas: '0x' + (6_000_000).toString(16) },
    ]);
    // Automine can answer the send before the block is there: wait for the receipt.
    const receipt = await waitReceipt<{ contractAddress: Address; status: string }>(anvil.rpcUrl, deployTx);
    if (receipt?.status !== '0x1') throw new Error(`driver deployment ${receipt ? 'reverted' : 'was never mined'}`);
    const driver = receipt.contractAddress;
    // Automine would return before mining and, when transactions arrive faster than it mines, leave
    // a backlog in the pool: mine explicitly instead (`send`: one transaction a block; `submit`
    // then `evm_mine`: as many as were submitted).
    await rpc(anvil.rpcUrl, 'evm_setAutomine', [false]);
    const submit = (data: Hex, value: bigint, gas: number) =>
      rpc<Hex>(anvil.rpcUrl, 'eth_sendTransaction', [
        { from: owner, to: driver, data, value: `0x${value.toString(16)}`, gas: `0x${gas.toString(16)}` },
      ]);
    const send = async (data: Hex, value: bigint, gas: number) => {
      const hash = await submit(data, value, gas);
      await rpc(anvil.rpcUrl, 'evm_mine');
      return hash;
    };
    const mustSucceed = async (hash: Hex, what: string) => {
      const r = await waitReceipt<{ status: string }>(anvil.rpcUrl, hash);
      if (r?.status !== '0x1') {
        const tx = await rpc<Record<string, string>>(anvil.rpcUrl, 'eth_getTransactionByHash', [hash]);
        const reason = await rpc(anvil.rpcUrl, 'eth_call', [{ from: tx.from, to: tx.to, data: tx.input, value: tx.value, gas: tx.gas }, 'latest']).then(
          () => 'no revert on replay',
          (e: Error) => e.message,
        );
        throw new Error(`${what} failed (${hash}): ${reason}`);
      }
    };
    for (let added = 0; added < opts.workers; added += WORKERS_PER_TX) {
      const n = BigInt(Math.min(WORKERS_PER_TX, opts.workers - added));
      const data = encodeFunctionData({ abi, functionName: 'addWorkers', args: [n, WORKER_STAKE] });
      await mustSucceed(await send(data, WORKER_STAKE * n, 25_000_000), 'addWorkers');
    }
    return { anvil, deployment, market, driver, owner, abi, send, submit, mustSucceed };
  } catch (err) {
    await anvil.stop();
    throw err;
  }
}

/**
 * Starts an anvil holding the history of `kind`: loaded from .cache/bench/ when generated before
 * with the same sources, else generated now (and saved).
 */
export async function loadHistory(kind: HistoryKind, regenerate = true): Promise<History> {
  mkdirSync(cacheDir, { recursive: true });
  const key = cacheKey(kind);
  const stateFile = join(cacheDir, `history-${kind}-${key}.state.json`);
  const metaFile = join(cacheDir, `history-${kind}-${key}.meta.json`);
  const deploymentFile = `.cache/bench/deploy-${kind}-${key}.json`;

  if (existsSync(stateFile) && existsSync(metaFile)) {
    const started = performance.now();
    // ~20 s for the dense history on a quiet machine; more on a busy one.
    const anvil = await startAnvil({ args: ['--load-state', stateFile], readyTimeoutMs: 180_000 });
    const meta = JSON.parse(readFileSync(metaFile, 'utf8')) as Meta;
    const head = Number(await rpc<string>(anvil.rpcUrl, 'eth_blockNumber'));
    // The chain's identity as the deploy script recorded it (block 1: anvil re-creates block 0 on load).
    const { genesisHash } = await chainIdentity(anvil.rpcUrl);
    if (head === meta.head && genesisHash === meta.deployment.genesisHash) {
      log(`${kind}: loaded ${meta.events} events over ${meta.head - meta.startBlock} blocks in ${((performance.now() - started) / 1000).toFixed(1)} s`);
      return { kind, anvil, rpcUrl: anvil.rpcUrl, ...meta, generated: false, stop: anvil.stop };
    }
    await anvil.stop();
    if (!regenerate) throw new Error(`${kind}: the saved chain did not load as saved (head ${head}, expected ${meta.head})`);
    log(`${kind}: saved chain did not load as saved (head ${head}, expected ${meta.head}); generating again`);
  }
  for (const name of readdirSync(cacheDir)) {
    if (name.startsWith(`history-${kind}-`) || name.startsWith(`deploy-${kind}-`)) rmSync(join(cacheDir, name), { force: true });
  }

  const started = performance.now();
  const shape = SHAPES[kind];
  const chain = await startDriverChain({ anvilArgs: ['--dump-state', stateFile], deploymentFile, workers: shape.workers });
  const { anvil, deployment, market, driver, owner: from, abi, send, mustSucceed } = chain;
  try {
    const budget = 1_000_000_000_000n;
    let last: Hex | undefined;
    if (kind === 'dense') {
      const s = SHAPES.dense;
      const data = encodeFunctionData({ abi, functionName: 'run', args: [BigInt(s.claims), BigInt(s.auctions), BigInt(s.open), budget] });
      const value = budget * BigInt(s.claims + s.auctions + s.open);
      for (let i = 0; i < s.txs; i++) {
        last = await send(data, value, 12_000_000);
        if (i === 0) await mustSucceed(last, 'run');
        if (i % 300 === 299) log(`dense: ${i + 1}/${s.txs} transactions (${((performance.now() - started) / 1000).toFixed(0)} s)`);
      }
    } else if (kind === 'sparse') {
      const data = encodeFunctionData({ abi, functionName: 'step', args: [] });
      for (let i = 0; i < SHAPES.sparse.txs; i++) {
        last = await send(data, i % 4 === 0 ? budget : 0n, 1_000_000);
        if (i < 4) await mustSucceed(last, `step ${i}`);
        if (i % 1000 === 999) log(`sparse: ${i + 1}/${SHAPES.sparse.txs} transactions (${((performance.now() - started) / 1000).toFixed(0)} s)`);
      }
    }
    if (last) await mustSucceed(last, 'the last transaction');

    const head = Number(await rpc<string>(anvil.rpcUrl, 'eth_blockNumber'));
    const startBlock = deployment.LoomMarket.startBlock;
    const { events, blocks } = await countLogs(anvil.rpcUrl, market, startBlock, head);
    const generatedTxs = kind === 'dense' ? SHAPES.dense.txs * SHAPES.dense.eventsPerTx : SHAPES[kind].txs;
    if (events < generatedTxs) throw new Error(`${kind}: expected at least ${generatedTxs} events, found ${events} (some transactions reverted?)`);
    const meta: Meta = { deployment, deploymentFile, market, driver, owner: from, startBlock, head, events, blocksWithEvents: blocks };
    writeFileSync(metaFile, `${JSON.stringify(meta, null, 2)}\n`);
    log(`${kind}: generated ${events} events in ${blocks} blocks (head ${head}) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    // anvil writes --dump-state when it exits; restart it from the file so that the saved chain is
    // the one every run measures (and a broken dump shows now, not next run).
    await anvil.stop();
    if (!existsSync(stateFile)) throw new Error(`anvil wrote no ${stateFile}`);
  } catch (err) {
    await anvil.stop();
    rmSync(stateFile, { force: true });
    throw err;
  }
  const loaded = await loadHistory(kind, false);
  return { ...loaded, generated: true };
}
