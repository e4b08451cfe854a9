/**
 * The indexer killed: kill -9 of the indexing process (Ponder's whole process group) at seeded random
 * moments, during the backfill of a history and during live indexing while a workload runs, each
 * time restarted on the same database and port (PostgreSQL when DATABASE_URL is set, else PGlite).
 *
 * - After a restart that gets far enough to be ready (a sample of the restarts: the kill moments are
 *   random), the event log's digest at its indexed block equals an uninterrupted indexer's at that
 *   block; at the end of each phase the whole state's digest equals the uninterrupted one's.
 * - A client following the event log with the SDK (`listen` from a cursor, resubscribing with its
 *   last cursor whenever the stream fails) ends with exactly the uninterrupted indexer's events
 *   after its first cursor, which are the chain's own logs: nothing missed, nothing twice.
 *
 * The seed is printed; LOOM_TEST_SEED replays the workload and the kill moments. LOOM_KILL_POINTS
 * sets the kills per phase (default 10 each).
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type Ponder, startPonder } from '../run/ponderProcess';
import { type Chain, startChain } from '../../testkit/chain';
import { createDatabase } from '../../testkit/database';
import { followEvents, type EventFollower } from '../../testkit/eventFollower';
import { gql, type Indexer, startIndexer } from '../../testkit/indexer';
import { keepLogs, registerProcess } from '../../testkit/reaper';
import { tempDir } from '../../testkit/tempDir';
import { waitFor } from '../../testkit/waitFor';
import { connectMarket, type Market, type PostedJob, prng, randomWorkload, WORKLOAD_JOB_DEFAULTS } from '../../testkit/workload';
import { freePort } from '../run/freePort';
import { join } from 'node:path';

const seed = Number(process.env.LOOM_TEST_SEED ?? Math.floor(Math.random() * 2 ** 31));
const KILLS_PER_PHASE = Number(process.env.LOOM_KILL_POINTS ?? 10);
const HISTORY_STEPS = 120;
const postgresUrl = process.env.DATABASE_URL;
const SCHEMA = 'kill9';

type Digest = { digest: string; scope: string; atBlock: string };
type KillPoint = { phase: 'backfill' | 'live'; n: number; afterMs: number; ready: boolean; indexed: number | null };
type Check = { phase: string; atBlock: string; scope: string; equal: boolean };

let chain: Chain;
let m: Market;
let jobs: PostedJob[] = [];
let clean: Indexer;
const kills: KillPoint[] = [];
const checks: Check[] = [];
const log: string[] = [];
const r = prng(seed);

/** How the killed indexer is started, every time on the same data and port. */
let target: { port: number; databaseUrl?: string; pgliteDir?: string; artifactDir: string };
let incarnation = 0;
/** How long a start of the indexer under test takes until its API answers (sets the kill moments' range). */
let startupMs = 0;

const head = () => chain.pub.getBlockNumber({ cacheTime: 0 });
const sleep = (ms: number) => new Promise((res) => setTimeout(res, ms));
const digestAt = async (url: string, atBlock?: bigint): Promise<Digest> =>
  (await gql(url, 'query($b: BigInt) { stateDigest(atBlock: $b) { digest scope atBlock } }', { b: atBlock?.toString() ?? null })).stateDigest;

/** Spawns the indexer under test (not waiting for anything), registered with the reaper. */
async function spawnIndexer(env: Record<string, string> = {}): Promise<Ponder> {
  incarnation++;
  const ponder = await startPonder({
    rpcUrl: chain.rpcUrl,
    deploymentFile: chain.deploymentFile,
    schema: SCHEMA,
    port: target.port,
    databaseUrl: target.databaseUrl,
    pgliteDir: target.pgliteDir,
    env: { LOOM_ARTIFACT_DIR: target.artifactDir, ...env },
    waitReady: false,
  });
  registerProcess(`ponder ${SCHEMA} #${incarnation}`, ponder.process, { group: true, logs: ponder.logs });
  return ponder;
}

/** kill -9 of the indexer's process group; resolves once it is gone. */
async function kill9(ponder: Ponder): Promise<void> {
  if (ponder.process.exitCode !== null || ponder.process.signalCode !== null) return;
  const gone = new Promise((res) => ponder.process.once('exit', res));
  process.kill(-ponder.process.pid!, 'SIGKILL');
  await gone;
}

const isReady = (url: string) => fetch(`${url}/ready`, { signal: AbortSignal.timeout(2_000) }).then((res) => res.ok, () => false);
const indexedBlock = async (ponder: Ponder): Promise<number | null> => {
  try {
    const chains = Object.values(await ponder.status());
    return chains[0]?.block.number ?? null;
  } catch {
    return null;
  }
};

/**
 * While `ponder` lives: once it is ready, compares its event log's digest at the block before its
 * indexed head with the uninterrupted indexer's (which has indexed past it). A kill may cut it short.
 */
async function checkWhileAlive(ponder: Ponder, phase: string): Promise<void> {
  const alive = () => ponder.process.exitCode === null && ponder.process.signalCode === null;
  try {
    while (alive() && !(await isReady(ponder.url))) await sleep(100);
    if (!alive()) return;
    const at = await indexedBlock(ponder);
    if (at === null || at < 2) return;
    const block = BigInt(at - 1);
    const mine = await digestAt(ponder.url, block);
    if (!alive()) return;
    await clean.waitForBlock(at, 30_000);
    const theirs = await digestAt(clean.url, block);
    checks.push({ phase, atBlock: mine.atBlock, scope: mine.scope, equal: mine.digest === theirs.digest && mine.scope === theirs.scope });
  } catch {
    // Killed mid-check: this restart is simply not part of the sample.
  }
}

/** When to kill: `ms` after the start, or as soon as `block` is indexed (at the latest `ms` after the start). */
type Moment = { ms: number; block?: number };

/**
 * `count` kill points: each time the indexer is started, killed with SIGKILL at a seeded random
 * moment drawn by `draw`, and started again. Returns the next incarnation, started and left alive.
 */
async function killLoop(phase: 'backfill' | 'live', count: number, draw: (lastIndexed: number) => Moment, env: Record<string, string> = {}): Promise<Ponder> {
  let lastIndexed = 0;
  for (let n = 1; n <= count; n++) {
    const moment = draw(lastIndexed);
    const ponder = await spawnIndexer(env);
    const started = Date.now();
    const checking = checkWhileAlive(ponder, phase);
    const exited = new Promise((res) => ponder.process.once('exit', res));
    const reached = async () => {
      if (moment.block === undefined) return sleep(moment.ms);
      while (Date.now() - started < moment.ms && ((await indexedBlock(ponder)) ?? -1) < moment.block) await sleep(20);
    };
    await Promise.race([reached(), exited]);
    if (ponder.process.exitCode !== null) throw new Error(`the indexer exited by itself (${ponder.process.exitCode}) before kill point ${phase} ${n}\n${ponder.logs().slice(-3000)}`);
    const afterMs = Date.now() - started;
    const [ready, indexed] = await Promise.all([isReady(ponder.url), indexedBlock(ponder)]);
    await kill9(ponder);
    await checking;
    kills.push({ phase, n, afterMs, ready, indexed });
    lastIndexed = Math.max(lastIndexed, indexed ?? 0);
    log.push(`kill -9 #${kills.length} (${phase} ${n}, ${moment.block === undefined ? `${moment.ms} ms` : `block ${moment.block}`}) ${afterMs} ms after start: ${ready ? 'ready' : 'not ready'}, indexed block ${indexed ?? 'none'}`);
  }
  return spawnIndexer(env);
}

beforeAll(async () => {
  console.log(`kill9.test seed: ${seed} (LOOM_TEST_SEED=${seed} replays the workload and the kill moments)`);
  chain = await startChain({ name: 'kill9', jobDefaults: WORKLOAD_JOB_DEFAULTS });
  m = connectMarket(chain);
  await m.setup();
  jobs = (await randomWorkload(m, seed, HISTORY_STEPS)).jobs;
  // The uninterrupted indexer, in a database of its own: it follows the chain for the whole test.
  clean = await startIndexer(chain, { schema: 'kill9_clean', ...(postgresUrl ? { postgres: postgresUrl } : {}) });
  await clean.waitForBlock(await head(), 120_000);
  target = {
    port: await freePort(),
    artifactDir: tempDir('kill9-artifacts'),
    ...(postgresUrl ? { databaseUrl: (await createDatabase(postgresUrl, 'loom_kill9')).url } : { pgliteDir: join(tempDir('kill9'), 'pglite') }),
  };
}, 180_000);

afterAll(() => {
  keepLogs('kill points', () => `seed ${seed}\n${log.join('\n')}\n${JSON.stringify(checks, null, 1)}\n`);
});

test('behavior: kill -9 at 20 random points in backfill and live indexing: the same digests as an uninterrupted indexer, and a resuming subscriber misses and repeats nothing', async () => {
  const started = Date.now();
  const backfillHead = await head();
  const referenceAtBackfill = await digestAt(clean.url);
  expect(referenceAtBackfill).toMatchObject({ scope: 'FULL', atBlock: backfillHead.toString() });

  // The follower starts after the clean indexer's first event and talks to the killed one only.
  const first = (await gql(clean.url, '{ jobEvents(first: 1) { edges { cursor node { id } } } }')).jobEvents.edges[0];
  const follower: EventFollower = followEvents(`http://127.0.0.1:${target.port}`, first.cursor);

  // Phase 1, backfill, at a rate limit of 40 RPC requests/s (two of Ponder's buckets) that spreads
  // it over seconds: the first kill when the API first answers (which measures a start), then at
  // a random moment of a start (build, migration, crash recovery), or when a random block of the
  // history not yet seen indexed is.
  const startBlock = chain.deployment.LoomMarket.startBlock;
  const slow = { LOOM_RPC_BUCKETS: '2' };
  const firstStart = await spawnIndexer(slow);
  const t0 = Date.now();
  await waitFor('the first start to serve', async () => (await indexedBlock(firstStart)) !== null || (await fetch(`${firstStart.url}/health`)).ok, 120_000, 25);
  startupMs = Date.now() - t0;
  const firstIndexed = await indexedBlock(firstStart);
  await kill9(firstStart);
  kills.push({ phase: 'backfill', n: 0, afterMs: startupMs, ready: false, indexed: firstIndexed });
  log.push(`kill -9 #1 (backfill 0) when the API first answered, ${startupMs} ms after start, indexed block ${firstIndexed ?? 'none'}`);
  const backfillDraw = (lastIndexed: number): Moment =>
    r.next() < 0.3
      ? { ms: r.int(100, startupMs) }
      : { ms: startupMs + 10_000, block: r.int(Math.min(Math.max(lastIndexed + 1, startBlock), Number(backfillHead)), Number(backfillHead)) };
  let ponder = await killLoop('backfill', KILLS_PER_PHASE - 1, backfillDraw, slow);
  await caughtUp(ponder, backfillHead);
  const afterBackfill = await digestAt(ponder.url);
  expect(afterBackfill, `seed ${seed}`).toEqual(referenceAtBackfill);
  checks.push({ phase: 'backfill end', atBlock: afterBackfill.atBlock, scope: afterBackfill.scope, equal: true });
  await kill9(ponder);

  // Phase 2, live: a workload runs while the indexer is killed and restarted.
  let working = true;
  const workload = (async () => {
    for (let round = 1; working; round++) jobs = (await randomWorkload(m, seed + round, 8, jobs, { paceMs: 150 })).jobs;
  })();
  try {
    ponder = await killLoop('live', KILLS_PER_PHASE, () => ({ ms: r.int(Math.round(startupMs * 0.7), startupMs + 4_000) }));
  } finally {
    working = false;
    await workload;
  }
  const finalHead = await head();
  await caughtUp(ponder, finalHead);
  await clean.waitForBlock(finalHead, 120_000);
  const [mine, theirs] = [await digestAt(ponder.url), await digestAt(clean.url)];
  expect(mine.atBlock).toBe(finalHead.toString());
  expect(mine, `seed ${seed}`).toEqual(theirs);
  checks.push({ phase: 'live end', atBlock: mine.atBlock, scope: mine.scope, equal: true });

  // The follower: exactly the uninterrupted indexer's events after its first cursor, which are the
  // chain's own logs.
  const reference = await allEventIds(clean.url);
  const expected = reference.slice(reference.indexOf(first.node.id) + 1);
  await follower.until((events) => events.length >= expected.length, 60_000).catch(() => {});
  await sleep(300); // nothing more may come
  follower.close();
  expect(follower.events().map((e) => e.id), `seed ${seed}`).toEqual(expected);
  expect(follower.deliveries.filter((d) => d.retracted)).toEqual([]);
  // Its cursor was never refused: a client told INVALID_CURSOR starts again from now (the worker
  // daemon does), skipping what it missed. A restarted indexer re-indexing its unfinalized blocks
  // answers UNAVAILABLE (retry) for a cursor it does not hold yet.
  expect(follower.failures.filter((code) => code === 'INVALID_CURSOR')).toEqual([]);
  const logs = await chain.pub.getLogs({ address: [chain.registry, chain.market, chain.replicated], fromBlock: 0n, toBlock: finalHead });
  const onChain = new Set(logs.map((l) => `${l.blockNumber!.toString().padStart(12, '0')}-${l.logIndex!.toString().padStart(6, '0')}`));
  expect(reference.filter((id) => !onChain.has(id))).toEqual([]);

  const sampled = checks.filter((c) => !c.phase.endsWith('end'));
  console.log(
    `kill9 (seed ${seed}, ${postgresUrl ? 'PostgreSQL' : 'PGlite'}): ${kills.length} kill points (${kills.filter((k) => k.ready).length} after ready), ` +
      `${sampled.length} restarts checked mid-run, ${follower.subscriptions} subscriptions (${follower.failures.length} failures: ` +
      `${[...new Set(follower.failures)].join(', ')}), ${expected.length} events, ${Math.round((Date.now() - started) / 1000)} s`,
  );
  expect(kills.length).toBeGreaterThanOrEqual(20);
  expect(sampled.filter((c) => !c.equal), `seed ${seed}`).toEqual([]);
  expect(sampled.length).toBeGreaterThan(0);
}, 600_000);

/**
 * Ready, then at `block`. In that order: after a crash, Ponder's checkpoint still names the old head
 * until its crash recovery has rolled back to the last finalized block, when it drops back to it.
 */
async function caughtUp(ponder: Ponder, block: bigint): Promise<void> {
  await waitFor('the restarted indexer to be ready', () => isReady(ponder.url), 120_000);
  await ponder.waitForBlock(block, 120_000);
}

/** Every event id of the API's log, in order. */
async function allEventIds(url: string): Promise<string[]> {
  const ids: string[] = [];
  let after: string | null = null;
  for (;;) {
    const { jobEvents } = await gql(url, 'query($after: String) { jobEvents(first: 100, after: $after) { edges { node { id } } pageInfo { hasNextPage endCursor } } }', { after });
    ids.push(...jobEvents.edges.map((e: { node: { id: string } }) => e.node.id));
    if (!jobEvents.pageInfo.hasNextPage) return ids;
    after = jobEvents.pageInfo.endCursor;
  }
}
