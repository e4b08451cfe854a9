/**
 * Query.worker, Query.workers and the Worker type.
 */
import { reputationByVersion } from '../../../indexer/src/reputation';
import type { Context } from '../../context';
import type { Tables, WorkerRow } from '../../data/tables';
import { type WorkerFilter, workerFilterCondition } from '../../data/filters';
import type { KeysetOrder } from '../../data/keyset';
import { keysetPage } from '../../data/keysetPage';
import { decodeCursor, encodeCursor, keyPattern, pageSize } from '../../data/pagination';
import { ApiError } from '../errors';

export type WorkerOrderBy = 'REPUTATION_DESC' | 'PRICE_ASC' | 'PRICE_DESC' | 'GPU_COUNT_DESC' | 'VRAM_DESC' | 'REGISTERED_AT_DESC';

function workerOrder(tables: Tables, orderBy: WorkerOrderBy): KeysetOrder & { keyOf: (r: WorkerRow) => string[] } {
  const { worker } = tables;
  const direction = orderBy.endsWith('_ASC') ? 'asc' : 'desc';
  const address = { expr: worker.address, type: 'text' as const };
  switch (orderBy) {
    case 'PRICE_ASC':
    case 'PRICE_DESC':
      return { direction, keys: [{ expr: worker.pricePerGpuHour, type: 'numeric' }, address], keyOf: (r) => [r.pricePerGpuHour.toString(), r.address] };
    case 'GPU_COUNT_DESC':
      return { direction, keys: [{ expr: worker.gpuCount, type: 'integer' }, address], keyOf: (r) => [String(r.gpuCount), r.address] };
    case 'VRAM_DESC':
      return { direction, keys: [{ expr: worker.vramMiB, type: 'integer' }, address], keyOf: (r) => [String(r.vramMiB), r.address] };
    case 'REGISTERED_AT_DESC':
      return { direction, keys: [{ expr: worker.registeredAt, type: 'numeric' }, address], keyOf: (r) => [r.registeredAt.toString(), r.address] };
    default:
      return { direction, keys: [{ expr: worker.reputation, type: 'integer' }, address], keyOf: (r) => [String(r.reputation), r.address] };
  }
}

export const workerResolvers = {
  Query: {
    worker: async (_: unknown, args: { address: `0x${string}` }, ctx: Context) =>
      (await ctx.loaders.workerByAddress.load(args.address)) ?? null,

    async workers(
      _: unknown,
      args: { filter?: WorkerFilter | null; orderBy?: WorkerOrderBy | null; first?: number | null; after?: string | null },
      ctx: Context,
    ) {
      const { worker } = ctx.tables;
      const first = pageSize(args.first);
      const orderBy = args.orderBy ?? 'REPUTATION_DESC';
      const order = workerOrder(ctx.tables, orderBy);
      const where = workerFilterCondition(ctx.tables, args.filter, () => ctx.presence.onlineAddresses());
      const cursorOrder = `worker:${orderBy}`;
      const afterKey = args.after ? decodeCursor(args.after, cursorOrder, [keyPattern.uint, keyPattern.address]) : undefined;
      const page = await keysetPage(ctx.db, worker, { where, order, afterKey, first, after: args.after, cursorOf: (r) => encodeCursor(cursorOrder, order.keyOf(r)) });
      for (const { node } of page.edges) ctx.loaders.workerByAddress.prime(node.address, node);
      return page;
    },
  },

  Worker: {
    claim: (w: WorkerRow) => w,
    /** The stored score, or another version's, computed from the same row (both are pure functions of it). */
    reputation: (w: WorkerRow, args: { version?: number | null }) => {
      if (args.version == null || args.version === w.reputationVersion) return w.reputation;
      const score = reputationByVersion(args.version, w);
      if (score === undefined) throw new ApiError('BAD_USER_INPUT', `reputation version ${args.version} does not exist (1 or 2)`);
      return score;
    },
    gpuModelName: (w: WorkerRow) => w.gpuModel,
    freeStake: (w: WorkerRow) => w.stake - w.locked,
    earnings: (w: WorkerRow, _: unknown, ctx: Context) => ctx.loaders.earningsByWorker.load(w.address),
    pool: (w: WorkerRow, _: unknown, ctx: Context) => ctx.loaders.membershipByWorker.load(w.address).then((m) => m ?? null),
  },

  HardwareClaim: {
    gpuModel: (w: WorkerRow) => w.gpuModelRaw,
  },

  WorkerConnection: { totalCount: (c: { totalCount: () => Promise<number> }) => c.totalCount() },
};
