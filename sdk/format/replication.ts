/**
 * Where a replicated job stands, in words, for the CLI and the web UI alike. The contract stores only
 * `Running` or `Closed` (contracts/src/LoomReplicatedMarket.sol): the phases within a running job
 * (taking slots, committing, revealing, ready to finalize) follow from its counts and the clock, by
 * the same rules the contract applies, so a client offers `finalize` exactly when it would pass.
 */
import { replicatedOutcomeKeys, slotStateKeys } from '../../abis/generated';
import { formatAmount } from './amounts';
import type { TokenInfo } from './tokens';

/** How a replicated job ended, as the API names it. */
export type ReplicatedOutcome = Exclude<(typeof replicatedOutcomeKeys)[number], 'NONE'>;
/** A taken slot's progress, as the API names it. */
export type SlotState = Exclude<(typeof slotStateKeys)[number], 'EMPTY'>;

/** What decides a replicated job's phase. Times are unix seconds. */
export type ReplicationProgress = {
  /** The job's status; only CLOSED matters here. */
  status: string;
  replicas: number;
  quorum: number;
  filled: number;
  committed: number;
  revealed: number;
  openUntil: number;
  commitWindow: number;
  revealWindow: number;
  /**
   * The reveal deadline as indexed: set early when every slot of a full job committed. Absent or
   * null: the commit deadline plus the reveal window, the contract's default.
   */
  revealDeadline?: number | null;
};

/** The fields of the API's `Job` a replicated job's progress is read from. */
export type ApiReplicationFields = {
  status: string;
  replicatedTerms: { replicas: number; quorum: number; openUntil: string | number; commitWindow: number; revealWindow: number } | null;
  slotsFilled?: number | null;
  commits?: number | null;
  reveals?: number | null;
  revealDeadline?: string | number | null;
};

/** A replicated job's progress from the API's job (undefined for a single job). */
export function replicationProgressOf(job: ApiReplicationFields): ReplicationProgress | undefined {
  const r = job.replicatedTerms;
  if (!r) return undefined;
  return {
    status: job.status,
    replicas: r.replicas,
    quorum: r.quorum,
    filled: job.slotsFilled ?? 0,
    committed: job.commits ?? 0,
    revealed: job.reveals ?? 0,
    openUntil: Number(r.openUntil),
    commitWindow: r.commitWindow,
    revealWindow: r.revealWindow,
    revealDeadline: job.revealDeadline === null || job.revealDeadline === undefined ? null : Number(job.revealDeadline),
  };
}

export type ReplicationPhase = 'TAKING_SLOTS' | 'COMMITTING' | 'REVEALING' | 'FINALIZABLE' | 'CLOSED';

export type ReplicationStanding = {
  phase: ReplicationPhase;
  /** "Taking slots: 1 of 3", "Revealing: 2 of 3", "Ready to finalize". */
  label: string;
  /** The deadline the phase runs to, when it has one. */
  deadline?: { label: string; at: number };
  /** The last second a worker may commit: openUntil + commitWindow. */
  commitDeadline: number;
  /** When the reveal phase ends (it may not have begun). */
  revealDeadline: number;
};

/**
 * The job's phase at `now`, by the contract's rules: slots until `openUntil`; commits until the commit
 * deadline; reveals from the moment a full job has every commit (or from the commit deadline) for
 * `revealWindow`; `finalize` once every taken slot has revealed, once the reveal deadline has passed,
 * or, with fewer than `quorum` slots taken, once the open period is over.
 *
 * @example
 * replicationStanding({ status: 'OPEN', replicas: 3, quorum: 2, filled: 1, committed: 0, revealed: 0, openUntil, commitWindow: 3600, revealWindow: 3600 }, now)
 * // { phase: 'TAKING_SLOTS', label: 'Taking slots: 1 of 3', deadline: { label: 'Slots open until', at: openUntil }, ... }
 */
export function replicationStanding(p: ReplicationProgress, now: number): ReplicationStanding {
  const commitDeadline = p.openUntil + p.commitWindow;
  const revealsEarly = p.committed >= p.replicas;
  const revealDeadline = revealsEarly && p.revealDeadline ? p.revealDeadline : commitDeadline + p.revealWindow;
  const at = { commitDeadline, revealDeadline };
  const taking: ReplicationStanding = { phase: 'TAKING_SLOTS', label: `Taking slots: ${p.filled} of ${p.replicas}`, deadline: { label: 'Slots open until', at: p.openUntil }, ...at };
  const finalizable = (label: string): ReplicationStanding => ({ phase: 'FINALIZABLE', label, ...at });

  if (p.status === 'CLOSED') return { phase: 'CLOSED', label: 'Closed', ...at };
  if (p.filled < p.quorum) return now <= p.openUntil ? taking : finalizable(`Ready to finalize: fewer than ${p.quorum} slots were taken`);
  if (p.revealed >= p.filled) return finalizable('Ready to finalize: every slot revealed');
  if (revealsEarly || now > commitDeadline) {
    if (now > revealDeadline) return finalizable('Ready to finalize: the reveal phase is over');
    return { phase: 'REVEALING', label: `Revealing: ${p.revealed} of ${p.committed}`, deadline: { label: 'Reveals due', at: revealDeadline }, ...at };
  }
  if (p.filled < p.replicas && now <= p.openUntil) return taking;
  return { phase: 'COMMITTING', label: `Committing: ${p.committed} of ${p.filled}`, deadline: { label: 'Commits due', at: commitDeadline }, ...at };
}

/** Whether the client may cancel: the job runs and nobody has taken a slot. */
export const canCancelReplicated = (p: Pick<ReplicationProgress, 'status' | 'filled'>): boolean => p.status !== 'CLOSED' && p.filled === 0;

const OUTCOME_WORDS: Record<ReplicatedOutcome, string> = {
  QUORUM_REACHED: 'Quorum reached',
  NO_QUORUM: 'No quorum',
  EXPIRED_UNFILLED: 'Expired unfilled',
  CANCELLED: 'Cancelled',
};

/** An event's uint8 outcome as the API's name; undefined for None or a value the contract does not define. */
export function outcomeOf(value: number | bigint): ReplicatedOutcome | undefined {
  const key = replicatedOutcomeKeys[Number(value)];
  return key === undefined || key === 'NONE' ? undefined : key;
}

/** "Quorum reached", "No quorum"...; an unknown name as it is. */
export const outcomeLabel = (outcome: string): string => OUTCOME_WORDS[outcome as ReplicatedOutcome] ?? outcome;

const SLOT_WORDS: Record<SlotState, string> = { TAKEN: 'Running', COMMITTED: 'Committed', REVEALED: 'Revealed' };

/** A slot's state in words: a taken slot whose worker has not committed yet is running the job. */
export const slotStateLabel = (state: string): string => SLOT_WORDS[state as SlotState] ?? state;

const VERDICT_WORDS: Record<string, string> = { AGREED: 'Agreed', DISAGREED: 'Disagreed: slashed', UNREVEALED: 'Never revealed: slashed' };

/** What the settlement said of a slot; "—" before it (or when it said nothing). */
export const verdictLabel = (verdict: string | null | undefined): string => (verdict ? (VERDICT_WORDS[verdict] ?? verdict) : '—');

/**
 * The escrow of a replicated job as a product: "3 × 0.01 ETH = 0.03 ETH".
 *
 * @example
 * formatEscrow(parseEther('0.01'), 3, ETH_TOKEN) // "3 × 0.01 ETH = 0.03 ETH"
 */
export function formatEscrow(price: bigint | string, replicas: number, token: TokenInfo | undefined): string {
  const each = BigInt(price);
  return `${replicas} × ${formatAmount(each, token)} = ${formatAmount(each * BigInt(replicas), token)}`;
}
