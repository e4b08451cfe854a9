/**
 * Workers' presence, live: the API's `workerPresence` subscription for the workers a view shows
 * (coming online, going offline, GPU state). Presence is the API's memory of heartbeats, not chain
 * state, so it is not in the job-event feed (liveFeed.svelte.ts): this is its own stream, opened
 * by the views that show presence and closed when they go. A dropped stream reconnects; the view's
 * query holds the state it started from.
 */
import { WorkerPresenceSubscription } from '$sdk/documents';
import type { ResultOf } from '$sdk/graphql';
import type { LoomReader } from '$sdk/reads';

export type PresenceState = ResultOf<typeof WorkerPresenceSubscription>['workerPresence'];

export class LivePresence {
  /** The latest update per worker (lowercase address) since the stream opened. */
  updates = $state.raw<Record<string, PresenceState>>({});

  #reader: LoomReader;
  #close: (() => void) | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #key = '';
  #retry = 0;

  constructor(reader: LoomReader) {
    this.#reader = reader;
  }

  /** Follows these workers (at most 100); the same list again changes nothing. */
  follow(addresses: readonly string[]): void {
    const list = [...new Set(addresses.map((a) => a.toLowerCase()))].sort().slice(0, 100);
    const key = list.join(',');
    if (key === this.#key) return;
    this.#key = key;
    this.#open(list);
  }

  stop(): void {
    this.#key = '';
    clearTimeout(this.#timer);
    this.#close?.();
    this.#close = undefined;
  }

  #open(list: string[]): void {
    clearTimeout(this.#timer);
    this.#close?.();
    this.#close = undefined;
    if (list.length === 0) return;
    const key = this.#key;
    const close: () => void = this.#reader.listen(WorkerPresenceSubscription, { workers: list as `0x${string}`[] }, {
      next: ({ workerPresence: u }) => {
        this.#retry = 0;
        this.updates = { ...this.updates, [u.address.toLowerCase()]: u };
      },
      error: () => this.#dropped(close, key, list),
      complete: () => this.#dropped(close, key, list),
    });
    this.#close = close;
  }

  #dropped(close: () => void, key: string, list: string[]): void {
    close();
    if (this.#close !== close || key !== this.#key) return;
    this.#close = undefined;
    const wait = Math.min(15_000, 1000 * 2 ** this.#retry++);
    this.#timer = setTimeout(() => key === this.#key && this.#open(list), wait);
  }
}
