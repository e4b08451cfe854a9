import { describe, expect, test } from 'vitest';
import { parseEther, zeroAddress } from 'viem';
import { createTokenRegistry, ETH_TOKEN } from '$sdk/format/tokens';
import { modelCost, type PickedModel } from './modelCost';

const usdc = '0xe7f1725e7734ce288f8367e1bb143e90bb3f0512' as const;
const CREATOR = '0x70997970c51812dc3a010c7d01b50e0d17dc79c8';
const tokens = createTokenRegistry(usdc);
const symbolOf = (t: string) => tokens.get(t).symbol;
const model = (id: string, patch: Partial<PickedModel> = {}): PickedModel => ({ id, name: `m${id}`, version: '1.0', creator: CREATOR, token: zeroAddress, fee: '0', retired: false, ...patch });

describe('modelCost', () => {
  test('default: the total is the escrow plus every fee, the free models and the paid ones in the job token', () => {
    const r = modelCost(parseEther('0.1'), [model('1', { fee: parseEther('0.01').toString() }), model('2'), model('3', { token: usdc, fee: '0' })], ETH_TOKEN, symbolOf);
    expect(r).toEqual({ ok: true, fees: parseEther('0.01'), total: parseEther('0.11'), modelIds: [1, 2, 3] });
    expect(modelCost(5n, [], ETH_TOKEN, symbolOf)).toEqual({ ok: true, fees: 0n, total: 5n, modelIds: [] });
  });

  test('error: a paid model in another token than the job is refused, naming both tokens', () => {
    const r = modelCost(parseEther('0.1'), [model('4', { name: 'llama', token: usdc, fee: '2500000' })], ETH_TOKEN, symbolOf);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.issues).toEqual([
      { modelId: '4', message: 'llama 1.0 (#4) charges its fee in tUSDC, and this job pays in ETH: pay the job in tUSDC, or leave the model out.' },
    ]);
    // Its fee is not counted in a token it cannot be paid in.
    expect(r.total).toBe(parseEther('0.1'));
    const inUsdc = modelCost(10_000_000n, [model('4', { token: usdc, fee: '2500000' })], tokens.get(usdc), symbolOf);
    expect(inUsdc).toMatchObject({ ok: true, fees: 2_500_000n, total: 12_500_000n });
  });

  test('error: more than 8 models, one twice, a retired one', () => {
    const nine = Array.from({ length: 9 }, (_, i) => model(String(i + 1)));
    const tooMany = modelCost(1n, nine, ETH_TOKEN, symbolOf);
    expect(!tooMany.ok && tooMany.issues).toEqual([{ modelId: undefined, message: 'A job uses from 1 to 8 models, not 9.' }]);
    expect(!modelCost(1n, [model('2'), model('2')], ETH_TOKEN, symbolOf).ok && (modelCost(1n, [model('2'), model('2')], ETH_TOKEN, symbolOf) as { issues: unknown[] }).issues).toEqual([
      { modelId: undefined, message: 'Model 2 is listed twice.' },
    ]);
    const r = modelCost(1n, [model('5', { retired: true })], ETH_TOKEN, symbolOf);
    expect(!r.ok && r.issues).toEqual([{ modelId: '5', message: 'Model 5 is retired: its creator withdrew it from new jobs.' }]);
  });
});
