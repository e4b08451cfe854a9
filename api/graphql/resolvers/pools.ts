/**
 * Query.pools, Query.pool and the Pool and PoolMember types: worker pools as indexed from the
 * registry (indexer/src/LoomRegistry.ts), their jobs (the `pool` column of `job`) and the fees their
 * operators were credited (`pool_fee`).
 */
import { and, asc, count, eq, inArray, or, sql } from 'ponder';
import type { Context } from '../../context';
import type { KeysetOrder } from '../../data/keyset';
import { keysetPage } from '../../data/keysetPage';
import { decodeCursor, encodeCursor, keyPattern, pageSize } from '../../data/pagination';
import type { PoolMemberRow, PoolRow } from '../../data/tables';
import { parsePoolId } from '../scalars';
import { jobsConnection } from './jobs';

type MemberState = PoolMemberRow['state'];
/** The states of a member proper (a request is not one yet). */
const MEMBERS: MemberState[] = ['MEMBER', 'LEAVING'];

export const poolResolvers = {
  Query: {
    async pools(_: unknown, args: { first?: number | null; after?: string | null }, ctx: Context) {
      const first = pageSize(args.first);
      const { pool } = ctx.tables;
      const order: KeysetOrder = { direction: 'desc', keys: [{ expr: pool.id, type: 'numeric' }] };
      const afterKey = args.after ? decodeCursor(args.after, 'pool', [keyPattern.uint]) : undefined;
      const page = await keysetPage(ctx.db, pool, { where: undefined, order, afterKey, first, after: args.after, cursorOf: (r) => encodeCursor('pool', [r.id.toString()]) });
      for (const { node } of page.edges) ctx.loaders.poolById.prime(node.id.toString(), node);
      return page;
    },

    pool: async (_: unknown, args: { id: string }, ctx: Context) => (await ctx.loaders.poolById.load(parsePoolId(args.id).toString())) ?? null,
  },

  Pool: {
    id: (p: PoolRow) => p.id.toString(),
    members(p: PoolRow, args: { state?: MemberState | null }, ctx: Context) {
      const { poolMember } = ctx.tables;
      return ctx.db
        .select()
        .from(poolMember)
        .where(and(eq(poolMember.pool, p.id), args.state ? eq(poolMember.state, args.state) : undefined))
        .orderBy(asc(poolMember.since), asc(poolMember.worker));
    },

    async memberCount(p: PoolRow, _: unknown, ctx: Context) {
      const { poolMember } = ctx.tables;
      const [row] = await ctx.db.select({ n: count() }).from(poolMember).where(and(eq(poolMember.pool, p.id), inArray(poolMember.state, MEMBERS)));
      return row?.n ?? 0;
    },

    jobs: (p: PoolRow, args: { first?: number | null; after?: string | null }, ctx: Context) =>
      jobsConnection(ctx, { ...args, filter: { pool: p.id.toString() } }),

    async jobsCompleted(p: PoolRow, _: unknown, ctx: Context) {
      const { job } = ctx.tables;
      const [row] = await ctx.db
        .select({ n: count() })
        .from(job)
        .where(and(eq(job.pool, p.id), or(eq(job.closeReason, 'COMPLETED'), eq(job.outcome, 'QUORUM_REACHED'))));
      return row?.n ?? 0;
    },

    earnings(p: PoolRow, _: unknown, ctx: Context) {
      const { poolFee } = ctx.tables;
      return ctx.db
        .select({ token: poolFee.token, amount: sql<string>`sum(${poolFee.amount})::text` })
        .from(poolFee)
        .where(eq(poolFee.pool, p.id))
        .groupBy(poolFee.token)
        .orderBy(asc(poolFee.token));
    },

    /** The mean stored reputation of its members (MEMBER or LEAVING), rounded in SQL so that every database agrees. */
    async reputation(p: PoolRow, _: unknown, ctx: Context) {
      const { poolMember, worker } = ctx.tables;
      const [row] = await ctx.db
        .select({ mean: sql<number | null>`round(avg(${worker.reputation}), 6)::float8` })
        .from(poolMember)
        .innerJoin(worker, eq(worker.address, poolMember.worker))
        .where(and(eq(poolMember.pool, p.id), inArray(poolMember.state, MEMBERS)));
      return row?.mean == null ? null : Number(row.mean);
    },
  },

  PoolMember: {
    pool: (m: PoolMemberRow, _: unknown, ctx: Context) => ctx.loaders.poolById.load(m.pool.toString()),
    worker: (m: PoolMemberRow, _: unknown, ctx: Context) => ctx.loaders.workerByAddress.load(m.worker),
    address: (m: PoolMemberRow) => m.worker,
  },

  PoolConnection: { totalCount: (c: { totalCount: () => Promise<number> }) => c.totalCount() },
};
