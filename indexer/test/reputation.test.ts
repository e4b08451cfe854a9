import { describe, expect, test } from 'vitest';
import {
  clientTestimony,
  evidenceDelta,
  evidenceOf,
  HARM,
  MAX_REPUTATION,
  outcomeWeight,
  paymentWeight,
  REPUTATION_VERSION,
  reputation,
  reputationByVersion,
  reputationV1,
  type ClientRecord,
  type Outcome,
  type ReputationRecordV1,
} from '../src/reputation';

const USDC = 1_000_000n; // one unit of a 6-decimal token
const ETHER = 10n ** 18n;

const success = (price: bigint, self = false): Outcome => ({ success: true, harm: 0, price, self });
const failure = (harm: number, price: bigint): Outcome => ({ success: false, harm, price, self: false });

/**
 * A worker's score after `outcomes`, each for a client (a label), folded as the indexer folds them:
 * per-client records, and the evidence kept as running sums of testimony deltas.
 */
function scoreOf(outcomes: [client: string, outcome: Outcome][]): number {
  const records = new Map<string, ClientRecord>();
  let evidenceFor = 0;
  let evidenceAgainst = 0;
  for (const [client, outcome] of outcomes) {
    const before = records.get(client);
    const add = outcomeWeight(outcome);
    const after = { successWeight: (before?.successWeight ?? 0) + add.successWeight, failureWeight: (before?.failureWeight ?? 0) + add.failureWeight };
    const delta = evidenceDelta(before, after);
    evidenceFor += delta.for;
    evidenceAgainst += delta.against;
    records.set(client, after);
  }
  // The running sums are exactly the sums over the final records: any replay gives the same score.
  expect({ evidenceFor, evidenceAgainst }).toEqual(evidenceOf([...records.values()]));
  return reputation({ evidenceFor, evidenceAgainst });
}

const times = <T>(n: number, f: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => f(i));

describe('reputation version 2', () => {
  test('default: no evidence is 500; one fully paid job from one client is 666, ten from ten clients 916', () => {
    expect(REPUTATION_VERSION).toBe(2);
    expect(scoreOf([])).toBe(500);
    expect(scoreOf([['c1', success(ETHER)]])).toBe(666);
    expect(scoreOf(times(10, (i) => [`c${i}`, success(5n * USDC)]))).toBe(916);
  });

  test('behavior: a 100-job 1-wei self-farm scores far below an honest worker with a few real clients', () => {
    // The farm: a hundred 1-wei jobs, posted by the worker to itself, or by a second address it controls.
    const toItself = scoreOf(times(100, () => ['self', success(1n, true)]));
    const throughASecondAddress = scoreOf(times(100, () => ['sybil', success(1n)]));
    // Version 1 counted every job: the same farm reached 990.
    expect(reputationV1({ jobsCompleted: 100, jobsReclaimed: 0, disputesWon: 0, disputesLost: 0, slashCount: 0 })).toBe(990);
    // Honest: three clients, two jobs each, paying 5 USDC a job.
    const honest = scoreOf(times(6, (i) => [`client${i % 3}`, success(5n * USDC)]));
    expect([toItself, throughASecondAddress, honest]).toEqual([500, 500, 846]);
    expect(honest - throughASecondAddress).toBeGreaterThanOrEqual(300);
  });

  test('behavior: even a farm paying itself real amounts through one client cannot pass 799', () => {
    const paidFarm = scoreOf(times(1000, () => ['sybil', success(ETHER)]));
    expect(paidFarm).toBe(799);
    expect(scoreOf(times(4, (i) => [`client${i}`, success(5n * USDC)]))).toBeGreaterThan(paidFarm);
  });

  test("behavior: the price weighs on a log scale of the token's smallest unit: dust nothing, half a USDC fully", () => {
    expect([0n, 1n, 1023n, 1024n, 2n ** 15n, 2n ** 19n - 1n, 2n ** 19n, USDC, ETHER].map(paymentWeight)).toEqual([
      0, 0, 0, 100, 600, 900, 1000, 1000, 1000,
    ]);
    // Tokens are not compared: 1 USDC and 1 ETH weigh the same.
    expect(scoreOf([['a', success(USDC)]])).toBe(scoreOf([['a', success(ETHER)]]));
  });

  test("behavior: one client's testimony is concave and bounded", () => {
    expect([0, 1000, 2000, 4000, 100_000, 10 ** 12].map(clientTestimony)).toEqual([0, 1000, 1500, 2000, 2941, 2999]);
    expect(scoreOf(times(10, () => ['one', success(USDC)]))).toBeLessThan(scoreOf(times(10, (i) => [`c${i}`, success(USDC)])));
  });

  test('behavior: failures weigh by harm: lost dispute < slashed lost dispute (= reclaim) < slashed silent replica', () => {
    const base: [string, Outcome][] = times(10, (i) => [`c${i}`, success(USDC)]);
    const after = (harm: number) => scoreOf([...base, ['c0', failure(harm, USDC)]]);
    const lost = after(HARM.disputeLost);
    const lostSlashed = after(HARM.disputeLost + HARM.slashed);
    const reclaimed = after(HARM.reclaimed);
    const silentSlashed = after(HARM.unrevealed + HARM.slashed);
    expect([lost, lostSlashed, reclaimed, silentSlashed]).toEqual([846, 814, 814, 797]);
    expect(after(HARM.disagreed)).toBe(lost);
    // A dust failure harms nothing, as a dust success earns nothing.
    expect(scoreOf([...base, ['c0', failure(3, 1n)]])).toBe(scoreOf(base));
  });

  test('behavior: failing many clients sinks a worker further than failing one many times', () => {
    const manyClients = scoreOf(times(5, (i) => [`c${i}`, failure(HARM.reclaimed, USDC)]));
    const oneClient = scoreOf(times(5, () => ['c', failure(HARM.reclaimed, USDC)]));
    expect(manyClients).toBeLessThan(oneClient);
    expect(manyClients).toBe(Math.floor((1000 * 1000) / (5 * clientTestimony(2000) + 2000)));
  });

  test('behavior: an integer in 0..1000, monotonic in evidence for and against', () => {
    for (let good = 0; good < 30_000; good += 2_999) {
      for (let bad = 0; bad < 30_000; bad += 2_999) {
        const score = reputation({ evidenceFor: good, evidenceAgainst: bad });
        expect(Number.isInteger(score)).toBe(true);
        expect(score).toBeGreaterThanOrEqual(0);
        expect(score).toBeLessThanOrEqual(MAX_REPUTATION);
        expect(reputation({ evidenceFor: good + 1000, evidenceAgainst: bad })).toBeGreaterThanOrEqual(score);
        expect(reputation({ evidenceFor: good, evidenceAgainst: bad + 1000 })).toBeLessThanOrEqual(score);
      }
    }
    expect(reputation({ evidenceFor: 0, evidenceAgainst: 10 ** 12 })).toBe(0);
  });

  test('error: negative or fractional weights are refused', () => {
    expect(() => reputation({ evidenceFor: -1, evidenceAgainst: 0 })).toThrow(RangeError);
    expect(() => clientTestimony(-5)).toThrow(RangeError);
    expect(() => clientTestimony(1.5)).toThrow(RangeError);
  });
});

describe('reputation version 1', () => {
  const record = (r: Partial<ReputationRecordV1> = {}): ReputationRecordV1 => ({
    jobsCompleted: 0,
    jobsReclaimed: 0,
    disputesWon: 0,
    disputesLost: 0,
    slashCount: 0,
    ...r,
  });

  test('default: the counters formula, kept for the API', () => {
    expect([0, 1, 10, 100, 10_000].map((n) => reputationV1(record({ jobsCompleted: n })))).toEqual([500, 666, 916, 990, 999]);
    expect(reputationV1(record({ jobsCompleted: 10, jobsReclaimed: 1, slashCount: 1 }))).toBe(733);
    expect(reputationV1(record({ jobsCompleted: 2, disputesWon: 1 }))).toBe(reputationV1(record({ jobsCompleted: 3 })));
  });

  test('behavior: served by version number; an unknown version is undefined', () => {
    const w = { ...record({ jobsCompleted: 10 }), evidenceFor: 1000, evidenceAgainst: 0 };
    expect([1, 2, 3].map((v) => reputationByVersion(v, w))).toEqual([916, 666, undefined]);
  });

  test('error: negative counters are refused', () => {
    expect(() => reputationV1(record({ jobsCompleted: -5 }))).toThrow(RangeError);
  });
});
