/**
 * The lock a killed indexer leaves (indexer/run/staleLock.ts): unlocked before the next start when
 * the recorded process is gone, left alone while it lives, on PGlite and (with DATABASE_URL)
 * PostgreSQL. Ponder's `_ponder_meta` row is written here as Ponder writes it.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { describe, expect, test } from 'vitest';
import { createDatabase, postgresServer } from '../../testkit/database';
import { registerProcess } from '../../testkit/reaper';
import { tempDir } from '../../testkit/tempDir';
import { isIndexerAlive, recordIndexerProcess, releaseStaleLock } from '../run/staleLock';

const postgresUrl = process.env.DATABASE_URL;
const meta = (locked: 0 | 1) => JSON.stringify({ version: '0.16', build_id: 'x', is_locked: locked, is_ready: 1, heartbeat_at: Date.now() });
const CREATE = `CREATE SCHEMA app; CREATE TABLE app._ponder_meta (key text PRIMARY KEY, value jsonb NOT NULL)`;

/** A process that is not an indexer (its command line has no "ponder"), and one that looks like one. */
function sleeper(name: string) {
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)', name], { stdio: 'ignore' });
  registerProcess(name, child);
  return child;
}

/** A pid that no process has now. */
async function deadPid(): Promise<number> {
  const child = sleeper('dead');
  const pid = child.pid!;
  await new Promise((r) => {
    child.once('exit', r);
    child.kill('SIGKILL');
  });
  return pid;
}

describe('stale lock', () => {
  test('default: PGlite: a lock left by a killed process is released, a live one is kept', async () => {
    const pgliteDir = join(tempDir('stale-lock'), 'pglite');
    const db = new PGlite(pgliteDir);
    await db.exec(CREATE);
    await db.query(`INSERT INTO app._ponder_meta VALUES ('app', $1)`, [meta(1)]);
    await db.close();
    const target = { pgliteDir, schema: 'app' };

    const live = sleeper('ponder-lookalike');
    await recordIndexerProcess(target, live.pid!);
    expect(isIndexerAlive(live.pid!)).toBe(true);
    expect(await releaseStaleLock(target)).toBeUndefined();

    const dead = await deadPid();
    await recordIndexerProcess(target, dead);
    expect(isIndexerAlive(dead)).toBe(false);
    expect(await releaseStaleLock(target)).toBe(dead);
    // Nothing recorded any more: nothing to do.
    expect(await releaseStaleLock(target)).toBeUndefined();

    const check = new PGlite(pgliteDir);
    const { rows } = await check.query<{ locked: number }>(`SELECT (value->>'is_locked')::int AS locked FROM app._ponder_meta`);
    await check.close();
    expect(rows).toEqual([{ locked: 0 }]);
  });

  test.skipIf(!postgresUrl)('behavior: PostgreSQL: the same, and another host\'s process is never judged', async () => {
    const database = await createDatabase(postgresUrl ?? postgresServer, 'loom_stale_lock');
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      await client.query(CREATE);
      await client.query(`INSERT INTO app._ponder_meta VALUES ('app', $1)`, [meta(1)]);
      const target = { databaseUrl: database.url, schema: 'app' };
      const locked = async () => (await client.query(`SELECT (value->>'is_locked')::int AS locked FROM app._ponder_meta`)).rows[0].locked;

      const dead = await deadPid();
      await recordIndexerProcess(target, dead);
      await client.query(`UPDATE loom_meta.indexer_process SET host = 'another-host'`);
      expect(await releaseStaleLock(target)).toBeUndefined();
      expect(await locked()).toBe(1);

      const live = sleeper('ponder-lookalike');
      await recordIndexerProcess(target, live.pid!);
      expect(await releaseStaleLock(target)).toBeUndefined();
      expect(await locked()).toBe(1);

      await recordIndexerProcess(target, dead);
      expect(await releaseStaleLock(target)).toBe(dead);
      expect(await locked()).toBe(0);
    } finally {
      await client.end();
    }
  });
});
