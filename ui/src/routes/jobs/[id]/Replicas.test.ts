// @vitest-environment happy-dom
import { render, screen } from '@testing-library/svelte';
import { expect, test } from 'vitest';
import { loomContext, type Loom } from '$lib/graphql/context';
import { replicationStanding } from '$sdk/format/replication';
import Replicas from './Replicas.svelte';

const ETH = '0x0000000000000000000000000000000000000000';
const A = '0x9965507d1a55bcc2695c58ba16fb37d819b0a4dc';
const B = '0x976ea74026e726554db657fa54763abd0c3a0aa9';
const C = '0x14dc79964da2c08b23698b3d3cc7ca32193d9955';
const HASH_A = `0x${'aa'.repeat(32)}`;
const HASH_B = `0x${'bb'.repeat(32)}`;
const now = Math.floor(Date.now() / 1000);

const loom = { config: { usdc: undefined, explorerUrl: undefined }, wallet: { account: undefined }, feed: { clockOffset: 0 } } as unknown as Loom;

const slot = (index: number, worker: string, state: string, patch: Record<string, unknown> = {}) => ({
  index,
  worker,
  state,
  resultHash: null,
  verdict: null,
  payout: null,
  slashed: null,
  slashShare: null,
  takenAt: String(now - 60),
  committedAt: state === 'TAKEN' ? null : String(now - 30),
  revealedAt: state === 'REVEALED' ? String(now - 10) : null,
  ...patch,
});
const terms = { replicas: 3, quorum: 2, openUntil: now + 600, commitWindow: 600, revealWindow: 300 };
const rowStates = () => screen.getAllByRole('row').slice(1).map((r) => r.getAttribute('data-state'));

test('Replicas: every slot of the job, taken or free, with the phase and its deadline', () => {
  const slots = [slot(0, A, 'COMMITTED'), slot(1, B, 'TAKEN')];
  const standing = replicationStanding({ status: 'OPEN', ...terms, filled: 2, committed: 1, revealed: 0 }, now);
  render(Replicas, { props: { slots, replicas: 3, quorum: 2, token: ETH, standing, settled: null }, context: loomContext(loom) });

  expect(screen.getByTestId('replicas').getAttribute('data-phase')).toBe('TAKING_SLOTS');
  expect(screen.getByTestId('replicas-phase').textContent).toBe('Taking slots: 2 of 3');
  expect(screen.getByTestId('replicas').textContent).toContain('Slots open until in 10 min');
  expect(screen.getByTestId('count-taken').textContent).toBe('2 of 3');
  expect(screen.getByTestId('count-committed').textContent).toBe('1');
  expect(rowStates()).toEqual(['COMMITTED', 'TAKEN', 'EMPTY']);
  const rows = screen.getAllByRole('row');
  // A commitment is sealed: no hash to show until the reveal.
  expect(rows[1]!.textContent).toContain('Committed');
  expect(rows[1]!.textContent).toContain('sealed');
  expect(rows[2]!.textContent).toContain('Running');
  expect(rows[3]!.textContent).toContain('Free: the next eligible worker takes it');
  expect(screen.queryByTestId('replicas-outcome')).toBeNull();
});

test('Replicas: once closed, each slot settled and the outcome with its amounts', () => {
  const slots = [
    slot(0, A, 'REVEALED', { resultHash: HASH_A, verdict: 'AGREED', payout: '9750000000000000', slashed: '0', slashShare: '12500000000000000' }),
    slot(1, B, 'REVEALED', { resultHash: HASH_A, verdict: 'AGREED', payout: '9750000000000000', slashed: '0', slashShare: '12500000000000000' }),
    slot(2, C, 'REVEALED', { resultHash: HASH_B, verdict: 'DISAGREED', payout: '0', slashed: '50000000000000000', slashShare: '0' }),
  ];
  const standing = replicationStanding({ status: 'CLOSED', ...terms, filled: 3, committed: 3, revealed: 3 }, now);
  const settled = {
    outcome: 'QUORUM_REACHED',
    resultHash: HASH_A,
    workerPayout: '19500000000000000',
    fee: '500000000000000',
    clientRefund: '10000000000000000',
    slashed: '50000000000000000',
    winnerSlashShare: '12500000000000000',
    clientSlashShare: '25000000000000000',
  };
  render(Replicas, { props: { slots, replicas: 3, quorum: 2, token: ETH, standing, settled }, context: loomContext(loom) });

  expect(screen.getByTestId('replicas-phase').textContent).toBe('Quorum reached');
  const settledCells = screen.getAllByTestId('slot-settled').map((c) => c.textContent!.replace(/\s+/g, ' ').trim());
  expect(settledCells).toEqual(['Agreed · 0.00975 ETH · +0.0125 ETH', 'Agreed · 0.00975 ETH · +0.0125 ETH', 'Disagreed: slashed · −0.05 ETH']);
  const outcome = screen.getByTestId('replicas-outcome').textContent!.replace(/\s+/g, ' ');
  expect(outcome).toContain('Outcome Quorum reached');
  expect(outcome).toContain('Workers paid 0.0195 ETH');
  expect(outcome).toContain('Client refunded 0.01 ETH');
  expect(outcome).toContain('0.05 ETH: 0.0125 ETH to each agreeing worker, 0.025 ETH to the client');
});

test('Replicas: a job that expired unfilled shows the slots never taken', () => {
  const standing = replicationStanding({ status: 'CLOSED', ...terms, filled: 1, committed: 0, revealed: 0 }, now);
  const settled = { outcome: 'EXPIRED_UNFILLED', resultHash: null, workerPayout: '0', fee: '0', clientRefund: '30000000000000000', slashed: '0', winnerSlashShare: '0', clientSlashShare: '0' };
  render(Replicas, { props: { slots: [slot(0, A, 'TAKEN')], replicas: 3, quorum: 2, token: ETH, standing, settled }, context: loomContext(loom) });
  expect(rowStates()).toEqual(['TAKEN', 'EMPTY', 'EMPTY']);
  expect(screen.getAllByRole('row')[2]!.textContent).toContain('Never taken');
  expect(screen.getByTestId('replicas-outcome').textContent).not.toContain('Collateral slashed');
});
