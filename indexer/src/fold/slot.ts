/**
 * A replicated job's slots as a pure fold of its events: SlotTaken creates one, ResultCommitted and
 * ResultRevealed move it on, ReplicatedJobClosed writes what the settlement gave each (payout, slash,
 * share of others' slashes) and its verdict.
 */
import { replicatedOutcomeKeys } from '../../../abis/generated';
import type { jobSlot as jobSlotTable } from '../../ponder.schema';
import { argsOf, big, hex, safeText, type Hex, type LoggedEvent } from './event';

export type Slot = typeof jobSlotTable.$inferSelect;
export type SlotVerdict = NonNullable<Slot['verdict']>;
export type ReplicatedOutcome = Exclude<(typeof replicatedOutcomeKeys)[number], 'NONE'>;

/** The outcome carried by a ReplicatedJobClosed event. */
export function replicatedOutcomeOf(event: LoggedEvent): ReplicatedOutcome {
  const key = replicatedOutcomeKeys[Number(argsOf(event).outcome)];
  if (!key || key === 'NONE') throw new Error(`ReplicatedJobClosed with unknown outcome ${String(argsOf(event).outcome)}`);
  return key;
}

/** The key of the slot an event is about, or undefined (a close is about all of a job's slots). */
export function slotKeyOf(event: LoggedEvent): { jobId: Hex; slot: number } | undefined {
  if (event.name !== 'SlotTaken' && event.name !== 'ResultCommitted' && event.name !== 'ResultRevealed') return undefined;
  const args = argsOf(event);
  return { jobId: hex(args.jobId), slot: Number(args.slot) };
}

/**
 * The slot after `event` (one of the events `slotKeyOf` keys; others return `slot` unchanged).
 *
 * @param revealedBefore For ResultRevealed: the job's reveals before this one (the slot's `revealOrder`
 *   is one more).
 * @throws When a commit or reveal arrives for a slot never taken.
 */
export function applySlotEvent(slot: Slot | undefined, event: LoggedEvent, revealedBefore = 0): Slot | undefined {
  const args = argsOf(event);
  const touched = { updatedAt: event.timestamp, updatedBlock: event.blockNumber };
  if (event.name === 'SlotTaken') {
    return {
      jobId: hex(args.jobId),
      slot: Number(args.slot),
      worker: hex(args.worker),
      state: 'TAKEN',
      commitment: null,
      resultHash: null,
      resultURI: null,
      revealOrder: null,
      payout: null,
      slashed: null,
      slashShare: null,
      verdict: null,
      takenAt: event.timestamp,
      takenBlock: event.blockNumber,
      committedAt: null,
      revealedAt: null,
      ...touched,
    };
  }
  if (event.name !== 'ResultCommitted' && event.name !== 'ResultRevealed') return slot;
  if (!slot) throw new Error(`${event.name} for slot ${String(args.slot)} of ${String(args.jobId)}, never taken`);
  if (event.name === 'ResultCommitted') {
    return { ...slot, state: 'COMMITTED', commitment: hex(args.commitment), committedAt: event.timestamp, ...touched };
  }
  return {
    ...slot,
    state: 'REVEALED',
    resultHash: hex(args.resultHash),
    resultURI: safeText(args.resultURI),
    revealOrder: revealedBefore + 1,
    revealedAt: event.timestamp,
    ...touched,
  };
}

/**
 * What the settlement said of a slot: with a quorum, whether it revealed the quorum's hash; without
 * one, only that a slot which never revealed failed (it was slashed). Null when it says nothing.
 */
export function verdictOf(slot: Pick<Slot, 'state' | 'resultHash'>, outcome: ReplicatedOutcome, quorumHash: Hex): SlotVerdict | null {
  const revealed = slot.state === 'REVEALED';
  if (outcome === 'QUORUM_REACHED') return !revealed ? 'UNREVEALED' : slot.resultHash === quorumHash ? 'AGREED' : 'DISAGREED';
  if (outcome === 'NO_QUORUM') return revealed ? null : 'UNREVEALED';
  return null;
}

/**
 * A job's slots after its ReplicatedJobClosed: each with its payout, slash, share of the slashes
 * (the quorum's workers only) and verdict. The event lists the taken slots in slot order.
 *
 * @param slots The job's slots before the close, in any order.
 */
export function closeSlots(slots: readonly Slot[], event: LoggedEvent): Slot[] {
  const args = argsOf(event);
  const outcome = replicatedOutcomeOf(event);
  const quorumHash = hex(args.resultHash);
  const payouts = args.payouts as unknown[];
  const slashed = args.slashed as unknown[];
  return [...slots]
    .sort((a, b) => a.slot - b.slot)
    .map((slot) => {
      const verdict = verdictOf(slot, outcome, quorumHash);
      return {
        ...slot,
        payout: big(payouts[slot.slot] ?? 0),
        slashed: big(slashed[slot.slot] ?? 0),
        slashShare: verdict === 'AGREED' ? big(args.winnerSlashShare) : 0n,
        verdict,
        updatedAt: event.timestamp,
        updatedBlock: event.blockNumber,
      };
    });
}

/** The URI of the quorum's first reveal: the job's result URI. Null without a quorum. */
export function quorumResultURI(slots: readonly Slot[]): string | null {
  let first: Slot | undefined;
  for (const s of slots) {
    if (s.verdict === 'AGREED' && (!first || (s.revealOrder ?? 0) < (first.revealOrder ?? 0))) first = s;
  }
  return first?.resultURI ?? null;
}
