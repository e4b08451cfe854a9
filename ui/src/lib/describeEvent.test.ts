import { expect, test } from 'vitest';
import { ETH_TOKEN } from '$sdk/format/tokens';
import { describeEvent } from './describeEvent';
import { shortAddress } from './format';

const JOB = `0x${'12'.repeat(32)}`;
const CLIENT = '0x70997970c51812dc3a010c7d01b50e0d17dc79c8';
const A = '0x9965507d1a55bcc2695c58ba16fb37d819b0a4dc';
const B = '0x976ea74026e726554db657fa54763abd0c3a0aa9';
const C = '0x14dc79964da2c08b23698b3d3cc7ca32193d9955';

// Arguments as the API serves them: JSON, integers as decimal strings.
const terms = {
  client: CLIENT,
  token: ETH_TOKEN.address,
  price: '10000000000000000',
  collateral: '50000000000000000',
  feeBps: 250,
  replicas: 3,
  quorum: 2,
  openUntil: '1700000600',
  commitWindow: 600,
  revealWindow: 300,
  minGpuCount: 0,
  minVramMiB: 0,
  gpuModel: `0x${'00'.repeat(32)}`,
  specHash: `0x${'11'.repeat(32)}`,
  salt: '7',
};

test('describeEvent: a replicated job from its post to its settlement, in words', () => {
  expect(describeEvent('ReplicatedJobPosted', { jobId: JOB, client: CLIENT, token: ETH_TOKEN.address, terms, spec: '0x' }, ETH_TOKEN)).toEqual({
    title: 'Replicated job posted',
    detail: '3 × 0.01 ETH = 0.03 ETH escrowed · quorum 2 of 3 · collateral 0.05 ETH each',
    actor: CLIENT,
    tone: 'accent',
  });
  expect(describeEvent('SlotTaken', { jobId: JOB, worker: A, slot: '1', filled: '2' }, ETH_TOKEN)).toEqual({
    title: 'Slot 2 taken',
    detail: `${shortAddress(A)} runs it · 2 taken`,
    actor: A,
    tone: 'info',
  });
  expect(describeEvent('ResultCommitted', { jobId: JOB, worker: A, slot: '0', commitment: JOB, committed: '1', revealDeadline: '0' }, ETH_TOKEN).detail).toBe('a sealed result · 1 committed');
  expect(describeEvent('ResultCommitted', { jobId: JOB, worker: C, slot: '2', commitment: JOB, committed: '3', revealDeadline: '1700000900' }, ETH_TOKEN).detail).toMatch(
    /^a sealed result · 3 committed · every slot committed: reveals due /,
  );
  expect(describeEvent('ResultRevealed', { jobId: JOB, worker: B, slot: '1', resultHash: `0x${'ab'.repeat(32)}`, resultURI: 'artifact://ab' }, ETH_TOKEN)).toMatchObject({
    title: 'Slot 2 revealed',
    detail: expect.stringMatching(/^sha256 0xabab/),
    actor: B,
  });
  const closed = describeEvent(
    'ReplicatedJobClosed',
    {
      jobId: JOB,
      outcome: '1',
      resultHash: `0x${'ab'.repeat(32)}`,
      workers: [A, B, C],
      payouts: ['9750000000000000', '9750000000000000', '0'],
      slashed: ['0', '0', '50000000000000000'],
      fee: '500000000000000',
      clientRefund: '10000000000000000',
      winnerSlashShare: '12500000000000000',
      clientSlashShare: '25000000000000000',
    },
    ETH_TOKEN,
  );
  expect(closed).toEqual({
    title: 'Closed · Quorum reached',
    detail: '2 workers paid 0.0195 ETH · fee 0.0005 ETH · client refunded 0.01 ETH · 0.05 ETH collateral slashed',
    tone: 'success',
  });
  expect(describeEvent('ReplicatedJobClosed', { jobId: JOB, outcome: '4', workers: [], payouts: [], slashed: [], clientRefund: '30000000000000000' }, ETH_TOKEN)).toMatchObject({
    title: 'Closed · Cancelled',
    detail: 'client refunded 0.03 ETH',
    tone: 'neutral',
  });
});

test('describeEvent: a job its worker returned is a neutral close, the price refunded and nothing slashed', () => {
  // CloseReason.Returned is the contract's 7 (appended after ArbitrationTimedOut).
  const closed = describeEvent('JobClosed', { jobId: JOB, reason: 7, worker: A, workerPayout: '0', fee: '0', clientRefund: '10000000000000000', slashed: '0' }, ETH_TOKEN);
  expect(closed).toEqual({ title: 'Closed · Returned', detail: 'client refunded 0.01 ETH', tone: 'neutral' });
});
