/**
 * The worker daemon behind a misbehaving RPC (testkit/rpcProxy.ts): `loom-worker start` as operators
 * run it, with LOOM_RPC_URL pointing at a proxy in front of anvil that answers 429s, 5xx, hangs,
 * resets, slow and truncated responses from its first request (registration included), and loses
 * the answer to many of its transactions after anvil has taken them (reset, truncated, withheld:
 * the transaction is mined, the worker cannot know). Halfway through, the node is unreachable (503s)
 * while jobs are posted. The API (Ponder) reads anvil directly: only the worker's RPC misbehaves.
 *
 * Every job is claimed once, run, and its result submitted exactly once (one ResultSubmitted per job,
 * one claimJob and one submitResult transaction per job from the worker, none reverted, the nonce
 * accounted for by the worker's mined transactions); none is abandoned (all reach SUBMITTED); the
 * worker is still running and logged no unexpected error.
 *
 * LOOM_TEST_SEED replays the proxy's sequence of faults.
 */
import { type Hex, decodeFunctionData } from 'viem';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loomMarketAbi } from '../../abis/generated';
import { loomAbi } from '../../sdk/contracts';
import { type JobTerms, jobIdOf } from '../../sdk/jobTerms';
import { addressOf } from '../../testkit/accounts';
import { scriptSpec } from '../../testkit/jobs';
import { FAULT_KINDS, type RpcProxy, startRpcProxy } from '../../testkit/rpcProxy';
import { type Stack, startStack } from '../../testkit/stack';
import { waitFor } from '../../testkit/waitFor';
import { type WorkerProcess, startWorker } from '../../testkit/workers';
import { skipSandboxTests } from '../test/sandboxAvailability';

const seed = Number(process.env.LOOM_TEST_SEED ?? Math.floor(Math.random() * 2 ** 31));
const WORKER = 4;
const CLIENT = 1;
const me = addressOf(WORKER).toLowerCase() as Hex;
const RATES = { rateLimit: 0.05, serverError: 0.08, slow: 0.05, hang: 0.005, reset: 0.04, truncate: 0.04 };
/** The answer to a transaction lost after the node took it, often. */
const SEND_RATES = { serverError: 0.1, hang: 0.05, reset: 0.2, truncate: 0.2 };

let m: Stack;
let proxy: RpcProxy;
let worker: WorkerProcess;
let startBlock: bigint;
let startNonce: number;

const nonce = (tag: 'latest' | 'pending') => m.rpc<string>('eth_getTransactionCount', [me, tag]).then(Number);

beforeAll(async () => {
  if (skipSandboxTests) return;
  console.log(`rpcFaults (worker) seed: ${seed} (LOOM_TEST_SEED=${seed} replays the faults)`);
  m = await startStack({ name: 'worker-rpc-faults', indexer: true, artifacts: true, jobDefaults: { executionTimeout: 180, challengeWindow: 3600 } });
  proxy = await startRpcProxy(m.rpcUrl, { name: 'worker', seed, rates: RATES, methodRates: { eth_sendRawTransaction: SEND_RATES }, guaranteed: { kinds: [...FAULT_KINDS], every: 10 } });
  startBlock = await m.pub.getBlockNumber({ cacheTime: 0 });
  startNonce = await nonce('latest');
  const target = { apiUrl: m.ponder.url, rpcUrl: proxy.url, deploymentPath: m.deploymentPath, artifactUrl: m.artifactUrl, usdc: m.usdc };
  worker = await startWorker(target, WORKER, { env: { LOOM_HOUSEKEEPING_MS: '300' }, readyTimeoutMs: 120_000 });
}, 180_000);

afterAll(async () => {
  await m?.stop();
});

describe.skipIf(skipSandboxTests)('worker daemon behind a faulty RPC', () => {
  test('behavior: every job is taken, run and submitted exactly once; none abandoned; the worker keeps running', async () => {
    const jobs: Hex[] = [];
    const post = async (i: number) => jobs.push((await m.post({ client: CLIENT, spec: scriptSpec(`echo job ${i} > /out/n.txt`) })).id);
    const status = async (id: Hex) => (await m.job(id)).status as string;

    for (let i = 0; i < 3; i++) await post(i);
    await waitFor('the first job submitted', async () => (await status(jobs[0]!)) === 'SUBMITTED', 90_000, 200);

    // The node unreachable while two jobs are posted: the worker tries, fails, and takes them once it is back.
    await proxy.outage('unavailable');
    const before = proxy.counts().outage;
    for (let i = 3; i < 5; i++) await post(i);
    await waitFor('the worker to meet the outage', () => proxy.counts().outage >= before + 5, 60_000, 100);
    await proxy.restore();
    await post(5);

    await waitFor(
      'every job submitted',
      async () => {
        if (worker.child.exitCode !== null) throw new Error(`the worker exited with ${worker.child.exitCode}`);
        for (const id of jobs) if ((await status(id)) !== 'SUBMITTED') return false;
        return true;
      },
      150_000,
      250,
    );
    const counts = proxy.counts();
    console.log(`rpcFaults (worker) seed ${seed}: proxy ${JSON.stringify(counts)}`);

    // One ResultSubmitted per job on-chain.
    const submitted = await m.pub.getContractEvents({ address: m.market, abi: loomMarketAbi, eventName: 'ResultSubmitted', fromBlock: startBlock + 1n });
    for (const id of jobs) expect(submitted.filter((e) => e.args.jobId === id).length, `ResultSubmitted of ${id} (seed ${seed})`).toBe(1);

    // The worker's own transactions: one claim and one submit per job, none reverted, and every nonce it used is one of them.
    await waitFor('no transaction of the worker pending', async () => (await nonce('pending')) === (await nonce('latest')), 30_000);
    const head = await m.pub.getBlockNumber({ cacheTime: 0 });
    const txs = await m.txsOf(me, startBlock + 1n, head);
    // Any contract of the set: the worker registers with the registry, and claims and submits to the market.
    const calls = txs.map((tx) => decodeFunctionData({ abi: loomAbi, data: tx.input }));
    const per = (fn: string, id: Hex) => calls.filter((c) => c.functionName === fn && jobIdArg(c.args) === id).length;
    for (const id of jobs) {
      expect(per('claimJob', id), `claimJob of ${id} (seed ${seed})`).toBe(1);
      expect(per('submitResult', id), `submitResult of ${id} (seed ${seed})`).toBe(1);
    }
    for (const tx of txs) expect((await m.pub.getTransactionReceipt({ hash: tx.hash })).status, `${tx.hash} (seed ${seed})`).toBe('success');
    expect((await nonce('latest')) - startNonce, `nonces used (seed ${seed})`).toBe(txs.length);

    // The faults were there, on the worker's transactions too.
    expect(proxy.injectedTotal(), `seed ${seed}`).toBeGreaterThanOrEqual(10);
    for (const [kind, n] of Object.entries(counts.injected)) expect(n, `${kind} (seed ${seed})`).toBeGreaterThan(0);
    const lostSends = counts.byMethod.eth_sendRawTransaction ?? {};
    expect((lostSends.reset ?? 0) + (lostSends.truncate ?? 0) + (lostSends.hang ?? 0), `answers to transactions lost (seed ${seed})`).toBeGreaterThan(0);
    expect(counts.outage, `seed ${seed}`).toBeGreaterThan(0);

    // Still running, and nothing unexpected.
    expect(worker.child.exitCode).toBeNull();
    expect(worker.lines.filter((l) => l.msg === 'unexpected error in a background task')).toEqual([]);
  }, 300_000);
});

/** The job id a market call is about: the id of its terms (first argument), as the contract computes it. */
function jobIdArg(args: readonly unknown[] | undefined): Hex | undefined {
  const terms = args?.[0];
  if (!terms || typeof terms !== 'object') return undefined;
  return jobIdOf(terms as JobTerms).toLowerCase() as Hex;
}
