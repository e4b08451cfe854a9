import { describe, expect, it } from 'vitest';
import { CliError } from '../cliError';
import { MAX_UINT96, parseAmount, parseCount, parseMiB } from './parseAmount';

const eth = { flag: '--budget', symbol: 'ETH' };
const usdc = { flag: '--budget', symbol: 'tUSDC' };

describe('parseAmount', () => {
  it('default', () => {
    expect(parseAmount('0.5', 18, eth)).toBe(500_000_000_000_000_000n);
    expect(parseAmount('1', 18, eth)).toBe(10n ** 18n);
    expect(parseAmount('250', 6, usdc)).toBe(250_000_000n);
    expect(parseAmount('0.000001', 6, usdc)).toBe(1n);
    expect(parseAmount('.5', 6, usdc)).toBe(500_000n);
    expect(parseAmount('1_000', 6, usdc)).toBe(1_000_000_000n);
  });

  it('error: more decimals than the token has is refused, not rounded', () => {
    expect(() => parseAmount('0.0000001', 6, usdc)).toThrowError(/has 7 decimals; tUSDC has 6/);
  });

  it('error: not an amount', () => {
    for (const bad of ['', 'abc', '-1', '1e18', '0x10', '1,5', '1.', '1.2.3']) {
      expect(() => parseAmount(bad, 18, eth)).toThrowError(CliError);
    }
    expect(() => parseAmount('lots', 18, eth)).toThrowError('--budget: "lots" is not an amount of ETH (e.g. 0.5)');
  });

  it('error: over uint96', () => {
    expect(parseAmount(MAX_UINT96.toString(), 0, eth)).toBe(MAX_UINT96);
    expect(() => parseAmount((MAX_UINT96 + 1n).toString(), 0, eth)).toThrowError(/more than the contract can hold/);
  });
});

describe('parseMiB', () => {
  it('default', () => {
    expect(parseMiB('40960', '--min-vram')).toBe(40_960);
    expect(parseMiB('40GiB', '--min-vram')).toBe(40_960);
    expect(parseMiB('40g', '--min-vram')).toBe(40_960);
    expect(parseMiB('512MiB', '--min-vram')).toBe(512);
    expect(parseMiB('1.5GiB', '--min-vram')).toBe(1536);
    expect(parseMiB('1TiB', '--min-vram')).toBe(1_048_576);
  });

  it('error: not a size', () => {
    for (const bad of ['', 'big', '40GB', '-1', '0.5MiB', '5000TiB']) expect(() => parseMiB(bad, '--min-vram')).toThrowError(CliError);
  });
});

describe('parseCount', () => {
  it('default', () => {
    expect(parseCount('2', '--min-gpus', 16)).toBe(2);
    expect(() => parseCount('17', '--min-gpus', 16)).toThrowError(/from 0 to 16/);
    expect(() => parseCount('1.5', '--min-gpus', 16)).toThrowError(CliError);
  });
});
