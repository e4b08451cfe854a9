/**
 * Query.jobEvents and the JobEvent type. Event cursors (api/data/eventCursors.ts) resume a page in
 * either order, Job.events, and the jobEvents subscription.
 */
import { and, count } from 'ponder';
import type { Context } from '../../context';
import type { JobEventRow } from '../../data/tables';
import { eventCursor, eventIdOfCursor } from '../../data/eventCursors';
import { type JobEventFilter, jobEventFilterCondition } from '../../data/filters';
import { afterCondition, type KeysetOrder, orderByOf } from '../../data/keyset';
import { pageSize, toConnection } from '../../data/pagination';

export const jobEventResolvers = {
  Query: {
    async jobEvents(
      _: unknown,
      args: { filter?: JobEventFilter | null; order?: 'ASC' | 'DESC' | null; first?: number | null; after?: string | null },
      ctx: Context,
    ) {
      const { jobEvent } = ctx.tables;
      const first = pageSize(args.first);
      const order: KeysetOrder = {
        direction: args.order === 'DESC' ? 'desc' : 'asc',
        keys: [{ expr: jobEvent.id, type: 'text' }],
      };
      const where = jobEventFilterCondition(ctx.tables, args.filter);
      const after = args.after ? afterCondition(order, [eventIdOfCursor(args.after)]) : undefined;
      const rows = await ctx.db
        .select()
        .from(jobEvent)
        .where(and(where, after))
        .orderBy(...orderByOf(order))
        .limit(first + 1);
      return toConnection(rows, first, args.after, eventCursor, async () => (await ctx.db.select({ n: count() }).from(jobEvent).where(where))[0]?.n ?? 0);
    },
  },

  JobEvent: {
    cursor: eventCursor,
    job: (e: JobEventRow, _: unknown, ctx: Context) => (e.jobId ? ctx.loaders.jobById.load(e.jobId).then((j) => j ?? null) : null),
  },

  JobEventConnection: { totalCount: (c: { totalCount: () => Promise<number> }) => c.totalCount() },
};
