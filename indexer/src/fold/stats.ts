/**
 * Daily statistics as pure functions of events, both markets together: what one event adds to its
 * UTC day's counters and to its day's per-token volumes.
 */
import type { dailyStat as dailyStatTable, dailyTokenStat as dailyTokenStatTable } from '../../ponder.schema';
import { argsOf, big, utcDay, type Hex, type LoggedEvent } from './event';
import { closeReasonOf, type Job } from './job';
import { replicatedOutcomeOf } from './slot';

export type DailyStat = typeof dailyStatTable.$inferSelect;
export type DailyTokenStat = typeof dailyTokenStatTable.$inferSelect;
export type DailyCounter = Exclude<keyof DailyStat, 'day'>;

/** A day with nothing yet. */
export function emptyDailyStat(day: string): DailyStat {
  return {
    day,
    jobsPosted: 0,
    jobsAssigned: 0,
    jobsCompleted: 0,
    jobsCancelled: 0,
    jobsExpired: 0,
    jobsReclaimed: 0,
    jobsDisputed: 0,
    jobsSettled: 0,
  };
}

/** The counters of its day that `event` increments (each by one). */
export function dailyCountersOf(event: LoggedEvent): DailyCounter[] {
  switch (event.name) {
    case 'JobPosted':
    case 'ReplicatedJobPosted':
      return ['jobsPosted'];
    case 'JobAssigned':
      return ['jobsAssigned'];
    case 'JobDisputed':
      return ['jobsDisputed'];
    case 'JobClosed': {
      const byReason: Partial<Record<string, DailyCounter>> = {
        COMPLETED: 'jobsCompleted',
        CANCELLED: 'jobsCancelled',
        EXPIRED: 'jobsExpired',
        RECLAIMED: 'jobsReclaimed',
      };
      const counter = byReason[closeReasonOf(event)];
      return counter ? ['jobsSettled', counter] : ['jobsSettled'];
    }
    case 'ReplicatedJobClosed': {
      // No quorum has no counterpart among single jobs' endings: it is only settled.
      const byOutcome: Partial<Record<string, DailyCounter>> = {
        QUORUM_REACHED: 'jobsCompleted',
        CANCELLED: 'jobsCancelled',
        EXPIRED_UNFILLED: 'jobsExpired',
      };
      const counter = byOutcome[replicatedOutcomeOf(event)];
      return counter ? ['jobsSettled', counter] : ['jobsSettled'];
    }
    default:
      return [];
  }
}

/** What `event` adds to its day's volumes in the job's token, or undefined when nothing. */
export function dailyVolumeOf(
  event: LoggedEvent,
  job: Pick<Job, 'token' | 'budget'> | undefined,
): { day: string; token: Hex; volumePosted: bigint; volumeSettled: bigint; fees: bigint } | undefined {
  if (!job) return undefined;
  const args = argsOf(event);
  const day = utcDay(event.timestamp);
  if (event.name === 'JobPosted' || event.name === 'ReplicatedJobPosted') {
    return { day, token: job.token, volumePosted: job.budget, volumeSettled: 0n, fees: 0n };
  }
  if (event.name === 'JobClosed' || event.name === 'ReplicatedJobClosed') {
    const fee = big(args.fee);
    const paid = event.name === 'JobClosed' ? big(args.workerPayout) : (args.payouts as unknown[]).reduce<bigint>((s, v) => s + big(v), 0n);
    const settled = paid + fee;
    if (settled === 0n) return undefined;
    return { day, token: job.token, volumePosted: 0n, volumeSettled: settled, fees: fee };
  }
  // What a pool member was paid is its payout (JobClosed, net of the pool fee) and the pool's fee.
  if (event.name === 'PoolFeePaid') {
    const amount = big(args.amount);
    return amount === 0n ? undefined : { day, token: job.token, volumePosted: 0n, volumeSettled: amount, fees: 0n };
  }
  return undefined;
}
