/**
 * The replicated slots' commit, reveal and finalize against the real contract on anvil (no indexer:
 * the slots' view of each job is read from the contract here, standing in for the API), with a real
 * state file and the worker's real writer. The daemons' end to end, with the API, is
 * e2e/replicated.test.ts.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { type Address, type Hex, keccak256, parseEther, stringToHex, toHex, zeroAddress } from 'viem';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loomReplicatedMarketAbi } from '../../abis/generated';
import { revealSalt } from '../../sdk/node/revealSalt';
import { receiptEvents } from '../../sdk/receipts';
import { resultCommitment } from '../../sdk/replication';
import type { MarketWriter, ReplicatedJobParams, ReplicatedJobTerms } from '../../sdk/writes';
import { accountOf } from '../../testkit/accounts';
import { type Stack, startStack } from '../../testkit/stack';
import { resolveConfig } from './config';
import type { DaemonContext } from './daemonContext';
import { DaemonState } from './daemonState';
import { WorkerMetrics } from './metrics';
import type { ReplicatedJobView, SlotState } from './replicatedJob';
import { ReplicatedSlots } from './replicatedSlots';
import { revealSecret } from './revealSecret';
import { StateFile } from './stateFile';

let m: Stack;
const WORKERS = [4, 5, 6];
const spec = stringToHex(JSON.stringify({ version: 1, script: 'echo same > /out/r', resources: { timeoutSeconds: 30 } }));

beforeAll(async () => {
  m = await startStack({ name: 'replicated-slots' });
  for (const i of WORKERS) await m.writer(i).register(m.claim(), parseEther('1'));
}, 180_000);

afterAll(async () => {
  await m?.stop();
});

const posted = new Map<Hex, ReplicatedJobTerms>();

async function post(over: Partial<ReplicatedJobParams> = {}): Promise<{ id: Hex; terms: ReplicatedJobTerms }> {
  const params: ReplicatedJobParams = {
    token: zeroAddress,
    price: parseEther('0.01'),
    collateral: parseEther('0.05'),
    replicas: 3,
    quorum: 2,
    openUntil: (await m.now()) + 300,
    commitWindow: 300,
    revealWindow: 300,
    minGpuCount: 0,
    minVramMiB: 0,
    gpuModel: toHex(0, { size: 32 }),
    salt: BigInt(posted.size + 1),
    pool: 0n,
    ...over,
  };
  const p = await m.writer(1).postReplicatedJob({ terms: params, spec });
  posted.set(p.jobId, p.terms);
  return { id: p.jobId, terms: p.terms };
}

const SLOT_STATES: SlotState[] = ['TAKEN', 'TAKEN', 'COMMITTED', 'REVEALED'];

/** The job as the API would show it, read from the contract. */
async function view(id: Hex): Promise<ReplicatedJobView | null> {
  const terms = posted.get(id);
  if (!terms) return null;
  const read = <T,>(functionName: string, args: unknown[]) => m.publicClient.readContract({ address: m.replicated, abi: loomReplicatedMarketAbi, functionName, args } as never) as Promise<T>;
  const [status, filled, committed, revealed, revealDeadline] = await read<[number, number, number, number, number]>('replicatedJobs', [id]);
  const slots = [];
  for (let i = 0; i < filled; i++) {
    const [worker, state] = await read<[Address, number]>('slots', [id, BigInt(i)]);
    const hash = await read<Hex>('slotHashes', [id, BigInt(i)]);
    const s = SLOT_STATES[state]!;
    slots.push({ slot: i, worker, state: s, commitment: s === 'COMMITTED' ? hash : null, resultHash: s === 'REVEALED' ? hash : null });
  }
  return {
    id,
    terms,
    spec,
    status: status === 2 ? 'CLOSED' : filled < terms.replicas ? 'OPEN' : committed === terms.replicas || revealed > 0 ? 'SUBMITTED' : 'ASSIGNED',
    filled,
    committed,
    revealed,
    revealDeadline: revealDeadline !== 0 ? Number(revealDeadline) : terms.openUntil + terms.commitWindow + terms.revealWindow,
    slots,
  };
}

type Sent = { fn: string; recorded?: unknown };

/** One worker's slots, as its daemon would hold them: its writer (calls recorded), a state file, its salts. */
async function worker(i: number, dataDir = mkdtempSync(join(m.workDir, `slots-${i}-`)), reads: (id: Hex) => Promise<ReplicatedJobView | null> = view) {
  const logs: Record<string, unknown>[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void logs.push(JSON.parse(line)) });
  const real = m.writer(i);
  const address = real.address;
  const stateFile = new StateFile(join(dataDir, 'worker-state.json'), { chainId: 31337, market: m.market, worker: address });
  const loaded = await stateFile.load();
  const sent: Sent[] = [];
  // Each transaction sent is recorded with what the state file held at that moment.
  const writer = new Proxy(real, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver);
      if (typeof v !== 'function' || !['commitResult', 'revealResult', 'finalize'].includes(String(prop))) return v;
      return async (...args: unknown[]) => {
        const result = await (v as (...a: unknown[]) => Promise<unknown>)(...args);
        sent.push({ fn: String(prop), recorded: JSON.parse(readFileSync(stateFile.path, 'utf8')).commits });
        return result;
      };
    },
  }) as MarketWriter;
  const secret = await revealSecret(accountOf(i));
  const state = new DaemonState();
  const metrics = new WorkerMetrics();
  const runs: { id: Hex; slot: number; deadline: number }[] = [];
  const tasks: Promise<unknown>[] = [];
  const ctx = {
    config: resolveConfig({ 'data-dir': dataDir, 'housekeeping-ms': '1000' }, {}),
    logger,
    metrics,
    address,
    state,
    writer,
    replicated: { replicatedJob: reads, replicatedJobsOf: async () => [] },
    stateFile,
    saltOf: (id: Hex) => revealSalt(secret, id),
    chainNow: () => m.now(),
    track: (t: Promise<unknown>) => void tasks.push(t),
    updateGauges: () => {},
  } as unknown as DaemonContext;
  const slots = new ReplicatedSlots(ctx, { runSlot: (v, slot, deadline) => void runs.push({ id: v.id, slot, deadline }), stopSlotRun: () => {} });
  const settled = async () => {
    while (tasks.length) await tasks.shift();
  };
  return { i, address, slots, state, metrics, logs, sent, runs, stateFile, loaded, dataDir, salt: (id: Hex) => revealSalt(secret, id), settled };
}

const RESULT = keccak256(stringToHex('the same result'));
const uriOf = (h: Hex) => `artifact://${h}`;

async function takeAll(id: Hex, terms: ReplicatedJobTerms, ws: { i: number }[]): Promise<void> {
  for (const w of ws) await m.writer(w.i).takeSlot(terms);
}

describe('ReplicatedSlots on the contract', () => {
  test('default: each commit is on disk before it is sent; reveals wait for the phase; the slots take turns to finalize; the close pays the quorum', async () => {
    const ws = await Promise.all(WORKERS.map((i) => worker(i)));
    const { id, terms } = await post();
    await takeAll(id, terms, ws);

    await ws[0]!.slots.commit({ id, terms, slot: 0 }, RESULT, uriOf(RESULT));
    await ws[1]!.slots.commit({ id, terms, slot: 1 }, RESULT, uriOf(RESULT));
    expect(ws[0]!.sent).toEqual([{ fn: 'commitResult', recorded: { [id]: { slot: 0, resultHash: RESULT, resultURI: uriOf(RESULT) } } }]);
    // Two of three committed, before the commit deadline: the phase is closed, nothing is sent.
    await ws[0]!.slots.poke();
    expect(ws[0]!.sent.map((s) => s.fn)).toEqual(['commitResult']);
    expect(ws[0]!.state.slots.get(id)).toMatchObject({ phase: 'committed', slot: 0 });

    // The last commit opens the phase: its worker reveals at once, the others when they next look.
    const other = keccak256(stringToHex('another result'));
    await ws[2]!.slots.commit({ id, terms, slot: 2 }, other, uriOf(other));
    await ws[2]!.settled();
    expect(ws[2]!.logs.find((l) => l.msg === 'result committed')).toMatchObject({ revealOpen: true });
    expect(ws[2]!.sent.map((s) => s.fn)).toEqual(['commitResult', 'revealResult']);
    await ws[0]!.slots.poke();
    await ws[1]!.slots.poke();
    for (const w of ws) {
      expect(w.sent.map((s) => s.fn)).toEqual(['commitResult', 'revealResult']);
      // Revealed: the record is forgotten.
      expect(await new StateFile(w.stateFile.path, { chainId: 31337, market: m.market, worker: w.address }).load()).toMatchObject({ commits: {} });
    }
    expect((await view(id))?.slots.map((s) => s.resultHash)).toEqual([RESULT, RESULT, other]);

    // Every slot revealed: slot 0's turn is now, slot 1's two housekeeping rounds later, slot 2's four.
    await ws[2]!.slots.poke();
    await ws[1]!.slots.poke();
    expect([ws[1]!.sent.length, ws[2]!.sent.length]).toEqual([2, 2]);
    const block = await m.publicClient.getBlockNumber();
    await ws[0]!.slots.poke();
    expect(ws[0]!.sent.map((s) => s.fn)).toEqual(['commitResult', 'revealResult', 'finalize']);
    expect((await view(id))?.status).toBe('CLOSED');
    // Its turn come, slot 1 finds the job closed and lets it go without a transaction.
    await new Promise((r) => setTimeout(r, 2_100));
    await ws[1]!.slots.poke();
    expect(ws[1]!.sent.length).toBe(2);
    expect(ws[1]!.state.slots.size).toBe(0);

    const logs = await m.publicClient.getContractEvents({ address: m.replicated, abi: loomReplicatedMarketAbi, eventName: 'ReplicatedJobClosed', fromBlock: block + 1n });
    const closed = logs[0]!.args as Parameters<ReplicatedSlots['closed']>[1];
    expect(closed.outcome).toBe(1); // QuorumReached
    // As the event log delivers it, with the job's token and outcome in the API's words.
    await ws[0]!.slots.closed(id, closed, { token: zeroAddress, outcome: 'QUORUM_REACHED' });
    await ws[2]!.slots.closed(id, closed, { token: zeroAddress, outcome: 'QUORUM_REACHED' });
    expect(ws[0]!.metrics.replicatedClosed.get({ outcome: 'quorum_reached', verdict: 'agreed' })).toBe(1);
    expect(ws[0]!.metrics.earnings.get({ token: zeroAddress })).toBe(closed.payouts[0]! + closed.winnerSlashShare);
    expect(ws[2]!.metrics.replicatedClosed.get({ outcome: 'quorum_reached', verdict: 'disagreed' })).toBe(1);
    expect(ws[2]!.logs.find((l) => l.msg === 'replicated job closed: this slot was slashed')).toMatchObject({ slashed: parseEther('0.05').toString() });
    expect(ws[0]!.state.done.has(id)).toBe(true);
  });

  test('behavior: three commits sent at once all land, the one that runs out of gas as the others land first sent again', async () => {
    const ws = await Promise.all(WORKERS.map((i) => worker(i)));
    const { id, terms } = await post();
    await takeAll(id, terms, ws);
    await Promise.all(ws.map((w, slot) => w.slots.commit({ id, terms, slot }, RESULT, uriOf(RESULT))));
    // The last commit opened the reveal phase: its worker's reveal runs in the background; let it end
    // before the next test sends from the same accounts.
    await Promise.all(ws.map((w) => w.settled()));
    const after = (await view(id))!;
    expect(after.committed).toBe(3);
    expect(after.slots.map((s) => s.state).filter((s) => s === 'TAKEN')).toEqual([]);
    for (const w of ws) expect(w.logs.filter((l) => l.level === 50)).toEqual([]);
  });

  test('behavior: a slot is never committed twice, whether the API shows the commitment or lags behind it', async () => {
    const w = await worker(4);
    const { id, terms } = await post();
    await m.writer(4).takeSlot(terms);
    await w.slots.commit({ id, terms, slot: 0 }, RESULT, uriOf(RESULT));
    const nonce = await m.publicClient.getTransactionCount({ address: w.address });
    // Again (a run repeated): the slot reads COMMITTED, nothing is sent.
    w.state.slots.clear();
    await w.slots.commit({ id, terms, slot: 0 }, RESULT, uriOf(RESULT));
    expect(w.logs.filter((l) => l.msg === 'recovered the committed result by running the job again')).toHaveLength(1);
    // An API that has not seen the commit yet: the simulation refuses it (UnexpectedSlotState), still nothing sent.
    const stale = { ...(await view(id))!, committed: 0, slots: [{ slot: 0, worker: w.address, state: 'TAKEN' as const, commitment: null, resultHash: null }] };
    const lagging = await worker(4, w.dataDir, async () => stale);
    await lagging.slots.commit({ id, terms, slot: 0 }, RESULT, uriOf(RESULT));
    expect(lagging.logs.find((l) => l.msg === 'the slot has committed already; not committing again')).toMatchObject({ state: 'COMMITTED' });
    expect(await m.publicClient.getTransactionCount({ address: w.address })).toBe(nonce);
    expect(w.sent.map((s) => s.fn).concat(lagging.sent.map((s) => s.fn))).toEqual(['commitResult']);
  });

  test('behavior: after a restart, a recorded commitment is revealed with the salt derived again; a taken slot with a record is committed without a run', async () => {
    const first = await Promise.all([worker(4), worker(5)]);
    const { id, terms } = await post({ replicas: 2, quorum: 2 });
    await takeAll(id, terms, first);
    await first[0]!.slots.commit({ id, terms, slot: 0 }, RESULT, uriOf(RESULT));
    // Worker 5 recorded its result and died before its commit went out.
    await first[1]!.stateFile.recordCommit(id, { slot: 1, resultHash: RESULT, resultURI: uriOf(RESULT) });

    const [a, b] = await Promise.all([worker(4, first[0]!.dataDir), worker(5, first[1]!.dataDir)]);
    expect(a.loaded.commits[id]).toEqual({ slot: 0, resultHash: RESULT, resultURI: uriOf(RESULT) });
    const now = await m.now();
    await a.slots.resume((await view(id))!, now);
    expect(a.state.slots.get(id)).toMatchObject({ phase: 'committed', resultHash: RESULT });
    await b.slots.resume((await view(id))!, now);
    await b.settled();
    expect(b.runs).toEqual([]);
    expect(b.sent.filter((s) => s.fn === 'commitResult')).toHaveLength(1);
    // Both committed: the phase is open, and the restarted worker reveals what it committed to.
    await a.slots.poke();
    expect(a.sent[0]?.fn).toBe('revealResult');
    expect((await view(id))?.slots[0]).toMatchObject({ state: 'REVEALED', resultHash: RESULT });
    const c = resultCommitment(id, a.address, RESULT, a.salt(id));
    expect(c).toBe(resultCommitment(id, a.address, RESULT, first[0]!.salt(id)));
  });

  test('behavior: a committed slot whose record is lost is run again to the reveal deadline, and revealed only if the new result matches the commitment', async () => {
    const [a, b] = await Promise.all([worker(4), worker(5)]);
    const { id, terms } = await post({ replicas: 2, quorum: 2 });
    await takeAll(id, terms, [a, b]);
    await a.slots.commit({ id, terms, slot: 0 }, RESULT, uriOf(RESULT));
    await b.slots.commit({ id, terms, slot: 1 }, RESULT, uriOf(RESULT));
    // Both die before revealing, and restart with empty data directories.
    a.state.stopping = b.state.stopping = true;
    await Promise.all([a.settled(), b.settled()]);
    expect([...a.sent, ...b.sent].map((s) => s.fn)).toEqual(['commitResult', 'commitResult']);
    const [a2, b2] = await Promise.all([worker(4), worker(5)]);
    const v = (await view(id))!;
    await a2.slots.resume(v, await m.now());
    await b2.slots.resume(v, await m.now());
    expect(a2.runs).toEqual([{ id, slot: 0, deadline: v.revealDeadline }]);
    // The run gives the same bytes: adopted and revealed. A different result is never revealed.
    await a2.slots.commit({ id, terms, slot: 0 }, RESULT, uriOf(RESULT));
    await a2.slots.poke();
    expect(a2.sent.map((s) => s.fn)).toEqual(['revealResult']);
    const wrong = keccak256(stringToHex('not what was committed'));
    await b2.slots.commit({ id, terms, slot: 1 }, wrong, uriOf(wrong));
    await b2.slots.poke();
    expect(b2.sent).toEqual([]);
    expect(b2.logs.some((l) => l.msg === 'the result computed again is not the one committed before the restart: it cannot be revealed (the slot will be slashed)')).toBe(true);
  });

  test('error: a commit too late or a reveal too late sends nothing and says so', async () => {
    const [a, b] = await Promise.all([worker(4), worker(5)]);
    const { id, terms } = await post({ openUntil: (await m.now()) + 20, commitWindow: 10, revealWindow: 10 });
    await takeAll(id, terms, [a, b]);
    await a.slots.commit({ id, terms, slot: 0 }, RESULT, uriOf(RESULT));
    await m.warp(31);
    await b.slots.commit({ id, terms, slot: 1 }, RESULT, uriOf(RESULT));
    expect(b.sent).toEqual([]);
    expect(b.logs.some((l) => l.msg === 'the commit deadline passed before the result could be committed (the slot will be slashed)')).toBe(true);
    expect(b.metrics.jobsAbandoned.get({ reason: 'deadline' })).toBe(1);
    expect(b.stateFile.commitOf(id)).toBeUndefined();
    // Past the reveal deadline as well: the committed slot cannot be revealed any more, and the job is due to finalize.
    await m.warp(11);
    await a.slots.poke();
    expect(a.sent.map((s) => s.fn)).toEqual(['commitResult']);
    expect(a.logs.some((l) => l.msg === 'the reveal deadline passed before the result could be revealed (the slot will be slashed)')).toBe(true);
    expect(a.state.slots.size).toBe(0);
  });
});
