// @vitest-environment happy-dom
import { render, screen, within } from '@testing-library/svelte';
import { zeroAddress } from 'viem';
import { expect, test, vi } from 'vitest';
import { loomContext, type Loom } from '$lib/graphql/context';
import { modelCost, type PickedModel } from '$lib/hub/modelCost';
import { createTokenRegistry, ETH_TOKEN } from '$sdk/format/tokens';
import ModelPicker from './ModelPicker.svelte';

const USDC = '0xe7f1725e7734ce288f8367e1bb143e90bb3f0512';
const CREATOR = '0x70997970c51812dc3a010c7d01b50e0d17dc79c8';
const tokens = createTokenRegistry(USDC);
const card = (id: string, name: string, token: string, fee: string) => ({
  id,
  creator: '0x70997970c51812dc3a010c7d01b50e0d17dc79c8',
  name,
  version: '1.0',
  kind: 'WEIGHTS',
  token,
  fee,
  retired: false,
  uses: 3,
  publishedAt: '0',
  earnings: [],
});
const found = [card('1', 'tiny-llm', zeroAddress, '10000000000000000'), card('2', 'usdc-tool', USDC, '2000000')];

function loom(): Loom {
  const query = vi.fn(async () => ({ models: { totalCount: 2, edges: found.map((node) => ({ cursor: node.id, node })), pageInfo: { hasNextPage: false, endCursor: '2' } } }));
  return {
    config: { usdc: USDC, explorerUrl: undefined },
    wallet: { account: undefined },
    feed: { clockOffset: 0, ready: Promise.resolve(), on: () => () => {} },
    reader: { query },
  } as unknown as Loom;
}

test("behavior: the hub's models with their fees; one paid in another token than the job's says which token it needs", async () => {
  render(ModelPicker, { props: { models: [], token: ETH_TOKEN, issues: [], showErrors: false }, context: loomContext(loom()) });
  const results = await screen.findByRole('list', { name: 'Models found' });
  const rows = within(results).getAllByRole('listitem');
  expect(rows.map((r) => r.textContent?.replace(/\s+/g, ' ').trim())).toEqual([
    expect.stringMatching(/^tiny-llm 1\.0 Weights · 3 uses 0\.01 ETH Add$/),
    expect.stringMatching(/^usdc-tool 1\.0 Weights · 3 uses 2 tUSDC needs a job in tUSDC Add$/),
  ]);
});

test('error: a picked model refused by the rules shows why on it, and no more than 8 can be added', async () => {
  const picked: PickedModel[] = Array.from({ length: 8 }, (_, i) => ({ id: String(i + 10), name: `m${i}`, version: '1', creator: CREATOR, token: zeroAddress, fee: '0', retired: false }));
  picked[0] = { id: '2', name: 'usdc-tool', version: '1.0', creator: CREATOR, token: USDC, fee: '2000000', retired: false };
  const cost = modelCost(0n, picked, ETH_TOKEN, (t) => tokens.get(t).symbol);
  render(ModelPicker, { props: { models: picked, token: ETH_TOKEN, issues: cost.ok ? [] : cost.issues, showErrors: true }, context: loomContext(loom()) });
  expect(screen.getByTestId('model-issue').textContent).toBe('usdc-tool 1.0 (#2) charges its fee in tUSDC, and this job pays in ETH: pay the job in tUSDC, or leave the model out.');
  expect(screen.getByText(/8 of 8/)).toBeTruthy();
  const results = await screen.findByRole('list', { name: 'Models found' });
  for (const button of within(results).getAllByRole('button')) expect((button as HTMLButtonElement).disabled).toBe(true);
});
