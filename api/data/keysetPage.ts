/**
 * One page of a table in keyset order, as a Relay connection: the rows after the cursor's key (one
 * more than the page, to know whether another follows), and the total count only when asked for.
 */
import { and, count } from 'ponder';
import type { PgTable } from 'drizzle-orm/pg-core';
import { afterCondition, type KeysetOrder, type KeyValue, orderByOf, type SQL } from './keyset';
import { type Connection, toConnection } from './pagination';
import type { Db } from './tables';

export type KeysetPage<Row> = {
  where: SQL | undefined;
  order: KeysetOrder;
  /** The sort key of the row the `after` cursor points at. */
  afterKey: readonly KeyValue[] | undefined;
  first: number;
  after: string | null | undefined;
  cursorOf: (row: Row) => string;
};

/**
 * @example
 * keysetPage(ctx.db, ctx.tables.bid, { where, order, afterKey, first, after: args.after, cursorOf })
 */
export async function keysetPage<T extends PgTable>(db: Db, table: T, o: KeysetPage<T['$inferSelect']>): Promise<Connection<T['$inferSelect']>> {
  // The tables are the indexer's; drizzle's generic select cannot name their row type from `T` alone.
  const rows = (await db
    .select()
    .from(table as never)
    .where(and(o.where, o.afterKey && afterCondition(o.order, o.afterKey)))
    .orderBy(...orderByOf(o.order))
    .limit(o.first + 1)) as T['$inferSelect'][];
  const total = async () => ((await db.select({ n: count() }).from(table as never).where(o.where)) as { n: number }[])[0]?.n ?? 0;
  return toConnection(rows, o.first, o.after, o.cursorOf, total);
}
