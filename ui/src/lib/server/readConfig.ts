/**
 * The UI's configuration from the environment, read on the server (so the built UI is configured
 * when it starts, not when it is built): PUBLIC_API_URL, PUBLIC_RPC_URL, PUBLIC_CHAIN_ID,
 * PUBLIC_MARKET_ADDRESS, PUBLIC_REGISTRY_ADDRESS, PUBLIC_REPLICATED_MARKET_ADDRESS, PUBLIC_MODELS_ADDRESS, PUBLIC_USDC_ADDRESS,
 * PUBLIC_ARTIFACT_URL, PUBLIC_EXPLORER_URL; contract
 * addresses default to the deployment record (LOOM_DEPLOYMENT_FILE, else deployments/<chainId>.json
 * in the working directory or its parent).
 */
import { getAddress, isAddress, type Address } from 'viem';
import { findDeployment } from '$sdk/chain/deploymentRecord';
import { LoomError } from '$sdk/errors';
import type { LoomConfig } from '$lib/config';

type Env = Record<string, string | undefined>;

const CHAIN_NAMES: Record<number, string> = {
  1: 'Ethereum',
  8453: 'Base',
  84532: 'Base Sepolia',
  11155111: 'Sepolia',
  31337: 'Local chain (anvil)',
};

export class ConfigError extends Error {
  override name = 'ConfigError';
}

function address(name: string, value: string): Address {
  if (!isAddress(value, { strict: false })) throw new ConfigError(`${name} is not an address: "${value}"`);
  return getAddress(value);
}

/** The SDK's deployment record, found from the working directory or its parent (the UI runs from ui/). */
function deploymentOf(env: Env, chainId: number, cwd: string) {
  try {
    return findDeployment({ chainId, cwd, ...(env.LOOM_DEPLOYMENT_FILE ? { file: env.LOOM_DEPLOYMENT_FILE, fileFrom: 'LOOM_DEPLOYMENT_FILE' } : {}) });
  } catch (err) {
    if (!(err instanceof LoomError)) throw err;
    throw new ConfigError(err.shortMessage);
  }
}

const trimSlash = (url: string) => url.replace(/\/+$/, '');

/** Reads the configuration; throws ConfigError with a sentence when something is missing or wrong. */
export function readConfig(env: Env, cwd = process.cwd()): LoomConfig {
  const apiUrl = trimSlash(env.PUBLIC_API_URL || 'http://127.0.0.1:42069');
  const rpcUrl = env.PUBLIC_RPC_URL || 'http://127.0.0.1:8545';
  const chainId = Number(env.PUBLIC_CHAIN_ID || 31337);
  if (!Number.isSafeInteger(chainId) || chainId <= 0) throw new ConfigError(`PUBLIC_CHAIN_ID is not a chain id: "${env.PUBLIC_CHAIN_ID}"`);

  const allGiven = env.PUBLIC_MARKET_ADDRESS && env.PUBLIC_REGISTRY_ADDRESS && env.PUBLIC_REPLICATED_MARKET_ADDRESS !== undefined && env.PUBLIC_USDC_ADDRESS !== undefined;
  const deployment = allGiven ? undefined : deploymentOf(env, chainId, cwd);
  const marketValue = env.PUBLIC_MARKET_ADDRESS || deployment?.record.LoomMarket?.address;
  if (!marketValue) {
    throw new ConfigError(
      `no LoomMarket address: set PUBLIC_MARKET_ADDRESS, or deploy (npm run contracts:deploy) so that deployments/${chainId}.json exists`,
    );
  }
  const market = address('PUBLIC_MARKET_ADDRESS', marketValue);
  const registryValue = env.PUBLIC_REGISTRY_ADDRESS || deployment?.record.LoomRegistry?.address;
  if (!registryValue) {
    throw new ConfigError(`no LoomRegistry address: set PUBLIC_REGISTRY_ADDRESS, or deploy (npm run contracts:deploy) so that deployments/${chainId}.json exists`);
  }
  const replicatedValue = env.PUBLIC_REPLICATED_MARKET_ADDRESS ?? deployment?.record.LoomReplicatedMarket?.address;
  const modelsValue = env.PUBLIC_MODELS_ADDRESS ?? deployment?.record.LoomModels?.address;
  const usdcValue = env.PUBLIC_USDC_ADDRESS ?? deployment?.record.TestUSDC?.address;

  return {
    apiUrl,
    graphqlUrl: `${apiUrl}/graphql`,
    artifactUrl: trimSlash(env.PUBLIC_ARTIFACT_URL || apiUrl),
    rpcUrl,
    chainId,
    chainName: CHAIN_NAMES[chainId] ?? `Chain ${chainId}`,
    market,
    registry: address('PUBLIC_REGISTRY_ADDRESS', registryValue),
    replicated: replicatedValue ? address('PUBLIC_REPLICATED_MARKET_ADDRESS', replicatedValue) : undefined,
    models: modelsValue ? address('PUBLIC_MODELS_ADDRESS', modelsValue) : undefined,
    usdc: usdcValue ? address('PUBLIC_USDC_ADDRESS', usdcValue) : undefined,
    localChain: chainId === 31337 || chainId === 1337,
    explorerUrl: env.PUBLIC_EXPLORER_URL ? trimSlash(env.PUBLIC_EXPLORER_URL) : undefined,
  };
}
