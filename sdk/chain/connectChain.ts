/**
 * The chain connection: viem clients for the RPC, the chain id it reports, and the contract set's
 * addresses: LoomMarket's from the configuration or the deployment record written by scripts/deploy.ts
 * (checked to hold code), the registry's and the model hub's as that market names them (`registry()`,
 * `models()`), and the replicated
 * market's from the configuration or the record.
 */
import { type Account, type Address, type Chain, type PublicClient, type WalletClient, createPublicClient, createWalletClient, defineChain, getAddress, http } from 'viem';
import { loomMarketAbi } from '../../abis/generated';
import type { LoomContracts } from '../contracts';
import { coded } from '../errors';
import { rpcFailure } from '../rpcFailure';
import { deploymentPath, findDeployment } from './deploymentRecord';

export type ChainConnection = {
  chainId: number;
  chain: Chain;
  market: Address;
  contracts: LoomContracts;
  publicClient: PublicClient;
  walletClient: WalletClient;
};

export async function connectChain(o: {
  rpcUrl: string;
  account: Account;
  market?: Address;
  /** LoomReplicatedMarket's address; default: the deployment record's. */
  replicated?: Address;
  deploymentFile?: string;
}): Promise<ChainConnection> {
  const probe = createPublicClient({ transport: http(o.rpcUrl, { retryCount: 2 }) });
  let chainId: number;
  try {
    chainId = await probe.getChainId();
  } catch (err) {
    const why = rpcFailure(err)?.reason ?? (err as Error).message.split('\n')[0];
    throw coded('CONFIG_INVALID', `the chain at ${o.rpcUrl} does not answer: ${why}`, { cause: err });
  }
  const chain = defineChain({
    id: chainId,
    name: `chain ${chainId}`,
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [o.rpcUrl] } },
  });
  const transport = http(o.rpcUrl, { retryCount: 3 });
  const publicClient = createPublicClient({ chain, transport, pollingInterval: 250, cacheTime: 0 }) as PublicClient;
  const walletClient = createWalletClient({ chain, transport, account: o.account });

  let market = o.market;
  let replicated = o.replicated;
  if (market === undefined || replicated === undefined) {
    // A record named but missing, or for another chain, fails here with its own reason.
    const found = findDeployment({ chainId, ...(o.deploymentFile === undefined ? {} : { file: o.deploymentFile }), roots: ['.'] });
    if (!found && market === undefined) {
      throw coded('CONFIG_INVALID', `no market address: set LOOM_MARKET_ADDRESS, or a deployment file (${deploymentPath(chainId)} does not exist)`);
    }
    if (found && market === undefined) {
      if (!found.record.LoomMarket?.address) throw coded('CONFIG_INVALID', `${found.path} has no LoomMarket.address`);
      market = getAddress(found.record.LoomMarket.address);
    }
    const recorded = found?.record.LoomReplicatedMarket?.address;
    if (replicated === undefined && recorded) replicated = getAddress(recorded);
  }
  const code = await publicClient.getCode({ address: market! });
  if (!code || code === '0x') throw coded('CONFIG_INVALID', `no contract at ${market} on chain ${chainId}`);
  // The market names its registry: one address to configure, and never a registry it does not use.
  // The market names its registry and its model hub (which it created): never ones it does not use.
  const [registry, models] = await Promise.all([
    publicClient.readContract({ address: market!, abi: loomMarketAbi, functionName: 'registry' }),
    publicClient.readContract({ address: market!, abi: loomMarketAbi, functionName: 'models' }),
  ]);
  const contracts: LoomContracts = { registry, market: market!, models, ...(replicated ? { replicated } : {}) };
  return { chainId, chain, market: market!, contracts, publicClient, walletClient };
}
