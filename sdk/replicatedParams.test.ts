import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parseEther, zeroAddress, zeroHash, type Address } from 'viem';
import { loomReplicatedMarketAbi } from '../abis/generated';
import * as rules from './replicatedParams';
import { buildReplicatedParams, majorityOf, replicatedCost, type ReplicatedParamsInput } from './replicatedParams';
import { type Stack, startStack } from '../testkit/stack';

const usdc: Address = '0xe7f1725e7734ce288f8367e1bb143e90bb3f0512';
const resources = { gpus: 1, vramMiB: 16_384, memoryMiB: 4096, cpus: 1, pids: 512, timeoutSeconds: 600, outputMiB: 1024 };
const now = 1_700_000_000;
const input = (patch: Partial<ReplicatedParamsInput> = {}): ReplicatedParamsInput => ({
  token: zeroAddress,
  price: parseEther('0.01'),
  replicas: 3,
  openFor: 3600,
  commitWindow: 3600,
  revealWindow: 1800,
  salt: 1n,
  ...patch,
});
const issues = (patch: Partial<ReplicatedParamsInput>) => {
  const r = buildReplicatedParams(input(patch), { resources }, { now });
  return r.ok ? {} : Object.fromEntries(r.issues.map((i) => [i.field, i.message]));
};

describe('buildReplicatedParams', () => {
  test("default: the contract's ReplicatedParams, a majority quorum, the GPU requirement from the spec", () => {
    expect(buildReplicatedParams(input(), { resources }, { now })).toEqual({
      ok: true,
      params: {
        token: zeroAddress,
        price: parseEther('0.01'),
        collateral: 0n,
        replicas: 3,
        quorum: 2,
        openUntil: now + 3600,
        commitWindow: 3600,
        revealWindow: 1800,
        minGpuCount: 1,
        minVramMiB: 16_384,
        gpuModel: zeroHash,
        salt: 1n,
        pool: 0n,
      },
    });
  });

  test('behavior: every quorum from a bare majority to unanimity is taken', () => {
    for (const [n, ks] of [[2, [2]], [3, [2, 3]], [4, [3, 4]], [7, [4, 5, 6, 7]]] as const) {
      for (const k of ks) expect(buildReplicatedParams(input({ replicas: n, quorum: k, token: usdc }), undefined, { now }).ok).toBe(true);
      expect(majorityOf(n)).toBe(ks[0]);
    }
  });

  test('error: bad replicas, quorums and windows, in words, on their fields', () => {
    expect(issues({ replicas: 1 }).replicas).toBe('must be a whole number from 2 to 7');
    expect(issues({ replicas: 8 }).replicas).toBe('must be a whole number from 2 to 7');
    expect(issues({ replicas: 2.5 }).replicas).toMatch(/whole number/);
    expect(issues({ replicas: 4, quorum: 2 }).quorum).toBe('must be more than half of the 4 replicas and at most 4: 3 to 4');
    expect(issues({ replicas: 3, quorum: 4 }).quorum).toBe('must be more than half of the 3 replicas and at most 3: 2 to 3');
    expect(issues({ replicas: 2, quorum: 1 }).quorum).toBe('must be more than half of the 2 replicas and at most 2: 2');
    expect(issues({ revealWindow: 0 }).revealWindow).toBe('must be between 1 s and 30 d');
    expect(issues({ commitWindow: 31 * 86_400 }).commitWindow).toBe('must be between 1 s and 30 d');
    // The run's 10 minutes plus the workers' reserve do not fit in a 5-minute commit window.
    expect(issues({ commitWindow: 300 }).commitWindow).toMatch(/shorter than the spec's run timeout .* at least 12 min/);
    expect(issues({ price: 0n }).price).toBe('must be more than zero');
    expect(issues({ price: 2n ** 95n }).price).toBe('times 3 replicas is more than the contract can hold');
    expect(issues({ openFor: 0 }).openFor).toBe('must be between 1 s and 90 d');
    expect(issues({ minGpuCount: 0 }).minGpuCount).toMatch(/below the spec's resources.gpus/);
    expect(issues({ pool: 0n }).pool).toBe('must be a pool id from 1 to 2^64-1, not 0');
    expect(issues({ pool: 2n ** 64n }).pool).toMatch(/from 1 to 2\^64-1/);
    expect(issues({ pool: 3n })).toEqual({});
  });
});

test('replicatedCost: the client escrows every replica; each pays the fee out of its own price', () => {
  expect(replicatedCost(parseEther('0.01'), 3, 250)).toEqual({ escrow: parseEther('0.03'), feePerReplica: parseEther('0.00025'), replicaReceives: parseEther('0.00975') });
  expect(replicatedCost(999n, 2, 100)).toEqual({ escrow: 1998n, feePerReplica: 9n, replicaReceives: 990n });
});

describe("the contract's own constants", () => {
  let m: Stack;
  beforeAll(async () => {
    m = await startStack({ name: 'replicated-rules' });
  }, 120_000);
  afterAll(async () => {
    await m?.stop();
  });

  test.each(['MAX_REPLICAS', 'MAX_PHASE_WINDOW'] as const)('%s is the contract constant', async (name) => {
    const onChain = await m.publicClient.readContract({ address: m.replicated, abi: loomReplicatedMarketAbi, functionName: name });
    expect(rules[name]).toBe(Number(onChain));
  });
});
