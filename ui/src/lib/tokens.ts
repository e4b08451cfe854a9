/**
 * The payment tokens the UI knows by name: ETH (18 decimals) and the test USDC (6). Any other
 * allow-listed token is shown by its address, in its smallest unit.
 */
import { zeroAddress, type Address } from 'viem';

export type TokenInfo = {
  address: Address;
  symbol: string;
  name: string;
  decimals: number;
  /** Not one the UI knows: amounts are raw units. */
  unknown?: boolean;
};

export const ETH_TOKEN: TokenInfo = { address: zeroAddress, symbol: 'ETH', name: 'Ether', decimals: 18 };

export type TokenRegistry = {
  list: TokenInfo[];
  get: (address: string | null | undefined) => TokenInfo;
};

export function createTokenRegistry(usdc: Address | undefined): TokenRegistry {
  const list: TokenInfo[] = [ETH_TOKEN];
  if (usdc) list.push({ address: usdc, symbol: 'tUSDC', name: 'Test USD Coin', decimals: 6 });
  const byAddress = new Map(list.map((t) => [t.address.toLowerCase(), t]));
  return {
    list,
    get(address) {
      const key = (address ?? zeroAddress).toLowerCase();
      return (
        byAddress.get(key) ?? {
          address: key as Address,
          symbol: `${key.slice(0, 6)}…${key.slice(-4)}`,
          name: 'Unknown token',
          decimals: 0,
          unknown: true,
        }
      );
    },
  };
}

export const isEth = (token: string | null | undefined) => !token || token.toLowerCase() === zeroAddress;
