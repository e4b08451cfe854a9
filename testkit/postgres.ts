/**
 * A private PostgreSQL server for one test file: a new cluster (Debian's initdb and pg_ctl) in a
 * temporary directory, on a free loopback port, trust authentication, registered with the reaper.
 * For tests that stop and start the server under a running indexer: the shared server on
 * 127.0.0.1:5432 serves other test files at the same time and must never be stopped.
 *
 * As root, initdb refuses to run: the cluster then belongs to the `postgres` user (Debian's package
 * creates it) and every server command runs as that user (runuser).
 *
 * @example
 * const pg = await startPostgres();
 * await pg.stop('immediate'); // a crash: no checkpoint, clients cut off
 * await pg.start();           // WAL recovery, same data
 */
import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../indexer/run/freePort';
import { register, starting } from './reaper';
import { waitFor } from './waitFor';

const run = promisify(execFile);

/** Debian's server binaries (the newest installed major version). */
export function postgresBinDir(): string | undefined {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return undefined;
  const versions = readdirSync(base)
    .filter((v) => existsSync(join(base, v, 'bin', 'initdb')) && existsSync(join(base, v, 'bin', 'pg_ctl')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] && join(base, versions[0], 'bin');
}

export type PrivatePostgres = {
  /** `postgresql://postgres@127.0.0.1:<port>/postgres` */
  url: string;
  port: number;
  dataDir: string;
  /** Stops the server: `immediate` is a crash (no shutdown checkpoint), `fast` a clean stop. */
  stop: (mode?: 'immediate' | 'fast') => Promise<void>;
  /** Starts it again on the same data and port; resolves once it accepts connections. */
  start: () => Promise<void>;
  /** What the server logged. */
  logs: () => string;
};

/**
 * Initializes and starts a private cluster; `stop('fast')` and removal happen at teardown. With
 * `standbyOf`, the cluster is a hot standby of that one instead (pg_basebackup, streaming
 * replication): read-only, following the primary's WAL, as a read replica is deployed.
 */
export function startPostgres(opts: { standbyOf?: PrivatePostgres } = {}): Promise<PrivatePostgres> {
  return starting(async () => {
    const bin = postgresBinDir();
    if (!bin) throw new Error('PostgreSQL server binaries not found under /usr/lib/postgresql (apt-get install -y postgresql)');
    const asRoot = process.getuid?.() === 0;
    const dir = mkdtempSync(join(tmpdir(), 'loom-pg-'));
    const dataDir = join(dir, 'data');
    const logFile = join(dir, 'server.log');
    if (asRoot) chownSync(dir, ...postgresIds());
    // `runuser` keeps our environment apart from HOME/USER; the server never sees our secrets anyway.
    const cmd = (file: string, args: string[]) => (asRoot ? ['runuser', ['-u', 'postgres', '--', join(bin, file), ...args]] : [join(bin, file), args]) as [string, string[]];
    const exec = (file: string, args: string[], timeout = 60_000) => {
      const [c, a] = cmd(file, args);
      return run(c, a, { timeout, env: { PATH: process.env.PATH, LANG: 'C', LC_ALL: 'C' } });
    };
    const port = await freePort();
    const removeDir = () => rmSync(dir, { recursive: true, force: true });
    const stopSync = () => {
      try {
        const [c, a] = cmd('pg_ctl', ['stop', '-D', dataDir, '-m', 'immediate', '-w', '-t', '10']);
        execFileSync(c, a, { stdio: 'ignore', timeout: 15_000 });
      } catch {}
    };
    const stop = async (mode: 'immediate' | 'fast' = 'fast') => {
      await exec('pg_ctl', ['stop', '-D', dataDir, '-m', mode, '-w', '-t', '30']);
    };
    let lastLog = '';
    const readLog = () => {
      if (!existsSync(logFile)) return lastLog;
      try {
        return execFileSync('tail', ['-c', '65536', logFile], { encoding: 'utf8' });
      } catch {
        return lastLog;
      }
    };
    register({
      name: `postgres ${port}`,
      stop: async () => {
        await stop('fast').catch(() => stopSync());
        lastLog = readLog();
        removeDir();
      },
      kill: () => {
        stopSync();
        removeDir();
      },
      logs: readLog,
    });

    if (opts.standbyOf) {
      // -R writes primary_conninfo and standby.signal: the server starts as a streaming standby.
      await exec('pg_basebackup', ['-h', '127.0.0.1', '-p', String(opts.standbyOf.port), '-U', 'postgres', '-D', dataDir, '-R', '-X', 'stream', '--no-sync'], 120_000);
    } else {
      // initdb's trust also covers replication connections from loopback (a standby's pg_basebackup).
      await exec('initdb', ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C']);
    }
    const url = `postgresql://postgres@127.0.0.1:${port}/postgres`;
    // Its own socket directory (the packaged server owns /var/run/postgresql); fsync off: only a
    // machine crash, which no test makes, would need it.
    const options = `-p ${port} -c listen_addresses=127.0.0.1 -k ${dir} -c fsync=off -c full_page_writes=off -c max_connections=200`;
    const start = async () => {
      await exec('pg_ctl', ['start', '-D', dataDir, '-l', logFile, '-w', '-t', '60', '-o', options], 90_000);
      await waitFor('the private PostgreSQL to accept connections', async () => {
        await exec('pg_isready', ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres'], 5_000);
        return true;
      }, 30_000, 100);
    };
    await start();
    return { url, port, dataDir, stop, start, logs: readLog };
  });
}

/** uid and gid of the `postgres` user. */
function postgresIds(): [number, number] {
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  if (!Number.isInteger(uid) || !Number.isInteger(gid)) throw new Error('no `postgres` user to run the private PostgreSQL as');
  return [uid, gid];
}
