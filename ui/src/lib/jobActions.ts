/**
 * What the viewer can do with a job now: a pure function of the job's state, the viewer's role and
 * the time, following the contract's rules (contracts/src/LoomMarket.sol, and for replicated jobs
 * contracts/src/LoomReplicatedMarket.sol through the SDK's `replicationStanding`). Workers' own
 * steps (claim, bid, submit, take a slot, commit, reveal) belong to the worker daemon and are not
 * offered here.
 */
import type { JobMode } from '$sdk/enums';
import { ACCEPT_WINDOW } from '$sdk/marketRules';
import { canCancelReplicated, replicationStanding, type ReplicationProgress } from '$sdk/format/replication';

export type JobActionKind =
  | 'acceptBid'
  | 'cancel'
  | 'release'
  | 'dispute'
  | 'evidence'
  | 'resolve'
  | 'settleTimeout'
  | 'expire'
  | 'reclaim'
  | 'finalize';

export type JobAction = {
  kind: JobActionKind;
  label: string;
  /** What it does, in a sentence. */
  hint: string;
  /** Ends the job or moves money: asks for a confirmation. */
  tone: 'primary' | 'danger' | 'neutral';
};

export type Role = 'client' | 'worker' | 'arbiter' | 'visitor';

/** The fields of a job that decide what can be done. Times are unix seconds; addresses any case. */
export type JobState = {
  status: 'OPEN' | 'ASSIGNED' | 'SUBMITTED' | 'DISPUTED' | 'CLOSED';
  mode: JobMode;
  client: string;
  arbiter: string;
  worker?: string | null;
  openUntil: number;
  executionDeadline?: number | null;
  challengeDeadline?: number | null;
  arbitrationDeadline?: number | null;
  activeBids: number;
};

const same = (a: string | null | undefined, b: string | null | undefined) => !!a && !!b && a.toLowerCase() === b.toLowerCase();

/** The viewer's roles on the job (one account can be several, e.g. client and arbiter). */
export function rolesOf(job: JobState, viewer: string | undefined): Role[] {
  if (!viewer) return ['visitor'];
  const roles: Role[] = [];
  if (same(job.client, viewer)) roles.push('client');
  if (same(job.worker, viewer)) roles.push('worker');
  if (same(job.arbiter, viewer)) roles.push('arbiter');
  return roles.length ? roles : ['visitor'];
}

const A = {
  acceptBid: { kind: 'acceptBid', label: 'Accept a bid', hint: 'Choose a bid below: that worker is assigned at its price and the rest of the budget comes back to you.', tone: 'primary' },
  cancel: { kind: 'cancel', label: 'Cancel job', hint: 'Nobody has taken the job yet: cancel it and get the budget back.', tone: 'danger' },
  releaseClient: { kind: 'release', label: 'Release payment', hint: 'Accept the result and pay the worker now.', tone: 'primary' },
  releaseAnyone: { kind: 'release', label: 'Release payment', hint: 'The challenge window is over: anyone can pay the worker.', tone: 'primary' },
  dispute: { kind: 'dispute', label: 'Dispute result', hint: 'Contest the result before the challenge window closes; the arbiter decides.', tone: 'danger' },
  evidence: { kind: 'evidence', label: 'Add evidence', hint: 'Give the arbiter a link or a note supporting your side.', tone: 'neutral' },
  resolve: { kind: 'resolve', label: 'Resolve dispute', hint: 'Split the price between worker and client and decide any slash of collateral.', tone: 'primary' },
  settleTimeout: { kind: 'settleTimeout', label: 'Settle (arbiter timed out)', hint: 'The arbiter did not rule in time: split the price in half, no slash.', tone: 'neutral' },
  expire: { kind: 'expire', label: 'Close as expired', hint: 'Nobody took the job in time: return the budget to the client.', tone: 'neutral' },
  reclaim: { kind: 'reclaim', label: 'Reclaim', hint: 'The worker missed the deadline: refund the client and slash the collateral to the client.', tone: 'danger' },
  cancelReplicated: { kind: 'cancel', label: 'Cancel job', hint: 'No worker has taken a slot yet: cancel it and get the whole escrow back.', tone: 'danger' },
  finalize: {
    kind: 'finalize',
    label: 'Finalize',
    hint: 'Settle the job now (anyone may): workers whose results agree are paid, the others slashed; without a quorum the client is refunded.',
    tone: 'primary',
  },
} satisfies Record<string, JobAction>;

/**
 * The actions that fit the viewer's role and the job's state at time `now`.
 *
 * @example
 * jobActions({ status: 'SUBMITTED', client: me, challengeDeadline: now + 60, ... }, me, now)
 * // [release, dispute]
 */
export function jobActions(job: JobState, viewer: string | undefined, now: number): JobAction[] {
  const roles = rolesOf(job, viewer);
  const is = (r: Role) => roles.includes(r);
  const out: JobAction[] = [];
  if (!viewer) return out;
  switch (job.status) {
    case 'OPEN': {
      const closesAt = job.mode === 'AUCTION' ? job.openUntil + ACCEPT_WINDOW : job.openUntil;
      if (is('client') && job.mode === 'AUCTION' && job.activeBids > 0 && now <= closesAt) out.push(A.acceptBid);
      if (is('client')) out.push(A.cancel);
      if (now > closesAt) out.push(A.expire);
      break;
    }
    case 'ASSIGNED':
      if (job.executionDeadline && now > job.executionDeadline) out.push(A.reclaim);
      break;
    case 'SUBMITTED': {
      const deadline = job.challengeDeadline ?? 0;
      if (is('client')) out.push(A.releaseClient);
      else if (now > deadline) out.push(A.releaseAnyone);
      if (is('client') && now <= deadline) out.push(A.dispute);
      break;
    }
    case 'DISPUTED': {
      const deadline = job.arbitrationDeadline ?? 0;
      if (is('arbiter') && now <= deadline) out.push(A.resolve);
      if ((is('client') || is('worker')) && now <= deadline) out.push(A.evidence);
      if (now > deadline) out.push(A.settleTimeout);
      break;
    }
    case 'CLOSED':
      break;
  }
  return out;
}

/**
 * The actions on a replicated job: the client cancels while no slot is taken; anyone finalizes once
 * the contract would let them (every slot revealed, the reveal phase over, or too few slots taken
 * when they closed).
 *
 * @example
 * replicatedActions({ status: 'SUBMITTED', replicas: 3, filled: 3, revealed: 3, ... }, client, me, now) // [finalize]
 */
export function replicatedActions(job: ReplicationProgress, client: string, viewer: string | undefined, now: number): JobAction[] {
  if (!viewer) return [];
  const out: JobAction[] = [];
  if (same(client, viewer) && canCancelReplicated(job)) out.push(A.cancelReplicated);
  if (replicationStanding(job, now).phase === 'FINALIZABLE') out.push(A.finalize);
  return out;
}
