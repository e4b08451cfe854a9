/**
 * The lock a killed indexer leaves behind. Ponder marks the schema it indexes as locked
 * (`_ponder_meta` 'app': `is_locked = 1`, with a heartbeat every 10 s) and unlocks it when it shuts
 * down. A process killed outright (kill -9, the OOM killer, a container stopped hard) unlocks
 * nothing, so the next `ponder start` on the schema waits for the heartbeat to expire (25 s after the
 * last beat) before its crash recovery: up to 25 s of downtime per crash, for nothing.
 *
 * The runner knows better than a timeout: it records which process it started (host, boot, pid) and,
 * before the next start, when that process is gone (no such pid on this host since the same boot, or
 * another program under it), it unlocks the schema at once. A lock held by a live process, or by a
 * process on another host, is left alone: Ponder's own expiry then decides, as before.
 *
 *   PGlite    the record is `<pglite dir>.process.json` (PGlite is one process's database anyway);
 *   Postgres  the record is a row of `loom_meta.indexer_process` (schema -> host, boot, pid).
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import pg from 'pg';
import { DEFAULT_PGLITE_DIR } from './genesisGuard.ts';

export type LockTarget = {
  /** PostgreSQL; without it, PGlite in `pgliteDir`. */
  databaseUrl?: string;
  pgliteDir?: string;
  schema: string;
};

type ProcessRecord = { host: string; bootId: string; pid: number };

const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** The file beside a PGlite directory that names the process last started on it. */
export function pgliteProcessRecord(pgliteDir: string): string {
  return join(dirname(pgliteDir), `${basename(pgliteDir)}.process.json`);
}

function bootId(): string {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return '';
  }
}

function thisMachine(): Omit<ProcessRecord, 'pid'> {
  return { host: hostname(), bootId: bootId() };
}

/** Whether `pid` is a live Ponder process (a zombie, or a pid reused by another program, is not). */
export function isIndexerAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return false;
  }
  if (!existsSync('/proc')) return true;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) S ...": the state follows the last ')'.
    if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) return false;
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('ponder');
  } catch {
    return false;
  }
}

/** Records that `pid` was started on the target (call right after spawning Ponder). */
export async function recordIndexerProcess(target: LockTarget, pid: number): Promise<void> {
  const record: ProcessRecord = { ...thisMachine(), pid };
  if (!target.databaseUrl) {
    writeFileSync(pgliteProcessRecord(resolve(target.pgliteDir ?? DEFAULT_PGLITE_DIR)), `${JSON.stringify(record)}\n`);
    return;
  }
  await withClient(target.databaseUrl, async (client) => {
    await client.query('CREATE SCHEMA IF NOT EXISTS loom_meta');
    await client.query(`CREATE TABLE IF NOT EXISTS loom_meta.indexer_process (
      schema_name text PRIMARY KEY, host text NOT NULL, boot_id text NOT NULL, pid integer NOT NULL,
      started_at timestamptz NOT NULL DEFAULT now())`);
    await client.query(
      `INSERT INTO loom_meta.indexer_process (schema_name, host, boot_id, pid) VALUES ($1, $2, $3, $4)
       ON CONFLICT (schema_name) DO UPDATE SET host = EXCLUDED.host, boot_id = EXCLUDED.boot_id, pid = EXCLUDED.pid, started_at = now()`,
      [target.schema, record.host, record.bootId, pid],
    );
  });
}

/** Forgets the PGlite record after a clean exit (Ponder unlocked the schema itself). */
export function forgetPgliteProcess(pgliteDir: string | undefined, pid: number): void {
  const file = pgliteProcessRecord(resolve(pgliteDir ?? DEFAULT_PGLITE_DIR));
  try {
    if ((JSON.parse(readFileSync(file, 'utf8')) as ProcessRecord).pid === pid) rmSync(file, { force: true });
  } catch {}
}

/**
 * Unlocks the target's schema when the process recorded on it has died on this machine without
 * unlocking it. Returns the dead process's pid when it unlocked something.
 */
export async function releaseStaleLock(target: LockTarget): Promise<number | undefined> {
  const unlock = `UPDATE ${quoteIdent(target.schema)}._ponder_meta SET value = jsonb_set(value, '{is_locked}', to_jsonb(0))
    WHERE key = 'app' AND (value->>'is_locked')::int = 1`;
  const here = thisMachine();
  const stale = (r: ProcessRecord | undefined) => r !== undefined && r.host === here.host && r.bootId === here.bootId && !isIndexerAlive(r.pid);

  if (!target.databaseUrl) {
    const dir = resolve(target.pgliteDir ?? DEFAULT_PGLITE_DIR);
    const file = pgliteProcessRecord(dir);
    let record: ProcessRecord | undefined;
    try {
      record = JSON.parse(readFileSync(file, 'utf8')) as ProcessRecord;
    } catch {
      return undefined;
    }
    if (!stale(record) || !existsSync(dir)) return undefined;
    const { PGlite } = await import('@electric-sql/pglite');
    const db = new PGlite(dir);
    try {
      await db.waitReady;
      const exists = await db.query(`SELECT 1 FROM information_schema.tables WHERE table_schema = $1 AND table_name = '_ponder_meta'`, [target.schema]);
      const changed = exists.rows.length > 0 ? (await db.query(unlock)).affectedRows ?? 0 : 0;
      rmSync(file, { force: true });
      return changed > 0 ? record!.pid : undefined;
    } finally {
      await db.close();
    }
  }

  return withClient(target.databaseUrl, async (client) => {
    const table = await client.query(`SELECT to_regclass('loom_meta.indexer_process') AS t, to_regclass($1) AS meta`, [`${quoteIdent(target.schema)}._ponder_meta`]);
    if (!table.rows[0]?.t || !table.rows[0]?.meta) return undefined;
    const found = await client.query<{ host: string; boot_id: string; pid: number }>(
      'SELECT host, boot_id, pid FROM loom_meta.indexer_process WHERE schema_name = $1',
      [target.schema],
    );
    const row = found.rows[0];
    const record = row && { host: row.host, bootId: row.boot_id, pid: row.pid };
    if (!stale(record)) return undefined;
    const changed = (await client.query(unlock)).rowCount ?? 0;
    return changed > 0 ? record!.pid : undefined;
  });
}

async function withClient<T>(databaseUrl: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}
