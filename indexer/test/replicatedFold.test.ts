/**
 * The replicated job's folds on hand-made events shaped as LoomReplicatedMarket emits them (amounts
 * as its settlement rules compute them): the job's status and counts, its slots and their verdicts,
 * the result (the quorum's hash and its first reveal's URI), credits, workers and statistics, and the
 * time-travel fold agreeing with the step-by-step one.
 */
import { stringToHex, type Hex } from 'viem';
import { describe, expect, test } from 'vitest';
import { creditsOf } from '../src/fold/credits';
import { ZERO_ADDRESS, ZERO_BYTES32, type LoggedEvent } from '../src/fold/event';
import { applyJobEvent, foldJob, type Job } from '../src/fold/job';
import { replicatedStatus } from '../src/fold/replicatedJob';
import { applySlotEvent, closeSlots, slotKeyOf, type Slot } from '../src/fold/slot';
import { dailyCountersOf, dailyVolumeOf } from '../src/fold/stats';
import { applyWorkerEvent, workersOf, type Worker } from '../src/fold/worker';
import { applyOutcome, outcomeOf, type WorkerClient } from '../src/fold/workerClient';

const JOB = `0x${'cd'.repeat(32)}` as Hex;
const MARKET = `0x${'4b'.repeat(20)}` as Hex;
const CLIENT = `0x${'c1'.repeat(20)}` as Hex;
const TREASURY = `0x${'77'.repeat(20)}` as Hex;
const [W1, W2, W3] = [1, 2, 3].map((n) => `0x${String(n).padStart(2, '0').repeat(20)}` as Hex) as [Hex, Hex, Hex];
const H_GOOD = `0x${'aa'.repeat(32)}` as Hex;
const H_BAD = `0x${'bb'.repeat(32)}` as Hex;
const ETHER = 10n ** 18n;
const PRICE = ETHER;
const COLLATERAL = ETHER / 10n;
const OPEN_UNTIL = 1_767_229_200n;
const COMMIT_WINDOW = 3600n;
const REVEAL_WINDOW = 1800n;

let block = 500n;
const ev = (name: string, args: Record<string, unknown>, timestamp = 1_767_225_600n): LoggedEvent => ({
  name,
  args: { jobId: JOB, ...args },
  contract: MARKET,
  blockNumber: block++,
  timestamp,
  txHash: `0x${'00'.repeat(32)}`,
});

const posted = (replicas = 3, quorum = 2) =>
  ev('ReplicatedJobPosted', {
    client: CLIENT,
    token: ZERO_ADDRESS,
    terms: {
      client: CLIENT,
      token: ZERO_ADDRESS,
      price: String(PRICE),
      collateral: String(COLLATERAL),
      feeBps: 100,
      replicas,
      quorum,
      openUntil: Number(OPEN_UNTIL),
      commitWindow: Number(COMMIT_WINDOW),
      revealWindow: Number(REVEAL_WINDOW),
      minGpuCount: 1,
      minVramMiB: 24_576,
      gpuModel: stringToHex('NVIDIA L4', { size: 32 }),
      specHash: ZERO_BYTES32,
      salt: '7',
    },
    spec: stringToHex('{"image":"loom/cuda"}'),
  });
const take = (worker: Hex, slot: number) => ev('SlotTaken', { worker, slot, filled: slot + 1 });
const commit = (worker: Hex, slot: number, committed: number, revealDeadline = 0) =>
  ev('ResultCommitted', { worker, slot, commitment: `0x${String(slot + 1).padStart(64, '0')}`, committed, revealDeadline });
const reveal = (worker: Hex, slot: number, resultHash: Hex) => ev('ResultRevealed', { worker, slot, resultHash, resultURI: `ipfs://slot-${slot}` });
const closed = (outcome: number, args: Partial<Record<string, unknown>>) =>
  ev('ReplicatedJobClosed', {
    outcome,
    resultHash: ZERO_BYTES32,
    workers: [],
    payouts: [],
    slashed: [],
    fee: '0',
    clientRefund: '0',
    winnerSlashShare: '0',
    clientSlashShare: '0',
    ...args,
  });

/**
 * Three slots; slots 2 and 0 reveal the good hash (in that order), slot 1 another. Quorum 2 of 3:
 * the two share 3 prices (1.5 ETH each, 1% fee), slot 1 loses its collateral: half to the two, the
 * rest to the client.
 */
function quorumRun() {
  const gross = (3n * PRICE) / 2n;
  const feeEach = gross / 100n;
  return [
    posted(),
    take(W1, 0),
    take(W2, 1),
    commit(W1, 0, 1),
    take(W3, 2),
    commit(W2, 1, 2),
    commit(W3, 2, 3, Number(OPEN_UNTIL) - 100),
    reveal(W3, 2, H_GOOD),
    reveal(W2, 1, H_BAD),
    reveal(W1, 0, H_GOOD),
    closed(1, {
      resultHash: H_GOOD,
      workers: [W1, W2, W3],
      payouts: [String(gross - feeEach), '0', String(gross - feeEach)],
      slashed: ['0', String(COLLATERAL), '0'],
      fee: String(feeEach * 2n),
      clientRefund: '0',
      winnerSlashShare: String(COLLATERAL / 4n),
      clientSlashShare: String(COLLATERAL / 2n),
    }),
  ];
}

/** The events applied one at a time, as the indexer does, keeping slots by index. */
function stepwise(events: LoggedEvent[]): { job: Job; slots: Slot[]; statuses: string[] } {
  let job: Job | undefined;
  let slots = new Map<number, Slot>();
  const statuses: string[] = [];
  for (const e of events) {
    const key = slotKeyOf(e);
    if (key) slots.set(key.slot, applySlotEvent(slots.get(key.slot), e, job?.revealed ?? 0)!);
    if (e.name === 'ReplicatedJobClosed') slots = new Map(closeSlots([...slots.values()], e).map((s) => [s.slot, s]));
    job = applyJobEvent(job, e, { slots: [...slots.values()] });
    statuses.push(job.status);
  }
  return { job: job!, slots: [...slots.values()].sort((a, b) => a.slot - b.slot), statuses };
}

describe('replicated job fold', () => {
  test('default: a posted replicated job is OPEN, with its escrow, price per replica and deadlines', () => {
    const job = applyJobEvent(undefined, posted());
    expect(job).toMatchObject({
      kind: 'REPLICATED',
      market: MARKET,
      status: 'OPEN',
      budget: 3n * PRICE,
      price: PRICE,
      replicas: 3,
      quorum: 2,
      filled: 0,
      committed: 0,
      revealed: 0,
      slotWorkers: [],
      commitDeadline: OPEN_UNTIL + COMMIT_WINDOW,
      revealDeadline: OPEN_UNTIL + COMMIT_WINDOW + REVEAL_WINDOW,
      arbiter: ZERO_ADDRESS,
      mode: 'CLAIM',
      executionTimeout: 0,
      challengeWindow: 0,
      gpuModel: 'NVIDIA L4',
      closeReason: null,
      worker: null,
    });
  });

  test('behavior: status follows the counts: OPEN, ASSIGNED when full, SUBMITTED when all committed, CLOSED', () => {
    const { job, statuses } = stepwise(quorumRun());
    expect(statuses).toEqual(['OPEN', 'OPEN', 'OPEN', 'OPEN', 'ASSIGNED', 'ASSIGNED', 'SUBMITTED', 'SUBMITTED', 'SUBMITTED', 'SUBMITTED', 'CLOSED']);
    expect(job).toMatchObject({ filled: 3, committed: 3, revealed: 3, slotWorkers: [W1, W2, W3], outcome: 'QUORUM_REACHED' });
    // The last commit opened the reveal phase early.
    expect(job.revealDeadline).toBe(OPEN_UNTIL - 100n);
    expect(job.assignedAt).not.toBeNull();
    expect(job.submittedAt).not.toBeNull();
    // A partly filled job reaches SUBMITTED on its first reveal, never ASSIGNED.
    expect(replicatedStatus({ replicas: 3, filled: 2, committed: 2, revealed: 0 })).toBe('OPEN');
    expect(replicatedStatus({ replicas: 3, filled: 2, committed: 2, revealed: 1 })).toBe('SUBMITTED');
  });

  test("behavior: the result is the quorum's hash and the URI of its first reveal, not of its first slot", () => {
    const { job, slots } = stepwise(quorumRun());
    expect(job).toMatchObject({ resultHash: H_GOOD, resultURI: 'ipfs://slot-2' });
    expect(slots.map((s) => [s.worker, s.state, s.resultHash, s.revealOrder, s.verdict])).toEqual([
      [W1, 'REVEALED', H_GOOD, 3, 'AGREED'],
      [W2, 'REVEALED', H_BAD, 2, 'DISAGREED'],
      [W3, 'REVEALED', H_GOOD, 1, 'AGREED'],
    ]);
    const gross = (3n * PRICE) / 2n;
    expect(slots.map((s) => [s.payout, s.slashed, s.slashShare])).toEqual([
      [gross - gross / 100n, 0n, COLLATERAL / 4n],
      [0n, COLLATERAL, 0n],
      [gross - gross / 100n, 0n, COLLATERAL / 4n],
    ]);
    expect(job).toMatchObject({
      workerPayout: 2n * (gross - gross / 100n),
      fee: 2n * (gross / 100n),
      clientRefund: 0n,
      slashed: COLLATERAL,
      winnerSlashShare: COLLATERAL / 4n,
      clientSlashShare: COLLATERAL / 2n,
    });
  });

  test('behavior: without a quorum, revealers get no verdict and the silent slot is UNREVEALED', () => {
    const events = [
      posted(3, 2),
      take(W1, 0),
      take(W2, 1),
      take(W3, 2),
      commit(W1, 0, 1),
      commit(W2, 1, 2),
      commit(W3, 2, 3, Number(OPEN_UNTIL)),
      reveal(W1, 0, H_GOOD),
      reveal(W2, 1, H_BAD),
      closed(2, { workers: [W1, W2, W3], payouts: ['0', '0', '0'], slashed: ['0', '0', String(COLLATERAL)], clientRefund: String(3n * PRICE), clientSlashShare: String(COLLATERAL) }),
    ];
    const { job, slots } = stepwise(events);
    expect(job).toMatchObject({ status: 'CLOSED', outcome: 'NO_QUORUM', resultHash: null, resultURI: null, clientRefund: 3n * PRICE, slashed: COLLATERAL });
    expect(slots.map((s) => s.verdict)).toEqual([null, null, 'UNREVEALED']);
  });

  test('behavior: an unfilled job expires without verdicts; a cancelled one has no slots', () => {
    const expired = stepwise([posted(3, 2), take(W1, 0), closed(3, { workers: [W1], payouts: ['0'], slashed: ['0'], clientRefund: String(3n * PRICE) })]);
    expect(expired.job).toMatchObject({ status: 'CLOSED', outcome: 'EXPIRED_UNFILLED', filled: 1 });
    expect(expired.slots.map((s) => [s.state, s.verdict, s.payout, s.slashed])).toEqual([['TAKEN', null, 0n, 0n]]);
    const cancelled = stepwise([posted(), closed(4, { clientRefund: String(3n * PRICE) })]);
    expect(cancelled.job).toMatchObject({ status: 'CLOSED', outcome: 'CANCELLED', filled: 0, assignedAt: null });
  });

  test('behavior: foldJob (time travel) gives what the step-by-step fold gives, at every prefix', () => {
    const events = quorumRun();
    for (let n = 1; n <= events.length; n++) {
      const folded = foldJob(events.slice(0, n));
      const steps = stepwise(events.slice(0, n));
      expect(folded.job).toEqual(steps.job);
      expect(folded.slots).toEqual(steps.slots);
      expect(folded.bids).toEqual([]);
    }
  });

  test('error: a commit for a slot never taken', () => {
    expect(() => applySlotEvent(undefined, commit(W1, 0, 1))).toThrow(/never taken/);
    expect(() => applyJobEvent(undefined, take(W1, 0))).toThrow(/unknown job/);
  });
});

describe('replicated settlement: credits, workers, statistics', () => {
  test("default: the quorum's workers get their payouts and a share of the slashes; treasury the fee; client the rest", () => {
    const events = quorumRun();
    const close = events.at(-1)!;
    const { job, slots } = stepwise(events.slice(0, -1));
    const after = closeSlots(slots, close);
    const gross = (3n * PRICE) / 2n;
    expect(creditsOf(close, job, TREASURY, after)).toEqual([
      { market: MARKET, account: W1, token: ZERO_ADDRESS, amount: gross - gross / 100n },
      { market: MARKET, account: W1, token: ZERO_ADDRESS, amount: COLLATERAL / 4n },
      { market: MARKET, account: W3, token: ZERO_ADDRESS, amount: gross - gross / 100n },
      { market: MARKET, account: W3, token: ZERO_ADDRESS, amount: COLLATERAL / 4n },
      { market: MARKET, account: TREASURY, token: ZERO_ADDRESS, amount: 2n * (gross / 100n) },
      { market: MARKET, account: CLIENT, token: ZERO_ADDRESS, amount: COLLATERAL / 2n },
    ]);
  });

  test('behavior: slots lock and release collateral; the dissenter is slashed; verdicts are counted and weighed', () => {
    const events = quorumRun();
    const workers = new Map<Hex, Worker>();
    const clients = new Map<Hex, WorkerClient>();
    let job: Job | undefined;
    let slots = new Map<number, Slot>();
    const claim = { gpuModel: stringToHex('NVIDIA L4', { size: 32 }), gpuCount: 1, vramMiB: 24_576, cpuCores: 8, ramMiB: 65_536, pricePerGpuHour: '1', metadataURI: '' };
    for (const w of [W1, W2, W3]) workers.set(w, applyWorkerEvent(undefined, ev('WorkerRegistered', { worker: w, claim, stake: String(ETHER) })));
    for (const e of events) {
      const key = slotKeyOf(e);
      if (key) slots.set(key.slot, applySlotEvent(slots.get(key.slot), e, job?.revealed ?? 0)!);
      if (e.name === 'ReplicatedJobClosed') slots = new Map(closeSlots([...slots.values()], e).map((s) => [s.slot, s]));
      for (const address of workersOf(e)) {
        const slot = [...slots.values()].find((s) => s.worker === address);
        const outcome = outcomeOf(e, address, job, slot);
        workers.set(address, applyWorkerEvent(workers.get(address), e, { job, slot, client: clients.get(address) }, address));
        if (outcome) clients.set(address, applyOutcome(clients.get(address), address, outcome, e));
      }
      job = applyJobEvent(job, e, { slots: [...slots.values()] });
      if (e.name === 'SlotTaken') expect(workers.get((e.args as { worker: Hex }).worker)!.locked).toBe(COLLATERAL);
    }
    const [w1, w2, w3] = [W1, W2, W3].map((a) => workers.get(a)!);
    for (const w of [w1!, w2!, w3!]) expect(w).toMatchObject({ locked: 0n, activeJobs: 0, jobsAssigned: 1, clients: 1 });
    expect(w1).toMatchObject({ replicasAgreed: 1, stake: ETHER, evidenceFor: 1000, evidenceAgainst: 0, reputation: 666 });
    expect(w3).toMatchObject({ replicasAgreed: 1, reputation: 666 });
    // Disagreeing and slashed: 2 jobs of harm from one client, g(2000) = 1500.
    expect(w2).toMatchObject({ replicasDisagreed: 1, stake: ETHER - COLLATERAL, slashCount: 1, slashedTotal: COLLATERAL, evidenceFor: 0, evidenceAgainst: 1500 });
    expect(w2!.reputation).toBe(Math.floor((1000 * 1000) / 3500));
    expect(clients.get(W2)).toMatchObject({ client: CLIENT, outcomes: 1, successWeight: 0, failureWeight: 2000 });
  });

  test('behavior: replicated jobs count as posted and settled, completed when a quorum is reached', () => {
    const [post] = quorumRun();
    const job = applyJobEvent(undefined, post!);
    expect(dailyCountersOf(post!)).toEqual(['jobsPosted']);
    expect(dailyVolumeOf(post!, job)).toMatchObject({ volumePosted: 3n * PRICE, volumeSettled: 0n });
    const close = quorumRun().at(-1)!;
    expect(dailyCountersOf(close)).toEqual(['jobsSettled', 'jobsCompleted']);
    const gross = (3n * PRICE) / 2n;
    expect(dailyVolumeOf(close, job)).toMatchObject({ volumeSettled: 2n * gross, fees: 2n * (gross / 100n) });
    expect(dailyCountersOf(closed(2, {}))).toEqual(['jobsSettled']);
    expect(dailyCountersOf(closed(3, {}))).toEqual(['jobsSettled', 'jobsExpired']);
    expect(dailyCountersOf(closed(4, {}))).toEqual(['jobsSettled', 'jobsCancelled']);
    expect(() => dailyCountersOf(closed(9, {}))).toThrow(/unknown outcome/);
  });
});
