import { describe, expect, test } from 'vitest';
import { hexToString, parseEther, zeroAddress, zeroHash, type Address } from 'viem';
import { buildJobParams, costSummary, poolAddress, randomSalt, TERMS_DEFAULTS, type JobParamsInput } from './jobParams';

const usdc: Address = '0xe7f1725e7734ce288f8367e1bb143e90bb3f0512';
const resources = { gpus: 2, vramMiB: 40_960, memoryMiB: 4096, cpus: 1, pids: 512, timeoutSeconds: 600, outputMiB: 1024 };
const gpuSpec = { resources };
const cpuSpec = { resources: { ...resources, gpus: 0, timeoutSeconds: 60 } };
const now = 1_700_000_000;
const input = (patch: Partial<JobParamsInput> = {}): JobParamsInput => ({
  token: zeroAddress,
  budget: parseEther('0.5'),
  openFor: TERMS_DEFAULTS.openFor,
  executionTimeout: TERMS_DEFAULTS.executionTimeout,
  challengeWindow: TERMS_DEFAULTS.challengeWindow,
  ...patch,
});
const issues = (patch: Partial<JobParamsInput>, spec: { resources: typeof resources } = cpuSpec) => {
  const r = buildJobParams(input({ salt: 1n, ...patch }), spec, { now });
  return r.ok ? {} : Object.fromEntries(r.issues.map((i) => [i.field, i.message]));
};

describe('buildJobParams', () => {
  test("default: the contract's JobParams, deadlines from durations, the GPU requirement taken from the spec", () => {
    const r = buildJobParams(input({ challengeWindow: 600, salt: 7n }), gpuSpec, { now });
    expect(r).toEqual({
      ok: true,
      params: {
        token: zeroAddress,
        arbiter: zeroAddress,
        budget: 500_000_000_000_000_000n,
        collateral: 0n,
        mode: 0,
        offeredTo: zeroAddress,
        openUntil: now + 3600,
        executionTimeout: 1800,
        challengeWindow: 600,
        minGpuCount: 2,
        minVramMiB: 40960,
        gpuModel: zeroHash,
        salt: 7n,
      },
    });
  });

  test('behavior: an auction in an ERC-20, collateral, model, arbiter, more than the spec asks', () => {
    const r = buildJobParams(
      input({
        token: usdc,
        budget: 250_000_000n,
        mode: 'AUCTION',
        minGpuCount: 4,
        minVramMiB: 81920,
        gpuModel: 'NVIDIA H100 80GB HBM3',
        arbiter: '0x70997970c51812dc3a010c7d01b50e0d17dc79c8',
        collateral: parseEther('0.1'),
        salt: 42n,
      }),
      gpuSpec,
      { now },
    );
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    const p = r.params;
    expect(p).toMatchObject({ token: usdc, budget: 250_000_000n, mode: 1, minGpuCount: 4, minVramMiB: 81920, collateral: 100_000_000_000_000_000n, salt: 42n });
    expect(hexToString(p.gpuModel, { size: 32 }).replace(/\0+$/, '')).toBe('NVIDIA H100 80GB HBM3');
    expect(p.arbiter).toBe('0x70997970C51812dc3A010C7d01b50e0d17dc79C8');
  });

  test('behavior: a direct offer names its worker, and only a DIRECT job may', () => {
    const worker = '0x90f79bf6eb2c4f870365e785982e1f101e93b906';
    const direct = buildJobParams(input({ offerTo: worker }), cpuSpec, { now });
    if (!direct.ok) throw new Error(JSON.stringify(direct.issues));
    expect(direct.params).toMatchObject({ mode: 2, offeredTo: '0x90F79bf6EB2c4f870365E785982E1f101E93b906' });
    expect(issues({ mode: 'DIRECT' })).toEqual({ offerTo: 'is needed for a DIRECT job: the worker it is offered to' });
    expect(issues({ mode: 'AUCTION', offerTo: worker })).toEqual({ offerTo: 'makes a DIRECT job, not AUCTION' });
    expect(issues({ offerTo: 'bob' })).toEqual({ offerTo: '"bob" is not a worker\'s address' });
    expect(issues({ offerTo: zeroAddress })).toEqual({ offerTo: `"${zeroAddress}" is not a worker's address` });
  });

  test('behavior: a POOL job names its pool as offeredTo (the id as an address), and only a POOL job may', () => {
    const pooled = buildJobParams(input({ pool: 1n }), cpuSpec, { now });
    if (!pooled.ok) throw new Error(JSON.stringify(pooled.issues));
    expect(pooled.params).toMatchObject({ mode: 3, offeredTo: '0x0000000000000000000000000000000000000001' });
    expect(poolAddress(2n ** 64n - 1n).toLowerCase()).toBe(`0x${'0'.repeat(24)}${'f'.repeat(16)}`);
    expect(issues({ mode: 'POOL' })).toEqual({ pool: 'is needed for a POOL job: the pool whose members may claim it' });
    expect(issues({ pool: 0n })).toEqual({ pool: 'must be a pool id from 1 to 2^64-1, not 0' });
    expect(issues({ pool: 2n ** 64n })).toEqual({ pool: `must be a pool id from 1 to 2^64-1, not ${2n ** 64n}` });
    expect(issues({ mode: 'AUCTION', pool: 1n })).toEqual({ pool: 'makes a POOL job, not AUCTION' });
    // A direct offer and a pool exclude each other.
    expect(issues({ offerTo: '0x90f79bf6eb2c4f870365e785982e1f101e93b906', pool: 1n })).toEqual({ pool: 'makes a POOL job, not DIRECT' });
  });

  test('behavior: a CPU job needs no GPU and no VRAM', () => {
    const r = buildJobParams(input({ salt: 1n }), cpuSpec, { now: 0 });
    expect(r.ok && r.params).toMatchObject({ minGpuCount: 0, minVramMiB: 0, gpuModel: zeroHash });
  });

  test('behavior: salts are random uint64s', () => {
    const a = buildJobParams(input(), cpuSpec, { now });
    const b = buildJobParams(input(), cpuSpec, { now });
    expect(a.ok && b.ok && a.params.salt !== b.params.salt).toBe(true);
    expect(a.ok && a.params.salt < 2n ** 64n).toBe(true);
    expect(randomSalt()).not.toBe(randomSalt());
  });

  test("behavior: the contract's bounds, one set: an open period of one second is accepted", () => {
    expect(issues({ openFor: 1 })).toEqual({});
    expect(issues({ executionTimeout: 180, challengeWindow: 0 })).toEqual({});
    expect(buildJobParams(input({ executionTimeout: 1 }), undefined, { now }).ok).toBe(true);
    expect(issues({ openFor: 90 * 86_400, executionTimeout: 30 * 86_400, challengeWindow: 30 * 86_400 })).toEqual({});
  });

  test('error: each rule of the contract, in words, on its field', () => {
    expect(issues({ budget: 0n }).budget).toBe('must be more than zero');
    expect(issues({ budget: 2n ** 96n }).budget).toBe('is more than the contract can hold');
    expect(issues({ collateral: 2n ** 96n }).collateral).toMatch(/what the contract can hold/);
    expect(issues({ openFor: 0 }).openFor).toBe('must be between 1 s and 90 d');
    expect(issues({ openFor: 91 * 86_400 }).openFor).toMatch(/90 d/);
    expect(issues({ executionTimeout: 0 }).executionTimeout).toMatch(/must be between 1 s and 30 d/);
    expect(issues({ executionTimeout: 31 * 86_400 }).executionTimeout).toMatch(/30 d/);
    // The run's 10 minutes plus the workers' 2 minutes of reserve do not fit in 11 minutes.
    expect(issues({ executionTimeout: 11 * 60 }, gpuSpec).executionTimeout).toMatch(/shorter than the spec's run timeout .* at least 12 min/);
    expect(issues({ executionTimeout: 120 }).executionTimeout).toMatch(/at least 3 min/);
    expect(issues({ challengeWindow: 31 * 86_400 }).challengeWindow).toBe('must be at most 30 d');
    expect(issues({ gpuModel: 'x'.repeat(33) }).gpuModel).toMatch(/longer than 32 bytes/);
    expect(issues({ arbiter: 'bob' }).arbiter).toBe('"bob" is not an address');
    expect(issues({ salt: -1n }).salt).toMatch(/2\^64-1/);
    expect(issues({ minGpuCount: 1 }, gpuSpec).minGpuCount).toMatch(/below the spec's resources.gpus \(2\)/);
    expect(issues({ minVramMiB: 1024 }, gpuSpec).minVramMiB).toMatch(/below the spec's resources.vramMiB/);
  });
});

test('costSummary: the client escrows the budget; the fee comes out of the worker’s price', () => {
  expect(costSummary(10n ** 18n, 100)).toEqual({ escrow: 10n ** 18n, fee: 10n ** 16n, workerReceives: 99n * 10n ** 16n });
  expect(costSummary(999n, 100)).toEqual({ escrow: 999n, fee: 9n, workerReceives: 990n });
});
