/**
 * Many SSE subscribers (bench/README.md, "sse"): delivery delay and memory of `ponder serve`
 * processes holding thousands of subscriptions, on loopback, bounded in count and time.
 *
 * One `ponder start` indexes a fresh chain (history `live`) into PostgreSQL; `ponder serve`
 * processes serve the API from the same database, with the per-client limits off (every subscriber
 * comes from 127.0.0.1) and their open-file limit raised. Subscribers are raw HTTP connections in
 * child processes (bench/lib/sseSubscribers.ts), a mix of four subscriptions (`MIX`). The bench then
 * mines one job lifecycle (4 events) per block, `BLOCK_INTERVAL_MS` apart, for `BLOCKS` blocks.
 *
 * Delivery delay: from the block's indexing to a message's arrival at a subscriber. "Indexed" is
 * when Ponder's notification that it committed the block (`pg_notify('<schema>_live_query')`, sent
 * by its checkpoint trigger in the block's transaction) reaches a LISTEN connection of this process:
 * the same signal that wakes the API's change feed. The block it names is read from
 * `_ponder_checkpoint` right then. Arrival is when the message's bytes reach the subscriber's socket.
 *
 * Memory: the serve process's RSS (VmRSS), sampled every 250 ms; its peak while the subscribers are
 * connected and events flow, less its RSS just before they connect, per thousand subscribers.
 *
 * Runs: one serve process with N subscribers, then two with N each (2N on the same indexer).
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import pg from 'pg';
import { encodeFunctionData } from 'viem';
import { decodeCheckpointBlock } from '../api/data/indexingStatus.ts';
import { withRaisedOpenFiles } from '../indexer/run/openFiles.ts';
import { startPonder, type Ponder } from '../indexer/run/ponderProcess.ts';
import { rpc } from '../scripts/lib/rpc.ts';
import { compileDriver, loadHistory, type History } from './lib/history.ts';
import { replay } from './lib/replay.ts';
import { cpuMsOf, rssOf } from './lib/processStats.ts';
import type { Config, Report } from './lib/sseSubscribers.ts';

const log = (msg: string) => console.error(`  [sse] ${msg}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const round = (x: number, digits = 1) => Number(x.toFixed(digits));
const now = () => performance.timeOrigin + performance.now();

/** Subscribers per API process (LOOM_BENCH_SSE_SUBSCRIBERS). */
const SUBSCRIBERS = Number(process.env.LOOM_BENCH_SSE_SUBSCRIBERS) || 10_000;
/** Subscriber processes per API process, and subscriptions each opens at once. */
const CLIENT_PROCESSES = 4;
const CONNECT_CONCURRENCY = 50;
const BLOCKS = Number(process.env.LOOM_BENCH_SSE_BLOCKS) || 10;
/** About a public L2's block time. */
const BLOCK_INTERVAL_MS = 2_000;
/** How long after the last block every message must have arrived. */
const DRAIN_MS = 180_000;

/**
 * The subscriptions, in equal shares, and what each receives per block (one CLAIM lifecycle:
 * JobPosted, JobClaimed, ResultSubmitted, JobClosed, all in one block, so the job changes once).
 */
const MIX: { query: string; perBlock: number }[] = [
  {
    query: 'subscription { jobEvents { retracted cursor event { id blockNumber name jobId } } }',
    perBlock: 4,
  },
  {
    query: 'subscription { jobEvents(filter: { names: ["JobPosted"] }) { retracted cursor event { id blockNumber name jobId } } }',
    perBlock: 1,
  },
  {
    query: 'subscription { jobUpdated { jobId headBlock retracted job { id status price worker } } }',
    perBlock: 1,
  },
  {
    query: 'subscription { jobUpdated(filter: { status: [CLOSED] }) { jobId headBlock retracted job { id status price worker } } }',
    perBlock: 1,
  },
];

/** What the serve processes run with: per-client limits off (all subscribers share one address). */
const SERVE_ENV = {
  LOG_LEVEL: 'warn',
  LOOM_API_REQUESTS_BURST: 'off',
  LOOM_API_STREAMS_PER_CLIENT: 'off',
};

const loadAverage = () => readFileSync('/proc/loadavg', 'utf8').split(' ')[0];

/** One subscriber process, driven line by line (bench/lib/sseSubscribers.ts). */
function subscriberProcess() {
  const child = spawn(...withRaisedOpenFiles(process.execPath, ['--import', 'tsx', 'bench/lib/sseSubscribers.ts']), { stdio: ['pipe', 'pipe', 'inherit'] });
  const answers = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const ask = async <T>(line: string): Promise<T> => {
    child.stdin!.write(`${line}\n`);
    const answer = await answers.next();
    if (answer.done) throw new Error(`SSE subscribers: the process ended (after "${line.slice(0, 40)}")`);
    return JSON.parse(answer.value as string) as T;
  };
  const close = () => {
    child.stdin!.write('close\n');
    return new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      child.once('exit', () => (clearTimeout(timer), resolve()));
    });
  };
  return { ask, close };
}

/**
 * Stamps each block with when its indexing was notified (LISTEN on Ponder's channel); `stop()`
 * returns block -> epoch ms.
 */
async function indexingClock(databaseUrl: string, schema: string) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const stamps: Record<string, number> = {};
  let reading = Promise.resolve();
  client.on('notification', () => {
    const at = now();
    reading = reading.then(async () => {
      const { rows } = await client.query(`select latest_checkpoint from "${schema}"._ponder_checkpoint`);
      for (const row of rows) {
        const block = String(decodeCheckpointBlock(String(row.latest_checkpoint)).number);
        stamps[block] ??= at;
      }
    });
  });
  await client.query(`LISTEN "${schema}_live_query"`);
  return {
    stamps,
    stop: async () => {
      await reading.catch(() => {});
      await client.end();
    },
  };
}

type Run = {
  subscribers: number;
  p50: number;
  p99: number;
  max: number;
  messages: number;
  mbPerThousand: number;
  /** The same, while connected and before any event. */
  idleMbPerThousand: number;
  cpuMsPerMessage: number;
  cpuMsPerSubscribe: number;
};

/** Subscribes `SUBSCRIBERS` to each API process, mines `BLOCKS` lifecycles, and measures. */
async function measure(history: History, indexer: { databaseUrl: string; schema: string }, apis: Ponder[]): Promise<Run> {
  const clients = apis.flatMap((api) =>
    Array.from({ length: CLIENT_PROCESSES }, (_, i) => {
      const count = Math.floor(SUBSCRIBERS / CLIENT_PROCESSES) + (i < SUBSCRIBERS % CLIENT_PROCESSES ? 1 : 0);
      const offset = i * Math.floor(SUBSCRIBERS / CLIENT_PROCESSES);
      const config: Config = {
        host: '127.0.0.1',
        port: api.port,
        queries: MIX.map((m) => m.query),
        perBlock: MIX.map((m) => m.perBlock),
        count,
        offset,
        concurrency: CONNECT_CONCURRENCY,
      };
      return { config, process: subscriberProcess() };
    }),
  );
  const pids = apis.map((api) => api.process.pid!);
  const baseline = pids.map(rssOf);
  const peak = [...baseline];
  const sampler = setInterval(() => pids.forEach((pid, i) => (peak[i] = Math.max(peak[i]!, rssOf(pid)))), 250);
  try {
    const started = performance.now();
    const cpu0 = pids.map((pid) => cpuMsOf(pid));
    const opened = await Promise.all(clients.map((c) => c.process.ask<{ open?: number; error?: string }>(JSON.stringify(c.config))));
    const failed = opened.find((o) => o.error);
    if (failed) throw new Error(`SSE subscribers: ${failed.error}`);
    const total = opened.reduce((n, o) => n + o.open!, 0);
    log(`${total} subscriptions open on ${apis.length} API process(es) in ${((performance.now() - started) / 1000).toFixed(1)} s (load ${loadAverage()})`);

    const cpu1 = pids.map((pid) => cpuMsOf(pid));
    // Held while connected and idle (before any event): what the subscriptions themselves cost.
    const connected = pids.map(rssOf);
    const cpu2: number[] = [];
    let reports: Report[] = [];
    const clock = await indexingClock(indexer.databaseUrl, indexer.schema);
    try {
      const { abi } = compileDriver();
      const budget = 1_000_000_000_000n;
      const data = encodeFunctionData({
        abi,
        functionName: 'run',
        args: [1n, 0n, 0n, budget],
      });
      await rpc(history.rpcUrl, 'evm_setAutomine', [false]);
      const mined: number[] = [];
      try {
        let block = Number(await rpc<string>(history.rpcUrl, 'eth_blockNumber'));
        for (let i = 0; i < BLOCKS; i++) {
          await rpc(history.rpcUrl, 'eth_sendTransaction', [
            {
              from: history.owner,
              to: history.driver,
              data,
              value: `0x${budget.toString(16)}`,
              gas: '0x' + (2_000_000).toString(16),
            },
          ]);
          await rpc(history.rpcUrl, 'evm_mine');
          mined.push(++block);
          await sleep(BLOCK_INTERVAL_MS);
        }
      } finally {
        await rpc(history.rpcUrl, 'evm_setAutomine', [true]).catch(() => {});
      }
      // Every message delivered (a slow server takes longer than the blocks did), within DRAIN_MS.
      const deadline = Date.now() + DRAIN_MS;
      let indexedAt: Record<string, number> = {};
      for (;;) {
        indexedAt = Object.fromEntries(mined.filter((b) => clock.stamps[b] !== undefined).map((b) => [b, clock.stamps[b]!]));
        const stamped = Object.keys(indexedAt).length === mined.length;
        reports = await Promise.all(clients.map((c) => c.process.ask<Report>(`report ${JSON.stringify(indexedAt)}`)));
        const short = reports.reduce((n, r) => n + r.short, 0);
        const ended = reports.reduce((n, r) => n + r.ended, 0);
        if (ended) throw new Error(`SSE: ${ended} stream(s) ended early`);
        if (stamped && !short) break;
        if (Date.now() > deadline) {
          throw new Error(
            `SSE: after ${DRAIN_MS / 1000} s, ${mined.length - Object.keys(indexedAt).length} block(s) without an indexing notification, ${short} subscriber(s) still missing messages`,
          );
        }
        await sleep(1_000);
      }
      cpu2.push(...pids.map((pid) => cpuMsOf(pid)));
    } finally {
      await clock.stop();
    }
    return summary(reports, total, { baseline, connected, peak, cpu: [cpu0, cpu1, cpu2] });
  } finally {
    clearInterval(sampler);
    await Promise.all(clients.map((c) => c.process.close()));
  }
}

/** Percentiles over every subscriber's messages, memory per thousand subscribers, CPU per message and per subscribe. */
function summary(reports: Report[], total: number, server: { baseline: number[]; connected: number[]; peak: number[]; cpu: [number[], number[], number[]] }): Run {
  const { baseline, connected, peak } = server;
  const [cpu0, cpu1, cpu2] = server.cpu;
  const histogram = new Map<number, number>();
  for (const r of reports) for (const [ms, n] of Object.entries(r.histogram)) histogram.set(Number(ms), (histogram.get(Number(ms)) ?? 0) + n);
  const messages = reports.reduce((n, r) => n + r.messages, 0);
  const at = (p: number) => {
    const rank = Math.ceil((p / 100) * messages);
    let seen = 0;
    for (const ms of [...histogram.keys()].sort((a, b) => a - b)) if ((seen += histogram.get(ms)!) >= rank) return ms;
    return NaN;
  };
  const mbPerThousand = Math.max(...peak.map((p, i) => p - baseline[i]!)) / 1e6 / (SUBSCRIBERS / 1000);
  const idleMbPerThousand = Math.max(...connected.map((c, i) => c - baseline[i]!)) / 1e6 / (SUBSCRIBERS / 1000);
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  // The API processes' CPU while the blocks were delivered (less the feed's own reads, a few ms a block).
  const cpuMsPerMessage = (sum(cpu2) - sum(cpu1)) / messages;
  const cpuMsPerSubscribe = (sum(cpu1) - sum(cpu0)) / total;
  return {
    subscribers: total,
    p50: at(50),
    p99: at(99),
    max: at(100),
    messages,
    mbPerThousand,
    idleMbPerThousand,
    cpuMsPerMessage,
    cpuMsPerSubscribe,
  };
}

export async function sseBench(): Promise<Record<string, number>> {
  const history = await loadHistory('live');
  const apis: Ponder[] = [];
  try {
    const run = await replay(history, { db: 'postgres', keep: true });
    try {
      const indexer = { databaseUrl: run.databaseUrl!, schema: run.schema };
      const serve = () =>
        startPonder({
          rpcUrl: history.rpcUrl,
          deploymentFile: history.deploymentFile,
          databaseUrl: indexer.databaseUrl,
          schema: indexer.schema,
          mode: 'serve',
          guard: false,
          raiseOpenFiles: true,
          env: SERVE_ENV,
        });
      apis.push(await serve());
      const one = await measure(history, indexer, apis);
      log(
        `1 API process, ${one.subscribers} subscribers: ${one.messages} messages, delivery p50 ${one.p50} ms, p99 ${one.p99} ms, max ${one.max} ms; ${one.mbPerThousand.toFixed(1)} MB per thousand (${one.idleMbPerThousand.toFixed(1)} while idle); server CPU ${one.cpuMsPerSubscribe.toFixed(2)} ms per subscribe, ${one.cpuMsPerMessage.toFixed(3)} ms per message (load ${loadAverage()})`,
      );
      apis.push(await serve());
      const two = await measure(history, indexer, apis);
      log(
        `2 API processes, ${two.subscribers} subscribers: ${two.messages} messages, delivery p50 ${two.p50} ms, p99 ${two.p99} ms, max ${two.max} ms; ${two.mbPerThousand.toFixed(1)} MB per thousand (load ${loadAverage()})`,
      );
      return {
        'api.sse.subscribers': one.subscribers,
        'api.sse.messages': one.messages,
        'api.sse.deliveryP50Ms': one.p50,
        'api.sse.deliveryP99Ms': one.p99,
        'api.sse.mbPerThousand': round(one.mbPerThousand),
        'api.sse.idleMbPerThousand': round(one.idleMbPerThousand),
        'api.sse.serverCpuMsPerMessage': round(one.cpuMsPerMessage, 3),
        'api.sse.serverCpuMsPerSubscribe': round(one.cpuMsPerSubscribe, 2),
        'api.sse.replicas2.subscribers': two.subscribers,
        'api.sse.replicas2.deliveryP50Ms': two.p50,
        'api.sse.replicas2.deliveryP99Ms': two.p99,
        'api.sse.replicas2.mbPerThousand': round(two.mbPerThousand),
      };
    } finally {
      await Promise.all(apis.map((api) => api.stop()));
      await run.close();
    }
  } finally {
    await history.stop();
  }
}
