/**
 * Per-request loaders for everything a response nests (a job's bids, slots and events, a bid's job
 * and worker, a worker's earnings): each level of a response costs one query, whatever the page size.
 */
import { getTableColumns } from 'drizzle-orm';
import { and, asc, eq, inArray, sql } from 'ponder';
import { createBatchLoader, createLoaderGroup } from './batchLoader';
import type {
  BidRow,
  Db,
  JobEventRow,
  JobModelRow,
  JobRow,
  ModelRow,
  PoolMemberRow,
  PoolRow,
  SlotRow,
  Tables,
  WorkerEarningRow,
  WorkerRow,
} from './tables';
import { afterCondition, type KeysetOrder, orderByOf, type SQL } from './keyset';
import { statement } from './statements';

type AnyColumn = Tables['bid']['jobId'] | Tables['bid']['worker'] | Tables['jobEvent']['id'] | Tables['jobEvent']['jobId'];

/** A nested page request, shared by all parents of one response level. */
export type NestedPage = { first: number; afterKey: string[] | null; status?: string | null; atBlock?: bigint | null };

export type Loaders = ReturnType<typeof createLoaders>;

/**
 * Loaders built on first use. A subscription's context, and each item it delivers, gets a fresh set;
 * most items read no nested row, and thousands of open subscriptions then hold no loaders at all.
 */
export function lazyLoaders(db: Db, tables: Tables): Loaders {
  let loaders: Loaders | undefined;
  return new Proxy({} as Loaders, { get: (_, key) => (loaders ??= createLoaders(db, tables))[key as keyof Loaders] });
}

/** The order of a job's bids (Job.bids): lowest price first, then worker. */
export function jobBidsOrder(tables: Tables): KeysetOrder {
  return {
    direction: 'asc',
    keys: [
      { expr: tables.bid.price, type: 'numeric' },
      { expr: tables.bid.worker, type: 'text' },
    ],
  };
}

export function createLoaders(db: Db, tables: Tables) {
  const { job, jobSlot, bid, worker, workerEarning, jobEvent, model, jobModel, pool, poolMember } = tables;

  const byKey = <R, K extends string>(keys: K[], rows: R[], keyOf: (r: R) => string) => {
    const map = new Map(rows.map((r) => [keyOf(r), r]));
    return keys.map((k) => map.get(k));
  };
  const groupBy = <R, K extends string>(keys: K[], rows: R[], keyOf: (r: R) => string) => {
    const map = new Map<string, R[]>();
    for (const r of rows) {
      const k = keyOf(r);
      let list = map.get(k);
      if (!list) map.set(k, (list = []));
      list.push(r);
    }
    return keys.map((k) => map.get(k) ?? []);
  };

  /**
   * The first `limit` rows per parent of `parents` in one prepared statement: a window numbers each
   * parent's rows in `order`, and the outer select keeps those ranked within the limit. `key` names
   * what shapes `where` (which optional conditions it has); `values` fill the placeholders.
   */
  async function topPerParent<R>(
    key: string,
    table: Tables['bid'] | Tables['jobEvent'],
    partition: AnyColumn,
    order: KeysetOrder,
    where: () => SQL | undefined,
    values: { parents: string[]; limit: number } & Record<string, unknown>,
  ): Promise<R[]> {
    const rows = await statement(db, key, () => {
      const columns = getTableColumns(table as Tables['bid']);
      const window = sql<number>`row_number() over (partition by ${partition} order by ${sql.join(orderByOf(order), sql`, `)})`;
      const parents = sql`${partition} = any(${sql.placeholder('parents')}::text[])`;
      const ranked = db
        .select({ ...columns, rn: window.as('rn') })
        .from(table as Tables['bid'])
        .where(and(parents, where()))
        .as('ranked');
      // The table's columns (with their decoders), read from the ranked rows, and the order on them.
      const field = (name: string) => (ranked as unknown as Record<string, typeof columns.jobId>)[name]!;
      const outer = Object.fromEntries(Object.keys(columns).map((name) => [name, field(name)]));
      const nameOf = new Map(Object.entries(columns).map(([name, column]) => [column as unknown, name]));
      const outerOrder: KeysetOrder = {
        direction: order.direction,
        keys: order.keys.map((k) => ({ ...k, expr: field(nameOf.get(k.expr)!) })),
      };
      return db
        .select(outer)
        .from(ranked)
        .where(sql`${ranked.rn} <= ${sql.placeholder('limit')}`)
        .orderBy(...orderByOf(outerOrder));
    }).execute(values);
    return rows as R[];
  }

  return {
    jobById: createBatchLoader(async (ids: string[]) => {
      const rows = await db.select().from(job).where(inArray(job.id, ids as `0x${string}`[]));
      return byKey(ids, rows, (r) => r.id) as (JobRow | undefined)[];
    }),

    workerByAddress: createBatchLoader(async (addresses: string[]) => {
      const rows = await db
        .select()
        .from(worker)
        .where(inArray(worker.address, addresses as `0x${string}`[]));
      return byKey(addresses, rows, (r) => r.address) as (WorkerRow | undefined)[];
    }),

    /** Job.slots: every slot of each job (at most MAX_REPLICAS), in slot order. */
    slotsByJob: createBatchLoader(async (jobIds: string[]) => {
      const rows = await db
        .select()
        .from(jobSlot)
        .where(inArray(jobSlot.jobId, jobIds as `0x${string}`[]))
        .orderBy(asc(jobSlot.jobId), asc(jobSlot.slot));
      return groupBy(jobIds, rows, (r) => r.jobId) as SlotRow[][];
    }),

    earningsByWorker: createBatchLoader(async (addresses: string[]) => {
      const rows = await db
        .select()
        .from(workerEarning)
        .where(inArray(workerEarning.worker, addresses as `0x${string}`[]))
        .orderBy(asc(workerEarning.token));
      return groupBy(addresses, rows, (r) => r.worker) as WorkerEarningRow[][];
    }),

    /** Models by id (decimal strings: loader keys are strings). */
    modelById: createBatchLoader(async (ids: string[]) => {
      const rows = await db.select().from(model).where(inArray(model.id, ids.map(Number)));
      return byKey(ids, rows, (r) => String(r.id)) as (ModelRow | undefined)[];
    }),

    /** Pools by id (decimal strings). */
    poolById: createBatchLoader(async (ids: string[]) => {
      const rows = await db.select().from(pool).where(inArray(pool.id, ids.map(BigInt)));
      return byKey(ids, rows, (r) => r.id.toString()) as (PoolRow | undefined)[];
    }),

    /** Job.models: each job's models in the order the job listed them. */
    modelsByJob: createBatchLoader(async (jobIds: string[]) => {
      const rows = await db
        .select()
        .from(jobModel)
        .where(inArray(jobModel.jobId, jobIds as `0x${string}`[]))
        .orderBy(asc(jobModel.jobId), asc(jobModel.position));
      return groupBy(jobIds, rows, (r) => r.jobId) as JobModelRow[][];
    }),

    /** Worker.pool: each worker's membership (a worker is in one pool at most). */
    membershipByWorker: createBatchLoader(async (addresses: string[]) => {
      const rows = await db
        .select()
        .from(poolMember)
        .where(inArray(poolMember.worker, addresses as `0x${string}`[]));
      return byKey(addresses, rows, (r) => r.worker) as (PoolMemberRow | undefined)[];
    }),

    /** Job.bids: per job, the first `first + 1` bids after the cursor. */
    bidsByJob: createLoaderGroup(
      (page: NestedPage) =>
        createBatchLoader(async (jobIds: string[]) => {
          const order = jobBidsOrder(tables);
          const rows = await topPerParent<BidRow>(
            `bidsByJob:${page.status ? 'status' : ''}:${page.afterKey ? 'after' : ''}`,
            bid,
            bid.jobId,
            order,
            () =>
              and(
                page.status ? eq(bid.status, sql.placeholder('status')) : undefined,
                page.afterKey ? afterCondition(order, [sql.placeholder('k0'), sql.placeholder('k1')]) : undefined,
              ),
            { parents: jobIds, limit: page.first + 1, status: page.status, k0: page.afterKey?.[0], k1: page.afterKey?.[1] },
          );
          return groupBy(jobIds, rows, (r) => r.jobId);
        }),
      (page) => JSON.stringify([page.first, page.afterKey, page.status ?? null]),
    ),

    /** Job.events: per job, the first `first + 1` events after the cursor, up to `atBlock` if given. */
    eventsByJob: createLoaderGroup(
      (page: NestedPage) =>
        createBatchLoader(async (jobIds: string[]) => {
          const order: KeysetOrder = { direction: 'asc', keys: [{ expr: jobEvent.id, type: 'text' }] };
          const rows = await topPerParent<JobEventRow>(
            `eventsByJob:${page.atBlock != null ? 'atBlock' : ''}:${page.afterKey ? 'after' : ''}`,
            jobEvent,
            jobEvent.jobId,
            order,
            () =>
              and(
                page.atBlock != null ? sql`${jobEvent.blockNumber} <= ${sql.placeholder('atBlock')}::numeric` : undefined,
                page.afterKey ? afterCondition(order, [sql.placeholder('k0')]) : undefined,
              ),
            { parents: jobIds, limit: page.first + 1, atBlock: page.atBlock?.toString(), k0: page.afterKey?.[0] },
          );
          return groupBy(jobIds, rows, (r) => r.jobId ?? '');
        }),
      (page) => JSON.stringify([page.first, page.afterKey, page.atBlock?.toString() ?? null]),
    ),
  };
}
