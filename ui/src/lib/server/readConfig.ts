/**
 * The UI's configuration from the environment, read on the server (so the built UI is configured
 * when it starts, not when it is built): PUBLIC_API_URL, PUBLIC_RPC_URL, PUBLIC_CHAIN_ID,
 * PUBLIC_MARKET_ADDRESS, PUBLIC_USDC_ADDRESS, PUBLIC_ARTIFACT_URL, PUBLIC_EXPLORER_URL; contract
 * addresses default to the deployment record (LOOM_DEPLOYMENT_FILE, else deployments/<chainId>.json
 * in the working directory or its parent).
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { getAddress, isAddress, type Address } from 'viem';
import type { LoomConfig } from '$lib/config';

type Env = Record<string, string | undefined>;

type DeploymentRecord = {
  chainId?: number;
  LoomMarket?: { address: string };
  TestUSDC?: { address: string };
};

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

function findDeployment(env: Env, chainId: number, cwd: string): { path: string; record: DeploymentRecord } | undefined {
  const candidates = env.LOOM_DEPLOYMENT_FILE
    ? [resolve(cwd, env.LOOM_DEPLOYMENT_FILE)]
    : [resolve(cwd, 'deployments', `${chainId}.json`), resolve(cwd, '..', 'deployments', `${chainId}.json`)];
  for (const path of candidates) {
    if (existsSync(path)) return { path, record: JSON.parse(readFileSync(path, 'utf8')) as DeploymentRecord };
  }
  if (env.LOOM_DEPLOYMENT_FILE) throw new ConfigError(`LOOM_DEPLOYMENT_FILE not found: ${candidates[0]}`);
  return undefined;
}

const trimSlash = (url: string) => url.replace(/\/+$/, '');

/** Reads the configuration; throws ConfigError with a sentence when something is missing or wrong. */
export function readConfig(env: Env, cwd = process.cwd()): LoomConfig {
  const apiUrl = trimSlash(env.PUBLIC_API_URL || 'http://127.0.0.1:42069');
  const rpcUrl = env.PUBLIC_RPC_URL || 'http://127.0.0.1:8545';
  const chainId = Number(env.PUBLIC_CHAIN_ID || 31337);
  if (!Number.isSafeInteger(chainId) || chainId <= 0) throw new ConfigError(`PUBLIC_CHAIN_ID is not a chain id: "${env.PUBLIC_CHAIN_ID}"`);

  const deployment = env.PUBLIC_MARKET_ADDRESS && env.PUBLIC_USDC_ADDRESS !== undefined ? undefined : findDeployment(env, chainId, cwd);
  if (deployment?.record.chainId !== undefined && deployment.record.chainId !== chainId) {
    throw new ConfigError(`${deployment.path} is for chain ${deployment.record.chainId}, not ${chainId}`);
  }
  const marketValue = env.PUBLIC_MARKET_ADDRESS || deployment?.record.LoomMarket?.address;
  if (!marketValue) {
    throw new ConfigError(
      `no LoomMarket address: set PUBLIC_MARKET_ADDRESS, or deploy (npm run contracts:deploy) so that deployments/${chainId}.json exists`,
    );
  }
  const usdcValue = env.PUBLIC_USDC_ADDRESS ?? deployment?.record.TestUSDC?.address;

  return {
    apiUrl,
    graphqlUrl: `${apiUrl}/graphql`,
    artifactUrl: trimSlash(env.PUBLIC_ARTIFACT_URL || apiUrl),
    rpcUrl,
    chainId,
    chainName: CHAIN_NAMES[chainId] ?? `Chain ${chainId}`,
    market: address('PUBLIC_MARKET_ADDRESS', marketValue),
    usdc: usdcValue ? address('PUBLIC_USDC_ADDRESS', usdcValue) : undefined,
    localChain: chainId === 31337 || chainId === 1337,
    explorerUrl: env.PUBLIC_EXPLORER_URL ? trimSlash(env.PUBLIC_EXPLORER_URL) : undefined,
  };
}
