/**
 * Symbols and decimals of the tokens jobs are paid in, for tables: ETH is known, an ERC-20 is read
 * from its contract once per run. Best effort: when the chain cannot be reached, amounts are shown
 * in raw units (the API never serves token metadata: the chain is where it lives).
 */
import { type Address, type PublicClient, createPublicClient, getAddress, http } from 'viem';
import { ETH_TOKEN, type TokenInfo, ZERO_ADDRESS } from './output/format';
import { readToken } from './resolveToken';

export type TokenBook = {
  /** Reads every token of `addresses` not known yet, in parallel. */
  load(addresses: Iterable<string>): Promise<void>;
  /** A loaded token; undefined when it could not be read. */
  get(address: string): TokenInfo | undefined;
};

export function createTokenBook(rpcUrl: string, publicClient?: PublicClient): TokenBook {
  const known = new Map<string, TokenInfo | undefined>([[ZERO_ADDRESS, ETH_TOKEN]]);
  let client = publicClient;
  return {
    async load(addresses) {
      const missing = [...new Set([...addresses].map((a) => a.toLowerCase()))].filter((a) => !known.has(a));
      if (missing.length === 0) return;
      client ??= createPublicClient({ transport: http(rpcUrl, { retryCount: 0, timeout: 3000 }) }) as PublicClient;
      const c = client;
      await Promise.all(
        missing.map(async (a) => {
          known.set(a, await readToken(c, getAddress(a) as Address).catch(() => undefined));
        }),
      );
    },
    get: (address) => known.get(address.toLowerCase()),
  };
}
