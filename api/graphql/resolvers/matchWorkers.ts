/**
 * Query.matchWorkers: the workers that could take a job now (the registry's eligibility check; for a
 * replicated job, also not holding one of its slots: its workers are distinct), ranked in SQL by a
 * documented score:
 *
 *   score = 0.40 * reputation / 1000
 *         + 0.35 * priceScore   (cheapest eligible advertised price / this worker's; 1 when its price is 0)
 *         + 0.25 * fitScore     (mean of minGpuCount / gpuCount and minVramMiB / vramMiB;
 *                                a term is 1 when neither side has any, 0.5 when only the worker has)
 *
 * rounded to 6 decimals. Online workers (a heartbeat reached this API recently: api/presence/) rank
 * before offline ones, then the score, ties broken by address. A job restricted to a pool, or a
 * `pool` argument, admits only that pool's members (state MEMBER: the contract's startPoolJob).
 */
import { and, asc, desc, eq, gte, inArray, notInArray, sql } from 'ponder';
import type { Context } from '../../context';
import { ApiError } from '../errors';
import { ZERO_BYTES32 } from '../checkArgs';
import { addressIn } from '../../data/filters';
import { pageSize } from '../../data/pagination';
import { parseJobId, parsePoolId } from '../scalars';

export const SCORE_WEIGHTS = { reputation: 0.4, price: 0.35, fit: 0.25 } as const;

export const matchWorkersResolvers = {
  Query: {
    async matchWorkers(_: unknown, args: { jobId: string; first?: number | null; pool?: string | null }, ctx: Context) {
      const first = pageSize(args.first, 10);
      const id = parseJobId(args.jobId);
      const wanted = args.pool != null ? parsePoolId(args.pool) : null;
      const job = await ctx.loaders.jobById.load(id);
      if (!job) throw new ApiError('NOT_FOUND', `No job ${id}`);
      if (first === 0) return [];
      // A pool job takes its pool's members alone: asked for another pool's, nobody qualifies.
      if (wanted !== null && job.pool !== null && wanted !== job.pool) return [];
      const pool = job.pool ?? wanted;
      const { worker, poolMember } = ctx.tables;
      const members = ctx.db
        .select({ worker: poolMember.worker })
        .from(poolMember)
        .where(and(sql`${poolMember.pool} = ${pool?.toString() ?? '0'}::numeric`, eq(poolMember.state, 'MEMBER')));

      const fitTerm = (required: number, has: typeof worker.gpuCount | typeof worker.vramMiB) =>
        required === 0
          ? sql`case when ${has} = 0 then 1.0 else 0.5 end`
          : sql`(${required}::numeric / ${has})`;
      const reputationScore = sql`(${worker.reputation}::numeric / 1000)`;
      const priceScore = sql`case when ${worker.pricePerGpuHour} = 0 then 1.0
        else (min(${worker.pricePerGpuHour}) over ()) / ${worker.pricePerGpuHour} end`;
      const fitScore = sql`((${fitTerm(job.minGpuCount, worker.gpuCount)} + ${fitTerm(job.minVramMiB, worker.vramMiB)}) / 2)`;

      const ranked = ctx.db
        .select({
          address: worker.address,
          online: sql<boolean>`${addressIn(worker.address, ctx.presence.onlineAddresses())}`.as('online'),
          reputationScore: sql<number>`round(${reputationScore}, 6)::float8`.as('reputation_score'),
          priceScore: sql<number>`round(${priceScore}, 6)::float8`.as('price_score'),
          fitScore: sql<number>`round(${fitScore}, 6)::float8`.as('fit_score'),
          score: sql<number>`round(${SCORE_WEIGHTS.reputation} * ${reputationScore} + ${SCORE_WEIGHTS.price} * ${priceScore} + ${SCORE_WEIGHTS.fit} * ${fitScore}, 6)::float8`.as(
            'score',
          ),
        })
        .from(worker)
        .where(
          and(
            eq(worker.registered, true),
            eq(worker.available, true),
            gte(worker.gpuCount, job.minGpuCount),
            gte(worker.vramMiB, job.minVramMiB),
            job.gpuModelRaw !== ZERO_BYTES32 ? eq(worker.gpuModelRaw, job.gpuModelRaw) : undefined,
            sql`${worker.stake} - ${worker.locked} >= ${job.collateral.toString()}::numeric`,
            job.slotWorkers.length > 0 ? notInArray(worker.address, job.slotWorkers) : undefined,
            pool !== null ? inArray(worker.address, members) : undefined,
          ),
        )
        .as('ranked');

      const rows = await ctx.db
        .select()
        .from(ranked)
        .orderBy(desc(ranked.online), desc(ranked.score), asc(ranked.address))
        .limit(first);
      const workers = await Promise.all(rows.map((r) => ctx.loaders.workerByAddress.load(r.address)));
      return rows.map((r, i) => ({
        worker: workers[i],
        online: r.online === true,
        score: Number(r.score),
        reputationScore: Number(r.reputationScore),
        priceScore: Number(r.priceScore),
        fitScore: Number(r.fitScore),
      }));
    },
  },
};
