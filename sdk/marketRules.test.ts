/** The SDK's copy of the contract's rules against the deployed contract's own constants. */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { parseEther } from 'viem';
import { loomMarketAbi } from '../abis/generated';
import * as rules from './marketRules';
import { type Stack, startStack } from '../testkit/stack';

let m: Stack;
beforeAll(async () => {
  m = await startStack({ name: 'market-rules', jobDefaults: { budget: parseEther('0.1'), collateral: parseEther('0.01'), executionTimeout: 3600, challengeWindow: 600, minGpuCount: 1, minVramMiB: 16_384 } });
});
afterAll(async () => {
  await m?.stop();
});

test.each(['MAX_OPEN_PERIOD', 'MAX_EXECUTION_TIMEOUT', 'MAX_CHALLENGE_WINDOW', 'ACCEPT_WINDOW', 'ARBITRATION_PERIOD'] as const)(
  '%s is the contract constant',
  async (name) => {
    const onChain = await m.publicClient.readContract({ address: m.market, abi: loomMarketAbi, functionName: name });
    expect(rules[name]).toBe(Number(onChain));
  },
);
