/**
 * Query.jobEvents and the JobEvent type. An event's cursor encodes its id (and its block hash, which
 * pages ignore), so the same cursor resumes a page in either order, Job.events, and the jobEvents
 * subscription.
 */
import { and, count, eq, gte, inArray, lte } from 'ponder';
import type { Context, JobEventRow, Tables } from '../../context';
import { ApiError } from '../errors';
import { boundedList } from '../checkArgs';
import { afterCondition, type KeysetOrder, orderByOf, type SQL } from '../../data/keyset';
import { decodeCursor, encodeCursor, keyPattern, pageSize, toConnection } from '../../data/pagination';
import { parseJobId } from '../scalars';

export type JobEventFilter = {
  jobId?: string | null;
  account?: `0x${string}` | null;
  names?: string[] | null;
  fromBlock?: bigint | null;
  toBlock?: bigint | null;
};

/**
 * The cursor of an event: its id, which orders the log, and its block hash, which lets the
 * `jobEvents` subscription tell whether the event is still on the chain when a client resumes.
 */
export const eventCursor = (row: Pick<JobEventRow, 'id' | 'blockHash'>) => encodeCursor('event', [row.id, row.blockHash]);

/** The id behind an event cursor, with or without its block hash (INVALID_CURSOR otherwise). */
export function eventIdOfCursor(cursor: string): string {
  try {
    return decodeCursor(cursor, 'event', [keyPattern.eventId, keyPattern.bytes32])[0]!;
  } catch {
    return decodeCursor(cursor, 'event', [keyPattern.eventId])[0]!;
  }
}

/** The SQL condition of a JobEventFilter (also the jobEvents subscription's backfill). */
export function jobEventFilterCondition(tables: Tables, filter: JobEventFilter | null | undefined): SQL | undefined {
  if (!filter) return undefined;
  const { jobEvent } = tables;
  const names = boundedList('names', filter.names, 20);
  if (names?.some((n) => n.length > 64)) throw new ApiError('BAD_USER_INPUT', 'an event name is at most 64 characters');
  return and(
    filter.jobId != null ? eq(jobEvent.jobId, parseJobId(filter.jobId)) : undefined,
    filter.account ? eq(jobEvent.account, filter.account) : undefined,
    names ? inArray(jobEvent.name, [...names]) : undefined,
    filter.fromBlock != null ? gte(jobEvent.blockNumber, filter.fromBlock) : undefined,
    filter.toBlock != null ? lte(jobEvent.blockNumber, filter.toBlock) : undefined,
  );
}

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
