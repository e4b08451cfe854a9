/**
 * GraphQL API under load, and subscription latency (bench/README.md, "api").
 *
 * One Ponder process on PostgreSQL replays the dense bench history (bench/lib/history.ts: ~100,000
 * events, ~21,000 jobs), then serves both our API (/graphql) and Ponder's own generated GraphQL
 * (/ponder-graphql, mounted with LOOM_PONDER_GRAPHQL=1) from the same database. autocannon asks each
 * for the same data: the 50 most recently posted jobs with their bids. Then a subscriber follows the
 * `jobEvents` subscription (SSE) while new lifecycles are mined, and each event's latency is timed
 * from the end of `evm_mine` to its arrival, split at the moment Ponder commits the block (its
 * notification, heard on the database). The indexer follows the chain as `npm start` has it follow the
 * local one (new heads over anvil's WebSocket); the `poll` part replays again polling every 100 ms.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import postgres from 'postgres';
import { encodeFunctionData, type Hex, zeroHash } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { decodeCheckpointBlock } from '../api/data/indexingStatus.ts';
import { abiOf } from '../sdk/contracts.ts';
import { anvilWsUrl, INDEXER_FINALITY_BLOCKS, mineWhile } from '../scripts/lib/anvil.ts';
import { compileDriver, loadHistory, type History } from './lib/history.ts';
import { rpc } from '../scripts/lib/rpc.ts';
import { replay } from './lib/replay.ts';
import { cpuMsOf } from './lib/processStats.ts';

const log = (msg: string) => console.error(`  [api] ${msg}`);
const round = (x: number, digits = 1) => Number(x.toFixed(digits));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const LOAD_SECONDS = 10;
/** Presence: registered workers sending heartbeats, and the rate they send at in all (LOOM_BENCH_HEARTBEATS_PER_SEC). */
const PRESENCE_WORKERS = 100;
const HEARTBEATS_PER_SEC = Number(process.env.LOOM_BENCH_HEARTBEATS_PER_SEC) || 1000;
/** LOOM_BENCH_API=graphql,presence,subscription,poll runs those parts (default all). */
const PARTS = new Set((process.env.LOOM_BENCH_API ?? 'graphql,presence,subscription,poll').split(',').map((x) => x.trim()));
/** The `poll` part's polling interval (ms): Ponder's 100 by default (LOOM_BENCH_POLL_MS). */
const POLL_MS = Number(process.env.LOOM_BENCH_POLL_MS) || 100;
const SUBSCRIPTION_BLOCKS = 130; // 4 events each: 520 events

/** Our API: the same fields as PONDER_QUERY, and bids as a connection. */
export const OUR_QUERY = `query JobsWithBids {
  jobs(first: 50, orderBy: POSTED_AT_DESC) {
    edges { node {
      id status worker price activeBids postedAt postedBlock
      terms { client budget mode }
      bids(first: 20) { edges { node { worker price status placedAt } } }
    } }
  }
}`;

/** Ponder's generated GraphQL (flat columns, relations as pages). */
export const PONDER_QUERY = `query JobsWithBids {
  jobs(limit: 50, orderBy: "postedBlock", orderDirection: "desc") {
    items {
      id status worker price activeBids postedAt postedBlock client budget mode
      bids(limit: 20) { items { worker price status placedAt } }
    }
  }
}`;

async function post(url: string, query: string): Promise<any> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
  const body = (await res.json()) as { data?: any; errors?: unknown[] };
  if (!res.ok || body.errors) throw new Error(`${url}: HTTP ${res.status} ${JSON.stringify(body.errors ?? body).slice(0, 500)}`);
  return body.data;
}

/**
 * Latency, throughput, and CPU milliseconds per request of the server (all its threads, and its main
 * thread alone: the one that serves GraphQL) and of autocannon (this process).
 */
type Load = { p50: number; p99: number; rps: number; serverCpuMs: number; serverMainCpuMs: number; loadGenCpuMs: number; requests: number };

async function load(url: string, query: string, connections: number, seconds: number, serverPid?: number): Promise<Load> {
  const server0 = cpuMsOf(serverPid);
  const main0 = cpuMsOf(serverPid, true);
  const self0 = process.cpuUsage();
  const result = await autocannon({
    url,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
    connections,
    duration: seconds,
  });
  const self = process.cpuUsage(self0);
  const server = cpuMsOf(serverPid) - server0;
  const main = cpuMsOf(serverPid, true) - main0;
  const failed = result.errors + result.timeouts + result.non2xx;
  if (failed) throw new Error(`${url}: ${failed} failed requests of ${result.requests.total} under load`);
  const n = result.requests.total;
  return {
    p50: result.latency.p50,
    p99: result.latency.p99,
    rps: result.requests.average,
    serverCpuMs: server / n,
    serverMainCpuMs: main / n,
    loadGenCpuMs: (self.user + self.system) / 1000 / n,
    requests: n,
  };
}

/** A minimal graphql-sse client ("distinct connections" mode): calls `onNext` with each payload. */
async function subscribe(url: string, query: string, onNext: (payload: any) => void) {
  const abort = new AbortController();
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
    body: JSON.stringify({ query }),
    signal: abort.signal,
  });
  if (!res.ok || !res.body) throw new Error(`subscription: HTTP ${res.status} ${await res.text()}`);
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  const done = (async () => {
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += decoder.decode(value, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const message = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          let event = 'message';
          let data = '';
          for (const line of message.split('\n')) {
            if (line.startsWith('event:')) event = line.slice(6).trim();
            else if (line.startsWith('data:')) data += line.slice(5).trim();
          }
          if (event === 'next' && data) onNext(JSON.parse(data));
          if (event === 'complete') return;
        }
      }
    } catch (err) {
      if (!abort.signal.aborted) throw err;
    }
  })();
  return { close: () => abort.abort(), done };
}

/** The machine's 1-minute load average, for the log (the machine may be shared). */
const uptimeLoad = () => {
  try {
    return `load ${readFileSync('/proc/loadavg', 'utf8').split(' ')[0]}`;
  } catch {
    return 'load ?';
  }
};

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

/** Per event, ms: from `evm_mine` returning to its delivery, and that split where Ponder committed its block. */
export type Freshness = {
  /** Mined -> delivered to the subscriber. */
  delivered: number[];
  /** Mined -> the block's rows committed (Ponder's `<schema>_live_query` notification heard). */
  indexed: number[];
  /** That notification -> delivered (the API's change feed and the SSE write). */
  served: number[];
};

/**
 * Hears Ponder's notification after each indexed block on `schema`'s channel and notes, per block,
 * when it was first heard (the block read from `_ponder_checkpoint` right after).
 */
async function commitTimes(databaseUrl: string, schema: string) {
  const at = new Map<number, number>();
  const sql = postgres(databaseUrl, { max: 2, onnotice: () => {} });
  let newest = -1;
  await sql.listen(`${schema}_live_query`, () => {
    const heard = performance.now();
    void sql
      .unsafe(`select latest_checkpoint from "${schema}"._ponder_checkpoint`)
      .then((rows) => {
        for (const row of rows) {
          const block = Number(decodeCheckpointBlock(String(row.latest_checkpoint)).number);
          // Every block up to it was committed by then (a quick one may share a notification).
          for (let b = Math.max(newest + 1, block - 50); b <= block; b++) if (!at.has(b)) at.set(b, heard);
          newest = Math.max(newest, block);
        }
      })
      .catch(() => {});
  });
  return { at, close: () => sql.end() };
}

/**
 * Mines lifecycles one block at a time and times each event from its block's mining to its delivery
 * (and to its block's commit, with `db`: the replay's database and schema).
 */
export async function subscriptionLatency(history: History, apiUrl: string, db?: { url: string; schema: string }): Promise<Freshness> {
  const mined = new Map<number, number>();
  const result: Freshness = { delivered: [], indexed: [], served: [] };
  let expected = 0;
  let received = 0;
  const commits = db ? await commitTimes(db.url, db.schema) : undefined;
  const sub = await subscribe(
    `${apiUrl}/graphql`,
    'subscription { jobEvents { retracted cursor event { id blockNumber name } } }',
    (payload) => {
      const now = performance.now();
      const delivery = payload?.data?.jobEvents;
      if (!delivery) throw new Error(`subscription: ${JSON.stringify(payload).slice(0, 500)}`);
      if (delivery.retracted) return;
      received++;
      const block = Number(delivery.event.blockNumber);
      const at = mined.get(block);
      if (at === undefined) return;
      result.delivered.push(now - at);
      const committed = commits?.at.get(block);
      if (committed !== undefined) {
        result.indexed.push(committed - at);
        result.served.push(now - committed);
      }
    },
  );
  try {
    await sleep(500); // let the subscription settle onto the live feed
    const { abi } = compileDriver();
    const budget = 1_000_000_000_000n;
    const data = encodeFunctionData({ abi, functionName: 'run', args: [1n, 0n, 0n, budget] });
    await rpc(history.rpcUrl, 'evm_setAutomine', [false]);
    let block = Number(await rpc<string>(history.rpcUrl, 'eth_blockNumber'));
    for (let i = 0; i < SUBSCRIPTION_BLOCKS; i++) {
      await rpc<Hex>(history.rpcUrl, 'eth_sendTransaction', [
        { from: history.owner, to: history.driver, data, value: `0x${budget.toString(16)}`, gas: '0x' + (2_000_000).toString(16) },
      ]);
      await rpc(history.rpcUrl, 'evm_mine');
      mined.set(++block, performance.now());
      expected += 4;
      // Spread blocks over Ponder's polling phase (100-300 ms apart).
      await sleep(100 + Math.random() * 200);
    }
    const deadline = Date.now() + 15_000;
    while (received < expected && Date.now() < deadline) await sleep(50);
    if (received < expected) throw new Error(`subscription: received ${received} of ${expected} events`);
  } finally {
    sub.close();
    await commits?.close();
    await rpc(history.rpcUrl, 'evm_setAutomine', [true]).catch(() => {});
  }
  if (result.delivered.length === 0) throw new Error(`subscription: no event from the ${mined.size} blocks mined (${[...mined.keys()][0]}...)`);
  for (const list of Object.values(result)) list.sort((x, y) => x - y);
  return result;
}

/** `prefix.latency.*` (mined -> delivered) and its split, `prefix.indexed.*` and `prefix.served.*` (p50, p99). */
function freshnessFigures(prefix: string, f: Freshness): Record<string, number> {
  const figures: Record<string, number> = {};
  for (const [stage, list] of [['latency', f.delivered], ['indexed', f.indexed], ['served', f.served]] as const) {
    if (list.length === 0) continue;
    figures[`${prefix}.${stage}.p50Ms`] = round(percentile(list, 50));
    figures[`${prefix}.${stage}.p99Ms`] = round(percentile(list, 99));
  }
  log(
    `${prefix}: ${f.delivered.length} events, p50 ${figures[`${prefix}.latency.p50Ms`]} ms, p99 ${figures[`${prefix}.latency.p99Ms`]} ms ` +
      `(indexed p50 ${figures[`${prefix}.indexed.p50Ms`]} / p99 ${figures[`${prefix}.indexed.p99Ms`]}, ` +
      `served p50 ${figures[`${prefix}.served.p50Ms`]} / p99 ${figures[`${prefix}.served.p99Ms`]}; ${uptimeLoad()})`,
  );
  return figures;
}

/** Registers `count` fresh EOA workers (anvil: funded and impersonated) and returns their keys. */
async function registerWorkers(history: History, count: number): Promise<Hex[]> {
  const keys: Hex[] = [];
  const claim = { gpuModel: zeroHash, gpuCount: 0, vramMiB: 0, cpuCores: 8, ramMiB: 16_384, pricePerGpuHour: 0n, metadataURI: '' };
  const data = encodeFunctionData({ abi: abiOf.registry, functionName: 'register', args: [claim] });
  for (let i = 0; i < count; i++) {
    const key = generatePrivateKey();
    const address = privateKeyToAccount(key).address;
    await rpc(history.rpcUrl, 'anvil_setBalance', [address, '0x56BC75E2D63100000']); // 100 ETH
    await rpc(history.rpcUrl, 'anvil_impersonateAccount', [address]);
    await rpc(history.rpcUrl, 'eth_sendTransaction', [{ from: address, to: history.deployment.LoomRegistry.address, data, gas: '0x' + (500_000).toString(16) }]);
    keys.push(key);
  }
  return keys;
}


/**
 * Heartbeats verified while serving the GraphQL load: rounds of `OUR_QUERY` at 10 connections with
 * the heartbeat load (bench/lib/heartbeatLoad.ts, its own process, at a fixed rate) and without it,
 * alternating, twice; the p99 of each kind is the mean of its rounds.
 */
async function presenceUnderLoad(history: History, ponder: { url: string; process: { pid?: number }; waitForBlock: (b: number) => Promise<void> }, ours: string): Promise<Record<string, number>> {
  log(`presence: registering ${PRESENCE_WORKERS} workers`);
  const keys = await registerWorkers(history, PRESENCE_WORKERS);
  await ponder.waitForBlock(Number(await rpc<string>(history.rpcUrl, 'eth_blockNumber')));
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/lib/heartbeatLoad.ts'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const answers = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const ask = async (line: string) => {
    child.stdin!.write(`${line}\n`);
    const answer = await answers.next();
    if (answer.done) throw new Error(`heartbeat load: the process ended (after "${line.slice(0, 40)}")`);
    return answer.value as string;
  };
  try {
    const config = { url: ponder.url, chainId: history.deployment.chainId, market: history.market, keys, rate: HEARTBEATS_PER_SEC, seconds: LOAD_SECONDS };
    if ((await ask(JSON.stringify(config))) !== 'ready') throw new Error('heartbeat load: not ready');
    // Warm-up, as the GraphQL load has one: each worker's first heartbeat opens its session (an
    // EIP-712 recovery) and asks the main thread whether it is registered; steady state is measured.
    for (const step of ['prepare', 'go']) await ask(step);
    const pid = ponder.process.pid;
    const mixed: Load[] = [];
    const alone: Load[] = [];
    const beats: { accepted: number; refused: number; errors: number }[] = [];
    for (let r = 0; r < 2; r++) {
      if ((await ask('prepare')) !== 'prepared') throw new Error('heartbeat load: not prepared');
      const [graphql, sent] = await Promise.all([load(ours, OUR_QUERY, 10, LOAD_SECONDS, pid), ask('go')]);
      mixed.push(graphql);
      beats.push(JSON.parse(sent));
      alone.push(await load(ours, OUR_QUERY, 10, LOAD_SECONDS, pid));
      const b = beats[r]!;
      log(
        `presence round ${r + 1}: ${Math.round(b.accepted / LOAD_SECONDS)} heartbeats/s accepted (${b.refused} refused, ${b.errors} errors); ` +
          `GraphQL p99 ${mixed[r]!.p99} ms with them (${Math.round(mixed[r]!.rps)} req/s), ${alone[r]!.p99} ms without (${Math.round(alone[r]!.rps)} req/s); ` +
          `server CPU with / without: main thread ${mixed[r]!.serverMainCpuMs.toFixed(2)} / ${alone[r]!.serverMainCpuMs.toFixed(2)} ms per GraphQL request, all threads ${mixed[r]!.serverCpuMs.toFixed(2)} / ${alone[r]!.serverCpuMs.toFixed(2)} (${uptimeLoad()})`,
      );
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    // The server's CPU a heartbeat costs: a mixed round's CPU less what its GraphQL requests cost at
    // the baseline rounds' rate per request, over the heartbeats accepted (steadier than latency on a
    // shared machine); in all its threads, and in the main thread alone (the one that serves GraphQL).
    const cpuPerHeartbeat = (key: 'serverCpuMs' | 'serverMainCpuMs') => {
      const baselinePerRequest = mean(alone.map((x) => x[key]));
      return mean(mixed.map((m, r) => (m[key] * m.requests - baselinePerRequest * m.requests) / Math.max(1, beats[r]!.accepted)));
    };
    const withP99 = mean(mixed.map((x) => x.p99));
    const withoutP99 = mean(alone.map((x) => x.p99));
    return {
      'api.presence.heartbeatsPerSec': round(mean(beats.map((b) => b.accepted / LOAD_SECONDS)), 0),
      'api.presence.serverCpuMsPerHeartbeat': round(cpuPerHeartbeat('serverCpuMs'), 3),
      'api.presence.mainThreadCpuMsPerHeartbeat': round(cpuPerHeartbeat('serverMainCpuMs'), 3),
      'api.presence.heartbeatsRefused': beats.reduce((a, b) => a + b.refused + b.errors, 0),
      'api.presence.graphql.c10.p99Ms': round(withP99),
      'api.presence.graphql.c10.baselineP99Ms': round(withoutP99),
      'api.presence.graphql.c10.p99Ratio': round(withP99 / withoutP99, 2),
      'api.presence.graphql.c10.rps': round(mean(mixed.map((x) => x.rps)), 0),
      'api.presence.graphql.c10.baselineRps': round(mean(alone.map((x) => x.rps)), 0),
    };
  } finally {
    child.kill();
  }
}

/**
 * A replay of the history that follows the chain as `npm start` follows the local one (new heads over
 * anvil's WebSocket) or polls it every `POLL_MS`, kept running once the chain's head is indexed.
 * Following heads, Ponder fetches the blocks it lacks only when a new head arrives (at most 50 per
 * head): the replay waits for the backfill (the head less the 30 unfinalized blocks), then mines
 * empty blocks until the head is indexed, as `npm start` does. Mined during the backfill, they would
 * pile up and leave the indexer that many blocks behind the first measured ones.
 */
async function followingReplay(history: History, how: 'heads' | 'poll', env: Record<string, string>) {
  const head = Number(await rpc<string>(history.rpcUrl, 'eth_blockNumber'));
  const follow: Record<string, string> = how === 'heads' ? { LOOM_WS_URL: anvilWsUrl(history.rpcUrl) } : { LOOM_WS_URL: '', LOOM_POLLING_MS: String(POLL_MS) };
  const untilBlock = how === 'heads' ? head - INDEXER_FINALITY_BLOCKS : head;
  const run = await replay(history, { db: 'postgres', keep: true, untilBlock, env: { LOG_LEVEL: 'warn', ...env, ...follow } });
  try {
    if (how === 'heads') await mineWhile(history.rpcUrl, run.ponder!.waitForBlock(head, 120_000));
  } catch (err) {
    await run.close();
    throw err;
  }
  return run;
}

/** The same subscription latency on a second replay whose indexer polls the node every `POLL_MS`. */
async function pollingFreshness(history: History): Promise<Record<string, number>> {
  log(`subscription, polling every ${POLL_MS} ms: replaying again`);
  const run = await followingReplay(history, 'poll', {});
  try {
    return freshnessFigures('api.subscription.poll', await subscriptionLatency(history, run.ponder!.url, { url: run.databaseUrl!, schema: run.schema }));
  } finally {
    await run.close();
  }
}

export async function apiBench(): Promise<Record<string, number>> {
  const figures: Record<string, number> = {};
  const history = await loadHistory('dense');
  try {
    log(`replaying ${history.events} events on PostgreSQL`);
    // The load comes from one address at full speed: the per-client request limit is off (api/README.md).
    const run = await followingReplay(history, 'heads', { LOOM_PONDER_GRAPHQL: '1', LOOM_API_REQUESTS_BURST: 'off' });
    try {
      const ponder = run.ponder!;
      const ours = `${ponder.url}/graphql`;
      const theirs = `${ponder.url}/ponder-graphql`;

      // Same data from both (job ids in order and every bid).
      const a = (await post(ours, OUR_QUERY)).jobs.edges.map((e: any) => e.node);
      const b = (await post(theirs, PONDER_QUERY)).jobs.items;
      const bids = (jobs: any[], list: (j: any) => any[]) => jobs.flatMap((j) => list(j).map((x) => `${j.id}:${x.worker}:${x.price}:${x.status}`)).sort();
      const sameJobs = JSON.stringify(a.map((j: any) => j.id).sort()) === JSON.stringify(b.map((j: any) => j.id).sort());
      const aBids = bids(a, (j) => j.bids.edges.map((e: any) => e.node));
      const bBids = bids(b, (j) => j.bids.items);
      if (a.length !== 50 || !sameJobs || JSON.stringify(aBids) !== JSON.stringify(bBids)) {
        throw new Error(`the two APIs answer different data: ${a.length} / ${b.length} jobs, ${aBids.length} / ${bBids.length} bids`);
      }
      figures['api.graphql.page.bids'] = aBids.length;

      // Steady state: the planner statistics autovacuum would gather within a minute or so of the
      // backfill (without them PostgreSQL scans \`bid\` rather than using its primary key).
      const sql = postgres(run.databaseUrl!, { max: 1, onnotice: () => {} });
      try {
        await sql.unsafe(`ANALYZE "${run.schema}".job, "${run.schema}".bid`);
      } finally {
        await sql.end();
      }
      log(`both APIs answer the same 50 jobs with ${aBids.length} bids; warming up`);

      await load(ours, OUR_QUERY, 10, 2);
      const pid = ponder.process.pid;
      if (PARTS.has('graphql')) {
        await load(theirs, PONDER_QUERY, 10, 2);

        const c1 = await load(ours, OUR_QUERY, 1, LOAD_SECONDS, pid);
        log(`ours, 1 connection: p50 ${c1.p50} ms, p99 ${c1.p99} ms, ${Math.round(c1.rps)} req/s`);
        // Alternate the two APIs, twice, so that drift on a shared machine hits both alike.
        const oursRuns: Load[] = [];
        const theirRuns: Load[] = [];
        for (let round = 0; round < 2; round++) {
          oursRuns.push(await load(ours, OUR_QUERY, 10, LOAD_SECONDS, pid));
          theirRuns.push(await load(theirs, PONDER_QUERY, 10, LOAD_SECONDS, pid));
          log(
            `10 connections, round ${round + 1}: ours p99 ${oursRuns[round]!.p99} ms, ${Math.round(oursRuns[round]!.rps)} req/s, ` +
              `server CPU ${oursRuns[round]!.serverCpuMs.toFixed(2)} ms/req; Ponder's p99 ${theirRuns[round]!.p99} ms, ` +
              `${Math.round(theirRuns[round]!.rps)} req/s, server CPU ${theirRuns[round]!.serverCpuMs.toFixed(2)} ms/req (${uptimeLoad()})`,
          );
        }
        const mean = (runs: Load[], key: keyof Load) => runs.reduce((s, r) => s + r[key], 0) / runs.length;
        figures['api.graphql.c1.p50Ms'] = round(c1.p50);
        figures['api.graphql.c1.p99Ms'] = round(c1.p99);
        figures['api.graphql.c10.p50Ms'] = round(mean(oursRuns, 'p50'));
        figures['api.graphql.c10.p99Ms'] = round(mean(oursRuns, 'p99'));
        figures['api.graphql.c10.rps'] = round(mean(oursRuns, 'rps'), 0);
        figures['api.graphql.ponder.c10.p99Ms'] = round(mean(theirRuns, 'p99'));
        figures['api.graphql.ponder.c10.rps'] = round(mean(theirRuns, 'rps'), 0);
        figures['api.graphql.c10.rpsRatio'] = round(figures['api.graphql.c10.rps']! / figures['api.graphql.ponder.c10.rps']!, 2);
        figures['api.graphql.c10.serverCpuMs'] = round(mean(oursRuns, 'serverCpuMs'), 2);
        figures['api.graphql.ponder.c10.serverCpuMs'] = round(mean(theirRuns, 'serverCpuMs'), 2);
        figures['api.graphql.c10.loadGenCpuMs'] = round(mean(oursRuns, 'loadGenCpuMs'), 2);
        figures['api.graphql.c10.cpuRatio'] = round(figures['api.graphql.c10.serverCpuMs']! / figures['api.graphql.ponder.c10.serverCpuMs']!, 3);
      }

      if (PARTS.has('presence')) Object.assign(figures, await presenceUnderLoad(history, ponder, ours));

      if (PARTS.has('subscription')) {
        log(`subscription, following new heads: mining ${SUBSCRIPTION_BLOCKS} blocks of 4 events`);
        const fresh = await subscriptionLatency(history, ponder.url, { url: run.databaseUrl!, schema: run.schema });
        figures['api.subscription.events'] = fresh.delivered.length;
        Object.assign(figures, freshnessFigures('api.subscription', fresh));
      }
    } finally {
      await run.close();
    }
    if (PARTS.has('poll')) Object.assign(figures, await pollingFreshness(history));
  } finally {
    await history.stop();
  }
  return figures;
}
