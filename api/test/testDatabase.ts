/**
 * A real PostgreSQL schema holding the indexer's tables exactly as Ponder creates them (Ponder's own
 * DDL generator over indexer/ponder.schema.ts), plus Ponder's `_ponder_meta` and `_ponder_checkpoint`,
 * and a drizzle database over it configured as Ponder configures the API's (snake_case casing,
 * search_path = the schema). Tables are left unqualified (Ponder qualifies them with its schema; the
 * search_path makes that equivalent), so one test file can hold several databases.
 *
 * `drop()` removes the schema, as the test harness's teardown does when a test file did not
 * (testkit/reaper.ts). DATABASE_URL overrides the default server (testkit/database.ts).
 */
import { randomBytes } from 'node:crypto';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import * as ponderSchema from '../../indexer/ponder.schema';
import { postgresServer } from '../../testkit/database';
import { dropSchema } from '../../indexer/run/adminQuery';
import { register } from '../../testkit/reaper';
import type { Db, Schema, Tables } from '../data/tables';

const ponderKit = fileURLToPath(new URL('../../node_modules/ponder/dist/esm/drizzle/kit/index.js', import.meta.url));

export type TestDatabase = {
  schema: string;
  db: Db;
  tables: Tables;
  /** A read-write drizzle database over the same schema, for fixtures. */
  writer: ReturnType<typeof drizzle<Schema>>;
  /** SQL statements the API's database ran since the last reset. */
  queries: { count: number; texts: string[]; reset: () => void };
  /**
   * Sets what Ponder's status tables say: backfill done, and the latest indexed block; with
   * `finalized`, Ponder's finalized block too (else it stays where the first call put it).
   */
  setStatus: (status: { ready: boolean; block: bigint; timestamp?: bigint; finalized?: bigint }) => Promise<void>;
  drop: () => Promise<void>;
};

/** The checkpoint string Ponder stores for a block (ponder/src/utils/checkpoint.ts). */
export function checkpointOf(block: bigint, timestamp: bigint, chainId = 31337n): string {
  return (
    timestamp.toString().padStart(10, '0') +
    chainId.toString().padStart(16, '0') +
    block.toString().padStart(16, '0') +
    '9'.repeat(16) +
    '9' +
    '9'.repeat(16)
  );
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const url = postgresServer;
  const schema = `api_test_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const tables = ponderSchema as Schema;
  const { getSql } = (await import(pathToFileURL(ponderKit).href)) as {
    getSql: (schema: unknown) => { enums: { sql: string[] }; tables: { sql: string[] }; indexes: { sql: string[] } };
  };
  const ddl = getSql(tables);
  // Enum types come out in "public": create them in the test's schema instead.
  const local = (statement: string) => statement.replaceAll('"public".', `"${schema}".`);

  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`CREATE SCHEMA "${schema}"`);
    await admin.query(`SET search_path TO "${schema}"`);
    for (const statement of ddl.enums.sql) await admin.query(local(statement));
    for (const statement of ddl.tables.sql) {
      if (!statement.includes('"_reorg__')) await admin.query(local(statement));
    }
    for (const statement of ddl.indexes.sql) {
      if (!statement.includes('"_reorg__')) await admin.query(statement);
    }
    await admin.query(`CREATE TABLE "${schema}"."_ponder_meta" (key text PRIMARY KEY, value jsonb NOT NULL)`);
    await admin.query(
      `CREATE TABLE "${schema}"."_ponder_checkpoint" (chain_name text PRIMARY KEY, chain_id bigint NOT NULL,
        safe_checkpoint varchar(75) NOT NULL, latest_checkpoint varchar(75) NOT NULL, finalized_checkpoint varchar(75) NOT NULL)`,
    );
  } finally {
    await admin.end();
  }

  const pool = new pg.Pool({ connectionString: url, max: 4, options: `-c search_path="${schema}"` });
  const queries = {
    count: 0,
    texts: [] as string[],
    reset() {
      this.count = 0;
      this.texts = [];
    },
  };
  // Count what the API runs (the writer has a pool of its own).
  const counted = new Proxy(pool, {
    get(target, prop, receiver) {
      if (prop === 'query') {
        return (...args: unknown[]) => {
          queries.count++;
          const first = args[0] as string | { text?: string };
          queries.texts.push(typeof first === 'string' ? first : (first?.text ?? ''));
          return (target.query as (...a: unknown[]) => unknown)(...args);
        };
      }
      return Reflect.get(target, prop, receiver);
    },
  });
  const db = drizzle(counted as pg.Pool, { casing: 'snake_case', schema: tables }) as unknown as Db;
  const writerPool = new pg.Pool({ connectionString: url, max: 2, options: `-c search_path="${schema}"` });
  const writer = drizzle(writerPool, { casing: 'snake_case', schema: tables });

  const setStatus: TestDatabase['setStatus'] = async ({ ready, block, timestamp, finalized }) => {
    const value = { version: '6', is_ready: ready ? 1 : 0, is_locked: 1, is_dev: 0, build_id: 'test', table_names: [], view_names: [], heartbeat_at: Date.now() };
    await writerPool.query(
      `INSERT INTO _ponder_meta (key, value) VALUES ('app', $1) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
      [JSON.stringify(value)],
    );
    const checkpoint = checkpointOf(block, timestamp ?? BigInt(Math.floor(Date.now() / 1000)));
    await writerPool.query(
      `INSERT INTO _ponder_checkpoint VALUES ('loom', 31337, $1, $1, $1)
       ON CONFLICT (chain_name) DO UPDATE SET latest_checkpoint = excluded.latest_checkpoint`,
      [checkpoint],
    );
    if (finalized !== undefined) {
      await writerPool.query(`UPDATE _ponder_checkpoint SET finalized_checkpoint = $1`, [checkpointOf(finalized, BigInt(Math.floor(Date.now() / 1000)))]);
    }
  };

  const drop = register({
    name: `schema ${schema}`,
    stop: async () => {
      await pool.end();
      await writerPool.end();
      await dropSchema(url, schema);
    },
  });

  return { schema, db, tables, writer, queries, setStatus, drop };
}
