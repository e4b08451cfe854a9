import { describe, expect, test } from 'vitest';
import { formatAmount, formatEth, formatUnitsHuman, formatUsd6, parseAmount } from './amounts';
import { createTokenRegistry, ETH_TOKEN } from './tokens';

const usdc = '0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512' as const;
const tokens = createTokenRegistry(usdc);

describe('amounts', () => {
  test('default: ETH has 18 decimals, tUSDC 6, grouped by thousands', () => {
    expect(formatAmount(10n ** 18n, ETH_TOKEN)).toBe('1 ETH');
    expect(formatAmount('500000000000000000', ETH_TOKEN)).toBe('0.5 ETH');
    expect(formatAmount('1234567890000000000000', ETH_TOKEN)).toBe('1,234.56789 ETH');
    expect(formatAmount(1_500_000n, tokens.get(usdc))).toBe('1.5 tUSDC');
    expect(formatAmount(250_000_000n, tokens.get(usdc))).toBe('250 tUSDC');
    expect(formatAmount(66_000n, tokens.get(usdc.toLowerCase()))).toBe('0.066 tUSDC');
    expect(formatEth('20000000000000000')).toBe('0.02 ETH');
  });

  test('behavior: fractions are truncated, never rounded up, and dust is "< 0.000001"', () => {
    expect(formatUnitsHuman(1_999_999_999_999_999_999n, 18)).toBe('1.999999');
    expect(formatUnitsHuman(1n, 18)).toBe('< 0.000001');
    expect(formatUnitsHuman(0n, 18)).toBe('0');
    expect(formatUnitsHuman(-(10n ** 18n) / 2n, 18)).toBe('-0.5');
  });

  test("behavior: the exact style shows every digit the token has (the CLI's tables)", () => {
    expect(formatAmount(1n, ETH_TOKEN, { fraction: 'exact' })).toBe('0.000000000000000001 ETH');
    expect(formatEth(1n, { fraction: 'exact' })).toBe('0.000000000000000001 ETH');
  });

  test('behavior: unknown tokens show raw units with the address; no token, raw units', () => {
    const t = tokens.get('0x1111111111111111111111111111111111111111');
    expect(t.unknown).toBe(true);
    expect(formatAmount(1234n, t)).toBe('1,234 units of 0x1111…1111');
    expect(formatAmount('7', undefined)).toBe('7 units');
  });

  test('behavior: missing amounts are a dash', () => {
    expect(formatAmount(null, ETH_TOKEN)).toBe('—');
    expect(formatAmount(null, ETH_TOKEN, { missing: '-' })).toBe('-');
    expect(formatEth(undefined)).toBe('—');
  });

  test('default: typed amounts parse into units', () => {
    expect(parseAmount('0.5', 18)).toBe(5n * 10n ** 17n);
    expect(parseAmount('1,000.25', 6)).toBe(1_000_250_000n);
    expect(parseAmount('1_000', 6)).toBe(1_000_000_000n);
    expect(parseAmount('.5', 6)).toBe(500_000n);
  });

  test('error: amounts that are not numbers, or too precise, do not parse', () => {
    for (const bad of ['', '.', 'abc', '1e18', '-1', '1.2.3', '0.0000001']) expect(parseAmount(bad, 6), bad).toBeUndefined();
  });

  test('default: advertised prices are USD with 6 decimals', () => {
    expect(formatUsd6(2_500_000n)).toBe('$2.50');
    expect(formatUsd6('1234567891')).toBe('$1,234.5678');
    expect(formatUsd6(0)).toBe('$0.00');
  });
});
