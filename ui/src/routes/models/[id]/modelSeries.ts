/**
 * A model's use per day for its chart: the API lists only the UTC days it was used, oldest first;
 * the chart shows every day of the window, quiet ones at zero, with what it earned its creator that
 * day in the model's fee token (in that token's unit).
 */
import { formatUnits } from 'viem';
import type { TokenInfo } from '$sdk/format/tokens';
import { dayBefore } from '../../dashboard/dashboardSeries';

export type ModelDayInput = { day: string; uses: number; earnings: readonly { token: string; amount: string }[] };
export type ModelDayPoint = { day: string; label: string; uses: number; earned: number };

const label = (day: string) => new Date(`${day}T00:00:00Z`).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });

/** Every day from `days - 1` days before `toDay` to `toDay` (YYYY-MM-DD, UTC). */
export function modelDays(input: readonly ModelDayInput[], toDay: string, days: number, token: TokenInfo): ModelDayPoint[] {
  const byDay = new Map(input.map((d) => [d.day, d]));
  const out: ModelDayPoint[] = [];
  const d = new Date(`${dayBefore(toDay, days)}T00:00:00Z`);
  for (let i = 0; i < days; i++) {
    const day = d.toISOString().slice(0, 10);
    const found = byDay.get(day);
    const earned = found?.earnings.find((e) => e.token.toLowerCase() === token.address.toLowerCase());
    out.push({ day, label: label(day), uses: found?.uses ?? 0, earned: earned && !token.unknown ? Number(formatUnits(BigInt(earned.amount), token.decimals)) : 0 });
    d.setUTCDate(d.getUTCDate() + 1);
  }
  return out;
}
