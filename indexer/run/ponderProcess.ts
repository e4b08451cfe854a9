/**
 * Starts the indexer (Ponder) for tests, benchmarks, `npm start` and replays (replay.ts), waits
 * until it is ready, follows its progress through Ponder's own /status, and stops it with its
 * process group.
 *
 * Isolation: give every run its own PGlite directory (`pgliteDir`) or its own PostgreSQL database
 * (`freshDatabase`). A separate schema is not enough on PostgreSQL: Ponder's block cache
 * (`ponder_sync`) is shared by every schema of a database, and two local chains share chain id 31337
 * and contract addresses, so concurrent runs on different chains would read each other's blocks.
 */
import type { ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { adminQuery } from './adminQuery.ts';
import { freePort } from './freePort.ts';
import { runIndexer } from './runIndexer.ts';
import { watchDatabase } from './databaseWatch.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

export type PonderOptions = {
  rpcUrl: string;
  /** Deployment record the config reads the market's address and start block from. */
  deploymentFile: string;
  /** PostgreSQL; without it, PGlite in `pgliteDir`. */
  databaseUrl?: string;
  /** PGlite directory; default `.cache/pglite/<schema>`. */
  pgliteDir?: string;
  /** Ponder's database schema. */
  schema: string;
  /** Ponder's root, relative to the repository (default `indexer`). */
  root?: string;
  /** HTTP port; default a free one. */
  port?: number;
  /** `start` indexes and serves; `serve` only serves (PostgreSQL only). Default `start`. */
  mode?: 'start' | 'serve';
  /** New-block polling interval (ms); default 100. */
  pollingMs?: number;
  /** Run the genesis guard before starting (default true; `serve` never clears anything). */
  guard?: boolean;
  /** Wait for /ready before returning (default true). */
  waitReady?: boolean;
  readyTimeoutMs?: number;
  /** Extra environment for Ponder. */
  env?: Record<string, string>;
  /** Raise Ponder's open-file limit to the hard limit (runIndexer.ts): for many SSE subscribers. */
  raiseOpenFiles?: boolean;
  /** Also append everything Ponder prints to this file (`npm start` keeps its logs there). */
  logFile?: string;
  /**
   * `start` on PostgreSQL: restart Ponder (same port, same schema) once the database answers again
   * after the connection to it was lost (databaseWatch.ts says why), and after Ponder exited with
   * its "retryable" code 75 (its queries kept failing past its own retries, about a minute). The
   * API is down for the few seconds of the restart. `process` is then always the current Ponder.
   */
  supervise?: boolean;
};

/** Ponder's /status: the latest indexed block per chain. */
export type PonderStatus = Record<string, { id: number; block: { number: number; timestamp: number } }>;

export type Ponder = {
  url: string;
  port: number;
  schema: string;
  /** The PGlite directory, when running on PGlite. */
  pgliteDir?: string;
  /** The Ponder process (the current one, when supervised). */
  readonly process: ChildProcess;
  /** How many times supervision restarted Ponder. */
  restarts: () => number;
  /** What Ponder printed (the last MiB at most). */
  logs: () => string;
  status: () => Promise<PonderStatus>;
  /** Resolves once `block` of the (only) chain is indexed. */
  waitForBlock: (block: bigint | number, timeoutMs?: number) => Promise<void>;
  /** SIGTERM to the process group (Ponder shuts down cleanly, closing PGlite), SIGKILL after 10 s. */
  stop: () => Promise<void>;
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Starts Ponder on `indexer/` and resolves once it serves (and, by default, is ready). */
export async function startPonder(opts: PonderOptions): Promise<Ponder> {
  const port = opts.port ?? (await freePort());
  const mode = opts.mode ?? 'start';
  const pgliteDir = opts.databaseUrl ? undefined : resolve(root, opts.pgliteDir ?? join('.cache', 'pglite', opts.schema));
  if (pgliteDir) mkdirSync(resolve(pgliteDir, '..'), { recursive: true });

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PONDER_TELEMETRY_DISABLED: '1',
    LOOM_RPC_URL: opts.rpcUrl,
    LOOM_DEPLOYMENT_FILE: resolve(root, opts.deploymentFile),
    LOOM_POLLING_MS: String(opts.pollingMs ?? 100),
    ...opts.env,
  };
  // The config picks PostgreSQL whenever DATABASE_URL is set: a PGlite run must not inherit one.
  delete env.DATABASE_URL;
  delete env.DATABASE_PRIVATE_URL;
  delete env.DATABASE_SCHEMA;
  delete env.PORT;
  if (opts.databaseUrl) env.DATABASE_URL = opts.databaseUrl;
  if (pgliteDir) env.LOOM_PGLITE_DIR = pgliteDir;
  // Under vitest, NODE_ENV=test and VITEST* would leak into Ponder's own vite build.
  for (const key of Object.keys(env)) if (key.startsWith('VITEST')) delete env[key];
  if (env.NODE_ENV === 'test') delete env.NODE_ENV;

  const spawnPonder = () =>
    runIndexer({
      mode,
      root: opts.root,
      guard: opts.guard,
      schema: opts.schema,
      port,
      env,
      stdio: 'pipe',
      detached: true,
      raiseOpenFiles: opts.raiseOpenFiles,
    });
  // Keep a bounded tail in memory: `npm start` runs for days.
  const MAX_OUTPUT = 1 << 20;
  let output = '';
  const log = opts.logFile ? createWriteStream(opts.logFile, { flags: 'a' }) : undefined;
  const collect = (d: Buffer | string) => {
    log?.write(d);
    output += d;
    if (output.length > MAX_OUTPUT) output = output.slice(-MAX_OUTPUT / 2);
  };
  let child!: ChildProcess;
  let exited!: Promise<number | null>;
  let stopping = false;
  let restarts = 0;
  let restarting: Promise<void> | undefined;
  const adopt = (c: ChildProcess) => {
    child = c;
    c.stdout?.on('data', collect);
    c.stderr?.on('data', collect);
    exited = new Promise<number | null>((r) => c.once('exit', (code) => r(code)));
  };
  adopt(await spawnPonder());

  const signal = (c: ChildProcess, s: NodeJS.Signals) => {
    try {
      process.kill(-c.pid!, s);
    } catch {}
  };
  const stopChild = async () => {
    const c = child;
    if (c.exitCode !== null || c.signalCode !== null) return;
    signal(c, 'SIGTERM');
    const timer = setTimeout(() => signal(c, 'SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };

  // Supervision (PostgreSQL, `start`): see PonderOptions.supervise.
  const supervised = opts.supervise === true && mode === 'start' && opts.databaseUrl !== undefined;
  const restart = (why: string) =>
    (restarting ??= (async () => {
      try {
        await watch?.whenUp();
        if (stopping) return;
        collect(`[loom] ${why}: restarting the indexer, which resumes from what the database holds\n`);
        await stopChild();
        for (;;) {
          if (stopping) return;
          try {
            adopt(await spawnPonder());
            restarts++;
            break;
          } catch (err) {
            // The database went away again before Ponder started: wait for it once more.
            collect(`[loom] the indexer could not start (${(err as Error).message}); retrying\n`);
            await sleep(1_000);
            await watch?.whenUp();
          }
        }
        watchExit();
      } finally {
        restarting = undefined;
      }
    })());
  const watch = supervised
    ? watchDatabase(opts.databaseUrl!, {
        lost: () => collect('[loom] the connection to the database was lost\n'),
        back: () => void restart('the database answers again after a lost connection'),
      })
    : undefined;
  const watchExit = () => {
    const c = child;
    c.once('exit', (code) => {
      if (!stopping && code === 75 && child === c) void restart('the indexer exited with code 75 (retryable)');
    });
  };
  if (supervised) watchExit();
  exited.then(() => {
    if (!supervised) log?.end();
  });

  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    stopping = true;
    await watch?.close();
    await restarting;
    await stopChild();
    log?.end();
  };
  const status = async () => (await (await fetch(`${url}/status`)).json()) as PonderStatus;
  const waitForBlock = async (block: bigint | number, timeoutMs = 60_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (child.exitCode !== null && !restarting) throw new Error(`ponder exited with ${child.exitCode} while waiting for block ${block}\n${output}`);
      try {
        const chains = Object.values(await status());
        if (chains.length > 0 && chains.every((c) => BigInt(c.block.number) >= BigInt(block))) return;
      } catch {}
      if (Date.now() > deadline) throw new Error(`ponder did not index block ${block} within ${timeoutMs} ms\n${output.slice(-4000)}`);
      await sleep(100);
    }
  };

  const ponder: Ponder = {
    url,
    port,
    schema: opts.schema,
    pgliteDir,
    get process() {
      return child;
    },
    restarts: () => restarts,
    logs: () => output,
    status,
    waitForBlock,
    stop,
  };
  if (opts.waitReady === false) return ponder;

  const deadline = Date.now() + (opts.readyTimeoutMs ?? 120_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`ponder exited with ${child.exitCode} before it was ready\n${output}`);
    try {
      const res = await fetch(`${url}/ready`);
      if (res.ok) return ponder;
    } catch {}
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`ponder was not ready within ${opts.readyTimeoutMs ?? 120_000} ms\n${output.slice(-4000)}`);
    }
    await sleep(200);
  }
}

export type TestDatabase = { url: string; name: string; drop: () => Promise<void> };

/**
 * A new, empty PostgreSQL database on the server of `baseUrl`, for one run; `drop()` removes it
 * (closing any connection left to it).
 */
export async function freshDatabase(baseUrl: string, prefix = 'loom_test'): Promise<TestDatabase> {
  const name = `${prefix}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = (sql: string) => adminQuery(baseUrl, sql);
  await admin(`CREATE DATABASE "${name}"`);
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), name, drop: () => admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
}
