/**
 * Ponder configuration (indexer/ is Ponder's root; indexer/ponder.config.ts re-exports this file).
 *
 * Four contracts are indexed: LoomRegistry (workers, their stake and pools), LoomMarket (single-worker
 * jobs), LoomReplicatedMarket (jobs replicated on k of n workers) and LoomModels (the model hub). Everything comes from the
 * environment, with local defaults read by contract name from the deploy script's record
 * (deployments/<chainId>.json):
 *   LOOM_CHAIN_ID                    chain id (default 31337, anvil)
 *   LOOM_RPC_URL                     HTTP JSON-RPC (default http://127.0.0.1:8545)
 *   LOOM_WS_URL                      optional WebSocket JSON-RPC, for lower-latency new-block delivery
 *   LOOM_REGISTRY_ADDRESS            LoomRegistry address (default: the record's LoomRegistry.address)
 *   LOOM_MARKET_ADDRESS              LoomMarket address (default: the record's LoomMarket.address)
 *   LOOM_REPLICATED_MARKET_ADDRESS   LoomReplicatedMarket address (default: the record's LoomReplicatedMarket.address)
 *   LOOM_MODELS_ADDRESS              LoomModels address (default: the record's LoomModels.address)
 *   LOOM_START_BLOCK                 first block to index, for all four (default: each contract's
 *                                    startBlock in the record)
 *   LOOM_DEPLOYMENT_FILE             another record to read the defaults from
 *   LOOM_POLLING_MS        new-block polling interval (default 100 on anvil, 1000 elsewhere)
 *   DATABASE_URL           PostgreSQL; without it, PGlite embedded in indexer/.ponder/pglite
 *   LOOM_PGLITE_DIR        another PGlite directory (tests give each run its own)
 *   LOOM_RPC_BUCKETS       rate-limit buckets for a loopback RPC (default 50; 1 = Ponder's own limit), see below
 *
 * Example, Base Sepolia: LOOM_CHAIN_ID=84532 LOOM_RPC_URL=https://sepolia.base.org LOOM_REGISTRY_ADDRESS=0x...
 *   LOOM_MARKET_ADDRESS=0x... LOOM_REPLICATED_MARKET_ADDRESS=0x... LOOM_START_BLOCK=<deploy block> npm run indexer:start
 */
import { fileURLToPath } from 'node:url';
import { createConfig } from 'ponder';
import { loomMarketAbi, loomModelsAbi, loomRegistryAbi, loomReplicatedMarketAbi } from './abis/generated';
import { findDeployment, type Deployment } from './sdk/chain/deploymentRecord';

const LOCAL_CHAIN_ID = 31337;
const chainId = Number(process.env.LOOM_CHAIN_ID ?? LOCAL_CHAIN_ID);
const local = chainId === LOCAL_CHAIN_ID;

function deploymentRecord(): Partial<Deployment> | undefined {
  // LOOM_DEPLOYMENT_FILE from the working directory; the default record beside this file.
  return findDeployment({
    chainId,
    roots: [fileURLToPath(new URL('.', import.meta.url))],
    ...(process.env.LOOM_DEPLOYMENT_FILE ? { file: process.env.LOOM_DEPLOYMENT_FILE, fileFrom: 'LOOM_DEPLOYMENT_FILE' } : {}),
  })?.record;
}

/**
 * Ponder rate-limits every RPC URL on its own (node_modules/ponder/src/rpc/index.ts): each URL is a
 * "bucket" that starts at 20 requests/s and grows by 5% only after ~10 s of sustained use near the
 * limit. A backfill fetches every block that holds a log, so against a local node (which has no limit
 * at all) a sparse history crawls at ~20 blocks/s: 5,000 events in 5,000 blocks take over 4 minutes.
 * Ponder offers no setting for it (`maxRequestsPerSecond` is deprecated and ignored), and a custom
 * viem transport is one bucket like any URL. But every entry of an `rpc` array is its own bucket, so
 * for an RPC on this machine (loopback host) the same URL is listed LOOM_RPC_BUCKETS times: N x 20
 * requests/s from the start (50: 1,000/s). Ponder's own request queue still bounds concurrency, and
 * remote RPCs, which do rate-limit, keep Ponder's adaptive limit. bench/indexer.ts measures the effect
 * (`indexer.replay.sparse.*`).
 */
function rpcFor(url: string): string | string[] {
  const buckets = Number(process.env.LOOM_RPC_BUCKETS ?? 50);
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    return url;
  }
  const loopback = host === 'localhost' || host === '[::1]' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
  return loopback && /^https?:/.test(url) && buckets > 1 ? Array.from({ length: Math.floor(buckets) }, () => url) : url;
}

const record = deploymentRecord();

/** A contract's address and first block: the environment's, else the record's. */
function located(name: 'LoomRegistry' | 'LoomMarket' | 'LoomReplicatedMarket' | 'LoomModels', addressVariable: string) {
  const address = (process.env[addressVariable] ?? record?.[name]?.address) as `0x${string}` | undefined;
  if (!address) {
    throw new Error(`No ${name} address for chain ${chainId}: set ${addressVariable} or deploy first (npm run contracts:deploy).`);
  }
  return { chain: 'loom' as const, address, startBlock: Number(process.env.LOOM_START_BLOCK ?? record?.[name]?.startBlock ?? 0) };
}

export default createConfig({
  database: process.env.DATABASE_URL
    ? {
        kind: 'postgres',
        connectionString: process.env.DATABASE_URL,
        // A server that does not answer (down, unreachable) fails a connection attempt after 10 s
        // rather than the TCP timeout: the API then answers UNAVAILABLE within that bound.
        poolConfig: { connectionTimeoutMillis: 10_000 },
      }
    : { kind: 'pglite', directory: process.env.LOOM_PGLITE_DIR },
  chains: {
    loom: {
      id: chainId,
      rpc: rpcFor(process.env.LOOM_RPC_URL ?? 'http://127.0.0.1:8545'),
      // Empty: none (npm start sets it for the local chain unless told otherwise).
      ws: process.env.LOOM_WS_URL || undefined,
      pollingInterval: Number(process.env.LOOM_POLLING_MS ?? (local ? 100 : 1000)),
      // A local chain is reset at will; never trust Ponder's RPC cache for it.
      disableCache: local,
    },
  },
  contracts: {
    LoomRegistry: { abi: loomRegistryAbi, ...located('LoomRegistry', 'LOOM_REGISTRY_ADDRESS') },
    LoomMarket: { abi: loomMarketAbi, ...located('LoomMarket', 'LOOM_MARKET_ADDRESS') },
    LoomReplicatedMarket: { abi: loomReplicatedMarketAbi, ...located('LoomReplicatedMarket', 'LOOM_REPLICATED_MARKET_ADDRESS') },
    LoomModels: { abi: loomModelsAbi, ...located('LoomModels', 'LOOM_MODELS_ADDRESS') },
  },
});
