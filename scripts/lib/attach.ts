/**
 * Attach mode of `npm start`: the chain and the market are someone else's. Before anything starts,
 * check that the RPC answers with the expected chain id, that a LoomMarket is deployed at the
 * address, which registry it uses (the market names it), and where indexing must begin (where the
 * registry, deployed first, appeared); each failure is a sentence that says what to fix.
 */
import { createPublicClient, http, isAddress, getAddress, type Address } from 'viem';
import { loomMarketAbi, loomReplicatedMarketAbi } from '../../sdk';

export type AttachTarget = {
  rpcUrl: string;
  chainId: number;
  market: Address;
  /** The worker registry, as the market names it (`registry()`). */
  registry: Address;
  /** The replicated-job market (LOOM_REPLICATED_MARKET_ADDRESS), checked to use the same registry. */
  replicated: Address;
  /** The first block to index: LOOM_START_BLOCK, or the block the registry's code appeared in. */
  startBlock: number;
  /** True when startBlock was found on the chain rather than given. */
  startBlockFound: boolean;
};

export class AttachError extends Error {
  override name = 'AttachError';
}

/**
 * Checks the chain at `rpcUrl` against the expected chain id and market address.
 *
 * @example
 * const target = await checkAttachTarget({ rpcUrl: env.LOOM_RPC_URL, chainId: env.LOOM_CHAIN_ID, market: env.LOOM_MARKET_ADDRESS });
 */
export async function checkAttachTarget(o: { rpcUrl: string; chainId?: string; market?: string; replicated?: string; startBlock?: string }): Promise<AttachTarget> {
  if (!o.chainId) throw new AttachError('LOOM_CHAIN_ID (--chain-id) is required with LOOM_RPC_URL: the chain id the market is deployed on');
  const chainId = Number(o.chainId);
  if (!Number.isSafeInteger(chainId) || chainId <= 0) throw new AttachError(`LOOM_CHAIN_ID is not a chain id: "${o.chainId}"`);
  if (!o.market) throw new AttachError('LOOM_MARKET_ADDRESS (--market) is required with LOOM_RPC_URL: the LoomMarket to index');
  if (!isAddress(o.market, { strict: false })) throw new AttachError(`LOOM_MARKET_ADDRESS is not an address: "${o.market}"`);
  const market = getAddress(o.market);
  if (!o.replicated) {
    throw new AttachError('LOOM_REPLICATED_MARKET_ADDRESS (--replicated-market) is required with LOOM_RPC_URL: the LoomReplicatedMarket to index');
  }
  if (!isAddress(o.replicated, { strict: false })) throw new AttachError(`LOOM_REPLICATED_MARKET_ADDRESS is not an address: "${o.replicated}"`);
  const replicated = getAddress(o.replicated);
  let startBlock: number | undefined;
  if (o.startBlock !== undefined && o.startBlock !== '') {
    startBlock = Number(o.startBlock);
    if (!Number.isSafeInteger(startBlock) || startBlock < 0) throw new AttachError(`LOOM_START_BLOCK is not a block number: "${o.startBlock}"`);
  }

  const pub = createPublicClient({ transport: http(o.rpcUrl, { retryCount: 1, timeout: 15_000 }) });
  let actual: number;
  try {
    actual = await pub.getChainId();
  } catch (err) {
    throw new AttachError(`no JSON-RPC answer at ${o.rpcUrl} (LOOM_RPC_URL): ${short(err)}`);
  }
  if (actual !== chainId) throw new AttachError(`${o.rpcUrl} is chain ${actual}, not ${chainId} (LOOM_CHAIN_ID)`);
  const code = await pub.getCode({ address: market });
  if (!code || code === '0x') throw new AttachError(`no contract at ${market} on chain ${chainId} (LOOM_MARKET_ADDRESS)`);
  try {
    await pub.readContract({ address: market, abi: loomMarketAbi, functionName: 'MAX_SPEC_BYTES' });
    await pub.readContract({ address: market, abi: loomMarketAbi, functionName: 'feeBps' });
  } catch {
    throw new AttachError(`the contract at ${market} on chain ${chainId} does not answer as a LoomMarket (LOOM_MARKET_ADDRESS)`);
  }
  const registry = await pub.readContract({ address: market, abi: loomMarketAbi, functionName: 'registry' });
  let replicatedRegistry: Address;
  try {
    await pub.readContract({ address: replicated, abi: loomReplicatedMarketAbi, functionName: 'MAX_REPLICAS' });
    replicatedRegistry = await pub.readContract({ address: replicated, abi: loomReplicatedMarketAbi, functionName: 'registry' });
  } catch {
    throw new AttachError(`the contract at ${replicated} on chain ${chainId} does not answer as a LoomReplicatedMarket (LOOM_REPLICATED_MARKET_ADDRESS)`);
  }
  if (replicatedRegistry !== registry) {
    throw new AttachError(`the replicated market ${replicated} uses the registry ${replicatedRegistry}, the market ${market} uses ${registry}: not one deployment`);
  }
  if (startBlock !== undefined) return { rpcUrl: o.rpcUrl, chainId, market, registry, replicated, startBlock, startBlockFound: false };

  // Indexing from block 0 of a public chain would take hours: find the block the registry (deployed
  // before the markets) was deployed in. Its constructor logs (OwnershipTransferred), so its first log is in that
  // block; RPCs that cap eth_getLogs ranges refuse a search from 0, archive nodes then answer a
  // binary search over eth_getCode at past blocks.
  const head = await pub.getBlockNumber();
  let found: bigint | undefined;
  let why = '';
  try {
    const [first] = await pub.getLogs({ address: registry, fromBlock: 0n, toBlock: head });
    found = first?.blockNumber ?? undefined;
  } catch (err) {
    why = short(err);
  }
  if (found === undefined) {
    try {
      let lo = 0n;
      let hi = head;
      while (lo < hi) {
        const mid = (lo + hi) / 2n;
        const at = await pub.getCode({ address: registry, blockNumber: mid });
        if (at && at !== '0x') hi = mid;
        else lo = mid + 1n;
      }
      found = lo;
    } catch (err) {
      throw new AttachError(
        `could not find the block the market was deployed in (eth_getLogs: ${why || 'no log'}; eth_getCode at past blocks: ${short(err)}): set LOOM_START_BLOCK (--start-block)`,
      );
    }
  }
  return { rpcUrl: o.rpcUrl, chainId, market, registry, replicated, startBlock: Number(found), startBlockFound: true };
}

function short(err: unknown): string {
  const e = err as { shortMessage?: string; message?: string };
  return (e.shortMessage ?? e.message ?? String(err)).split('\n')[0]!;
}
