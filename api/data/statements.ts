/**
 * Prepared statements for the hottest queries (a page of jobs, the bids of a page's jobs): drizzle
 * builds their SQL once per database instead of on every request, and PostgreSQL parses and plans
 * each once per connection. Values go in as placeholders (`sql.placeholder(name)`).
 *
 * A statement's name is a hash of its SQL text, so that two texts never share a name on one
 * connection (PostgreSQL rejects that), whichever API instance prepared them.
 */
import { createHash } from 'node:crypto';
import type { Db } from './tables';

/** A drizzle query that can be prepared (a select builder). */
type Preparable<T> = {
  toSQL(): { sql: string };
  prepare(name: string): Statement<T>;
  execute(values?: Record<string, unknown>): Promise<T>;
};

export type Statement<T> = { execute(values?: Record<string, unknown>): Promise<T> };

const statementsByDb = new WeakMap<object, Map<string, Statement<unknown>>>();

/**
 * Distinct statements kept per database. Keys come from queries' shapes (which columns, which
 * order), so clients choose them: past the cap, a new shape runs unprepared.
 */
export const MAX_STATEMENTS = 256;

/**
 * The statement `build` makes, built and prepared on the first call for `key` on this database.
 * `key` must name everything that shapes the SQL (not the placeholders' values).
 *
 * @example
 * const page = statement(db, 'jobs:newest', () =>
 *   db.select().from(job).orderBy(desc(job.postedBlock)).limit(sql.placeholder('limit')));
 * const rows = await page.execute({ limit: 21 });
 */
export function statement<T>(db: Db, key: string, build: () => Preparable<T>): Statement<T> {
  let statements = statementsByDb.get(db);
  if (!statements) statementsByDb.set(db, (statements = new Map()));
  let prepared = statements.get(key) as Statement<T> | undefined;
  if (!prepared && statements.size >= MAX_STATEMENTS) return { execute: (values) => build().execute(values) };
  if (!prepared) {
    const query = build();
    const name = `loom_${createHash('sha256').update(query.toSQL().sql).digest('hex').slice(0, 24)}`;
    prepared = query.prepare(name);
    statements.set(key, prepared);
  }
  return prepared;
}
