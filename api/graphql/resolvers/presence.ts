/**
 * Presence (api/presence/): Worker.online, Worker.lastSeen, Worker.gpus, WorkerMatch.online, the
 * workerPresence subscription and its PresenceUpdate type. Read from the API's memory, never the database.
 */
import type { Address } from 'viem';
import type { Context } from '../../context';
import type { WorkerRow } from '../../data/tables';
import { lazyLoaders } from '../../data/loaders';
import { PushQueue } from '../../feed/pushQueue';
import type { GpuReport } from '../../presence/heartbeatVerifier';
import type { PresenceUpdate } from '../../presence/presenceStore';
import { boundedList } from '../checkArgs';
import { ApiError } from '../errors';

const seconds = (ms: number) => BigInt(Math.floor(ms / 1000));

/** The GraphQL shape of a report. */
function gpuReport(r: GpuReport) {
  return {
    status: r.status.toUpperCase(),
    error: r.status === 'failed' ? r.error : null,
    devices: r.status === 'ok' ? r.gpus : [],
  };
}

type Item = { update: PresenceUpdate } | { error: ApiError };

export const presenceResolvers = {
  Worker: {
    online: (w: WorkerRow, _: unknown, ctx: Context) => ctx.presence.isOnline(w.address),
    lastSeen: (w: WorkerRow, _: unknown, ctx: Context) => {
      const e = ctx.presence.get(w.address);
      return e ? seconds(e.lastSeen) : null;
    },
    gpus: (w: WorkerRow, _: unknown, ctx: Context) => {
      const e = ctx.presence.get(w.address);
      return e ? gpuReport(e.gpu) : null;
    },
  },

  WorkerMatch: {
    online: (m: { worker: WorkerRow; online?: boolean }, _: unknown, ctx: Context) => m.online ?? ctx.presence.isOnline(m.worker.address),
  },

  Subscription: {
    workerPresence: {
      subscribe: (_: unknown, args: { workers?: string[] | null }, ctx: Context) => {
        const only = args.workers == null ? undefined : new Set(boundedList('workers', args.workers, 100)!.map((a) => a.toLowerCase()));
        const limit = ctx.subscriptionLimits?.maxQueued ?? 10_000;
        const queue = new PushQueue<Item>(limit, () => ({ error: new ApiError('UNAVAILABLE', 'this subscriber fell too far behind; subscribe again') }), {
          ...(ctx.queueStats ? { stats: ctx.queueStats } : {}),
          ...(ctx.onSlowClient ? { onOverflow: ctx.onSlowClient } : {}),
        });
        const unsubscribe = ctx.presence.subscribe((update) => {
          if (!only || only.has(update.worker)) queue.push({ update });
        });
        queue.onClose(unsubscribe);
        return queue;
      },
      resolve: (item: Item, _: unknown, ctx: Context) => {
        if ('error' in item) throw item.error;
        ctx.loaders = lazyLoaders(ctx.db, ctx.tables);
        return item.update;
      },
    },
  },

  PresenceUpdate: {
    address: (u: PresenceUpdate) => u.worker,
    worker: (u: PresenceUpdate, _: unknown, ctx: Context) => ctx.loaders.workerByAddress.load(u.worker as Address),
    lastSeen: (u: PresenceUpdate) => seconds(u.lastSeen),
    gpus: (u: PresenceUpdate) => gpuReport(u.gpu),
  },
};
