import { zeroHash } from 'viem';
import { describe, expect, test } from 'vitest';
import type { ReplicatedJobTerms } from '../../sdk/writes';
import { commitDeadlineOf, finalizeDue, revealOpen, slotOf } from './replicatedJob';

const terms: ReplicatedJobTerms = {
  client: '0x0000000000000000000000000000000000000001',
  token: '0x0000000000000000000000000000000000000000',
  price: 100n,
  collateral: 10n,
  feeBps: 100,
  replicas: 3,
  quorum: 2,
  openUntil: 1_000,
  commitWindow: 100,
  revealWindow: 50,
  minGpuCount: 0,
  minVramMiB: 0,
  gpuModel: zeroHash,
  specHash: zeroHash,
  salt: 1n,
};
const job = (o: { filled?: number; committed?: number; revealed?: number; revealDeadline?: number; status?: 'OPEN' | 'ASSIGNED' | 'SUBMITTED' | 'CLOSED' } = {}) => ({
  terms,
  status: o.status ?? 'SUBMITTED',
  filled: o.filled ?? 3,
  committed: o.committed ?? 0,
  revealed: o.revealed ?? 0,
  revealDeadline: o.revealDeadline ?? 1_150,
});

describe('replicated job phases', () => {
  test('default: the commit deadline is openUntil + commitWindow', () => {
    expect(commitDeadlineOf(terms)).toBe(1_100);
  });

  test('behavior: the reveal phase opens once every slot of a full job committed, else only after the commit deadline', () => {
    expect(revealOpen(job({ committed: 2 }), 1_050)).toBe(false);
    expect(revealOpen(job({ committed: 3 }), 1_050)).toBe(true);
    // Two slots taken, both committed: not full, so the deadline decides.
    expect(revealOpen(job({ filled: 2, committed: 2 }), 1_100)).toBe(false);
    expect(revealOpen(job({ filled: 2, committed: 2 }), 1_101)).toBe(true);
  });

  test('behavior: finalize is due once every taken slot revealed or after the reveal deadline; with too few slots, after openUntil; never twice', () => {
    expect(finalizeDue(job({ committed: 3, revealed: 2 }), 1_120)).toBe(false);
    expect(finalizeDue(job({ committed: 3, revealed: 3 }), 1_120)).toBe(true);
    expect(finalizeDue(job({ committed: 3, revealed: 2, revealDeadline: 1_120 }), 1_120)).toBe(false);
    expect(finalizeDue(job({ committed: 3, revealed: 2, revealDeadline: 1_120 }), 1_121)).toBe(true);
    expect(finalizeDue(job({ filled: 1, committed: 1, status: 'OPEN' }), 1_000)).toBe(false);
    expect(finalizeDue(job({ filled: 1, committed: 1, status: 'OPEN' }), 1_001)).toBe(true);
    expect(finalizeDue(job({ committed: 3, revealed: 3, status: 'CLOSED' }), 2_000)).toBe(false);
  });

  test('default: slotOf finds the worker whatever the case of its address', () => {
    const slots = [{ slot: 0, worker: '0x00000000000000000000000000000000000000AA' as const, state: 'TAKEN' as const, commitment: null, resultHash: null }];
    expect(slotOf({ slots }, '0x00000000000000000000000000000000000000aa')?.slot).toBe(0);
    expect(slotOf({ slots }, '0x00000000000000000000000000000000000000bb')).toBeUndefined();
  });
});
