import { describe, expect, test } from 'vitest';
import { zeroAddress, zeroHash } from 'viem';
import { buildJobParams, costSummary, defaultTermsDraft, type TermsDraft } from './jobParams';
import { createTokenRegistry, ETH_TOKEN } from './tokens';

const usdc = '0xe7f1725e7734ce288f8367e1bb143e90bb3f0512' as const;
const USDC = createTokenRegistry(usdc).get(usdc);
const spec = { resources: { gpus: 2, vramMiB: 40_960, memoryMiB: 4096, cpus: 1, pids: 512, timeoutSeconds: 600, outputMiB: 1024 } };
const terms = (patch: Partial<TermsDraft> = {}): TermsDraft => ({ ...defaultTermsDraft(), budget: '0.5', ...patch });

describe('buildJobParams', () => {
  test("default: the contract's JobParams, with the GPU requirement taken from the spec", () => {
    const r = buildJobParams(terms({ collateral: '0.1', gpuModel: 'NVIDIA H100 80GB HBM3' }), spec, { token: ETH_TOKEN, now: 1_000, salt: 7n });
    expect(r).toEqual({
      ok: true,
      params: {
        token: zeroAddress,
        arbiter: zeroAddress,
        budget: 5n * 10n ** 17n,
        collateral: 10n ** 17n,
        mode: 0,
        openUntil: 1_000 + 3600,
        executionTimeout: 1800,
        challengeWindow: 86_400,
        minGpuCount: 2,
        minVramMiB: 40_960,
        gpuModel: expect.stringMatching(/^0x4e5649444941/),
        salt: 7n,
      },
    });
  });

  test('behavior: an auction in tUSDC, with 6 decimals, and a CPU job needs no VRAM', () => {
    const r = buildJobParams(terms({ token: usdc, budget: '12.5', mode: 'AUCTION' }), { resources: { ...spec.resources, gpus: 0 } }, { token: USDC, now: 0, salt: 1n });
    expect(r.ok && r.params).toMatchObject({ token: usdc, budget: 12_500_000n, mode: 1, minGpuCount: 0, minVramMiB: 0, gpuModel: zeroHash });
  });

  test('behavior: salts are random uint64s', () => {
    const a = buildJobParams(terms(), spec, { token: ETH_TOKEN, now: 0 });
    const b = buildJobParams(terms(), spec, { token: ETH_TOKEN, now: 0 });
    expect(a.ok && b.ok && a.params.salt !== b.params.salt).toBe(true);
    expect(a.ok && a.params.salt < 2n ** 64n).toBe(true);
  });

  test('error: each rule of the contract, in words, on its field', () => {
    const issues = (draft: TermsDraft) => {
      const r = buildJobParams(draft, spec, { token: ETH_TOKEN, now: 0, salt: 1n });
      return r.ok ? {} : Object.fromEntries(r.issues.map((i) => [i.field, i.message]));
    };
    expect(issues(terms({ budget: '' })).budget).toMatch(/enter the budget in ETH/);
    expect(issues(terms({ budget: '0' })).budget).toBe('the budget must be more than zero');
    expect(issues(terms({ budget: '1'.repeat(30) })).budget).toBe('the budget is too large');
    expect(issues(terms({ collateral: 'lots' })).collateral).toMatch(/collateral in ETH/);
    expect(issues(terms({ openForMinutes: 0 })).openForMinutes).toMatch(/90 days/);
    expect(issues(terms({ openForMinutes: 91 * 24 * 60 })).openForMinutes).toMatch(/90 days/);
    expect(issues(terms({ executionTimeoutMinutes: 31 * 24 * 60 })).executionTimeoutMinutes).toMatch(/30 days/);
    // The run's 10 minutes plus the workers' 2 minutes of reserve do not fit in 11 minutes.
    expect(issues(terms({ executionTimeoutMinutes: 11 })).executionTimeoutMinutes).toMatch(/12 min at least/);
    expect(issues(terms({ challengeWindowHours: 721 })).challengeWindowHours).toMatch(/720 hours/);
    expect(issues(terms({ gpuModel: 'x'.repeat(40) })).gpuModel).toBe('at most 32 bytes');
  });
});

test('costSummary: the client escrows the budget; the fee comes out of the worker’s price', () => {
  expect(costSummary(10n ** 18n, 100)).toEqual({ escrow: 10n ** 18n, fee: 10n ** 16n, workerReceives: 99n * 10n ** 16n });
  expect(costSummary(999n, 100)).toEqual({ escrow: 999n, fee: 9n, workerReceives: 990n });
});
