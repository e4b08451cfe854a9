/**
 * What the API answers, against a real PostgreSQL schema holding a deterministic market (test/fixtures.ts):
 * pages and cursors, filters and orders, nested bids and events, batching (a constant number of
 * queries per response level), time travel with the indexer's fold, statistics, matching, market,
 * balances, readiness.
 */
import pino from 'pino';
import { getAddress, stringToHex } from 'viem';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { foldJob } from '../indexer/src/fold/job';
import { createApi } from './createApi';
import { type JobFilter, jobMatcher } from './data/filters';
import type { JobRow } from './data/tables';
import { accounts, DIRECT_OFFERS, ETH, H100, jobIdOf, loadFixture, MARKET, POST_BLOCK, REPLICATED_MARKET, USDC, type Fixture } from './test/fixtures';
import { codes, gql } from './test/gql';
import { createTestDatabase, type TestDatabase } from './test/testDatabase';

let t: TestDatabase;
let fixture: Fixture;
let app: ReturnType<typeof createApi>;
const silent = pino({ level: 'silent' });

beforeAll(async () => {
  t = await createTestDatabase();
  fixture = await loadFixture(t);
  app = createApi({ db: t.db, tables: t.tables, foldJob, logger: silent });
});
afterAll(async () => {
  await t?.drop();
});

async function data(query: string, variables?: Record<string, unknown>) {
  const res = await gql(app, query, variables);
  expect(res.body.errors, res.text).toBeUndefined();
  return res.body.data;
}

/** Every id of a paged list, walking `first` at a time. */
async function walk(field: string, args: string, first: number): Promise<string[]> {
  const ids: string[] = [];
  let after: string | null = null;
  for (let pages = 0; pages < 100; pages++) {
    const d = await data(`query($after: String) { ${field}(${args} first: ${first}, after: $after) { edges { node { id } } pageInfo { hasNextPage endCursor } } }`, { after });
    const conn = d[field];
    ids.push(...conn.edges.map((e: { node: { id: string } }) => e.node.id));
    if (!conn.pageInfo.hasNextPage) return ids;
    after = conn.pageInfo.endCursor;
  }
  throw new Error('no end');
}

const cmp = (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0);
/** The median price (agreed, else budget) of the fixture's jobs: a bound that splits them. */
const midPrice = () => fixture.jobs.map((j) => j.price ?? j.budget).sort(cmp)[Math.floor(fixture.jobs.length / 2)]!;
const idsOf = (jobs: JobRow[]) => jobs.map((j) => j.id);

describe('jobs', () => {
  test('default: newest first, paged to the end with cursors', async () => {
    const ids = await walk('jobs', '', 7);
    expect(ids).toEqual(idsOf([...fixture.jobs].sort((a, b) => cmp(b.postedBlock, a.postedBlock))));
    const d = await data('{ jobs(first: 0) { totalCount edges { cursor } pageInfo { hasNextPage hasPreviousPage endCursor } } }');
    expect(d.jobs).toEqual({ totalCount: fixture.jobs.length, edges: [], pageInfo: { hasNextPage: true, hasPreviousPage: false, endCursor: null } });
  });

  test('behavior: every order is total and stable across pages', async () => {
    const byBudget = [...fixture.jobs].sort((a, b) => cmp(a.budget, b.budget) || (a.id < b.id ? -1 : 1));
    expect(await walk('jobs', 'orderBy: BUDGET_ASC,', 9)).toEqual(idsOf(byBudget));
    expect(await walk('jobs', 'orderBy: BUDGET_DESC,', 9)).toEqual(idsOf([...byBudget].reverse()));
    const price = (j: JobRow) => j.price ?? j.budget;
    const byPrice = [...fixture.jobs].sort((a, b) => cmp(price(a), price(b)) || (a.id < b.id ? -1 : 1));
    expect(await walk('jobs', 'orderBy: PRICE_ASC,', 11)).toEqual(idsOf(byPrice));
    expect(await walk('jobs', 'orderBy: PRICE_DESC,', 11)).toEqual(idsOf([...byPrice].reverse()));
    expect(await walk('jobs', 'orderBy: POSTED_AT_ASC,', 13)).toEqual(idsOf([...fixture.jobs].sort((a, b) => cmp(a.postedBlock, b.postedBlock))));
  });

  test('behavior: filters match the contract rules', async () => {
    const h100 = stringToHex(H100, { size: 32 });
    const cases: [string, (j: JobRow) => boolean][] = [
      ['status: [OPEN]', (j) => j.status === 'OPEN'],
      ['status: [ASSIGNED, CLOSED]', (j) => j.status === 'ASSIGNED' || j.status === 'CLOSED'],
      [`client: "${accounts.client1}"`, (j) => j.client === accounts.client1],
      [`worker: "${accounts.w1}"`, (j) => j.worker === accounts.w1 || j.slotWorkers.includes(accounts.w1)],
      [`worker: "${accounts.w4}"`, (j) => j.worker === accounts.w4 || j.slotWorkers.includes(accounts.w4)],
      ['kind: REPLICATED', (j) => j.kind === 'REPLICATED'],
      ['kind: SINGLE, status: [OPEN]', (j) => j.kind === 'SINGLE' && j.status === 'OPEN'],
      [`market: "${REPLICATED_MARKET}"`, (j) => j.market === REPLICATED_MARKET],
      [`market: "${MARKET}"`, (j) => j.market === MARKET],
      [`token: "${USDC}"`, (j) => j.token === USDC],
      ['mode: AUCTION', (j) => j.mode === 'AUCTION'],
      ['fitsGpuCount: 2', (j) => j.minGpuCount <= 2],
      ['fitsVramMiB: 40960', (j) => j.minVramMiB <= 40_960],
      [`fitsGpuModel: "${H100}"`, (j) => j.gpuModelRaw === h100 || /^0x0+$/.test(j.gpuModelRaw)],
      ['fitsGpuModel: "NVIDIA A100 40GB"', (j) => /^0x0+$/.test(j.gpuModelRaw)],
      ['maxCollateral: "100000000000000000"', (j) => j.collateral <= 10n ** 17n],
      [`openAfter: "${Number(fixture.jobs[0]!.openUntil)}"`, (j) => j.openUntil >= fixture.jobs[0]!.openUntil],
      [`openAfter: "${Number(fixture.jobs[0]!.openUntil) + 1}"`, () => false],
      [`minPrice: "${midPrice()}"`, (j) => (j.price ?? j.budget) >= midPrice()],
      [`maxPrice: "${midPrice()}"`, (j) => (j.price ?? j.budget) <= midPrice()],
      [`token: "${USDC}", minPrice: "1", maxPrice: "70000000"`, (j) => j.token === USDC && (j.price ?? j.budget) >= 1n && (j.price ?? j.budget) <= 70_000_000n],
      ['mode: DIRECT', (j) => j.mode === 'DIRECT'],
      [`offeredTo: "${accounts.w2}"`, (j) => j.offeredTo === accounts.w2],
      [`offeredTo: "${accounts.w1}"`, () => false],
      // Any case of the address: the indexer stores it lowercase.
      [`offeredTo: "${getAddress(accounts.w4)}"`, (j) => j.offeredTo === accounts.w4],
      [`takableBy: "${accounts.w2}"`, (j) => j.offeredTo === ETH || j.offeredTo === accounts.w2],
      [`takableBy: "${accounts.w1}", status: [OPEN]`, (j) => j.offeredTo === ETH && j.status === 'OPEN'],
      [`takableBy: "${accounts.w4}", mode: DIRECT`, (j) => j.offeredTo === accounts.w4],
      ['fitsGpuCount: 3, fitsVramMiB: 40960, mode: CLAIM, status: [OPEN]', (j) => j.minGpuCount <= 3 && j.minVramMiB <= 40_960 && j.mode === 'CLAIM' && j.status === 'OPEN'],
    ];
    for (const [filter, keep] of cases) {
      const expected = fixture.jobs.filter(keep).sort((a, b) => cmp(b.postedBlock, a.postedBlock));
      const d = await data(`{ jobs(filter: { ${filter} }, first: 100) { totalCount capped: totalCount(upTo: 3) edges { node { id } } } }`);
      expect(d.jobs.edges.map((e: { node: { id: string } }) => e.node.id), filter).toEqual(idsOf(expected));
      expect(d.jobs.totalCount, filter).toBe(expected.length);
      expect(d.jobs.capped, filter).toBe(Math.min(expected.length, 3));
    }
  });

  test('behavior: status-only counts (the per-status totals) equal the rows; upTo caps them; upTo below 1 is refused', async () => {
    for (const status of ['OPEN', 'ASSIGNED', 'SUBMITTED', 'DISPUTED', 'CLOSED'] as const) {
      const d = await data(`{ jobs(filter: { status: [${status}] }, first: 0) { totalCount capped: totalCount(upTo: 1) } }`);
      const n = fixture.jobs.filter((j) => j.status === status).length;
      expect(d.jobs, status).toEqual({ totalCount: n, capped: Math.min(n, 1) });
    }
    const both = await data('{ jobs(filter: { status: [OPEN, CLOSED, OPEN] }, first: 0) { totalCount } }');
    expect(both.jobs.totalCount).toBe(fixture.jobs.filter((j) => j.status === 'OPEN' || j.status === 'CLOSED').length);
    expect(fixture.jobs.filter((j) => j.status === 'CLOSED').length).toBeGreaterThan(1);
    const res = await gql(app, '{ jobs(filter: { status: [OPEN] }) { totalCount(upTo: 0) } }');
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
  });

  test('behavior: the in-memory filter of jobUpdated keeps exactly the jobs the SQL filter returns', async () => {
    const filters: JobFilter[] = [
      { status: ['OPEN'] },
      { status: ['ASSIGNED', 'CLOSED'] },
      { client: accounts.client1 },
      { worker: accounts.w1 },
      { worker: accounts.w3 },
      { kind: 'REPLICATED' },
      { kind: 'SINGLE', status: ['CLOSED'] },
      { market: REPLICATED_MARKET },
      { token: USDC },
      { mode: 'AUCTION' },
      { fitsGpuCount: 2 },
      { fitsVramMiB: 40_960 },
      { fitsGpuModel: H100 },
      { maxCollateral: 10n ** 17n },
      { openAfter: fixture.jobs[0]!.openUntil },
      { minPrice: midPrice() },
      { maxPrice: midPrice() },
      { minPrice: midPrice(), maxPrice: midPrice() },
      { token: USDC, minPrice: 1n, maxPrice: 70_000_000n },
      { mode: 'DIRECT' },
      { offeredTo: accounts.w2 },
      { offeredTo: getAddress(accounts.w4) },
      { takableBy: accounts.w2 },
      { takableBy: getAddress(accounts.w4), status: ['OPEN'] },
      { takableBy: accounts.w1 },
    ];
    for (const filter of filters) {
      const asJson = JSON.parse(JSON.stringify(filter, (_, v) => (typeof v === 'bigint' ? v.toString() : v)));
      const d = await data('query($filter: JobFilter) { jobs(filter: $filter, first: 100) { edges { node { id } } } }', { filter: asJson });
      const inMemory = fixture.jobs.filter(jobMatcher(filter)).sort((a, b) => cmp(b.postedBlock, a.postedBlock));
      expect(idsOf(inMemory), JSON.stringify(asJson)).toEqual(d.jobs.edges.map((e: { node: { id: string } }) => e.node.id));
    }
  });

  test('behavior: the fixture holds direct offers, and the filters tell them apart', () => {
    // Guards the cases above: they would pass vacuously on a fixture without direct offers.
    const direct = fixture.jobs.filter((j) => j.mode === 'DIRECT');
    expect(direct.map((j) => j.offeredTo)).toEqual(Object.values(DIRECT_OFFERS));
    expect(fixture.jobs.filter((j) => j.mode !== 'DIRECT').every((j) => j.offeredTo === ETH)).toBe(true);
  });

  test('default: a direct offer carries the worker it is offered to in its terms', async () => {
    const d = await data(`{ job(id: "${jobIdOf(54)}") { status terms { mode offeredTo } } } `);
    expect(d.job).toEqual({ status: 'OPEN', terms: { mode: 'DIRECT', offeredTo: accounts.w4 } });
  });

  test('default: a job carries its terms exactly as the contract struct, its spec and its state', async () => {
    const posted = fixture.events.find((e) => e.name === 'JobPosted' && e.jobId === jobIdOf(3))!;
    const terms = (posted.args as { terms: Record<string, unknown> }).terms;
    const d = await data(`{ job(id: "${jobIdOf(3)}") {
      id terms { client token arbiter budget collateral feeBps mode offeredTo openUntil executionTimeout challengeWindow minGpuCount minVramMiB gpuModel specHash salt }
      gpuModelName spec specJson status closeReason worker price refund pricePerGpuHour assignee { address } asOfBlock
      postedBlock postedTx activeBids } }`);
    expect(d.job.terms).toEqual({
      client: terms.client,
      token: terms.token,
      arbiter: terms.arbiter,
      budget: terms.budget,
      collateral: terms.collateral,
      feeBps: terms.feeBps,
      mode: 'AUCTION',
      offeredTo: ETH,
      openUntil: String(terms.openUntil),
      executionTimeout: terms.executionTimeout,
      challengeWindow: terms.challengeWindow,
      minGpuCount: terms.minGpuCount,
      minVramMiB: terms.minVramMiB,
      gpuModel: terms.gpuModel,
      specHash: terms.specHash,
      salt: terms.salt,
    });
    expect(d.job).toMatchObject({
      id: jobIdOf(3),
      specJson: { image: 'loom/cuda', job: 3 },
      status: 'ASSIGNED',
      worker: accounts.w1,
      assignee: { address: accounts.w1 },
      asOfBlock: null,
      postedBlock: String(POST_BLOCK + 3n),
    });
    const cpu = await data(`{ job(id: "${jobIdOf(0)}") { spec specJson pricePerGpuHour gpuModelName terms { gpuModel } } }`);
    expect(cpu.job).toEqual({ spec: '0xdeadbeef', specJson: null, pricePerGpuHour: null, gpuModelName: H100, terms: { gpuModel: fixture.jobs[0]!.gpuModelRaw } });
  });
});

describe('bids', () => {
  test('default: a job\'s bids, lowest first, paged, filtered by status', async () => {
    const jobId = jobIdOf(3);
    const expected = fixture.bids.filter((b) => b.jobId === jobId).sort((a, b) => cmp(a.price, b.price));
    const first = await data(`{ job(id: "${jobId}") { activeBids bids(first: 1) { totalCount edges { node { worker price status } } pageInfo { endCursor hasNextPage } } } }`);
    expect(first.job.bids.totalCount).toBe(3);
    expect(first.job.bids.edges[0].node).toEqual({ worker: expected[0]!.worker, price: expected[0]!.price.toString(), status: expected[0]!.status });
    const rest = await data(`query($a: String) { job(id: "${jobId}") { bids(first: 5, after: $a) { edges { node { worker } } pageInfo { hasNextPage } } } }`, {
      a: first.job.bids.pageInfo.endCursor,
    });
    expect(rest.job.bids.edges.map((e: { node: { worker: string } }) => e.node.worker)).toEqual(expected.slice(1).map((b) => b.worker));
    const withdrawn = await data(`{ job(id: "${jobId}") { bids(status: WITHDRAWN) { edges { node { worker } } } } }`);
    expect(withdrawn.job.bids.edges).toEqual([{ node: { worker: accounts.w2 } }]);
  });

  test('behavior: Query.bids filters by job, worker and status, in every order', async () => {
    const all = fixture.bids;
    const d = await data(`{ bids(worker: "${accounts.w4}", first: 100) { totalCount edges { node { jobId worker job { id } bidder { address } } } } }`);
    expect(d.bids.totalCount).toBe(all.filter((b) => b.worker === accounts.w4).length);
    expect(d.bids.edges.every((e: { node: { worker: string; bidder: { address: string } } }) => e.node.bidder.address === accounts.w4)).toBe(true);
    const byPlaced = await data('{ bids(orderBy: PLACED_AT_DESC, status: ACTIVE, first: 100) { edges { node { placedBlock status } } } }');
    const blocks = byPlaced.bids.edges.map((e: { node: { placedBlock: string } }) => BigInt(e.node.placedBlock));
    expect(blocks).toEqual([...blocks].sort((a, b) => cmp(b, a)));
    expect(byPlaced.bids.edges.every((e: { node: { status: string } }) => e.node.status === 'ACTIVE')).toBe(true);
    const ids: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: { bids: { edges: { node: { jobId: string; worker: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } } = await data(
        'query($a: String) { bids(orderBy: PRICE_DESC, first: 4, after: $a) { edges { node { jobId worker } } pageInfo { hasNextPage endCursor } } }',
        { a: after },
      );
      ids.push(...page.bids.edges.map((e) => `${e.node.jobId}/${e.node.worker}`));
      if (!page.bids.pageInfo.hasNextPage) break;
      after = page.bids.pageInfo.endCursor;
    }
    expect(new Set(ids).size).toBe(all.length);
  });
});

describe('columns', () => {
  const jobQuery = () => t.queries.texts.find((q) => q.includes('from "job"'))!;

  test('behavior: a page of jobs reads only the columns its selection resolves from', async () => {
    t.queries.reset();
    const d = await data(`{ jobs(first: 3) { edges { node { id ...F terms { budget gpuModel } assignee { address } } } } }
      fragment F on Job { status ... on Job { gpuModelName } }`);
    expect(d.jobs.edges).toHaveLength(3);
    const sql = jobQuery();
    for (const column of ['"id"', '"status"', '"budget"', '"gpu_model_raw"', '"gpu_model"', '"worker"', '"posted_block"']) {
      expect(sql).toContain(column);
    }
    expect(sql).not.toContain('"spec"');
    expect(sql).not.toContain('"spec_json"');
    expect(sql).not.toContain('"client"');
  });

  test('behavior: partial rows answer exactly what whole rows answer', async () => {
    const fields = 'id status worker price activeBids postedAt postedBlock specJson gpuModelName terms { client budget mode gpuModel }';
    t.queries.reset();
    const partial = await data(`{ jobs(first: 20, orderBy: PRICE_DESC) { edges { cursor node { ${fields} } } } }`);
    expect(jobQuery()).not.toContain('"posted_tx"');
    // A field that leads back to jobs makes the page read whole rows (they prime the job loader).
    t.queries.reset();
    const whole = await data(`{ jobs(first: 20, orderBy: PRICE_DESC) { edges { cursor node { ${fields} bids { edges { node { job { id } } } } } } } }`);
    expect(jobQuery()).toContain('"posted_tx"');
    expect(partial.jobs.edges).toEqual(whole.jobs.edges.map(({ cursor, node: { bids: _, ...node } }: any) => ({ cursor, node })));
  });
});

describe('bids of a page', () => {
  test('behavior: loaded with the page, they answer what each job answers alone, with literal or variable arguments', async () => {
    const bidFields = 'edges { cursor node { worker price status } } pageInfo { hasNextPage endCursor }';
    const page = await data(
      `query($n: Int, $s: BidStatus) { jobs(first: 100, orderBy: POSTED_AT_ASC) { edges { node { id
        cheapest: bids(first: 1) { ${bidFields} }
        active: bids(first: $n, status: $s) { ${bidFields} }
        all: bids { ${bidFields} } } } } }`,
      { n: 2, s: 'ACTIVE' },
    );
    let withBids = 0;
    for (const { node } of page.jobs.edges) {
      const alone = await data(`{ job(id: "${node.id}") {
        cheapest: bids(first: 1) { ${bidFields} } active: bids(first: 2, status: ACTIVE) { ${bidFields} } all: bids { ${bidFields} } } }`);
      expect({ ...node, id: undefined }).toEqual({ ...alone.job, id: undefined });
      if (node.all.edges.length) withBids++;
    }
    expect(withBids).toBeGreaterThan(0);
  });

  test('error: bad arguments are still Job.bids errors', async () => {
    const res = await gql(app, '{ jobs(first: 2) { edges { node { id bids(first: 1000) { edges { cursor } } } } } }');
    expect(res.body.errors?.[0]?.extensions?.code).toBe('PAGE_TOO_LARGE');
    expect(res.body.errors?.[0]?.path).toEqual(['jobs', 'edges', 0, 'node', 'bids']);
  });
});

describe('batching', () => {
  const pageQuery = (n: number) => `{ jobs(orderBy: POSTED_AT_ASC, first: ${n}) { edges { node { id terms { budget } assignee { address earnings { amount } }
    bids { edges { node { price bidder { address } job { id } } } }
    events(first: 3) { edges { node { name job { id } } } } } } } }`;

  test('behavior: a page of 50 jobs with bids, bidders, assignees, earnings and events costs a constant number of queries', async () => {
    t.queries.reset();
    await data(pageQuery(5));
    const small = t.queries.count;
    t.queries.reset();
    await data(pageQuery(50));
    const large = t.queries.count;
    expect(large, t.queries.texts.join('\n')).toBe(small);
    // jobs, and their bids with them (prefetched with the page); then events and workers (assignees
    // and bidders in one batch); then earnings. The bids' and events' job is the page's own job,
    // already in hand.
    expect(large, t.queries.texts.join('\n')).toBe(5);
  });
});

describe('workers', () => {
  test('default: best reputation first; filters; claim and free stake', async () => {
    const d = await data(`{ workers(first: 100) { totalCount edges { node { address reputation } } } }`);
    expect(d.workers.edges.map((e: { node: { address: string } }) => e.node.address)).toEqual(
      [...fixture.workers].sort((a, b) => b.reputation - a.reputation || (a.address < b.address ? 1 : -1)).map((w) => w.address),
    );
    const eligible = await data(`{ workers(filter: { available: true, registered: true, minGpuCount: 2, minVramMiB: 81920, gpuModel: "${H100}", minFreeStake: "1000000000000000000", maxPricePerGpuHour: "2000000", minReputation: 500 }, orderBy: PRICE_ASC) {
      edges { node { address freeStake gpuModelName claim { gpuModel gpuCount vramMiB cpuCores ramMiB pricePerGpuHour metadataURI } earnings { token amount jobs } } } } }`);
    expect(eligible.workers.edges.map((e: { node: { address: string } }) => e.node.address)).toEqual([accounts.w4, accounts.w1]);
    const w1 = eligible.workers.edges[1].node;
    expect(w1.freeStake).toBe((10n ** 19n).toString());
    expect(w1.claim).toMatchObject({ gpuCount: 8, vramMiB: 81_920, pricePerGpuHour: '2000000' });
    expect(w1.earnings).toEqual([
      { token: ETH, amount: (5n * 10n ** 15n).toString(), jobs: 3 },
      { token: USDC, amount: '7000000', jobs: 2 },
    ]);
  });

  test('behavior: worker pages never repeat or skip, in every order', async () => {
    for (const order of ['REPUTATION_DESC', 'PRICE_ASC', 'PRICE_DESC', 'GPU_COUNT_DESC', 'VRAM_DESC', 'REGISTERED_AT_DESC']) {
      const seen: string[] = [];
      let after: string | null = null;
      for (;;) {
        const page: { workers: { edges: { node: { address: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } } = await data(
          `query($a: String) { workers(orderBy: ${order}, first: 2, after: $a) { edges { node { address } } pageInfo { hasNextPage endCursor } } }`,
          { a: after },
        );
        seen.push(...page.workers.edges.map((e) => e.node.address));
        if (!page.workers.pageInfo.hasNextPage) break;
        after = page.workers.pageInfo.endCursor;
      }
      expect(seen.sort(), order).toEqual(fixture.workers.map((w) => w.address).sort());
    }
  });
});

describe('matchWorkers', () => {
  test('default: eligible workers ranked by the documented score', async () => {
    const d = await data(`{ matchWorkers(jobId: "${fixture.matchJobId}") { worker { address } score reputationScore priceScore fitScore } }`);
    // Job 42: H100, 2 GPUs, 40 GiB, 0.2 ETH collateral. w2 lacks free stake, w3 is an A100, w5 is
    // unavailable, w6 deregistered. w4: 0.4*0.5 + 0.35*1 + 0.25*(2/2 + 40960/81920)/2 = 0.7375.
    // w1: 0.4*0.9 + 0.35*(1.5/2) + 0.25*(2/8 + 0.5)/2 = 0.71625.
    expect(d.matchWorkers).toEqual([
      { worker: { address: accounts.w4 }, score: 0.7375, reputationScore: 0.5, priceScore: 1, fitScore: 0.75 },
      { worker: { address: accounts.w1 }, score: 0.71625, reputationScore: 0.9, priceScore: 0.75, fitScore: 0.375 },
    ]);
    const one = await data(`{ matchWorkers(jobId: "${fixture.matchJobId}", first: 1) { worker { address } } }`);
    expect(one.matchWorkers).toEqual([{ worker: { address: accounts.w4 } }]);
  });
});

describe('jobEvents', () => {
  test('default: chain order, filters, and one cursor for both directions', async () => {
    const all = [...fixture.events].sort((a, b) => (a.id < b.id ? -1 : 1));
    const d = await data('{ jobEvents(first: 100) { totalCount edges { node { id name blockNumber args } cursor } } }');
    expect(d.jobEvents.totalCount).toBe(all.length);
    expect(d.jobEvents.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual(all.slice(0, 100).map((e) => e.id));

    const mid = d.jobEvents.edges[10];
    const asc = await data('query($a: String) { jobEvents(first: 2, after: $a) { edges { node { id } } } }', { a: mid.cursor });
    expect(asc.jobEvents.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([all[11]!.id, all[12]!.id]);
    const desc = await data('query($a: String) { jobEvents(order: DESC, first: 2, after: $a) { edges { node { id } } } }', { a: mid.cursor });
    expect(desc.jobEvents.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([all[9]!.id, all[8]!.id]);

    const filtered = await data(`{ jobEvents(filter: { jobId: "${jobIdOf(3)}", names: ["BidPlaced", "BidWithdrawn"], account: "${accounts.w2}" }) { edges { node { name account jobId job { id } } } } }`);
    expect(filtered.jobEvents.edges.map((e: { node: { name: string } }) => e.node.name)).toEqual(['BidPlaced', 'BidWithdrawn']);
    const blocks = await data(`{ jobEvents(filter: { fromBlock: "${POST_BLOCK + 5n}", toBlock: "${POST_BLOCK + 7n}" }) { totalCount } }`);
    expect(blocks.jobEvents.totalCount).toBe(3);
  });
});

describe('time travel', () => {
  test('default: a job as of a block is its events folded up to it, bids and events included', async () => {
    const jobId = jobIdOf(3);
    const events = fixture.events.filter((e) => e.jobId === jobId);
    const bidBlock = events.find((e) => e.name === 'BidPlaced')!.blockNumber;
    const q = `query($b: BigInt) { job(id: "${jobId}", atBlock: $b) { status activeBids price asOfBlock updatedBlock
      bids { totalCount edges { node { worker status } } } events { totalCount } } }`;
    expect((await data(q, { b: String(POST_BLOCK + 2n) })).job).toBeNull();
    const posted = (await data(q, { b: String(POST_BLOCK + 3n) })).job;
    expect(posted).toMatchObject({ status: 'OPEN', activeBids: 0, price: null, asOfBlock: String(POST_BLOCK + 3n), bids: { totalCount: 0 }, events: { totalCount: 1 } });
    const bidding = (await data(q, { b: String(bidBlock) })).job;
    // w1, w2 and w4 bid in that block, and w2 withdrew.
    expect(bidding).toMatchObject({ status: 'OPEN', activeBids: 2, bids: { totalCount: 3 }, events: { totalCount: 5 } });
    const head = (await data(q, { b: String(fixture.head) })).job;
    expect(head.asOfBlock).toBeNull();
    expect(head.status).toBe('ASSIGNED');
  });

  test('behavior: folding every job to the head gives its current row', async () => {
    const fields = 'id status closeReason worker price refund pricePerGpuHour executionDeadline resultHash resultURI challengeDeadline workerPayout fee clientRefund slashed activeBids updatedBlock assignedDay';
    for (const i of [0, 3, 6, 9, 11, 42]) {
      const d = await data(`{ now: job(id: "${jobIdOf(i)}") { ${fields} } past: job(id: "${jobIdOf(i)}", atBlock: "${fixture.head - 1n}") { ${fields} } }`);
      const lastEvent = fixture.events.filter((e) => e.jobId === jobIdOf(i)).at(-1)!;
      if (lastEvent.blockNumber < fixture.head) expect(d.past).toEqual(d.now);
    }
  });

  test('error: without the indexer\'s fold, time travel is UNAVAILABLE', async () => {
    const noFold = createApi({ db: t.db, tables: t.tables, logger: silent });
    const res = await gql(noFold, `{ job(id: "${jobIdOf(3)}", atBlock: "${POST_BLOCK + 5n}") { id } }`);
    expect(res.body.errors?.[0]?.extensions?.code).toBe('UNAVAILABLE');
  });
});

describe('stats, market, balances', () => {
  test('default: one entry per day, per-token volumes, exact medians', async () => {
    const d = await data('{ stats(fromDay: "2024-12-31", toDay: "2025-01-03") { day jobsPosted jobsAssigned jobsSettled tokens { token volumePosted volumeSettled fees gpuJobsAssigned medianPricePerGpuHour } } }');
    expect(d.stats.map((s: { day: string }) => s.day)).toEqual(['2024-12-31', '2025-01-01', '2025-01-02', '2025-01-03']);
    expect(d.stats[0]).toEqual({ day: '2024-12-31', jobsPosted: 0, jobsAssigned: 0, jobsSettled: 0, tokens: [] });
    expect(d.stats[2]).toMatchObject({ jobsAssigned: 10, jobsSettled: 5, tokens: [{ token: ETH, volumeSettled: '3000000000000000', fees: '30000000000000' }] });

    // Medians of the jobs assigned on 2025-01-01, per token, computed here independently.
    for (const token of [ETH, USDC]) {
      const prices = fixture.jobs
        .filter((j) => j.assignedDay === '2025-01-01' && j.token === token && j.pricePerGpuHour !== null)
        .map((j) => j.pricePerGpuHour!)
        .sort(cmp);
      const n = prices.length;
      const median = n ? (prices[Math.floor((n - 1) / 2)]! + prices[Math.floor(n / 2)]!) / 2n : null;
      const entry = d.stats[1].tokens.find((x: { token: string }) => x.token === token);
      expect(entry.gpuJobsAssigned, token).toBe(n);
      expect(entry.medianPricePerGpuHour, token).toBe(median?.toString() ?? null);
    }
  });

  test('behavior: the median is exact where double precision would round', async () => {
    const base = fixture.jobs[3]!;
    const day = '2025-03-01';
    const prices = [10n ** 18n + 1n, 10n ** 18n + 2n, 3n * 10n ** 18n + 7n, 10n ** 18n + 4n];
    await t.writer.insert(t.tables.job).values(
      prices.map((p, i) => ({ ...base, id: `0x${(0xf000 + i).toString(16).padStart(64, '0')}` as `0x${string}`, assignedDay: day, pricePerGpuHour: p })),
    );
    const d = await data(`{ stats(fromDay: "${day}", toDay: "${day}") { tokens { token gpuJobsAssigned medianPricePerGpuHour } } }`);
    // Sorted: 1e18+1, 1e18+2, 1e18+4, 3e18+7: the mean of the middle two, rounded down, is 1e18+3.
    expect(d.stats[0].tokens).toEqual([{ token: base.token, gpuJobsAssigned: 4, medianPricePerGpuHour: (10n ** 18n + 3n).toString() }]);
  });

  test('default: market settings with ETH first, balances per token summed over the markets', async () => {
    const d = await data(`{ market { feeBps treasury defaultArbiter allowedTokens arbiters updatedBlock } balances(account: "${accounts.client1}") { token amount credited withdrawn } }`);
    expect(d.market).toEqual({ feeBps: 100, treasury: accounts.treasury, defaultArbiter: accounts.arbiter, allowedTokens: [ETH, USDC], arbiters: [accounts.arbiter], updatedBlock: '1' });
    // ETH: 0.001 in the single-worker market, 0.03 in the replicated one.
    expect(d.balances).toEqual([
      { token: ETH, amount: (31n * 10n ** 15n).toString(), credited: (32n * 10n ** 15n).toString(), withdrawn: (10n ** 15n).toString() },
      { token: USDC, amount: '0', credited: '5', withdrawn: '5' },
    ]);
    const none = await data(`{ balances(account: "${accounts.w6}") { amount } }`);
    expect(none.balances).toEqual([]);
  });
});

describe('operations', () => {
  test('default: /api/health, /api/ready, /api/metrics', async () => {
    expect((await app.request('/api/health')).status).toBe(200);
    const ready = await app.request('/api/ready');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ ready: true, backfilled: true, block: { number: fixture.head.toString() } });
    const metrics = await app.request('/api/metrics');
    expect(metrics.headers.get('content-type')).toContain('text/plain');
  });

  test('behavior: not ready while Ponder backfills, or when the head is too old', async () => {
    await t.setStatus({ ready: false, block: fixture.head });
    const res = await app.request('/api/ready');
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ ready: false, backfilled: false });
    await t.setStatus({ ready: true, block: fixture.head, timestamp: BigInt(Math.floor(Date.now() / 1000) - 600) });
    const strict = createApi({ db: t.db, tables: t.tables, logger: silent, readyMaxLagSeconds: 60 });
    expect((await strict.request('/api/ready')).status).toBe(503);
    expect((await app.request('/api/ready')).status).toBe(200);
    await t.setStatus({ ready: true, block: fixture.head });
  });

  test('behavior: CORS preflight and GraphiQL for browsers', async () => {
    const preflight = await app.request('/graphql', {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(preflight.status).toBeLessThan(300);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    const page = await app.request('/graphql', { headers: { accept: 'text/html' } });
    expect(page.headers.get('content-type')).toContain('text/html');
    const get = await app.request(`/graphql?query=${encodeURIComponent('{ market { feeBps } }')}`, { headers: { accept: 'application/json' } });
    expect(await get.json()).toEqual({ data: { market: { feeBps: 100 } } });
  });
});
