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

  it('replicated events: the escrow as n × price, slots, per-slot amounts, the outcome by name', () => {
    expect(summarizeArgs({ name: 'ReplicatedJobPosted', args: { client: '0xc', terms: { price: '10000000000000000', replicas: 3, quorum: 2 } } }, ETH_TOKEN)).toBe(
      'client=0xc replicas=3 quorum=2 escrow=3 × 0.01 ETH = 0.03 ETH',
    );
    expect(summarizeArgs({ name: 'SlotTaken', args: { jobId: '0x1', worker: '0xabc', slot: '0', filled: '1' } }, ETH_TOKEN)).toBe('worker=0xabc slot=0 filled=1');
    // Not every slot committed yet: no early reveal deadline to print.
    expect(summarizeArgs({ name: 'ResultCommitted', args: { jobId: '0x1', worker: '0xabc', slot: '1', committed: '2', revealDeadline: '0' } }, ETH_TOKEN)).toBe('worker=0xabc slot=1 committed=2');
    expect(summarizeArgs({ name: 'ResultCommitted', args: { worker: '0xabc', slot: '2', committed: '3', revealDeadline: '1700000000' } }, ETH_TOKEN)).toBe(
      'worker=0xabc slot=2 committed=3 revealDeadline=2023-11-14 22:13:20Z',
    );
    expect(
      summarizeArgs(
        { name: 'ReplicatedJobClosed', args: { jobId: '0x1', outcome: '1', payouts: ['9750000000000000', '0'], slashed: ['0', '50000000000000000'], fee: '250000000000000', clientSlashShare: '25000000000000000' } },
        ETH_TOKEN,
      ),
    ).toBe('outcome=QUORUM_REACHED payouts=[0.00975 ETH, 0 ETH] slashed=[0 ETH, 0.05 ETH] fee=0.00025 ETH clientSlashShare=0.025 ETH');
  });
});
