/**
 * The model hub and worker pools through the API as deployed: a real anvil on which the models and
 * pools scenario ran (indexer/test/modelsPoolsScenario.ts), a real Ponder indexing it live (PGlite)
 * and serving the API, then a replay from genesis into PostgreSQL (when DATABASE_URL is set) that
 * must publish the same state digest and the same answers. Figures are checked against the
 * contracts' own views where they have them (credits at LoomModels and at each market).
 */
import { parseEther, type Address, type Hex, zeroAddress } from 'viem';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loomMarketAbi, loomModelsAbi } from '../abis/generated';
import { runModelsPoolsScenario, type ModelsPoolsScenario } from '../indexer/test/modelsPoolsScenario';
import { createLoomReader, readModel, readModels, readPool, readPools } from '../sdk/reads';
import { startChain, type Chain } from '../testkit/chain';
import { gql, graphqlRequest, startIndexer, type Indexer } from '../testkit/indexer';
import { type JobFilter, jobMatcher } from './data/filters';
import type { JobRow } from './data/tables';
import type { Json } from './test/ponderApi';

const postgresUrl = process.env.DATABASE_URL;
let chain: Chain;
let live: Indexer | undefined;
let s: ModelsPoolsScenario;

const lower = (a: string) => a.toLowerCase();
const ids = (connection: Json) => connection.edges.map((e: Json) => e.node.id);
const ETH = zeroAddress;
const q = (query: string, variables?: Record<string, unknown>) => gql(live!, query, variables);

beforeAll(async () => {
  chain = await startChain({ name: 'api-models-pools-test' });
  live = await startIndexer(chain, { schema: 'models_pools_test' });
  s = await runModelsPoolsScenario(chain);
  await live.waitForBlock(s.head);
}, 300_000);

afterAll(async () => {
  await live?.stop();
});

/** What a member keeps of `gross` and what its operator gets: the protocol fee first, then the pool's. */
function poolCut(gross: bigint, feeBps: number, poolFeeBps: number) {
  const payout = gross - (gross * BigInt(feeBps)) / 10_000n;
  const cut = (payout * BigInt(poolFeeBps)) / 10_000n;
  return { cut, workerPayout: payout - cut };
}

/** The answers compared between the live index and the replay. */
async function answers(ponder: Indexer) {
  const MODEL = `id creator name version kind files { sha256 size path } image licenseURI token fee retired previous { id }
    versions { id } publishedAt publishedBlock transactionHash uses earnings { token amount } usesPerDay(days: 366) { day uses earnings { token amount } }
    jobs(first: 10) { totalCount edges { cursor node { id } } }`;
  const POOL = `id operator name metadataURI feeBps approvalRequired createdAt memberCount jobsCompleted reputation earnings { token amount }
    members { address state since worker { address } pool { id } } jobs(first: 10) { totalCount edges { node { id poolFeeBps poolFeePaid } } }`;
  const out: Record<string, unknown> = {};
  for (const orderBy of ['NEWEST', 'USES_DESC', 'EARNINGS_DESC']) out[orderBy] = (await gql(ponder, `{ models(orderBy: ${orderBy}) { totalCount edges { cursor node { ${MODEL} } } } }`)).models;
  out.pools = (await gql(ponder, `{ pools { totalCount edges { cursor node { ${POOL} } } } }`)).pools;
  out.jobs = (
    await gql(ponder, `{ jobs(first: 100) { edges { node { id status pool { id } poolFeeBps poolFeePaid workerPayout models { model { id } fee royaltyPaid } } } } }`)
  ).jobs;
  out.credits = [];
  for (const account of Object.values(s.actors)) {
    (out.credits as Json[]).push((await gql(ponder, `{ credits(account: "${account}") { market kind modelHub token amount credited withdrawn } worker(address: "${account}") { pool { state since pool { id } } } }`)));
  }
  out.digest = (await gql(ponder, '{ stateDigest { digest scope atBlock version tables { name rows sha256 } } }')).stateDigest;
  return out;
}

describe('models and pools served by Ponder', () => {
  test('default: models list newest first, with their content, versions, uses and earnings', async () => {
    const { m1, m2, m3, m4 } = s.modelIds;
    const { models } = await q(`{ models { totalCount edges { node { id name version kind retired uses fee token image files { sha256 size path } earnings { token amount } } } } }`);
    expect(models.totalCount).toBe(4);
    expect(ids(models)).toEqual([m4, m3, m2, m1].map(String));
    const byId = Object.fromEntries(models.edges.map((e: Json) => [e.node.id, e.node]));
    expect(byId[m1]).toMatchObject({ name: 'Llama Weights', version: '1.0', kind: 'WEIGHTS', retired: true, uses: 0, fee: parseEther('0.01').toString(), token: ETH, image: null, earnings: [] });
    expect(byId[m1].files).toEqual([
      { sha256: `0x${'0'.repeat(63)}1`, size: '1000000', path: 'model.safetensors' },
      { sha256: `0x${'0'.repeat(63)}2`, size: '2000000', path: 'tokenizer.json' },
    ]);
    // m2: two jobs (the single one released, the replicated one with a quorum), each paying its 0.02 ETH in full.
    expect(byId[m2]).toMatchObject({ version: '1.1', retired: false, uses: 2, earnings: [{ token: ETH, amount: parseEther('0.04').toString() }] });
    expect(byId[m3]).toMatchObject({ kind: 'DATASET', fee: '0', uses: 2, earnings: [] });
    expect(byId[m4]).toMatchObject({ kind: 'IMAGE', token: lower(s.usdc), fee: '5000000', uses: 1, earnings: [], files: [], image: `ghcr.io/vllm/vllm@sha256:${'ab'.repeat(32)}` });
  });

  test('behavior: models filter by kind, creator, token, retired and name, and order by uses and earnings', async () => {
    const { m1, m2, m3, m4 } = s.modelIds;
    const list = async (args: string) => ids((await q(`{ models(${args}) { edges { node { id } } } }`)).models);
    expect(await list('filter: { kind: WEIGHTS }')).toEqual([m2, m1].map(String));
    expect(await list(`filter: { creator: "${s.actors.creator2}" }`)).toEqual([m4, m3].map(String));
    expect(await list(`filter: { token: "${s.usdc}" }`)).toEqual([String(m4)]);
    expect(await list('filter: { retired: true }')).toEqual([String(m1)]);
    expect(await list('filter: { search: "lLaMa" }')).toEqual([m2, m1].map(String));
    expect(await list('filter: { search: "%" }')).toEqual([]);
    // Ties (by uses, by earnings) newest first.
    expect(await list('orderBy: USES_DESC')).toEqual([m3, m2, m4, m1].map(String));
    expect(await list('orderBy: EARNINGS_DESC')).toEqual([m2, m4, m3, m1].map(String));
    // Keyset pages of one walk the same order.
    const first = (await q('{ models(orderBy: USES_DESC, first: 2) { edges { node { id } } pageInfo { endCursor hasNextPage } } }')).models;
    const rest = (await q('query($a: String) { models(orderBy: USES_DESC, first: 2, after: $a) { edges { node { id } } pageInfo { hasNextPage } } }', { a: first.pageInfo.endCursor })).models;
    expect([...ids(first), ...ids(rest)]).toEqual([m3, m2, m4, m1].map(String));
    expect([first.pageInfo.hasNextPage, rest.pageInfo.hasNextPage]).toEqual([true, false]);
  });

  test('default: a model carries its line of versions, the jobs that used it and its uses per day', async () => {
    const { m1, m2 } = s.modelIds;
    const { model } = await q(`{ model(id: "${m2}") { previous { id version } versions { id version } jobs { totalCount edges { node { id } } }
      usesPerDay(days: 366) { day uses earnings { token amount } } } }`);
    expect(model.previous).toEqual({ id: String(m1), version: '1.0' });
    expect(model.versions).toEqual([{ id: String(m1), version: '1.0' }, { id: String(m2), version: '1.1' }]);
    expect(ids(model.jobs)).toEqual([s.jobs.replicatedWithModels, s.jobs.withModels]);
    const days = model.usesPerDay as Json[];
    expect(days.every((d: Json) => /^\d{4}-\d{2}-\d{2}$/.test(d.day))).toBe(true);
    expect(days.reduce((n: number, d: Json) => n + d.uses, 0)).toBe(2);
    expect(days.flatMap((d: Json) => d.earnings).reduce((n: bigint, t: Json) => n + BigInt(t.amount), 0n)).toBe(parseEther('0.04'));
    expect((await q(`{ model(id: "${m1}") { previous { id } versions { id } usesPerDay { day } } }`)).model).toEqual({ previous: null, versions: [{ id: String(m1) }, { id: String(m2) }], usesPerDay: [] });
  });

  test('behavior: an unknown model or pool is null; a malformed id, a bad search or day count is BAD_USER_INPUT', async () => {
    expect(await q('{ model(id: "999") { id } pool(id: "99") { id } }')).toEqual({ model: null, pool: null });
    for (const query of ['{ model(id: "abc") { id } }', '{ model(id: "4294967296") { id } }', '{ pool(id: "-1") { id } }', '{ pool(id: "0x01") { id } }',
      '{ jobs(filter: { pool: "one" }) { totalCount } }', '{ jobs(filter: { model: "1.5" }) { totalCount } }', '{ models(filter: { search: "" }) { totalCount } }',
      `{ model(id: "${s.modelIds.m2}") { usesPerDay(days: 0) { day } } }`, `{ matchWorkers(jobId: "${s.jobs.open}", pool: "x") { score } }`]) {
      const res = await graphqlRequest(live!, query);
      expect(res.errors?.map((e) => e.extensions?.code), query).toEqual(['BAD_USER_INPUT']);
    }
  });

  test("behavior: a job's models carry the fee escrowed and the royalty paid at its close (0 when cancelled or free); jobs filter by model", async () => {
    const { m2, m3, m4 } = s.modelIds;
    const job = async (id: string) => (await q(`{ job(id: "${id}") { status models { model { id } fee royaltyPaid } events(first: 100) { edges { node { name } } } } }`)).job;
    const paid = await job(s.jobs.withModels);
    expect(paid.models).toEqual([
      { model: { id: String(m2) }, fee: parseEther('0.02').toString(), royaltyPaid: parseEther('0.02').toString() },
      { model: { id: String(m3) }, fee: '0', royaltyPaid: '0' },
    ]);
    // The job's history holds the hub's events about it.
    expect(paid.events.edges.map((e: Json) => e.node.name)).toEqual(expect.arrayContaining(['JobPosted', 'ModelsUsed', 'JobClosed', 'RoyaltyPaid']));
    const cancelled = await job(s.jobs.withModelsCancelled);
    expect(cancelled.models).toEqual([
      { model: { id: String(m4) }, fee: '5000000', royaltyPaid: '0' },
      { model: { id: String(m3) }, fee: '0', royaltyPaid: '0' },
    ]);
    expect(cancelled.events.edges.map((e: Json) => e.node.name)).toContain('RoyaltyRefunded');
    expect((await job(s.jobs.replicatedWithModels)).models).toEqual([{ model: { id: String(m2) }, fee: parseEther('0.02').toString(), royaltyPaid: parseEther('0.02').toString() }]);
    expect((await job(s.jobs.open)).models).toEqual([]);
    expect(ids((await q(`{ jobs(filter: { model: "${m3}" }) { edges { node { id } } } }`)).jobs)).toEqual([s.jobs.withModelsCancelled, s.jobs.withModels]);
    // Time travel: at its posting block the job was open, its royalty unknown.
    const { postedBlock } = (await q(`{ job(id: "${s.jobs.withModels}") { postedBlock } }`)).job;
    const then = (await q(`{ job(id: "${s.jobs.withModels}", atBlock: "${postedBlock}") { status models { fee royaltyPaid } } }`)).job;
    expect(then).toEqual({ status: 'OPEN', models: [{ fee: parseEther('0.02').toString(), royaltyPaid: null }, { fee: '0', royaltyPaid: null }] });
  });

  test('default: pools list their operator, fee, members, jobs, earnings and reputation', async () => {
    const { p1, p2 } = s.poolIds;
    const { d, e, f, operator } = s.actors;
    const { pools } = await q(`{ pools { totalCount edges { node { id operator name metadataURI feeBps approvalRequired memberCount jobsCompleted reputation
      members { address state pool { id } worker { address reputation } } earnings { token amount } jobs { totalCount edges { node { id } } } } } } }`);
    expect(pools.totalCount).toBe(2);
    expect(ids(pools)).toEqual([String(p2), String(p1)]);
    const [second, first] = pools.edges.map((x: Json) => x.node);
    const fee = await feesOf();
    expect(first).toMatchObject({ operator: lower(operator), name: 'GPU co-op', metadataURI: 'ipfs://pool-1', feeBps: 2000, approvalRequired: false, memberCount: 1, jobsCompleted: 3 });
    // d alone is left: e left after its last pool job, g was removed.
    expect(first.members.map((m: Json) => [m.address, m.state, m.pool.id])).toEqual([[lower(d), 'MEMBER', String(p1)]]);
    expect(first.reputation).toBe(first.members[0].worker.reputation);
    expect(ids(first.jobs)).toEqual([s.jobs.poolOpen, s.jobs.pool2, s.jobs.pool1, s.jobs.pooledReplicated]);
    expect(first.earnings).toEqual([{ token: ETH, amount: String(fee.pool1.cut + fee.pool2.cut + 2n * fee.replica.cut) }]);
    expect(second).toMatchObject({ feeBps: 500, approvalRequired: true, memberCount: 1, jobsCompleted: 0, earnings: [] });
    expect(second.members.map((m: Json) => [m.address, m.state])).toEqual([[lower(f), 'MEMBER'], [lower(e), 'REQUESTED']]);
    expect(ids(second.jobs)).toEqual([s.jobs.pool2Replicated]);
    expect((await q(`{ pool(id: "${p2}") { members(state: REQUESTED) { address } } }`)).pool.members).toEqual([{ address: lower(e) }]);
  });

  test("behavior: pool jobs carry their pool, the fee fixed at assignment and the fee paid; payouts are net of it", async () => {
    const fee = await feesOf();
    const job = async (id: string) => (await q(`{ job(id: "${id}") { pool { id } poolFeeBps poolFeePaid workerPayout terms { mode offeredTo } } }`)).job;
    expect(await job(s.jobs.pool1)).toEqual({ pool: { id: '1' }, poolFeeBps: 1000, poolFeePaid: String(fee.pool1.cut), workerPayout: String(fee.pool1.workerPayout), terms: { mode: 'POOL', offeredTo: `0x${'0'.repeat(39)}1` } });
    // Assigned after the fee went to 20%.
    expect(await job(s.jobs.pool2)).toMatchObject({ poolFeeBps: 2000, poolFeePaid: String(fee.pool2.cut), workerPayout: String(fee.pool2.workerPayout) });
    expect(await job(s.jobs.pooledReplicated)).toMatchObject({ pool: { id: '1' }, poolFeeBps: null, poolFeePaid: String(2n * fee.replica.cut), workerPayout: String(2n * fee.replica.workerPayout) });
    expect(await job(s.jobs.poolOpen)).toMatchObject({ pool: { id: '1' }, poolFeeBps: null, poolFeePaid: null });
    expect(await job(s.jobs.withModels)).toMatchObject({ pool: null, poolFeeBps: null, poolFeePaid: null });
    expect(ids((await q('{ jobs(filter: { pool: "1" }) { edges { node { id } } } }')).jobs)).toEqual([s.jobs.poolOpen, s.jobs.pool2, s.jobs.pool1, s.jobs.pooledReplicated]);
    expect(ids((await q('{ jobs(filter: { pool: "2" }) { edges { node { id } } } }')).jobs)).toEqual([s.jobs.pool2Replicated]);
    // Time travel before the close: the fee fixed at assignment, nothing paid yet.
    const { events } = (await q(`{ job(id: "${s.jobs.pool2}") { events(first: 100) { edges { node { name blockNumber } } } } }`)).job;
    const submitted = events.edges.find((x: Json) => x.node.name === 'ResultSubmitted').node.blockNumber;
    expect((await q(`{ job(id: "${s.jobs.pool2}", atBlock: "${submitted}") { status poolFeeBps poolFeePaid } }`)).job).toEqual({ status: 'SUBMITTED', poolFeeBps: 2000, poolFeePaid: null });
  });

  test('behavior: takableBy shows a member the open jobs of its pool and never another pool\'s', async () => {
    const takable = async (worker: Address) => ids((await q(`{ jobs(filter: { takableBy: "${worker}", status: [OPEN] }) { edges { node { id } } } }`)).jobs);
    expect(await takable(s.actors.d)).toEqual([s.jobs.open, s.jobs.poolOpen]);
    expect(await takable(s.actors.f)).toEqual([s.jobs.open, s.jobs.pool2Replicated]);
    // A request is not a membership; a removed worker has none.
    expect(await takable(s.actors.e)).toEqual([s.jobs.open]);
    expect(await takable(s.actors.g)).toEqual([s.jobs.open]);
  });

  test('behavior: the jobUpdated matcher keeps exactly the jobs the takableBy and pool filters return', async () => {
    const { jobs } = await q('{ jobs(first: 100) { edges { node { id status pool { id } modelIds: models { model { id } } terms { offeredTo } } } } }');
    const rows = jobs.edges.map(({ node }: Json) => ({
      id: node.id,
      status: node.status,
      pool: node.pool ? BigInt(node.pool.id) : null,
      offeredTo: node.terms.offeredTo,
      modelIds: node.modelIds.map((m: Json) => Number(m.model.id)),
      slotWorkers: [],
    })) as unknown as JobRow[];
    const filters: JobFilter[] = [
      ...Object.values(s.actors).map((w) => ({ takableBy: w as Hex })),
      { pool: '1' },
      { pool: '2' },
      { model: String(s.modelIds.m3) },
    ];
    for (const filter of filters) {
      const sqlIds = ids((await q('query($f: JobFilter) { jobs(filter: $f, first: 100) { edges { node { id } } } }', { f: filter })).jobs);
      const takerPool = filter.takableBy ? ((await q(`{ worker(address: "${filter.takableBy}") { pool { state pool { id } } } }`)).worker?.pool ?? null) : null;
      const pool = takerPool?.state === 'MEMBER' ? BigInt(takerPool.pool.id) : null;
      expect(rows.filter(jobMatcher(filter, pool)).map((r) => r.id), JSON.stringify(filter)).toEqual(sqlIds);
    }
  });

  test('behavior: matchWorkers takes only the pool\'s members for a pool job, and `pool` restricts any job', async () => {
    const match = async (jobId: string, pool?: string) =>
      (await q(`{ matchWorkers(jobId: "${jobId}", first: 10${pool ? `, pool: "${pool}"` : ''}) { worker { address } } }`)).matchWorkers.map((m: Json) => m.worker.address);
    const { d, e, f, g } = s.actors;
    expect(await match(s.jobs.poolOpen)).toEqual([lower(d)]);
    expect(await match(s.jobs.pool2Replicated)).toEqual([lower(f)]);
    expect(await match(s.jobs.poolOpen, '2')).toEqual([]);
    expect(await match(s.jobs.open, '2')).toEqual([lower(f)]);
    expect((await match(s.jobs.open)).sort()).toEqual([d, e, f, g].map(lower).sort());
  });

  test('behavior: Worker.pool is its current membership', async () => {
    const pool = async (a: Address) => (await q(`{ worker(address: "${a}") { pool { pool { id } state address worker { address } } } }`)).worker.pool;
    expect(await pool(s.actors.d)).toEqual({ pool: { id: '1' }, state: 'MEMBER', address: lower(s.actors.d), worker: { address: lower(s.actors.d) } });
    expect(await pool(s.actors.e)).toMatchObject({ pool: { id: '2' }, state: 'REQUESTED' });
    expect(await pool(s.actors.g)).toBeNull();
  });

  test("behavior: credits include LoomModels' (royalties, refunds) and the operator's pool fees, as the contracts have them", async () => {
    const credits = async (a: Address) => (await q(`{ credits(account: "${a}") { market kind modelHub token amount credited withdrawn } }`)).credits as Json[];
    const models = lower(s.models);
    const creator = await credits(s.actors.creator);
    expect(creator).toEqual([{ market: models, kind: null, modelHub: true, token: ETH, amount: '0', credited: parseEther('0.04').toString(), withdrawn: parseEther('0.04').toString() }]);
    const client = await credits(s.actors.client);
    expect(client.filter((c) => c.modelHub)).toEqual([{ market: models, kind: null, modelHub: true, token: lower(s.usdc), amount: '5000000', credited: '5000000', withdrawn: '0' }]);
    const fee = await feesOf();
    const operator = await credits(s.actors.operator);
    expect(operator.map((c) => [c.kind, c.modelHub, c.token, c.amount])).toEqual([
      ['SINGLE', false, ETH, String(fee.pool1.cut + fee.pool2.cut)],
      ['REPLICATED', false, ETH, String(2n * fee.replica.cut)],
    ]);
    for (const [account, list] of [[s.actors.creator, creator], [s.actors.client, client], [s.actors.operator, operator]] as const) {
      for (const c of list) {
        const abi = c.modelHub ? loomModelsAbi : loomMarketAbi;
        const onChain = await chain.pub.readContract({ address: c.market, abi, functionName: 'credits', args: [c.token, account] } as never);
        expect(String(onChain), `${account} at ${c.market}`).toBe(c.amount);
      }
    }
    // balances sum every ledger, the model hub's included (the cancelled job's budget at the market, its fee at LoomModels).
    const { balances } = await q(`{ balances(account: "${s.actors.client}") { token amount } }`);
    const usdc = client.filter((c) => c.token === lower(s.usdc));
    expect(usdc.map((c) => c.modelHub)).toEqual([false, true]);
    expect(balances).toContainEqual({ token: lower(s.usdc), amount: String(usdc.reduce((n, c) => n + BigInt(c.amount), 0n)) });
  });
});

test("default: the SDK's typed reads of models and pools", async () => {
  const reader = createLoomReader({ url: live!.url });
  const { m1, m2 } = s.modelIds;
  const weights = await readModels(reader, { filter: { kind: 'WEIGHTS' }, orderBy: 'USES_DESC' });
  expect(weights.edges.map((e) => [e.node.id, e.node.uses, e.node.previous?.id ?? null])).toEqual([[String(m2), 2, String(m1)], [String(m1), 0, null]]);
  const model = await readModel(reader, String(m2), { days: 7, jobs: 1 });
  expect([model?.versions.map((v) => v.id), model?.jobs.totalCount, model?.jobs.edges.length]).toEqual([[String(m1), String(m2)], 2, 1]);
  expect(await readModel(reader, '12345')).toBeNull();
  expect((await readPools(reader)).edges.map((e) => e.node.name)).toEqual(['Vetted H100s', 'GPU co-op']);
  const pool = await readPool(reader, String(s.poolIds.p2), { state: 'REQUESTED' });
  expect(pool?.members.map((m) => m.address)).toEqual([lower(s.actors.e)]);
  await expect(readPool(reader, 'one')).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
});

/** The fees of the scenario's paid pool jobs, from the protocol fees their terms fixed. */
async function feesOf() {
  const feeBps = async (id: string) => (await q(`{ job(id: "${id}") { terms { feeBps } } }`)).job.terms.feeBps as number;
  return {
    pool1: poolCut(parseEther('1'), await feeBps(s.jobs.pool1), 1000),
    pool2: poolCut(parseEther('0.5'), await feeBps(s.jobs.pool2), 2000),
    replica: poolCut(parseEther('0.3'), await feeBps(s.jobs.pooledReplicated), 1000),
  };
}

test('behavior: a replay from genesis gives the same state digest and the same answers', async () => {
  const fromLive = await answers(live!);
  expect(fromLive.digest).toMatchObject({ scope: 'FULL', atBlock: s.head.toString(), version: 7 });
  const rows = Object.fromEntries((fromLive.digest as Json).tables.map((t: Json) => [t.name, t.rows]));
  expect(rows).toMatchObject({ model: 4, model_hub: 1, job_model: 5, pool: 2, pool_member: 3, pool_fee: 4 });
  await live!.stop();
  const replay = await startIndexer(chain, { schema: 'models_pools_test', ...(postgresUrl ? { postgres: postgresUrl } : {}) });
  try {
    await replay.waitForBlock(s.head, 120_000);
    const fromReplay = await answers(replay);
    for (const name of Object.keys(fromLive)) expect(fromReplay[name], name).toEqual(fromLive[name]);
  } finally {
    await replay.stop();
  }
}, 240_000);
