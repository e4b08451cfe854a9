/** The SDK's copy of the contract's rules against the deployed contract's own constants. */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { loomMarketAbi } from '../abis/generated';
import * as rules from './marketRules';
import { startLocalMarket, type LocalMarket } from './test/localMarket';

let m: LocalMarket;
beforeAll(async () => {
  m = await startLocalMarket('market-rules');
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
