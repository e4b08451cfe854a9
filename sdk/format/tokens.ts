/**
 * The tokens jobs are paid in, as clients name amounts in them: ETH (18 decimals) and the market's
 * test USDC (6) are known; any other ERC-20 is read from its contract (symbol and decimals), and
 * until it is, shown by its address in its smallest unit. The API serves no token metadata: the
 * chain is where it lives.
 */
import { createPublicClient, erc20Abi, getAddress, http, zeroAddress, type Address, type PublicClient } from 'viem';
import { LoomError } from '../errors';

export type TokenInfo = {
  /** Lower case or checksummed; the zero address is ETH. */
  address: string;
  symbol: string;
  decimals: number;
  /** A longer name for people, where one is known. */
  name?: string;
  /** Not a token whose decimals are known: amounts are raw units. */
  unknown?: boolean;
};

export const ETH_TOKEN: TokenInfo = { address: zeroAddress, symbol: 'ETH', name: 'Ether', decimals: 18 };

/** The market's test token (TestUSDC.sol), known by the address its deployment recorded. */
export const testUsdc = (address: Address): TokenInfo => ({ address, symbol: 'tUSDC', name: 'Test USD Coin', decimals: 6 });

/** A token nothing is known about: named by its short address, amounts in raw units. */
export function unknownToken(address: string): TokenInfo {
  const key = address.toLowerCase();
  return { address: key, symbol: `${key.slice(0, 6)}…${key.slice(-4)}`, name: 'Unknown token', decimals: 0, unknown: true };
}

export type TokenRegistry = {
  list: TokenInfo[];
  /** The known token at `address` (none: ETH), else an unknown one. */
  get: (address: string | null | undefined) => TokenInfo;
};

/** The tokens a client knows without reading the chain: ETH, and the test USDC when it is deployed. */
export function createTokenRegistry(usdc: Address | undefined): TokenRegistry {
  const list: TokenInfo[] = [ETH_TOKEN];
  if (usdc) list.push(testUsdc(usdc));
  const byAddress = new Map(list.map((t) => [t.address.toLowerCase(), t]));
  return {
    list,
    get: (address) => byAddress.get((address ?? zeroAddress).toLowerCase()) ?? unknownToken(address ?? zeroAddress),
  };
}

/**
 * The symbol and decimals of an ERC-20, read from its contract.
 *
 * @throws LoomError (code CONFIG_INVALID) when the address answers no `symbol()`/`decimals()`.
 */
export async function readToken(publicClient: PublicClient, address: Address): Promise<TokenInfo> {
  try {
    const [symbol, decimals] = await Promise.all([
      publicClient.readContract({ address, abi: erc20Abi, functionName: 'symbol' }),
      publicClient.readContract({ address, abi: erc20Abi, functionName: 'decimals' }),
    ]);
    return { address: address.toLowerCase(), symbol, decimals };
  } catch (err) {
    throw new LoomError(`${address} is not an ERC-20 token on this chain (no symbol/decimals)`, { cause: err, code: 'CONFIG_INVALID' });
  }
}

export type TokenBook = {
  /** Reads every token of `addresses` not known yet, in parallel. */
  load(addresses: Iterable<string>): Promise<void>;
  /** A loaded token; undefined when it could not be read. */
  get(address: string): TokenInfo | undefined;
};

/**
 * Tokens read from the chain once each, best effort: a token that cannot be read stays undefined
 * (its amounts are shown in raw units) rather than failing the listing that needed it.
 *
 * @example
 * const book = createTokenBook(rpcUrl);
 * await book.load(jobs.map((j) => j.terms.token));
 */
export function createTokenBook(rpcUrl: string, publicClient?: PublicClient): TokenBook {
  const known = new Map<string, TokenInfo | undefined>([[zeroAddress, ETH_TOKEN]]);
  let client = publicClient;
  return {
    async load(addresses) {
      const missing = [...new Set([...addresses].map((a) => a.toLowerCase()))].filter((a) => !known.has(a));
      if (missing.length === 0) return;
      // Made on first use and quick to give up: an unreachable chain only costs the symbols.
      client ??= createPublicClient({ transport: http(rpcUrl, { retryCount: 0, timeout: 3000 }) }) as PublicClient;
      const c = client;
      await Promise.all(missing.map(async (a) => known.set(a, await readToken(c, getAddress(a)).catch(() => undefined))));
    },
    get: (address) => known.get(address.toLowerCase()),
  };
}
