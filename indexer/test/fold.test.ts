/**
 * The pure folds on hand-made events: the edge cases the chain scenario does not reach cheaply.
 */
import { stringToHex, type Hex } from 'viem';
import { describe, expect, test } from 'vitest';
import { loomMarketAbi, loomRegistryAbi } from '../../abis/generated';
import { applyBidEvent } from '../src/fold/bid';
import { creditsOf } from '../src/fold/credits';
import {
  argsToJson,
  decodeShortString,
  decodeSpecJson,
  eventId,
  safeText,
  utcDay,
  ZERO_ADDRESS,
  ZERO_BYTES32,
  type LoggedEvent,
} from '../src/fold/event';
import { applyJobEvent, foldJob, pricePerGpuHour } from '../src/fold/job';
import { dailyCountersOf, dailyVolumeOf } from '../src/fold/stats';
import { applyWorkerEvent } from '../src/fold/worker';
import { disputeWon } from '../src/fold/workerClient';
import { REPUTATION_VERSION, reputationV1 } from '../src/reputation';

const JOB = `0x${'ab'.repeat(32)}` as Hex;
const CLIENT = `0x${'c1'.repeat(20)}` as Hex;
const W1 = `0x${'01'.repeat(20)}` as Hex;
const W2 = `0x${'02'.repeat(20)}` as Hex;
const TREASURY = `0x${'77'.repeat(20)}` as Hex;
const MARKET = `0x${'3a'.repeat(20)}` as Hex;
/** 1 ETH: a price reputation weighs fully. */
const ETHER = 10n ** 18n;

let block = 100n;
const ev = (name: string, args: Record<string, unknown>, timestamp = 1_767_225_600n): LoggedEvent => ({
  name,
  args,
  contract: MARKET,
  blockNumber: block++,
  timestamp,
  txHash: `0x${'00'.repeat(32)}`,
});

const posted = (mode: 0 | 1 = 1, spec: Hex = stringToHex('{"a":1}')) =>
  ev('JobPosted', {
    jobId: JOB,
    client: CLIENT,
    token: ZERO_ADDRESS,
    terms: {
      client: CLIENT,
      token: ZERO_ADDRESS,
      arbiter: TREASURY,
      budget: '1000',
      collateral: '50',
      feeBps: 100,
      mode,
      offeredTo: ZERO_ADDRESS,
      openUntil: 1_767_229_200,
      executionTimeout: 7200,
      challengeWindow: 86_400,
      minGpuCount: 2,
      minVramMiB: 40_960,
      gpuModel: stringToHex('NVIDIA H100', { size: 32 }),
      specHash: ZERO_BYTES32,
      salt: '1',
    },
    spec,
  });

describe('event helpers', () => {
  test('default: event ids sort in chain order as strings', () => {
    expect(eventId(1234n, 5)).toBe('000000001234-000005');
    const ids = [eventId(10n, 2), eventId(9n, 30), eventId(10n, 11)];
    expect([...ids].sort()).toEqual([eventId(9n, 30), eventId(10n, 2), eventId(10n, 11)]);
  });

  test('behavior: specs become JSON only when valid UTF-8 JSON that jsonb can hold', () => {
    expect(decodeSpecJson(stringToHex('{"image":"loom/cuda","gpus":[1,2]}'))).toEqual({ image: 'loom/cuda', gpus: [1, 2] });
    expect(decodeSpecJson(stringToHex('"just a string"'))).toBe('just a string');
    expect(decodeSpecJson('0xff00fe')).toBeNull(); // not UTF-8
    expect(decodeSpecJson(stringToHex('{"a":'))).toBeNull(); // not JSON
    expect(decodeSpecJson(stringToHex('{"a":"x\\u0000y"}'))).toBeNull(); // NUL
    expect(decodeSpecJson(stringToHex('{"a":"\\ud800"}'))).toBeNull(); // unpaired surrogate
    expect(decodeSpecJson(stringToHex('{"a":"\\ud83d\\ude00"}'))).toEqual({ a: '😀' });
    expect(decodeSpecJson('0x')).toBeNull();
  });

  test('behavior: GPU models decode trimmed, zero is null', () => {
    expect(decodeShortString(stringToHex('NVIDIA H100 80GB HBM3', { size: 32 }))).toBe('NVIDIA H100 80GB HBM3');
    expect(decodeShortString(stringToHex('  L4 ', { size: 32 }))).toBe('L4');
    expect(decodeShortString(ZERO_BYTES32)).toBeNull();
  });

  test('behavior: args become JSON: bigints as strings, hex lowercased, NUL replaced', () => {
    const inputs = loomMarketAbi.find((i) => i.type === 'event' && i.name === 'ResultSubmitted')!.inputs;
    const json = argsToJson(inputs, {
      jobId: JOB.toUpperCase().replace('0X', '0x'),
      worker: '0xAbCdEf0000000000000000000000000000000001',
      resultHash: ZERO_BYTES32,
      resultURI: 'ipfs://a\u0000b',
      challengeDeadline: 123,
    });
    expect(json).toEqual({ jobId: JOB, worker: '0xabcdef0000000000000000000000000000000001', resultHash: ZERO_BYTES32, resultURI: 'ipfs://a\uFFFDb', challengeDeadline: 123 });
    const posted = loomRegistryAbi.find((i) => i.type === 'event' && i.name === 'StakeAdded')!.inputs;
    expect(argsToJson(posted, { worker: W1, amount: 10n ** 30n, stake: 1n })).toEqual({ worker: W1, amount: (10n ** 30n).toString(), stake: '1' });
    expect(JSON.stringify(argsToJson(posted, { worker: W1, amount: 1n, stake: 1n }))).not.toContain('n"');
    expect(safeText('ok')).toBe('ok');
    expect(utcDay(1_767_225_599n)).toBe('2025-12-31');
    expect(utcDay(1_767_225_600n)).toBe('2026-01-01');
  });
});

describe('job fold', () => {
  test('default: a posted job is OPEN with its terms decoded', () => {
    const job = applyJobEvent(undefined, posted());
    expect(job).toMatchObject({ id: JOB, kind: 'SINGLE', market: MARKET, status: 'OPEN', mode: 'AUCTION', budget: 1000n, gpuModel: 'NVIDIA H100', specJson: { a: 1 }, activeBids: 0 });
    expect(job).toMatchObject({ replicas: null, filled: null, slotWorkers: [], outcome: null });
  });

  test('behavior: a replaced bid is still one bid; a withdrawn one can come back', () => {
    const events = [
      posted(),
      ev('BidPlaced', { jobId: JOB, worker: W1, price: '900' }),
      ev('BidPlaced', { jobId: JOB, worker: W1, price: '800' }),
      ev('BidPlaced', { jobId: JOB, worker: W2, price: '700' }),
      ev('BidWithdrawn', { jobId: JOB, worker: W2 }),
      ev('BidWithdrawn', { jobId: JOB, worker: W1 }),
      ev('BidPlaced', { jobId: JOB, worker: W1, price: '850' }),
    ];
    const { job, bids } = foldJob(events);
    expect(job!.activeBids).toBe(1);
    expect(bids.map((b) => [b.worker, b.status, b.price])).toEqual([
      [W1, 'ACTIVE', 850n],
      [W2, 'WITHDRAWN', 700n],
    ]);
    const assigned = foldJob([
      ...events,
      ev('JobAssigned', { jobId: JOB, worker: W1, price: '850', refund: '150', collateral: '50', executionDeadline: 1_767_300_000 }),
    ]);
    expect(assigned.job).toMatchObject({ status: 'ASSIGNED', activeBids: 0, price: 850n, refund: 150n, worker: W1, pricePerGpuHour: 212n });
    expect(assigned.bids[0]).toMatchObject({ status: 'ACCEPTED' });
  });

  test('behavior: a claim-mode assignment has no bid', () => {
    const job = applyJobEvent(undefined, posted(0));
    const assigned = ev('JobAssigned', { jobId: JOB, worker: W1, price: '1000', refund: '0', collateral: '50', executionDeadline: 1 });
    expect(applyBidEvent(undefined, assigned)).toBeUndefined();
    expect(applyJobEvent(job, assigned)).toMatchObject({ status: 'ASSIGNED', activeBids: 0, assignedDay: '2026-01-01' });
  });

  test('behavior: evidence only touches the activity stamp', () => {
    const job = applyJobEvent(undefined, posted());
    const next = applyJobEvent(job, ev('EvidenceSubmitted', { jobId: JOB, party: CLIENT, evidence: 'x' }));
    expect({ ...next, updatedAt: job.updatedAt, updatedBlock: job.updatedBlock }).toEqual(job);
    expect(next.updatedBlock).toBeGreaterThan(job.updatedBlock);
  });

  test('behavior: price per GPU-hour needs a GPU', () => {
    expect(pricePerGpuHour(1000n, 2, 7200)).toBe(250n);
    expect(pricePerGpuHour(1000n, 0, 7200)).toBeNull();
  });

  test('error: an event for a job never posted', () => {
    expect(() => applyJobEvent(undefined, ev('JobDisputed', { jobId: JOB, client: CLIENT, reason: '', arbitrationDeadline: 1 }))).toThrow(
      /unknown job/,
    );
    expect(foldJob([ev('BidPlaced', { jobId: JOB, worker: W1, price: '1' })]).job).toBeUndefined();
  });
});

describe('worker fold', () => {
  const claim = { gpuModel: stringToHex('NVIDIA L4', { size: 32 }), gpuCount: 1, vramMiB: 24_576, cpuCores: 8, ramMiB: 65_536, pricePerGpuHour: '900000', metadataURI: 'ipfs://w' };
  const closed = (reason: number, workerPayout: string, fee: string, slashed = '0') =>
    ev('JobClosed', { jobId: JOB, reason, worker: W1, workerPayout, fee, clientRefund: '0', slashed });

  test('default: registration, stake moves and deregistration follow the event totals', () => {
    let w = applyWorkerEvent(undefined, ev('WorkerRegistered', { worker: W1, claim, stake: '100' }));
    expect(w).toMatchObject({ registered: true, available: true, gpuModel: 'NVIDIA L4', stake: 100n, reputation: 500, reputationVersion: REPUTATION_VERSION });
    w = applyWorkerEvent(w, ev('EncryptionKeySet', { worker: W1, key: `0x${'ee'.repeat(32)}` }));
    expect(w.encryptionKey).toBe(`0x${'ee'.repeat(32)}`);
    w = applyWorkerEvent(w, ev('StakeAdded', { worker: W1, amount: '50', stake: '150' }));
    w = applyWorkerEvent(w, ev('UnstakeRequested', { worker: W1, amount: '30', stake: '120', unbonding: '30', unlockAt: 99 }));
    expect(w).toMatchObject({ stake: 120n, unbonding: 30n, unlockAt: 99n });
    w = applyWorkerEvent(w, ev('StakeWithdrawn', { worker: W1, to: W1, amount: '30' }));
    expect(w).toMatchObject({ unbonding: 0n, unlockAt: null });
    w = applyWorkerEvent(w, ev('WorkerDeregistered', { worker: W1, unbonding: '120', unlockAt: 500 }));
    expect(w).toMatchObject({ registered: false, available: false, stake: 0n, unbonding: 120n, unlockAt: 500n, gpuModel: 'NVIDIA L4', encryptionKey: null });
  });

  test('behavior: a dispute is won only when the worker got the whole price', () => {
    expect(disputeWon(99n, 1n, 100n)).toBe(true);
    expect(disputeWon(98n, 1n, 100n)).toBe(false);
    const price = ETHER;
    const job = { ...applyJobEvent(undefined, posted(0)), price, collateral: 50n };
    let w = applyWorkerEvent(undefined, ev('WorkerRegistered', { worker: W1, claim, stake: '100' }));
    const assign = ev('JobAssigned', { jobId: JOB, worker: W1, price: String(price), refund: '0', collateral: '50', executionDeadline: 1 });
    w = applyWorkerEvent(w, assign, { job });
    expect(w).toMatchObject({ locked: 50n, activeJobs: 1, jobsAssigned: 1 });
    const won = closed(5, String((price * 99n) / 100n), String(price / 100n));
    w = applyWorkerEvent(w, won, { job });
    expect(w).toMatchObject({ clients: 1, evidenceFor: 1000, evidenceAgainst: 0, reputation: 666 });
    // The same client again: the record with it before this outcome says how much more it adds.
    const client = { worker: W1, client: CLIENT, outcomes: 1, successWeight: 1000, failureWeight: 0, updatedBlock: 0n };
    w = applyWorkerEvent(applyWorkerEvent(w, assign, { job }), closed(5, String(price / 2n), '5', '20'), { job, client });
    expect(w).toMatchObject({ clients: 1, evidenceFor: 1000, evidenceAgainst: 1500 }); // lost and slashed: 2 jobs of harm
    w = applyWorkerEvent(applyWorkerEvent(w, assign, { job }), closed(6, String(price / 2n), '5'), { job }); // timeout: neutral
    expect(w).toMatchObject({ disputesWon: 1, disputesLost: 1, slashCount: 1, slashedTotal: 20n, stake: 80n, locked: 0n, activeJobs: 0, jobsAssigned: 3 });
    expect(w).toMatchObject({ evidenceFor: 1000, evidenceAgainst: 1500, reputation: Math.floor((1000 * 2000) / 4500) });
    expect(reputationV1(w)).toBe(Math.floor((1000 * 2) / 5));
  });

  test('behavior: a returned job unlocks the collateral unslashed, counts as returned and settles no outcome', () => {
    const job = { ...applyJobEvent(undefined, posted(0)), price: ETHER, collateral: 50n };
    let w = applyWorkerEvent(undefined, ev('WorkerRegistered', { worker: W1, claim, stake: '100' }));
    w = applyWorkerEvent(w, ev('JobAssigned', { jobId: JOB, worker: W1, price: String(ETHER), refund: '0', collateral: '50', executionDeadline: 1 }), { job });
    // CloseReason.Returned is 7: appended after ArbitrationTimedOut.
    const returned = ev('JobClosed', { jobId: JOB, reason: 7, worker: W1, workerPayout: '0', fee: '0', clientRefund: String(ETHER), slashed: '0' });
    expect(applyJobEvent(applyJobEvent(job, ev('JobAssigned', { jobId: JOB, worker: W1, price: String(ETHER), refund: '0', collateral: '50', executionDeadline: 1 })), returned)).toMatchObject({ status: 'CLOSED', closeReason: 'RETURNED', slashed: 0n });
    w = applyWorkerEvent(w, returned, { job });
    expect(w).toMatchObject({ stake: 100n, locked: 0n, activeJobs: 0, jobsAssigned: 1, jobsReturned: 1, jobsReclaimed: 0, slashCount: 0, clients: 0, evidenceFor: 0, evidenceAgainst: 0, reputation: 500 });
  });

  test('behavior: JobClosed of a job nobody took changes no worker', () => {
    const w = applyWorkerEvent(undefined, ev('WorkerRegistered', { worker: W1, claim, stake: '1' }));
    const cancel = ev('JobClosed', { jobId: JOB, reason: 2, worker: ZERO_ADDRESS, workerPayout: '0', fee: '0', clientRefund: '1000', slashed: '0' });
    expect(applyWorkerEvent(w, cancel)).toBe(w);
  });
});

describe('ledger and statistics', () => {
  const job = applyJobEvent(undefined, posted(0));

  test('default: a close credits worker, treasury and client; the slash is ETH', () => {
    const usdcJob = { ...job, token: `0x${'55'.repeat(20)}` as Hex };
    const close = ev('JobClosed', { jobId: JOB, reason: 5, worker: W1, workerPayout: '297', fee: '3', clientRefund: '700', slashed: '40' });
    expect(creditsOf(close, usdcJob, TREASURY)).toEqual([
      { market: MARKET, account: W1, token: usdcJob.token, amount: 297n },
      { market: MARKET, account: TREASURY, token: usdcJob.token, amount: 3n },
      { market: MARKET, account: CLIENT, token: usdcJob.token, amount: 700n },
      { market: MARKET, account: CLIENT, token: ZERO_ADDRESS, amount: 40n },
    ]);
  });

  test('behavior: zero amounts credit nothing, as in the contract', () => {
    const assign = ev('JobAssigned', { jobId: JOB, worker: W1, price: '1000', refund: '0', collateral: '0', executionDeadline: 1 });
    expect(creditsOf(assign, job, TREASURY)).toEqual([]);
    const cancel = ev('JobClosed', { jobId: JOB, reason: 2, worker: ZERO_ADDRESS, workerPayout: '0', fee: '0', clientRefund: '1000', slashed: '0' });
    expect(creditsOf(cancel, job, TREASURY)).toEqual([{ market: MARKET, account: CLIENT, token: ZERO_ADDRESS, amount: 1000n }]);
    expect(dailyVolumeOf(cancel, job)).toBeUndefined();
  });

  test('behavior: daily counters by close reason', () => {
    const close = (reason: number) => ev('JobClosed', { jobId: JOB, reason, worker: W1, workerPayout: '1', fee: '0', clientRefund: '0', slashed: '0' });
    expect([1, 2, 3, 4, 5, 6, 7].map((r) => dailyCountersOf(close(r)))).toEqual([
      ['jobsSettled', 'jobsCompleted'],
      ['jobsSettled', 'jobsCancelled'],
      ['jobsSettled', 'jobsExpired'],
      ['jobsSettled', 'jobsReclaimed'],
      ['jobsSettled'],
      ['jobsSettled'],
      ['jobsSettled'],
    ]);
    expect(dailyVolumeOf(posted(), job)).toEqual({ day: '2026-01-01', token: ZERO_ADDRESS, volumePosted: 1000n, volumeSettled: 0n, fees: 0n });
    expect(() => dailyCountersOf(close(9))).toThrow(/unknown reason/);
  });
});
