import { describe, expect, test } from 'vitest';
import { formatReputation, shortAddress, shortHash } from './format';

describe('addresses and reputation', () => {
  test('default: addresses are shortened', () => {
    expect(shortAddress('0x70997970C51812dc3A010C7d01b50e0d17dc79C8')).toBe('0x7099…79C8');
    expect(shortAddress(null)).toBe('—');
    expect(shortHash(`0x${'ab'.repeat(32)}`)).toBe('0xabababab…abab');
  });

  test('default: reputation out of 100', () => {
    expect(formatReputation(875)).toBe('87.5');
  });
});
