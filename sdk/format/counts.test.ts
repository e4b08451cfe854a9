import { describe, expect, test } from 'vitest';
import { formatCount, JOB_COUNT_UP_TO } from './counts';

describe('formatCount', () => {
  test('default: exact counts with thousands separators', () => {
    expect(formatCount(0)).toBe('0');
    expect(formatCount(12_345)).toBe('12,345');
  });

  test('behavior: a count that reached its cap reads as "at least"', () => {
    expect(formatCount(JOB_COUNT_UP_TO, JOB_COUNT_UP_TO)).toBe('1,000+');
    expect(formatCount(JOB_COUNT_UP_TO - 1, JOB_COUNT_UP_TO)).toBe('999');
  });
});
