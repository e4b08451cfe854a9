/**
 * A small, deterministic market for the API's tests: job_event rows shaped as the indexer logs them,
 * folded into job, bid and slot rows with the indexer's own fold (so time travel at the head gives the
 * current rows), plus workers, earnings, balances in both markets, daily statistics and the markets'
 * settings. Sixty single jobs, then four replicated ones (open, quorum reached, no quorum, expired).
 */
import { stringToHex, type Hex } from 'viem';
import { eventId, type LoggedEvent } from '../../indexer/src/fold/event';
import { foldJob } from '../../indexer/src/fold/job';
import { emptyJobCount, jobCountColumn } from '../../indexer/src/fold/jobCount';
import { emptyWorker } from '../../indexer/src/fold/worker';
import type { BidRow, JobEventRow, JobRow, SlotRow, WorkerRow } from '../data/tables';
import type { TestDatabase } from './testDatabase';

export const ETH: Hex = '0x0000000000000000000000000000000000000000';
export const USDC: Hex = '0x5fbdb2315678afecb367f032d93f642f64180aa3';
export const H100 = 'NVIDIA H100 80GB HBM3';
export const A100 = 'NVIDIA A100 40GB';
const ZERO32: Hex = `0x${'0'.repeat(64)}`;
const addr = (n: number): Hex => `0x${n.toString(16).padStart(40, '0')}`;

/** The two markets' contracts. */
export const MARKET: Hex = '0x00000000000000000000000000000000000000a1';
export const REPLICATED_MARKET: Hex = '0x00000000000000000000000000000000000000a2';

export const accounts = {
  client1: addr(0xc1),
  client2: addr(0xc2),
  arbiter: addr(0xa0),
  treasury: addr(0x7e),
  w1: addr(0x1001),
  w2: addr(0x1002),
  w3: addr(0x1003),
  w4: addr(0x1004),
  w5: addr(0x1005),
  w6: addr(0x1006),
} as const;

/** 2025-01-01T00:00:00Z: jobs are posted that day and assigned the next. */
export const BASE_TIME = 1_735_689_600n;
export const POST_BLOCK = 100n;
export const ASSIGN_BLOCK = 200n;
/** Single jobs; the replicated ones follow them (REPLICATED_JOBS). */
export const JOB_COUNT = 60;
/** The replicated jobs, by what they show. */
export const REPLICATED_JOBS = { open: 0, quorum: 1, noQuorum: 2, expired: 3 } as const;
export const H_GOOD: Hex = `0x${'aa'.repeat(32)}`;
export const H_BAD: Hex = `0x${'bb'.repeat(32)}`;
const ETHER = 10n ** 18n;

export type Fixture = {
  events: JobEventRow[];
  /** Every job, single then replicated. */
  jobs: JobRow[];
  bids: BidRow[];
  slots: SlotRow[];
  workers: WorkerRow[];
  /** The job matchWorkers is tested on. */
  matchJobId: Hex;
  /** Block of the replicated quorum job's last reveal (before its close). */
  quorumRevealedBlock: bigint;
  head: bigint;
};

function event(
  block: bigint,
  logIndex: number,
  name: string,
  args: Record<string, unknown>,
  jobId: Hex | null,
  account: Hex | null,
  contract: Hex = MARKET,
): JobEventRow {
  return {
    id: eventId(block, logIndex),
    blockNumber: block,
    blockHash: `0x${block.toString(16).padStart(64, 'b')}`,
    txHash: `0x${(block * 1000n + BigInt(logIndex)).toString(16).padStart(64, 'f')}`,
    logIndex,
    timestamp: BASE_TIME + (block - POST_BLOCK) * 60n,
    contract,
    name,
    jobId,
    account,
    args,
  };
}

/** Open claim jobs made direct offers instead (JobMode.Direct = 2): job index -> the worker it is offered to. */
export const DIRECT_OFFERS: Record<number, Hex> = { 50: accounts.w2, 52: accounts.w2, 54: accounts.w4 };

export const jobIdOf = (i: number): Hex => `0x${(0xa000 + i).toString(16).padStart(64, '0')}`;
export const replicatedJobIdOf = (i: number): Hex => `0x${(0xb000 + i).toString(16).padStart(64, '0')}`;

/**
 * The replicated jobs' events from `block` on, one step a block. All ask for 2 H100 GPUs with 40 GiB
 * and 0.2 ETH of collateral (as job 42 does), three replicas, quorum two, 0.01 ETH a replica.
 */
function replicatedEvents(start: bigint): { events: JobEventRow[]; next: bigint; quorumRevealedBlock: bigint } {
  const events: JobEventRow[] = [];
  let block = start;
  const price = 10n ** 16n;
  const collateral = 2n * 10n ** 17n;
  const at = (b: bigint) => BASE_TIME + (b - POST_BLOCK) * 60n;
  const openUntil = at(start) + 86_400n;
  const step = (name: string, args: Record<string, unknown>, id: Hex, account: Hex | null) => {
    events.push(event(block, 0, name, { jobId: id, ...args }, id, account, REPLICATED_MARKET));
    block++;
  };
  const ids = Object.values(REPLICATED_JOBS).map(replicatedJobIdOf);
  for (const [i, id] of ids.entries()) {
    const terms = {
      client: accounts.client1,
      token: ETH,
      price: String(price),
      collateral: String(collateral),
      feeBps: 100,
      replicas: 3,
      quorum: 2,
      openUntil: Number(openUntil),
      commitWindow: 3600,
      revealWindow: 1800,
      minGpuCount: 2,
      minVramMiB: 40_960,
      gpuModel: stringToHex(H100, { size: 32 }),
      specHash: `0x${(0xf000 + i).toString(16).padStart(64, '0')}`,
      salt: String(i),
    };
    step('ReplicatedJobPosted', { client: accounts.client1, token: ETH, terms, spec: stringToHex(JSON.stringify({ image: 'loom/cuda', replicated: i })) }, id, accounts.client1);
  }
  const take = (id: Hex, worker: Hex, slot: number) => step('SlotTaken', { worker, slot, filled: slot + 1 }, id, worker);
  const commit = (id: Hex, worker: Hex, slot: number, committed: number) =>
    step('ResultCommitted', { worker, slot, commitment: `0x${String(slot + 1).padStart(64, 'c')}`, committed, revealDeadline: committed === 3 ? Number(openUntil) : 0 }, id, worker);
  const reveal = (id: Hex, worker: Hex, slot: number, hash: Hex) => step('ResultRevealed', { worker, slot, resultHash: hash, resultURI: `ipfs://${id.slice(-4)}-${slot}` }, id, worker);
  const close = (id: Hex, args: Record<string, unknown>) =>
    step('ReplicatedJobClosed', { outcome: 0, resultHash: `0x${'0'.repeat(64)}`, workers: [], payouts: [], slashed: [], fee: '0', clientRefund: '0', winnerSlashShare: '0', clientSlashShare: '0', ...args }, id, null);
  const [open, quorum, noQuorum, expired] = ids as [Hex, Hex, Hex, Hex];
  const { w1, w3, w4 } = accounts;

  take(open, w1, 0);

  for (const [slot, w] of [w1, w3, w4].entries()) take(quorum, w, slot);
  for (const [slot, w] of [w1, w3, w4].entries()) commit(quorum, w, slot, slot + 1);
  reveal(quorum, w4, 2, H_GOOD);
  reveal(quorum, w3, 1, H_BAD);
  reveal(quorum, w1, 0, H_GOOD);
  const quorumRevealedBlock = block - 1n;
  // Two winners share three prices (1% fee each); w3 loses its collateral, half of it to the winners.
  const gross = (3n * price) / 2n;
  const fee = gross / 100n;
  close(quorum, {
    outcome: 1,
    resultHash: H_GOOD,
    workers: [w1, w3, w4],
    payouts: [String(gross - fee), '0', String(gross - fee)],
    slashed: ['0', String(collateral), '0'],
    fee: String(2n * fee),
    winnerSlashShare: String(collateral / 4n),
    clientSlashShare: String(collateral / 2n),
  });

  for (const [slot, w] of [w1, w3, w4].entries()) take(noQuorum, w, slot);
  for (const [slot, w] of [w1, w3, w4].entries()) commit(noQuorum, w, slot, slot + 1);
  reveal(noQuorum, w1, 0, H_GOOD);
  reveal(noQuorum, w3, 1, H_BAD);
  close(noQuorum, { outcome: 2, workers: [w1, w3, w4], payouts: ['0', '0', '0'], slashed: ['0', '0', String(collateral)], clientRefund: String(3n * price), clientSlashShare: String(collateral) });

  take(expired, w3, 0);
  close(expired, { outcome: 3, workers: [w3], payouts: ['0'], slashed: ['0'], clientRefund: String(3n * price) });
  return { events, next: block, quorumRevealedBlock };
}

/** Builds the fixture; deterministic. */
export function buildFixture(): Fixture {
  const events: JobEventRow[] = [];
  for (let i = 0; i < JOB_COUNT; i++) {
    const id = jobIdOf(i);
    const client = i % 2 ? accounts.client1 : accounts.client2;
    const terms = {
      client,
      token: i % 3 === 0 ? USDC : ETH,
      arbiter: accounts.arbiter,
      budget: ((BigInt(i) + 1n) * 10n ** 15n).toString(),
      collateral: (BigInt(i % 4) * 10n ** 17n).toString(),
      feeBps: 100,
      mode: DIRECT_OFFERS[i] ? 2 : i % 2,
      offeredTo: DIRECT_OFFERS[i] ?? ETH,
      openUntil: Number(BASE_TIME) + 86_400 * 3,
      executionTimeout: 3600,
      challengeWindow: 600,
      minGpuCount: i % 5,
      minVramMiB: [0, 16_384, 40_960, 81_920][i % 4],
      gpuModel: i % 7 === 0 ? stringToHex(H100, { size: 32 }) : ZERO32,
      specHash: `0x${(0xe000 + i).toString(16).padStart(64, '0')}`,
      salt: String(i),
    };
    const spec = i % 2 ? stringToHex(JSON.stringify({ image: 'loom/cuda', job: i })) : '0xdeadbeef';
    events.push(event(POST_BLOCK + BigInt(i), 0, 'JobPosted', { jobId: id, client, token: terms.token, terms, spec }, id, client));
  }
  // Bids on the first auction jobs, then assignments, results and closes, one block each step.
  let block = ASSIGN_BLOCK;
  for (let i = 1; i < 20; i += 2) {
    const id = jobIdOf(i);
    const budget = (BigInt(i) + 1n) * 10n ** 15n;
    events.push(event(block, 0, 'BidPlaced', { jobId: id, worker: accounts.w1, price: (budget / 2n).toString() }, id, accounts.w1));
    events.push(event(block, 1, 'BidPlaced', { jobId: id, worker: accounts.w2, price: ((budget * 3n) / 4n).toString() }, id, accounts.w2));
    events.push(event(block, 2, 'BidPlaced', { jobId: id, worker: accounts.w4, price: ((budget * 2n) / 3n).toString() }, id, accounts.w4));
    if (i === 3) events.push(event(block, 3, 'BidWithdrawn', { jobId: id, worker: accounts.w2 }, id, accounts.w2));
    block++;
  }
  for (let i = 0; i < 30; i += 3) {
    const id = jobIdOf(i);
    const budget = (BigInt(i) + 1n) * 10n ** 15n;
    const auction = i % 2 === 1;
    const price = auction && i < 20 ? budget / 2n : budget;
    const worker = accounts.w1;
    const timestamp = BASE_TIME + (block - POST_BLOCK) * 60n;
    events.push(
      event(
        block,
        0,
        'JobAssigned',
        { jobId: id, worker, price: price.toString(), refund: (budget - price).toString(), collateral: (BigInt(i % 4) * 10n ** 17n).toString(), executionDeadline: Number(timestamp) + 3600 },
        id,
        worker,
      ),
    );
    block++;
    if (i % 6 === 0) {
      events.push(event(block, 0, 'ResultSubmitted', { jobId: id, worker, resultHash: `0x${'ab'.repeat(32)}`, resultURI: `ipfs://result-${i}`, challengeDeadline: Number(timestamp) + 4200 }, id, worker));
      block++;
      const fee = price / 100n;
      events.push(event(block, 0, 'JobClosed', { jobId: id, reason: 1, worker, workerPayout: (price - fee).toString(), fee: fee.toString(), clientRefund: '0', slashed: '0' }, id, worker));
      block++;
    }
  }
  const replicated = replicatedEvents(block);
  events.push(...replicated.events);
  const head = replicated.next - 1n;

  const jobs: JobRow[] = [];
  const bids: BidRow[] = [];
  const slots: SlotRow[] = [];
  const ids = [...Array.from({ length: JOB_COUNT }, (_, i) => jobIdOf(i)), ...Object.values(REPLICATED_JOBS).map(replicatedJobIdOf)];
  for (const id of ids) {
    const folded = foldJob(events.filter((e) => e.jobId === id));
    jobs.push(folded.job!);
    bids.push(...folded.bids);
    slots.push(...folded.slots);
  }

  // A registered 8x H100 worker; the counters and amounts an unregistered address starts with.
  const worker = (address: Hex, o: Partial<WorkerRow>): WorkerRow => ({
    ...emptyWorker(address, { timestamp: BASE_TIME, blockNumber: 50n } as LoggedEvent),
    registered: true,
    available: true,
    gpuModelRaw: stringToHex(H100, { size: 32 }),
    gpuModel: H100,
    gpuCount: 8,
    vramMiB: 81_920,
    cpuCores: 64,
    ramMiB: 1_048_576,
    pricePerGpuHour: 2_000_000n,
    metadataURI: `https://example.com/${address}`,
    stake: 10n * ETHER,
    reputation: 500,
    ...o,
  });
  const workers = [
    worker(accounts.w1, { reputation: 900, jobsCompleted: 8, pricePerGpuHour: 2_000_000n }),
    // Not enough free stake for 0.2 ETH of collateral: 2 ETH staked, 1.9 locked.
    worker(accounts.w2, { gpuCount: 2, vramMiB: 40_960, stake: 2n * ETHER, locked: (19n * ETHER) / 10n, reputation: 700 }),
    worker(accounts.w3, { gpuModelRaw: stringToHex(A100, { size: 32 }), gpuModel: A100, gpuCount: 4, vramMiB: 40_960, reputation: 800 }),
    worker(accounts.w4, { gpuCount: 2, vramMiB: 81_920, stake: 5n * ETHER, pricePerGpuHour: 1_500_000n, reputation: 500 }),
    worker(accounts.w5, { gpuCount: 4, available: false, reputation: 990 }),
    worker(accounts.w6, { gpuCount: 2, registered: false, available: false, stake: 0n, reputation: 300 }),
  ];

  // Job 42: H100 required, 2 GPUs, 40 GiB per GPU, collateral 0.2 ETH.
  return { events, jobs, bids, slots, workers, matchJobId: jobIdOf(42), quorumRevealedBlock: replicated.quorumRevealedBlock, head };
}

/** Inserts the fixture and marks indexing ready at its head. */
export async function loadFixture(t: TestDatabase, fixture: Fixture = buildFixture()): Promise<Fixture> {
  const { writer, tables } = t;
  await writer.insert(tables.jobEvent).values(fixture.events);
  await writer.insert(tables.job).values(fixture.jobs);
  // The per-status totals the indexer keeps as it goes (indexer/src/fold/jobCount.ts).
  const counts = emptyJobCount();
  for (const j of fixture.jobs) counts[jobCountColumn[j.status]]++;
  await writer.insert(tables.jobCount).values(counts);
  if (fixture.bids.length) await writer.insert(tables.bid).values(fixture.bids);
  if (fixture.slots.length) await writer.insert(tables.jobSlot).values(fixture.slots);
  await writer.insert(tables.worker).values(fixture.workers);
  await writer.insert(tables.workerEarning).values([
    { worker: accounts.w1, token: ETH, amount: 5n * 10n ** 15n, jobs: 3 },
    { worker: accounts.w1, token: USDC, amount: 7_000_000n, jobs: 2 },
  ]);
  await writer.insert(tables.balance).values([
    { market: MARKET, account: accounts.client1, token: ETH, amount: 10n ** 15n, credited: 2n * 10n ** 15n, withdrawn: 10n ** 15n },
    { market: MARKET, account: accounts.client1, token: USDC, amount: 0n, credited: 5n, withdrawn: 5n },
    { market: REPLICATED_MARKET, account: accounts.client1, token: ETH, amount: 3n * 10n ** 16n, credited: 3n * 10n ** 16n, withdrawn: 0n },
  ]);
  await writer.insert(tables.market).values([
    { address: MARKET, kind: 'SINGLE', feeBps: 100, treasury: accounts.treasury, defaultArbiter: accounts.arbiter, updatedBlock: 1n },
    { address: REPLICATED_MARKET, kind: 'REPLICATED', feeBps: 150, treasury: accounts.treasury, defaultArbiter: null, updatedBlock: 2n },
  ]);
  await writer.insert(tables.allowedToken).values([
    { market: MARKET, token: USDC, allowed: true },
    { market: MARKET, token: '0x00000000000000000000000000000000000000ee', allowed: false },
    { market: REPLICATED_MARKET, token: '0x00000000000000000000000000000000000000ee', allowed: true },
  ]);
  await writer.insert(tables.arbiter).values([
    { address: accounts.arbiter, allowed: true },
    { address: accounts.w6, allowed: false },
  ]);
  await writer.insert(tables.dailyStat).values([
    { day: '2025-01-01', jobsPosted: 60, jobsAssigned: 0, jobsCompleted: 0, jobsCancelled: 0, jobsExpired: 0, jobsReclaimed: 0, jobsDisputed: 0, jobsSettled: 0 },
    { day: '2025-01-02', jobsPosted: 0, jobsAssigned: 10, jobsCompleted: 5, jobsCancelled: 0, jobsExpired: 0, jobsReclaimed: 0, jobsDisputed: 0, jobsSettled: 5 },
  ]);
  await writer.insert(tables.dailyTokenStat).values([
    { day: '2025-01-01', token: ETH, volumePosted: 10n ** 18n, volumeSettled: 0n, fees: 0n },
    { day: '2025-01-01', token: USDC, volumePosted: 5n * 10n ** 17n, volumeSettled: 0n, fees: 0n },
    { day: '2025-01-02', token: ETH, volumePosted: 0n, volumeSettled: 3n * 10n ** 15n, fees: 3n * 10n ** 13n },
  ]);
  await t.setStatus({ ready: true, block: fixture.head });
  return fixture;
}
