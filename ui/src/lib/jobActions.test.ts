import { describe, expect, test } from 'vitest';
import type { ReplicationProgress } from '$sdk/format/replication';
import { jobActions, replicatedActions, rolesOf, type JobState } from './jobActions';

const CLIENT = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';
const WORKER = '0x9965507d1a55bcc2695c58ba16fb37d819b0a4dc';
const ARBITER = '0x23618e81e3f5cdf7f54c3d65f7fbc0abf5b21e8f';
const STRANGER = '0x0000000000000000000000000000000000000bad';
const NOW = 1_000_000;
const DAY = 86_400;

const job = (patch: Partial<JobState>): JobState => ({
  status: 'OPEN',
  mode: 'CLAIM',
  client: CLIENT.toLowerCase(),
  arbiter: ARBITER,
  worker: null,
  openUntil: NOW + 3600,
  activeBids: 0,
  ...patch,
});
const kinds = (state: JobState, viewer: string | undefined, now = NOW) => jobActions(state, viewer, now).map((a) => a.kind);

describe('roles', () => {
  test('default: client, worker and arbiter, compared without case', () => {
    const j = job({ worker: WORKER });
    expect(rolesOf(j, CLIENT)).toEqual(['client']);
    expect(rolesOf(j, WORKER.toUpperCase().replace('0X', '0x'))).toEqual(['worker']);
    expect(rolesOf(j, ARBITER)).toEqual(['arbiter']);
    expect(rolesOf(j, STRANGER)).toEqual(['visitor']);
    expect(rolesOf(j, undefined)).toEqual(['visitor']);
    expect(rolesOf(job({ arbiter: CLIENT }), CLIENT)).toEqual(['client', 'arbiter']);
  });
});

describe('actions by state and role', () => {
  test('default: nothing without a wallet', () => {
    expect(kinds(job({}), undefined)).toEqual([]);
  });

  test('OPEN claim job: the client can cancel; after openUntil anyone can expire it', () => {
    expect(kinds(job({}), CLIENT)).toEqual(['cancel']);
    expect(kinds(job({}), STRANGER)).toEqual([]);
    expect(kinds(job({}), STRANGER, NOW + 3601)).toEqual(['expire']);
    expect(kinds(job({}), CLIENT, NOW + 3601)).toEqual(['cancel', 'expire']);
  });

  test('OPEN auction: the client accepts bids until a day after bidding closes; expiry only after that', () => {
    const a = job({ mode: 'AUCTION', activeBids: 2 });
    expect(kinds(a, CLIENT)).toEqual(['acceptBid', 'cancel']);
    expect(kinds(a, CLIENT, NOW + 3600 + DAY)).toEqual(['acceptBid', 'cancel']);
    expect(kinds(a, CLIENT, NOW + 3601 + DAY)).toEqual(['cancel', 'expire']);
    expect(kinds(job({ mode: 'AUCTION', activeBids: 0 }), CLIENT)).toEqual(['cancel']);
    expect(kinds(a, STRANGER, NOW + 3601)).toEqual([]);
  });

  test('ASSIGNED: anyone can reclaim after the execution deadline, nobody before', () => {
    const j = job({ status: 'ASSIGNED', worker: WORKER, executionDeadline: NOW + 60 });
    expect(kinds(j, CLIENT)).toEqual([]);
    expect(kinds(j, WORKER)).toEqual([]);
    expect(kinds(j, STRANGER, NOW + 61)).toEqual(['reclaim']);
  });

  test('SUBMITTED: the client releases or disputes within the window; anyone releases after it', () => {
    const j = job({ status: 'SUBMITTED', worker: WORKER, challengeDeadline: NOW + 60 });
    expect(kinds(j, CLIENT)).toEqual(['release', 'dispute']);
    expect(kinds(j, CLIENT, NOW + 60)).toEqual(['release', 'dispute']);
    expect(kinds(j, CLIENT, NOW + 61)).toEqual(['release']);
    expect(kinds(j, WORKER)).toEqual([]);
    expect(kinds(j, WORKER, NOW + 61)).toEqual(['release']);
    expect(kinds(j, ARBITER)).toEqual([]);
  });

  test('DISPUTED: the arbiter resolves, the parties add evidence, until the deadline; then anyone settles', () => {
    const j = job({ status: 'DISPUTED', worker: WORKER, arbitrationDeadline: NOW + 60 });
    expect(kinds(j, ARBITER)).toEqual(['resolve']);
    expect(kinds(j, CLIENT)).toEqual(['evidence']);
    expect(kinds(j, WORKER)).toEqual(['evidence']);
    expect(kinds(j, STRANGER)).toEqual([]);
    expect(kinds(j, STRANGER, NOW + 61)).toEqual(['settleTimeout']);
    expect(kinds(j, ARBITER, NOW + 61)).toEqual(['settleTimeout']);
  });

  test('CLOSED: nothing for anyone', () => {
    for (const who of [CLIENT, WORKER, ARBITER, STRANGER]) expect(kinds(job({ status: 'CLOSED', worker: WORKER }), who, NOW + 10 * DAY)).toEqual([]);
  });
});

describe('replicated jobs', () => {
  const replicated = (patch: Partial<ReplicationProgress>): ReplicationProgress => ({
    status: 'OPEN',
    replicas: 3,
    quorum: 2,
    filled: 0,
    committed: 0,
    revealed: 0,
    openUntil: NOW + 600,
    commitWindow: 600,
    revealWindow: 300,
    ...patch,
  });
  const rkinds = (p: Partial<ReplicationProgress>, viewer: string | undefined, now = NOW) => replicatedActions(replicated(p), CLIENT.toLowerCase(), viewer, now).map((a) => a.kind);

  test('default: the client cancels while no slot is taken; nobody else, and not after a slot is taken', () => {
    expect(rkinds({}, CLIENT)).toEqual(['cancel']);
    expect(rkinds({}, STRANGER)).toEqual([]);
    expect(rkinds({}, undefined)).toEqual([]);
    expect(rkinds({ filled: 1 }, CLIENT)).toEqual([]);
  });

  test('behavior: anyone finalizes once the contract would settle it', () => {
    // Too few slots when they closed: expired unfilled.
    expect(rkinds({ filled: 1 }, STRANGER, NOW + 601)).toEqual(['finalize']);
    expect(rkinds({}, CLIENT, NOW + 601)).toEqual(['cancel', 'finalize']);
    // Every slot revealed: no need to wait.
    expect(rkinds({ status: 'SUBMITTED', filled: 3, committed: 3, revealed: 3, revealDeadline: NOW + 300 }, STRANGER)).toEqual(['finalize']);
    // Still revealing, then past the reveal deadline.
    expect(rkinds({ status: 'SUBMITTED', filled: 3, committed: 3, revealed: 2, revealDeadline: NOW + 300 }, CLIENT)).toEqual([]);
    expect(rkinds({ status: 'SUBMITTED', filled: 3, committed: 3, revealed: 2, revealDeadline: NOW + 300 }, CLIENT, NOW + 301)).toEqual(['finalize']);
    expect(rkinds({ status: 'CLOSED', filled: 3, committed: 3, revealed: 3 }, CLIENT, NOW + 10_000)).toEqual([]);
  });
});
