import { expect, test } from 'vitest';
import { allWorkersKnown, sealTargets } from './sealedDelivery';

const A = '0x00000000000000000000000000000000000000a1';
const B = '0x00000000000000000000000000000000000000b2';
const C = '0x00000000000000000000000000000000000000c3';
const KEY = `0x${'11'.repeat(32)}`;

const slot = (worker: string, key: string | null = KEY) => ({ worker, holder: { encryptionKey: key } });
const replicated = (status: string, slots: ReturnType<typeof slot>[], replicas = 3) =>
  ({ kind: 'REPLICATED', status, worker: null, assignee: null, slots, replicatedTerms: { replicas } }) as unknown as Parameters<typeof allWorkersKnown>[0] & Parameters<typeof sealTargets>[0];
const single = (status: string, worker: string | null) =>
  ({ kind: 'SINGLE', status, worker, assignee: worker ? { address: worker, encryptionKey: KEY } : null, slots: [], replicatedTerms: null }) as unknown as Parameters<typeof allWorkersKnown>[0] &
    Parameters<typeof sealTargets>[0];

test('default: a replicated job seals to each slot holder, and its workers are all known only once every slot is taken', () => {
  expect(sealTargets(replicated('OPEN', [slot(A), slot(B, null)]))).toEqual([
    { worker: A, encryptionKey: KEY },
    { worker: B, encryptionKey: null },
  ]);
  expect(allWorkersKnown(replicated('OPEN', [slot(A), slot(B)]))).toBe(false);
  expect(allWorkersKnown(replicated('ASSIGNED', [slot(A), slot(B), slot(C)]))).toBe(true);
});

test('behavior: a replicated job is judged by its slots, not its status (a status ahead of the slots read does not end the sealing)', () => {
  expect(allWorkersKnown(replicated('ASSIGNED', [slot(A), slot(B)]))).toBe(false);
  expect(allWorkersKnown(replicated('SUBMITTED', [slot(A), slot(B)]))).toBe(false);
});

test('default: a single job has its worker once assigned', () => {
  expect(allWorkersKnown(single('OPEN', null))).toBe(false);
  expect(allWorkersKnown(single('ASSIGNED', A))).toBe(true);
  expect(sealTargets(single('ASSIGNED', A))).toEqual([{ worker: A, encryptionKey: KEY }]);
  expect(sealTargets(single('OPEN', null))).toEqual([]);
});
