/**
 * A whole market for the daemon's tests: anvil with the contracts, Ponder serving the API, an
 * artifact store over HTTP, and the clients' wallets to post, accept, release and reclaim jobs.
 *
 * The artifact store runs as its own small server (artifactRoutes over @hono/node-server) until
 * api/createApi.ts mounts it inside Ponder's API; the daemon takes its URL as LOOM_ARTIFACT_URL.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import {
  type Address,
  type Hex,
  type TransactionReceipt,
  createPublicClient,
  createWalletClient,
  http,
  keccak256,
  parseEventLogs,
  toHex,
  zeroHash,
} from 'viem';
import { mnemonicToAccount } from 'viem/accounts';
import { foundry } from 'viem/chains';
import { loomMarketAbi, testUsdcAbi } from '../../../abis/generated';
import { artifactRoutes } from '../../../api/artifacts/artifactRoutes';
import { LocalArtifactStore } from '../../../api/artifacts/localArtifactStore';
import { deploy } from '../../../scripts/deploy';
import { type Deployment } from '../../../sdk/chain/deploymentRecord';
import { type Anvil, freePort, startAnvil } from '../../../scripts/lib/anvil';
import { type Ponder, startPonder } from '../../../indexer/run/ponderProcess';
import type { JobTerms } from '../../../sdk/jobTerms';

export const root = fileURLToPath(new URL('../../..', import.meta.url));
export const MNEMONIC = 'test test test test test test test test test test test junk';
export const ETH: Address = '0x0000000000000000000000000000000000000000';

/** The key of account `i` of the anvil mnemonic (what a worker would hold in LOOM_WORKER_KEY). */
export function keyOf(i: number): Hex {
  return toHex(mnemonicToAccount(MNEMONIC, { addressIndex: i }).getHdKey().privateKey!);
}

export type PostedJob = { id: Hex; terms: JobTerms; receipt: TransactionReceipt };

export type TestMarket = Awaited<ReturnType<typeof startMarket>>;

/** Starts the chain, the contracts, Ponder and the artifact store for one test file. */
export async function startMarket(name: string) {
  const runId = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  const workDir = join(root, '.cache', `worker-${name}-test`, runId);
  mkdirSync(workDir, { recursive: true, mode: 0o755 });
  const deploymentFile = `.cache/deployments/worker-${name}-${runId}.json`;
  const anvil: Anvil = await startAnvil();
  const deployment: Deployment = await deploy(anvil.rpcUrl, { quiet: true, file: deploymentFile });
  const ponderOptions = { rpcUrl: anvil.rpcUrl, deploymentFile, schema: `worker_${name}`, pgliteDir: join(workDir, 'pglite') };
  let ponder: Ponder = await startPonder(ponderOptions);
  const ponderLogs: string[] = [];

  const store = new LocalArtifactStore({ dir: join(workDir, 'artifacts') });
  const app = new Hono();
  // One worker on loopback uploads every result: generous limits (the benchmark posts 5 jobs a second).
  app.route('/artifacts', artifactRoutes(store, { puts: { max: 100_000, windowMs: 60_000 }, gets: { max: 100_000, windowMs: 60_000 } }));
  const artifactPort = await freePort();
  const artifactServer = serve({ fetch: app.fetch, port: artifactPort, hostname: '127.0.0.1' });
  const artifactUrl = `http://127.0.0.1:${artifactPort}`;

  const transport = http(anvil.rpcUrl);
  const pub = createPublicClient({ chain: foundry, transport, pollingInterval: 20, cacheTime: 0 });
  const wallet = (i: number) => createWalletClient({ account: mnemonicToAccount(MNEMONIC, { addressIndex: i }), chain: foundry, transport });
  const market = deployment.LoomMarket.address;

  const send = async (i: number, functionName: string, args: readonly unknown[] = [], value?: bigint): Promise<TransactionReceipt> => {
    const hash = await wallet(i).writeContract({ address: market, abi: loomMarketAbi, functionName, args, value } as never);
    const receipt = await pub.waitForTransactionReceipt({ hash, pollingInterval: 10 });
    if (receipt.status !== 'success') throw new Error(`${functionName} reverted (${hash})`);
    return receipt;
  };
  const rpc = (method: string, params: unknown[] = []) => pub.request({ method: method as never, params: params as never });
  const now = async () => Number((await pub.getBlock({ blockTag: 'latest' })).timestamp);
  const warp = async (seconds: number) => {
    await rpc('evm_increaseTime', [toHex(seconds)]);
    await rpc('evm_mine');
  };

  let salt = 0n;
  /** Posts a job from client `client` (default account 1); the spec is a value (JSON-encoded) or raw text. */
  const post = async (p: {
    spec: unknown;
    client?: number;
    token?: Address;
    budget: bigint;
    collateral?: bigint;
    mode?: 0 | 1;
    openFor?: number;
    executionTimeout?: number;
    challengeWindow?: number;
  }): Promise<PostedJob> => {
    const token = p.token ?? ETH;
    const specHex = typeof p.spec === 'string' ? toHex(p.spec) : toHex(JSON.stringify(p.spec));
    const params = {
      token,
      arbiter: ETH,
      budget: p.budget,
      collateral: p.collateral ?? 0n,
      mode: p.mode ?? 0,
      openUntil: (await now()) + (p.openFor ?? 3600),
      executionTimeout: p.executionTimeout ?? 120,
      challengeWindow: p.challengeWindow ?? 3600,
      minGpuCount: 0,
      minVramMiB: 0,
      gpuModel: zeroHash,
      salt: ++salt,
    };
    const receipt = await send(p.client ?? 1, 'postJob', [params, specHex], token === ETH ? p.budget : undefined);
    const [posted] = parseEventLogs({ abi: loomMarketAbi, logs: receipt.logs, eventName: 'JobPosted' });
    const terms = posted!.args.terms as JobTerms;
    if (terms.specHash !== keccak256(specHex)) throw new Error('specHash mismatch');
    return { id: posted!.args.jobId, terms, receipt };
  };

  const approveUsdc = async (i: number) => {
    const hash = await wallet(i).writeContract({ address: deployment.TestUSDC.address, abi: testUsdcAbi, functionName: 'approve', args: [market, 2n ** 256n - 1n] });
    await pub.waitForTransactionReceipt({ hash, pollingInterval: 10 });
  };

  /** Stops Ponder (the API goes away); the returned function starts it again on the same port and database. */
  const stopPonder = async (): Promise<() => Promise<void>> => {
    const port = ponder.port;
    await ponder.stop();
    ponderLogs.push(ponder.logs());
    return async () => {
      ponder = await startPonder({ ...ponderOptions, port });
    };
  };

  /** POSTs a GraphQL query to the API. */
  // biome-ignore lint: test responses are read field by field.
  const gql = async (query: string, variables: Record<string, unknown> = {}): Promise<any> => {
    const res = await fetch(`${ponder.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
    const body = (await res.json()) as { data?: unknown; errors?: unknown[] };
    if (body.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(body.errors)}`);
    return body.data;
  };

  /** The job as the API sees it. */
  const job = async (id: Hex) =>
    (await gql(`query($id: ID!) { job(id: $id) { id status closeReason worker price resultHash resultURI workerPayout fee clientRefund slashed executionDeadline challengeDeadline } }`, { id })).job;

  /** The events of a job (names), from the API. */
  const events = async (id: Hex): Promise<string[]> =>
    (await gql(`query($id: ID!) { jobEvents(filter: { jobId: $id }, first: 100) { edges { node { name } } } }`, { id })).jobEvents.edges.map(
      (e: { node: { name: string } }) => e.node.name,
    );

  /** Waits until the indexer has the chain's head. */
  const synced = async () => ponder.waitForBlock(await pub.getBlockNumber({ cacheTime: 0 }));

  /** ETH gas paid by `address` in blocks [from, to]. */
  const gasPaid = async (address: Address, from: bigint, to: bigint): Promise<bigint> => {
    let total = 0n;
    for (let b = from; b <= to; b++) {
      const block = await pub.getBlock({ blockNumber: b, includeTransactions: true });
      for (const tx of block.transactions) {
        if (tx.from.toLowerCase() !== address.toLowerCase()) continue;
        const r = await pub.getTransactionReceipt({ hash: tx.hash });
        total += r.gasUsed * r.effectiveGasPrice;
      }
    }
    return total;
  };

  /** Transactions sent by `address` in blocks [from, to], as function names. */
  const txsOf = async (address: Address, from: bigint, to: bigint): Promise<{ hash: Hex; input: Hex }[]> => {
    const txs: { hash: Hex; input: Hex }[] = [];
    for (let b = from; b <= to; b++) {
      const block = await pub.getBlock({ blockNumber: b, includeTransactions: true });
      for (const tx of block.transactions) if (tx.from.toLowerCase() === address.toLowerCase()) txs.push({ hash: tx.hash, input: tx.input });
    }
    return txs;
  };

  /** Stops everything; `logs` (name -> text) are kept with Ponder's in .cache/worker-<name>-test/last-logs. */
  const stop = async (logs: Record<string, string> = {}) => {
    await new Promise<void>((resolve) => artifactServer.close(() => resolve()));
    const logDir = join(root, '.cache', `worker-${name}-test`, 'last-logs');
    rmSync(logDir, { recursive: true, force: true });
    mkdirSync(logDir, { recursive: true });
    writeFileSync(join(logDir, 'ponder.log'), [...ponderLogs, ponder.logs()].join('\n---- restarted ----\n'));
    for (const [file, text] of Object.entries(logs)) writeFileSync(join(logDir, file), text);
    await ponder.stop();
    await anvil.stop();
    rmSync(workDir, { recursive: true, force: true });
    rmSync(join(root, deploymentFile), { force: true });
  };

  return {
    anvil,
    deployment,
    deploymentFile,
    get ponder() {
      return ponder;
    },
    stopPonder,
    store,
    artifactUrl,
    workDir,
    pub,
    wallet,
    market,
    usdc: deployment.TestUSDC.address,
    send,
    rpc,
    now,
    warp,
    post,
    approveUsdc,
    gql,
    job,
    events,
    synced,
    gasPaid,
    txsOf,
    stop,
  };
}

/**
 * Runs one setup step under its own time limit, below the hook's: a setup that hangs then fails
 * naming the step, with `diagnostics()` (the last log lines), rather than as a bare hook timeout.
 */
export async function step<T>(label: string, limitMs: number, run: () => Promise<T>, diagnostics: () => string = () => ''): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${label}: not done after ${limitMs / 1000} s\n${diagnostics()}`)), limitMs);
  });
  try {
    return await Promise.race([run(), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

/** Polls `check` until it returns a value other than undefined/false. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 30_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined && v !== false) return v as T;
      last = undefined;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** A v1 spec running `script` with small resources. */
export function scriptSpec(script: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { version: 1, script, resources: { memoryMiB: 256, timeoutSeconds: 30, outputMiB: 16 }, ...extra };
}
