/**
 * The indexer end to end: a real anvil with the deployed contracts, every lifecycle path driven with
 * viem (test/scenario.ts), a real Ponder indexing it, and the tables read back from its database.
 *
 * Two runs on the same chain: one on PGlite that indexes live while the scenario runs, and one that
 * starts afterwards and indexes the history (backfill), on PostgreSQL when DATABASE_URL is set (each
 * run in a database of its own, dropped afterwards), else on PGlite again. Every assertion holds for
 * both, and both must produce identical tables. Where the contract can say it (credits, stake, job
 * status, bids), the indexed figures are checked against the contract's own views.
 */
import { parseEther, parseEventLogs, type Address, type Hex } from 'viem';
import { beforeAll, describe, expect, test } from 'vitest';
import { loomMarketAbi } from '../../abis/generated';
import { startChain, type Chain } from '../../testkit/chain';
import { startIndexer, type Indexer } from '../../testkit/indexer';
import { ETH } from '../../testkit/jobs';
import { eventId, type LoggedEvent } from '../src/fold/event';
import { foldJob } from '../src/fold/job';
import { REPUTATION_VERSION, reputation } from '../src/reputation';
import { dumpTables, openPglite, openPostgres, plain, type Row } from './db';
import { H100, JSON_SPEC, runScenario, type Scenario } from './scenario';

const schema = 'loom_test';
const postgresUrl = process.env.DATABASE_URL;

type Run = { label: string; tables: Record<string, Row[]> };
const LIVE = 'pglite, indexing live';
const BACKFILL = postgresUrl ? 'postgres, indexing history' : 'pglite, indexing history';
const runs = new Map<string, Run>();

let chain: Chain;
let scenario: Scenario;
/** The run on PostgreSQL, served again by `ponder serve`. */
let backfillDatabaseUrl: string | undefined;

beforeAll(async () => {
  chain = await startChain({ name: 'indexer-test' });

  // Run 1: Ponder on PGlite follows the chain while the scenario runs.
  const live = await startIndexer(chain, { schema });
  scenario = await runScenario(chain);
  await live.waitForBlock(scenario.head);
  await live.stop();
  const pglite = await openPglite(live.pgliteDir!);
  runs.set(LIVE, { label: LIVE, tables: await dumpTables(pglite, schema) });
  await pglite.close();

  // Run 2: a fresh Ponder indexes the finished history.
  const backfill: Indexer = await startIndexer(chain, { schema, postgres: postgresUrl });
  await backfill.waitForBlock(scenario.head);
  if (backfill.databaseUrl) {
    backfillDatabaseUrl = backfill.databaseUrl;
    const sql = await openPostgres(backfill.databaseUrl);
    runs.set(BACKFILL, { label: BACKFILL, tables: await dumpTables(sql, schema) });
    await sql.close();
    await backfill.stop();
  } else {
    await backfill.stop();
    const sql = await openPglite(backfill.pgliteDir!);
    runs.set(BACKFILL, { label: BACKFILL, tables: await dumpTables(sql, schema) });
    await sql.close();
  }
});

const read = <T>(functionName: string, args: readonly unknown[]) =>
  chain.pub.readContract({ address: scenario.market, abi: loomMarketAbi, functionName, args } as never) as Promise<T>;
const lower = (a: string) => a.toLowerCase();
const e18 = (s: string) => parseEther(s).toString();

describe.each([LIVE, BACKFILL])('%s', (label) => {
  const t = () => runs.get(label)!.tables;
  const jobRow = (id: Hex) => t().job.find((j) => j.id === id)!;
  const workerRow = (a: Address) => t().worker.find((w) => w.address === lower(a))!;

  test('default: every market log is one job_event row, in chain order', async () => {
    const logs = await chain.pub.getLogs({ address: scenario.market, fromBlock: BigInt(scenario.startBlock), toBlock: scenario.head });
    const decoded = parseEventLogs({ abi: loomMarketAbi, logs });
    expect(t().job_event.map((e) => [e.id, e.name])).toEqual(
      decoded.map((l) => [eventId(l.blockNumber, l.logIndex), l.eventName]),
    );
    const names = new Set(t().job_event.map((e) => e.name));
    const abiEvents = loomMarketAbi.filter((i) => i.type === 'event').map((i) => i.name);
    expect([...names].sort()).toEqual([...abiEvents].sort()); // the scenario emits every event

    const closed = t().job_event.find((e) => e.name === 'JobClosed' && e.jobId === scenario.jobs.j4.id)!;
    expect(closed.account).toBe(lower(scenario.actors.b));
    expect(closed.args).toEqual({
      jobId: scenario.jobs.j4.id,
      reason: 5,
      worker: lower(scenario.actors.b),
      workerPayout: e18('0.594'),
      fee: e18('0.006'),
      clientRefund: e18('1.4'),
      slashed: e18('0.05'),
    });
    const ownership = t().job_event.filter((e) => String(e.name).startsWith('Ownership'));
    expect(ownership.map((e) => [e.name, e.account])).toEqual([
      ['OwnershipTransferred', lower(scenario.actors.owner)],
      ['OwnershipTransferStarted', lower(scenario.actors.newOwner)],
      ['OwnershipTransferred', lower(scenario.actors.newOwner)],
    ]);
  });

  test('behavior: each job ends as its path says, and as the contract says', async () => {
    const { jobs, actors, usdc } = scenario;
    const expected: Record<string, Row> = {
      j1: { status: 'CLOSED', closeReason: 'COMPLETED', worker: lower(actors.a), price: e18('1'), refund: '0', workerPayout: e18('0.99'), fee: e18('0.01'), clientRefund: '0', slashed: '0', pricePerGpuHour: e18('0.5'), gpuModel: H100, specJson: JSON_SPEC },
      j2: { status: 'CLOSED', closeReason: 'COMPLETED', worker: lower(actors.b), token: lower(usdc), mode: 'AUCTION', price: '70000000', refund: '30000000', workerPayout: '69300000', fee: '700000', clientRefund: '0', slashed: '0', pricePerGpuHour: '35000000', activeBids: 1, gpuModel: null, spec: '0xff00fe', specJson: null },
      j3: { status: 'CLOSED', closeReason: 'DISPUTE_RESOLVED', worker: lower(actors.a), workerPayout: e18('0.99'), fee: e18('0.01'), clientRefund: '0', slashed: '0', resultURI: 'ipfs://bad\uFFFDuri', disputeReason: 'the output is empty', specJson: null },
      j4: { status: 'CLOSED', closeReason: 'DISPUTE_RESOLVED', worker: lower(actors.b), workerPayout: e18('0.594'), fee: e18('0.006'), clientRefund: e18('1.4'), slashed: e18('0.05') },
      j5: { status: 'CLOSED', closeReason: 'ARBITRATION_TIMED_OUT', worker: lower(actors.a), workerPayout: e18('0.495'), fee: e18('0.005'), clientRefund: e18('0.5'), slashed: '0', disputeReason: 'too slow' },
      j6: { status: 'CLOSED', closeReason: 'CANCELLED', worker: null, price: null, workerPayout: '0', fee: '0', clientRefund: e18('0.5'), slashed: '0', assignedAt: null },
      j7: { status: 'CLOSED', closeReason: 'EXPIRED', worker: null, workerPayout: '0', fee: '0', clientRefund: e18('0.3'), slashed: '0' },
      j8: { status: 'CLOSED', closeReason: 'RECLAIMED', worker: lower(actors.b), workerPayout: '0', fee: '0', clientRefund: e18('1'), slashed: e18('0.1'), resultHash: null },
      j9: { status: 'OPEN', closeReason: null, worker: null, feeBps: 200, budget: e18('0.1'), client: lower(actors.client), token: ETH },
    };
    expect(t().job).toHaveLength(9);
    for (const [name, fields] of Object.entries(expected)) {
      const { id } = jobs[name as keyof typeof jobs];
      expect({ name, ...jobRow(id) }).toMatchObject({ name, ...fields });
    }
    expect(jobRow(jobs.j1.id).feeBps).toBe(100);
    expect(jobRow(jobs.j2.id).assignedDay).toMatch(/^\d{4}-\d{2}-\d{2}$/);

    const STATUS = ['NONE', 'OPEN', 'ASSIGNED', 'SUBMITTED', 'DISPUTED', 'CLOSED'];
    const REASON = [null, 'COMPLETED', 'CANCELLED', 'EXPIRED', 'RECLAIMED', 'DISPUTE_RESOLVED', 'ARBITRATION_TIMED_OUT'];
    for (const row of t().job) {
      const [worker, status, reason] = await read<[Address, number, number, number]>('jobs', [row.id]);
      expect([row.status, row.closeReason, row.worker ?? ETH]).toEqual([STATUS[status], REASON[reason], lower(worker)]);
    }
  });

  test('behavior: bids are ACTIVE, WITHDRAWN or ACCEPTED, and job.activeBids counts the active ones', async () => {
    const { j2 } = scenario.jobs;
    const bids = t().bid.filter((b) => b.jobId === j2.id);
    const byWorker = (a: Address) => bids.find((b) => b.worker === lower(a));
    expect(byWorker(scenario.actors.a)).toMatchObject({ status: 'ACTIVE', price: '80000000' });
    expect(byWorker(scenario.actors.b)).toMatchObject({ status: 'ACCEPTED', price: '70000000' });
    expect(byWorker(scenario.actors.c)).toMatchObject({ status: 'WITHDRAWN', price: '95000000' });
    for (const job of t().job) {
      expect(job.activeBids).toBe(t().bid.filter((b) => b.jobId === job.id && b.status === 'ACTIVE').length);
    }
    for (const bid of bids) {
      const onChain = await read<bigint>('bids', [j2.id, bid.worker]);
      expect(onChain.toString()).toBe(bid.status === 'WITHDRAWN' ? '0' : bid.price);
    }
  });

  test('behavior: workers carry their claim, stake, counters and reputation', async () => {
    const { a, b, c } = scenario.actors;
    expect(workerRow(a)).toMatchObject({
      registered: true, available: true, gpuModel: H100, gpuCount: 2, vramMiB: 81_920, metadataURI: 'ipfs://worker-a',
      stake: e18('1'), locked: '0', activeJobs: 0, jobsAssigned: 3, jobsCompleted: 1, jobsReclaimed: 0,
      disputesWon: 1, disputesLost: 0, slashCount: 0, slashedTotal: '0', reputation: 750, reputationVersion: REPUTATION_VERSION,
    });
    expect(workerRow(b)).toMatchObject({
      registered: true, stake: e18('0.85'), locked: '0', activeJobs: 0, jobsAssigned: 3, jobsCompleted: 1, jobsReclaimed: 1,
      disputesWon: 0, disputesLost: 1, slashCount: 2, slashedTotal: e18('0.15'), reputation: 250,
    });
    expect(workerRow(c)).toMatchObject({
      registered: false, available: false, gpuModel: H100, gpuCount: 1, metadataURI: 'ipfs://worker-c-v2', ramMiB: 4_294_967_295,
      stake: '0', locked: '0', unbonding: e18('1'), jobsAssigned: 0, reputation: 500,
    });
    for (const w of t().worker) {
      expect(w.reputation).toBe(reputation(w as never));
      const [stake, locked, gpuCount, vramMiB, registered, available] = await read<[bigint, bigint, number, number, boolean, boolean]>('workers', [w.address]);
      const [unbonding, unlockAt] = await read<[bigint, number]>('unbonding', [w.address]);
      expect([w.stake, w.locked, w.registered, w.available, w.unbonding, w.unlockAt ?? '0']).toEqual([
        stake.toString(), locked.toString(), registered, available, unbonding.toString(), String(unlockAt),
      ]);
      if (registered) expect([w.gpuCount, w.vramMiB]).toEqual([gpuCount, vramMiB]);
    }
  });

  test('behavior: earnings are payouts net of fees, per token', () => {
    const { a, b } = scenario.actors;
    const rows = t().worker_earning.map((e) => [e.worker, e.token, e.amount, e.jobs]);
    expect(rows).toEqual(
      expect.arrayContaining([
        [lower(a), ETH, e18('2.475'), 3],
        [lower(b), ETH, e18('0.594'), 1],
        [lower(b), lower(scenario.usdc), '69300000', 1],
      ]),
    );
    expect(rows).toHaveLength(3);
  });

  test('behavior: balances mirror the contract credits (credited, withdrawn, left)', async () => {
    const accounts = Object.values(scenario.actors);
    const rows = t().balance;
    for (const account of accounts) {
      for (const token of [ETH, scenario.usdc]) {
        const onChain = await read<bigint>('credits', [token, account]);
        const row = rows.find((r) => r.account === lower(account) && r.token === lower(token));
        expect([account, token, row?.amount ?? '0']).toEqual([account, token, onChain.toString()]);
      }
    }
    for (const row of rows) {
      expect(BigInt(row.credited as string) - BigInt(row.withdrawn as string)).toBe(BigInt(row.amount as string));
    }
    const { a, treasury, treasury2, client } = scenario.actors;
    expect(rows.find((r) => r.account === lower(a) && r.token === ETH)).toMatchObject({ amount: '0', withdrawn: e18('2.475') });
    expect(rows.find((r) => r.account === lower(treasury) && r.token === ETH)).toMatchObject({ amount: '0', credited: e18('0.026') });
    expect(rows.find((r) => r.account === lower(treasury2) && r.token === ETH)).toMatchObject({ amount: e18('0.005') });
    expect(rows.find((r) => r.account === lower(client) && r.token === lower(scenario.usdc))).toMatchObject({ amount: '0', withdrawn: '30000000' });
  });

  test('behavior: daily statistics add up to the scenario', () => {
    const sum = (key: string) => t().daily_stat.reduce((s, d) => s + (d[key] as number), 0);
    expect({
      jobsPosted: sum('jobsPosted'), jobsAssigned: sum('jobsAssigned'), jobsCompleted: sum('jobsCompleted'),
      jobsCancelled: sum('jobsCancelled'), jobsExpired: sum('jobsExpired'), jobsReclaimed: sum('jobsReclaimed'),
      jobsDisputed: sum('jobsDisputed'), jobsSettled: sum('jobsSettled'),
    }).toEqual({ jobsPosted: 9, jobsAssigned: 6, jobsCompleted: 2, jobsCancelled: 1, jobsExpired: 1, jobsReclaimed: 1, jobsDisputed: 3, jobsSettled: 8 });
    expect(t().daily_stat.length).toBeGreaterThanOrEqual(2); // the week-long jump spans days

    const perToken = (token: string, key: string) =>
      t().daily_token_stat.filter((d) => d.token === lower(token)).reduce((s, d) => s + BigInt(d[key] as string), 0n).toString();
    expect([perToken(ETH, 'volumePosted'), perToken(ETH, 'volumeSettled'), perToken(ETH, 'fees')]).toEqual([e18('6.9'), e18('3.1'), e18('0.031')]);
    const usdc = scenario.usdc;
    expect([perToken(usdc, 'volumePosted'), perToken(usdc, 'volumeSettled'), perToken(usdc, 'fees')]).toEqual(['100000000', '70000000', '700000']);
  });

  test('behavior: the owner settings and allow-lists', () => {
    const { treasury2, arbiter, stranger } = scenario.actors;
    expect(t().market).toEqual([expect.objectContaining({ id: 1, feeBps: 200, treasury: lower(treasury2), defaultArbiter: lower(arbiter) })]);
    expect(t().allowed_token).toEqual([{ token: lower(scenario.usdc), allowed: false }]);
    expect(t().arbiter).toEqual(
      expect.arrayContaining([{ address: lower(arbiter), allowed: true }, { address: lower(stranger), allowed: false }]),
    );
  });

  test("behavior: folding a job's logged events gives its rows, at the head and at any block", () => {
    const events = t().job_event.map((e) => ({
      jobId: e.jobId as string | null,
      event: {
        name: e.name as string,
        args: e.args,
        blockNumber: BigInt(e.blockNumber as string),
        timestamp: BigInt(e.timestamp as string),
        txHash: e.txHash as Hex,
      } satisfies LoggedEvent,
    }));
    const byWorker = (x: Row | { worker: unknown }, y: Row | { worker: unknown }) => String(x.worker).localeCompare(String(y.worker));
    for (const row of t().job) {
      const { job, bids } = foldJob(events.filter((e) => e.jobId === row.id).map((e) => e.event));
      expect(plain(job)).toEqual(row);
      expect(plain(bids.sort(byWorker))).toEqual(t().bid.filter((b) => b.jobId === row.id).sort(byWorker));
    }
    const { j2 } = scenario.jobs;
    const asOf = foldJob(events.filter((e) => e.jobId === j2.id && e.event.blockNumber <= scenario.j2AssignedBlock).map((e) => e.event));
    expect(asOf.job).toMatchObject({ status: 'ASSIGNED', worker: lower(scenario.actors.b), price: 70_000_000n, activeBids: 1, closeReason: null });
    expect(asOf.bids.map((b) => b.status).sort()).toEqual(['ACCEPTED', 'ACTIVE', 'WITHDRAWN']);
  });
});

test('behavior: live indexing and indexing the history give identical tables', () => {
  expect(runs.get(BACKFILL)!.tables).toEqual(runs.get(LIVE)!.tables);
});

test.skipIf(!postgresUrl)('behavior: `ponder serve` serves the finished index from PostgreSQL', async () => {
  const serve = await startIndexer(chain, { schema, databaseUrl: backfillDatabaseUrl, mode: 'serve' });
  expect((await serve.status()).loom!.block.number).toBe(Number(scenario.head));
  await serve.stop();
});
