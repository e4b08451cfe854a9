import { expect, test } from 'vitest';
import { formatDuration, formatRelative } from './durations';

test('default: durations and relative times', () => {
  expect(formatDuration(45)).toBe('45 s');
  expect(formatDuration(5400)).toBe('1 h 30 min');
  expect(formatDuration(3 * 86400 + 7200)).toBe('3 d 2 h');
  expect(formatRelative(1000 + 300, 1000)).toBe('in 5 min');
  expect(formatRelative(1000 - 7200, 1000)).toBe('2 h ago');
  expect(formatRelative(1002, 1000)).toBe('just now');
});
