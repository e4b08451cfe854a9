import { expect, test } from 'vitest';
import type { DailyStat } from '$sdk/documents';
import { createTokenRegistry } from '$sdk/format/tokens';
import { dayBefore, jobsPerDay, tokenSeries } from './dashboardSeries';

const usdc = '0xe7f1725e7734ce288f8367e1bb143e90bb3f0512' as const;
const ETH = '0x0000000000000000000000000000000000000000' as const;
const day = (d: string, tokens: DailyStat['tokens'] = [], jobs = 0): DailyStat => ({
  day: d,
  jobsPosted: jobs,
  jobsAssigned: 0,
  jobsCompleted: jobs ? 1 : 0,
  jobsCancelled: 0,
  jobsExpired: 0,
  jobsReclaimed: 0,
  jobsDisputed: 0,
  jobsSettled: 0,
  tokens,
});
const t = (token: `0x${string}`, posted: string, median: string | null = null) => ({
  token,
  volumePosted: posted,
  volumeSettled: '0',
  fees: '0',
  gpuJobsAssigned: median ? 1 : 0,
  medianPricePerGpuHour: median,
});

test('dashboard series: jobs per day, and per token in its unit with every day present', () => {
  const stats = [day('2025-01-01', [t(ETH, '1500000000000000000')], 3), day('2025-01-02'), day('2025-01-03', [t(usdc, '2500000', '4000000')], 1)];
  expect(jobsPerDay(stats).map((d) => [d.label, d.posted, d.completed])).toEqual([
    ['1 Jan', 3, 1],
    ['2 Jan', 0, 0],
    ['3 Jan', 1, 1],
  ]);
  const series = tokenSeries(stats, createTokenRegistry(usdc));
  expect(series.map((s) => [s.symbol, s.totalPosted, s.days.length])).toEqual([
    ['ETH', 1.5, 3],
    ['tUSDC', 2.5, 3],
  ]);
  expect(series[1]!.days.map((d) => d.median)).toEqual([null, null, 4]);
  expect(dayBefore('2025-03-01', 14)).toBe('2025-02-16');
});
