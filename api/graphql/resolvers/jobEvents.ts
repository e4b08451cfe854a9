/**
 * Query.jobEvents and the JobEvent type. Event cursors (api/data/eventCursors.ts) resume a page in
 * either order, Job.events, and the jobEvents subscription.
 */
import type { Context } from '../../context';
import type { JobEventRow } from '../../data/tables';
import { eventCursor, eventIdOfCursor } from '../../data/eventCursors';
import { type JobEventFilter, jobEventFilterCondition } from '../../data/filters';
import type { KeysetOrder } from '../../data/keyset';
import { keysetPage } from '../../data/keysetPage';
import { pageSize } from '../../data/pagination';

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
      const afterKey = args.after ? [eventIdOfCursor(args.after)] : undefined;
      return keysetPage(ctx.db, jobEvent, { where, order, afterKey, first, after: args.after, cursorOf: eventCursor });
    },
  },

  JobEvent: {
    cursor: eventCursor,
    job: (e: JobEventRow, _: unknown, ctx: Context) => (e.jobId ? ctx.loaders.jobById.load(e.jobId).then((j) => j ?? null) : null),
  },

  JobEventConnection: { totalCount: (c: { totalCount: () => Promise<number> }) => c.totalCount() },
};
