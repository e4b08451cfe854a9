import { describe, expect, it } from 'vitest';
import { hexToString, zeroAddress, zeroHash } from 'viem';
import { ETH_TOKEN } from '../../sdk/format/tokens';
import { buildJobParams } from '../../sdk/jobParams';
import { specFromText } from '../jobSpecFile';
import { buildReplicatedParams } from '../../sdk/replicatedParams';
import { parseReplicatedFlags, parseTermsFlags } from './parseTermsFlags';

const usdc = { address: '0x9fe46736679d2d9a65f0992f2272de9f3c7fa6e0', symbol: 'tUSDC', decimals: 6 } as const;
const cpuSpec = specFromText(JSON.stringify({ version: 1, script: 'echo hi > /out/hi', resources: { timeoutSeconds: 60 } }), 'cpu.json').spec;
const gpuSpec = specFromText(JSON.stringify({ version: 1, command: ['python', 'train.py'], resources: { gpus: 2, vramMiB: 40960, timeoutSeconds: 600 } }), 'gpu.json').spec;
const now = 1_700_000_000;

describe('parseTermsFlags', () => {
  it('default: the contract struct, deadlines from durations, requirement from the spec', () => {
    const p = parseTermsFlags({ budget: '0.5', 'open-for': '1h', 'execution-timeout': '30m', 'challenge-window': '10m' }, gpuSpec, { token: ETH_TOKEN, now, salt: 7n });
    // The SDK's own test pins every field of this struct (sdk/jobParams.test.ts): the flags build the same.
    const same = buildJobParams({ token: zeroAddress, budget: 500_000_000_000_000_000n, openFor: 3600, executionTimeout: 1800, challengeWindow: 600, salt: 7n }, gpuSpec, { now });
    expect(same.ok && same.params).toEqual(p);
    expect(p).toMatchObject({ budget: 500_000_000_000_000_000n, openUntil: now + 3600, executionTimeout: 1800, challengeWindow: 600, minGpuCount: 2, minVramMiB: 40960, gpuModel: zeroHash });
  });

  it('behavior: ERC-20 budgets in the token decimals, auction mode, model, arbiter, more than the spec asks', () => {
    const p = parseTermsFlags(
      { budget: '250', mode: 'Auction', 'min-gpus': '4', 'min-vram': '80GiB', 'gpu-model': 'NVIDIA H100 80GB HBM3', arbiter: '0x70997970c51812dc3a010c7d01b50e0d17dc79c8', collateral: '0.1', salt: '42' },
      gpuSpec,
      { token: usdc, now },
    );
    expect(p.budget).toBe(250_000_000n);
    expect(p.token).toBe(usdc.address);
    expect(p.mode).toBe(1);
    expect(p.minGpuCount).toBe(4);
    expect(p.minVramMiB).toBe(81920);
    expect(hexToString(p.gpuModel, { size: 32 }).replace(/\0+$/, '')).toBe('NVIDIA H100 80GB HBM3');
    expect(p.arbiter).toBe('0x70997970C51812dc3A010C7d01b50e0d17dc79C8');
    expect(p.collateral).toBe(100_000_000_000_000_000n);
    expect(p.salt).toBe(42n);
  });

  it('behavior: a random salt by default; an open period of one second is the contract’s shortest', () => {
    const a = parseTermsFlags({ budget: '1' }, cpuSpec, { token: ETH_TOKEN, now });
    const b = parseTermsFlags({ budget: '1', 'open-for': '1s' }, cpuSpec, { token: ETH_TOKEN, now });
    expect(a.salt).not.toBe(b.salt);
    expect(a.minGpuCount).toBe(0);
    expect(a.minVramMiB).toBe(0);
    expect(b.openUntil).toBe(now + 1);
  });

  it('behavior: --offer-to makes a direct offer to that worker, with or without --mode direct', () => {
    const worker = '0x90f79bf6eb2c4f870365e785982e1f101e93b906';
    for (const flags of [{ budget: '1', 'offer-to': worker }, { budget: '1', 'offer-to': worker, mode: 'Direct' }]) {
      expect(parseTermsFlags(flags, cpuSpec, { token: ETH_TOKEN, now })).toMatchObject({ mode: 2, offeredTo: '0x90F79bf6EB2c4f870365E785982E1f101E93b906' });
    }
    expect(parseTermsFlags({ budget: '1' }, cpuSpec, { token: ETH_TOKEN, now })).toMatchObject({ mode: 0, offeredTo: '0x0000000000000000000000000000000000000000' });
  });

  it('error: every refusal names its flag', () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{}, /--budget is required/],
      [{ budget: 'abc' }, /--budget: "abc" is not an amount of ETH/],
      [{ budget: '0' }, /--budget must be more than zero/],
      [{ budget: '1', mode: 'bid' }, /--mode must be claim, auction, direct or pool, not "bid"/],
      [{ budget: '1', mode: 'pool' }, /^--pool is needed for a POOL job: the pool whose members may claim it$/],
      [{ budget: '1', pool: '0' }, /^"0" is not a --pool id \(a whole number from 1 to 18446744073709551615\)$/],
      [{ budget: '1', pool: 'two' }, /is not a --pool id/],
      [{ budget: '1', pool: '2', 'offer-to': '0x90f79bf6eb2c4f870365e785982e1f101e93b906' }, /^--pool makes a POOL job, not DIRECT$/],
      [{ budget: '1', mode: 'direct' }, /^--offer-to is needed for a DIRECT job: the worker it is offered to$/],
      [{ budget: '1', mode: 'auction', 'offer-to': '0x90f79bf6eb2c4f870365e785982e1f101e93b906' }, /^--offer-to makes a DIRECT job, not AUCTION$/],
      [{ budget: '1', 'offer-to': 'bob' }, /^--offer-to: "bob" is not a worker's address$/],
      [{ budget: '1', 'open-for': '91d' }, /--open-for must be between/],
      [{ budget: '1', 'open-for': '0s' }, /--open-for must be between/],
      [{ budget: '1', 'open-for': 'soon' }, /--open-for: "soon" is not a duration/],
      [{ budget: '1', 'execution-timeout': '31d' }, /--execution-timeout must be between/],
      [{ budget: '1', 'execution-timeout': '2m' }, /shorter than the spec's run timeout .* at least 3 min/],
      [{ budget: '1', 'challenge-window': '31d' }, /--challenge-window must be at most 30 d/],
      [{ budget: '1', 'gpu-model': 'x'.repeat(33) }, /--gpu-model: .*longer than 32 bytes/],
      [{ budget: '1', arbiter: 'bob' }, /--arbiter: "bob" is not an address/],
      [{ budget: '1', salt: '-1' }, /--salt/],
      [{ budget: '1', salt: (2n ** 64n).toString() }, /--salt/],
    ];
    for (const [flags, message] of cases) {
      expect(() => parseTermsFlags(flags, cpuSpec, { token: ETH_TOKEN, now }), JSON.stringify(flags)).toThrowError(message);
    }
    expect(() => parseTermsFlags({ budget: '1', 'min-gpus': '1' }, gpuSpec, { token: ETH_TOKEN, now })).toThrowError(/--min-gpus 1 is below the spec's resources.gpus \(2\)/);
    expect(() => parseTermsFlags({ budget: '1', 'min-vram': '1GiB' }, gpuSpec, { token: ETH_TOKEN, now })).toThrowError(/below the spec's resources.vramMiB/);
    expect(() => parseTermsFlags({ budget: '0.0000001' }, cpuSpec, { token: usdc, now })).toThrowError(/tUSDC has 6/);
    expect(() => parseTermsFlags({ budget: '1', quorum: '2' }, cpuSpec, { token: ETH_TOKEN, now })).toThrowError('--quorum is for replicated jobs: add --replicas <n>');
  });

  it('behavior: --pool makes a POOL job offered to the pool id as an address; with --replicas, the slots are the pool\'s', () => {
    expect(parseTermsFlags({ budget: '1', pool: '7' }, cpuSpec, { token: ETH_TOKEN, now })).toMatchObject({ mode: 3, offeredTo: '0x0000000000000000000000000000000000000007' });
    expect(parseReplicatedFlags({ budget: '1', replicas: '2', pool: '7' }, cpuSpec, { token: ETH_TOKEN, now })).toMatchObject({ pool: 7n });
  });
});

describe('parseReplicatedFlags', () => {
  it("default: --budget is one replica's price; a majority quorum; one hour to commit and one to reveal", () => {
    const p = parseReplicatedFlags({ budget: '0.01', replicas: '3', 'open-for': '10m' }, gpuSpec, { token: ETH_TOKEN, now, salt: 7n });
    const same = buildReplicatedParams(
      { token: zeroAddress, price: 10_000_000_000_000_000n, replicas: 3, openFor: 600, commitWindow: 3600, revealWindow: 3600, salt: 7n },
      gpuSpec,
      { now },
    );
    expect(same.ok && same.params).toEqual(p);
    expect(p).toMatchObject({ price: 10_000_000_000_000_000n, replicas: 3, quorum: 2, openUntil: now + 600, commitWindow: 3600, revealWindow: 3600, minGpuCount: 2 });
  });

  it('behavior: quorum, windows, an ERC-20 price in its decimals, collateral', () => {
    const p = parseReplicatedFlags(
      { budget: '2.5', replicas: '5', quorum: '4', 'commit-window': '1h30m', 'reveal-window': '20m', collateral: '0.1' },
      gpuSpec,
      { token: usdc, now },
    );
    expect(p).toMatchObject({ token: usdc.address, price: 2_500_000n, replicas: 5, quorum: 4, commitWindow: 5400, revealWindow: 1200, collateral: 100_000_000_000_000_000n });
  });

  it('error: bad n and k, windows, and single-job flags are refused on their flag', () => {
    const cases: [Record<string, string>, RegExp | string][] = [
      [{ replicas: '3' }, '--budget is required (in ETH, e.g. --budget 0.5: the price of one replica)'],
      [{ budget: '1', replicas: '1' }, '--replicas must be a whole number from 2 to 7'],
      [{ budget: '1', replicas: '8' }, '--replicas must be a whole number from 2 to 7'],
      [{ budget: '1', replicas: 'three' }, '--replicas: "three" is not a whole number'],
      [{ budget: '1', replicas: '4', quorum: '2' }, '--quorum must be more than half of the 4 replicas and at most 4: 3 to 4'],
      [{ budget: '1', replicas: '3', quorum: '4' }, /--quorum must be more than half of the 3 replicas/],
      [{ budget: '1', replicas: '3', 'commit-window': '31d' }, '--commit-window must be between 1 s and 30 d'],
      [{ budget: '1', replicas: '3', 'commit-window': '2m' }, /--commit-window is shorter than the spec's run timeout/],
      [{ budget: '1', replicas: '3', 'reveal-window': '0s' }, '--reveal-window must be between 1 s and 30 d'],
      [{ budget: '1', replicas: '3', mode: 'auction' }, '--mode does not apply to a replicated job (slots go to the first eligible workers)'],
      [{ budget: '1', replicas: '3', 'offer-to': '0x90f79bf6eb2c4f870365e785982e1f101e93b906' }, '--offer-to does not apply to a replicated job (slots go to the first eligible workers)'],
      [{ budget: '1', replicas: '3', arbiter: '0x70997970c51812dc3a010c7d01b50e0d17dc79c8' }, /--arbiter does not apply to a replicated job/],
      [{ budget: '1', replicas: '3', 'execution-timeout': '1h' }, /--execution-timeout does not apply .*--commit-window and --reveal-window/],
      [{ budget: '1', replicas: '3', 'challenge-window': '1h' }, /--challenge-window does not apply/],
    ];
    for (const [flags, message] of cases) {
      expect(() => parseReplicatedFlags(flags, cpuSpec, { token: ETH_TOKEN, now }), JSON.stringify(flags)).toThrowError(message);
    }
  });
});
