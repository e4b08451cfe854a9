/**
 * Where the UI finds the market: the API, the chain and the contracts. Read on the server at
 * start (lib/server/readConfig.ts, from PUBLIC_* variables and the deployment record) and handed to
 * the browser by the root layout.
 */
import type { Address } from 'viem';

export type LoomConfig = {
  /** The API's base URL; GraphQL is at `${apiUrl}/graphql`. */
  apiUrl: string;
  graphqlUrl: string;
  /** The artifact store (GET /artifacts/0x<sha256>); default: the API's URL. */
  artifactUrl: string;
  /** The chain's JSON-RPC URL, to prepare and follow the user's own transactions. */
  rpcUrl: string;
  chainId: number;
  chainName: string;
  /** The single-worker market. */
  market: Address;
  /** The worker registry (stake, hardware claims). */
  registry: Address;
  /** The replicated-job market, when the deployment has one. */
  replicated: Address | undefined;
  /** The model hub (LoomModels): models, their fees per job, royalties; absent: the hub is not offered. */
  models: Address | undefined;
  /** The test USDC (6 decimals), when the deployment has one. */
  usdc: Address | undefined;
  /** A local development chain: the burner wallet and the faucet are offered. */
  localChain: boolean;
  /** Explorer base URL for transactions (`${explorerUrl}/tx/<hash>`), if any. */
  explorerUrl: string | undefined;
};
