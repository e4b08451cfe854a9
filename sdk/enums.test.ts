import { expect, test } from 'vitest';
import { CLOSE_REASONS, closeReasonOf, enumMemberName, JOB_STATUSES, jobModeOf, MODE, modeLabel, statusLabel } from './enums';

test("default: the contract's enums, by value, as the API names them", () => {
  expect(JOB_STATUSES).toEqual(['OPEN', 'ASSIGNED', 'SUBMITTED', 'DISPUTED', 'CLOSED']);
  expect(CLOSE_REASONS).toEqual(['COMPLETED', 'CANCELLED', 'EXPIRED', 'RECLAIMED', 'DISPUTE_RESOLVED', 'ARBITRATION_TIMED_OUT', 'RETURNED']);
  expect(MODE).toEqual({ CLAIM: 0, AUCTION: 1, DIRECT: 2, POOL: 3 });
  expect(closeReasonOf(5n)).toBe('DISPUTE_RESOLVED');
  expect(closeReasonOf(0)).toBeUndefined();
  expect(closeReasonOf(99)).toBeUndefined();
  expect(jobModeOf(1)).toBe('AUCTION');
  expect(enumMemberName('JobStatus', 5)).toBe('Closed');
});

test('default: statuses and close reasons in words', () => {
  expect(statusLabel('ASSIGNED')).toBe('Running');
  expect(statusLabel('OPEN')).toBe('Open');
  expect(statusLabel('SUBMITTED')).toBe('Result in');
  expect(statusLabel('CLOSED', 'DISPUTE_RESOLVED')).toBe('Dispute resolved');
  expect(statusLabel('CLOSED', 'ARBITRATION_TIMED_OUT')).toBe('Arbitration timed out');
  expect(statusLabel('CLOSED', 'RETURNED')).toBe('Returned');
  expect(statusLabel('CLOSED')).toBe('Closed');
  expect(modeLabel('AUCTION')).toBe('Auction');
  expect(modeLabel('CLAIM')).toBe('First claim');
  expect(modeLabel('POOL')).toBe('Pool');
});
