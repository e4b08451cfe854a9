/**
 * A local chain for tests: anvil (scripts/lib/anvil.ts) with the contracts deployed
 * (scripts/deploy.ts), one viem client for reads and anvil's test RPCs, and a wallet for every
 * account of the mnemonic. Registered with the reaper: anvil and the deployment record go at teardown.
 * `startBareChain` is anvil alone, for tests of what happens before (or without) a deployment.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  type Address,
  type PublicClient,
  type TransactionReceipt,
  createTestClient,
  createWalletClient,
  http,
  publicActions,
} from 'viem';
import { foundry } from 'viem/chains';
import { abiOf, contractFor } from '../sdk/contracts';
import { deploy } from '../scripts/deploy';
import { contractsOf, type Deployment } from '../sdk/chain/deploymentRecord';
import { type Anvil, type AnvilOptions, startAnvil } from '../scripts/lib/anvil';
import { type MarketWriter, createMarketWriter } from '../sdk/writes';
import { accountOf, addressOf } from './accounts';
import { type PostJob, type PostedJob, type JobParamsInput, hardwareClaim, jobParams, postJob } from './jobs';
import { register, registerProcess, starting } from './reaper';
import { root, runId } from './root';

export type ChainOptions = {
  /** Names the deployment record (`.cache/deployments/<name>-<run>.json`). */
  name: string;
  anvil?: AnvilOptions;
  /** This suite's defaults for jobParams and post. */
  jobDefaults?: JobParamsInput;
};

export type Chain = Awaited<ReturnType<typeof startChain>>;
export type BareChain = Awaited<ReturnType<typeof startBareChain>>;

/** Starts anvil and deploys the contracts. */
export async function startChain(opts: ChainOptions) {
  return deployChain(await startBareChain(opts.anvil), opts);
}

/** Starts anvil alone (no contracts), with a client for it; `stop()` ends it (state saved with `stateFile`). */
export function startBareChain(opts: AnvilOptions = {}) {
  return starting(async () => {
    const anvil: Anvil = await startAnvil(opts);
    const stop = registerProcess('anvil', anvil.process, { group: opts.detached });
    return { anvil, ...anvilClient(anvil.rpcUrl), stop };
  });
}

/** Deploys the contracts on `bare` (started by startBareChain) and returns the whole chain. */
export function deployChain(bare: BareChain, opts: Omit<ChainOptions, 'anvil'>) {
  return starting(async () => {
    const deploymentFile = `.cache/deployments/${opts.name}-${runId()}.json`;
    register({ name: 'deployment record', stop: () => rmSync(join(root, deploymentFile), { force: true }) });
    const deployment: Deployment = await deploy(bare.rpcUrl, { quiet: true, file: deploymentFile });
    return { ...connectChain(bare.anvil, deployment, deploymentFile, opts.jobDefaults), stop: bare.stop };
  });
}

/**
 * A viem client for the anvil at `rpcUrl` (reads, and anvil's test RPCs: mine, increaseTime,
 * snapshot, revert, setBalance), and `rpc` for any other JSON-RPC method.
 */
export function anvilClient(rpcUrl: string) {
  const pub = createTestClient({ mode: 'anvil', chain: foundry, transport: http(rpcUrl), pollingInterval: 20, cacheTime: 0 }).extend(publicActions);
  /** Any JSON-RPC method, through viem (anvil_reorg, evm_snapshot, eth_getTransactionCount, ...). */
  const rpc = <T = unknown>(method: string, params: unknown[] = []) => pub.request({ method: method as never, params: params as never }) as Promise<T>;
  return { rpcUrl, pub, rpc };
}

/** Clients, wallets and helpers for the chain behind `anvil` where `deployment` is live. */
export function connectChain(anvil: Anvil, deployment: Deployment, deploymentFile: string, jobDefaults: JobParamsInput = {}) {
  const { rpcUrl, pub, rpc } = anvilClient(anvil.rpcUrl);
  const transport = http(rpcUrl);
  const wallet = (i: number) => createWalletClient({ account: accountOf(i), chain: foundry, transport });
  type Wallet = ReturnType<typeof wallet>;
  const contracts = contractsOf(deployment);
  const market: Address = contracts.market;
  const usdc: Address = deployment.TestUSDC.address;

  /** Sends a call to the contract set from account `i` (or a wallet), to the contract that has it; throws on revert. */
  const send = async (from: number | Wallet, functionName: string, args: readonly unknown[] = [], value?: bigint): Promise<TransactionReceipt> => {
    const w = typeof from === 'number' ? wallet(from) : from;
    const to = contractFor(functionName);
    const hash = await w.writeContract({ address: contracts[to], abi: abiOf[to], functionName, args, value } as never);
    const receipt = await pub.waitForTransactionReceipt({ hash, pollingInterval: 10 });
    if (receipt.status !== 'success') throw new Error(`${functionName} reverted (${hash})`);
    return receipt;
  };
  const now = async () => Number((await pub.getBlock({ blockTag: 'latest' })).timestamp);
  /** Moves the chain's clock on by `seconds` and mines a block at the new time. */
  const warp = async (seconds: number) => {
    await pub.increaseTime({ seconds });
    await pub.mine({ blocks: 1 });
  };
  /** Replaces the newest `depth` blocks with empty ones (anvil_reorg). */
  const reorg = (depth: number) => rpc('anvil_reorg', [depth, []]);

  const writers = new Map<number, MarketWriter>();
  const chain = {
    anvil,
    rpcUrl,
    deployment,
    /** The deployment record, relative to the repository root. */
    deploymentFile,
    deploymentPath: join(root, deploymentFile),
    pub,
    /** The same client typed as a plain PublicClient, for code that takes one (the SDK). */
    publicClient: pub as unknown as PublicClient,
    wallet,
    address: (i: number): Address => addressOf(i),
    /**
     * The SDK's writer for account `i`: one per account, as a program holds it, so that its sends
     * are serialized (a second writer of the same account, sending at once, would race its nonces).
     */
    writer: (i: number) => {
      let w = writers.get(i);
      if (!w) writers.set(i, (w = createMarketWriter({ publicClient: pub as unknown as PublicClient, walletClient: wallet(i), contracts, pollingIntervalMs: 20 })));
      return w;
    },
    contracts,
    market,
    registry: contracts.registry,
    replicated: contracts.replicated!,
    usdc,
    send,
    rpc,
    now,
    warp,
    reorg,
    salt: 0n,
    jobDefaults,
    /** Job parameters from the chain's clock, with `overrides`. */
    jobParams: (overrides: JobParamsInput = {}) => jobParams(chain, overrides),
    /** Posts a job (see testkit/jobs.ts). */
    post: (p: PostJob): Promise<PostedJob> => postJob(chain, p),
    claim: (model?: string) => hardwareClaim({ model }),
  };
  return chain;
}
