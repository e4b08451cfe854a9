import { describe, expect, it } from 'vitest';
import { formatAmount } from '../../sdk/format/amounts';
import { ETH_TOKEN } from '../../sdk/format/tokens';
import { TABLE_AMOUNTS, formatTime, shortId, toJson } from './format';

describe('format', () => {
  it('formatAmount in the tables’ style', () => {
    expect(formatAmount('500000000000000000', ETH_TOKEN, TABLE_AMOUNTS)).toBe('0.5 ETH');
    expect(formatAmount(250_000_000n, { address: '0x1', symbol: 'tUSDC', decimals: 6 }, TABLE_AMOUNTS)).toBe('250 tUSDC');
    expect(formatAmount(null, ETH_TOKEN, TABLE_AMOUNTS)).toBe('-');
    expect(formatAmount('7', undefined, TABLE_AMOUNTS)).toBe('7 units');
  });

  it('formatTime', () => {
    expect(formatTime(1_000_000, 1_000_000 - 5400)).toBe('1970-01-12 13:46:40Z (in 1h30m)');
    expect(formatTime(1_000_000, 1_000_060)).toBe('1970-01-12 13:46:40Z (1m ago)');
    expect(formatTime(null)).toBe('-');
  });

  it('shortId', () => {
    expect(shortId('0x1234567890abcdef1234567890abcdef')).toBe('0x12345678…cdef');
  });

  it('toJson keeps bigints exact', () => {
    expect(toJson({ a: 2n ** 96n }, false)).toBe('{"a":"79228162514264337593543950336"}\n');
  });
});
