/**
 * A job event in words, for the timeline: what happened, who did it, and the amounts in the job's
 * token. The API's JSON arguments are typed from the ABI by the SDK (`typedEvent`): amounts arrive
 * as bigints, deadlines as numbers, the close reason as the contract's enum value.
 */
import { formatDateTime, shortAddress, shortHash } from './format';
import { formatAmount, formatEth } from '$sdk/format/amounts';
import type { TokenInfo } from '$sdk/format/tokens';
import { closeReasonLabel, closeReasonOf } from '$sdk/enums';
import { marketEventNames, typedEvent, type MarketEventName } from '$sdk/events';
import { formatEscrow, outcomeLabel, outcomeOf } from '$sdk/format/replication';

export type EventTone = 'neutral' | 'accent' | 'info' | 'success' | 'warning' | 'danger' | 'violet';

export type DescribedEvent = {
  title: string;
  /** A second line: amounts, reasons, deadlines. */
  detail?: string;
  /** The account that acted, to link. */
  actor?: string;
  tone: EventTone;
};

// A returned job punishes nobody (the client is refunded, the worker's stake is whole): neutral.
const CLOSE_TONES: Record<string, EventTone> = { COMPLETED: 'success', DISPUTE_RESOLVED: 'accent', ARBITRATION_TIMED_OUT: 'accent', RETURNED: 'neutral' };
const OUTCOME_TONES: Record<string, EventTone> = { QUORUM_REACHED: 'success', NO_QUORUM: 'danger', EXPIRED_UNFILLED: 'neutral', CANCELLED: 'neutral' };

export function describeEvent(name: string, rawArgs: unknown, token: TokenInfo): DescribedEvent {
  const fallback = { title: name.replace(/([a-z])([A-Z])/g, '$1 $2'), tone: 'neutral' } as const;
  // An event this UI's ABI does not have (a newer contract): its name in words.
  if (!marketEventNames.includes(name as MarketEventName)) return fallback;
  const e = typedEvent({ name, args: rawArgs });
  const amount = (v: bigint) => formatAmount(v, token);
  switch (e.name) {
    case 'JobPosted': {
      const { terms } = e.args;
      return {
        title: 'Job posted',
        detail: `Budget ${amount(terms.budget)} escrowed${terms.collateral > 0n ? ` · collateral ${formatEth(terms.collateral)}` : ''}`,
        actor: e.args.client,
        tone: 'accent',
      };
    }
    case 'BidPlaced':
      return { title: 'Bid placed', detail: `${shortAddress(e.args.worker)} offers ${amount(e.args.price)}`, actor: e.args.worker, tone: 'neutral' };
    case 'BidWithdrawn':
      return { title: 'Bid withdrawn', detail: shortAddress(e.args.worker), actor: e.args.worker, tone: 'neutral' };
    case 'JobAssigned': {
      const { refund } = e.args;
      return {
        title: 'Worker assigned',
        detail: `${shortAddress(e.args.worker)} runs it for ${amount(e.args.price)}${refund > 0n ? ` · ${amount(refund)} back to the client` : ''} · result due ${formatDateTime(e.args.executionDeadline)}`,
        actor: e.args.worker,
        tone: 'info',
      };
    }
    case 'ResultSubmitted':
      return {
        title: 'Result submitted',
        detail: `sha256 ${shortHash(e.args.resultHash)} · open to dispute until ${formatDateTime(e.args.challengeDeadline)}`,
        actor: e.args.worker,
        tone: 'violet',
      };
    case 'JobDisputed':
      return {
        title: 'Result disputed',
        detail: `“${e.args.reason}” · the arbiter rules by ${formatDateTime(e.args.arbitrationDeadline)}`,
        actor: e.args.client,
        tone: 'warning',
      };
    case 'EvidenceSubmitted':
      return { title: 'Evidence added', detail: `“${e.args.evidence}”`, actor: e.args.party, tone: 'warning' };
    case 'JobClosed': {
      const a = e.args;
      const reason = closeReasonOf(a.reason);
      const parts: string[] = [];
      if (a.workerPayout > 0n) parts.push(`worker paid ${amount(a.workerPayout)}`);
      if (a.fee > 0n) parts.push(`fee ${amount(a.fee)}`);
      if (a.clientRefund > 0n) parts.push(`client refunded ${amount(a.clientRefund)}`);
      if (a.slashed > 0n) parts.push(`${formatEth(a.slashed)} collateral slashed to the client`);
      return {
        title: `Closed · ${reason ? closeReasonLabel(reason) : `Closed (${a.reason})`}`,
        detail: parts.join(' · ') || undefined,
        tone: (reason && CLOSE_TONES[reason]) || 'danger',
      };
    }
    case 'ReplicatedJobPosted': {
      const { terms } = e.args;
      return {
        title: 'Replicated job posted',
        detail: `${formatEscrow(terms.price, terms.replicas, token)} escrowed · quorum ${terms.quorum} of ${terms.replicas}${terms.collateral > 0n ? ` · collateral ${formatEth(terms.collateral)} each` : ''}`,
        actor: e.args.client,
        tone: 'accent',
      };
    }
    case 'SlotTaken':
      return { title: `Slot ${e.args.slot + 1} taken`, detail: `${shortAddress(e.args.worker)} runs it · ${e.args.filled} taken`, actor: e.args.worker, tone: 'info' };
    case 'ResultCommitted':
      return {
        title: `Slot ${e.args.slot + 1} committed`,
        detail: `a sealed result · ${e.args.committed} committed${e.args.revealDeadline > 0 ? ` · every slot committed: reveals due ${formatDateTime(e.args.revealDeadline)}` : ''}`,
        actor: e.args.worker,
        tone: 'violet',
      };
    case 'ResultRevealed':
      return { title: `Slot ${e.args.slot + 1} revealed`, detail: `sha256 ${shortHash(e.args.resultHash)}`, actor: e.args.worker, tone: 'violet' };
    case 'ReplicatedJobClosed': {
      const a = e.args;
      const outcome = outcomeOf(a.outcome);
      const paid = a.payouts.reduce((sum, p) => sum + p, 0n);
      const slashed = a.slashed.reduce((sum, p) => sum + p, 0n);
      const parts: string[] = [];
      if (paid > 0n) parts.push(`${a.payouts.filter((p) => p > 0n).length} workers paid ${amount(paid)}`);
      if (a.fee > 0n) parts.push(`fee ${amount(a.fee)}`);
      if (a.clientRefund > 0n) parts.push(`client refunded ${amount(a.clientRefund)}`);
      if (slashed > 0n) parts.push(`${formatEth(slashed)} collateral slashed`);
      return {
        title: `Closed · ${outcome ? outcomeLabel(outcome) : `outcome ${a.outcome}`}`,
        detail: parts.join(' · ') || undefined,
        tone: (outcome && OUTCOME_TONES[outcome]) || 'neutral',
      };
    }
    case 'WorkerRegistered':
      return { title: 'Registered as a worker', detail: `stake ${formatEth(e.args.stake)}`, actor: e.args.worker, tone: 'accent' };
    case 'WorkerClaimUpdated':
      return { title: 'Updated its hardware claim', actor: e.args.worker, tone: 'neutral' };
    case 'WorkerAvailabilitySet':
      return { title: e.args.available ? 'Opened to new jobs' : 'Paused new jobs', actor: e.args.worker, tone: 'neutral' };
    case 'StakeAdded':
      return { title: 'Added stake', detail: `${formatEth(e.args.amount)}, ${formatEth(e.args.stake)} in all`, actor: e.args.worker, tone: 'neutral' };
    case 'UnstakeRequested':
      return { title: 'Started unbonding stake', detail: formatEth(e.args.amount), actor: e.args.worker, tone: 'neutral' };
    case 'StakeWithdrawn':
      return { title: 'Withdrew unbonded stake', detail: formatEth(e.args.amount), actor: e.args.worker, tone: 'neutral' };
    case 'WorkerDeregistered':
      return { title: 'Left the market', actor: e.args.worker, tone: 'neutral' };
    case 'Withdrawn':
      return { title: 'Withdrew funds', detail: amount(e.args.amount), actor: e.args.account, tone: 'neutral' };
    default:
      return fallback;
  }
}
