import { describe, expect, test } from 'vitest';
import { BaseError, ContractFunctionExecutionError, ContractFunctionRevertedError, encodeErrorResult, type Hex } from 'viem';
import { loomMarketAbi, testUsdcAbi } from '../abis/generated';
import { loomAbi } from './contracts';
import { decodeRevert, decodeRevertData, formatRevert } from './revert';

const JOB = `0x${'ab'.repeat(32)}` as Hex;
const ME = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8' as const;

/** What viem throws when a simulation reverts: the revert inside a ContractFunctionExecutionError. */
function simulated(data: Hex, abi: readonly unknown[] = loomMarketAbi) {
  const reverted = new ContractFunctionRevertedError({ abi: abi as never, data, functionName: 'release' });
  return new ContractFunctionExecutionError(reverted, { abi: abi as never, functionName: 'release', args: [] });
}

describe('decodeRevert', () => {
  test('default: a market error viem decoded, by name with its values', () => {
    const data = encodeErrorResult({ abi: loomMarketAbi, errorName: 'UnexpectedStatus', args: [JOB, 3, 5] });
    const r = decodeRevert(simulated(data));
    expect(r).toEqual({ name: 'UnexpectedStatus', args: [JOB, 3, 5] });
    expect(formatRevert(r!)).toBe(`UnexpectedStatus(${JOB}, 3, 5)`);
  });

  test('behavior: an ERC-20 error that the call’s ABI cannot decode is decoded with the token’s errors', () => {
    const data = encodeErrorResult({ abi: testUsdcAbi, errorName: 'ERC20InsufficientAllowance', args: [ME, 0n, 5n] });
    // Simulated with the market's ABI only: viem leaves the bytes raw.
    expect(decodeRevert(simulated(data, loomMarketAbi.filter((x) => x.type !== 'error')))).toEqual({ name: 'ERC20InsufficientAllowance', args: [ME, 0n, 5n] });
  });

  test('behavior: raw revert data in a wallet’s RPC error, directly or one level deeper', () => {
    const data = encodeErrorResult({ abi: loomMarketAbi, errorName: 'NotClient', args: [JOB, ME] });
    const direct = Object.assign(new Error('execution reverted'), { code: 3, data });
    expect(decodeRevert(new Error('postJob reverted', { cause: direct }))).toEqual({ name: 'NotClient', args: [JOB, ME] });
    const nested = Object.assign(new Error('Internal JSON-RPC error.'), { code: -32603, data: { code: 3, data } });
    expect(decodeRevert(new BaseError('wrapped', { cause: nested }))?.name).toBe('NotClient');
  });

  test('behavior: revert data no ABI here knows is named by its selector, never guessed', () => {
    expect(decodeRevertData('0xdeadbeef')).toBeUndefined();
    expect(decodeRevert(Object.assign(new Error('reverted'), { data: '0xdeadbeef00' }))).toEqual({ name: 'unknown error 0xdeadbeef', args: [] });
  });

  test('error: an error that is not a revert decodes to nothing', () => {
    expect(decodeRevert(new Error('fetch failed'))).toBeUndefined();
    expect(decodeRevert('nope')).toBeUndefined();
    expect(decodeRevert(undefined)).toBeUndefined();
  });

  test('default: every error of the contract set’s (models and pools included) and the token’s ABIs round-trips by name', () => {
    for (const item of [...loomAbi, ...testUsdcAbi]) {
      if (item.type !== 'error') continue;
      const args = item.inputs.map((i) => (i.type === 'address' ? ME : i.type === 'bytes32' ? JOB : i.type === 'uint8' ? 1 : 1n));
      expect(decodeRevertData(encodeErrorResult({ abi: [item], errorName: item.name, args } as never))?.name).toBe(item.name);
    }
  });
});
