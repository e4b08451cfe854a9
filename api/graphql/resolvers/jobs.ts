/**
 * Query.job, Query.jobs and the Job, ReplicatedTerms and Slot types: filters, keyset pages, time
 * travel, and nested bids, slots and events through per-request loaders.
 */
import { and, count, desc, eq, lte, sql } from 'ponder';
import { countOf } from '../../../indexer/src/fold/jobCount';
import type { Context } from '../../context';
import type { BidRow, JobModelRow, JobNode, JobRow, SlotRow, Tables } from '../../data/tables';
import { eventCursor, eventIdOfCursor } from '../../data/eventCursors';
import { type JobFilter, jobFilterCondition, paidPrice, paidPriceOf, statusesOnly } from '../../data/filters';
import { readHeadBlock } from '../../data/indexingStatus';
import { type JobColumnName, jobColumnsFor, jobSelection } from '../../data/jobColumns';
import { afterCondition, type KeysetOrder, orderByOf, type SQL } from '../../data/keyset';
import type { NestedPage } from '../../data/loaders';
import { decodeCursor, encodeCursor, keyPattern, pageSize, toConnection } from '../../data/pagination';
import { statement } from '../../data/statements';
import { ApiError } from '../errors';
import { parseJobId } from '../scalars';
import { argumentValue, connectionNodeFields, type SelectionInfo } from '../selection';

export type JobOrderBy = 'POSTED_AT_DESC' | 'POSTED_AT_ASC' | 'BUDGET_DESC' | 'BUDGET_ASC' | 'PRICE_DESC' | 'PRICE_ASC';

type JobOrder = KeysetOrder & { keyOf: (row: JobRow) => string[]; columns: JobColumnName[] };

function jobOrder(tables: Tables, orderBy: JobOrderBy): JobOrder {
  const { job } = tables;
  const direction = orderBy.endsWith('_ASC') ? 'asc' : 'desc';
  const id = { expr: job.id, type: 'text' as const };
  if (orderBy.startsWith('POSTED_AT')) {
    return {
      direction,
      keys: [{ expr: job.postedBlock, type: 'numeric' }, id],
      keyOf: (r) => [r.postedBlock.toString(), r.id],
      columns: ['postedBlock'],
    };
  }
  if (orderBy.startsWith('BUDGET')) {
    return { direction, keys: [{ expr: job.budget, type: 'numeric' }, id], keyOf: (r) => [r.budget.toString(), r.id], columns: ['budget'] };
  }
  return {
    direction,
    keys: [{ expr: paidPrice(job), type: 'numeric' }, id],
    keyOf: (r) => [paidPriceOf(r).toString(), r.id],
    columns: ['price', 'budget'],
  };
}

/** The job as it was at the end of `atBlock`, folded from its events; undefined if not posted yet. */
async function jobAtBlock(ctx: Context, id: `0x${string}`, atBlock: bigint): Promise<JobNode | undefined> {
  if (!ctx.foldJob) {
    throw new ApiError('UNAVAILABLE', 'Time travel is not available on this server (no job fold configured)');
  }
  const { jobEvent } = ctx.tables;
  const events = await ctx.db
    .select()
    .from(jobEvent)
    .where(and(eq(jobEvent.jobId, id), lte(jobEvent.blockNumber, atBlock)))
    .orderBy(jobEvent.id);
  // A POOL job's fee was fixed at its assignment, which no event carries: the current row has it.
  const poolFeeBps = events.length > 0 ? ((await ctx.loaders.jobById.load(id))?.poolFeeBps ?? null) : null;
  const { job, bids, slots } = ctx.foldJob(events, { poolFeeBps });
  return job && { ...job, asOfBlock: atBlock, bidsAtBlock: bids, slotsAtBlock: slots };
}

/** A time-travelled job's bids (folded in memory), paged like Job.bids: lowest price first, then worker. */
function bidsAtBlockConnection(bids: BidRow[], first: number, after: string | null, afterKey: string[] | null, status?: string | null) {
  const key = (b: BidRow) => [b.price, b.worker] as const;
  const before = (a: readonly [bigint, string], b: readonly [bigint, string]) => a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);
  const sorted = bids
    .filter((b) => !status || b.status === status)
    .filter((b) => !afterKey || before([BigInt(afterKey[0]!), afterKey[1]!], key(b)))
    .sort((a, b) => (before(key(a), key(b)) ? -1 : before(key(b), key(a)) ? 1 : 0));
  const matching = bids.filter((b) => !status || b.status === status).length;
  return toConnection(sorted.slice(0, first + 1), first, after, (r) => encodeCursor('jobBid', [r.price.toString(), r.worker]), async () => matching);
}

type Placeholder = ReturnType<typeof sql.placeholder>;
type PageArgs = { first?: number | null; after?: string | null };
type BidsArgs = PageArgs & { status?: string | null };

/** The page of a job's bids that Job.bids arguments ask for (checked: bad sizes and cursors throw). */
function bidsPage(args: BidsArgs): NestedPage {
  const first = pageSize(args.first);
  const afterKey = args.after ? decodeCursor(args.after, 'jobBid', [keyPattern.uint, keyPattern.address]) : null;
  return { first, afterKey, status: args.status };
}

function bidConnection(ctx: Context, job: JobNode, args: BidsArgs, page: NestedPage, rows: BidRow[]) {
  const { bid } = ctx.tables;
  return toConnection(
    rows,
    page.first,
    args.after,
    (r) => encodeCursor('jobBid', [r.price.toString(), r.worker]),
    async () =>
      (
        await ctx.db
          .select({ n: count() })
          .from(bid)
          .where(and(eq(bid.jobId, job.id), args.status ? eq(bid.status, args.status as never) : undefined))
      )[0]?.n ?? 0,
  );
}

/**
 * Loads the bids that the `bids` fields of a page's jobs will ask for, in the one query their loader
 * makes anyway, only sooner: Job.bids then answers from memory, and graphql-js completes the whole
 * page without a promise per job. Arguments it cannot read here are left to Job.bids, which checks
 * them; a failed load reaches each Job.bids through the loader, as it would have without this.
 */
async function prefetchBids(ctx: Context, info: SelectionInfo, nodeFields: ReturnType<typeof connectionNodeFields>, jobIds: string[]) {
  if (!jobIds.length) return;
  const loads: Promise<unknown>[] = [];
  for (const field of nodeFields) {
    if (field.name.value !== 'bids') continue;
    const args = {
      first: argumentValue(field, 'first', info.variableValues),
      after: argumentValue(field, 'after', info.variableValues),
      status: argumentValue(field, 'status', info.variableValues),
    };
    const valid = (v: unknown, type: string) => v == null || typeof v === type;
    if (!valid(args.first, 'number') || !valid(args.after, 'string') || !valid(args.status, 'string')) continue;
    let page: NestedPage;
    try {
      page = bidsPage(args as BidsArgs);
    } catch {
      continue;
    }
    const loader = ctx.loaders.bidsByJob(page);
    for (const id of jobIds) loads.push(loader.load(id));
  }
  await Promise.all(loads).catch(() => {});
}

/**
 * How many jobs match: a filter on status alone (the marketplace's tabs, the dashboard) sums the
 * indexer's per-status totals (`job_count`), one row whatever the history's length; any other
 * filter counts its rows.
 */
async function countJobs(ctx: Context, filter: JobFilter | null | undefined, where: SQL | undefined, upTo: number | undefined): Promise<number> {
  const statuses = statusesOnly(filter);
  const { job, jobCount } = ctx.tables;
  if (statuses) return Math.min(countOf((await ctx.db.select().from(jobCount).where(eq(jobCount.id, 0)))[0], statuses), upTo ?? Infinity);
  if (upTo === undefined) return (await ctx.db.select({ n: count() }).from(job).where(where))[0]?.n ?? 0;
  // The first `upTo` matches, counted: the scan stops there however many jobs match. Newest first,
  // as the default page reads them (an index: (status, posted_block) or (posted_block, id)): open
  // jobs are the newest rows, and a scan in the table's own order read its oldest, mostly closed,
  // rows first (about 4,500 pages at 300,000 jobs; bench/scale-plans.md).
  const matches = ctx.db.select({ one: sql`1` }).from(job).where(where).orderBy(desc(job.postedBlock), desc(job.id)).limit(upTo).as('matches');
  return (await ctx.db.select({ n: count() }).from(matches))[0]?.n ?? 0;
}

export type JobsArgs = PageArgs & { filter?: JobFilter | null; orderBy?: JobOrderBy | null };

/**
 * A page of jobs (Query.jobs, and the jobs of a model or a pool). With `info` (Query.jobs) only the
 * columns its selection needs are read; without, whole rows.
 */
export async function jobsConnection(ctx: Context, args: JobsArgs, info?: SelectionInfo) {
  const { job } = ctx.tables;
  const first = pageSize(args.first);
  const orderBy = args.orderBy ?? 'POSTED_AT_DESC';
  const order = jobOrder(ctx.tables, orderBy);
  const where = jobFilterCondition(ctx.tables, args.filter);
  const afterKey = args.after ? decodeCursor(args.after, `job:${orderBy}`, [keyPattern.uint, keyPattern.bytes32]) : undefined;
  // Only the columns the selection resolves from (whole rows when it cannot tell).
  const nodeFields = info ? connectionNodeFields(info) : [];
  const columns = info ? jobColumnsFor(ctx.tables, nodeFields, info.fragments, order.columns) : undefined;
  const page = (after: SQL | undefined, limit: number | Placeholder) =>
    (columns ? ctx.db.select(jobSelection(ctx.tables, columns)) : ctx.db.select())
      .from(job)
      .where(and(where, after))
      .orderBy(...orderByOf(order))
      .limit(limit);
  // Unfiltered pages (the newest jobs, the market's front page) are prepared statements.
  const rows = (
    where
      ? await page(afterKey && afterCondition(order, afterKey), first + 1)
      : await statement(
          ctx.db,
          `jobs:${orderBy}:${afterKey ? 'after' : 'first'}:${columns ? [...columns].sort().join(',') : '*'}`,
          () => page(afterKey && afterCondition(order, [sql.placeholder('k0'), sql.placeholder('k1')]), sql.placeholder('limit')),
        ).execute({ limit: first + 1, k0: afterKey?.[0], k1: afterKey?.[1] })
  ) as JobRow[];
  // Whole rows only: a job loaded elsewhere in the response needs every field.
  if (!columns) for (const row of rows) ctx.loaders.jobById.prime(row.id, row);
  if (info) await prefetchBids(ctx, info, nodeFields, rows.slice(0, first).map((r) => r.id));
  return toConnection<JobNode>(
    rows,
    first,
    args.after,
    (r) => encodeCursor(`job:${orderBy}`, order.keyOf(r)),
    (upTo) => countJobs(ctx, args.filter, where, upTo),
  );
}

export const jobResolvers = {
  Query: {
    async job(_: unknown, args: { id: string; atBlock?: bigint | null }, ctx: Context): Promise<JobNode | null> {
      const id = parseJobId(args.id);
      if (args.atBlock != null) {
        const head = await readHeadBlock(ctx.db);
        if (!head || args.atBlock < head.number) return (await jobAtBlock(ctx, id, args.atBlock)) ?? null;
      }
      return (await ctx.loaders.jobById.load(id)) ?? null;
    },

    jobs: (_: unknown, args: JobsArgs, ctx: Context, info: SelectionInfo) => jobsConnection(ctx, args, info),
  },

  Job: {
    terms: (job: JobNode) => job,
    replicatedTerms: (job: JobNode) => (job.kind === 'REPLICATED' ? job : null),
    slotsFilled: (job: JobNode) => job.filled,
    commits: (job: JobNode) => job.committed,
    reveals: (job: JobNode) => job.revealed,
    slots: (job: JobNode, _: unknown, ctx: Context): SlotRow[] | Promise<SlotRow[]> => {
      if (job.kind !== 'REPLICATED') return [];
      return job.slotsAtBlock ?? ctx.loaders.slotsByJob.load(job.id).then((rows) => rows ?? []);
    },
    // Only the client's bundles: the registry takes a bundle from anyone, and a stranger's must not
    // make a worker wait on, or open, secrets the client never sent.
    sealedBundles: (job: JobNode, _: unknown, ctx: Context) => {
      const { sealedBundle } = ctx.tables;
      const atBlock = job.asOfBlock ?? null;
      return ctx.db
        .select()
        .from(sealedBundle)
        .where(and(eq(sealedBundle.jobId, job.id), eq(sealedBundle.client, job.client), atBlock != null ? lte(sealedBundle.blockNumber, atBlock) : undefined))
        .orderBy(sealedBundle.id);
    },
    gpuModelName: (job: JobNode) => job.gpuModel,
    asOfBlock: (job: JobNode) => job.asOfBlock ?? null,
    assignee: (job: JobNode, _: unknown, ctx: Context) => (job.worker ? ctx.loaders.workerByAddress.load(job.worker) : null),
    // A time-travelled job that was still open then had no royalty yet (fees never change).
    models: async (job: JobNode, _: unknown, ctx: Context): Promise<JobModelRow[]> => {
      if (job.modelIds.length === 0) return [];
      const rows = await ctx.loaders.modelsByJob.load(job.id);
      return job.asOfBlock != null && job.status !== 'CLOSED' ? rows.map((r) => ({ ...r, royaltyPaid: null })) : rows;
    },
    pool: (job: JobNode, _: unknown, ctx: Context) => (job.pool === null ? null : ctx.loaders.poolById.load(job.pool.toString()).then((p) => p ?? null)),

    bids(job: JobNode, args: BidsArgs, ctx: Context) {
      const page = bidsPage(args);
      if (job.bidsAtBlock) return bidsAtBlockConnection(job.bidsAtBlock, page.first, args.after ?? null, page.afterKey, args.status);
      const loader = ctx.loaders.bidsByJob(page);
      // Prefetched with the page (prefetchBids): answered without a promise.
      const loaded = loader.peek(job.id);
      if (loaded) return bidConnection(ctx, job, args, page, loaded);
      return loader.load(job.id).then((rows) => bidConnection(ctx, job, args, page, rows));
    },

    async events(job: JobNode, args: PageArgs, ctx: Context) {
      const first = pageSize(args.first);
      const afterKey = args.after ? [eventIdOfCursor(args.after)] : null;
      const atBlock = job.asOfBlock ?? null;
      const rows = await ctx.loaders.eventsByJob({ first, afterKey, atBlock }).load(job.id);
      const { jobEvent } = ctx.tables;
      return toConnection(
        rows,
        first,
        args.after,
        eventCursor,
        async () =>
          (
            await ctx.db
              .select({ n: count() })
              .from(jobEvent)
              .where(and(eq(jobEvent.jobId, job.id), atBlock != null ? lte(jobEvent.blockNumber, atBlock) : undefined))
          )[0]?.n ?? 0,
      );
    },
  },

  JobTerms: {
    gpuModel: (job: JobNode) => job.gpuModelRaw,
  },

  ReplicatedTerms: {
    // A replicated job's `price` column is its price per replica, as in the struct.
    price: (job: JobNode) => job.price,
    gpuModel: (job: JobNode) => job.gpuModelRaw,
  },

  Slot: {
    index: (slot: SlotRow) => slot.slot,
    holder: (slot: SlotRow, _: unknown, ctx: Context) => ctx.loaders.workerByAddress.load(slot.worker).then((w) => w ?? null),
  },

  JobConnection: {
    totalCount: (c: { totalCount: (upTo?: number) => Promise<number> }, args: { upTo?: number | null }) => {
      if (args.upTo == null) return c.totalCount();
      if (args.upTo < 1) throw new ApiError('BAD_USER_INPUT', 'upTo must be an integer of at least 1');
      return c.totalCount(args.upTo);
    },
  },
};
