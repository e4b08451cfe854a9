/**
 * Query.market and Query.markets: each market's owner settings and allow-lists.
 */
import { asc, eq } from 'ponder';
import type { Context } from '../../context';
import type { MarketRow } from '../../data/tables';

/** ETH: always allowed, listed first. */
const ETH = `0x${'0'.repeat(40)}` as const;

/** The single-worker market first (the one `market` answers without an address), then by address. */
const marketOrder = (a: MarketRow, b: MarketRow) =>
  a.kind !== b.kind ? (a.kind === 'SINGLE' ? -1 : 1) : a.address < b.address ? -1 : a.address > b.address ? 1 : 0;

async function withLists(ctx: Context, rows: MarketRow[]) {
  const { allowedToken, arbiter } = ctx.tables;
  const [tokens, arbiters] = await Promise.all([
    ctx.db
      .select({ market: allowedToken.market, token: allowedToken.token })
      .from(allowedToken)
      .where(eq(allowedToken.allowed, true))
      .orderBy(asc(allowedToken.token)),
    ctx.db.select({ address: arbiter.address }).from(arbiter).where(eq(arbiter.allowed, true)).orderBy(asc(arbiter.address)),
  ]);
  return rows.sort(marketOrder).map((row) => ({
    ...row,
    defaultArbiter: row.defaultArbiter ?? ETH,
    allowedTokens: [ETH, ...tokens.filter((t) => t.market === row.address && t.token !== ETH).map((t) => t.token)],
    // Arbiters are the single-worker market's alone.
    arbiters: row.kind === 'SINGLE' ? arbiters.map((a) => a.address) : [],
  }));
}

export const marketResolvers = {
  Query: {
    async market(_: unknown, args: { address?: `0x${string}` | null }, ctx: Context) {
      const { market } = ctx.tables;
      const rows = await ctx.db
        .select()
        .from(market)
        .where(args.address ? eq(market.address, args.address) : eq(market.kind, 'SINGLE'));
      // Without an address, the single-worker market: there is one per deployment.
      const row = rows.sort(marketOrder)[0];
      return row ? (await withLists(ctx, [row]))[0] : null;
    },

    async markets(_: unknown, __: unknown, ctx: Context) {
      return withLists(ctx, await ctx.db.select().from(ctx.tables.market));
    },
  },
};
