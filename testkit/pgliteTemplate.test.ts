import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { expect, test } from 'vitest';
import { guardGenesis } from '../indexer/run/genesisGuard';
import { startBareChain } from './chain';
import { newPgliteDir } from './pgliteTemplate';
import { tempDir } from './tempDir';

test('behavior: a new PGlite directory is an empty, initialized cluster that the genesis guard keeps for its chain', async () => {
  const chain = await startBareChain();
  const dir = await newPgliteDir(join(tempDir('pglite-template'), 'pglite'), chain.rpcUrl);
  // Ponder's own start runs the guard again: a directory it did not record would be cleared.
  expect((await guardGenesis({ rpcUrl: chain.rpcUrl, pgliteDir: dir })).cleared).toBe(false);
  expect(existsSync(join(dir, 'PG_VERSION'))).toBe(true);
  const db = new PGlite(dir);
  try {
    const { rows } = await db.query<{ nspname: string }>(`select nspname from pg_namespace where nspname not like 'pg\\_%' and nspname <> 'information_schema' order by 1`);
    expect(rows.map((r) => r.nspname)).toEqual(['public']);
    const tables = await db.query(`select 1 from pg_tables where schemaname = 'public'`);
    expect(tables.rows).toHaveLength(0);
  } finally {
    await db.close();
  }
}, 60_000);
