/**
 * Where `loom` reads and writes: the API, the artifact store, the chain and the market. Every option
 * is a flag or an environment variable, with the worker's names (worker/daemon/config.ts) so that
 * one environment serves both CLIs; flags win. The client key is never a flag: LOOM_CLIENT_KEY, or a
 * keystore (see clientKey.ts).
 */
import { resolve } from 'node:path';
import { type Address, getAddress, isAddress } from 'viem';
import { badInput } from './cliError';
import type { OptionTable } from './parse/parseCommandLine';

export type ClientConfig = {
  /** The Loom API's base URL (GraphQL at /graphql), no trailing slash. */
  apiUrl: string;
  /** Where `artifact://` URIs are fetched (`GET /artifacts/0x<sha256>`); default the API's URL. */
  artifactUrl: string;
  rpcUrl: string;
  /** LoomMarket's address; undefined: from the deployment file. */
  market?: Address;
  /** Deployment record with the market's address (default deployments/<chainId>.json). */
  deploymentFile?: string;
  /** When set, the RPC must report this chain id (a guard against signing on the wrong chain). */
  chainId?: number;
  /** V3 keystore with the client key (when LOOM_CLIENT_KEY is not set). */
  keystore?: string;
  /** Machine-readable output on stdout. */
  json: boolean;
};

/** The connection options every command accepts, with their environment variables. */
export const connectionOptions: OptionTable = {
  'api-url': { type: 'string', value: '<url>', env: 'LOOM_API_URL', help: 'The Loom API (default http://127.0.0.1:42069)' },
  'artifact-url': { type: 'string', value: '<url>', env: 'LOOM_ARTIFACT_URL', help: 'The artifact store (default: the API URL)' },
  'rpc-url': { type: 'string', value: '<url>', env: 'LOOM_RPC_URL', help: 'The chain, for transactions (default http://127.0.0.1:8545)' },
  market: { type: 'string', value: '<0x…>', env: 'LOOM_MARKET_ADDRESS', help: "LoomMarket's address (default: the deployment file's)" },
  'deployment-file': { type: 'string', value: '<path>', env: 'LOOM_DEPLOYMENT_FILE', help: 'Deployment record (default deployments/<chainId>.json)' },
  'chain-id': { type: 'string', value: '<id>', env: 'LOOM_CHAIN_ID', help: 'Refuse to sign unless the RPC is this chain' },
  keystore: { type: 'string', value: '<path>', env: 'LOOM_CLIENT_KEYSTORE', help: 'V3 keystore of the client key (or set LOOM_CLIENT_KEY)' },
  json: { type: 'boolean', help: 'Machine-readable output on stdout' },
};

const DEFAULTS = { apiUrl: 'http://127.0.0.1:42069', rpcUrl: 'http://127.0.0.1:8545' };

/**
 * @example
 * const config = resolveClientConfig({ 'api-url': 'http://api:42069' }, process.env);
 */
export function resolveClientConfig(flags: Record<string, string | boolean | undefined>, env: NodeJS.ProcessEnv = process.env): ClientConfig {
  const pick = (flag: string): string | undefined => {
    const f = flags[flag];
    if (typeof f === 'string') return f;
    const name = connectionOptions[flag]!.env!;
    const e = env[name];
    return e === undefined || e === '' ? undefined : e;
  };
  const url = (flag: string, value: string) => {
    try {
      const u = new URL(value);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error();
    } catch {
      badInput(`--${flag}: "${value}" is not an http(s) URL`);
    }
    return value.replace(/\/+$/, '');
  };
  const apiUrl = url('api-url', pick('api-url') ?? DEFAULTS.apiUrl);
  const artifact = pick('artifact-url');
  const market = pick('market');
  if (market !== undefined && !isAddress(market, { strict: false })) badInput(`--market: "${market}" is not an address`);
  const chainId = pick('chain-id');
  if (chainId !== undefined && !/^[1-9]\d{0,15}$/.test(chainId)) badInput(`--chain-id: "${chainId}" is not a chain id`);
  const deploymentFile = pick('deployment-file');
  const keystore = pick('keystore');
  return {
    apiUrl,
    artifactUrl: artifact === undefined ? apiUrl : url('artifact-url', artifact),
    rpcUrl: url('rpc-url', pick('rpc-url') ?? DEFAULTS.rpcUrl),
    ...(market === undefined ? {} : { market: getAddress(market) }),
    ...(deploymentFile === undefined ? {} : { deploymentFile: resolve(deploymentFile) }),
    ...(chainId === undefined ? {} : { chainId: Number(chainId) }),
    ...(keystore === undefined ? {} : { keystore }),
    json: flags.json === true,
  };
}
