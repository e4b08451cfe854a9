/**
 * Replicated jobs through the API, against a real PostgreSQL schema holding the deterministic market
 * (test/fixtures.ts: sixty single jobs, then a replicated job still open, one that reached its
 * quorum, one without a quorum, one expired unfilled): their struct, progress, slots and settlement in
 * `job` and `jobs`, the kind filter, time travel, matchWorkers leaving out a job's workers, credits
 * per market and the markets' settings, both reputation versions, and the emitting contract of events.
 */
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { foldJob } from '../indexer/src/fold/job';
import { reputationV1 } from '../indexer/src/reputation';
import { createApi } from './createApi';
import {
  accounts,
  ETH,
  H_BAD,
  H_GOOD,
  jobIdOf,
  loadFixture,
  MARKET,
  REPLICATED_JOBS,
  REPLICATED_MARKET,
  replicatedJobIdOf,
  USDC,
  type Fixture,
} from './test/fixtures';
import { gql } from './test/gql';
import { createTestDatabase, type TestDatabase } from './test/testDatabase';

let t: TestDatabase;
let fixture: Fixture;
let app: ReturnType<typeof createApi>;

beforeAll(async () => {
  t = await createTestDatabase();
  fixture = await loadFixture(t);
  app = createApi({ db: t.db, tables: t.tables, foldJob, logger: pino({ level: 'silent' }) });
});
afterAll(async () => {
  await t?.drop();
});

async function data(query: string, variables?: Record<string, unknown>) {
  const res = await gql(app, query, variables);
  expect(res.body.errors, res.text).toBeUndefined();
  return res.body.data;
}

const PRICE = 10n ** 16n;
const COLLATERAL = 2n * 10n ** 17n;
const GROSS = (3n * PRICE) / 2n;
const FEE = GROSS / 100n;
const ZERO = `0x${'0'.repeat(40)}`;
const quorumId = replicatedJobIdOf(REPLICATED_JOBS.quorum);
const openId = replicatedJobIdOf(REPLICATED_JOBS.open);

const REPLICATED = `kind market status closeReason outcome worker assignee { address } price resultHash resultURI
  replicas quorum slotsFilled commits reveals commitDeadline revealDeadline workerPayout fee clientRefund slashed
  winnerSlashShare clientSlashShare asOfBlock
  replicatedTerms { client token price collateral feeBps replicas quorum openUntil commitWindow revealWindow minGpuCount minVramMiB gpuModel specHash salt }
  terms { arbiter budget mode executionTimeout challengeWindow collateral }
  slots { index worker holder { address } state commitment resultHash resultURI revealOrder verdict payout slashed slashShare takenBlock }`;

describe('replicated jobs', () => {
  test("default: a replicated job carries LoomReplicatedMarket's struct, its progress, slots and settlement", async () => {
    const posted = fixture.events.find((e) => e.name === 'ReplicatedJobPosted' && e.jobId === quorumId)!;
    const terms = (posted.args as { terms: Record<string, unknown> }).terms;
    const { job } = await data(`{ job(id: "${quorumId}") { ${REPLICATED} } }`);
    expect(job.replicatedTerms).toEqual({ ...terms, openUntil: String(terms.openUntil) });
    expect(job).toMatchObject({
      kind: 'REPLICATED',
      market: REPLICATED_MARKET,
      status: 'CLOSED',
      closeReason: null,
      outcome: 'QUORUM_REACHED',
      worker: null,
      assignee: null,
      price: String(PRICE),
      // The quorum's hash, and the URI of its first reveal: slot 2 revealed before slot 0.
      resultHash: H_GOOD,
      resultURI: `ipfs://${quorumId.slice(-4)}-2`,
      replicas: 3,
      quorum: 2,
      slotsFilled: 3,
      commits: 3,
      reveals: 3,
      commitDeadline: String(BigInt(terms.openUntil as number) + 3600n),
      revealDeadline: String(terms.openUntil),
      workerPayout: String(2n * (GROSS - FEE)),
      fee: String(2n * FEE),
      clientRefund: '0',
      slashed: String(COLLATERAL),
      winnerSlashShare: String(COLLATERAL / 4n),
      clientSlashShare: String(COLLATERAL / 2n),
      asOfBlock: null,
      // The single-job shape: no arbiter, the escrow as budget, first come first served, no windows.
      terms: { arbiter: ZERO, budget: String(3n * PRICE), mode: 'CLAIM', executionTimeout: 0, challengeWindow: 0, collateral: String(COLLATERAL) },
    });
    const { w1, w3, w4 } = accounts;
    expect(job.slots.map((s: Record<string, unknown>) => [s.index, s.worker, (s.holder as { address: string }).address, s.state, s.resultHash, s.revealOrder, s.verdict])).toEqual([
      [0, w1, w1, 'REVEALED', H_GOOD, 3, 'AGREED'],
      [1, w3, w3, 'REVEALED', H_BAD, 2, 'DISAGREED'],
      [2, w4, w4, 'REVEALED', H_GOOD, 1, 'AGREED'],
    ]);
    expect(job.slots.map((s: Record<string, unknown>) => [s.payout, s.slashed, s.slashShare])).toEqual([
      [String(GROSS - FEE), '0', String(COLLATERAL / 4n)],
      ['0', String(COLLATERAL), '0'],
      [String(GROSS - FEE), '0', String(COLLATERAL / 4n)],
    ]);
    expect(job.slots[0].commitment).toMatch(/^0x[0-9a-f]{64}$/);
  });

  test('behavior: each kind has only its own fields; the kind filter lists each', async () => {
    const { job } = await data(`{ job(id: "${jobIdOf(3)}") { kind market replicatedTerms { price } replicas slotsFilled outcome slots { index } winnerSlashShare } }`);
    expect(job).toEqual({ kind: 'SINGLE', market: MARKET, replicatedTerms: null, replicas: null, slotsFilled: null, outcome: null, slots: [], winnerSlashShare: null });

    const replicated = await data('{ jobs(filter: { kind: REPLICATED }, first: 100) { totalCount edges { node { id status outcome slotsFilled } } } }');
    expect(replicated.jobs.totalCount).toBe(4);
    expect(replicated.jobs.edges.map((e: { node: unknown }) => e.node)).toEqual([
      { id: replicatedJobIdOf(3), status: 'CLOSED', outcome: 'EXPIRED_UNFILLED', slotsFilled: 1 },
      { id: replicatedJobIdOf(2), status: 'CLOSED', outcome: 'NO_QUORUM', slotsFilled: 3 },
      { id: quorumId, status: 'CLOSED', outcome: 'QUORUM_REACHED', slotsFilled: 3 },
      { id: openId, status: 'OPEN', outcome: null, slotsFilled: 1 },
    ]);
    const single = await data('{ jobs(filter: { kind: SINGLE }, first: 0) { totalCount } }');
    expect(single.jobs.totalCount).toBe(fixture.jobs.filter((j) => j.kind === 'SINGLE').length);

    // A slot's worker finds the job among its jobs.
    const w3 = await data(`{ jobs(filter: { worker: "${accounts.w3}" }, first: 100) { edges { node { id } } } }`);
    expect(w3.jobs.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([replicatedJobIdOf(3), replicatedJobIdOf(2), quorumId]);
  });

  test('behavior: no quorum and an unfilled expiry: no result, the client refunded, only the silent slot judged', async () => {
    const noQuorum = await data(`{ job(id: "${replicatedJobIdOf(REPLICATED_JOBS.noQuorum)}") { resultHash resultURI clientRefund clientSlashShare slots { verdict slashed } } }`);
    expect(noQuorum.job).toEqual({
      resultHash: null,
      resultURI: null,
      clientRefund: String(3n * PRICE),
      clientSlashShare: String(COLLATERAL),
      slots: [
        { verdict: null, slashed: '0' },
        { verdict: null, slashed: '0' },
        { verdict: 'UNREVEALED', slashed: String(COLLATERAL) },
      ],
    });
    const expired = await data(`{ job(id: "${replicatedJobIdOf(REPLICATED_JOBS.expired)}") { status outcome slots { state verdict payout slashed } } }`);
    expect(expired.job).toEqual({ status: 'CLOSED', outcome: 'EXPIRED_UNFILLED', slots: [{ state: 'TAKEN', verdict: null, payout: '0', slashed: '0' }] });
  });

  test('behavior: time travel replays a replicated job with its slots', async () => {
    const before = await data(`query($b: BigInt) { job(id: "${quorumId}", atBlock: $b) { status outcome reveals resultHash asOfBlock slots { state verdict payout } } }`, {
      b: String(fixture.quorumRevealedBlock),
    });
    expect(before.job).toEqual({
      status: 'SUBMITTED',
      outcome: null,
      reveals: 3,
      resultHash: null,
      asOfBlock: String(fixture.quorumRevealedBlock),
      slots: [0, 1, 2].map(() => ({ state: 'REVEALED', verdict: null, payout: null })),
    });
    const posted = fixture.events.find((e) => e.jobId === quorumId)!.blockNumber;
    const fresh = await data(`{ job(id: "${quorumId}", atBlock: "${posted}") { status slotsFilled slots { index } } }`);
    expect(fresh.job).toEqual({ status: 'OPEN', slotsFilled: 0, slots: [] });
    // Folded to the block before the head, every replicated job is what its rows say now.
    for (const i of Object.values(REPLICATED_JOBS)) {
      const id = replicatedJobIdOf(i);
      const last = fixture.events.filter((e) => e.jobId === id).at(-1)!;
      if (last.blockNumber >= fixture.head) continue;
      const d = await data(`{ now: job(id: "${id}") { ${REPLICATED} } past: job(id: "${id}", atBlock: "${fixture.head - 1n}") { ${REPLICATED} } }`);
      expect({ ...d.past, asOfBlock: null }).toEqual(d.now);
    }
  });

  test("default: matchWorkers ranks the eligible workers that hold none of the job's slots", async () => {
    const scores = '{ worker { address } score reputationScore priceScore fitScore }';
    const single = await data(`{ matchWorkers(jobId: "${fixture.matchJobId}") ${scores} }`);
    // The open replicated job asks what job 42 asks; w1 already holds its slot 0.
    const open = await data(`{ matchWorkers(jobId: "${openId}") ${scores} }`);
    expect(single.matchWorkers.map((m: { worker: { address: string } }) => m.worker.address)).toEqual([accounts.w4, accounts.w1]);
    expect(open.matchWorkers).toEqual(single.matchWorkers.filter((m: { worker: { address: string } }) => m.worker.address !== accounts.w1));
    // Every eligible worker holds a slot of the quorum job.
    expect((await data(`{ matchWorkers(jobId: "${quorumId}") { score } }`)).matchWorkers).toEqual([]);
  });
});

describe('markets and credits', () => {
  test("default: credits per market and token, the single-worker market first; every market's settings", async () => {
    const d = await data(`{ credits(account: "${accounts.client1}") { market kind token amount credited withdrawn }
      markets { address kind feeBps treasury defaultArbiter allowedTokens arbiters updatedBlock }
      replicated: market(address: "${REPLICATED_MARKET}") { address kind feeBps } single: market { address } }`);
    expect(d.credits).toEqual([
      { market: MARKET, kind: 'SINGLE', token: ETH, amount: String(10n ** 15n), credited: String(2n * 10n ** 15n), withdrawn: String(10n ** 15n) },
      { market: MARKET, kind: 'SINGLE', token: USDC, amount: '0', credited: '5', withdrawn: '5' },
      { market: REPLICATED_MARKET, kind: 'REPLICATED', token: ETH, amount: String(3n * 10n ** 16n), credited: String(3n * 10n ** 16n), withdrawn: '0' },
    ]);
    expect(d.markets).toEqual([
      { address: MARKET, kind: 'SINGLE', feeBps: 100, treasury: accounts.treasury, defaultArbiter: accounts.arbiter, allowedTokens: [ETH, USDC], arbiters: [accounts.arbiter], updatedBlock: '1' },
      // Its own allow-list; no arbiters.
      { address: REPLICATED_MARKET, kind: 'REPLICATED', feeBps: 150, treasury: accounts.treasury, defaultArbiter: ZERO, allowedTokens: [ETH, '0x00000000000000000000000000000000000000ee'], arbiters: [], updatedBlock: '2' },
    ]);
    expect(d.replicated).toEqual({ address: REPLICATED_MARKET, kind: 'REPLICATED', feeBps: 150 });
    expect(d.single).toEqual({ address: MARKET });
  });
});

describe('workers and events', () => {
  test('behavior: reputation in either version: the stored one, or version 1 from the counters', async () => {
    const row = fixture.workers.find((w) => w.address === accounts.w2)!;
    const d = await data(`{ worker(address: "${accounts.w2}") { reputation reputationVersion v1: reputation(version: 1) v2: reputation(version: 2) clients evidence: replicasAgreed encryptionKey } }`);
    expect(d.worker).toEqual({ reputation: row.reputation, reputationVersion: 2, v1: reputationV1(row), v2: row.reputation, clients: 0, evidence: 0, encryptionKey: null });
    expect(reputationV1(row)).not.toBe(row.reputation);
  });

  test('default: every event says which contract emitted it', async () => {
    const d = await data(`{ jobEvents(filter: { names: ["SlotTaken"], account: "${accounts.w1}" }, first: 100) { edges { node { name contract jobId account } } } }`);
    expect(d.jobEvents.edges.map((e: { node: unknown }) => e.node)).toEqual(
      [openId, quorumId, replicatedJobIdOf(2)].map((jobId) => ({ name: 'SlotTaken', contract: REPLICATED_MARKET, jobId, account: accounts.w1 })),
    );
    const posted = await data(`{ jobEvents(filter: { jobId: "${jobIdOf(0)}" }) { edges { node { contract } } } }`);
    expect(posted.jobEvents.edges[0].node.contract).toBe(MARKET);
  });
});
