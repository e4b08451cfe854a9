import { describe, expect, it } from 'vitest';
import { stringToHex } from 'viem';
import { ETH_TOKEN, decodeGpuModel, formatAmount, formatRequirement, formatTime, shortId, toJson } from './format';

describe('format', () => {
  it('formatAmount', () => {
    expect(formatAmount('500000000000000000', ETH_TOKEN)).toBe('0.5 ETH');
    expect(formatAmount(250_000_000n, { address: '0x1', symbol: 'tUSDC', decimals: 6 })).toBe('250 tUSDC');
    expect(formatAmount(null, ETH_TOKEN)).toBe('-');
    expect(formatAmount('7', undefined)).toBe('7 units');
  });

  it('formatTime', () => {
    expect(formatTime(1_000_000, 1_000_000 - 5400)).toBe('1970-01-12 13:46:40Z (in 1h30m)');
    expect(formatTime(1_000_000, 1_000_060)).toBe('1970-01-12 13:46:40Z (1m ago)');
    expect(formatTime(null)).toBe('-');
  });

  it('shortId, gpu model, requirement', () => {
    expect(shortId('0x1234567890abcdef1234567890abcdef')).toBe('0x12345678…cdef');
    expect(decodeGpuModel(stringToHex('NVIDIA H100', { size: 32 }))).toBe('NVIDIA H100');
    expect(decodeGpuModel(`0x${'0'.repeat(64)}`)).toBeNull();
    expect(formatRequirement(0, 0, null)).toBe('no GPU');
    expect(formatRequirement(2, 40960, 'H100')).toBe('2 GPUs · 40960 MiB VRAM · H100');
  });

  it('toJson keeps bigints exact', () => {
    expect(toJson({ a: 2n ** 96n }, false)).toBe('{"a":"79228162514264337593543950336"}\n');
  });
});
