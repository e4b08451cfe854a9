/**
 * Keyset ordering: an order is a list of sort keys (the last ones unique) in one direction; resuming
 * after a row is the row comparison `(keys...) > (values...)` (or `<` when descending).
 */
import { asc, desc, sql } from 'ponder';

export type SQL = ReturnType<typeof sql.empty>;
type Sortable = Parameters<typeof asc>[0];

/** One sort key: an expression and how its cursor value is compared (`numeric` for bigints). */
export type SortKey = { expr: Sortable; type: 'numeric' | 'text' | 'integer' };

export type KeysetOrder = { keys: SortKey[]; direction: 'asc' | 'desc' };

/** The ORDER BY clauses of an order. */
export function orderByOf({ keys, direction }: KeysetOrder): SQL[] {
  return keys.map((k) => (direction === 'asc' ? asc(k.expr) : desc(k.expr)));
}

/** A sort key value: a string, or a placeholder of a prepared statement (see statements.ts). */
export type KeyValue = string | ReturnType<typeof sql.placeholder>;

/** The condition "after the row whose sort key is `values`". */
export function afterCondition({ keys, direction }: KeysetOrder, values: readonly KeyValue[]): SQL {
  const left = sql.join(
    keys.map((k) => sql`${k.expr}`),
    sql`, `,
  );
  const right = sql.join(
    keys.map((k, i) =>
      k.type === 'numeric'
        ? sql`${values[i]}::numeric`
        : k.type === 'integer'
          ? sql`${values[i]}::integer`
          : sql`${values[i]}::text`,
    ),
    sql`, `,
  );
  return direction === 'asc' ? sql`(${left}) > (${right})` : sql`(${left}) < (${right})`;
}
