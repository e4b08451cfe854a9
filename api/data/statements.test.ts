/**
 * Prepared statements (statements.ts) on a real PostgreSQL schema.
 */
import { sql } from 'ponder';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { MAX_STATEMENTS, statement } from './statements';
import { createTestDatabase, type TestDatabase } from '../test/testDatabase';

let t: TestDatabase;

beforeAll(async () => {
  t = await createTestDatabase();
  await t.writer.insert(t.tables.arbiter).values([
    { address: '0x00000000000000000000000000000000000000a1', allowed: true },
    { address: '0x00000000000000000000000000000000000000a2', allowed: false },
  ]);
});
afterAll(async () => {
  await t?.drop();
});

const byAllowed = (key: string, tag = 0) =>
  statement(t.db, key, () =>
    t.db
      .select({ address: t.tables.arbiter.address })
      .from(t.tables.arbiter)
      .where(sql`${t.tables.arbiter.allowed} = ${sql.placeholder('allowed')} and ${tag} = ${tag}`),
  );

test('default: built once per key, then executed with new values', async () => {
  const first = byAllowed('allowed');
  expect(byAllowed('allowed')).toBe(first);
  expect(await first.execute({ allowed: true })).toEqual([{ address: '0x00000000000000000000000000000000000000a1' }]);
  expect(await first.execute({ allowed: false })).toEqual([{ address: '0x00000000000000000000000000000000000000a2' }]);
});

test('behavior: past the cap, new shapes still answer, unprepared', async () => {
  for (let i = 0; i < MAX_STATEMENTS + 5; i++) {
    expect(await byAllowed(`shape ${i}`, i).execute({ allowed: true })).toHaveLength(1);
  }
});
