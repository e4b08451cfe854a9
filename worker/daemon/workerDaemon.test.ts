/**
 * The daemon end to end, in-process: a real anvil with the contracts, a real Ponder serving the
 * API (the daemon's only view of the market), the artifact store over HTTP, and the sandbox.
 *
 * - A claim job: picked up, run in the sandbox, the bundle uploaded, its sha256 posted; the client
 *   releases, the worker withdraws, and every ETH balance adds up.
 * - Bad specs (invalid JSON, unknown version, missing fields, an input that does not hash right):
 *   refused with the reason, and not one transaction (the worker's nonce does not move).
 * - A job that fails (out of memory): its failure report is the result; the worker carries on.
 * - An auction in USDC: the worker bids its price, the client accepts; nobody releases, so the
 *   worker releases once the challenge window passes, withdraws, and every balance adds up. A bid
 *   the client does not choose is forgotten.
 * - Restarted on changed hardware while closed to jobs: the claim is updated, availability set,
 *   the event log resumed from the cursor file.
 * - The API (Ponder) stopped and started again: the worker resubscribes from its cursor and takes
 *   the job posted while the API was down.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { type Address, type Hex, erc20Abi, parseEther, stringToHex } from 'viem';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { claimFor } from '../hardware';
import { createWorkerLogger } from '../logger';
import { GOOD, type InputServer, sha256, startInputServer } from '../test/inputServer';
import { skipSandboxTests } from '../test/sandboxAvailability';
import { resolveConfig } from './config';
import { WorkerDaemon } from './workerDaemon';
import { accountOf, addressOf, keyOf } from '../../testkit/accounts';
import { ETH, scriptSpec } from '../../testkit/jobs';
import { keepLogs } from '../../testkit/reaper';
import { type Stack, startStack } from '../../testkit/stack';
import { step, waitFor } from '../../testkit/waitFor';

const WORKER = 5;
const OTHER_WORKER = 6;
const CLIENT = 1;
const TREASURY = 9;
const account = accountOf(WORKER);
const me = account.address;

let m: Stack;
let daemon: WorkerDaemon;
let config: ReturnType<typeof resolveConfig>;
let inputs: InputServer;
const logLines: string[] = [];
const logs = () => logLines.map((l) => JSON.parse(l) as Record<string, unknown>);

beforeAll(async () => {
  if (skipSandboxTests) return;
  // Each step has a limit below the hook's 180 s, so that a hang names itself (seen once in CI).
  keepLogs('worker (in-process)', () => logLines.join(''));
  m = await step('anvil, deployment and Ponder', 150_000, () => startStack({ name: 'worker-daemon', indexer: true, artifacts: true, jobDefaults: { executionTimeout: 120, challengeWindow: 3600 } }));
  inputs = await startInputServer();
  await step('USDC approval', 15_000, () => m.approveUsdc(CLIENT));
  const dataDir = mkdtempSync(join(m.workDir, 'worker-'));
  chmodSync(dataDir, 0o711); // the sandbox user must reach the job directories
  config = resolveConfig(
    {},
    {
      LOOM_API_URL: m.ponder.url,
      LOOM_ARTIFACT_URL: m.artifactUrl,
      LOOM_RPC_URL: m.anvil.rpcUrl,
      LOOM_MARKET_ADDRESS: m.market,
      LOOM_WORKER_DATA_DIR: dataDir,
      LOOM_WORKER_STAKE: '1',
      LOOM_METRICS_PORT: '0',
      LOOM_HOUSEKEEPING_MS: '300',
      LOOM_RESERVE_SECONDS: '10',
      LOOM_SUBMIT_RESERVE_SECONDS: '5',
      LOOM_ALLOWED_TOKENS: `eth,${m.usdc}`,
      // 3.6 USDC per GPU-hour: a 30-second job is worth 0.03 USDC (30,000 units), bid 50% above.
      LOOM_MIN_PRICE_PER_GPU_HOUR: `${m.usdc}=3600000`,
      LOOM_BID_MARKUP_BPS: '5000',
      LOOM_ALLOW_PRIVATE_INPUTS: 'true',
    },
  );
  const logger = createWorkerLogger({ level: 'debug' }, { write: (s: string) => void logLines.push(s) });
  daemon = new WorkerDaemon({ config, account, logger, hardware: { claim: claimFor([], { cpuCores: 2, ramMiB: 4096 }), gpus: [] } });
  const tails = () => `worker log:\n${logLines.slice(-40).join('')}\nPonder log:\n${m.ponder.logs().slice(-4000)}`;
  await step('the daemon starting', 60_000, () => daemon.start(), tails);
}, 180_000);

afterAll(async () => {
  await daemon?.stop();
  await inputs?.close();
  await m?.stop();
});

const ethBalance = (a: Address) => m.pub.getBalance({ address: a });
const usdcBalance = (a: Address) => m.pub.readContract({ address: m.usdc, abi: erc20Abi, functionName: 'balanceOf', args: [a] });
const addr = addressOf;

/** Downloads a result from the artifact store and checks it against the on-chain hash. */
async function fetchResult(resultHash: Hex, resultURI: string): Promise<Buffer> {
  expect(resultURI).toBe(`artifact://${resultHash.slice(2)}`);
  const res = await fetch(`${m.artifactUrl}/artifacts/${resultHash}`);
  expect(res.status).toBe(200);
  const bytes = Buffer.from(await res.arrayBuffer());
  expect(`0x${createHash('sha256').update(bytes).digest('hex')}`).toBe(resultHash);
  return bytes;
}

function untar(bytes: Buffer, file: string): string {
  const path = join(mkdtempSync(join(os.tmpdir(), 'loom-result-')), 'r.tar');
  writeFileSync(path, bytes);
  return execFileSync('tar', ['-xOf', path, file], { encoding: 'utf8' });
}

describe.skipIf(skipSandboxTests)('worker daemon', () => {
  test('default: a claim job is picked up, run in the sandbox and paid; the hash on-chain is the bundle in the store; every balance adds up', async () => {
    const [client, treasury] = [addr(CLIENT), addr(TREASURY)];
    const startBlock = (await m.pub.getBlockNumber()) + 1n;
    const before = { client: await ethBalance(client), worker: await ethBalance(me), treasury: await ethBalance(treasury), market: await ethBalance(m.market) };

    const budget = parseEther('0.01');
    const job = await m.post({
      spec: scriptSpec('echo "hello from $(id -u)" > /out/hello.txt && mkdir -p /out/data && seq 1 5 > /out/data/n.txt'),
      budget,
      collateral: parseEther('0.1'),
    });
    const submitted = await m.jobIn(job.id, 'SUBMITTED');
    expect(submitted.worker).toBe(me.toLowerCase());
    const bundle = await fetchResult(submitted.resultHash, submitted.resultURI);
    expect(untar(bundle, 'hello.txt')).toBe('hello from 1000\n');
    expect(untar(bundle, 'data/n.txt')).toBe('1\n2\n3\n4\n5\n');

    const withdrawn = BigInt(daemon.metrics.withdrawn.get({ token: ETH }));
    await m.send(CLIENT, 'release', [job.terms]);
    // The worker withdraws its payout by itself; the treasury withdraws the fee.
    await waitFor('the worker withdrawing its payout', () => BigInt(daemon.metrics.withdrawn.get({ token: ETH })) > withdrawn);
    await m.synced();
    const closed = await m.job(job.id);
    await m.send(TREASURY, 'withdraw', [ETH, treasury]);
    const endBlock = await m.pub.getBlockNumber();

    const price = budget;
    const fee = (price * 100n) / 10_000n;
    expect(closed.closeReason).toBe('COMPLETED');
    expect(BigInt(closed.fee)).toBe(fee);
    expect(BigInt(closed.workerPayout)).toBe(price - fee);
    const gas = { client: await m.gasPaid(client, startBlock, endBlock), worker: await m.gasPaid(me, startBlock, endBlock), treasury: await m.gasPaid(treasury, startBlock, endBlock) };
    const after = { client: await ethBalance(client), worker: await ethBalance(me), treasury: await ethBalance(treasury), market: await ethBalance(m.market) };
    expect(after.client - before.client + gas.client).toBe(-budget);
    expect(after.worker - before.worker + gas.worker).toBe(price - fee);
    expect(after.treasury - before.treasury + gas.treasury).toBe(fee);
    expect(after.market - before.market).toBe(0n);
    // Collateral unlocked, nothing left on the job's events but one of each step.
    const w = (await m.gql(`query($a: Address!) { worker(address: $a) { locked stake } }`, { a: me })).worker;
    expect(w.locked).toBe('0');
    expect(await m.events(job.id)).toEqual(['JobPosted', 'JobAssigned', 'ResultSubmitted', 'JobClosed']);
    expect(daemon.metrics.jobsRun.get({ outcome: 'succeeded' })).toBe(1);
    expect(daemon.metrics.pickupLatency.samples.length).toBe(1);
  });

  test('error: bad specs are refused with the reason, before any transaction', async () => {
    const nonce = await m.pub.getTransactionCount({ address: me });
    const skipsBefore = daemon.metrics.decisions.sum({ decision: 'skip' });
    const bad = [
      { spec: '{"version": 1, "script": "true",', reason: 'spec_invalid', detail: /^invalid JSON/ },
      { spec: { version: 2, script: 'true' }, reason: 'spec_invalid', detail: /^unknown spec version 2/ },
      { spec: { script: 'true' }, reason: 'spec_invalid', detail: /^missing field: version$/ },
      { spec: { version: 1 }, reason: 'spec_invalid', detail: /one of command and script is required/ },
      {
        spec: scriptSpec('cat /in/data.txt', { inputs: [{ name: 'data.txt', uri: `${inputs.url}/tampered.txt`, sha256: sha256(GOOD) }] }),
        reason: 'inputs',
        detail: /input "data.txt" .*sha256 mismatch/,
      },
    ];
    const jobs: Awaited<ReturnType<Stack["post"]>>[] = [];
    for (const b of bad) jobs.push(await m.post({ spec: b.spec, budget: parseEther('0.01') }));
    await waitFor('every bad job refused', () => daemon.metrics.decisions.sum({ decision: 'skip' }) >= skipsBefore + bad.length, 30_000);

    const refusals = logs().filter((l) => l.msg === 'job refused');
    for (const [i, b] of bad.entries()) {
      const line = refusals.find((l) => l.jobId === jobs[i]!.id);
      expect(line, `refusal of bad spec ${i}`).toBeDefined();
      expect(line!.reason).toBe(b.reason);
      expect(String(line!.detail)).toMatch(b.detail);
    }
    expect(daemon.metrics.decisions.get({ decision: 'skip', reason: 'spec_invalid' })).toBe(4);
    expect(daemon.metrics.decisions.get({ decision: 'skip', reason: 'inputs' })).toBe(1);
    // Not one transaction: no claim, no gas.
    expect(await m.pub.getTransactionCount({ address: me })).toBe(nonce);
    await m.synced();
    for (const j of jobs) expect((await m.job(j.id)).status).toBe('OPEN');

    // The same input with the right hash is taken and run.
    const good = await m.post({
      spec: scriptSpec('tr a-z A-Z < /in/data.txt > /out/upper.txt', { inputs: [{ name: 'data.txt', uri: `${inputs.url}/good.txt`, sha256: sha256(GOOD) }] }),
      budget: parseEther('0.01'),
    });
    const done = await m.jobIn(good.id, 'SUBMITTED');
    expect(untar(await fetchResult(done.resultHash, done.resultURI), 'upper.txt')).toBe(GOOD.toUpperCase());
    await m.send(CLIENT, 'release', [good.terms]);
  });

  test('probe: a job that runs out of memory is reported as failed (its report is the result) and the worker carries on', async () => {
    const job = await m.post({
      spec: scriptSpec("echo starting; x=$(head -c 300000000 /dev/zero | tr '\\0' x); echo survived > /out/x", { resources: { memoryMiB: 64, timeoutSeconds: 30 } }),
      budget: parseEther('0.01'),
    });
    const j = await waitFor('the failure report on-chain', async () => {
      const x = await m.job(job.id);
      return x.status === 'SUBMITTED' && x;
    });
    const report = JSON.parse(untar(await fetchResult(j.resultHash, j.resultURI), 'loom-failure.json'));
    expect(report).toMatchObject({ loom: 'job-failure', version: 1, jobId: job.id, stage: 'run', oomKilled: true });
    expect(report.reason).toMatch(/out of memory/);
    expect(daemon.metrics.jobsFailed.get({ stage: 'run' })).toBe(1);
    expect(logs().some((l) => l.msg === 'job failed; posting its failure report as the result' && l.jobId === job.id)).toBe(true);
    await m.send(CLIENT, 'release', [job.terms]);
  });

  test('behavior: an auction in USDC: the worker bids its price, is accepted, releases after the challenge window and withdraws; a bid not chosen is forgotten', async () => {
    const [client, treasury] = [addr(CLIENT), addr(TREASURY)];
    const before = { client: await usdcBalance(client), worker: await usdcBalance(me), treasury: await usdcBalance(treasury), market: await usdcBalance(m.market) };

    const budget = 100_000_000n; // 100 USDC
    const job = await m.post({ spec: scriptSpec('echo auction > /out/a.txt'), token: m.usdc, budget, mode: 1, challengeWindow: 60 });
    const bid = await waitFor('the worker bid', async () => {
      const b = (await m.gql(`query($id: ID!) { bids(jobId: $id) { edges { node { worker price status } } } }`, { id: job.id })).bids.edges[0]?.node;
      return b;
    });
    // 3.6 USDC/GPU-hour for 30 s is 30,000; 50% markup: 45,000.
    expect(bid).toEqual({ worker: me.toLowerCase(), price: '45000', status: 'ACTIVE' });
    expect(daemon.metrics.openBids.get()).toBe(1);
    await m.send(CLIENT, 'acceptBid', [job.terms, me]);
    const submitted = await waitFor('the result on-chain', async () => {
      const x = await m.job(job.id);
      return x.status === 'SUBMITTED' && x;
    });
    expect(untar(await fetchResult(submitted.resultHash, submitted.resultURI), 'a.txt')).toBe('auction\n');

    // Nobody releases: after the window, the worker may, and does.
    await m.warp(61);
    await waitFor('the worker releasing and withdrawing', () => BigInt(daemon.metrics.withdrawn.get({ token: m.usdc.toLowerCase() })) > 0n);
    await m.synced();
    const closed = await m.job(job.id);
    expect(closed.closeReason).toBe('COMPLETED');
    expect(logs().some((l) => l.msg === 'released after the challenge window' && l.jobId === job.id)).toBe(true);
    await m.send(CLIENT, 'withdraw', [m.usdc, client]);
    await m.send(TREASURY, 'withdraw', [m.usdc, treasury]);

    const price = 45_000n;
    const fee = (price * 100n) / 10_000n;
    expect(BigInt(closed.workerPayout)).toBe(price - fee);
    const after = { client: await usdcBalance(client), worker: await usdcBalance(me), treasury: await usdcBalance(treasury), market: await usdcBalance(m.market) };
    expect(after.client - before.client).toBe(-price);
    expect(after.worker - before.worker).toBe(price - fee);
    expect(after.treasury - before.treasury).toBe(fee);
    expect(after.market - before.market).toBe(0n);

    // Not chosen: another worker's bid is accepted; the daemon forgets its own.
    await m.send(OTHER_WORKER, 'register', [{ gpuModel: stringToHex('', { size: 32 }), gpuCount: 0, vramMiB: 0, cpuCores: 8, ramMiB: 8192, pricePerGpuHour: 0n, metadataURI: '' }], parseEther('1'));
    const lost = await m.post({ spec: scriptSpec('true'), token: m.usdc, budget, mode: 1 });
    await waitFor('the worker bid', () => daemon.metrics.openBids.get() === 1);
    await m.send(OTHER_WORKER, 'placeBid', [lost.terms, 40_000n]);
    await m.send(CLIENT, 'acceptBid', [lost.terms, addr(OTHER_WORKER)]);
    await waitFor('the bid forgotten', () => daemon.metrics.openBids.get() === 0);
    expect(logs().some((l) => l.msg === 'not chosen: the job went to another worker' && l.jobId === lost.id)).toBe(true);
  });

  test('behavior: restarted on changed hardware, the worker updates its claim and reopens itself; it resumes from its cursor', async () => {
    await daemon.stop();
    await m.send(WORKER, 'setAvailability', [false]);
    await m.synced();
    const logger = createWorkerLogger({ level: 'debug' }, { write: (s: string) => void logLines.push(s) });
    daemon = new WorkerDaemon({ config, account, logger, hardware: { claim: claimFor([], { cpuCores: 2, ramMiB: 8192 }), gpus: [] } });
    await daemon.start();
    const w = (await m.gql(`query($a: Address!) { worker(address: $a) { available claim { ramMiB cpuCores } } }`, { a: me })).worker;
    expect(w).toEqual({ available: true, claim: { ramMiB: 8192, cpuCores: 2 } });
    const started = logs().filter((l) => l.msg === 'following the market');
    expect(started.at(-1)).toMatchObject({ resumed: true });
    expect(logs().some((l) => l.msg === 'hardware claim updated')).toBe(true);
    // And it still works.
    const job = await m.post({ spec: scriptSpec('echo again > /out/a'), budget: parseEther('0.01') });
    await waitFor('the result on-chain', async () => (await m.job(job.id))?.status === 'SUBMITTED');
  });

  test('behavior: the API goes away and comes back: the worker resubscribes from its cursor and takes the job posted meanwhile', async () => {
    const reconnects = daemon.metrics.reconnects.total();
    const restart = await m.stopPonder();
    const job = await m.post({ spec: scriptSpec('echo meanwhile > /out/m'), budget: parseEther('0.01') });
    await new Promise((r) => setTimeout(r, 1000));
    await restart();
    // Ponder's restart alone can take tens of seconds on a loaded machine; on failure, say what the worker did.
    await waitFor('the job posted while the API was down, done', async () => (await m.job(job.id))?.status === 'SUBMITTED', 120_000).catch((err) => {
      throw new Error(`${(err as Error).message}\nthe worker's last log lines:\n${logLines.slice(-40).join('')}`);
    });
    expect(daemon.metrics.reconnects.total()).toBeGreaterThan(reconnects);
    expect(logs().some((l) => l.msg === 'the event stream failed; resubscribing' || l.msg === 'the event stream ended; resubscribing')).toBe(true);
  }, 240_000);

  test('behavior: the key is never logged', () => {
    const key = keyOf(WORKER);
    const text = logLines.join('');
    expect(text).not.toContain(key.slice(2));
    expect(text.length).toBeGreaterThan(1000);
  });
});
