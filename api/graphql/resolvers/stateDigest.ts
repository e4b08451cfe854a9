/**
 * Query.stateDigest. Identical requests running at the same time share one computation: a digest
 * reads whole tables, and clients polling it together must not multiply that.
 */
import type { Context } from '../../context';
import { computeStateDigest, type StateDigest } from '../../data/stateDigest';

export const stateDigestResolvers = {
  Query: {
    stateDigest(_: unknown, args: { atBlock?: bigint | null }, ctx: Context): Promise<StateDigest> {
      const key = `digest:${args.atBlock ?? 'head'}`;
      const running = ctx.inFlight.get(key) as Promise<StateDigest> | undefined;
      if (running) return running;
      const promise = computeStateDigest(ctx.db, ctx.tables, args.atBlock).finally(() => ctx.inFlight.delete(key));
      ctx.inFlight.set(key, promise);
      return promise;
    },
  },
};
