// @vitest-environment happy-dom
import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { expect, test, vi } from 'vitest';
import { loomContext, type Loom } from '$lib/graphql/context';
import Bids from './Bids.svelte';

const USDC = '0xe7f1725e7734ce288f8367e1bb143e90bb3f0512';
const A = '0x9965507d1a55bcc2695c58ba16fb37d819b0a4dc';
const B = '0x976ea74026e726554db657fa54763abd0c3a0aa9';
const C = '0x14dc79964da2c08b23698b3d3cc7ca32193d9955';

const loom = {
  config: { usdc: USDC, explorerUrl: undefined },
  wallet: { account: '0x70997970c51812dc3a010c7d01b50e0d17dc79c8' },
  feed: { clockOffset: 0 },
} as unknown as Loom;

const bidder = (address: string, reputation: number, gpuCount = 0) => ({
  address,
  registered: true,
  available: true,
  gpuModelName: gpuCount ? 'NVIDIA H100 80GB HBM3' : null,
  claim: { gpuModel: '0x', gpuCount, vramMiB: gpuCount ? 81_920 : 0, cpuCores: 32, ramMiB: 262_144, pricePerGpuHour: '2500000', metadataURI: '' },
  stake: '0',
  locked: '0',
  freeStake: '0',
  activeJobs: 0,
  jobsAssigned: 4,
  jobsCompleted: 3,
  jobsReclaimed: 0,
  jobsReturned: 0,
  disputesWon: 0,
  disputesLost: 1,
  slashCount: 0,
  reputation,
  registeredAt: '0',
  earnings: [],
});
const bid = (worker: string, price: string, status: 'ACTIVE' | 'WITHDRAWN' | 'ACCEPTED', reputation: number, gpus = 0) => ({
  worker,
  price,
  status,
  placedAt: String(Math.floor(Date.now() / 1000) - 60),
  placedBlock: '10',
  bidder: bidder(worker, reputation, gpus),
});

test("Bids: standing bids ranked by price with the bidder's hardware and reputation; the client accepts one", async () => {
  const onaccept = vi.fn();
  const bids = [bid(A, '66000', 'ACTIVE', 333, 2), bid(B, '144000', 'ACTIVE', 750), bid(C, '50000', 'WITHDRAWN', 500)] as never;
  render(Bids, { props: { bids, token: USDC, open: true, canAccept: true, onaccept, busy: false }, context: loomContext(loom) });

  const rows = screen.getAllByRole('listitem');
  expect(rows.map((r) => r.getAttribute('data-bidder'))).toEqual([A, B, C]);
  expect(within(rows[0]!).getByLabelText('Rank').textContent).toBe('#1');
  expect(rows[0]!.textContent).toContain('0.066 tUSDC');
  expect(rows[0]!.textContent).toContain('2 × NVIDIA H100 80GB HBM3 · 80 GiB');
  expect(rows[0]!.textContent).toContain('reputation 33.3');
  expect(rows[0]!.textContent).toContain('1 disputes lost');
  expect(rows[1]!.textContent).toContain('CPU only');
  expect(rows[2]!.textContent).toContain('Withdrawn');
  expect(within(rows[2]!).queryByRole('button', { name: 'Accept' })).toBeNull();

  await fireEvent.click(within(rows[1]!).getByRole('button', { name: 'Accept' }));
  expect(onaccept).toHaveBeenCalledWith(B);
});

test('Bids: once assigned, the accepted bid leads and nobody can accept', () => {
  const bids = [bid(A, '66000', 'ACTIVE', 333), bid(B, '144000', 'ACCEPTED', 750)] as never;
  render(Bids, { props: { bids, token: USDC, open: false, canAccept: false, onaccept: () => {}, busy: false }, context: loomContext(loom) });
  const rows = screen.getAllByRole('listitem');
  expect(rows[0]!.getAttribute('data-bidder')).toBe(B);
  expect(rows[0]!.textContent).toContain('Accepted');
  expect(rows[1]!.textContent).toContain('Not chosen');
  expect(screen.queryByRole('button', { name: 'Accept' })).toBeNull();
});
