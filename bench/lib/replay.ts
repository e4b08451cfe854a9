/**
 * One Ponder replay from genesis, timed: Ponder is started on a history's chain with an empty
 * database (its own PGlite directory, or a fresh PostgreSQL database) and followed until it has
 * indexed the chain's head.
 *
 * Clocks: `startupSec` runs from the spawn to Ponder's first /health 200 (its vite build, the
 * database connection and the tables: the same for any history); `seconds` from there to the head
 * indexed, which is what `eventsPerSec` divides by. Ponder starts its backfill right after /health
 * answers, and the head includes its last 30 blocks (unfinalized on chain 31337), indexed through
 * its realtime path.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freshDatabase, startPonder, type Ponder, type TestDatabase } from '../../indexer/run/ponderProcess.ts';
import type { History } from './history.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

export const DEFAULT_DATABASE_URL = 'postgresql://postgres@127.0.0.1:5432/postgres';

export type ReplayOptions = {
  db: 'pglite' | 'postgres';
  /** Extra environment for Ponder. */
  env?: Record<string, string>;
  /** Ponder's root (default `indexer`: Loom's indexer). */
  root?: string;
  /** Stop waiting once this block is indexed (default: the head). */
  untilBlock?: number;
  /** Also note when the indexed block first reaches this one (a prefix of the history). */
  markBlock?: number;
  /** Keep Ponder (and its database) running; the caller then calls `close`. */
  keep?: boolean;
  timeoutMs?: number;
  /** Called at every poll with the block indexed so far and the seconds since /health. */
  progress?: (block: number, seconds: number) => void;
};

export type Replay = {
  startupSec: number;
  /** From /health to `untilBlock` indexed. */
  seconds: number;
  /** The block reached (at least `untilBlock`). */
  block: number;
  /** When `markBlock` was first reached: the block seen and the seconds since /health. */
  mark?: { block: number; seconds: number };
  ponder?: Ponder;
  /** The PostgreSQL database (postgres runs) and Ponder's schema in it. */
  databaseUrl?: string;
  schema: string;
  close: () => Promise<void>;
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function replay(history: Pick<History, 'rpcUrl' | 'deploymentFile' | 'head'>, opts: ReplayOptions): Promise<Replay> {
  const schema = `bench_${Date.now().toString(36)}`;
  let database: TestDatabase | undefined;
  let pgliteDir: string | undefined;
  if (opts.db === 'postgres') database = await freshDatabase(process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL, 'loom_bench');
  else pgliteDir = join('.cache', 'bench', `pglite-${schema}`);

  const spawned = performance.now();
  let ponder: Ponder | undefined;
  const close = async () => {
    await ponder?.stop();
    await database?.drop().catch(() => {});
    if (pgliteDir) {
      rmSync(join(root, pgliteDir), { recursive: true, force: true });
      rmSync(join(root, `${pgliteDir}.chain.json`), { force: true });
    }
  };
  try {
    ponder = await startPonder({
      rpcUrl: history.rpcUrl,
      deploymentFile: history.deploymentFile,
      databaseUrl: database?.url,
      pgliteDir,
      schema,
      root: opts.root,
      waitReady: false,
      env: { LOG_LEVEL: 'warn', ...opts.env },
    });
    const deadline = Date.now() + (opts.timeoutMs ?? 600_000);
    const check = () => {
      if (ponder!.process.exitCode !== null) throw new Error(`ponder exited with ${ponder!.process.exitCode}\n${ponder!.logs().slice(-4000)}`);
      if (Date.now() > deadline) throw new Error(`ponder did not finish within ${opts.timeoutMs ?? 600_000} ms\n${ponder!.logs().slice(-4000)}`);
    };
    for (;;) {
      check();
      try {
        if ((await fetch(`${ponder.url}/health`)).ok) break;
      } catch {}
      await sleep(25);
    }
    const up = performance.now();
    const until = opts.untilBlock ?? history.head;
    let mark: Replay['mark'];
    let block = -1;
    for (;;) {
      check();
      try {
        const chains = Object.values(await ponder.status());
        block = chains.length ? Math.min(...chains.map((c) => Number(c.block.number))) : -1;
      } catch {}
      const now = performance.now();
      opts.progress?.(block, (now - up) / 1000);
      if (opts.markBlock !== undefined && !mark && block >= opts.markBlock) mark = { block, seconds: (now - up) / 1000 };
      if (block >= until) {
        const result: Replay = {
          startupSec: (up - spawned) / 1000,
          seconds: (now - up) / 1000,
          block,
          mark,
          databaseUrl: database?.url,
          schema,
          close,
        };
        if (opts.keep) return { ...result, ponder };
        await close();
        return result;
      }
      await sleep(50);
    }
  } catch (err) {
    await close();
    throw err;
  }
}
