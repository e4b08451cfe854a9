import { describe, expect, test } from 'vitest';
import { parseEther } from 'viem';
import { canCancelReplicated, formatEscrow, outcomeLabel, outcomeOf, replicationStanding, slotStateLabel, verdictLabel, type ReplicationProgress } from './replication';
import { ETH_TOKEN, testUsdc } from './tokens';

const openUntil = 1_700_000_000;
const job = (patch: Partial<ReplicationProgress> = {}): ReplicationProgress => ({
  status: 'OPEN',
  replicas: 3,
  quorum: 2,
  filled: 0,
  committed: 0,
  revealed: 0,
  openUntil,
  commitWindow: 600,
  revealWindow: 300,
  ...patch,
});
const phaseAt = (patch: Partial<ReplicationProgress>, now: number) => replicationStanding(job(patch), now).phase;

describe('replicationStanding', () => {
  test('default: slots are taken until openUntil, with their deadline', () => {
    expect(replicationStanding(job({ filled: 1 }), openUntil - 10)).toEqual({
      phase: 'TAKING_SLOTS',
      label: 'Taking slots: 1 of 3',
      deadline: { label: 'Slots open until', at: openUntil },
      commitDeadline: openUntil + 600,
      revealDeadline: openUntil + 900,
    });
  });

  test('behavior: short of the quorum when slots close, anyone may finalize (expired unfilled)', () => {
    expect(phaseAt({ filled: 1 }, openUntil)).toBe('TAKING_SLOTS');
    expect(replicationStanding(job({ filled: 1 }), openUntil + 1)).toMatchObject({ phase: 'FINALIZABLE', label: 'Ready to finalize: fewer than 2 slots were taken' });
  });

  test('behavior: with the quorum taken, free slots stay open until openUntil, then commits are due', () => {
    expect(phaseAt({ filled: 2, committed: 1 }, openUntil)).toBe('TAKING_SLOTS');
    expect(replicationStanding(job({ filled: 2, committed: 1 }), openUntil + 1)).toMatchObject({
      phase: 'COMMITTING',
      label: 'Committing: 1 of 2',
      deadline: { label: 'Commits due', at: openUntil + 600 },
    });
    // A full job is past taking slots at once.
    expect(phaseAt({ filled: 3, committed: 2 }, openUntil - 100)).toBe('COMMITTING');
  });

  test('behavior: every commit of a full job opens the reveal phase at once, to the indexed deadline', () => {
    const early = openUntil - 50 + 300;
    expect(replicationStanding(job({ filled: 3, committed: 3, revealDeadline: early }), openUntil - 50)).toMatchObject({
      phase: 'REVEALING',
      label: 'Revealing: 0 of 3',
      deadline: { label: 'Reveals due', at: early },
      revealDeadline: early,
    });
    expect(phaseAt({ filled: 3, committed: 3, revealed: 1, revealDeadline: early }, early + 1)).toBe('FINALIZABLE');
  });

  test('behavior: otherwise reveals open at the commit deadline and last the reveal window', () => {
    const p = { filled: 2, committed: 2, revealed: 1 };
    expect(phaseAt(p, openUntil + 600)).toBe('COMMITTING');
    expect(phaseAt(p, openUntil + 601)).toBe('REVEALING');
    expect(phaseAt(p, openUntil + 900)).toBe('REVEALING');
    expect(replicationStanding(job(p), openUntil + 901)).toMatchObject({ phase: 'FINALIZABLE', label: 'Ready to finalize: the reveal phase is over' });
    // The indexed deadline only counts when the reveal phase opened early.
    expect(phaseAt({ ...p, revealDeadline: openUntil + 100 }, openUntil + 700)).toBe('REVEALING');
  });

  test('behavior: once every taken slot revealed, finalize need not wait; a closed job is closed', () => {
    expect(replicationStanding(job({ filled: 3, committed: 3, revealed: 3, revealDeadline: openUntil + 9999 }), openUntil - 10)).toMatchObject({
      phase: 'FINALIZABLE',
      label: 'Ready to finalize: every slot revealed',
    });
    expect(phaseAt({ status: 'CLOSED', filled: 3, committed: 3, revealed: 3 }, openUntil)).toBe('CLOSED');
  });
});

test('canCancelReplicated: only a running job nobody took a slot of', () => {
  expect(canCancelReplicated({ status: 'OPEN', filled: 0 })).toBe(true);
  expect(canCancelReplicated({ status: 'OPEN', filled: 1 })).toBe(false);
  expect(canCancelReplicated({ status: 'CLOSED', filled: 0 })).toBe(false);
});

test('labels: outcomes, slot states and verdicts in words; unknown names as they are', () => {
  expect(['QUORUM_REACHED', 'NO_QUORUM', 'EXPIRED_UNFILLED', 'CANCELLED', 'LATER'].map(outcomeLabel)).toEqual([
    'Quorum reached',
    'No quorum',
    'Expired unfilled',
    'Cancelled',
    'LATER',
  ]);
  expect([0, 1, 2, 3, 4, 5].map(outcomeOf)).toEqual([undefined, 'QUORUM_REACHED', 'NO_QUORUM', 'EXPIRED_UNFILLED', 'CANCELLED', undefined]);
  expect(['TAKEN', 'COMMITTED', 'REVEALED'].map(slotStateLabel)).toEqual(['Running', 'Committed', 'Revealed']);
  expect([null, 'AGREED', 'DISAGREED', 'UNREVEALED'].map(verdictLabel)).toEqual(['—', 'Agreed', 'Disagreed: slashed', 'Never revealed: slashed']);
});

test('formatEscrow: the price of one replica times n, in the token', () => {
  expect(formatEscrow(parseEther('0.01'), 3, ETH_TOKEN)).toBe('3 × 0.01 ETH = 0.03 ETH');
  expect(formatEscrow('2500000', 2, testUsdc('0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512'))).toBe('2 × 2.5 tUSDC = 5 tUSDC');
});
