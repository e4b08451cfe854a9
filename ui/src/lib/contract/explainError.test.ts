import { describe, expect, test } from 'vitest';
import {
  ContractFunctionExecutionError,
  ContractFunctionRevertedError,
  encodeErrorResult,
  InsufficientFundsError,
  parseEther,
  UserRejectedRequestError,
  type Hex,
} from 'viem';
import { loomMarketAbi, testUsdcAbi } from '$abis/generated';
import { createTokenRegistry } from '$sdk/format/tokens';
import { WrongNetworkError } from '$lib/wallet/walletState.svelte';
import { decodeRevertData } from '$sdk/revert';
import { explainError, revertMessage } from './explainError';

const JOB = `0x${'ab'.repeat(32)}` as Hex;
const ME = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8' as const;
const usdc = '0xe7f1725e7734ce288f8367e1bb143e90bb3f0512' as const;

/** What viem throws when a simulation reverts: the revert inside a ContractFunctionExecutionError. */
function simulated(data: Hex, abi: readonly unknown[] = loomMarketAbi) {
  const reverted = new ContractFunctionRevertedError({ abi: abi as never, data, functionName: 'release' });
  return new ContractFunctionExecutionError(reverted, { abi: abi as never, functionName: 'release', args: [] });
}

describe('reverts by Solidity error name, in words', () => {
  test('default: a market error decoded by viem', () => {
    const data = encodeErrorResult({ abi: loomMarketAbi, errorName: 'NotClient', args: [JOB, ME] });
    const e = explainError(simulated(data));
    expect(e).toMatchObject({ kind: 'revert', title: 'NotClient', errorName: 'NotClient' });
    expect(e.message).toBe("Only the job's client can do this, and the connected account is not the client.");
  });

  test('behavior: the values in the error make the sentence (statuses, deadlines, amounts)', () => {
    const status = encodeErrorResult({ abi: loomMarketAbi, errorName: 'UnexpectedStatus', args: [JOB, 3, 5] });
    expect(explainError(simulated(status)).message).toBe('The job is closed; this needs it to be waiting for release.');
    const late = encodeErrorResult({ abi: loomMarketAbi, errorName: 'DeadlinePassed', args: [JOB, 1_700_000_000n, 1_700_000_100n] });
    expect(explainError(simulated(late)).message).toMatch(/^Too late: the deadline for this step was .*2023/);
    const stake = encodeErrorResult({ abi: loomMarketAbi, errorName: 'InsufficientFreeStake', args: [ME, parseEther('0.05'), parseEther('0.1')] });
    expect(explainError(simulated(stake)).message).toBe("The worker's free stake (0.05 ETH) does not cover the job's collateral (0.1 ETH).");
  });

  test('behavior: an ERC-20 error bubbling out of postJob, which the market ABI cannot decode, is decoded with the token’s', () => {
    const data = encodeErrorResult({ abi: testUsdcAbi, errorName: 'ERC20InsufficientAllowance', args: ['0x5FbDB2315678afecb367f032d93F642f64180aa3', 0n, 1_500_000n] });
    const token = createTokenRegistry(usdc).get(usdc);
    const e = explainError(simulated(data), { token });
    expect(e.title).toBe('ERC20InsufficientAllowance');
    expect(e.message).toBe('The market may spend only 0 tUSDC of your tokens and needs 1.5 tUSDC: approve the amount first.');
  });

  test('behavior: raw revert data in a wallet’s RPC error (no viem decoding on the way)', () => {
    const data = encodeErrorResult({ abi: loomMarketAbi, errorName: 'ZeroBudget' });
    const rpcError = Object.assign(new Error('execution reverted'), { code: 3, data });
    const wrapped = Object.assign(new Error('The contract function "postJob" reverted.'), { cause: rpcError });
    expect(explainError(wrapped)).toMatchObject({ kind: 'revert', errorName: 'ZeroBudget', args: [] });
    expect(explainError(wrapped).message).toBe('The budget must be more than zero.');
  });

  test("default: every error of the market's and the token's ABIs has its own sentence", () => {
    for (const item of [...loomMarketAbi, ...testUsdcAbi]) {
      if (item.type !== 'error') continue;
      const args = item.inputs.map((i) => (i.type === 'address' ? ME : i.type === 'bytes32' ? JOB : i.type === 'uint8' ? 1 : 1n));
      const message = revertMessage(item.name, args);
      expect(message, item.name).not.toMatch(/refused the call/);
      expect(decodeRevertData(encodeErrorResult({ abi: [item], errorName: item.name, args } as never))?.name).toBe(item.name);
    }
  });

  test('error: unknown revert data is not guessed', () => {
    expect(decodeRevertData('0xdeadbeef')).toBeUndefined();
    expect(revertMessage('SomethingNew')).toBe('The contract refused the call (SomethingNew).');
  });
});

describe('wallet and network errors', () => {
  test('default: a declined signature', () => {
    const e = explainError(new UserRejectedRequestError(new Error('User rejected the request.')));
    expect(e).toMatchObject({ kind: 'rejected', title: 'Signature declined', message: 'You declined the request in your wallet. Nothing was sent.' });
    // An EIP-1193 error object from an injected wallet, wrapped by viem or not.
    expect(explainError(Object.assign(new Error('denied'), { code: 4001 })).kind).toBe('rejected');
    expect(explainError(new Error('outer', { cause: { code: 4001, message: 'no' } })).kind).toBe('rejected');
  });

  test('default: the wrong network', () => {
    const e = explainError(new WrongNetworkError('The wallet is on chain 1, not 31337.'));
    expect(e.kind).toBe('chain');
    expect(e.message).toMatch(/Switch to the network shown at the top/);
  });

  test('default: not enough ETH for gas', () => {
    expect(explainError(new InsufficientFundsError()).kind).toBe('funds');
  });

  test('behavior: anything else keeps its short message', () => {
    expect(explainError(new Error('boom'))).toEqual({ kind: 'unknown', title: 'Something went wrong', message: 'boom' });
  });
});
