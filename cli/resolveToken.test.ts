import { describe, expect, it } from 'vitest';
import { matchTokenSymbol } from './resolveToken';

const tusdc = { address: '0x01', symbol: 'tUSDC', decimals: 6 };
const dai = { address: '0x02', symbol: 'DAI', decimals: 18 };
const usdt = { address: '0x03', symbol: 'USDT', decimals: 6 };

describe('matchTokenSymbol', () => {
  it('default: exact symbol, any case', () => {
    expect(matchTokenSymbol('dai', [tusdc, dai])).toBe(dai);
    expect(matchTokenSymbol('TUSDC', [tusdc, dai])).toBe(tusdc);
  });

  it('behavior: the only symbol containing the name ("usdc" finds the test token tUSDC)', () => {
    expect(matchTokenSymbol('usdc', [tusdc, dai, usdt])).toBe(tusdc);
  });

  it('error: unknown or ambiguous names list the choices', () => {
    expect(() => matchTokenSymbol('weth', [tusdc, dai])).toThrowError(/no allowed token is called "weth" \(allowed: ETH, tUSDC \(0x01\), DAI \(0x02\)\)/);
    expect(() => matchTokenSymbol('usd', [tusdc, usdt])).toThrowError(/could be tUSDC \(0x01\) or USDT \(0x03\): give the address/);
  });
});
