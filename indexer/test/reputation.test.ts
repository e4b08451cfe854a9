import { describe, expect, test } from 'vitest';
import { MAX_REPUTATION, REPUTATION_VERSION, reputation, type ReputationRecord } from '../src/reputation';

const record = (r: Partial<ReputationRecord> = {}): ReputationRecord => ({
  jobsCompleted: 0,
  jobsReclaimed: 0,
  disputesWon: 0,
  disputesLost: 0,
  slashCount: 0,
  ...r,
});

describe('reputation', () => {
  test('default: a worker with no record starts at 500', () => {
    expect(reputation(record())).toBe(500);
    expect(REPUTATION_VERSION).toBe(1);
  });

  test('behavior: completed jobs raise it with diminishing steps, never to 1000', () => {
    expect([1, 10, 100, 10_000].map((n) => reputation(record({ jobsCompleted: n })))).toEqual([666, 916, 990, 999]);
  });

  test('behavior: a won dispute counts as a completed job', () => {
    expect(reputation(record({ jobsCompleted: 2, disputesWon: 1 }))).toBe(reputation(record({ jobsCompleted: 3 })));
  });

  test('behavior: failures weigh by harm: lost dispute < slashed lost dispute < reclaim', () => {
    const base = { jobsCompleted: 10 };
    const lost = reputation(record({ ...base, disputesLost: 1 }));
    const lostSlashed = reputation(record({ ...base, disputesLost: 1, slashCount: 1 }));
    const reclaimed = reputation(record({ ...base, jobsReclaimed: 1, slashCount: 1 }));
    expect([lost, lostSlashed, reclaimed]).toEqual([846, 785, 733]);
    expect(lost).toBeGreaterThan(lostSlashed);
    expect(lostSlashed).toBeGreaterThan(reclaimed);
  });

  test('behavior: more completed work recovers from a failure', () => {
    const failed = record({ jobsCompleted: 5, jobsReclaimed: 1, slashCount: 1 });
    expect(reputation({ ...failed, jobsCompleted: 50 })).toBeGreaterThan(reputation(failed));
  });

  test('behavior: an integer in 0..1000, monotonic in each counter', () => {
    for (let good = 0; good < 30; good += 3) {
      for (let bad = 0; bad < 30; bad += 3) {
        const r = record({ jobsCompleted: good, disputesLost: bad });
        const score = reputation(r);
        expect(Number.isInteger(score)).toBe(true);
        expect(score).toBeGreaterThanOrEqual(0);
        expect(score).toBeLessThanOrEqual(MAX_REPUTATION);
        expect(reputation({ ...r, jobsCompleted: good + 1 })).toBeGreaterThanOrEqual(score);
        expect(reputation({ ...r, disputesLost: bad + 1 })).toBeLessThanOrEqual(score);
        expect(reputation({ ...r, jobsReclaimed: 1 })).toBeLessThanOrEqual(score);
        expect(reputation({ ...r, slashCount: 1 })).toBeLessThanOrEqual(score);
      }
    }
    expect(reputation(record({ jobsReclaimed: 1_000_000, slashCount: 1_000_000 }))).toBe(0);
  });

  test('error: negative counters are refused', () => {
    expect(() => reputation(record({ jobsCompleted: -5 }))).toThrow(RangeError);
  });
});
