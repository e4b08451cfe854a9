/**
 * Query.balances (an account's credits per token, summed over the ledgers: both markets and the model
 * hub) and Query.credits (per ledger and token: where each is withdrawn).
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
      const { balance, market, modelHub } = ctx.tables;
      const rows = await ctx.db
        .select({
          market: balance.market,
          kind: market.kind,
          modelHub: sql<boolean>`${modelHub.address} is not null`,
          token: balance.token,
          amount: balance.amount,
          credited: balance.credited,
          withdrawn: balance.withdrawn,
        })
        .from(balance)
        .leftJoin(market, eq(market.address, balance.market))
        .leftJoin(modelHub, eq(modelHub.address, balance.market))
        .where(eq(balance.account, args.account))
        .orderBy(asc(balance.market), asc(balance.token));
      // The single-worker market, the replicated market, the model hub, then any ledger not indexed.
      const rank = (r: { kind: string | null; modelHub: boolean }) => (r.kind === 'SINGLE' ? 0 : r.kind === 'REPLICATED' ? 1 : r.modelHub ? 2 : 3);
      return rows.map((r) => ({ ...r, modelHub: r.modelHub === true })).sort((a, b) => rank(a) - rank(b));
    },
  },
};
