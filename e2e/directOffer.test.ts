/**
 * Direct offers end to end: two worker daemons (`loom-worker start`, A and B, each running jobs in
 * its bubblewrap sandbox) on anvil with the indexer serving the API and the artifact store.
 *
 * - A job offered to B (JobMode.Direct, `terms.offeredTo` = B): B claims it, runs it and submits;
 *   A refuses it (`not_offered`) without sending a single transaction about it; the client releases
 *   the payment and B is paid the price net of the fee.
 * - A job offered to a worker that never takes it: neither daemon sends anything about it; once its
 *   open period has passed (anvil's clock moved on), `expire` closes it EXPIRED and the whole budget
 *   is credited back to the client.
 * - A worker started after two offers were posted (one to it, one to another) lists open jobs with
 *   `takableBy` at start: it claims and runs its own, and never even sees the other.
 *
 * Needs bubblewrap (B runs the job); CI installs it.
 */
import { type Address, getAddress, parseEther, zeroAddress } from 'viem';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loomMarketAbi } from '../abis/generated';
import { MODE } from '../sdk/enums';
import { ROLES, addressOf } from '../testkit/accounts';
import { scriptSpec } from '../testkit/jobs';
import { type Stack, startStack } from '../testkit/stack';
import { waitFor } from '../testkit/waitFor';
import type { WorkerProcess } from '../testkit/workers';
import { skipSandboxTests } from '../worker/test/sandboxAvailability';

const CLIENT = ROLES.clients[0];
const BUDGET = parseEther('0.01');

let m: Stack;
let a: WorkerProcess;
let b: WorkerProcess;

beforeAll(async () => {
  if (skipSandboxTests) return;
  m = await startStack({ name: 'direct-offer', indexer: true, artifacts: true, workers: 2, jobDefaults: { executionTimeout: 300, challengeWindow: 3600 } });
  [a, b] = m.workers as [WorkerProcess, WorkerProcess];
}, 240_000);

afterAll(async () => {
  await m?.stop();
});

/** Whether worker `w` logged its refusal of job `id` as offered to someone else. */
const refusedAsNotOffered = (w: WorkerProcess, id: string) => w.lines.some((l) => l.msg === 'job refused' && l.jobId === id && l.reason === 'not_offered');

const clientCredits = () => m.pub.readContract({ address: m.market, abi: loomMarketAbi, functionName: 'credits', args: [zeroAddress, m.address(CLIENT)] });

/** The next block: where the calls about a job posted now start. */
const nextBlock = async () => (await m.pub.getBlockNumber({ cacheTime: 0 })) + 1n;

describe.skipIf(skipSandboxTests)('direct offers', () => {
  test('default: a job offered to B is claimed and run by B, A never sends a transaction about it, and B is paid on release', async () => {
    const from = await nextBlock();
    const job = await m.post({ client: CLIENT, mode: MODE.DIRECT, offeredTo: getAddress(b.address), budget: BUDGET, spec: scriptSpec('echo direct > /out/direct.txt') });
    expect(job.terms).toMatchObject({ mode: MODE.DIRECT, offeredTo: getAddress(b.address) });

    const submitted = await m.jobIn(job.id, 'SUBMITTED', 120_000);
    expect(submitted.worker).toBe(b.address);
    await waitFor('A refusing the offer made to B', () => refusedAsNotOffered(a, job.id), 30_000);

    await m.send(CLIENT, 'release', [job.terms]);
    const closed = await m.jobIn(job.id, 'CLOSED');
    const fee = (BUDGET * BigInt(job.terms.feeBps)) / 10_000n;
    expect(closed).toMatchObject({ closeReason: 'COMPLETED', worker: b.address, price: BUDGET.toString(), workerPayout: (BUDGET - fee).toString(), clientRefund: '0' });

    await m.synced();
    expect(await m.callsAboutJob(a.address, job.terms.specHash, from)).toEqual([]);
    expect(await m.callsAboutJob(b.address, job.terms.specHash, from)).toEqual(['claimJob', 'submitResult']);
  });

  test('behavior: an offer nobody takes expires after its open period, and the client gets the whole budget back', async () => {
    // Worker 6 runs no daemon here: it never claims.
    const absent = addressOf(ROLES.workers[2]) as Address;
    const from = await nextBlock();
    const before = await clientCredits();
    const job = await m.post({ client: CLIENT, mode: MODE.DIRECT, offeredTo: absent, budget: BUDGET, openFor: 60, spec: scriptSpec('echo never > /out/never.txt') });

    // Both daemons saw it and let it be.
    await waitFor('both workers refusing an offer made to another', () => refusedAsNotOffered(a, job.id) && refusedAsNotOffered(b, job.id), 30_000);
    expect((await m.job(job.id)).status).toBe('OPEN');

    await m.warp(120);
    await m.send(CLIENT, 'expire', [job.terms]);
    const closed = await m.jobIn(job.id, 'CLOSED');
    expect(closed).toMatchObject({ closeReason: 'EXPIRED', worker: null, workerPayout: '0', fee: '0', clientRefund: BUDGET.toString() });
    expect(await clientCredits()).toBe(before + BUDGET);

    await m.synced();
    expect(await m.callsAboutJob(a.address, job.terms.specHash, from)).toEqual([]);
    expect(await m.callsAboutJob(b.address, job.terms.specHash, from)).toEqual([]);
  });

  test('behavior: a worker started after offers were posted finds its own in its scan of open jobs, and the scan never lists another worker\'s', async () => {
    const index = ROLES.workers[2];
    const from = await nextBlock();
    const mine = await m.post({ client: CLIENT, mode: MODE.DIRECT, offeredTo: getAddress(addressOf(index)), budget: BUDGET, spec: scriptSpec('echo scanned > /out/scanned.txt') });
    const other = await m.post({ client: CLIENT, mode: MODE.DIRECT, offeredTo: getAddress(addressOf(ROLES.stranger)), budget: BUDGET, spec: scriptSpec('echo other > /out/other.txt') });

    // Started now, it follows events from now on: it learns of both jobs only from its scan (takableBy).
    const c = await m.startWorker(index);
    const submitted = await m.jobIn(mine.id, 'SUBMITTED', 120_000);
    expect(submitted.worker).toBe(c.address);
    expect(c.lines.some((l) => l.jobId === other.id)).toBe(false);
    await m.synced();
    // Its registry calls (registering, its sealing key) are not market calls: listed as "other".
    expect((await m.callsAboutJob(c.address, other.terms.specHash, from)).filter((name) => name !== 'other')).toEqual([]);
    expect(await m.callsAboutJob(c.address, mine.terms.specHash, from)).toContain('claimJob');
  });
});
