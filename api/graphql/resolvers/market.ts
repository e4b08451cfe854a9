/**
 * Query.market: the owner's settings and allow-lists.
 */
import { asc, eq } from 'ponder';
import type { Context } from '../../context';

/** ETH: always allowed, listed first. */
const ETH = `0x${'0'.repeat(40)}`;

export const marketResolvers = {
  Query: {
    async market(_: unknown, __: unknown, ctx: Context) {
      const { market, allowedToken, arbiter } = ctx.tables;
      const [rows, tokens, arbiters] = await Promise.all([
        ctx.db.select().from(market).where(eq(market.id, 1)),
        ctx.db.select({ token: allowedToken.token }).from(allowedToken).where(eq(allowedToken.allowed, true)).orderBy(asc(allowedToken.token)),
        ctx.db.select({ address: arbiter.address }).from(arbiter).where(eq(arbiter.allowed, true)).orderBy(asc(arbiter.address)),
      ]);
      const row = rows[0];
      if (!row) return null;
      return {
        ...row,
        allowedTokens: [ETH, ...tokens.map((t) => t.token).filter((t) => t !== ETH)],
        arbiters: arbiters.map((a) => a.address),
      };
    },
  },
};
