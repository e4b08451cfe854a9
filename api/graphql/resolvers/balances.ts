/**
 * Query.balances (an account's credits per token, summed over the markets) and Query.credits (per
 * market and token: where each is withdrawn).
 */
import { asc, eq, sql } from 'ponder';
import type { Context } from '../../context';

export const balanceResolvers = {
  Query: {
    balances: (_: unknown, args: { account: `0x${string}` }, ctx: Context) => {
      const { balance } = ctx.tables;
      return ctx.db
        .select({
          account: balance.account,
          token: balance.token,
          // numeric sums, read back as decimal strings: the BigInt scalar serializes them as they are.
          amount: sql<string>`sum(${balance.amount})::text`,
          credited: sql<string>`sum(${balance.credited})::text`,
          withdrawn: sql<string>`sum(${balance.withdrawn})::text`,
        })
        .from(balance)
        .where(eq(balance.account, args.account))
        .groupBy(balance.account, balance.token)
        .orderBy(asc(balance.token));
    },

    credits: async (_: unknown, args: { account: `0x${string}` }, ctx: Context) => {
      const { balance, market } = ctx.tables;
      const rows = await ctx.db
        .select({
          market: balance.market,
          kind: market.kind,
          token: balance.token,
          amount: balance.amount,
          credited: balance.credited,
          withdrawn: balance.withdrawn,
        })
        .from(balance)
        .leftJoin(market, eq(market.address, balance.market))
        .where(eq(balance.account, args.account))
        .orderBy(asc(balance.market), asc(balance.token));
      const rank = (kind: string | null) => (kind === 'SINGLE' ? 0 : kind === 'REPLICATED' ? 1 : 2);
      return rows.sort((a, b) => rank(a.kind) - rank(b.kind));
    },
  },
};
