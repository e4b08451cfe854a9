import { type Hex, keccak256, toHex, zeroHash } from 'viem';
import { describe, expect, test } from 'vitest';
import type { JobTerms } from '../../sdk/jobTerms';
import type { ReplicatedJobTerms } from '../../sdk/writes';
import { type StrategyContext, type StrategyOptions, decide, decideReplicated, defaultStrategy, ETH } from './strategy';

const USDC = '0x00000000000000000000000000000000000000aa';
const specOf = (s: unknown) => toHex(typeof s === 'string' ? s : JSON.stringify(s));
const goodSpec = { version: 1, script: 'true', resources: { memoryMiB: 256, timeoutSeconds: 600 } };

function job(over: Partial<JobTerms> = {}, spec: unknown = goodSpec, status = 'OPEN') {
  const hex = specOf(spec);
  const terms: JobTerms = {
    client: '0x0000000000000000000000000000000000000001',
    token: ETH,
    arbiter: '0x0000000000000000000000000000000000000002',
    budget: 10n ** 16n,
    collateral: 10n ** 17n,
    feeBps: 100,
    mode: 0,
    offeredTo: ETH,
    openUntil: 2_000,
    executionTimeout: 3600,
    challengeWindow: 3600,
    minGpuCount: 0,
    minVramMiB: 0,
    gpuModel: zeroHash,
    specHash: keccak256(hex),
    salt: 1n,
    ...over,
  };
  return { status, terms, spec: hex };
}

const H100 = '0x4e56494449412048313030000000000000000000000000000000000000000000' as Hex;
const SELF = '0x90F79bf6EB2c4f870365E785982E1f101E93b906';
const OTHER = '0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65';
const ctx: StrategyContext = {
  self: SELF,
  now: 1_000,
  claim: { gpuModel: H100, gpuCount: 2, vramMiB: 81_920 },
  machine: { gpus: 2, vramMiB: 81_920, cpuCores: 16, ramMiB: 65_536 },
  freeStake: 10n ** 18n,
  heldJobs: 0,
  openBids: 0,
};
const opts = (o: Partial<StrategyOptions> = {}): StrategyOptions => ({ ...defaultStrategy, ...o });
const reason = (d: ReturnType<typeof decide>) => (d.action === 'skip' ? d.reason : d.action);

describe('strategy', () => {
  test('default: a fitting claim job is claimed at its budget; an auction is bid at the minimum price, marked up, within the budget', () => {
    expect(decide(job(), ctx)).toMatchObject({ action: 'claim', price: 10n ** 16n });
    // 1 GPU-hour-equivalent minimum of 3,600 per hour over 600 s = 600; +50% = 900.
    const auction = decide(job({ mode: 1, budget: 10_000n }), ctx, opts({ minPricePerGpuHour: { [ETH]: 3600n }, bidMarkupBps: 5000 }));
    expect(auction).toMatchObject({ action: 'bid', price: 900n });
    // Never above the budget.
    expect(decide(job({ mode: 1, budget: 700n }), ctx, opts({ minPricePerGpuHour: { [ETH]: 3600n }, bidMarkupBps: 5000 }))).toMatchObject({ action: 'bid', price: 700n });
    // With no minimum, the bid is 1 (the least the contract takes), marked up.
    expect(decide(job({ mode: 1, budget: 700n }), ctx)).toMatchObject({ action: 'bid', price: 1n });
  });

  test('behavior: each check refuses with its reason', () => {
    const cases: [ReturnType<typeof job>, StrategyContext, StrategyOptions, string][] = [
      [job({}, goodSpec, 'ASSIGNED'), ctx, opts(), 'not_open'],
      [job({ openUntil: 999 }), ctx, opts(), 'not_open'],
      [{ ...job(), terms: { ...job().terms, specHash: keccak256('0x00') } }, ctx, opts(), 'spec_hash'],
      [job({}, '{"version":1'), ctx, opts(), 'spec_invalid'],
      [job({}, { version: 3, script: 'true' }), ctx, opts(), 'spec_invalid'],
      [job({ mode: 1 }), ctx, opts({ modes: { claim: true, auction: false, replicated: true } }), 'mode'],
      [job({ mode: 1 }), ctx, opts({ hostMode: false }), 'host_mode_off'],
      [job({ token: USDC }), ctx, opts(), 'token'],
      [job({ minGpuCount: 4 }), ctx, opts(), 'hardware'],
      [job({ minVramMiB: 100_000 }), ctx, opts(), 'hardware'],
      [job({ gpuModel: keccak256('0x01') }), ctx, opts(), 'hardware'],
      [job({}, { ...goodSpec, resources: { gpus: 4, timeoutSeconds: 600 } }), ctx, opts(), 'hardware'],
      [job({}, { ...goodSpec, resources: { memoryMiB: 100_000, timeoutSeconds: 600 } }), ctx, opts(), 'hardware'],
      [job({}, { ...goodSpec, resources: { cpus: 32, timeoutSeconds: 600 } }), ctx, opts(), 'hardware'],
      [job({ executionTimeout: 700 }), ctx, opts(), 'timeout'],
      [job({ budget: 500n }), ctx, opts({ minPricePerGpuHour: { [ETH]: 3600n } }), 'price'],
      [job({ mode: 1, budget: 500n }), ctx, opts({ minPricePerGpuHour: { [ETH]: 3600n } }), 'price'],
      [job({ collateral: 2n * 10n ** 18n }), ctx, opts(), 'collateral'],
      [job(), ctx, opts({ maxCollateral: 10n ** 16n }), 'collateral'],
      [job(), { ...ctx, heldJobs: 1 }, opts(), 'capacity'],
      [job({ mode: 1 }), { ...ctx, openBids: 4 }, opts(), 'capacity'],
    ];
    for (const [j, c, o, expected] of cases) expect(reason(decide(j, c, o)), expected).toBe(expected);
  });

  test('behavior: the right GPU model, a token allowed with its own minimum, and any token when so configured', () => {
    expect(reason(decide(job({ gpuModel: H100, minGpuCount: 2 }), ctx))).toBe('claim');
    // 2 GPUs for 600 s at 3,600 per GPU-hour: 1,200 minimum.
    expect(reason(decide(job({ token: USDC, budget: 1_199n }, { ...goodSpec, resources: { gpus: 2, timeoutSeconds: 600 } }), ctx, opts({ allowedTokens: [USDC], minPricePerGpuHour: { [USDC]: 3600n } })))).toBe('price');
    expect(reason(decide(job({ token: USDC, budget: 1_200n }, { ...goodSpec, resources: { gpus: 2, timeoutSeconds: 600 } }), ctx, opts({ allowedTokens: [USDC], minPricePerGpuHour: { [USDC]: 3600n } })))).toBe('claim');
    expect(reason(decide(job({ token: USDC }), ctx, opts({ allowedTokens: 'any' })))).toBe('claim');
    // A bid holds no job slot: a busy worker still bids.
    expect(reason(decide(job({ mode: 1 }), { ...ctx, heldJobs: 5 }))).toBe('bid');
  });

  test('behavior: a direct offer is claimed by the worker it names, at its budget, and refused by any other before any other check', () => {
    expect(decide(job({ mode: 2, offeredTo: SELF }), ctx)).toMatchObject({ action: 'claim', price: 10n ** 16n });
    // The address's case does not matter.
    expect(reason(decide(job({ mode: 2, offeredTo: SELF.toLowerCase() as Hex }), ctx))).toBe('claim');
    expect(decide(job({ mode: 2, offeredTo: OTHER }), ctx)).toEqual({ action: 'skip', reason: 'not_offered', detail: `offered to ${OTHER}, not to this worker` });
    // Even a job this worker could not run anyway says it is someone else's.
    expect(reason(decide(job({ mode: 2, offeredTo: OTHER, minGpuCount: 8 }), ctx))).toBe('not_offered');
    // Still the usual checks for its own offers: it counts as a claim job, and takes a slot.
    expect(reason(decide(job({ mode: 2, offeredTo: SELF }), ctx, opts({ modes: { claim: false, auction: true, replicated: true } })))).toBe('mode');
    expect(reason(decide(job({ mode: 2, offeredTo: SELF }), { ...ctx, heldJobs: 1 }))).toBe('capacity');
    expect(reason(decide(job({ mode: 2, offeredTo: SELF, openUntil: 999 }), ctx))).toBe('not_open');
  });

  test('behavior: a pool job is claimed by a MEMBER of its pool, at its budget; refused otherwise before any other check', () => {
    const POOL = 3; // JobMode.Pool; `offeredTo` is the pool id as an address
    const pool2 = `0x${'2'.padStart(40, '0')}` as Hex;
    const member = { ...ctx, pool: { pool: 2n, state: 'MEMBER' as const } };
    expect(decide(job({ mode: POOL, offeredTo: pool2 }), member)).toMatchObject({ action: 'claim', price: 10n ** 16n });
    const refusals: [StrategyContext, string][] = [
      [ctx, 'restricted to pool 2; this worker is in no pool'],
      [{ ...ctx, pool: null }, 'restricted to pool 2; this worker is in no pool'],
      [{ ...ctx, pool: { pool: 5n, state: 'MEMBER' } }, 'restricted to pool 2; this worker is a member of pool 5'],
      [{ ...ctx, pool: { pool: 2n, state: 'REQUESTED' } }, 'restricted to pool 2; this worker is waiting for approval to join pool 2'],
      [{ ...ctx, pool: { pool: 2n, state: 'LEAVING' } }, 'restricted to pool 2; this worker is leaving pool 2'],
    ];
    for (const [c, detail] of refusals) expect(decide(job({ mode: POOL, offeredTo: pool2, minGpuCount: 8 }), c)).toEqual({ action: 'skip', reason: 'not_pool_member', detail });
    // A member's pool jobs are claim jobs, with the usual checks.
    expect(reason(decide(job({ mode: POOL, offeredTo: pool2 }), member, opts({ modes: { claim: false, auction: true, replicated: true } })))).toBe('mode');
    expect(reason(decide(job({ mode: POOL, offeredTo: pool2 }), { ...member, heldJobs: 1 }))).toBe('capacity');
    // A job open to anyone is taken whatever the pool.
    expect(reason(decide(job(), member))).toBe('claim');
  });

  test("behavior: a job's models: their files to mount, an IMAGE model's image as the job's (so host mode off takes it); models that cannot be used refused", () => {
    const digest = `sha256:${'ab'.repeat(32)}`;
    const weights = { id: '1', name: 'tiny', kind: 'WEIGHTS' as const, files: [{ sha256: `0x${'a'.repeat(64)}`, size: '10', path: 'w.bin' }], image: null };
    const image = { id: '2', name: 'runner', kind: 'IMAGE' as const, files: [], image: `ghcr.io/org/runner@${digest}` };
    const d = decide({ ...job(), models: [weights, image] }, ctx, opts({ hostMode: false }));
    expect(d).toMatchObject({ action: 'claim', spec: { image: { registry: 'ghcr.io', repository: 'org/runner', digest } }, models: [{ sha256: 'a'.repeat(64), size: 10, mountPath: '/models/tiny/w.bin' }] });
    expect(decide({ ...job(), models: [weights] }, ctx, opts({ maxModelBytes: 9 }))).toEqual({ action: 'skip', reason: 'models', detail: "the job's models are 10 bytes, over this worker's limit of 9 bytes (--max-model-gib)" });
    const other = job({}, { ...goodSpec, image: `ghcr.io/org/other@${digest}` });
    expect(reason(decide({ ...other, models: [image] }, ctx))).toBe('models');
  });

  test('behavior: with host mode off, a job without an image is refused and an image job is taken', () => {
    const image = `127.0.0.1:5000/loom/busybox@sha256:${'ab'.repeat(32)}`;
    expect(decide(job(), ctx, opts({ hostMode: false }))).toEqual({ action: 'skip', reason: 'host_mode_off', detail: 'the job has no image and this worker runs image jobs only (host mode is off)' });
    const d = decide(job({}, { version: 1, image, resources: { memoryMiB: 256, timeoutSeconds: 600 } }), ctx, opts({ hostMode: false }));
    expect(d).toMatchObject({ action: 'claim', spec: { image: { registry: '127.0.0.1:5000', repository: 'loom/busybox', digest: `sha256:${'ab'.repeat(32)}` }, argv: [] } });
    // Host mode on (the default) takes both.
    expect(reason(decide(job({}, { version: 1, image, resources: { memoryMiB: 256, timeoutSeconds: 600 } }), ctx))).toBe('claim');
  });

  test('behavior: while the GPU probe fails, jobs that need a GPU are refused and CPU jobs still taken', () => {
    const sick = { ...ctx, gpusHealthy: false };
    expect(reason(decide(job({ minGpuCount: 1 }), sick))).toBe('gpu_unhealthy');
    expect(reason(decide(job({}, { ...goodSpec, resources: { ...goodSpec.resources, gpus: 1 } }), sick))).toBe('gpu_unhealthy');
    expect(reason(decide(job(), sick))).toBe('claim');
    expect(reason(decide(job({ minGpuCount: 1 }), ctx))).toBe('claim');
  });

  test('error: a refusal says why in words', () => {
    const d = decide(job({ executionTimeout: 700 }), ctx);
    expect(d).toEqual({ action: 'skip', reason: 'timeout', detail: "the spec's timeout (600 s) plus 120 s of reserve exceeds the execution timeout (700 s)" });
    const bad = decide(job({}, { version: 1, script: 'true', resources: { gpus: 'two' } }), ctx);
    expect(bad).toMatchObject({ action: 'skip', reason: 'spec_invalid' });
    expect(bad.action === 'skip' && bad.detail).toMatch(/resources\.gpus/);
  });

  describe('replicated slots', () => {
    function replicated(over: Partial<ReplicatedJobTerms> = {}, spec: unknown = goodSpec, status = 'OPEN') {
      const hex = specOf(spec);
      const terms: ReplicatedJobTerms = {
        client: '0x0000000000000000000000000000000000000001',
        token: ETH,
        price: 10n ** 16n,
        collateral: 10n ** 17n,
        feeBps: 100,
        replicas: 3,
        quorum: 2,
        openUntil: 2_000,
        commitWindow: 3600,
        revealWindow: 600,
        minGpuCount: 0,
        minVramMiB: 0,
        gpuModel: zeroHash,
        specHash: keccak256(hex),
        salt: 1n,
        ...over,
      };
      return { status, terms, spec: hex };
    }
    const reasonOf = (d: ReturnType<typeof decideReplicated>) => (d.action === 'skip' ? d.reason : d.action);

    test('default: a fitting slot is taken at one replica\'s price', () => {
      expect(decideReplicated(replicated(), ctx)).toMatchObject({ action: 'take', price: 10n ** 16n, spec: { resources: { timeoutSeconds: 600 } } });
    });

    test('behavior: the single-job checks apply, the run must fit before the commit deadline, and a slot holds the machine', () => {
      const cases: [ReturnType<typeof replicated>, StrategyContext, StrategyOptions, string][] = [
        // The API reads a full job as ASSIGNED: no free slot.
        [replicated({}, goodSpec, 'ASSIGNED'), ctx, opts(), 'not_open'],
        [replicated({ openUntil: 999 }), ctx, opts(), 'not_open'],
        [{ ...replicated(), terms: { ...replicated().terms, specHash: keccak256('0x00') } }, ctx, opts(), 'spec_hash'],
        [replicated(), ctx, opts({ modes: { claim: true, auction: true, replicated: false } }), 'mode'],
        [replicated(), ctx, opts({ hostMode: false }), 'host_mode_off'],
        [replicated({ token: USDC }), ctx, opts(), 'token'],
        [replicated({ minGpuCount: 4 }), ctx, opts(), 'hardware'],
        [replicated({ gpuModel: keccak256('0x01') }), ctx, opts(), 'hardware'],
        // now 1,000, commit deadline 1,000 + 700 = 1,700: 700 s left < 600 s + 120 s.
        [replicated({ openUntil: 1_000, commitWindow: 700 }), ctx, opts(), 'timeout'],
        [replicated({ price: 500n }), ctx, opts({ minPricePerGpuHour: { [ETH]: 3600n } }), 'price'],
        [replicated({ collateral: 2n * 10n ** 18n }), ctx, opts(), 'collateral'],
        [replicated(), { ...ctx, heldJobs: 1 }, opts(), 'capacity'],
      ];
      for (const [j, c, o, expected] of cases) expect(reasonOf(decideReplicated(j, c, o)), expected).toBe(expected);
      // Time is counted from now, not from openUntil: late in the open period the same job no longer fits.
      expect(reasonOf(decideReplicated(replicated({ openUntil: 2_000, commitWindow: 700 }), ctx))).toBe('take');
      expect(reasonOf(decideReplicated(replicated({ openUntil: 2_000, commitWindow: 700 }), { ...ctx, now: 2_000 }))).toBe('timeout');
    });

    test('behavior: a pooled replicated job is for the members of its pool', () => {
      expect(decideReplicated({ ...replicated(), pool: 4n }, ctx)).toEqual({ action: 'skip', reason: 'not_pool_member', detail: 'restricted to pool 4; this worker is in no pool' });
      expect(reasonOf(decideReplicated({ ...replicated(), pool: 4n }, { ...ctx, pool: { pool: 4n, state: 'MEMBER' } }))).toBe('take');
      expect(reasonOf(decideReplicated({ ...replicated(), pool: 4n }, { ...ctx, pool: { pool: 1n, state: 'MEMBER' } }))).toBe('not_pool_member');
      expect(reasonOf(decideReplicated(replicated(), { ...ctx, pool: { pool: 1n, state: 'MEMBER' } }))).toBe('take');
    });

    test('error: the refusal names the commit deadline', () => {
      expect(decideReplicated(replicated({ openUntil: 1_000, commitWindow: 700 }), ctx)).toEqual({
        action: 'skip',
        reason: 'timeout',
        detail: "the spec's timeout (600 s) plus 120 s of reserve exceeds the time left before the commit deadline (1700) (700 s)",
      });
      expect(decideReplicated(replicated({ price: 500n }), ctx, opts({ minPricePerGpuHour: { [ETH]: 3600n } }))).toMatchObject({ detail: expect.stringMatching(/^the price per replica 500 is below/) });
    });
  });
});
