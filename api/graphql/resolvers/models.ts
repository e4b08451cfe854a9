/**
 * Query.models, Query.model and the Model, JobModel and ModelDay types: the model hub as indexed
 * (indexer/src/LoomModels.ts). A model earns in its fee token alone (a paid model's jobs pay in it),
 * so its earnings are one stored sum; its uses per day come from `job_model`.
 */
import { and, asc, eq, sql } from 'ponder';
import type { Context } from '../../context';
import { readHeadBlock } from '../../data/indexingStatus';
import type { KeysetOrder } from '../../data/keyset';
import { keysetPage } from '../../data/keysetPage';
import { decodeCursor, encodeCursor, keyPattern, pageSize } from '../../data/pagination';
import type { JobModelRow, ModelRow, Tables } from '../../data/tables';
import { ApiError } from '../errors';
import { parseModelId } from '../scalars';
import { jobsConnection } from './jobs';

type Hex = `0x${string}`;

export type ModelOrderBy = 'NEWEST' | 'USES_DESC' | 'EARNINGS_DESC';

export type ModelFilter = {
  kind?: ModelRow['kind'] | null;
  creator?: Hex | null;
  token?: Hex | null;
  retired?: boolean | null;
  search?: string | null;
};

const MAX_SEARCH = 64;
const MAX_DAYS = 366;
const DAY_SECONDS = 86_400n;

function modelOrder(tables: Tables, orderBy: ModelOrderBy): KeysetOrder & { keyOf: (r: ModelRow) => string[] } {
  const { model } = tables;
  const id = { expr: model.id, type: 'numeric' as const };
  if (orderBy === 'USES_DESC') return { direction: 'desc', keys: [{ expr: model.uses, type: 'integer' }, id], keyOf: (r) => [String(r.uses), String(r.id)] };
  if (orderBy === 'EARNINGS_DESC') return { direction: 'desc', keys: [{ expr: model.earned, type: 'numeric' }, id], keyOf: (r) => [r.earned.toString(), String(r.id)] };
  return { direction: 'desc', keys: [id], keyOf: (r) => [String(r.id)] };
}

/** The SQL condition of a ModelFilter (BAD_USER_INPUT for a search out of bounds). */
function modelFilterCondition(tables: Tables, filter: ModelFilter | null | undefined) {
  if (!filter) return undefined;
  const { model } = tables;
  const search = filter.search;
  if (search != null && (search.length === 0 || search.length > MAX_SEARCH)) {
    throw new ApiError('BAD_USER_INPUT', `search must be 1 to ${MAX_SEARCH} characters`, { limit: MAX_SEARCH });
  }
  // A substring, not a pattern: LIKE's wildcards and escape are matched literally.
  const literal = search?.replace(/[\\%_]/g, (c) => `\\${c}`);
  return and(
    filter.kind ? eq(model.kind, filter.kind) : undefined,
    filter.creator ? eq(model.creator, filter.creator.toLowerCase() as Hex) : undefined,
    filter.token ? eq(model.token, filter.token.toLowerCase() as Hex) : undefined,
    filter.retired != null ? eq(model.retired, filter.retired) : undefined,
    literal !== undefined ? sql`${model.name} ilike ${`%${literal}%`}` : undefined,
  );
}

const earningsOf = (token: Hex, amount: bigint) => (amount > 0n ? [{ token, amount }] : []);

/** The UTC day (YYYY-MM-DD) of a unix time. */
const dayOf = (seconds: bigint) => new Date(Number(seconds) * 1000).toISOString().slice(0, 10);

export const modelResolvers = {
  Query: {
    async models(_: unknown, args: { filter?: ModelFilter | null; orderBy?: ModelOrderBy | null; first?: number | null; after?: string | null }, ctx: Context) {
      const first = pageSize(args.first);
      const orderBy = args.orderBy ?? 'NEWEST';
      const order = modelOrder(ctx.tables, orderBy);
      const where = modelFilterCondition(ctx.tables, args.filter);
      const cursorOrder = `model:${orderBy}`;
      const afterKey = args.after ? decodeCursor(args.after, cursorOrder, order.keys.map(() => keyPattern.uint)) : undefined;
      const page = await keysetPage(ctx.db, ctx.tables.model, { where, order, afterKey, first, after: args.after, cursorOf: (r) => encodeCursor(cursorOrder, order.keyOf(r)) });
      for (const { node } of page.edges) ctx.loaders.modelById.prime(String(node.id), node);
      return page;
    },

    model: async (_: unknown, args: { id: string }, ctx: Context) => (await ctx.loaders.modelById.load(String(parseModelId(args.id)))) ?? null,
  },

  Model: {
    files: (m: ModelRow) => m.files,
    previous: (m: ModelRow, _: unknown, ctx: Context) => (m.previous === null ? null : ctx.loaders.modelById.load(String(m.previous)).then((p) => p ?? null)),
    versions: (m: ModelRow, _: unknown, ctx: Context) => {
      const { model } = ctx.tables;
      return ctx.db.select().from(model).where(eq(model.lineage, m.lineage)).orderBy(asc(model.id));
    },
    earnings: (m: ModelRow) => earningsOf(m.token, m.earned),

    async usesPerDay(m: ModelRow, args: { days?: number | null }, ctx: Context) {
      const days = args.days ?? 30;
      if (!Number.isInteger(days) || days < 1 || days > MAX_DAYS) {
        throw new ApiError('BAD_USER_INPUT', `days must be an integer from 1 to ${MAX_DAYS}`, { limit: MAX_DAYS });
      }
      // Chain time: the day of the latest indexed block ends the window, so that a replay answers alike.
      const now = (await readHeadBlock(ctx.db))?.timestamp ?? BigInt(Math.floor(Date.now() / 1000));
      const toDay = dayOf(now);
      const fromDay = dayOf(now - BigInt(days - 1) * DAY_SECONDS);
      const { jobModel } = ctx.tables;
      const rows = (await ctx.db
        .select()
        .from(jobModel)
        .where(
          and(
            eq(jobModel.modelId, m.id),
            sql`(${jobModel.usedDay} between ${fromDay} and ${toDay} or ${jobModel.settledDay} between ${fromDay} and ${toDay})`,
          ),
        )) as JobModelRow[];
      const byDay = new Map<string, { uses: number; earned: bigint }>();
      const at = (day: string) => {
        let entry = byDay.get(day);
        if (!entry) byDay.set(day, (entry = { uses: 0, earned: 0n }));
        return entry;
      };
      const inWindow = (day: string | null): day is string => day !== null && day >= fromDay && day <= toDay;
      for (const r of rows) {
        if (inWindow(r.usedDay)) at(r.usedDay).uses++;
        if (inWindow(r.settledDay) && (r.royaltyPaid ?? 0n) > 0n) at(r.settledDay).earned += r.royaltyPaid!;
      }
      return [...byDay.entries()]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([day, { uses, earned }]) => ({ day, uses, earnings: earningsOf(m.token, earned) }));
    },

    jobs: (m: ModelRow, args: { first?: number | null; after?: string | null }, ctx: Context) =>
      jobsConnection(ctx, { ...args, filter: { model: String(m.id) } }),
  },

  JobModel: {
    model: (r: JobModelRow, _: unknown, ctx: Context) => ctx.loaders.modelById.load(String(r.modelId)),
  },

  ModelConnection: { totalCount: (c: { totalCount: () => Promise<number> }) => c.totalCount() },
};
