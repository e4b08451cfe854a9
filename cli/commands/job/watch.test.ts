import { describe, expect, it } from 'vitest';
import { ETH_TOKEN } from '../../../sdk/format/tokens';
import { summarizeArgs } from './watch';

describe('event summaries', () => {
  it('amounts in the token, collateral in ETH, reasons by name', () => {
    const usdc = { address: '0x1', symbol: 'tUSDC', decimals: 6 };
    expect(summarizeArgs({ name: 'JobAssigned', args: { jobId: '0x1', worker: '0xabc', price: '30000', refund: '0', collateral: '100000000000000000' } }, usdc)).toBe(
      'worker=0xabc price=0.03 tUSDC refund=0 tUSDC collateral=0.1 ETH',
    );
    expect(summarizeArgs({ name: 'JobClosed', args: { jobId: '0x1', reason: '1', workerPayout: '29700', fee: '300' } }, usdc)).toBe(
      'reason=Completed workerPayout=0.0297 tUSDC fee=0.0003 tUSDC',
    );
    expect(summarizeArgs({ name: 'JobPosted', args: { client: '0xc', terms: { budget: '500000000000000000', mode: 0 } } }, ETH_TOKEN)).toBe('client=0xc mode=CLAIM budget=0.5 ETH');
  });
});
