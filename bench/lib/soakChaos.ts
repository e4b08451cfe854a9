/**
 * The soak's faults, at seeded random moments until told to stop: kill -9 of a worker daemon (started
 * again a few seconds later on its data directory: state file, cursor, jobs in hand), kill -9 of the
 * indexer's process group (started again on the same PostgreSQL database and port: crash recovery),
 * and a reorg every few minutes (anvil_reorg: the newest blocks replaced by empty ones, so that
 * whatever they held, posts, claims, submits, is undone, within Ponder's 30 unfinalized blocks).
 */
import type { Indexer } from '../../testkit/indexer.ts';
import { startIndexer } from '../../testkit/indexer.ts';
import type { Stack } from '../../testkit/stack.ts';
import { type WorkerProcess, startWorker } from '../../testkit/workers.ts';
import { prng } from '../../testkit/workload.ts';

export type ChaosCounts = { workerKills: number; indexerKills: number; reorgs: number; reorgedBlocks: number };

/** The processes the soak keeps alive: its worker daemons (by account) and the indexer. */
export type Fleet = {
  stack: Stack;
  workers: Map<number, WorkerProcess>;
  dataDirs: Map<number, string>;
  indexer: Indexer;
};

const sleep = (ms: number) => new Promise((res) => setTimeout(res, ms));
const alive = (w: WorkerProcess) => w.child.exitCode === null && w.child.signalCode === null;

/** Where the workers reach the market: the indexer keeps its port across restarts. */
export const workerTarget = (f: Fleet) => ({ apiUrl: f.indexer.url, rpcUrl: f.stack.anvil.rpcUrl, deploymentPath: f.stack.deploymentPath, artifactUrl: f.stack.artifactUrl, usdc: f.stack.usdc });

/** Starts (or starts again, on its data directory) worker daemon `index`. */
export async function startSoakWorker(f: Fleet, index: number): Promise<WorkerProcess> {
  const w = await startWorker(workerTarget(f), index, { dataDir: f.dataDirs.get(index), env: { LOG_LEVEL: 'info' }, readyTimeoutMs: 180_000 });
  f.workers.set(index, w);
  return w;
}

/** Starts the indexer again on its database and port (Ponder's crash recovery). */
export async function restartIndexer(f: Fleet): Promise<void> {
  const { schema, port } = f.indexer.options;
  f.indexer = await startIndexer(f.stack, { schema, port, databaseUrl: f.indexer.databaseUrl, readyTimeoutMs: 300_000 });
}

/** kill -9 of the indexer's whole process group; resolves once it is gone. */
async function killIndexer(f: Fleet): Promise<void> {
  const child = f.indexer.process;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((res) => child.once('exit', res));
  process.kill(-child.pid!, 'SIGKILL');
  await gone;
}

/** Every worker daemon and the indexer alive (after the faults, before the end's checks). */
export async function reviveAll(f: Fleet): Promise<void> {
  if (f.indexer.process.exitCode !== null || f.indexer.process.signalCode !== null) await restartIndexer(f);
  for (const [index, w] of f.workers) if (!alive(w)) await startSoakWorker(f, index);
}

/**
 * Runs the faults until `stopped()`. Worker kills come every 20-60 s, indexer kills every 60-150 s,
 * reorgs every 90-180 s (the first within 30-90 s, so that a short run has one).
 */
export async function runChaos(f: Fleet, seed: number, stopped: () => boolean, log: (line: string) => void): Promise<ChaosCounts> {
  const r = prng(seed);
  const counts: ChaosCounts = { workerKills: 0, indexerKills: 0, reorgs: 0, reorgedBlocks: 0 };
  const now = Date.now();
  const next = { worker: now + r.int(20, 60) * 1000, indexer: now + r.int(60, 150) * 1000, reorg: now + r.int(30, 90) * 1000 };
  while (!stopped()) {
    const due = Math.min(next.worker, next.indexer, next.reorg);
    if (Date.now() < due) {
      await sleep(Math.min(500, due - Date.now()));
      continue;
    }
    if (due === next.worker) {
      const index = r.pick([...f.workers.keys()]);
      const w = f.workers.get(index)!;
      w.child.kill('SIGKILL');
      await w.exited;
      counts.workerKills++;
      const downMs = r.int(1, 10) * 1000;
      log(`kill -9 worker ${index}; restart in ${downMs / 1000} s`);
      await sleep(downMs);
      await startSoakWorker(f, index);
      next.worker = Date.now() + r.int(20, 60) * 1000;
    } else if (due === next.indexer) {
      await killIndexer(f);
      counts.indexerKills++;
      const downMs = r.int(1, 8) * 1000;
      log(`kill -9 indexer; restart in ${downMs / 1000} s`);
      await sleep(downMs);
      const started = Date.now();
      await restartIndexer(f);
      log(`indexer ready again after ${((Date.now() - started) / 1000).toFixed(1)} s`);
      next.indexer = Date.now() + r.int(60, 150) * 1000;
    } else {
      const depth = r.int(1, 5);
      const head = await f.stack.pub.getBlockNumber({ cacheTime: 0 });
      await f.stack.reorg(depth);
      counts.reorgs++;
      counts.reorgedBlocks += depth;
      log(`reorg: the newest ${depth} blocks (to ${head}) replaced by empty ones`);
      next.reorg = Date.now() + r.int(90, 180) * 1000;
    }
  }
  return counts;
}
