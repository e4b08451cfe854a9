import { describe, expect, it } from 'vitest';
import { CliError } from '../cliError';
import { formatDuration, parseDuration } from './parseDuration';

describe('parseDuration', () => {
  it('default', () => {
    expect(parseDuration('1h', '--x')).toBe(3600);
    expect(parseDuration('30m', '--x')).toBe(1800);
    expect(parseDuration('1h30m', '--x')).toBe(5400);
    expect(parseDuration('1h 30m 15s', '--x')).toBe(5415);
    expect(parseDuration('2d', '--x')).toBe(172_800);
    expect(parseDuration('1w', '--x')).toBe(604_800);
    expect(parseDuration('10 min', '--x')).toBe(600);
    expect(parseDuration('3 hours', '--x')).toBe(10_800);
  });

  it('behavior: a bare number is seconds, decimals are fine when they land on a second', () => {
    expect(parseDuration('90', '--x')).toBe(90);
    expect(parseDuration('0', '--x')).toBe(0);
    expect(parseDuration('1.5h', '--x')).toBe(5400);
    expect(parseDuration('0.1m', '--x')).toBe(6);
  });

  it('error: not a duration, negative, or a fraction of a second', () => {
    for (const bad of ['', 'abc', '-1h', '1x', '1h-', 'h', '0.5s', '1.5']) {
      expect(() => parseDuration(bad, '--open-for')).toThrowError(CliError);
    }
    expect(() => parseDuration('soon', '--open-for')).toThrowError(/--open-for: "soon" is not a duration/);
  });

  it('behavior: formatDuration reads back', () => {
    for (const s of [0, 1, 59, 60, 3600, 5415, 90_061, 604_800]) expect(parseDuration(formatDuration(s), '--x')).toBe(s);
    expect(formatDuration(5400)).toBe('1h30m');
  });
});
