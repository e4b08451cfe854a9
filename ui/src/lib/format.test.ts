import { describe, expect, test } from 'vitest';
import {
  decodeGpuModel,
  encodeGpuModel,
  formatAmount,
  formatDuration,
  formatEth,
  formatHardware,
  formatMiB,
  formatRelative,
  formatRequirement,
  formatUnitsHuman,
  formatUsd6,
  parseAmount,
  shortAddress,
  statusLabel,
} from './format';
import { createTokenRegistry, ETH_TOKEN } from './tokens';

const usdc = '0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512' as const;
const tokens = createTokenRegistry(usdc);

describe('amounts', () => {
  test('default: ETH has 18 decimals, tUSDC 6, grouped by thousands', () => {
    expect(formatAmount(10n ** 18n, ETH_TOKEN)).toBe('1 ETH');
    expect(formatAmount('1234567890000000000000', ETH_TOKEN)).toBe('1,234.56789 ETH');
    expect(formatAmount(1_500_000n, tokens.get(usdc))).toBe('1.5 tUSDC');
    expect(formatAmount(66_000n, tokens.get(usdc.toLowerCase()))).toBe('0.066 tUSDC');
    expect(formatEth('20000000000000000')).toBe('0.02 ETH');
  });

  test('behavior: fractions are truncated, never rounded up, and dust is "< 0.000001"', () => {
    expect(formatUnitsHuman(1_999_999_999_999_999_999n, 18)).toBe('1.999999');
    expect(formatUnitsHuman(1n, 18)).toBe('< 0.000001');
    expect(formatUnitsHuman(0n, 18)).toBe('0');
    expect(formatUnitsHuman(-(10n ** 18n) / 2n, 18)).toBe('-0.5');
  });

  test('behavior: unknown tokens show raw units with the address', () => {
    const t = tokens.get('0x1111111111111111111111111111111111111111');
    expect(t.unknown).toBe(true);
    expect(formatAmount(1234n, t)).toBe('1,234 units of 0x1111…1111');
  });

  test('behavior: missing amounts are a dash', () => {
    expect(formatAmount(null, ETH_TOKEN)).toBe('—');
    expect(formatEth(undefined)).toBe('—');
  });

  test('default: typed amounts parse into units', () => {
    expect(parseAmount('0.5', 18)).toBe(5n * 10n ** 17n);
    expect(parseAmount('1,000.25', 6)).toBe(1_000_250_000n);
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

describe('addresses, hardware and time', () => {
  test('default: addresses are shortened', () => {
    expect(shortAddress('0x70997970C51812dc3A010C7d01b50e0d17dc79C8')).toBe('0x7099…79C8');
    expect(shortAddress(null)).toBe('—');
  });

  test('default: memory in the unit people use', () => {
    expect(formatMiB(81_920)).toBe('80 GiB');
    expect(formatMiB(24_576)).toBe('24 GiB');
    expect(formatMiB(1536)).toBe('1.5 GiB');
    expect(formatMiB(512)).toBe('512 MiB');
    expect(formatMiB(4_294_967_295)).toBe('4096 TiB');
  });

  test('default: GPU models round-trip through bytes32', () => {
    const h100 = encodeGpuModel('NVIDIA H100 80GB HBM3');
    expect(h100).toMatch(/^0x[0-9a-f]{64}$/);
    expect(decodeGpuModel(h100)).toBe('NVIDIA H100 80GB HBM3');
    expect(encodeGpuModel('  ')).toBe(`0x${'0'.repeat(64)}`);
    expect(decodeGpuModel(`0x${'0'.repeat(64)}`)).toBeNull();
  });

  test('error: a GPU model over 32 bytes is refused', () => {
    expect(() => encodeGpuModel('x'.repeat(33))).toThrow(/32 bytes/);
  });

  test('default: hardware and requirements read as sentences', () => {
    expect(formatHardware(2, 81_920, 'NVIDIA H100')).toBe('2 × NVIDIA H100 · 80 GiB');
    expect(formatHardware(0, 0, null)).toBe('CPU only');
    expect(formatRequirement(1, 40_960, null)).toBe('1 GPU · 40 GiB VRAM');
    expect(formatRequirement(0, 0, null)).toBe('No GPU needed');
  });

  test('default: durations and relative times', () => {
    expect(formatDuration(45)).toBe('45 s');
    expect(formatDuration(5400)).toBe('1 h 30 min');
    expect(formatDuration(3 * 86400 + 7200)).toBe('3 d 2 h');
    expect(formatRelative(1000 + 300, 1000)).toBe('in 5 min');
    expect(formatRelative(1000 - 7200, 1000)).toBe('2 h ago');
    expect(formatRelative(1002, 1000)).toBe('just now');
  });

  test('default: statuses and close reasons in words', () => {
    expect(statusLabel('ASSIGNED')).toBe('Running');
    expect(statusLabel('CLOSED', 'DISPUTE_RESOLVED')).toBe('Dispute resolved');
  });
});
