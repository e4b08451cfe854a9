import { createHash } from 'node:crypto';
import { stringToHex, zeroAddress, type Hex } from 'viem';
import { loomMarketAbi, loomModelsAbi, loomRegistryAbi } from '../abis/generated';
import { beforeAll, expect, test } from 'vitest';
import { toContractTerms, type ApiJobTerms } from '../sdk/jobTerms';
import { decide, defaultStrategy } from '../worker/daemon/strategy';
import { startChain, type Chain } from '../testkit/chain';
import { gql as query, startIndexer, type Indexer } from '../testkit/indexer';
import { DEMO_ACCOUNTS, seedDemo, type DemoResult } from './demo.ts';

let chain: Chain;
let anvil: Chain['anvil'];
let ponder: Indexer;
let deployment: Chain['deployment'];
let demo: DemoResult;

beforeAll(async () => {
  chain = await startChain({ name: 'demo-test' });
  ({ anvil, deployment } = chain);
  ponder = await startIndexer(chain, { schema: 'demo_test', artifactDir: true });
  demo = await seedDemo({ rpcUrl: anvil.rpcUrl, deployment, apiUrl: ponder.url });
  await ponder.waitForBlock(demo.head);
});

const gql = <T>(q: string, variables?: Record<string, unknown>): Promise<T> => query(ponder, q, variables);

type ApiJob = {
  id: string;
  spec: Hex;
  status: string;
  closeReason: string | null;
  resultURI: string | null;
  resultHash: string | null;
  terms: ApiJobTerms;
  bids: { edges: { node: { worker: string; status: string } }[] };
};

async function allJobs(): Promise<ApiJob[]> {
  const data = await gql<{ jobs: { edges: { node: ApiJob }[] } }>(`{ jobs(first: 100, filter: { kind: SINGLE }) { edges { node {
    id spec status closeReason resultURI resultHash bids { edges { node { worker status } } }
    terms { client token arbiter budget collateral feeBps mode offeredTo openUntil executionTimeout challengeWindow minGpuCount minVramMiB gpuModel specHash salt }
  } } } }`);
  return data.jobs.edges.map((e) => e.node);
}

test('default: the API shows demo jobs in every status and every cheap close reason', async () => {
  expect(demo.seeded).toBe(true);
  const jobs = await allJobs();
  expect(jobs.map((j) => j.id).sort()).toEqual(demo.jobs.map((j) => j.id).sort());
  // What the seeder says it left each job in is what the indexer made of the chain.
  for (const j of demo.jobs) {
    const indexed = jobs.find((x) => x.id === j.id)!;
    expect({ label: j.label, status: indexed.status, closeReason: indexed.closeReason }).toEqual({
      label: j.label,
      status: j.status,
      closeReason: j.closeReason ?? null,
    });
  }
  const statuses = new Set(jobs.map((j) => j.status));
  expect([...statuses].sort()).toEqual(['ASSIGNED', 'CLOSED', 'DISPUTED', 'OPEN', 'SUBMITTED']);
  const reasons = new Set(jobs.filter((j) => j.status === 'CLOSED').map((j) => j.closeReason));
  expect([...reasons].sort()).toEqual(['CANCELLED', 'COMPLETED', 'DISPUTE_RESOLVED', 'EXPIRED', 'RECLAIMED']);

  const open = jobs.filter((j) => j.status === 'OPEN');
  expect(open.some((j) => j.terms.mode === 'CLAIM')).toBe(true);
  const auction = open.find((j) => j.terms.mode === 'AUCTION');
  expect(auction?.bids.edges.filter((b) => b.node.status === 'ACTIVE')).toHaveLength(2);
  expect(auction?.terms.token.toLowerCase()).toBe(deployment.TestUSDC.address.toLowerCase());
  const direct = open.find((j) => j.terms.mode === 'DIRECT');
  expect(direct?.terms.offeredTo).toBe(demo.workers[1]!.toLowerCase());

  const workers = await gql<{ workers: { edges: { node: { address: string; registered: boolean } }[] } }>(
    `{ workers(first: 100) { edges { node { address registered } } } }`,
  );
  expect(workers.workers.edges.filter((e) => e.node.registered).map((e) => e.node.address.toLowerCase()).sort()).toEqual(
    demo.workers.map((a) => a.toLowerCase()).sort(),
  );
});

type ApiReplicatedJob = {
  id: string;
  outcome: string | null;
  slotsFilled: number;
  commits: number;
  reveals: number;
  resultHash: string | null;
  resultURI: string | null;
  slots: { worker: string; state: string; verdict: string | null; slashed: string | null }[];
};

test('default: the API shows the demo replicated jobs in each outcome, and one still revealing', async () => {
  const data = await gql<{ jobs: { edges: { node: ApiReplicatedJob }[] } }>(`{ jobs(first: 100, filter: { kind: REPLICATED }) { edges { node {
    id outcome slotsFilled commits reveals resultHash resultURI slots { worker state verdict slashed }
  } } } }`);
  const jobs = data.jobs.edges.map((e) => e.node);
  expect(jobs.map((j) => j.id).sort()).toEqual(demo.replicated.map((j) => j.id).sort());
  for (const j of demo.replicated) {
    const indexed = jobs.find((x) => x.id === j.id)!;
    expect({ label: j.label, outcome: indexed.outcome ?? 'RUNNING' }).toEqual({ label: j.label, outcome: j.outcome });
  }
  const byOutcome = (o: string) => jobs.find((j) => j.outcome === o)!;
  expect(byOutcome('QUORUM_REACHED').slots.map((s) => s.verdict)).toEqual(['AGREED', 'AGREED']);
  // The worker that never revealed lost its collateral.
  expect(byOutcome('NO_QUORUM').slots.map((s) => [s.state, s.slashed])).toEqual([
    ['REVEALED', '0'],
    ['COMMITTED', '50000000000000000'],
  ]);
  expect(byOutcome('EXPIRED_UNFILLED').slotsFilled).toBe(1);
  expect(byOutcome('CANCELLED').slotsFilled).toBe(0);
  const running = jobs.find((j) => j.outcome === null)!;
  expect([running.slotsFilled, running.commits, running.reveals]).toEqual([2, 2, 1]);
  // The quorum's result is a real bundle in the store.
  const quorum = byOutcome('QUORUM_REACHED');
  const sha = quorum.resultURI!.replace('artifact://', '');
  expect(`0x${sha}`).toBe(quorum.resultHash);
  const res = await fetch(`${ponder.url}/artifacts/0x${sha}`);
  expect(createHash('sha256').update(Buffer.from(await res.arrayBuffer())).digest('hex')).toBe(sha);
});

test('behavior: demo results are in the artifact store, matching the hashes on-chain', async () => {
  const withResults = (await allJobs()).filter((j) => j.resultURI);
  expect(withResults.length).toBeGreaterThanOrEqual(4);
  for (const j of withResults) {
    const sha = j.resultURI!.replace('artifact://', '');
    expect(`0x${sha}`).toBe(j.resultHash);
    const res = await fetch(`${ponder.url}/artifacts/0x${sha}`);
    expect(res.status).toBe(200);
    expect(createHash('sha256').update(Buffer.from(await res.arrayBuffer())).digest('hex')).toBe(sha);
  }
});

test('behavior: seeding again on the same chain sends nothing', async () => {
  const head = await chain.pub.getBlockNumber();
  const again = await seedDemo({ rpcUrl: anvil.rpcUrl, deployment, apiUrl: ponder.url });
  expect(again.seeded).toBe(false);
  expect(again.head).toBe(head);
});

test('behavior: a local worker on a generous machine (1x H100) skips the open demo jobs for their hardware, and the direct offer as made to another', async () => {
  // The worker daemon's own strategy, on the jobs as the API serves them: a local worker never
  // claims or bids on them, so they stay OPEN.
  const open = (await allJobs()).filter((j) => j.status === 'OPEN');
  expect(open).toHaveLength(3);
  for (const job of open) {
    const terms = toContractTerms(job.terms);
    const decision = decide(
      { status: job.status, terms, spec: job.spec },
      {
        self: '0x0000000000000000000000000000000000000bad',
        now: terms.openUntil - 60,
        claim: { gpuModel: stringToHex('NVIDIA H100 80GB HBM3', { size: 32 }), gpuCount: 1, vramMiB: 81_920 },
        machine: { gpus: 1, vramMiB: 81_920, cpuCores: 16, ramMiB: 131_072 },
        freeStake: 10n ** 18n,
        heldJobs: 0,
        openBids: 0,
      },
      { ...defaultStrategy, allowedTokens: 'any' },
    );
    expect(decision).toMatchObject({ action: 'skip', reason: job.terms.mode === 'DIRECT' ? 'not_offered' : 'hardware' });
  }
});

test('error: refuses a chain that is not a local anvil deployment', async () => {
  await expect(
    seedDemo({ rpcUrl: anvil.rpcUrl, deployment: { ...deployment, arbiter: '0x000000000000000000000000000000000000dEaD' } }),
  ).rejects.toThrow(/not anvil's account 8/);
});

test('behavior: models (paid, a second version, free) and a pool of both demo workers, with the jobs that used them', async () => {
  expect(demo.models.map((m) => [m.label, m.fee > 0n, m.retired])).toEqual([
    ['paid weights, version 1 (retired)', true, true],
    ['paid weights, version 2 (a new price)', true, false],
    ['free dataset', false, false],
  ]);
  expect(demo.models[1]!.previous).toBe(demo.models[0]!.id);
  const hub = deployment.LoomModels.address;
  for (const m of demo.models) {
    const [, fee, , retired] = await chain.pub.readContract({ address: hub, abi: loomModelsAbi, functionName: 'models', args: [m.id] });
    expect([fee, retired]).toEqual([m.fee, m.retired]);
  }
  // The completed job paid the creator the first version's fee; the cancelled one refunded the second's.
  const creator = chain.address(DEMO_ACCOUNTS.creator);
  const client = chain.address(DEMO_ACCOUNTS.clients[0]);
  const credit = (account: Hex) => chain.pub.readContract({ address: hub, abi: loomModelsAbi, functionName: 'credits', args: [zeroAddress, account] });
  expect(await credit(creator)).toBe(demo.models[0]!.fee);
  expect(await credit(client)).toBe(demo.models[1]!.fee);
  // The files of the paid model are in the artifact store.
  const published = await chain.pub.getContractEvents({ address: hub, abi: loomModelsAbi, eventName: 'ModelPublished', fromBlock: 0n });
  for (const f of published[0]!.args.model!.files) {
    const res = await fetch(`${ponder.url}/artifacts/${f.sha256}`);
    expect(createHash('sha256').update(Buffer.from(await res.arrayBuffer())).digest('hex')).toBe(f.sha256.slice(2));
  }

  expect(demo.pool).toBeGreaterThan(0n);
  for (const w of demo.workers) {
    const [pool, state] = await chain.pub.readContract({ address: deployment.LoomRegistry.address, abi: loomRegistryAbi, functionName: 'memberships', args: [w] });
    expect([pool, state]).toEqual([demo.pool, 2]); // Member
  }
  const pooled = (await allJobs()).find((j) => j.terms.mode === 'POOL');
  expect(pooled).toMatchObject({ status: 'CLOSED', closeReason: 'COMPLETED' });
  expect(BigInt(pooled!.terms.offeredTo)).toBe(demo.pool);
  // The pool's operator was paid its fee for the POOL job (5% of the member's payout after the protocol fee).
  const fees = await chain.pub.getContractEvents({ address: deployment.LoomMarket.address, abi: loomMarketAbi, eventName: 'PoolFeePaid', fromBlock: 0n });
  expect(fees.map((e) => [e.args.jobId, e.args.pool, e.args.operator])).toEqual([[pooled!.id, demo.pool, chain.address(DEMO_ACCOUNTS.poolOperator)]]);
  expect(fees[0]!.args.amount).toBeGreaterThan(0n);

  // The API shows them: the models with their uses and earnings, the pool with both members.
  const api = await gql<{ models: { edges: { node: { id: string; uses: number; retired: boolean; earnings: { amount: string }[] } }[] } }>(
    `{ models(first: 10) { edges { node { id uses retired earnings { amount } } } } }`,
  );
  expect(api.models.edges.map((e) => [Number(e.node.id), e.node.uses, e.node.retired, e.node.earnings.map((x) => x.amount)]).reverse()).toEqual([
    [demo.models[0]!.id, 1, true, [demo.models[0]!.fee.toString()]],
    [demo.models[1]!.id, 1, false, []],
    [demo.models[2]!.id, 1, false, []],
  ]);
  const { pool } = await gql<{ pool: { memberCount: number; jobsCompleted: number } }>(`query($id: ID!) { pool(id: $id) { memberCount jobsCompleted } }`, { id: String(demo.pool) });
  expect(pool).toEqual({ memberCount: 2, jobsCompleted: 2 });
});
