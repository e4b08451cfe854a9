/**
 * PostgreSQL stopped and restarted under indexing and serving. The indexer (Ponder, serving the API)
 * runs on a private PostgreSQL cluster of its own (testkit/postgres.ts: the shared server must never
 * stop); while a workload is mined and clients query, the cluster is stopped the hard way
 * (`pg_ctl stop -m immediate`: every connection cut, no shutdown checkpoint), kept down, and started
 * again (WAL recovery).
 *
 * - While it is down, every GraphQL query is answered, within the API's documented bound, with
 *   `extensions.code: UNAVAILABLE` and nothing internal (no stack trace, no driver message);
 *   /api/ready answers 503; /api/health stays up.
 * - Once it is back, with nobody's help: the API answers again, the indexer follows the chain again,
 *   and its state digest equals that of a clean replay of the same chain (PGlite).
 *
 * The seed is printed; LOOM_TEST_SEED replays the workload.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type Chain, startChain } from '../testkit/chain';
import { gql, type Indexer, startIndexer } from '../testkit/indexer';
import { startPostgres, type PrivatePostgres } from '../testkit/postgres';
import { keepLogs } from '../testkit/reaper';
import { waitFor } from '../testkit/waitFor';
import { connectMarket, type Market, type PostedJob, randomWorkload, WORKLOAD_JOB_DEFAULTS } from '../testkit/workload';

const seed = Number(process.env.LOOM_TEST_SEED ?? Math.floor(Math.random() * 2 ** 31));
/** How long PostgreSQL stays down. */
const OUTAGE_MS = 8_000;
/**
 * The longest a query may wait for an answer while the database is down: the API's documented bound
 * (api/README.md, "Errors"), plus room for a loaded machine.
 */
const ANSWER_BOUND_MS = 10_000 + 5_000;

let pg: PrivatePostgres;
let chain: Chain;
let m: Market;
let jobs: PostedJob[] = [];
let indexer: Indexer;
const log: string[] = [];

/** `cut`: refused or reset (the indexer restarting, after the outage); `no answer`: nothing within the bound. */
type Answer = { at: number; ms: number; status: number | 'cut' | 'no answer'; codes: string[]; text: string };

const head = () => chain.pub.getBlockNumber({ cacheTime: 0 });
const sleep = (ms: number) => new Promise((res) => setTimeout(res, ms));
const QUERIES = [
  '{ jobs(first: 10) { totalCount edges { node { id status bids { totalCount } } } } }',
  '{ workers(first: 5) { edges { node { address reputation } } } }',
  '{ jobEvents(first: 20) { edges { cursor node { id name } } } }',
  '{ market { feeBps } stats { day jobsPosted } }',
];

/** One query, timed; never throws (a missing answer is recorded as such). */
async function ask(url: string, query: string): Promise<Answer> {
  const at = Date.now();
  try {
    const res = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ query }),
      signal: AbortSignal.timeout(ANSWER_BOUND_MS),
    });
    const text = await res.text();
    let codes: string[] = [];
    try {
      codes = ((JSON.parse(text) as { errors?: { extensions?: { code?: string } }[] }).errors ?? []).map((e) => String(e.extensions?.code));
    } catch {}
    return { at, ms: Date.now() - at, status: res.status, codes, text };
  } catch (err) {
    const timedOut = (err as Error).name === 'TimeoutError';
    return { at, ms: Date.now() - at, status: timedOut ? 'no answer' : 'cut', codes: [], text: (err as Error).message };
  }
}

beforeAll(async () => {
  console.log(`postgresOutage.test seed: ${seed} (LOOM_TEST_SEED=${seed} replays the workload)`);
  pg = await startPostgres();
  chain = await startChain({ name: 'pg-outage', jobDefaults: WORKLOAD_JOB_DEFAULTS });
  m = connectMarket(chain);
  await m.setup();
  jobs = (await randomWorkload(m, seed, 30)).jobs;
  indexer = await startIndexer(chain, { schema: 'db_outage', postgres: pg.url, supervise: true });
  await indexer.waitForBlock(await head(), 120_000);
}, 180_000);

afterAll(() => {
  keepLogs('outage', () => `seed ${seed}\n${log.join('\n')}\n`);
});

test('behavior: PostgreSQL stopped under indexing and serving: UNAVAILABLE within the bound while down, then everything recovers by itself', async () => {
  let working = true;
  const workload = (async () => {
    for (let round = 1; working; round++) jobs = (await randomWorkload(m, seed + round, 6, jobs, { paceMs: 100 })).jobs;
  })();
  // Clients querying all along.
  const answers: Answer[] = [];
  let querying = true;
  const clients = Array.from({ length: 3 }, async (_, i) => {
    for (let n = i; querying; n++) {
      answers.push(await ask(indexer.url, QUERIES[n % QUERIES.length]!));
      await sleep(50);
    }
  });

  try {
    await sleep(1_000);
    const downAt = Date.now();
    await pg.stop('immediate');
    log.push(`PostgreSQL stopped (immediate) at +0 ms`);
    // While down: queries, readiness, health.
    const probes: Answer[] = [];
    const readiness: number[] = [];
    const health: number[] = [];
    while (Date.now() - downAt < OUTAGE_MS) {
      probes.push(...(await Promise.all(QUERIES.map((q) => ask(indexer.url, q)))));
      readiness.push(await fetch(`${indexer.url}/api/ready`, { signal: AbortSignal.timeout(ANSWER_BOUND_MS) }).then((res) => res.status, () => 0));
      health.push(await fetch(`${indexer.url}/api/health`, { signal: AbortSignal.timeout(ANSWER_BOUND_MS) }).then((res) => res.status, () => 0));
      await sleep(250);
    }
    const upAt = Date.now();
    await pg.start();
    log.push(`PostgreSQL started again at +${upAt - downAt} ms, accepting at +${Date.now() - downAt} ms`);

    // Every probe while down was answered, UNAVAILABLE, with nothing internal.
    expect(probes.length).toBeGreaterThan(10);
    for (const p of probes) {
      expect(typeof p.status, p.text).toBe('number');
      expect(p.codes.length, p.text).toBeGreaterThan(0);
      expect(new Set(p.codes), p.text).toEqual(new Set(['UNAVAILABLE']));
      expect(p.text).not.toMatch(/\n\s+at |stack|ECONNREFUSED|Connection terminated|postgres/i);
    }
    expect(new Set(readiness)).toEqual(new Set([503]));
    expect(new Set(health)).toEqual(new Set([200]));
    log.push(`while down: ${probes.length} probes, slowest answer ${Math.max(...probes.map((p) => p.ms))} ms`);

    // Back by itself: the API answers queries again.
    await waitFor('the API to answer queries again', async () => (await ask(indexer.url, QUERIES[0]!)).codes.length === 0 && true, 120_000, 250);
    log.push(`queries answered again at +${Date.now() - downAt} ms`);
    await sleep(2_000);
  } finally {
    working = false;
    await workload;
    querying = false;
    await Promise.all(clients);
  }

  // The indexer follows the chain again, to the same state as a clean replay.
  const finalHead = await head();
  await waitFor('the indexer to index the head again', async () => {
    const chains = Object.values(await indexer.status());
    return chains.length > 0 && BigInt(chains[0]!.block.number) >= finalHead;
  }, 120_000, 250);
  log.push(`indexer at the head (${finalHead})`);
  const replay = await startIndexer(chain, { schema: 'db_outage_replay' });
  await replay.waitForBlock(finalHead, 120_000);
  const digest = '{ stateDigest { digest scope atBlock tables { name rows sha256 } } }';
  const [mine, theirs] = [(await gql(indexer, digest)).stateDigest, (await gql(replay, digest)).stateDigest];
  expect(mine, `seed ${seed}`).toEqual(theirs);
  expect(mine.atBlock).toBe(finalHead.toString());

  // No client ever waited past the bound, and no answer showed anything internal.
  expect(answers.filter((a) => a.status === 'no answer')).toEqual([]);
  // Ponder was restarted once the database was back (it may have lost the last commits it made).
  expect(indexer.restarts()).toBeGreaterThanOrEqual(1);
  expect(answers.filter((a) => a.codes.some((c) => c !== 'UNAVAILABLE'))).toEqual([]);
  console.log(
    `postgresOutage (seed ${seed}): ${answers.length} client queries (${answers.filter((a) => a.codes.length).length} UNAVAILABLE, ` +
      `${answers.filter((a) => a.status === 'cut').length} cut while the indexer restarted), ${indexer.restarts()} restart(s), ` +
      `slowest ${Math.max(...answers.map((a) => a.ms))} ms; ${log.join('; ')}`,
  );
}, 300_000);
