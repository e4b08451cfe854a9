/**
 * The whole test stack in one call: the chain with the contracts, and on request the indexer
 * serving the API, the artifact store, the built UI and worker daemons. Everything is registered
 * with the reaper; `stop()` ends it all (the reaper does at the file's teardown anyway).
 *
 * @example
 * const stack = await startStack({ name: 'daemon', indexer: true, artifacts: true, workers: 1 });
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type Address, type Hex, decodeFunctionData } from 'viem';
import { loomMarketAbi, testUsdcAbi } from '../abis/generated';
import { freePort } from '../indexer/run/freePort';
import { type ArtifactServer, startArtifactServer } from './artifacts';
import { ROLES, keyOf } from './accounts';
import { type ChainOptions, startChain } from './chain';
import { type Indexer, type IndexerOptions, gql, startIndexer } from './indexer';
import { reap, registerProcess, starting } from './reaper';
import { root } from './root';
import { tempDir } from './tempDir';
import { waitFor } from './waitFor';
import { type WorkerProcess, startWorker } from './workers';

export type StackOptions = ChainOptions & {
  /** Ponder serving the API (schema defaults to the stack's name). */
  indexer?: boolean | Partial<IndexerOptions>;
  /** The artifact store as its own server (`cors` for a browser). */
  artifacts?: boolean | { cors?: boolean };
  /** The built UI (`node ui/build`), on `port` or a free one. */
  ui?: boolean | { port?: number };
  /** How many worker daemons to start, from the mnemonic's worker accounts. */
  workers?: number;
};

export type Stack = Awaited<ReturnType<typeof startStack>>;

export function startStack(opts: StackOptions) {
  return starting(async () => {
    const chain = await startChain(opts);
    const workDir = tempDir(opts.name);
    const indexerOptions = opts.indexer ? { schema: opts.name.replace(/\W/g, '_'), ...(opts.indexer === true ? {} : opts.indexer) } : undefined;
    let ponder: Indexer | undefined = indexerOptions ? await startIndexer(chain, indexerOptions) : undefined;
    const artifacts: ArtifactServer | undefined = opts.artifacts
      ? await startArtifactServer({
          cors: opts.artifacts !== true && opts.artifacts.cors,
          chain: { chainId: chain.deployment.chainId, market: chain.market, registry: chain.registry, publicClient: chain.publicClient },
        })
      : undefined;
    const api = () => {
      if (!ponder) throw new Error('this stack has no indexer: startStack({ indexer: true })');
      return ponder;
    };

    const uiUrl = opts.ui ? await startUi(chain, api(), artifacts, opts.ui === true ? {} : opts.ui) : undefined;

    const workers: WorkerProcess[] = [];
    const target = () => ({ apiUrl: api().url, rpcUrl: chain.rpcUrl, deploymentPath: chain.deploymentPath, artifactUrl: artifacts?.url, usdc: chain.usdc });
    /** Starts worker daemon `index` (an account of the mnemonic). */
    const addWorker = async (index: number, env: Record<string, string | undefined> = {}, command?: string[]) => {
      const w = await startWorker(target(), index, { env, command });
      workers.push(w);
      return w;
    };
    for (const index of ROLES.workers.slice(0, opts.workers ?? 0)) await addWorker(index);

    /** Stops the indexer (the API goes away); the returned function starts it again on the same port and data. */
    const stopPonder = async (): Promise<() => Promise<void>> => {
      const stopped = api();
      await stopped.stop();
      return async () => {
        ponder = await startIndexer(chain, stopped.options);
      };
    };
    /** POSTs a GraphQL query to the API; throws on GraphQL errors. */
    const query = (q: string, variables: Record<string, unknown> = {}) => gql(api(), q, variables);
    /** The job as the API sees it. */
    const job = async (id: Hex) =>
      (await query(`query($id: ID!) { job(id: $id) { id status closeReason worker price resultHash resultURI workerPayout fee clientRefund slashed executionDeadline challengeDeadline } }`, { id })).job;
    /** Waits until the API shows the job in `status`; resolves with the job then. */
    const jobIn = (id: Hex, status: string, timeoutMs = 90_000) =>
      waitFor(
        `job ${id} ${status}`,
        async () => {
          const j = await job(id);
          return j?.status === status && j;
        },
        timeoutMs,
      );
    /** The events of a job (names), from the API. */
    const events = async (id: Hex): Promise<string[]> =>
      (await query(`query($id: ID!) { jobEvents(filter: { jobId: $id }, first: 100) { edges { node { name } } } }`, { id })).jobEvents.edges.map(
        (e: { node: { name: string } }) => e.node.name,
      );
    /** Waits until the indexer has the chain's head. */
    const synced = async () => api().waitForBlock(await chain.pub.getBlockNumber({ cacheTime: 0 }));
    /** Lets the market take account `i`'s tUSDC. */
    const approveUsdc = async (i: number) => {
      const hash = await chain.wallet(i).writeContract({ address: chain.usdc, abi: testUsdcAbi, functionName: 'approve', args: [chain.market, 2n ** 256n - 1n] });
      await chain.pub.waitForTransactionReceipt({ hash, pollingInterval: 10 });
    };
    /** Transactions sent by `address` in blocks [from, to]. */
    const txsOf = async (address: Address, from: bigint, to: bigint): Promise<{ hash: Hex; input: Hex }[]> => {
      const txs: { hash: Hex; input: Hex }[] = [];
      for (let b = from; b <= to; b++) {
        const block = await chain.pub.getBlock({ blockNumber: b, includeTransactions: true });
        for (const tx of block.transactions) if (tx.from.toLowerCase() === address.toLowerCase()) txs.push({ hash: tx.hash, input: tx.input });
      }
      return txs;
    };
    /**
     * The calls `address` sent from block `from` to the head that concern the job whose spec hash is
     * `specHash` (a market call whose first argument is its terms), by function name; a transaction
     * that is not a market call is listed as "other" (a registry call might concern the job too).
     */
    const callsAboutJob = async (address: string, specHash: Hex, from: bigint): Promise<string[]> => {
      const names: string[] = [];
      for (const t of await txsOf(address as Address, from, await chain.pub.getBlockNumber({ cacheTime: 0 }))) {
        try {
          const call = decodeFunctionData({ abi: loomMarketAbi, data: t.input });
          if ((call.args?.[0] as { specHash?: Hex } | undefined)?.specHash === specHash) names.push(call.functionName);
        } catch {
          names.push('other');
        }
      }
      return names;
    };
    /** The environment the `loom` CLI needs to act as account `client` on this stack. */
    const cliEnv = (client: number) => ({
      LOOM_API_URL: api().url,
      LOOM_RPC_URL: chain.anvil.rpcUrl,
      LOOM_DEPLOYMENT_FILE: chain.deploymentPath,
      LOOM_ARTIFACT_URL: artifacts?.url ?? '',
      LOOM_CLIENT_KEY: keyOf(client),
    });
    /** ETH gas paid by `address` in blocks [from, to]. */
    const gasPaid = async (address: Address, from: bigint, to: bigint): Promise<bigint> => {
      let total = 0n;
      for (const tx of await txsOf(address, from, to)) {
        const r = await chain.pub.getTransactionReceipt({ hash: tx.hash });
        total += r.gasUsed * r.effectiveGasPrice;
      }
      return total;
    };

    return {
      ...chain,
      workDir,
      /** The indexer serving the API (a new one after a restart). */
      get ponder() {
        return api();
      },
      stopPonder,
      store: artifacts?.store,
      artifactUrl: artifacts?.url ?? '',
      uiUrl: uiUrl ?? '',
      workers,
      startWorker: addWorker,
      gql: query,
      job,
      jobIn,
      events,
      synced,
      approveUsdc,
      txsOf,
      callsAboutJob,
      cliEnv,
      gasPaid,
      /** Stops everything the harness started. */
      stop: () => reap(),
    };
  });
}

/** The built UI, as operators run it; resolves once it serves. */
async function startUi(
  chain: { rpcUrl: string; deploymentPath: string; deployment: { chainId: number } },
  api: Indexer,
  artifacts: ArtifactServer | undefined,
  opts: { port?: number },
): Promise<string> {
  if (!existsSync(join(root, 'ui', 'build', 'index.js'))) throw new Error('ui/build is missing: run `npm run build -w ui` first');
  const port = opts.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [join(root, 'ui', 'build')], {
    cwd: root,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      PORT: String(port),
      HOST: '127.0.0.1',
      ORIGIN: url,
      PUBLIC_API_URL: api.url,
      PUBLIC_RPC_URL: chain.rpcUrl,
      PUBLIC_CHAIN_ID: String(chain.deployment.chainId),
      PUBLIC_ARTIFACT_URL: artifacts?.url ?? '',
      LOOM_DEPLOYMENT_FILE: chain.deploymentPath,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stdout!.on('data', (d: Buffer) => output.push(d.toString()));
  child.stderr!.on('data', (d: Buffer) => output.push(d.toString()));
  registerProcess('ui', child, { logs: () => output.join('') });
  await waitFor('the UI to serve', async () => (await fetch(url)).ok, 30_000, 150);
  return url;
}
