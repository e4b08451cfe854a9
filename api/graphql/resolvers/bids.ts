/**
 * Query.bids and the Bid type.
 */
import { and, eq } from 'ponder';
import type { Context } from '../../context';
import type { BidRow, Tables } from '../../data/tables';
import type { KeysetOrder } from '../../data/keyset';
import { keysetPage } from '../../data/keysetPage';
import { decodeCursor, encodeCursor, keyPattern, pageSize } from '../../data/pagination';
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
      const afterKey = args.after ? decodeCursor(args.after, cursorOrder, [keyPattern.uint, keyPattern.bytes32, keyPattern.address]) : undefined;
      return keysetPage(ctx.db, bid, { where, order, afterKey, first, after: args.after, cursorOf: (r) => encodeCursor(cursorOrder, order.keyOf(r)) });
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
