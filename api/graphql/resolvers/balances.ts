/**
 * Query.balances: an account's credited, not yet withdrawn balances.
 */
import { asc, eq } from 'ponder';
import type { Context } from '../../context';

export const balanceResolvers = {
  Query: {
    balances: (_: unknown, args: { account: `0x${string}` }, ctx: Context) => {
      const { balance } = ctx.tables;
      return ctx.db.select().from(balance).where(eq(balance.account, args.account)).orderBy(asc(balance.token));
    },
  },
};
