/**
 * Query.bids and the Bid type.
 */
import { and, count, eq } from 'ponder';
import type { Context } from '../../context';
import type { BidRow, Tables } from '../../data/tables';
import { afterCondition, type KeysetOrder, orderByOf } from '../../data/keyset';
import { decodeCursor, encodeCursor, keyPattern, pageSize, toConnection } from '../../data/pagination';
import { parseJobId } from '../scalars';

export type BidOrderBy = 'PRICE_ASC' | 'PRICE_DESC' | 'PLACED_AT_DESC' | 'PLACED_AT_ASC';

function bidOrder(tables: Tables, orderBy: BidOrderBy): KeysetOrder & { keyOf: (r: BidRow) => string[] } {
  const { bid } = tables;
  const price = orderBy.startsWith('PRICE');
  return {
    direction: orderBy.endsWith('_ASC') ? 'asc' : 'desc',
    keys: [
      { expr: price ? bid.price : bid.placedBlock, type: 'numeric' },
      { expr: bid.jobId, type: 'text' },
      { expr: bid.worker, type: 'text' },
    ],
    keyOf: (r) => [(price ? r.price : r.placedBlock).toString(), r.jobId, r.worker],
  };
}

export const bidResolvers = {
  Query: {
    async bids(
      _: unknown,
      args: {
        jobId?: string | null;
        worker?: `0x${string}` | null;
        status?: BidRow['status'] | null;
        orderBy?: BidOrderBy | null;
        first?: number | null;
        after?: string | null;
      },
      ctx: Context,
    ) {
      const { bid } = ctx.tables;
      const first = pageSize(args.first);
      const orderBy = args.orderBy ?? 'PRICE_ASC';
      const order = bidOrder(ctx.tables, orderBy);
      const where = and(
        args.jobId != null ? eq(bid.jobId, parseJobId(args.jobId)) : undefined,
        args.worker ? eq(bid.worker, args.worker) : undefined,
        args.status ? eq(bid.status, args.status) : undefined,
      );
      const cursorOrder = `bid:${orderBy}`;
      const after = args.after
        ? afterCondition(order, decodeCursor(args.after, cursorOrder, [keyPattern.uint, keyPattern.bytes32, keyPattern.address]))
        : undefined;
      const rows = await ctx.db
        .select()
        .from(bid)
        .where(and(where, after))
        .orderBy(...orderByOf(order))
        .limit(first + 1);
      return toConnection(
        rows,
        first,
        args.after,
        (r) => encodeCursor(cursorOrder, order.keyOf(r)),
        async () => (await ctx.db.select({ n: count() }).from(bid).where(where))[0]?.n ?? 0,
      );
    },
  },

  Bid: {
    job: async (bid: BidRow, _: unknown, ctx: Context) => {
      const job = await ctx.loaders.jobById.load(bid.jobId);
      // A bid always references an indexed job; a missing one would be an indexer bug.
      if (!job) throw new Error(`bid on unknown job ${bid.jobId}`);
      return job;
    },
    bidder: (bid: BidRow, _: unknown, ctx: Context) => ctx.loaders.workerByAddress.load(bid.worker),
  },

  BidConnection: { totalCount: (c: { totalCount: () => Promise<number> }) => c.totalCount() },
};
