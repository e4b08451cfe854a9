import { describe, expect, test } from 'vitest';
import { createTokenRegistry, ETH_TOKEN } from '$sdk/format/tokens';
import { sumByToken } from '$lib/hub/tokenAmounts';
import { modelDays } from './modelSeries';

const usdc = '0xe7f1725e7734ce288f8367e1bb143e90bb3f0512';

describe('modelDays', () => {
  test('behavior: every day of the window, quiet days at zero, earnings in the fee token only', () => {
    const days = modelDays(
      [
        { day: '2026-03-01', uses: 2, earnings: [{ token: '0x0000000000000000000000000000000000000000', amount: '20000000000000000' }] },
        { day: '2026-03-03', uses: 1, earnings: [{ token: usdc, amount: '5' }] },
      ],
      '2026-03-03',
      4,
      ETH_TOKEN,
    );
    expect(days.map((d) => [d.day, d.uses, d.earned])).toEqual([
      ['2026-02-28', 0, 0],
      ['2026-03-01', 2, 0.02],
      ['2026-03-02', 0, 0],
      ['2026-03-03', 1, 0],
    ]);
    expect(days[1]!.label).toBe('1 Mar');
    expect(modelDays([], '2026-03-03', 2, createTokenRegistry(usdc).get(usdc)).map((d) => d.uses)).toEqual([0, 0]);
  });

  test('behavior: amounts in several tokens are summed per token', () => {
    expect(
      sumByToken([
        { token: usdc, amount: '5' },
        { token: '0x0000000000000000000000000000000000000000', amount: '1' },
        { token: usdc.toUpperCase().replace('0X', '0x'), amount: '7' },
      ]),
    ).toEqual([
      { token: usdc, amount: '12' },
      { token: '0x0000000000000000000000000000000000000000', amount: '1' },
    ]);
  });
});
