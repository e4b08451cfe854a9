/**
 * The gateway's configuration, from the environment. The key (LOOM_GATEWAY_KEY) pays the gas of
 * every job it posts; it is never logged.
 */
import { type Hex, getAddress, isAddress, isHex, parseEther } from 'viem';

export type GatewayConfig = {
  key: Hex;
  rpcUrl: string;
  port: number;
  host: string;
  market?: `0x${string}`;
  deploymentFile?: string;
  /** The default token; default: the deployment record's TestUSDC. */
  token?: `0x${string}`;
  minBalance: bigint;
  ratePerIp: number;
  ratePerClient: number;
};

export const GATEWAY_DEFAULT_PORT = 4021;

export const GATEWAY_ENV_HELP = `Environment:
  LOOM_GATEWAY_KEY          the gateway's private key (0x…, 32 bytes): it pays the gas of every job it posts (required)
  LOOM_RPC_URL              the chain (default http://127.0.0.1:8545)
  LOOM_MARKET_ADDRESS       the LoomMarket (default: the deployment record's)
  LOOM_DEPLOYMENT_FILE      the deployment record (default deployments/<chainId>.json)
  LOOM_GATEWAY_TOKEN        the token a request without "token" pays in (default: the record's TestUSDC)
  GATEWAY_PORT              the port (default ${GATEWAY_DEFAULT_PORT}); GATEWAY_HOST the interface (default 127.0.0.1)
  GATEWAY_MIN_BALANCE_ETH   below this ETH balance the gateway refuses work with 503 (default 0.01)
  GATEWAY_RATE_PER_IP       requests per minute per IP (default 1200)
  GATEWAY_RATE_PER_CLIENT   requests per minute per client address (default 600)`;

export class GatewayConfigError extends Error {}

const positiveInt = (name: string, v: string | undefined, fallback: number): number => {
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new GatewayConfigError(`${name} must be a positive whole number, not "${v}"`);
  return n;
};

export function readGatewayConfig(env: NodeJS.ProcessEnv): GatewayConfig {
  const key = env.LOOM_GATEWAY_KEY?.trim();
  // The value itself is never echoed: a typo'd key is still a secret.
  if (!key) throw new GatewayConfigError('LOOM_GATEWAY_KEY is not set: the gateway needs a key with ETH to pay the gas of the jobs it posts');
  const hex = key.startsWith('0x') ? key : `0x${key}`;
  if (!isHex(hex) || hex.length !== 66) throw new GatewayConfigError('LOOM_GATEWAY_KEY is not a private key (32 bytes of hex)');
  const address = (name: string): `0x${string}` | undefined => {
    const v = env[name];
    if (v === undefined || v === '') return undefined;
    if (!isAddress(v, { strict: false })) throw new GatewayConfigError(`${name} is not an address: "${v}"`);
    return getAddress(v);
  };
  let minBalance: bigint;
  try {
    minBalance = parseEther(env.GATEWAY_MIN_BALANCE_ETH ?? '0.01');
  } catch {
    throw new GatewayConfigError(`GATEWAY_MIN_BALANCE_ETH must be an amount of ETH, not "${env.GATEWAY_MIN_BALANCE_ETH}"`);
  }
  const port = positiveInt('GATEWAY_PORT', env.GATEWAY_PORT, GATEWAY_DEFAULT_PORT);
  if (port > 65535) throw new GatewayConfigError(`GATEWAY_PORT must be a port (1 to 65535), not ${port}`);
  const market = address('LOOM_MARKET_ADDRESS');
  const token = address('LOOM_GATEWAY_TOKEN');
  return {
    key: hex,
    rpcUrl: env.LOOM_RPC_URL || 'http://127.0.0.1:8545',
    port,
    host: env.GATEWAY_HOST || '127.0.0.1',
    ...(market ? { market } : {}),
    ...(env.LOOM_DEPLOYMENT_FILE ? { deploymentFile: env.LOOM_DEPLOYMENT_FILE } : {}),
    ...(token ? { token } : {}),
    minBalance,
    ratePerIp: positiveInt('GATEWAY_RATE_PER_IP', env.GATEWAY_RATE_PER_IP, 1200),
    ratePerClient: positiveInt('GATEWAY_RATE_PER_CLIENT', env.GATEWAY_RATE_PER_CLIENT, 600),
  };
}
