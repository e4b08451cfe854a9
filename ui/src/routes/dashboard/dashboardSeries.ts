/**
 * The dashboard's chart series from the API's daily statistics: jobs per day, volume per token and
 * the median price per GPU-hour, with amounts converted to each token's unit.
 */
import { formatUnits } from 'viem';
import type { DailyStat } from '$sdk/documents';
import type { TokenRegistry } from '$sdk/format/tokens';

export type JobsPerDay = { day: string; label: string; posted: number; completed: number; disputed: number };
export type TokenDay = { day: string; label: string; date: Date; posted: number; settled: number; fees: number; median: number | null };
export type TokenSeries = { token: string; symbol: string; days: TokenDay[]; totalPosted: number; totalSettled: number };

const label = (day: string) => new Date(`${day}T00:00:00Z`).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });
const units = (raw: string | null | undefined, decimals: number) => (raw ? Number(formatUnits(BigInt(raw), decimals)) : 0);

export function jobsPerDay(stats: DailyStat[]): JobsPerDay[] {
  return stats.map((s) => ({ day: s.day, label: label(s.day), posted: s.jobsPosted, completed: s.jobsCompleted, disputed: s.jobsDisputed }));
}

/** One series per token that saw activity in the range, every day present (zeros where quiet). */
export function tokenSeries(stats: DailyStat[], tokens: TokenRegistry): TokenSeries[] {
  const seen = new Map<string, TokenSeries>();
  for (const s of stats) for (const t of s.tokens) if (!seen.has(t.token)) {
    const info = tokens.get(t.token);
    seen.set(t.token, { token: t.token, symbol: info.symbol, days: [], totalPosted: 0, totalSettled: 0 });
  }
  for (const series of seen.values()) {
    const info = tokens.get(series.token);
    for (const s of stats) {
      const t = s.tokens.find((x) => x.token === series.token);
      const day: TokenDay = {
        day: s.day,
        label: label(s.day),
        date: new Date(`${s.day}T00:00:00Z`),
        posted: units(t?.volumePosted, info.decimals),
        settled: units(t?.volumeSettled, info.decimals),
        fees: units(t?.fees, info.decimals),
        median: t?.medianPricePerGpuHour ? units(t.medianPricePerGpuHour, info.decimals) : null,
      };
      series.days.push(day);
      series.totalPosted += day.posted;
      series.totalSettled += day.settled;
    }
  }
  return [...seen.values()];
}

/** The UTC day `days - 1` days before `toDay` (YYYY-MM-DD). */
export function dayBefore(toDay: string, days: number): string {
  const d = new Date(`${toDay}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - (days - 1));
  return d.toISOString().slice(0, 10);
}
