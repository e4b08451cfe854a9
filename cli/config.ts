/**
 * Where `loom` reads and writes: the API, the artifact store, the chain and the markets. Every option
 * is a flag or an environment variable, with the worker's names (worker/daemon/config.ts) so that
 * one environment serves both CLIs; flags win. The client key is never a flag: LOOM_CLIENT_KEY, or a
 * keystore (see clientKey.ts).
 */
import { resolve } from 'node:path';
import { type Address, getAddress, isAddress } from 'viem';
import { type Flags, type OptionSpec, resolveOptions } from '../sdk/node/options';
import { badInput } from './cliError';

export type ClientConfig = {
  /** The Loom API's base URL (GraphQL at /graphql), no trailing slash. */
  apiUrl: string;
  /** Where `artifact://` URIs are fetched (`GET /artifacts/0x<sha256>`); default the API's URL. */
  artifactUrl: string;
  rpcUrl: string;
  /** LoomMarket's address; undefined: from the deployment file. */
  market?: Address;
  /** LoomReplicatedMarket's address; undefined: from the deployment file. */
  replicated?: Address;
  /** Deployment record with the market's address (default deployments/<chainId>.json). */
  deploymentFile?: string;
  /** When set, the RPC must report this chain id (a guard against signing on the wrong chain). */
  chainId?: number;
  /** V3 keystore with the client key (when LOOM_CLIENT_KEY is not set). */
  keystore?: string;
  /** Machine-readable output on stdout. */
  json: boolean;
};

function httpUrl(value: string, flag: string): string {
  try {
    const u = new URL(value);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error();
  } catch {
    badInput(`${flag}: "${value}" is not an http(s) URL`);
  }
  return value.replace(/\/+$/, '');
}

function address(value: string, flag: string): Address {
  if (!isAddress(value, { strict: false })) badInput(`${flag}: "${value}" is not an address`);
  return getAddress(value);
}

function chainId(value: string, flag: string): number {
  if (!/^[1-9]\d{0,15}$/.test(value)) badInput(`${flag}: "${value}" is not a chain id`);
  return Number(value);
}

/** The connection options every command accepts, with their environment variables. */
export const connectionOptions = {
  'api-url': { type: 'string', value: '<url>', env: 'LOOM_API_URL', default: 'http://127.0.0.1:42069', parse: httpUrl, help: 'The Loom API' },
  'artifact-url': { type: 'string', value: '<url>', env: 'LOOM_ARTIFACT_URL', parse: httpUrl, help: 'The artifact store (default: the API URL)' },
  'rpc-url': { type: 'string', value: '<url>', env: 'LOOM_RPC_URL', default: 'http://127.0.0.1:8545', parse: httpUrl, help: 'The chain, for transactions' },
  market: { type: 'string', value: '<0x…>', env: 'LOOM_MARKET_ADDRESS', parse: address, help: "LoomMarket's address (default: the deployment file's)" },
  'replicated-market': {
    type: 'string',
    value: '<0x…>',
    env: 'LOOM_REPLICATED_MARKET_ADDRESS',
    parse: address,
    help: "LoomReplicatedMarket's address, for replicated jobs (default: the deployment file's)",
  },
  'deployment-file': { type: 'string', value: '<path>', env: 'LOOM_DEPLOYMENT_FILE', parse: (path: string) => resolve(path), help: 'Deployment record (default deployments/<chainId>.json)' },
  'chain-id': { type: 'string', value: '<id>', env: 'LOOM_CHAIN_ID', parse: chainId, help: 'Refuse to sign unless the RPC is this chain' },
  keystore: { type: 'string', value: '<path>', env: 'LOOM_CLIENT_KEYSTORE', help: 'V3 keystore of the client key (or set LOOM_CLIENT_KEY)' },
  json: { type: 'boolean', help: 'Machine-readable output on stdout' },
} satisfies Record<string, OptionSpec>;

/**
 * @example
 * const config = resolveClientConfig({ 'api-url': 'http://api:42069' }, process.env);
 */
export function resolveClientConfig(flags: Flags, env: NodeJS.ProcessEnv = process.env): ClientConfig {
  const v = resolveOptions(connectionOptions, flags, env);
  return {
    apiUrl: v['api-url'],
    artifactUrl: v['artifact-url'] ?? v['api-url'],
    rpcUrl: v['rpc-url'],
    ...(v.market === undefined ? {} : { market: v.market }),
    ...(v['replicated-market'] === undefined ? {} : { replicated: v['replicated-market'] }),
    ...(v['deployment-file'] === undefined ? {} : { deploymentFile: v['deployment-file'] }),
    ...(v['chain-id'] === undefined ? {} : { chainId: v['chain-id'] }),
    ...(v.keystore === undefined ? {} : { keystore: v.keystore }),
    json: v.json,
  };
}
