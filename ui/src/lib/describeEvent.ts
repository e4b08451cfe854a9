/**
 * A job event in words, for the timeline: what happened, who did it, and the amounts in the job's
 * token. `args` come from the API as JSON (integers as decimal strings, small ones as numbers).
 */
import { formatAmount, formatDateTime, formatEth, shortAddress, shortHash } from './format';
import type { TokenInfo } from './tokens';

export type EventTone = 'neutral' | 'accent' | 'info' | 'success' | 'warning' | 'danger' | 'violet';

export type DescribedEvent = {
  title: string;
  /** A second line: amounts, reasons, deadlines. */
  detail?: string;
  /** The account that acted, to link. */
  actor?: string;
  tone: EventTone;
};

const CLOSE_REASONS = ['None', 'Completed', 'Cancelled', 'Expired', 'Reclaimed', 'Dispute resolved', 'Arbitration timed out'];

type Args = Record<string, unknown>;
const str = (v: unknown) => (v === null || v === undefined ? '' : String(v));

export function describeEvent(name: string, rawArgs: unknown, token: TokenInfo): DescribedEvent {
  const a = (rawArgs ?? {}) as Args;
  const amount = (v: unknown) => formatAmount(str(v) || '0', token);
  switch (name) {
    case 'JobPosted': {
      const terms = (a.terms ?? {}) as Args;
      return {
        title: 'Job posted',
        detail: `Budget ${amount(terms.budget)} escrowed${BigInt(str(terms.collateral) || '0') > 0n ? ` · collateral ${formatEth(str(terms.collateral))}` : ''}`,
        actor: str(a.client),
        tone: 'accent',
      };
    }
    case 'BidPlaced':
      return { title: 'Bid placed', detail: `${shortAddress(str(a.worker))} offers ${amount(a.price)}`, actor: str(a.worker), tone: 'neutral' };
    case 'BidWithdrawn':
      return { title: 'Bid withdrawn', detail: shortAddress(str(a.worker)), actor: str(a.worker), tone: 'neutral' };
    case 'JobAssigned': {
      const refund = BigInt(str(a.refund) || '0');
      return {
        title: 'Worker assigned',
        detail: `${shortAddress(str(a.worker))} runs it for ${amount(a.price)}${refund > 0n ? ` · ${amount(refund)} back to the client` : ''} · result due ${formatDateTime(Number(a.executionDeadline))}`,
        actor: str(a.worker),
        tone: 'info',
      };
    }
    case 'ResultSubmitted':
      return {
        title: 'Result submitted',
        detail: `sha256 ${shortHash(str(a.resultHash))} · open to dispute until ${formatDateTime(Number(a.challengeDeadline))}`,
        actor: str(a.worker),
        tone: 'violet',
      };
    case 'JobDisputed':
      return {
        title: 'Result disputed',
        detail: `“${str(a.reason)}” · the arbiter rules by ${formatDateTime(Number(a.arbitrationDeadline))}`,
        actor: str(a.client),
        tone: 'warning',
      };
    case 'EvidenceSubmitted':
      return { title: 'Evidence added', detail: `“${str(a.evidence)}”`, actor: str(a.party), tone: 'warning' };
    case 'JobClosed': {
      const reason = CLOSE_REASONS[Number(a.reason)] ?? `Closed (${str(a.reason)})`;
      const parts: string[] = [];
      if (BigInt(str(a.workerPayout) || '0') > 0n) parts.push(`worker paid ${amount(a.workerPayout)}`);
      if (BigInt(str(a.fee) || '0') > 0n) parts.push(`fee ${amount(a.fee)}`);
      if (BigInt(str(a.clientRefund) || '0') > 0n) parts.push(`client refunded ${amount(a.clientRefund)}`);
      if (BigInt(str(a.slashed) || '0') > 0n) parts.push(`${formatEth(str(a.slashed))} collateral slashed to the client`);
      const tone: EventTone = Number(a.reason) === 1 ? 'success' : Number(a.reason) === 5 || Number(a.reason) === 6 ? 'accent' : 'danger';
      return { title: `Closed · ${reason}`, detail: parts.join(' · ') || undefined, tone };
    }
    case 'WorkerRegistered':
      return { title: 'Registered as a worker', detail: `stake ${formatEth(str(a.stake))}`, actor: str(a.worker), tone: 'accent' };
    case 'WorkerClaimUpdated':
      return { title: 'Updated its hardware claim', actor: str(a.worker), tone: 'neutral' };
    case 'WorkerAvailabilitySet':
      return { title: a.available ? 'Opened to new jobs' : 'Paused new jobs', actor: str(a.worker), tone: 'neutral' };
    case 'StakeAdded':
      return { title: 'Added stake', detail: `${formatEth(str(a.amount))}, ${formatEth(str(a.stake))} in all`, actor: str(a.worker), tone: 'neutral' };
    case 'UnstakeRequested':
      return { title: 'Started unbonding stake', detail: formatEth(str(a.amount)), actor: str(a.worker), tone: 'neutral' };
    case 'StakeWithdrawn':
      return { title: 'Withdrew unbonded stake', detail: formatEth(str(a.amount)), actor: str(a.worker), tone: 'neutral' };
    case 'WorkerDeregistered':
      return { title: 'Left the market', actor: str(a.worker), tone: 'neutral' };
    case 'Withdrawn':
      return { title: 'Withdrew funds', detail: amount(a.amount), actor: str(a.account), tone: 'neutral' };
    default:
      return { title: name.replace(/([a-z])([A-Z])/g, '$1 $2'), tone: 'neutral' };
  }
}
