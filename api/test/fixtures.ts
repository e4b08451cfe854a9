/**
 * A small, deterministic market for the API's tests: job_event rows shaped as the indexer logs them,
 * folded into job and bid rows with the indexer's own fold (so time travel at the head gives the
 * current rows), plus workers, earnings, balances, daily statistics and the market's settings.
 */
import { stringToHex, type Hex } from 'viem';
import { eventId, type LoggedEvent } from '../../indexer/src/fold/event';
import { foldJob } from '../../indexer/src/fold/job';
import { emptyWorker } from '../../indexer/src/fold/worker';
import type { BidRow, JobEventRow, JobRow, WorkerRow } from '../data/tables';
import type { TestDatabase } from './testDatabase';

export const ETH: Hex = '0x0000000000000000000000000000000000000000';
export const USDC: Hex = '0x5fbdb2315678afecb367f032d93f642f64180aa3';
export const H100 = 'NVIDIA H100 80GB HBM3';
export const A100 = 'NVIDIA A100 40GB';
const ZERO32: Hex = `0x${'0'.repeat(64)}`;
const addr = (n: number): Hex => `0x${n.toString(16).padStart(40, '0')}`;

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
export const JOB_COUNT = 60;
const ETHER = 10n ** 18n;

export type Fixture = {
  events: JobEventRow[];
  jobs: JobRow[];
  bids: BidRow[];
  workers: WorkerRow[];
  /** The job matchWorkers is tested on. */
  matchJobId: Hex;
  head: bigint;
};

function event(block: bigint, logIndex: number, name: string, args: Record<string, unknown>, jobId: Hex | null, account: Hex | null): JobEventRow {
  return {
    id: eventId(block, logIndex),
    blockNumber: block,
    blockHash: `0x${block.toString(16).padStart(64, 'b')}`,
    txHash: `0x${(block * 1000n + BigInt(logIndex)).toString(16).padStart(64, 'f')}`,
    logIndex,
    timestamp: BASE_TIME + (block - POST_BLOCK) * 60n,
    name,
    jobId,
    account,
    args,
  };
}

export const jobIdOf = (i: number): Hex => `0x${(0xa000 + i).toString(16).padStart(64, '0')}`;

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
      mode: i % 2,
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
  const head = block - 1n;

  const jobs: JobRow[] = [];
  const bids: BidRow[] = [];
  for (let i = 0; i < JOB_COUNT; i++) {
    const folded = foldJob(events.filter((e) => e.jobId === jobIdOf(i)));
    jobs.push(folded.job!);
    bids.push(...folded.bids);
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
    reputationVersion: 1,
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
  return { events, jobs, bids, workers, matchJobId: jobIdOf(42), head };
}

/** Inserts the fixture and marks indexing ready at its head. */
export async function loadFixture(t: TestDatabase, fixture: Fixture = buildFixture()): Promise<Fixture> {
  const { writer, tables } = t;
  await writer.insert(tables.jobEvent).values(fixture.events);
  await writer.insert(tables.job).values(fixture.jobs);
  if (fixture.bids.length) await writer.insert(tables.bid).values(fixture.bids);
  await writer.insert(tables.worker).values(fixture.workers);
  await writer.insert(tables.workerEarning).values([
    { worker: accounts.w1, token: ETH, amount: 5n * 10n ** 15n, jobs: 3 },
    { worker: accounts.w1, token: USDC, amount: 7_000_000n, jobs: 2 },
  ]);
  await writer.insert(tables.balance).values([
    { account: accounts.client1, token: ETH, amount: 10n ** 15n, credited: 2n * 10n ** 15n, withdrawn: 10n ** 15n },
    { account: accounts.client1, token: USDC, amount: 0n, credited: 5n, withdrawn: 5n },
  ]);
  await writer.insert(tables.market).values({ id: 1, feeBps: 100, treasury: accounts.treasury, defaultArbiter: accounts.arbiter, updatedBlock: 1n });
  await writer.insert(tables.allowedToken).values([
    { token: USDC, allowed: true },
    { token: '0x00000000000000000000000000000000000000ee', allowed: false },
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
