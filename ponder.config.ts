/**
 * Ponder configuration (indexer/ is Ponder's root; indexer/ponder.config.ts re-exports this file).
 *
 * Everything comes from the environment, with local defaults read by contract name from the deploy
 * script's record (deployments/<chainId>.json):
 *   LOOM_CHAIN_ID          chain id (default 31337, anvil)
 *   LOOM_RPC_URL           HTTP JSON-RPC (default http://127.0.0.1:8545)
 *   LOOM_WS_URL            optional WebSocket JSON-RPC, for lower-latency new-block delivery
 *   LOOM_MARKET_ADDRESS    LoomMarket address (default: the record's LoomMarket.address)
 *   LOOM_START_BLOCK       first block to index (default: the record's LoomMarket.startBlock)
 *   LOOM_DEPLOYMENT_FILE   another record to read the defaults from
 *   LOOM_POLLING_MS        new-block polling interval (default 100 on anvil, 1000 elsewhere)
 *   DATABASE_URL           PostgreSQL; without it, PGlite embedded in indexer/.ponder/pglite
 *   LOOM_PGLITE_DIR        another PGlite directory (tests give each run its own)
 *
 * Example, Base Sepolia: LOOM_CHAIN_ID=84532 LOOM_RPC_URL=https://sepolia.base.org
 *   LOOM_MARKET_ADDRESS=0x... LOOM_START_BLOCK=<deploy block> npm run indexer:start
 */
import { existsSync, readFileSync } from 'node:fs';
import { createConfig } from 'ponder';
import { loomMarketAbi } from './abis/generated';

const LOCAL_CHAIN_ID = 31337;
const chainId = Number(process.env.LOOM_CHAIN_ID ?? LOCAL_CHAIN_ID);
const local = chainId === LOCAL_CHAIN_ID;

function deploymentDefaults(): { address?: `0x${string}`; startBlock?: number } {
  const file = process.env.LOOM_DEPLOYMENT_FILE
    ? new URL(process.env.LOOM_DEPLOYMENT_FILE, `file://${process.cwd()}/`)
    : new URL(`./deployments/${chainId}.json`, import.meta.url);
  if (!existsSync(file)) return {};
  const record = JSON.parse(readFileSync(file, 'utf8'));
  return { address: record.LoomMarket?.address, startBlock: record.LoomMarket?.startBlock };
}

const defaults = deploymentDefaults();
const address = (process.env.LOOM_MARKET_ADDRESS ?? defaults.address) as `0x${string}` | undefined;
if (!address) {
  throw new Error(
    `No LoomMarket address for chain ${chainId}: set LOOM_MARKET_ADDRESS or deploy first (npm run contracts:deploy).`,
  );
}

export default createConfig({
  database: process.env.DATABASE_URL
    ? { kind: 'postgres', connectionString: process.env.DATABASE_URL }
    : { kind: 'pglite', directory: process.env.LOOM_PGLITE_DIR },
  chains: {
    loom: {
      id: chainId,
      rpc: process.env.LOOM_RPC_URL ?? 'http://127.0.0.1:8545',
      ws: process.env.LOOM_WS_URL,
      pollingInterval: Number(process.env.LOOM_POLLING_MS ?? (local ? 100 : 1000)),
      // A local chain is reset at will; never trust Ponder's RPC cache for it.
      disableCache: local,
    },
  },
  contracts: {
    LoomMarket: {
      chain: 'loom',
      abi: loomMarketAbi,
      address,
      startBlock: Number(process.env.LOOM_START_BLOCK ?? defaults.startBlock ?? 0),
    },
  },
});
