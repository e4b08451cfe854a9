/**
 * A bid's state as a pure fold of the events about it (BidPlaced, BidWithdrawn, JobAssigned).
 */
import type { bid as bidTable } from '../../ponder.schema';
import { argsOf, big, hex, type LoggedEvent } from './event';

export type Bid = typeof bidTable.$inferSelect;

/** The key of the bid an event is about: (jobId, worker), or undefined when it is about none. */
export function bidKeyOf(event: LoggedEvent): { jobId: `0x${string}`; worker: `0x${string}` } | undefined {
  if (event.name !== 'BidPlaced' && event.name !== 'BidWithdrawn' && event.name !== 'JobAssigned') return undefined;
  const args = argsOf(event);
  return { jobId: hex(args.jobId), worker: hex(args.worker) };
}

/**
 * The bid after `event`. BidPlaced creates or replaces it (ACTIVE at the new price), BidWithdrawn
 * marks it WITHDRAWN, and JobAssigned marks the assigned worker's ACTIVE bid ACCEPTED (a claim-mode
 * assignment has no bid: undefined stays undefined). Other events leave it as it is.
 */
export function applyBidEvent(bid: Bid | undefined, event: LoggedEvent): Bid | undefined {
  const args = argsOf(event);
  const touched = { updatedAt: event.timestamp, updatedBlock: event.blockNumber };
  switch (event.name) {
    case 'BidPlaced':
      return {
        jobId: hex(args.jobId),
        worker: hex(args.worker),
        price: big(args.price),
        status: 'ACTIVE',
        placedAt: event.timestamp,
        placedBlock: event.blockNumber,
        ...touched,
      };
    case 'BidWithdrawn':
      return bid && { ...bid, status: 'WITHDRAWN', ...touched };
    case 'JobAssigned':
      return bid && bid.status === 'ACTIVE' ? { ...bid, status: 'ACCEPTED', ...touched } : bid;
    default:
      return bid;
  }
}
