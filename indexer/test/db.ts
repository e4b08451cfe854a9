/**
 * Reads the indexer's tables straight from its database, PGlite or PostgreSQL, as plain rows:
 * the schema's own (camelCase) column keys, numeric columns (bigints) as decimal strings, int8 columns
 * (uint32 fields, `mode: 'number'` in the schema) as numbers, jsonb parsed. PGlite can only be
 * opened once Ponder has stopped (one process per data directory).
 */
import { PGlite } from '@electric-sql/pglite';
import { getTableColumns, isTable, type Table } from 'drizzle-orm';
import { toSnakeCase } from 'drizzle-orm/casing';
import pg from 'pg';
import * as schema from '../ponder.schema';

export type Row = Record<string, unknown>;
export type Sql = { query: (sql: string, params?: unknown[]) => Promise<Row[]>; close: () => Promise<void> };

const NUMERIC = 1700;
const INT8 = 20;
const INT8_ARRAY = 1016;

export async function openPglite(dir: string): Promise<Sql> {
  const db = new PGlite(dir, { parsers: { [NUMERIC]: (v: string) => v, [INT8]: Number } });
  await db.waitReady;
  return {
    query: async (sql, params) => (await db.query<Row>(sql, params)).rows.map(camel),
    close: () => db.close(),
  };
}

export async function openPostgres(url: string): Promise<Sql> {
  const client = new pg.Client({
    connectionString: url,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
        if (oid === INT8) return Number;
        // int8[] (`job.modelIds`): numbers too, as PGlite reads them.
        if (oid === INT8_ARRAY) return (value: string) => (pg.types.getTypeParser(oid as never, format) as (v: string) => string[])(value).map(Number);
        return pg.types.getTypeParser(oid, format);
      }) as typeof pg.types.getTypeParser,
    },
  });
  await client.connect();
  return {
    query: async (sql, params) => (await client.query(sql, params)).rows.map(camel),
    close: () => client.end(),
  };
}

/** Database column name -> schema key (Ponder names columns with drizzle's snake_case: `vramMiB` is `vram_mi_b`). */
const columnKeys = new Map<string, string>(
  (Object.values(schema) as unknown[])
    .filter((value): value is Table => isTable(value))
    .flatMap((table) => Object.keys(getTableColumns(table)).map((key) => [toSnakeCase(key), key] as const)),
);

function camel(row: Row): Row {
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [columnKeys.get(k) ?? k, v]));
}

/** Every indexed table, with the columns that order its rows. */
export const TABLES: Record<string, string> = {
  job: 'id',
  job_count: 'id',
  job_slot: 'job_id, slot',
  bid: 'job_id, worker',
  worker: 'address',
  worker_client: 'worker, client',
  worker_earning: 'worker, token',
  balance: 'market, account, token',
  job_event: 'id',
  daily_stat: 'day',
  daily_token_stat: 'day, token',
  market: 'address',
  allowed_token: 'market, token',
  arbiter: 'address',
  sealed_bundle: 'id',
  model: 'id',
  model_hub: 'address',
  job_model: 'job_id, model_id',
  pool: 'id',
  pool_member: 'pool, worker',
  pool_fee: 'id',
};

/** All rows of every indexed table in `schema`, in a stable order. */
export async function dumpTables(sql: Sql, schema: string): Promise<Record<string, Row[]>> {
  const dump: Record<string, Row[]> = {};
  for (const [table, order] of Object.entries(TABLES)) {
    dump[table] = await sql.query(`SELECT * FROM "${schema}"."${table}" ORDER BY ${order}`);
  }
  return dump;
}

/** A value as the database returns it: bigints as decimal strings (objects walked). */
export function plain(value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  return value;
}
