/**
 * Runs the indexer: the genesis guard (genesisGuard.ts), then `ponder --root indexer <start|serve>`.
 *
 * CLI (`npm run indexer:start` / `indexer:serve`): `tsx indexer/run/runIndexer.ts [start|serve]`
 * (default start), configured like ponder.config.ts (LOOM_RPC_URL, DATABASE_URL, LOOM_PGLITE_DIR,
 * ...) plus DATABASE_SCHEMA (default `loom`) and PORT (default 42069). `serve` only reads, so it
 * never clears anything.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { guardGenesis } from './genesisGuard.ts';
import { withRaisedOpenFiles } from './openFiles.ts';
import { forgetPgliteProcess, recordIndexerProcess, releaseStaleLock } from './staleLock.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

export type IndexerOptions = {
  mode?: 'start' | 'serve';
  /** Ponder's database schema (default: DATABASE_SCHEMA, else `loom`). */
  schema?: string;
  port?: number;
  /** Environment for Ponder (default: this process's). */
  env?: NodeJS.ProcessEnv;
  /** stdio for Ponder (default: inherit). */
  stdio?: 'inherit' | 'pipe' | 'ignore';
  /** Run the genesis guard before `start` (default true). */
  guard?: boolean;
  /** Start Ponder in its own process group, so that it can be stopped with everything it runs. */
  detached?: boolean;
  /** Ponder's root, relative to the repository (default `indexer`; the benchmarks run another). */
  root?: string;
  /**
   * Raise Ponder's open-file limit to the hard limit first (`ulimit -n`): every SSE subscriber holds
   * a socket, and the usual soft limit of 1024 caps a process at about a thousand.
   */
  raiseOpenFiles?: boolean;
};

/** The `ponder` executable of this repository. */
export const PONDER_BIN = join(root, 'node_modules', '.bin', 'ponder');

/**
 * Guards the database (start mode), unlocks the schema when the indexer last started on it was
 * killed (staleLock.ts), and spawns `ponder --root indexer <mode>`. Returns the child process; the
 * caller owns it.
 */
export async function runIndexer(opts: IndexerOptions = {}): Promise<ChildProcess> {
  const env: NodeJS.ProcessEnv = { PONDER_TELEMETRY_DISABLED: '1', ...(opts.env ?? process.env) };
  const mode = opts.mode ?? 'start';
  // graphql-js checks every type test for a second copy of itself unless NODE_ENV is production:
  // about 15% of the API's CPU per request (bench/README.md, "api"). `start` and `serve` are
  // Ponder's production modes.
  env.NODE_ENV ??= 'production';
  const schema = opts.schema ?? env.DATABASE_SCHEMA ?? 'loom';
  if (mode === 'start' && opts.guard !== false) {
    await guardGenesis({
      rpcUrl: env.LOOM_RPC_URL ?? 'http://127.0.0.1:8545',
      databaseUrl: env.DATABASE_URL,
      pgliteDir: env.LOOM_PGLITE_DIR,
      schema,
    });
  }
  const target = { databaseUrl: env.DATABASE_URL, pgliteDir: env.LOOM_PGLITE_DIR, schema };
  if (mode === 'start') {
    const dead = await releaseStaleLock(target);
    if (dead !== undefined) console.error(`indexer: unlocked schema "${schema}", left locked by indexer process ${dead}, which was killed`);
  }
  const args = ['--root', opts.root ?? 'indexer', mode, '--schema', schema, '--port', String(opts.port ?? Number(env.PORT ?? 42069))];
  const spawnOptions = { cwd: root, env, stdio: opts.stdio ?? 'inherit', detached: opts.detached } as const;
  const [command, commandArgs] = opts.raiseOpenFiles ? withRaisedOpenFiles(PONDER_BIN, args) : [PONDER_BIN, args];
  const child = spawn(command, commandArgs, spawnOptions);
  if (mode === 'start' && child.pid !== undefined) {
    const pid = child.pid;
    // A record that cannot be written only costs the next start after a crash Ponder's lock expiry.
    await recordIndexerProcess(target, pid).catch((err) => console.error(`indexer: could not record process ${pid}: ${(err as Error).message}`));
    // Ponder unlocks the schema whenever it shuts down by itself; only a kill leaves the lock.
    if (!target.databaseUrl) child.once('exit', (_code, signal) => signal !== 'SIGKILL' && forgetPgliteProcess(target.pgliteDir, pid));
  }
  return child;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const mode = (process.argv[2] ?? 'start') as 'start' | 'serve';
  if (mode !== 'start' && mode !== 'serve') {
    console.error('usage: tsx indexer/run/runIndexer.ts [start|serve]');
    process.exit(2);
  }
  runIndexer({ mode }).then(
    (child) => {
      for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
      child.on('exit', (code) => process.exit(code ?? 1));
    },
    (err) => {
      console.error(`indexer: ${err instanceof Error ? err.message : err}`);
      process.exit(1);
    },
  );
}
