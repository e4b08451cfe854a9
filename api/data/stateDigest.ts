/**
 * A deterministic digest of the indexed state (specified in api/README.md, "State digest"):
 *
 *   table sha256 = sha256( canonicalJson(row) + "\n"  for each row, in primary-key order )
 *   digest       = sha256( canonicalJson({ version, scope, atBlock, tables: [{ name, rows, sha256 }] }) )
 *
 * Rows are read in pages by primary key (keyset, using the primary-key index) and each page is checked
 * to continue in code-point order, so the order is the same on every database whatever its collation.
 */
import { createHash } from 'node:crypto';
import { and, asc, lte, sql } from 'ponder';
import { canonicalJson } from './canonicalJson';
import type { Db, Tables } from './tables';
import { ApiError } from '../graphql/errors';
import { readHeadBlock } from './indexingStatus';
import type { SQL } from './keyset';

/** Bumped whenever what is hashed, or how, changes. */
export const DIGEST_VERSION = 7;
const PAGE = 2_000;

type TableName = keyof Tables;

/** The covered tables: SQL name, schema export, primary-key columns (schema property names). */
export const digestTables: { name: string; table: TableName; pk: string[] }[] = [
  { name: 'allowed_token', table: 'allowedToken', pk: ['market', 'token'] },
  { name: 'arbiter', table: 'arbiter', pk: ['address'] },
  { name: 'balance', table: 'balance', pk: ['market', 'account', 'token'] },
  { name: 'bid', table: 'bid', pk: ['jobId', 'worker'] },
  { name: 'daily_stat', table: 'dailyStat', pk: ['day'] },
  { name: 'daily_token_stat', table: 'dailyTokenStat', pk: ['day', 'token'] },
  { name: 'job', table: 'job', pk: ['id'] },
  { name: 'job_count', table: 'jobCount', pk: ['id'] },
  { name: 'job_event', table: 'jobEvent', pk: ['id'] },
  { name: 'job_model', table: 'jobModel', pk: ['jobId', 'modelId'] },
  { name: 'job_slot', table: 'jobSlot', pk: ['jobId', 'slot'] },
  { name: 'market', table: 'market', pk: ['address'] },
  { name: 'model', table: 'model', pk: ['id'] },
  { name: 'model_hub', table: 'modelHub', pk: ['address'] },
  { name: 'pool', table: 'pool', pk: ['id'] },
  { name: 'pool_fee', table: 'poolFee', pk: ['id'] },
  { name: 'pool_member', table: 'poolMember', pk: ['pool', 'worker'] },
  { name: 'sealed_bundle', table: 'sealedBundle', pk: ['id'] },
  { name: 'worker', table: 'worker', pk: ['address'] },
  { name: 'worker_client', table: 'workerClient', pk: ['worker', 'client'] },
  { name: 'worker_earning', table: 'workerEarning', pk: ['worker', 'token'] },
];

export type TableDigest = { name: string; rows: number; sha256: `0x${string}` };
export type StateDigest = {
  digest: `0x${string}`;
  scope: 'EVENTS' | 'FULL';
  atBlock: bigint;
  headBlock: bigint;
  tables: TableDigest[];
  version: number;
};

const sha256Hex = (hash: ReturnType<typeof createHash>) => `0x${hash.digest('hex')}` as const;

/** Compares primary keys in code-point order (numbers and bigints numerically). */
function comparePk(a: unknown[], b: unknown[]): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    if (typeof x === 'bigint' && typeof y === 'bigint') return x < y ? -1 : 1;
    return String(x) < String(y) ? -1 : 1;
  }
  return 0;
}

async function digestTable(db: Db, tables: Tables, spec: (typeof digestTables)[number], where: SQL | undefined): Promise<TableDigest> {
  const table = tables[spec.table] as Tables['job'];
  const columns = spec.pk.map((k) => (table as unknown as Record<string, Parameters<typeof asc>[0]>)[k]!);
  const hash = createHash('sha256');
  let rows = 0;
  let last: unknown[] | undefined;
  for (;;) {
    const after = last
      ? sql`(${sql.join(columns.map((c) => sql`${c}`), sql`, `)}) > (${sql.join(last.map((v) => sql`${typeof v === 'bigint' ? v.toString() : v}`), sql`, `)})`
      : undefined;
    const page = (await db
      .select()
      .from(table)
      .where(and(where, after))
      .orderBy(...columns.map((c) => asc(c)))
      .limit(PAGE)) as Record<string, unknown>[];
    for (const row of page) {
      const pk = spec.pk.map((k) => row[k]);
      if (last && comparePk(pk, last) <= 0) {
        // The database's collation orders these keys differently from code points: refuse rather than
        // publish a digest that another database would compute differently.
        throw new Error(`state digest: ${spec.name} primary keys are not in code-point order under this collation`);
      }
      last = pk;
      hash.update(`${canonicalJson(row)}\n`);
      rows++;
    }
    if (page.length < PAGE) break;
  }
  return { name: spec.name, rows, sha256: sha256Hex(hash) };
}

/**
 * Computes the digest at `atBlock` (omitted, or at/after the latest indexed block: FULL at the head).
 * A FULL digest is retried when indexing moves on while it reads, so it reflects one block.
 */
export async function computeStateDigest(db: Db, tables: Tables, atBlock: bigint | null | undefined): Promise<StateDigest> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const head = (await readHeadBlock(db))?.number ?? 0n;
    const scope: StateDigest['scope'] = atBlock != null && atBlock < head ? 'EVENTS' : 'FULL';
    const block = scope === 'EVENTS' ? atBlock! : head;
    const covered = scope === 'EVENTS' ? digestTables.filter((t) => t.table === 'jobEvent') : digestTables;
    const results: TableDigest[] = [];
    for (const spec of covered) {
      const where = spec.table === 'jobEvent' ? lte(tables.jobEvent.blockNumber, block) : undefined;
      results.push(await digestTable(db, tables, spec, where));
    }
    const headAfter = (await readHeadBlock(db))?.number ?? 0n;
    if (scope === 'EVENTS' || headAfter === head) {
      const summary = { version: DIGEST_VERSION, scope, atBlock: block, tables: results };
      const digest = sha256Hex(createHash('sha256').update(canonicalJson(summary)));
      return { ...summary, digest, headBlock: headAfter };
    }
  }
  throw new ApiError('UNAVAILABLE', 'Indexing kept moving while the digest was computed; retry, or pass an atBlock in the past');
}
