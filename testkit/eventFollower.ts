/**
 * A client that follows the event log as a careful integrator does: the SDK's `listen` on the
 * `jobEvents` subscription from a cursor, keeping the cursor of the last delivery, and, when the
 * stream fails or ends (the API was killed, restarted, or cannot answer), subscribing again with
 * that cursor after a short pause. What it received is kept in order, so a test can check that
 * nothing was missed and nothing repeated across any number of outages.
 *
 * @example
 * const follower = followEvents(api.url, cursorOfFirstEvent);
 * // ... kill and restart the API ...
 * await follower.until((events) => events.length >= expected.length);
 * follower.close();
 */
import { createLoomReader, JobEventsSubscription, LoomApiError, type JobEventDelivery } from '../sdk';
import { waitFor } from './waitFor';

export type FollowedEvent = { id: string; blockHash: string; name: string; cursor: string };

export type EventFollower = {
  /** Every delivery, in arrival order (retractions included, flagged). */
  readonly deliveries: (FollowedEvent & { retracted: boolean })[];
  /** The log as the follower holds it: deliveries with their retractions applied. */
  events(): FollowedEvent[];
  /** Each failure of a stream, by code (UNREACHABLE, UNAVAILABLE, ...), in order. */
  readonly failures: string[];
  /** Streams opened (the first one and every resubscription). */
  readonly subscriptions: number;
  /** The cursor it would resume from now. */
  readonly cursor: string | null;
  until(predicate: (events: FollowedEvent[]) => boolean, timeoutMs?: number): Promise<void>;
  close(): void;
};

/**
 * Follows `apiUrl`'s event log after `after` (a cursor; null: from now on). `retryMs` is the pause
 * before resubscribing; INVALID_CURSOR is recorded too and ends nothing (the test decides).
 */
export function followEvents(apiUrl: string, after: string | null, opts: { retryMs?: number } = {}): EventFollower {
  const reader = createLoomReader({ url: apiUrl, timeoutMs: 5_000 });
  const deliveries: (FollowedEvent & { retracted: boolean })[] = [];
  const failures: string[] = [];
  let cursor = after;
  let subscriptions = 0;
  let closed = false;
  let closeStream: (() => void) | undefined;
  let wake: (() => void) | undefined;

  const events = () => {
    const held: FollowedEvent[] = [];
    for (const d of deliveries) {
      if (!d.retracted) held.push(d);
      else {
        const i = held.findIndex((e) => e.id === d.id && e.blockHash === d.blockHash);
        if (i >= 0) held.splice(i, 1);
      }
    }
    return held;
  };

  const loop = async () => {
    while (!closed) {
      subscriptions++;
      await new Promise<void>((resolve) => {
        wake = resolve;
        closeStream = reader.listen(JobEventsSubscription, cursor === null ? {} : { after: cursor }, {
          next: ({ jobEvents }: { jobEvents: JobEventDelivery }) => {
            const e = jobEvents.event;
            deliveries.push({ id: e.id, blockHash: e.blockHash, name: e.name, cursor: jobEvents.cursor, retracted: jobEvents.retracted });
            cursor = jobEvents.cursor;
          },
          error: (err: LoomApiError) => {
            failures.push(err.code);
            resolve();
          },
          complete: () => {
            failures.push('COMPLETED');
            resolve();
          },
        });
      });
      closeStream?.();
      if (!closed) await new Promise((r) => setTimeout(r, opts.retryMs ?? 200));
    }
  };
  void loop();

  return {
    deliveries,
    events,
    failures,
    get subscriptions() {
      return subscriptions;
    },
    get cursor() {
      return cursor;
    },
    until: async (predicate, timeoutMs = 60_000) => {
      await waitFor('the follower to receive the events', () => {
        if (predicate(events())) return true;
        throw new Error(`${events().length} events held after ${subscriptions} subscriptions; failures: ${failures.slice(-5).join(', ')}`);
      }, timeoutMs, 50);
    },
    close: () => {
      closed = true;
      closeStream?.();
      wake?.();
    },
  };
}
