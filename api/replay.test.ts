/**
 * Replays are deterministic: after a random lifecycle workload (seeded: LOOM_TEST_SEED reproduces a
 * failure) indexed live by Ponder on PGlite, a fresh replay from genesis into a new database
 * (PostgreSQL when DATABASE_URL is set, else a new PGlite directory) publishes the same state digest
 * and answers a set of GraphQL queries identically: every page of jobs in several orders and
 * filters with their bids and events, workers, bids, the whole event log, daily statistics over the
 * workload's days, market settings, balances, and worker matches.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startChain, type Chain } from '../testkit/chain';
import { gql as query, startIndexer, type Indexer } from '../testkit/indexer';
import { keepLogs } from '../testkit/reaper';
import { connectMarket, randomWorkload, WORKLOAD_JOB_DEFAULTS } from '../testkit/workload';
import type { Json } from './test/ponderApi';

const postgresUrl = process.env.DATABASE_URL;
const seed = Number(process.env.LOOM_TEST_SEED ?? Math.floor(Math.random() * 2 ** 31));
const STEPS = Number(process.env.LOOM_REPLAY_STEPS ?? 120);

let chain: Chain;
let live: Indexer | undefined;
let replay: Indexer | undefined;
let head: bigint;
let workloadLog: string[] = [];
let accounts: string[] = [];

const JOB = `id kind market replicas quorum slotsFilled commits reveals commitDeadline revealDeadline outcome winnerSlashShare clientSlashShare
  replicatedTerms { price replicas quorum commitWindow revealWindow }
  slots { index worker state commitment resultHash resultURI revealOrder verdict payout slashed slashShare takenBlock updatedBlock }
  status closeReason worker price refund pricePerGpuHour executionDeadline resultHash resultURI challengeDeadline
  disputeReason arbitrationDeadline workerPayout fee clientRefund slashed activeBids postedAt postedBlock postedTx assignedAt
  assignedDay submittedAt closedAt updatedAt updatedBlock gpuModelName spec specJson
  terms { client token arbiter budget collateral feeBps mode offeredTo openUntil executionTimeout challengeWindow minGpuCount minVramMiB gpuModel specHash salt }
  assignee { address reputation }
  bids(first: 100) { totalCount edges { cursor node { worker price status placedAt placedBlock updatedAt updatedBlock } } }
  events(first: 100) { totalCount edges { cursor node { id name blockNumber account args } } }`;
const WORKER = `address registered available gpuModelName encryptionKey replicasAgreed replicasDisagreed replicasUnrevealed clients
  v1: reputation(version: 1) stake locked freeStake unbonding unlockAt activeJobs jobsAssigned jobsCompleted
  jobsReclaimed jobsReturned disputesWon disputesLost slashCount slashedTotal reputation reputationVersion registeredAt updatedAt updatedBlock
  claim { gpuModel gpuCount vramMiB cpuCores ramMiB pricePerGpuHour metadataURI } earnings { token amount jobs }`;

/** Every page of a connection field, following endCursor. */
async function walk(ponder: Indexer, field: string, args: string, selection: string): Promise<Json[]> {
  const pages: Json[] = [];
  let after: string | null = null;
  for (let i = 0; i < 1000; i++) {
    const data: Json = await query(
      ponder,
      `query($after: String) { page: ${field}(first: 50, after: $after${args ? `, ${args}` : ''}) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { ${selection} } } } }`,
      { after },
    );
    pages.push(data.page);
    if (!data.page.pageInfo.hasNextPage) return pages;
    after = data.page.pageInfo.endCursor;
  }
  throw new Error(`${field}: too many pages`);
}

/** The answers compared between the two databases. */
async function answers(ponder: Indexer): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const orderBy of ['POSTED_AT_DESC', 'BUDGET_ASC', 'PRICE_DESC']) out[`jobs ${orderBy}`] = await walk(ponder, 'jobs', `orderBy: ${orderBy}`, JOB);
  for (const status of ['OPEN', 'ASSIGNED', 'SUBMITTED', 'DISPUTED', 'CLOSED']) {
    out[`jobs ${status}`] = await walk(ponder, 'jobs', `filter: { status: [${status}] }, orderBy: BUDGET_DESC`, 'id status');
  }
  out['jobs fit'] = await walk(ponder, 'jobs', 'filter: { fitsGpuCount: 1, fitsVramMiB: 40960, maxCollateral: "300000000000000000" }', 'id');
  out.workers = await walk(ponder, 'workers', 'orderBy: REPUTATION_DESC', WORKER);
  out['workers by price'] = await walk(ponder, 'workers', 'orderBy: PRICE_ASC, filter: { registered: true }', 'address');
  out.bids = await walk(ponder, 'bids', 'orderBy: PLACED_AT_DESC', 'jobId worker price status placedBlock');
  out.events = await walk(ponder, 'jobEvents', '', 'id blockNumber blockHash txHash logIndex timestamp name jobId account args cursor job { id status }');
  const events = (out.events as Json[]).flatMap((p) => p.edges.map((e: Json) => e.node));
  const day = (ts: string) => new Date(Number(ts) * 1000).toISOString().slice(0, 10);
  out.stats = (
    await query(ponder, `query($from: Date, $to: Date) { stats(fromDay: $from, toDay: $to) { day jobsPosted jobsAssigned jobsCompleted
      jobsCancelled jobsExpired jobsReclaimed jobsDisputed jobsSettled tokens { token volumePosted volumeSettled fees gpuJobsAssigned medianPricePerGpuHour } } }`, {
      from: day(events[0].timestamp),
      to: day(events.at(-1).timestamp),
    })
  ).stats;
  out.market = (await query(ponder, '{ market { feeBps treasury defaultArbiter allowedTokens arbiters updatedBlock } }')).market;
  out.markets = (await query(ponder, '{ markets { address kind feeBps treasury defaultArbiter allowedTokens arbiters updatedBlock } }')).markets;
  out.balances = [];
  for (const account of accounts) {
    (out.balances as Json[]).push(
      await query(ponder, `{ balances(account: "${account}") { account token amount credited withdrawn } credits(account: "${account}") { market kind token amount credited withdrawn } }`),
    );
  }
  const open = (out['jobs OPEN'] as Json[]).flatMap((p) => p.edges.map((e: Json) => e.node.id)).slice(0, 5);
  out.matches = [];
  for (const id of open) {
    (out.matches as Json[]).push((await query(ponder, `{ matchWorkers(jobId: "${id}", first: 5) { score reputationScore priceScore fitScore worker { address } } }`)).matchWorkers);
  }
  out.digest = (await query(ponder, '{ stateDigest { digest scope atBlock version tables { name rows sha256 } } }')).stateDigest;
  return out;
}

beforeAll(async () => {
  console.log(`replay.test seed: ${seed} (LOOM_TEST_SEED=${seed} reproduces the workload)`);
  chain = await startChain({ name: 'api-replay-test', jobDefaults: WORKLOAD_JOB_DEFAULTS });
  const m = connectMarket(chain);
  accounts = m.wallets.map((w) => w.account.address.toLowerCase());
  live = await startIndexer(chain, { schema: 'replay_test' });
  await m.setup();
  const work = await randomWorkload(m, seed, STEPS);
  workloadLog = work.log;
  head = await m.pub.getBlockNumber({ cacheTime: 0 });
  await live.waitForBlock(head, 120_000);
}, 240_000);

afterAll(async () => {
  keepLogs('workload', () => `seed ${seed}\n${workloadLog.join('\n')}\n`);
});

test('behavior: a replay from genesis gives the same state digest and the same answers', async () => {
  const counts = workloadLog.reduce<Record<string, number>>((c, a) => ({ ...c, [a]: (c[a] ?? 0) + 1 }), {});
  console.log(`workload (seed ${seed}): ${JSON.stringify(counts)}`);
  // The workload reached the lifecycle's ends, not only its beginnings.
  expect((counts.release ?? 0) + (counts.resolve ?? 0), `seed ${seed}`).toBeGreaterThan(0);

  const fromLive = await answers(live!);
  expect(fromLive.digest).toMatchObject({ scope: 'FULL', atBlock: head.toString() });
  await live!.stop();

  if (postgresUrl) {
    replay = await startIndexer(chain, { schema: 'replay_test', postgres: postgresUrl });
  } else {
    replay = await startIndexer(chain, { schema: 'replay_test' });
  }
  await replay.waitForBlock(head, 120_000);
  const fromReplay = await answers(replay);
  for (const name of Object.keys(fromLive)) expect(fromReplay[name], `${name} (seed ${seed})`).toEqual(fromLive[name]);
}, 240_000);
