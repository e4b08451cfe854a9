/**
 * The cursors of the event log. An event's cursor encodes its id (which orders the log) and its block
 * hash (which pages ignore), so one cursor resumes `jobEvents` in either order, `Job.events`, and the
 * `jobEvents` subscription, which checks the block hash. A retraction's cursor resumes a subscription
 * after a retraction it delivered.
 */
import type { JobEventRow } from './tables';
import { ApiError } from '../graphql/errors';
import { decodeCursor, encodeCursor, keyPattern } from './pagination';

/**
 * The cursor of an event: its id, which orders the log, and its block hash, which lets the
 * `jobEvents` subscription tell whether the event is still on the chain when a client resumes.
 */
export const eventCursor = (row: Pick<JobEventRow, 'id' | 'blockHash'>) => encodeCursor('event', [row.id, row.blockHash]);

/** The id behind an event cursor, with or without its block hash (INVALID_CURSOR otherwise). */
export function eventIdOfCursor(cursor: string): string {
  try {
    return decodeCursor(cursor, 'event', [keyPattern.eventId, keyPattern.bytes32])[0]!;
  } catch {
    return decodeCursor(cursor, 'event', [keyPattern.eventId])[0]!;
  }
}

/** The cursor of a retraction: resume after having dropped this event (and what followed it). */
export const retractionCursor = (row: Pick<JobEventRow, 'id' | 'blockHash'>) => encodeCursor('eventRetracted', [row.id, row.blockHash]);

export type SubscriptionCursor = { id: string; blockHash?: string; retracted: boolean };

/** An event cursor (with or without its block hash) or a retraction cursor; INVALID_CURSOR otherwise. */
export function decodeSubscriptionCursor(cursor: string): SubscriptionCursor {
  const attempts: [string, RegExp[], (k: string[]) => SubscriptionCursor][] = [
    ['event', [keyPattern.eventId, keyPattern.bytes32], ([id, blockHash]) => ({ id: id!, blockHash, retracted: false })],
    ['event', [keyPattern.eventId], ([id]) => ({ id: id!, retracted: false })],
    ['eventRetracted', [keyPattern.eventId, keyPattern.bytes32], ([id, blockHash]) => ({ id: id!, blockHash, retracted: true })],
  ];
  for (const [order, patterns, make] of attempts) {
    try {
      return make(decodeCursor(cursor, order, patterns));
    } catch {}
  }
  throw new ApiError('INVALID_CURSOR', 'after is not a cursor issued for this list and order');
}
