/**
 * The indexer behind a misbehaving RPC (testkit/rpcProxy.ts): Ponder indexes through a proxy that
 * answers 429s, 5xx, hangs, resets, slow and truncated responses at a seeded rate, whose WebSocket
 * (LOOM_WS_URL, new blocks) drops every few seconds, and which is unreachable three times while a
 * random lifecycle workload runs (connections refused, then reset, then 503s). Afterwards its state
 * digest equals that of a clean replay from genesis straight from anvil.
 *
 * What Ponder tolerates (node_modules/ponder/src/rpc/index.ts): every request is retried 9 times,
 * 125 ms × 2^i apart (about a minute in all), a 429 or a timeout also pauses that URL's rate bucket;
 * a 10 s timeout per request. The rates below stay well inside that: a request that fails ten times
 * in a row (or an outage longer than a minute) would stop the indexer.
 *
 * LOOM_TEST_SEED replays the workload and the proxy's sequence of faults.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type Chain, startChain } from '../../testkit/chain';
import { type Indexer, gql, startIndexer } from '../../testkit/indexer';
import { keepLogs } from '../../testkit/reaper';
import { FAULT_KINDS, type OutageMode, type RpcProxy, startRpcProxy } from '../../testkit/rpcProxy';
import { WORKLOAD_JOB_DEFAULTS, connectMarket, randomWorkload } from '../../testkit/workload';

const seed = Number(process.env.LOOM_TEST_SEED ?? Math.floor(Math.random() * 2 ** 31));
const STEPS = 80;
/** How long each outage lasts: well inside Ponder's minute of retries. */
const OUTAGE_MS = 3_000;
const RATES = { rateLimit: 0.04, serverError: 0.06, slow: 0.04, hang: 0.004, reset: 0.04, truncate: 0.04 };
const DIGEST = '{ stateDigest { digest scope atBlock version tables { name rows sha256 } } }';

let chain: Chain;
let proxy: RpcProxy;
let live: Indexer;
let head: bigint;
let workloadLog: string[] = [];
const outages: string[] = [];

beforeAll(async () => {
  console.log(`rpcFaults (indexer) seed: ${seed} (LOOM_TEST_SEED=${seed} reproduces the workload and the faults)`);
  chain = await startChain({ name: 'indexer-rpc-faults', jobDefaults: WORKLOAD_JOB_DEFAULTS });
  proxy = await startRpcProxy(chain.rpcUrl, { name: 'indexer', seed, rates: RATES, guaranteed: { kinds: [...FAULT_KINDS], every: 10 }, wsDropMs: [300, 2_000] });
  // Faults from the first request: the genesis guard and Ponder's start go through the proxy too.
  live = await startIndexer({ rpcUrl: proxy.url, deploymentFile: chain.deploymentFile }, { schema: 'rpc_faults_live', env: { LOOM_WS_URL: proxy.wsUrl } });
}, 150_000);

afterAll(() => {
  keepLogs('workload', () => `seed ${seed}\n${workloadLog.join('\n')}\n${outages.join('\n')}\n`);
});

test('behavior: indexed through a faulty RPC with outages, the state digest equals a clean replay', async () => {
  const m = connectMarket(chain);
  await m.setup();
  // The workload in four parts, the first three each under an outage held OUTAGE_MS (the workload
  // itself talks to anvil directly); after each, the indexer catches up with the chain.
  let jobs: Awaited<ReturnType<typeof randomWorkload>>['jobs'] = [];
  const modes: (OutageMode | undefined)[] = ['refuse', 'reset', 'unavailable', undefined];
  for (const [i, mode] of modes.entries()) {
    const heldUntil = Date.now() + OUTAGE_MS;
    if (mode) await proxy.outage(mode);
    const part = await randomWorkload(m, seed + i, STEPS / modes.length, jobs);
    jobs = part.jobs;
    workloadLog.push(...part.log);
    if (mode) {
      // The length of the fault, not a wait for a result.
      await new Promise((r) => setTimeout(r, Math.max(0, heldUntil - Date.now())));
      await proxy.restore();
      outages.push(`outage ${mode}: ${part.log.length} transactions mined while the node was unreachable`);
    }
    await live.waitForBlock(await chain.pub.getBlockNumber({ cacheTime: 0 }), 120_000);
  }
  head = await chain.pub.getBlockNumber({ cacheTime: 0 });
  await live.waitForBlock(head, 150_000);
  const counts = proxy.counts();
  console.log(`rpcFaults (indexer) seed ${seed}: head ${head}; ${outages.join('; ')}; proxy ${JSON.stringify(counts)}`);

  // The faults were there (every kind: `guaranteed`), and the indexer went on.
  expect(proxy.injectedTotal(), `seed ${seed}`).toBeGreaterThanOrEqual(20);
  for (const [kind, n] of Object.entries(counts.injected)) expect(n, `${kind} (seed ${seed})`).toBeGreaterThan(0);
  expect(counts.outage, `seed ${seed}`).toBeGreaterThan(0);
  expect(counts.webSockets, `seed ${seed}`).toBeGreaterThan(0);
  expect(counts.wsDropped, `seed ${seed}`).toBeGreaterThan(0);

  const fromLive = (await gql(live, DIGEST)).stateDigest;
  expect(fromLive).toMatchObject({ scope: 'FULL', atBlock: head.toString() });
  await live.stop();

  const replay = await startIndexer(chain, { schema: 'rpc_faults_replay' });
  await replay.waitForBlock(head, 120_000);
  const fromReplay = (await gql(replay, DIGEST)).stateDigest;
  expect(fromReplay, `seed ${seed}`).toEqual(fromLive);
}, 300_000);
