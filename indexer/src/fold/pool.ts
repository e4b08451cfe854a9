/**
 * Worker pools (the registry's pool events) as pure functions of events: the row a PoolCreated
 * creates, and what each membership event does to a worker's `pool_member` row.
 */
import type { pool as poolTable, poolMember as poolMemberTable } from '../../ponder.schema';
import { argsOf, big, hex, safeText, type LoggedEvent } from './event';

export type Pool = typeof poolTable.$inferSelect;
export type PoolMember = typeof poolMemberTable.$inferSelect;

/** The registry's membership events. */
export const POOL_MEMBER_EVENTS = new Set(['PoolJoinRequested', 'PoolMemberAdded', 'PoolLeaveRequested', 'PoolMemberLeft', 'PoolMemberRemoved']);

/** The pool a PoolCreated creates. */
export function createdPool(event: LoggedEvent): Pool {
  const args = argsOf(event);
  return {
    id: big(args.pool),
    operator: hex(args.operator),
    name: safeText(args.name),
    metadataURI: safeText(args.metadataURI),
    feeBps: Number(args.feeBps),
    approvalRequired: Boolean(args.approvalRequired),
    createdAt: event.timestamp,
    createdBlock: event.blockNumber,
    transactionHash: event.txHash,
    updatedBlock: event.blockNumber,
  };
}

/**
 * The worker's membership after a membership event: its new row, or null when it left the pool
 * (left, withdrew its request, was removed or refused).
 */
export function memberAfter(event: LoggedEvent): PoolMember | null {
  const args = argsOf(event);
  const row = (state: PoolMember['state']): PoolMember => ({
    pool: big(args.pool),
    worker: hex(args.worker),
    state,
    since: event.timestamp,
    updatedBlock: event.blockNumber,
  });
  switch (event.name) {
    case 'PoolJoinRequested':
      return row('REQUESTED');
    case 'PoolMemberAdded':
      return row('MEMBER');
    case 'PoolLeaveRequested':
      return row('LEAVING');
    case 'PoolMemberLeft':
    case 'PoolMemberRemoved':
      return null;
    default:
      throw new Error(`${event.name} is not a pool membership event`);
  }
}
