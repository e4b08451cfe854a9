import { describe, expect, test } from 'vitest';
import { zeroAddress } from 'viem';
import { draftJobParams, draftReplicatedParams, defaultTermsDraft, type TermsDraft } from './jobParams';
import { createTokenRegistry, ETH_TOKEN } from '$sdk/format/tokens';

const usdc = '0xe7f1725e7734ce288f8367e1bb143e90bb3f0512' as const;
const USDC = createTokenRegistry(usdc).get(usdc);
const spec = { resources: { gpus: 2, vramMiB: 40_960, memoryMiB: 4096, cpus: 1, pids: 512, timeoutSeconds: 600, outputMiB: 1024 } };
const terms = (patch: Partial<TermsDraft> = {}): TermsDraft => ({ ...defaultTermsDraft(), budget: '0.5', ...patch });

describe('draftJobParams', () => {
  test("default: the form's text, minutes and hours as the contract's JobParams, the GPU requirement from the spec", () => {
    const r = draftJobParams(terms({ collateral: '0.1', gpuModel: 'NVIDIA H100 80GB HBM3' }), spec, { token: ETH_TOKEN, now: 1_000, salt: 7n });
    expect(r).toEqual({
      ok: true,
      params: {
        token: zeroAddress,
        arbiter: zeroAddress,
        budget: 5n * 10n ** 17n,
        collateral: 10n ** 17n,
        mode: 0,
        offeredTo: zeroAddress,
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

  test('behavior: an auction in tUSDC, with 6 decimals', () => {
    const r = draftJobParams(terms({ token: usdc, budget: '12.5', mode: 'AUCTION' }), { resources: { ...spec.resources, gpus: 0 } }, { token: USDC, now: 0, salt: 1n });
    expect(r.ok && r.params).toMatchObject({ token: usdc, budget: 12_500_000n, mode: 1, minGpuCount: 0, minVramMiB: 0 });
  });

  test('behavior: a direct offer to the worker typed or picked; the address kept but not sent in another mode', () => {
    const worker = '0x90f79bf6eb2c4f870365e785982e1f101e93b906';
    const r = draftJobParams(terms({ mode: 'DIRECT', offerTo: ` ${worker} ` }), spec, { token: ETH_TOKEN, now: 0, salt: 1n });
    expect(r.ok && r.params).toMatchObject({ mode: 2, offeredTo: '0x90F79bf6EB2c4f870365E785982E1f101E93b906' });
    const claim = draftJobParams(terms({ mode: 'CLAIM', offerTo: worker }), spec, { token: ETH_TOKEN, now: 0, salt: 1n });
    expect(claim.ok && claim.params).toMatchObject({ mode: 0, offeredTo: zeroAddress });
  });

  test("error: what does not parse, and the SDK's rules, in words on the form's fields", () => {
    const issues = (draft: TermsDraft) => {
      const r = draftJobParams(draft, spec, { token: ETH_TOKEN, now: 0, salt: 1n });
      return r.ok ? {} : Object.fromEntries(r.issues.map((i) => [i.field, i.message]));
    };
    expect(issues(terms({ budget: '' })).budget).toMatch(/enter the budget in ETH/);
    expect(issues(terms({ budget: '0' })).budget).toBe('the budget must be more than zero');
    expect(issues(terms({ budget: '1'.repeat(30) })).budget).toBe('the budget is more than the contract can hold');
    expect(issues(terms({ collateral: 'lots' })).collateral).toMatch(/collateral in ETH/);
    expect(issues(terms({ openForMinutes: 0 })).openForMinutes).toMatch(/90 d/);
    expect(issues(terms({ executionTimeoutMinutes: 11 })).executionTimeoutMinutes).toMatch(/12 min/);
    expect(issues(terms({ challengeWindowHours: 721 })).challengeWindowHours).toMatch(/30 d/);
    expect(issues(terms({ gpuModel: 'x'.repeat(40) })).gpuModel).toMatch(/longer than 32 bytes/);
    expect(issues(terms({ mode: 'DIRECT' })).offerTo).toBe('the worker is needed for a DIRECT job: the worker it is offered to');
    expect(issues(terms({ mode: 'DIRECT', offerTo: 'bob' })).offerTo).toBe('the worker: "bob" is not a worker\'s address');
  });
});

describe('draftReplicatedParams', () => {
  const replicated = (patch: Partial<TermsDraft> = {}) => terms({ replicated: true, budget: '0.01', ...patch });
  const issues = (draft: TermsDraft) => {
    const r = draftReplicatedParams(draft, spec, { token: ETH_TOKEN, now: 0, salt: 1n });
    return r.ok ? {} : Object.fromEntries(r.issues.map((i) => [i.field, i.message]));
  };

  test("default: three replicas, a majority quorum, an hour to commit and one to reveal; the budget is one replica's price", () => {
    const r = draftReplicatedParams(replicated(), spec, { token: ETH_TOKEN, now: 1_000, salt: 7n });
    expect(r).toEqual({
      ok: true,
      params: {
        token: zeroAddress,
        price: 10n ** 16n,
        collateral: 0n,
        replicas: 3,
        quorum: 2,
        openUntil: 1_000 + 3600,
        commitWindow: 3600,
        revealWindow: 3600,
        minGpuCount: 2,
        minVramMiB: 40_960,
        gpuModel: expect.stringMatching(/^0x0{64}$/),
        pool: 0n,
        salt: 7n,
      },
    });
  });

  test('behavior: a chosen quorum and windows in minutes, priced in tUSDC', () => {
    const r = draftReplicatedParams(replicated({ token: usdc, budget: '2.5', replicas: 5, quorum: 4, commitWindowMinutes: 90, revealWindowMinutes: 20 }), spec, { token: USDC, now: 0, salt: 1n });
    expect(r.ok && r.params).toMatchObject({ token: usdc, price: 2_500_000n, replicas: 5, quorum: 4, commitWindow: 5400, revealWindow: 1200 });
  });

  test('error: bad n, k and windows, in words on their fields', () => {
    expect(issues(replicated({ budget: '' })).budget).toBe('enter the price per replica in ETH, e.g. 0.5');
    expect(issues(replicated({ replicas: 1 })).replicas).toBe('the number of replicas must be a whole number from 2 to 7');
    expect(issues(replicated({ replicas: null })).replicas).toMatch(/from 2 to 7/);
    expect(issues(replicated({ replicas: 4, quorum: 2 })).quorum).toBe('the quorum must be more than half of the 4 replicas and at most 4: 3 to 4');
    expect(issues(replicated({ commitWindowMinutes: 5 })).commitWindowMinutes).toMatch(/^the commit window is shorter than the spec's run timeout/);
    expect(issues(replicated({ revealWindowMinutes: 0 })).revealWindowMinutes).toBe('the reveal window must be between 1 s and 30 d');
    expect(issues(replicated({ budget: '0' })).budget).toBe('the price per replica must be more than zero');
  });
});

describe('pools in the terms', () => {
  test('behavior: a POOL job is offered to the pool id as an address; a replicated job names the pool', () => {
    const r = draftJobParams(terms({ mode: 'POOL', pool: '3' }), spec, { token: ETH_TOKEN, now: 0, salt: 1n });
    expect(r.ok && r.params).toMatchObject({ mode: 3, offeredTo: '0x0000000000000000000000000000000000000003' });
    const kept = draftJobParams(terms({ mode: 'CLAIM', pool: '3' }), spec, { token: ETH_TOKEN, now: 0, salt: 1n });
    expect(kept.ok && kept.params.offeredTo).toBe(zeroAddress);
    const rep = draftReplicatedParams(terms({ replicated: true, pool: '12', commitWindowMinutes: 30 }), spec, { token: ETH_TOKEN, now: 0, salt: 1n });
    expect(rep.ok && rep.params.pool).toBe(12n);
    const any = draftReplicatedParams(terms({ replicated: true, commitWindowMinutes: 30 }), spec, { token: ETH_TOKEN, now: 0, salt: 1n });
    expect(any.ok && any.params.pool).toBe(0n);
  });

  test('error: a POOL job without a pool, or with one that cannot exist, says so on the pool field', () => {
    const issueOf = (r: ReturnType<typeof draftJobParams>) => (r.ok ? undefined : r.issues.find((i) => i.field === 'pool')?.message);
    expect(issueOf(draftJobParams(terms({ mode: 'POOL' }), spec, { token: ETH_TOKEN, now: 0 }))).toBe('pick the pool whose members may take the job');
    expect(issueOf(draftJobParams(terms({ mode: 'POOL', pool: '0' }), spec, { token: ETH_TOKEN, now: 0 }))).toBe('pool 0 cannot exist: pool ids run from 1');
    expect(issueOf(draftJobParams(terms({ mode: 'POOL', pool: 'mine' }), spec, { token: ETH_TOKEN, now: 0 }))).toMatch(/^"mine" is not a pool id/);
    const rep = draftReplicatedParams(terms({ replicated: true, pool: '-1', commitWindowMinutes: 30 }), spec, { token: ETH_TOKEN, now: 0 });
    expect(rep.ok ? undefined : rep.issues.find((i) => i.field === 'pool')?.message).toMatch(/is not a pool id/);
  });
});
