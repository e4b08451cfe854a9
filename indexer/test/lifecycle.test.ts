/**
 * The indexer end to end: a real anvil with the deployed contract set (registry, single-worker market,
 * replicated market), every lifecycle path driven with viem and the SDK's writer (test/scenario.ts),
 * a real Ponder indexing it, and the tables read back from its database.
 *
 * The model hub and worker pools follow (test/modelsPoolsScenario.ts, other accounts): every event of
 * the four contracts is emitted at least once.
 *
 * Two runs on the same chain: one on PGlite that indexes live while the scenario runs, and one that
 * starts afterwards and indexes the history (backfill), on PostgreSQL when DATABASE_URL is set (each
 * run in a database of its own, dropped afterwards), else on PGlite again. Every assertion holds for
 * both, and both must produce identical tables. Where the contracts can say it (credits in each
 * market, stake, job and slot status, bids), the indexed figures are checked against their own views.
 */
import { parseEther, parseEventLogs, type Abi, type Address, type Hex } from 'viem';
import { beforeAll, describe, expect, test } from 'vitest';
import { loomMarketAbi, loomModelsAbi, loomRegistryAbi, loomReplicatedMarketAbi } from '../../abis/generated';
import { loomAbi } from '../../sdk/contracts';
import { startChain, type Chain } from '../../testkit/chain';
import { gql, startIndexer, type Indexer } from '../../testkit/indexer';
import { ETH } from '../../testkit/jobs';
import { eventId, ZERO_BYTES32, type LoggedEvent } from '../src/fold/event';
import { foldJob } from '../src/fold/job';
import { evidenceOf, REPUTATION_VERSION, reputation, reputationV1 } from '../src/reputation';
import { dumpTables, openPglite, openPostgres, plain, type Row } from './db';
import { runModelsPoolsScenario, type ModelsPoolsScenario } from './modelsPoolsScenario';
import { BAD_RESULT, GOOD_RESULT, H100, JSON_SPEC, runScenario, type Scenario } from './scenario';

const schema = 'loom_test';
const postgresUrl = process.env.DATABASE_URL;

type Digest = { digest: string; atBlock: string; version: number; tables: { name: string; rows: number; sha256: string }[] };
type Run = { label: string; tables: Record<string, Row[]>; digest: Digest };
const DIGEST = '{ stateDigest { digest atBlock version tables { name rows sha256 } } }';
const LIVE = 'pglite, indexing live';
const BACKFILL = postgresUrl ? 'postgres, indexing history' : 'pglite, indexing history';
const runs = new Map<string, Run>();

let chain: Chain;
let scenario: Scenario;
let hub: ModelsPoolsScenario;
/** The run on PostgreSQL, served again by `ponder serve`. */
let backfillDatabaseUrl: string | undefined;

beforeAll(async () => {
  chain = await startChain({ name: 'indexer-test' });

  // Run 1: Ponder on PGlite follows the chain while the scenario runs.
  const live = await startIndexer(chain, { schema });
  scenario = await runScenario(chain);
  hub = await runModelsPoolsScenario(chain);
  scenario.head = hub.head;
  await live.waitForBlock(scenario.head);
  const liveDigest: Digest = (await gql(live, DIGEST)).stateDigest;
  await live.stop();
  const pglite = await openPglite(live.pgliteDir!);
  runs.set(LIVE, { label: LIVE, tables: await dumpTables(pglite, schema), digest: liveDigest });
  await pglite.close();

  // Run 2: a fresh Ponder indexes the finished history.
  const backfill: Indexer = await startIndexer(chain, { schema, postgres: postgresUrl });
  await backfill.waitForBlock(scenario.head);
  const backfillDigest: Digest = (await gql(backfill, DIGEST)).stateDigest;
  if (backfill.databaseUrl) {
    backfillDatabaseUrl = backfill.databaseUrl;
    const sql = await openPostgres(backfill.databaseUrl);
    runs.set(BACKFILL, { label: BACKFILL, tables: await dumpTables(sql, schema), digest: backfillDigest });
    await sql.close();
    await backfill.stop();
  } else {
    await backfill.stop();
    const sql = await openPglite(backfill.pgliteDir!);
    runs.set(BACKFILL, { label: BACKFILL, tables: await dumpTables(sql, schema), digest: backfillDigest });
    await sql.close();
  }
});

const readAt = <T>(address: Address, abi: Abi, functionName: string, args: readonly unknown[]) =>
  chain.pub.readContract({ address, abi, functionName, args } as never) as Promise<T>;
const read = <T>(functionName: string, args: readonly unknown[]) => readAt<T>(scenario.market, loomMarketAbi, functionName, args);
const readRegistry = <T>(functionName: string, args: readonly unknown[]) => readAt<T>(scenario.registry, loomRegistryAbi, functionName, args);
const readReplicated = <T>(functionName: string, args: readonly unknown[]) => readAt<T>(scenario.replicated, loomReplicatedMarketAbi, functionName, args);
const lower = (a: string) => a.toLowerCase();
const e18 = (s: string) => parseEther(s).toString();

describe.each([LIVE, BACKFILL])('%s', (label) => {
  const t = () => runs.get(label)!.tables;
  const jobRow = (id: Hex) => t().job.find((j) => j.id === id)!;
  const workerRow = (a: Address) => t().worker.find((w) => w.address === lower(a))!;

  test('default: each SealedBundleSent is one sealed_bundle row, whoever sent it (the API filters by client)', () => {
    const { j1 } = scenario.jobs;
    expect(t().sealed_bundle.map((r) => [r.jobId, r.client, r.worker, r.inlineBundle, r.uri])).toEqual([
      [j1.id, lower(scenario.actors.client), lower(scenario.actors.a), '0x01c0ffee', null],
      [j1.id, lower(scenario.actors.stranger), lower(scenario.actors.a), null, 'artifact://sealed-by-a-stranger'],
    ]);
  });

  test('default: every log of the three contracts is one job_event row, in chain order, with its contract', async () => {
    const { registry, market, replicated } = scenario;
    const logs = await chain.pub.getLogs({ address: [registry, market, replicated, hub.models], fromBlock: BigInt(scenario.startBlock), toBlock: scenario.head });
    const decoded = parseEventLogs({ abi: loomAbi, logs });
    expect(t().job_event.map((e) => [e.id, e.name, e.contract])).toEqual(
      decoded.map((l) => [eventId(l.blockNumber, l.logIndex), l.eventName, lower(l.address)]),
    );
    const names = new Set(t().job_event.map((e) => e.name));
    const abiEvents = new Set(loomAbi.filter((i) => i.type === 'event').map((i) => i.name));
    expect([...names].sort()).toEqual([...abiEvents].sort()); // the scenario emits every event of every contract

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
    const { owner, newOwner, stranger } = scenario.actors;
    expect(ownership.map((e) => [e.name, e.contract, e.account])).toEqual([
      ['OwnershipTransferred', lower(registry), lower(owner)],
      ['OwnershipTransferred', lower(market), lower(owner)],
      ['OwnershipTransferred', lower(replicated), lower(owner)],
      ['OwnershipTransferStarted', lower(market), lower(newOwner)],
      ['OwnershipTransferred', lower(market), lower(newOwner)],
    ]);
    // The registry trusts both markets from its constructor; a later change waits for its delay.
    const trust = t().job_event.filter((e) => String(e.name).startsWith('MarketTrust'));
    expect(trust.map((e) => [e.name, e.account])).toEqual([
      ['MarketTrustSet', lower(market)],
      ['MarketTrustSet', lower(replicated)],
      ['MarketTrustProposed', lower(stranger)],
      ['MarketTrustSet', lower(stranger)],
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
      j10: { status: 'CLOSED', closeReason: 'RETURNED', worker: lower(actors.a), price: e18('0.2'), workerPayout: '0', fee: '0', clientRefund: e18('0.2'), slashed: '0', resultHash: null },
      j9: { status: 'OPEN', closeReason: null, worker: null, feeBps: 200, budget: e18('0.1'), client: lower(actors.client), token: ETH },
    };
    expect(t().job).toHaveLength(14 + Object.keys(hub.jobs).length);
    for (const [name, fields] of Object.entries(expected)) {
      const { id } = jobs[name as keyof typeof jobs];
      expect({ name, ...jobRow(id) }).toMatchObject({ name, kind: 'SINGLE', market: lower(scenario.market), replicas: null, outcome: null, ...fields });
    }
    expect(jobRow(jobs.j1.id).feeBps).toBe(100);
    expect(jobRow(jobs.j2.id).assignedDay).toMatch(/^\d{4}-\d{2}-\d{2}$/);

    const STATUS = ['NONE', 'OPEN', 'ASSIGNED', 'SUBMITTED', 'DISPUTED', 'CLOSED'];
    const REASON = [null, 'COMPLETED', 'CANCELLED', 'EXPIRED', 'RECLAIMED', 'DISPUTE_RESOLVED', 'ARBITRATION_TIMED_OUT', 'RETURNED'];
    for (const row of t().job.filter((j) => j.kind === 'SINGLE')) {
      const [worker, status, reason] = await read<[Address, number, number, number]>('jobs', [row.id]);
      expect([row.status, row.closeReason, row.worker ?? ETH]).toEqual([STATUS[status], REASON[reason], lower(worker)]);
    }
  });

  test('behavior: each replicated job ends in its outcome, its slots as the contract has them', async () => {
    const { replicatedJobs: r, actors } = scenario;
    const [a, b, c] = [actors.a, actors.b, actors.c].map(lower);
    const common = { kind: 'REPLICATED', market: lower(scenario.replicated), status: 'CLOSED', closeReason: null, worker: null, price: e18('0.3'), budget: e18('0.9'), replicas: 3, quorum: 2, feeBps: 300, arbiter: ETH, mode: 'CLAIM', executionTimeout: 0 };
    const expected: Record<string, Row> = {
      r1: { outcome: 'QUORUM_REACHED', filled: 3, committed: 3, revealed: 3, slotWorkers: [a, b, c], resultHash: GOOD_RESULT, resultURI: 'ipfs://r1-c', workerPayout: e18('0.873'), fee: e18('0.027'), clientRefund: '0', slashed: e18('0.1'), winnerSlashShare: e18('0.025'), clientSlashShare: e18('0.05') },
      r2: { outcome: 'NO_QUORUM', filled: 3, committed: 3, revealed: 2, resultHash: null, resultURI: null, workerPayout: '0', fee: '0', clientRefund: e18('0.9'), slashed: e18('0.1'), winnerSlashShare: '0', clientSlashShare: e18('0.1') },
      r3: { outcome: 'EXPIRED_UNFILLED', filled: 1, committed: 0, revealed: 0, slotWorkers: [a], clientRefund: e18('0.9'), slashed: '0' },
      r4: { outcome: 'CANCELLED', filled: 0, slotWorkers: [], clientRefund: e18('0.9'), assignedAt: null },
    };
    for (const [name, fields] of Object.entries(expected)) {
      const { id } = r[name as keyof typeof r];
      expect({ name, ...jobRow(id) }).toMatchObject({ name, ...common, ...fields });
    }
    const slotsOf = (id: Hex) => t().job_slot.filter((s) => s.jobId === id);
    expect(slotsOf(r.r1.id).map((s) => [s.worker, s.state, s.resultHash, s.resultURI, s.revealOrder, s.verdict, s.payout, s.slashed, s.slashShare])).toEqual([
      [a, 'REVEALED', GOOD_RESULT, 'ipfs://r1-a', 3, 'AGREED', e18('0.4365'), '0', e18('0.025')],
      [b, 'REVEALED', BAD_RESULT, 'ipfs://r1-b', 2, 'DISAGREED', '0', e18('0.1'), '0'],
      [c, 'REVEALED', GOOD_RESULT, 'ipfs://r1-c', 1, 'AGREED', e18('0.4365'), '0', e18('0.025')],
    ]);
    expect(slotsOf(r.r2.id).map((s) => [s.state, s.verdict, s.slashed])).toEqual([
      ['REVEALED', null, '0'],
      ['REVEALED', null, '0'],
      ['COMMITTED', 'UNREVEALED', e18('0.1')],
    ]);
    expect(slotsOf(r.r3.id).map((s) => [s.worker, s.state, s.verdict, s.payout, s.slashed])).toEqual([[a, 'TAKEN', null, '0', '0']]);
    expect(slotsOf(r.r4.id)).toEqual([]);

    const STATE = ['EMPTY', 'TAKEN', 'COMMITTED', 'REVEALED'];
    for (const job of t().job.filter((j) => j.kind === 'REPLICATED')) {
      const [status, filled, committed, revealed, revealDeadline] = await readReplicated<[number, number, number, number, number]>('replicatedJobs', [job.id]);
      expect([status, filled, committed, revealed]).toEqual([job.status === 'CLOSED' ? 2 : 1, job.filled, job.committed, job.revealed]);
      // The contract stores the reveal deadline only when the last commit opened the phase early.
      if (revealDeadline !== 0) expect(String(revealDeadline)).toBe(job.revealDeadline);
      for (const slot of slotsOf(job.id as Hex)) {
        const [worker, state] = await readReplicated<[Address, number]>('slots', [job.id, slot.slot]);
        const hash = await readReplicated<Hex>('slotHashes', [job.id, slot.slot]);
        expect([slot.worker, slot.state, slot.resultHash ?? slot.commitment ?? ZERO_BYTES32]).toEqual([lower(worker), STATE[state], hash]);
      }
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

  test('behavior: workers carry their claim, key, stake, counters and reputation, as the registry has them', async () => {
    const { a, b, c } = scenario.actors;
    expect(workerRow(a)).toMatchObject({
      registered: true, available: true, gpuModel: H100, gpuCount: 2, vramMiB: 81_920, metadataURI: 'ipfs://worker-a', encryptionKey: `0x${'ee'.repeat(32)}`,
      stake: e18('1'), locked: '0', activeJobs: 0, jobsAssigned: 7, jobsCompleted: 1, jobsReclaimed: 0, jobsReturned: 1,
      disputesWon: 1, disputesLost: 0, slashCount: 0, slashedTotal: '0', replicasAgreed: 1, replicasDisagreed: 0, replicasUnrevealed: 0,
      // Three fully paid successes (j1, j3, r1), all for one client: g(3000) = 1800. The returned j10
      // settles no outcome: it is counted (jobsReturned), never scored.
      clients: 1, evidenceFor: 1800, evidenceAgainst: 0, reputation: 736, reputationVersion: REPUTATION_VERSION,
    });
    expect(workerRow(b)).toMatchObject({
      registered: true, stake: e18('0.75'), locked: '0', activeJobs: 0, jobsAssigned: 5, jobsCompleted: 1, jobsReclaimed: 1, jobsReturned: 0,
      disputesWon: 0, disputesLost: 1, slashCount: 3, slashedTotal: e18('0.25'), replicasAgreed: 0, replicasDisagreed: 1, encryptionKey: null,
      // j2 for it; a slashed lost dispute (2), a slashed reclaim (3) and a slashed dissent (2) against: g(7000) = 2333.
      clients: 1, evidenceFor: 1000, evidenceAgainst: 2333, reputation: 375,
    });
    expect(workerRow(c)).toMatchObject({
      registered: false, available: false, gpuModel: H100, gpuCount: 1, metadataURI: 'ipfs://worker-c-v2', ramMiB: 4_294_967_295,
      stake: '0', locked: '0', unbonding: e18('0.9'), jobsAssigned: 2, slashCount: 1, slashedTotal: e18('0.1'),
      replicasAgreed: 1, replicasUnrevealed: 1, clients: 1, evidenceFor: 1000, evidenceAgainst: 1800, reputation: 416,
    });
    for (const w of t().worker) {
      const records = t().worker_client.filter((r) => r.worker === w.address) as { successWeight: number; failureWeight: number }[];
      expect(evidenceOf(records)).toEqual({ evidenceFor: w.evidenceFor, evidenceAgainst: w.evidenceAgainst });
      expect(w.reputation).toBe(reputation(w as never));
      expect(w.clients).toBe(records.length);
      const [stake, locked, gpuCount, vramMiB, registered, available] = await readRegistry<[bigint, bigint, number, number, boolean, boolean]>('workers', [w.address]);
      const [unbonding, unlockAt] = await readRegistry<[bigint, number]>('unbonding', [w.address]);
      const key = await readRegistry<Hex>('encryptionKeyOf', [w.address]);
      expect([w.stake, w.locked, w.registered, w.available, w.unbonding, w.unlockAt ?? '0', w.encryptionKey ?? `0x${'0'.repeat(64)}`]).toEqual([
        stake.toString(), locked.toString(), registered, available, unbonding.toString(), String(unlockAt), key,
      ]);
      if (registered) expect([w.gpuCount, w.vramMiB]).toEqual([gpuCount, vramMiB]);
    }
    // Version 1 still computes from the same row; it knows nothing of replicas or clients.
    expect(reputationV1(workerRow(a) as never)).toBe(750);
    expect(t().worker_client.map((r) => [r.worker, r.client, r.outcomes, r.successWeight, r.failureWeight])).toEqual(
      expect.arrayContaining([
        [lower(a), lower(scenario.actors.client), 3, 3000, 0],
        [lower(b), lower(scenario.actors.client), 4, 1000, 7000],
        [lower(c), lower(scenario.actors.client), 2, 1000, 3000],
      ]),
    );
  });

  test('behavior: earnings are payouts net of fees, per token, across markets', () => {
    const { a, b, c } = scenario.actors;
    const rows = t()
      .worker_earning.filter((e) => [a, b, c].map(lower).includes(e.worker as string))
      .map((e) => [e.worker, e.token, e.amount, e.jobs]);
    expect(rows).toEqual(
      expect.arrayContaining([
        [lower(a), ETH, e18('2.9115'), 4],
        [lower(b), ETH, e18('0.594'), 1],
        [lower(b), lower(scenario.usdc), '69300000', 1],
        [lower(c), ETH, e18('0.4365'), 1],
      ]),
    );
    expect(rows).toHaveLength(4);
  });

  test("behavior: balances mirror each ledger's credits, the markets' and LoomModels' (credited, withdrawn, left)", async () => {
    const accounts = [...Object.values(scenario.actors), ...Object.values(hub.actors)];
    const rows = t().balance;
    const readModels = <T>(functionName: string, args: readonly unknown[]) => readAt<T>(hub.models, loomModelsAbi, functionName, args);
    for (const [market, readCredits] of [[scenario.market, read], [scenario.replicated, readReplicated], [hub.models, readModels]] as const) {
      for (const account of accounts) {
        for (const token of [ETH, scenario.usdc]) {
          const onChain = await readCredits<bigint>('credits', [token, account]);
          const row = rows.find((r) => r.market === lower(market) && r.account === lower(account) && r.token === lower(token));
          expect([market, account, token, row?.amount ?? '0']).toEqual([market, account, token, onChain.toString()]);
        }
      }
    }
    for (const row of rows) {
      expect(BigInt(row.credited as string) - BigInt(row.withdrawn as string)).toBe(BigInt(row.amount as string));
    }
    const { a, c, treasury, treasury2, client } = scenario.actors;
    const at = (market: Address, account: Address, token: string = ETH) =>
      rows.find((r) => r.market === lower(market) && r.account === lower(account) && r.token === lower(token));
    const { market, replicated } = scenario;
    expect(at(market, a)).toMatchObject({ amount: '0', withdrawn: e18('2.475') });
    expect(at(market, treasury)).toMatchObject({ amount: '0', credited: e18('0.026') });
    // j5's fee, and those of the models and pools scenario's single jobs (2% of 1, 1 and 0.5 ETH).
    expect(at(market, treasury2)).toMatchObject({ amount: e18('0.055') });
    expect(at(market, client, scenario.usdc)).toMatchObject({ amount: '0', withdrawn: '30000000' });
    // The replicated market's: r1's payout and share of b's slash, the fee, the client's refunds and slashes.
    expect(at(replicated, a)).toMatchObject({ amount: '0', withdrawn: e18('0.4615') });
    expect(at(replicated, c)).toMatchObject({ amount: e18('0.4615') });
    // r1's fee, and 3% of the models and pools scenario's two replicated jobs that reached a quorum (0.6 ETH each).
    expect(at(replicated, treasury)).toMatchObject({ amount: e18('0.063') });
    expect(at(replicated, client)).toMatchObject({ amount: e18('2.85') });
  });

  test('behavior: daily statistics add up to the scenario', () => {
    const sum = (key: string) => t().daily_stat.reduce((s, d) => s + (d[key] as number), 0);
    expect({
      jobsPosted: sum('jobsPosted'), jobsAssigned: sum('jobsAssigned'), jobsCompleted: sum('jobsCompleted'),
      jobsCancelled: sum('jobsCancelled'), jobsExpired: sum('jobsExpired'), jobsReclaimed: sum('jobsReclaimed'),
      jobsDisputed: sum('jobsDisputed'), jobsSettled: sum('jobsSettled'),
    }).toEqual({ jobsPosted: 23, jobsAssigned: 10, jobsCompleted: 8, jobsCancelled: 3, jobsExpired: 2, jobsReclaimed: 1, jobsDisputed: 3, jobsSettled: 19 });
    expect(t().daily_stat.length).toBeGreaterThanOrEqual(2); // the week-long jump spans days

    const perToken = (token: string, key: string) =>
      t().daily_token_stat.filter((d) => d.token === lower(token)).reduce((s, d) => s + BigInt(d[key] as string), 0n).toString();
    // With the models and pools scenario's: 4.9 ETH posted, 3.7 paid for work (pool fees included), fees at 2% and 3%.
    expect([perToken(ETH, 'volumePosted'), perToken(ETH, 'volumeSettled'), perToken(ETH, 'fees')]).toEqual([e18('15.6'), e18('7.7'), e18('0.144')]);
    const usdc = scenario.usdc;
    expect([perToken(usdc, 'volumePosted'), perToken(usdc, 'volumeSettled'), perToken(usdc, 'fees')]).toEqual(['150000000', '70000000', '700000']);
  });

  test('behavior: job_count holds the jobs in each status, as the job table has them', () => {
    const byStatus = (status: string) => t().job.filter((j) => j.status === status).length;
    expect(t().job_count).toEqual([
      { id: 0, open: byStatus('OPEN'), assigned: byStatus('ASSIGNED'), submitted: byStatus('SUBMITTED'), disputed: byStatus('DISPUTED'), closed: byStatus('CLOSED') },
    ]);
    // Jobs both open and closed at the end: each close moved a job out of the column it was in.
    expect(byStatus('OPEN')).toBeGreaterThan(0);
    expect(byStatus('CLOSED')).toBeGreaterThan(byStatus('OPEN'));
  });

  test("behavior: each market's owner settings and allow-lists", () => {
    const { treasury, treasury2, arbiter, stranger } = scenario.actors;
    expect(t().market).toHaveLength(2);
    expect(t().market).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ address: lower(scenario.market), kind: 'SINGLE', feeBps: 200, treasury: lower(treasury2), defaultArbiter: lower(arbiter) }),
        expect.objectContaining({ address: lower(scenario.replicated), kind: 'REPLICATED', feeBps: 300, treasury: lower(treasury), defaultArbiter: null }),
      ]),
    );
    expect(t().allowed_token).toHaveLength(2);
    expect(t().allowed_token).toEqual(
      expect.arrayContaining([
        { market: lower(scenario.market), token: lower(scenario.usdc), allowed: false },
        { market: lower(scenario.replicated), token: lower(scenario.usdc), allowed: true },
      ]),
    );
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
        contract: e.contract as Hex,
        blockNumber: BigInt(e.blockNumber as string),
        timestamp: BigInt(e.timestamp as string),
        txHash: e.txHash as Hex,
      } satisfies LoggedEvent,
    }));
    const byWorker = (x: Row | { worker: unknown }, y: Row | { worker: unknown }) => String(x.worker).localeCompare(String(y.worker));
    for (const row of t().job) {
      // A POOL job's fee at assignment is in no event of the job: the fold is given it.
      const { job, bids, slots } = foldJob(events.filter((e) => e.jobId === row.id).map((e) => e.event), { poolFeeBps: row.poolFeeBps as number | null });
      expect(plain(job)).toEqual(row);
      expect(plain(bids.sort(byWorker))).toEqual(t().bid.filter((b) => b.jobId === row.id).sort(byWorker));
      expect(plain(slots)).toEqual(t().job_slot.filter((s) => s.jobId === row.id));
    }
    const { j2 } = scenario.jobs;
    const asOf = foldJob(events.filter((e) => e.jobId === j2.id && e.event.blockNumber <= scenario.j2AssignedBlock).map((e) => e.event));
    expect(asOf.job).toMatchObject({ status: 'ASSIGNED', worker: lower(scenario.actors.b), price: 70_000_000n, activeBids: 1, closeReason: null });
    expect(asOf.bids.map((b) => b.status).sort()).toEqual(['ACCEPTED', 'ACTIVE', 'WITHDRAWN']);
    const { r1 } = scenario.replicatedJobs;
    const revealed = foldJob(events.filter((e) => e.jobId === r1.id && e.event.blockNumber <= scenario.r1RevealedBlock).map((e) => e.event));
    expect(revealed.job).toMatchObject({ status: 'SUBMITTED', revealed: 3, outcome: null, resultHash: null });
    expect(revealed.slots.map((s) => [s.state, s.verdict, s.payout])).toEqual([0, 1, 2].map(() => ['REVEALED', null, null]));
  });
});

test('behavior: live indexing and indexing the history give identical tables', () => {
  expect(runs.get(BACKFILL)!.tables).toEqual(runs.get(LIVE)!.tables);
});

test('behavior: the replay from genesis publishes the live state digest, replicated jobs and per-client records included', () => {
  const live = runs.get(LIVE)!.digest;
  expect(runs.get(BACKFILL)!.digest).toEqual(live);
  expect(live).toMatchObject({ atBlock: scenario.head.toString(), version: 7 });
  const rows = Object.fromEntries(live.tables.map((t) => [t.name, t.rows]));
  expect(rows).toMatchObject({ job: 23, job_slot: 11, worker_client: 6, market: 2, model: 4, job_model: 5, pool: 2, pool_member: 3, pool_fee: 4, job_event: runs.get(LIVE)!.tables.job_event!.length });
});

test.skipIf(!postgresUrl)('behavior: `ponder serve` serves the finished index from PostgreSQL', async () => {
  const serve = await startIndexer(chain, { schema, databaseUrl: backfillDatabaseUrl, mode: 'serve' });
  expect((await serve.status()).loom!.block.number).toBe(Number(scenario.head));
  await serve.stop();
});
