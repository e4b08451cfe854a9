/**
 * Query.stats: daily activity (daily_stat), per-token volume (daily_token_stat), and the median price
 * per GPU-hour of the jobs assigned each day, computed from the job table in three queries.
 */
import { and, asc, between, sql } from 'ponder';
import type { Context } from '../../context';
import type { DailyStatRow, DailyTokenStatRow } from '../../data/tables';
import { ApiError } from '../errors';

const DAY_MS = 86_400_000;
const MAX_DAYS = 366;

type DayToken = {
  token: string;
  volumePosted: bigint;
  volumeSettled: bigint;
  fees: bigint;
  gpuJobsAssigned: number;
  medianPricePerGpuHour: bigint | null;
};

const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Every day from `from` to `to` inclusive. */
function daysBetween(from: string, to: string): string[] {
  const start = Date.parse(`${from}T00:00:00Z`);
  const end = Date.parse(`${to}T00:00:00Z`);
  const days: string[] = [];
  for (let t = start; t <= end; t += DAY_MS) days.push(dayOf(t));
  return days;
}

export const statsResolvers = {
  Query: {
    async stats(_: unknown, args: { fromDay?: string | null; toDay?: string | null }, ctx: Context) {
      const toDay = args.toDay ?? dayOf(Date.now());
      const fromDay = args.fromDay ?? dayOf(Date.parse(`${toDay}T00:00:00Z`) - 29 * DAY_MS);
      if (fromDay > toDay) throw new ApiError('BAD_USER_INPUT', 'fromDay must not be after toDay');
      const days = daysBetween(fromDay, toDay);
      if (days.length > MAX_DAYS) throw new ApiError('BAD_USER_INPUT', `at most ${MAX_DAYS} days`, { limit: MAX_DAYS });

      const { dailyStat, dailyTokenStat, job } = ctx.tables;
      // The median, exactly: the mean of the two middle values (one when odd), in numeric, rounded down.
      // Equal to percentile_cont(0.5), which would round through double precision and lose wei.
      const medians = sql`
        select day, token, n, div(prices[(n + 1) / 2] + prices[(n + 2) / 2], 2)::text as median
        from (
          select ${job.assignedDay} as day, ${job.token} as token, count(*)::int as n,
                 array_agg(${job.pricePerGpuHour} order by ${job.pricePerGpuHour}) as prices
          from ${job}
          where ${job.assignedDay} between ${fromDay} and ${toDay} and ${job.pricePerGpuHour} is not null
          group by 1, 2
        ) assigned`;
      const [statRows, tokenRows, medianResult] = await Promise.all([
        ctx.db.select().from(dailyStat).where(between(dailyStat.day, fromDay, toDay)),
        ctx.db
          .select()
          .from(dailyTokenStat)
          .where(and(between(dailyTokenStat.day, fromDay, toDay)))
          .orderBy(asc(dailyTokenStat.token)),
        ctx.db.execute(medians),
      ]);

      const byDay = new Map<string, DailyStatRow>(statRows.map((r) => [r.day, r]));
      const tokens = new Map<string, Map<string, DayToken>>();
      const entry = (day: string, token: string) => {
        let perDay = tokens.get(day);
        if (!perDay) tokens.set(day, (perDay = new Map()));
        let t = perDay.get(token);
        if (!t) {
          perDay.set(token, (t = { token, volumePosted: 0n, volumeSettled: 0n, fees: 0n, gpuJobsAssigned: 0, medianPricePerGpuHour: null }));
        }
        return t;
      };
      for (const r of tokenRows as DailyTokenStatRow[]) {
        Object.assign(entry(r.day, r.token), { volumePosted: r.volumePosted, volumeSettled: r.volumeSettled, fees: r.fees });
      }
      const rows = ((medianResult as { rows?: unknown[] }).rows ?? []) as { day: string; token: string; n: number; median: string }[];
      for (const r of rows) {
        Object.assign(entry(r.day, r.token), { gpuJobsAssigned: Number(r.n), medianPricePerGpuHour: BigInt(r.median) });
      }

      return days.map((day) => {
        const s = byDay.get(day);
        return {
          day,
          jobsPosted: s?.jobsPosted ?? 0,
          jobsAssigned: s?.jobsAssigned ?? 0,
          jobsCompleted: s?.jobsCompleted ?? 0,
          jobsCancelled: s?.jobsCancelled ?? 0,
          jobsExpired: s?.jobsExpired ?? 0,
          jobsReclaimed: s?.jobsReclaimed ?? 0,
          jobsDisputed: s?.jobsDisputed ?? 0,
          jobsSettled: s?.jobsSettled ?? 0,
          tokens: [...(tokens.get(day)?.values() ?? [])].sort((a, b) => (a.token < b.token ? -1 : a.token > b.token ? 1 : 0)),
        };
      });
    },
  },
};
