/**
 * A million jobs (bench/README.md, "scale"): one anvil chain is grown to LOOM_SCALE_SMALL_JOBS
 * (10,000) jobs, indexed from genesis by Ponder on a fresh PostgreSQL database, and the API's common
 * reads are timed; then the same chain is grown to LOOM_SCALE_JOBS (1,000,000), indexed again from
 * genesis on another fresh database (the time it takes is `scale.indexSeconds`), and the same reads
 * are timed. Each read's p99 at the large size over its p99 at the small size is its ratio.
 *
 * The history comes from LoomBenchDriver.mix (bench/contracts): rounds of 12 jobs in every state
 * the UI filters on, 60 LoomMarket events a round, `ROUNDS_PER_TX` rounds per transaction,
 * `TXS_PER_BLOCK` transactions per block. anvil keeps no historical states (--prune-history): Ponder
 * reads only logs, blocks and the latest state.
 *
 * Each database is dropped, and anvil and Ponder are stopped, when the run ends (or fails).
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { print } from 'graphql';
import postgres from 'postgres';
import { encodeFunctionData, zeroAddress, type Hex } from 'viem';
import { JOB_COUNT_UP_TO } from '../sdk/format/counts.ts';
import { JobCardsQuery, JobEventsQuery, JobPageQuery, MatchWorkersQuery, StatsQuery, WorkerPageQuery, WorkersQuery } from '../sdk/documents.ts';
import { countLogs, startDriverChain, type DriverChain } from './lib/history.ts';
import { percentile } from './lib/percentile.ts';
import { rssOf } from './lib/processStats.ts';
import { replay, type Replay } from './lib/replay.ts';
import { rpc } from '../scripts/lib/rpc.ts';
import { startPonder } from '../indexer/run/ponderProcess.ts';

const log = (msg: string) => console.error(`  [scale] ${new Date().toISOString().slice(11, 19)} ${msg}`);
const round = (x: number, digits = 1) => Number(x.toFixed(digits));
const loadAverage = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

const JOBS_PER_ROUND = 12;
const EVENTS_PER_ROUND = 60;
/** Rounds per transaction: 96 jobs, ~480 events, ~30 M gas. */
const ROUNDS_PER_TX = Number(process.env.LOOM_SCALE_ROUNDS_PER_TX) || 8;
/**
 * Transactions per block: 3,840 jobs. Why many: anvil's work per block grows with its whole state
 * (an empty block took 34 ms at 10,000 jobs and 250 ms at 80,000), so one transaction a block fell
 * from ~2,900 to under 200 jobs/s as the history grew; per block of 40 the cost is shared.
 */
const TXS_PER_BLOCK = Number(process.env.LOOM_SCALE_TXS_PER_BLOCK) || 40;
const LARGE_JOBS = Number(process.env.LOOM_SCALE_JOBS) || 1_000_000;
const SMALL_JOBS = Number(process.env.LOOM_SCALE_SMALL_JOBS) || 10_000;
const WORKERS = 200;
/**
 * The market's pace: jobs posted per day of chain time. A longer history is more days at the same
 * pace (blocks are spaced accordingly, ending now), so a read over a window of days (`stats`, the
 * last 30 by default) sees the same volume at any size once the history is longer than the window.
 */
const JOBS_PER_DAY = Number(process.env.LOOM_SCALE_JOBS_PER_DAY) || 300;
const JOBS_PER_TX = ROUNDS_PER_TX * JOBS_PER_ROUND;
const SECONDS_PER_TX = (86_400 * JOBS_PER_TX) / JOBS_PER_DAY;
/** Timed requests per read (after WARMUP untimed ones); the p99 of 300 is its 3rd slowest. */
const SAMPLES = Number(process.env.LOOM_SCALE_SAMPLES) || 300;
const WARMUP = 30;
const BUDGET = 1_000_000_000_000n;
/** Where the PostgreSQL server logs (auto_explain writes the plans there); unreadable: no plans. */
const PG_LOG = process.env.LOOM_SCALE_PG_LOG ?? '/var/log/postgresql/postgresql-15-main.log';

/** Where the plans of the large run go (bench/README.md quotes them). */
const PLANS_FILE = '.cache/bench/scale-plans.md';

/** A read the UI makes: its document and, per request, its variables (from ids sampled from the database). */
type Read = { name: string; query: string; variables: (ids: Ids, i: number) => Record<string, unknown> };
/** `fromDay`..`toDay`: the 30 days ending on the head's day (the dashboard's window, on chain time). */
type Ids = { jobs: string[]; openJobs: string[]; workers: string[]; fromDay: string; toDay: string };

// As the web UI asks (ui/src/routes/jobsPage.ts): with the count, capped where the UI caps it.
const page = (filter: Record<string, unknown>, orderBy = 'POSTED_AT_DESC') => ({ filter, orderBy, first: 20, after: null, withCount: true, countUpTo: JOB_COUNT_UP_TO });
const OPEN = { status: ['OPEN'] };

/** The marketplace page under each filter (with the UI's default order) and each order (with its default filter). */
const READS: Read[] = [
  { name: 'jobs.open.newest', query: print(JobCardsQuery), variables: () => page(OPEN) },
  { name: 'jobs.open.oldest', query: print(JobCardsQuery), variables: () => page(OPEN, 'POSTED_AT_ASC') },
  { name: 'jobs.open.priceDesc', query: print(JobCardsQuery), variables: () => page(OPEN, 'PRICE_DESC') },
  { name: 'jobs.open.priceAsc', query: print(JobCardsQuery), variables: () => page(OPEN, 'PRICE_ASC') },
  { name: 'jobs.open.budgetDesc', query: print(JobCardsQuery), variables: () => page(OPEN, 'BUDGET_DESC') },
  { name: 'jobs.open.budgetAsc', query: print(JobCardsQuery), variables: () => page(OPEN, 'BUDGET_ASC') },
  { name: 'jobs.running', query: print(JobCardsQuery), variables: () => page({ status: ['ASSIGNED'] }) },
  { name: 'jobs.resultIn', query: print(JobCardsQuery), variables: () => page({ status: ['SUBMITTED'] }) },
  { name: 'jobs.closed', query: print(JobCardsQuery), variables: () => page({ status: ['CLOSED'] }) },
  { name: 'jobs.any', query: print(JobCardsQuery), variables: () => page({}) },
  { name: 'jobs.open.auction', query: print(JobCardsQuery), variables: () => page({ ...OPEN, mode: 'AUCTION' }) },
  {
    name: 'jobs.open.ethPriceRange',
    query: print(JobCardsQuery),
    variables: () => page({ ...OPEN, token: zeroAddress, minPrice: ((BUDGET * 9n) / 10n).toString(), maxPrice: BUDGET.toString() }, 'PRICE_DESC'),
  },
  { name: 'jobs.open.hardware', query: print(JobCardsQuery), variables: () => page({ ...OPEN, fitsGpuCount: 2, fitsVramMiB: 40_960 }) },
  { name: 'job', query: print(JobPageQuery), variables: (ids, i) => ({ id: ids.jobs[i % ids.jobs.length] }) },
  {
    name: 'jobEvents.job',
    query: print(JobEventsQuery),
    variables: (ids, i) => ({ filter: { jobId: ids.jobs[i % ids.jobs.length] }, order: 'ASC', first: 100, after: null }),
  },
  { name: 'jobEvents.latest', query: print(JobEventsQuery), variables: () => ({ order: 'DESC', first: 20, after: null }) },
  { name: 'worker', query: print(WorkerPageQuery), variables: (ids, i) => ({ address: ids.workers[i % ids.workers.length] }) },
  { name: 'workers', query: print(WorkersQuery), variables: () => ({ orderBy: 'REPUTATION_DESC', first: 20, after: null }) },
  { name: 'matchWorkers', query: print(MatchWorkersQuery), variables: (ids, i) => ({ jobId: ids.openJobs[i % ids.openJobs.length], first: 10 }) },
  { name: 'stats', query: print(StatsQuery), variables: (ids) => ({ fromDay: ids.fromDay, toDay: ids.toDay }) },
];

async function post(url: string, query: string, variables: Record<string, unknown>): Promise<void> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  const body = (await res.json()) as { errors?: unknown[] };
  if (!res.ok || body.errors) throw new Error(`HTTP ${res.status} ${JSON.stringify(body.errors ?? body).slice(0, 500)}`);
}

/** Job and worker ids to ask for, spread over the whole table (so a large table is not read hot). */
async function sampleIds(run: Replay): Promise<Ids> {
  const sql = postgres(run.databaseUrl!, { max: 1, onnotice: () => {} });
  try {
    const s = sql(run.schema);
    // What autovacuum does soon after a backfill: statistics, and the visibility map index-only scans need.
    await sql`vacuum analyze ${s}.job, ${s}.job_event, ${s}.worker, ${s}.bid`;
    const jobs = (await sql`select id from ${s}.job tablesample bernoulli (10) order by random() limit ${SAMPLES}`).map((r) => r.id as string);
    const openJobs = (await sql`select id from ${s}.job where status = 'OPEN' order by random() limit ${SAMPLES}`).map((r) => r.id as string);
    const workers = (await sql`select address from ${s}.worker order by random() limit ${SAMPLES}`).map((r) => r.address as string);
    const [{ last }] = await sql`select max(posted_at)::bigint as last from ${s}.job`;
    const day = (t: number) => new Date(t * 1000).toISOString().slice(0, 10);
    return { jobs, openJobs, workers, fromDay: day(Number(last) - 29 * 86_400), toDay: day(Number(last)) };
  } finally {
    await sql.end();
  }
}

type Latency = { p50: number; p99: number };

/** Each read, WARMUP untimed then SAMPLES timed requests one at a time: p50 and p99 in ms. */
async function measure(apiUrl: string, ids: Ids, label: string): Promise<Record<string, Latency>> {
  const latency: Record<string, Latency> = {};
  for (const read of READS) {
    for (let i = 0; i < WARMUP; i++) await post(apiUrl, read.query, read.variables(ids, i));
    const times: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      const variables = read.variables(ids, i + WARMUP);
      const t0 = performance.now();
      await post(apiUrl, read.query, variables);
      times.push(performance.now() - t0);
    }
    latency[read.name] = { p50: percentile(times, 50), p99: percentile(times, 99) };
    log(`${label} ${read.name}: p50 ${latency[read.name]!.p50.toFixed(1)} ms, p99 ${latency[read.name]!.p99.toFixed(1)} ms (load ${loadAverage()})`);
  }
  return latency;
}

/**
 * The plan of every SQL statement each read runs, as PostgreSQL executed it: a `ponder serve` on
 * the same database whose sessions load auto_explain (set on the database before it connects), one
 * request per read, the plans cut from the server's log. Empty when the log cannot be read.
 */
async function explainReads(run: Replay, ids: Ids, rpcUrl: string, deploymentFile: string): Promise<Record<string, string[]>> {
  try {
    statSync(PG_LOG);
  } catch {
    log(`no plans: cannot read ${PG_LOG} (LOOM_SCALE_PG_LOG)`);
    return {};
  }
  const dbName = new URL(run.databaseUrl!).pathname.slice(1);
  const admin = postgres(run.databaseUrl!, { max: 1, onnotice: () => {} });
  const plans: Record<string, string[]> = {};
  try {
    for (const setting of [
      `session_preload_libraries = 'auto_explain'`,
      `auto_explain.log_min_duration = 0`,
      `auto_explain.log_analyze = on`,
      `auto_explain.log_buffers = on`,
      `auto_explain.log_nested_statements = on`,
    ])
      await admin.unsafe(`alter database "${dbName}" set ${setting}`);
    const serve = await startPonder({ rpcUrl, deploymentFile, databaseUrl: run.databaseUrl, schema: run.schema, mode: 'serve', env: { LOG_LEVEL: 'warn' } });
    const textOf = (entry: string) => /Query Text: (.*)/.exec(entry)?.[1] ?? entry;
    const statementsIn = (text: string) =>
      text
        .split(/\n(?=\S+ \S+ UTC \[\d+\] )/)
        .filter((entry) => entry.includes('duration:') && entry.includes('Query Text:') && !entry.includes('_ponder_'))
        .map((entry) => entry.replace(/^\S+ \S+ UTC \[\d+\] \S*\s*LOG:\s*/, ''));
    try {
      // What the API runs with no request (the live feed's polling) is not any read's.
      const idleFrom = statSync(PG_LOG).size;
      await new Promise((r) => setTimeout(r, 2000));
      const idle = new Set(statementsIn(readFileSync(PG_LOG).subarray(idleFrom).toString('utf8')).map(textOf));
      for (const read of READS) {
        await post(`${serve.url}/graphql`, read.query, read.variables(ids, 1)); // the API's own first-use work
        await new Promise((r) => setTimeout(r, 200));
        const from = statSync(PG_LOG).size;
        await post(`${serve.url}/graphql`, read.query, read.variables(ids, 2));
        await new Promise((r) => setTimeout(r, 500));
        const text = readFileSync(PG_LOG).subarray(from).toString('utf8');
        plans[read.name] = statementsIn(text).filter((entry) => !idle.has(textOf(entry)));
      }
    } finally {
      await serve.stop();
    }
  } catch (err) {
    log(`no plans: ${(err as Error).message}`);
  } finally {
    await admin.end();
  }
  return plans;
}

/** Grows the chain to `jobs` jobs (whole rounds, whole transactions; `TXS_PER_BLOCK` to a block). */
async function grow(chain: DriverChain, state: { jobs: number; txs: number; time: number }, jobs: number) {
  const started = performance.now();
  const from = state.jobs;
  const data = encodeFunctionData({ abi: chain.abi, functionName: 'mix', args: [BigInt(ROUNDS_PER_TX), BUDGET] });
  const value = BUDGET * BigInt(JOBS_PER_TX);
  let last: Hex | undefined;
  let nextReport = from + 50_000;
  while (state.jobs < jobs) {
    const txs = Math.min(TXS_PER_BLOCK, Math.ceil((jobs - state.jobs) / JOBS_PER_TX));
    for (let i = 0; i < txs; i++) last = await chain.submit(data, value, ROUNDS_PER_TX * 6_000_000);
    // The block's time stands for its transactions' at the market's pace.
    state.time += txs * SECONDS_PER_TX;
    await rpc(chain.anvil.rpcUrl, 'evm_mine', [Math.round(state.time)]);
    if (state.txs === 0) await chain.mustSucceed(last!, 'mix');
    state.txs += txs;
    state.jobs += txs * JOBS_PER_TX;
    if (state.jobs >= nextReport) {
      nextReport += 50_000;
      const s = (performance.now() - started) / 1000;
      const rss = chain.anvil.process.pid ? `, anvil ${Math.round(rssOf(chain.anvil.process.pid) / 2 ** 20)} MB` : '';
      log(`generated ${state.jobs} jobs (${Math.round((state.jobs - from) / s)} jobs/s${rss}, load ${loadAverage()})`);
    }
  }
  if (last) await chain.mustSucceed(last, 'the last mix');
  // Past Ponder's unfinalized window, so that the whole history goes through its backfill.
  for (let i = 0; i < 40; i++) await rpc(chain.anvil.rpcUrl, 'evm_mine', [Math.round((state.time += 12))]);
  return (performance.now() - started) / 1000;
}

export async function scaleBench(): Promise<Record<string, number>> {
  const figures: Record<string, number> = {};
  // The chain starts as far in the past as the large history lasts, so that its head is about now.
  const genesis = Math.floor(Date.now() / 1000) - Math.ceil(Math.ceil(LARGE_JOBS / JOBS_PER_TX) * SECONDS_PER_TX) - 86_400;
  const chain = await startDriverChain({
    // No historical states kept; blocks as large as the driver's transactions.
    anvilArgs: ['--prune-history', '--gas-limit', String(TXS_PER_BLOCK * ROUNDS_PER_TX * 6_000_000 + 1_000_000), '--timestamp', String(genesis)],
    deploymentFile: '.cache/bench/deploy-scale.json',
    workers: WORKERS,
  });
  const head0 = await rpc<{ timestamp: Hex }>(chain.anvil.rpcUrl, 'eth_getBlockByNumber', ['latest', false]);
  const state = { jobs: 0, txs: 0, time: Number(head0.timestamp) };
  const history = (head: number) => ({ rpcUrl: chain.anvil.rpcUrl, deploymentFile: '.cache/bench/deploy-scale.json', head });
  const startBlock = chain.deployment.LoomMarket.startBlock;
  let generateSeconds = 0;
  try {
    const results: Record<'small' | 'large', Record<string, Latency>> = { small: {}, large: {} };
    let plans: Record<string, string[]> = {};
    for (const size of ['small', 'large'] as const) {
      generateSeconds += await grow(chain, state, size === 'small' ? SMALL_JOBS : LARGE_JOBS);
      const head = Number(await rpc<string>(chain.anvil.rpcUrl, 'eth_blockNumber'));
      log(`${size}: ${state.jobs} jobs in ${state.txs} transactions (head ${head}), ${round(generateSeconds)} s generating so far`);
      // Counted before Ponder and PostgreSQL take their share of the memory, and one block a
      // request (~19,000 logs, ~20 MB of JSON): anvil builds each response whole, and a range of
      // the whole history (5 GB of logs at a million jobs) had it killed for memory.
      const events = size === 'large' ? (await countLogs(chain.anvil.rpcUrl, chain.market, startBlock, head, 1)).events : 0;
      let nextReport = 60;
      const progress = (block: number, seconds: number) => {
        if (seconds < nextReport) return;
        nextReport += 60;
        const share = Math.max(0, block - startBlock) / (head - startBlock);
        log(`${size}: indexing, block ${block} of ${head} after ${Math.round(seconds)} s (~${Math.round((share * state.jobs * EVENTS_PER_ROUND) / JOBS_PER_ROUND / seconds)} events/s, load ${loadAverage()})`);
      };
      const run = await replay(history(head), { db: 'postgres', keep: true, timeoutMs: 4 * 3600_000, env: { LOG_LEVEL: 'warn' }, progress });
      try {
        log(`${size}: indexed in ${run.seconds.toFixed(1)} s (+${run.startupSec.toFixed(1)} s startup, load ${loadAverage()})`);
        const ids = await sampleIds(run);
        results[size] = await measure(`${run.ponder!.url}/graphql`, ids, size);
        if (size === 'large') {
          figures['scale.jobs'] = state.jobs;
          figures['scale.events'] = events;
          figures['scale.blocks'] = head - startBlock;
          figures['scale.indexSeconds'] = round(run.seconds);
          figures['scale.indexEventsPerSec'] = Math.round(events / run.seconds);
          figures['scale.generateSeconds'] = round(generateSeconds);
          figures['scale.generateJobsPerSec'] = Math.round(state.jobs / generateSeconds);
          await run.ponder!.stop();
          plans = await explainReads(run, ids, chain.anvil.rpcUrl, '.cache/bench/deploy-scale.json');
        } else {
          figures['scale.smallJobs'] = state.jobs;
        }
      } finally {
        await run.close();
      }
    }
    for (const read of READS) {
      const small = results.small[read.name]!;
      const large = results.large[read.name]!;
      for (const p of ['p50', 'p99'] as const) {
        figures[`scale.${read.name}.${p}Ms.small`] = round(small[p]);
        figures[`scale.${read.name}.${p}Ms.large`] = round(large[p]);
        figures[`scale.${read.name}.${p}Ratio`] = round(large[p] / small[p], 2);
      }
    }
    if (Object.keys(plans).length) {
      const text = Object.entries(plans).map(([name, statements]) => `### ${name}\n\n\`\`\`\n${statements.join('\n\n')}\n\`\`\`\n`);
      writeFileSync(PLANS_FILE, `# Plans at ${state.jobs} jobs\n\n${text.join('\n')}`);
      log(`plans written to ${PLANS_FILE}`);
    }
  } finally {
    await chain.anvil.stop();
  }
  return figures;
}
