/**
 * Replicated jobs end to end: three worker daemons (`loom-worker start`, child processes with their
 * own data directories) on anvil with the indexer serving the API and the artifact store. Each job
 * is posted to LoomReplicatedMarket with 3 replicas and a quorum of 2; the workers take the slots, run
 * the job in their sandboxes, upload their bundles, commit, reveal once the phase opens, finalize and
 * withdraw what they earned, with no one else acting:
 *
 * - all three agree: QuorumReached, all three paid, nobody slashed;
 * - one worker's bundle differs: it is slashed, the other two are paid and share its collateral;
 * - a worker killed with SIGKILL just after its commit reveals after its restart (its state file and
 *   the chain tell it where it stood): one commit and one reveal of its own, and it is paid;
 * - three different bundles: NoQuorum, the client refunded, nobody who revealed slashed.
 *
 * What makes a worker's bundle differ is the job itself, not a hook in the worker: the job prints
 * the host path its /out is bound from (the mount's root in /proc/self/mountinfo, as Linux shows a
 * bind mount), which lies in its worker's data directory. The data directories are named so that the
 * jobs can tell the workers apart: `fast` (worker 4), `plain` (worker 5), `dissent` (worker 6).
 *
 * Needs bubblewrap (the jobs read their own sandbox's mounts); CI installs it.
 */
import { chmodSync, mkdtempSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Address, type Hex, parseEther, toHex, zeroAddress } from 'viem';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loomRegistryAbi, loomReplicatedMarketAbi } from '../abis/generated';
import type { ReplicatedJobParams, ReplicatedJobTerms } from '../sdk/writes';
import { ROLES, accountOf, addressOf, keyOf } from '../testkit/accounts';
import { scriptSpec } from '../testkit/jobs';
import { type Stack, startStack } from '../testkit/stack';
import { waitFor } from '../testkit/waitFor';
import { type WorkerProcess, startWorker } from '../testkit/workers';
import { revealSecret } from '../worker/daemon/revealSecret';
import { skipSandboxTests } from '../worker/test/sandboxAvailability';

const CLIENT = ROLES.clients[0];
const [FAST, PLAIN, DISSENT] = ROLES.workers;
const COLLATERAL = parseEther('0.05');
const PRICE = parseEther('0.01');

let m: Stack;
const dataDirs = new Map<number, string>();
const workers = new Map<number, WorkerProcess>();

const target = () => ({ apiUrl: m.ponder.url, rpcUrl: m.anvil.rpcUrl, deploymentPath: m.deploymentPath, artifactUrl: m.artifactUrl, usdc: m.usdc });

/** Starts (or restarts, on the same data directory) worker `index`. */
async function start(index: number): Promise<WorkerProcess> {
  const w = await startWorker(target(), index, { dataDir: dataDirs.get(index)!, readyTimeoutMs: 90_000 });
  workers.set(index, w);
  return w;
}

beforeAll(async () => {
  if (skipSandboxTests) return;
  m = await startStack({ name: 'replicated-e2e', indexer: true, artifacts: true });
  for (const [index, name] of [
    [FAST, 'fast'],
    [PLAIN, 'plain'],
    [DISSENT, 'dissent'],
  ] as const) {
    const dir = mkdtempSync(join(m.workDir, `${name}-`));
    chmodSync(dir, 0o711);
    dataDirs.set(index, dir);
  }
  await Promise.all([FAST, PLAIN, DISSENT].map(start));
}, 240_000);

afterAll(async () => {
  await m?.stop();
});

let salt = 0n;

/** Posts a 3-replica, quorum-2 job running `script` (host mode, CPU). */
async function post(script: string, over: Partial<ReplicatedJobParams> = {}): Promise<{ id: Hex; terms: ReplicatedJobTerms; fromBlock: bigint }> {
  const fromBlock = await m.publicClient.getBlockNumber();
  const posted = await m.writer(CLIENT).postReplicatedJob({
    terms: {
      token: zeroAddress,
      price: PRICE,
      collateral: COLLATERAL,
      replicas: 3,
      quorum: 2,
      openUntil: (await m.now()) + 300,
      commitWindow: 300,
      revealWindow: 300,
      minGpuCount: 0,
      minVramMiB: 0,
      gpuModel: toHex(0, { size: 32 }),
      salt: ++salt,
      pool: 0n,
      ...over,
    },
    spec: scriptSpec(script, { resources: { memoryMiB: 128, timeoutSeconds: 30, outputMiB: 1 } }),
  });
  return { id: posted.jobId, terms: posted.terms, fromBlock };
}

type ReplicatedEvent = 'SlotTaken' | 'ResultCommitted' | 'ResultRevealed' | 'ReplicatedJobClosed';

/** The job's events of one kind, from the chain. */
async function chainEvents(name: ReplicatedEvent, id: Hex, fromBlock: bigint) {
  const logs = await m.publicClient.getContractEvents({ address: m.replicated, abi: loomReplicatedMarketAbi, eventName: name, args: { jobId: id }, fromBlock });
  return logs.map((l) => l.args as Record<string, unknown>);
}

type Closed = { outcome: number; resultHash: Hex; workers: readonly Address[]; payouts: readonly bigint[]; slashed: readonly bigint[]; clientRefund: bigint; winnerSlashShare: bigint; clientSlashShare: bigint };

/** Waits for the workers to finalize the job (nobody else does here); its ReplicatedJobClosed. */
async function closedBy(id: Hex, fromBlock: bigint, timeoutMs = 90_000): Promise<Closed> {
  return waitFor(`job ${id} finalized by its workers`, async () => (await chainEvents('ReplicatedJobClosed', id, fromBlock))[0] as Closed | undefined, timeoutMs, 250);
}

/** Per worker address (lowercase): what the close gave it. */
function byWorker(c: Closed): Map<string, { payout: bigint; slashed: bigint }> {
  return new Map(c.workers.map((w, i) => [w.toLowerCase(), { payout: c.payouts[i]!, slashed: c.slashed[i]! }]));
}

const credits = (token: Address, account: Address) =>
  m.publicClient.readContract({ address: m.replicated, abi: loomReplicatedMarketAbi, functionName: 'credits', args: [token, account] });

/** Waits until the worker has withdrawn everything the replicated market credited it. */
async function withdrawn(index: number): Promise<void> {
  await waitFor(`worker ${index} withdrawing its replicated-market credits`, async () => (await credits(zeroAddress, addressOf(index))) === 0n, 60_000, 250);
}

const stakeOf = async (index: number) => (await m.publicClient.readContract({ address: m.registry, abi: loomRegistryAbi, functionName: 'workers', args: [addressOf(index)] }))[0];

const QUORUM_REACHED = 1;
const NO_QUORUM = 2;
const fee = (gross: bigint) => (gross * 100n) / 10_000n;

describe.skipIf(skipSandboxTests)('replicated jobs with three worker daemons', () => {
  test('default: all three agree: QuorumReached, each paid its share net of the fee, nobody slashed, and each withdraws', async () => {
    const { id, fromBlock } = await post('echo same > /out/r');
    const closed = await closedBy(id, fromBlock);
    expect(closed.outcome).toBe(QUORUM_REACHED);
    expect(closed.slashed).toEqual([0n, 0n, 0n]);
    expect(closed.payouts).toEqual([PRICE - fee(PRICE), PRICE - fee(PRICE), PRICE - fee(PRICE)]);
    expect(new Set(closed.workers.map((w) => w.toLowerCase()))).toEqual(new Set([FAST, PLAIN, DISSENT].map((i) => addressOf(i).toLowerCase())));
    // The quorum's hash is the bundle's sha256, and the store holds that bundle.
    const res = await fetch(`${m.artifactUrl}/artifacts/${closed.resultHash}`);
    expect(res.status).toBe(200);
    // One commit and one reveal per slot: nobody committed twice.
    expect((await chainEvents('ResultCommitted', id, fromBlock)).length).toBe(3);
    expect((await chainEvents('ResultRevealed', id, fromBlock)).length).toBe(3);
    for (const i of [FAST, PLAIN, DISSENT]) await withdrawn(i);
    await m.synced();
    expect((await m.job(id)).status).toBe('CLOSED');
  });

  test('behavior: the worker whose bundle differs is slashed; the other two are paid and share its collateral', async () => {
    const before = await stakeOf(DISSENT);
    const { id, fromBlock } = await post('if grep -q dissent /proc/self/mountinfo; then echo other; else echo same; fi > /out/r');
    const closed = await closedBy(id, fromBlock);
    expect(closed.outcome).toBe(QUORUM_REACHED);
    const got = byWorker(closed);
    expect(got.get(addressOf(DISSENT).toLowerCase())).toEqual({ payout: 0n, slashed: COLLATERAL });
    // The price of three slots shared by the two of the quorum; half the slashed collateral shared by them too.
    const gross = (PRICE * 3n) / 2n;
    for (const i of [FAST, PLAIN]) expect(got.get(addressOf(i).toLowerCase())).toEqual({ payout: gross - fee(gross), slashed: 0n });
    expect(closed.winnerSlashShare).toBe(COLLATERAL / 2n / 2n);
    expect(await stakeOf(DISSENT)).toBe(before - COLLATERAL);
    // The dissenter revealed its own hash: it was outvoted, not silent.
    const reveals = await chainEvents('ResultRevealed', id, fromBlock);
    const hashes = new Set(reveals.map((r) => r.resultHash));
    expect(hashes.size).toBe(2);
    await waitFor('the dissenter to say it was slashed', () => workers.get(DISSENT)!.lines.some((l) => l.msg === 'replicated job closed: this slot was slashed' && l.jobId === id), 30_000);
    for (const i of [FAST, PLAIN]) await withdrawn(i);
  });

  test('behavior: a worker killed (SIGKILL) right after its commit reveals after its restart, once; it is paid', async () => {
    // The fast worker runs at once; the others take six seconds, so the reveal phase (every slot
    // committed) opens only after the fast worker is dead.
    const { id, fromBlock } = await post('grep -q fast /proc/self/mountinfo || sleep 6; echo same > /out/r');
    const fast = workers.get(FAST)!;
    await waitFor('the fast worker to commit', () => fast.lines.some((l) => l.msg === 'result committed' && l.jobId === id), 60_000, 20);
    fast.child.kill('SIGKILL');
    await fast.exited;
    expect((await chainEvents('ResultRevealed', id, fromBlock)).length).toBe(0);

    const restarted = await start(FAST);
    // Its state file had the result (whether the API had indexed the commit yet or not): the job is not run again.
    expect(restarted.lines.some((l) => l.jobId === id && /^found a (committed|taken) slot .*(state file|recorded before the restart)/.test(String(l.msg)))).toBe(true);
    expect(restarted.lines.some((l) => l.jobId === id && l.msg === 'running a slot of a replicated job')).toBe(false);
    const closed = await closedBy(id, fromBlock);
    expect(closed.outcome).toBe(QUORUM_REACHED);
    expect(closed.slashed).toEqual([0n, 0n, 0n]);
    const me = addressOf(FAST).toLowerCase();
    expect(byWorker(closed).get(me)!.payout).toBe(PRICE - fee(PRICE));
    const mine = (name: ReplicatedEvent) => chainEvents(name, id, fromBlock).then((e) => e.filter((x) => String(x.worker).toLowerCase() === me));
    expect(await mine('ResultCommitted')).toHaveLength(1);
    expect(await mine('ResultRevealed')).toHaveLength(1);
    expect(restarted.lines.some((l) => l.msg === 'result revealed' && l.jobId === id)).toBe(true);
    expect(restarted.lines.some((l) => l.msg === 'result committed')).toBe(false);
    await withdrawn(FAST);
  });

  test('behavior: three different bundles: NoQuorum, the client refunded in full, nobody who revealed slashed', async () => {
    const stakes = await Promise.all([FAST, PLAIN, DISSENT].map(stakeOf));
    // Each worker's /out is bound from its own data directory: three different outputs.
    const { id, fromBlock } = await post("grep ' /out ' /proc/self/mountinfo | cut -d' ' -f4 > /out/r");
    const closed = await closedBy(id, fromBlock);
    expect(closed.outcome).toBe(NO_QUORUM);
    expect(closed.resultHash).toBe(`0x${'0'.repeat(64)}`);
    expect(closed.clientRefund).toBe(PRICE * 3n);
    expect(closed.payouts).toEqual([0n, 0n, 0n]);
    expect(closed.slashed).toEqual([0n, 0n, 0n]);
    expect(new Set((await chainEvents('ResultRevealed', id, fromBlock)).map((r) => r.resultHash)).size).toBe(3);
    expect(await Promise.all([FAST, PLAIN, DISSENT].map(stakeOf))).toEqual(stakes);
    expect(await credits(zeroAddress, addressOf(CLIENT))).toBeGreaterThanOrEqual(PRICE * 3n);
  });

  test("probe: neither the key nor the secret its salts come from is in any worker's logs or state file", async () => {
    for (const i of [FAST, PLAIN, DISSENT]) {
      const key = keyOf(i).slice(2).toLowerCase();
      const secret = (await revealSecret(accountOf(i))).slice(2).toLowerCase();
      const state = readFileSync(join(dataDirs.get(i)!, 'worker-state.json'), 'utf8').toLowerCase();
      const logs = workers.get(i)!.output.join('').toLowerCase();
      for (const text of [state, logs]) {
        expect(text).not.toContain(key);
        expect(text).not.toContain(secret);
      }
      // The state file held what it is for: the cursor (commit records are gone once revealed).
      expect(JSON.parse(state)).toMatchObject({ cursor: expect.any(String), commits: {} });
    }
  });
});
