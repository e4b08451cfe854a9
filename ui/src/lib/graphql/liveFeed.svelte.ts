/**
 * The app's one live connection: the API's `jobEvents` subscription, started from the newest
 * event's cursor and resumed from the last delivery's cursor after a drop, so nothing is missed or
 * repeated. Views register listeners and read again when an event concerns them; browsers allow
 * six HTTP/1.1 connections per origin, so one stream serves every view. Read and followed through
 * the SDK's reader (sdk/reads.ts), as the CLI and the worker follow it.
 */
import { JobEventsQuery, JobEventsSubscription, type JobEventResult } from '$sdk/documents';
import type { LoomReader } from '$sdk/reads';

export type FeedDelivery = { retracted: boolean; event: JobEventResult };
/** `resync`: the stream restarted without its cursor; anything may have changed. */
export type FeedMessage = { kind: 'event'; delivery: FeedDelivery } | { kind: 'resync' };
export type FeedListener = (message: FeedMessage) => void;
export type FeedStatus = 'connecting' | 'live' | 'reconnecting' | 'offline';

const MAX_RECENT = 30;

export class LiveFeed {
  status = $state<FeedStatus>('connecting');
  /** The newest deliveries, newest first. */
  recent = $state.raw<FeedDelivery[]>([]);
  /** The latest block seen in the stream. */
  headBlock = $state<bigint | undefined>();
  /** Chain time minus wall time (seconds), learned from event timestamps: anvil's clock can run ahead. */
  clockOffset = $state(0);

  #reader: LoomReader;
  #listeners = new Set<FeedListener>();
  #cursor: string | undefined;
  #close: (() => void) | undefined;
  #retry = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #stopped = false;
  #markReady: () => void = () => {};

  /**
   * Resolves once the feed knows where its stream starts (or its first try failed). A view that
   * reads after this misses nothing: every later event reaches the feed. A view that read before it
   * could miss an event indexed between its read and the feed's start, so views wait for it
   * (liveQuery.svelte.ts).
   */
  readonly ready: Promise<void>;

  constructor(reader: LoomReader) {
    this.#reader = reader;
    this.ready = new Promise((resolve) => (this.#markReady = resolve));
  }

  /** Chain time now, as well as the feed knows it (unix seconds). */
  now(): number {
    return Math.floor(Date.now() / 1000) + this.clockOffset;
  }

  on(listener: FeedListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  start(): void {
    this.#stopped = false;
    void this.#connect(true);
  }

  stop(): void {
    this.#stopped = true;
    this.#markReady();
    clearTimeout(this.#timer);
    this.#close?.();
    this.#close = undefined;
    this.status = 'offline';
  }

  async #connect(first: boolean): Promise<void> {
    if (this.#stopped) return;
    let resync = false;
    if (this.#cursor === undefined) {
      // Start from the newest event: everything after it is delivered, nothing before is needed.
      let latest;
      try {
        latest = await this.#reader.query(JobEventsQuery, { order: 'DESC', first: 1 });
      } catch {
        this.#markReady(); // views then show their own errors, and refresh on the resync after the retry
        return this.#scheduleRetry();
      }
      const node = latest.jobEvents.edges[0]?.node;
      if (node) {
        this.#cursor = node.cursor;
        this.#learnClock(Number(node.timestamp));
        this.headBlock = BigInt(node.blockNumber);
      }
      resync = !first;
    }
    this.#markReady();
    if (this.#stopped) return;
    const close: () => void = this.#reader.listen(
      JobEventsSubscription,
      { after: this.#cursor ?? null },
      {
        open: () => {
          if (this.#close === close) this.status = 'live';
        },
        next: ({ jobEvents: d }) => {
          this.status = 'live';
          this.#retry = 0;
          this.#cursor = d.cursor;
          this.#deliver({ retracted: d.retracted, event: d.event });
        },
        // A failed or ended stream is a drop: resume after the last cursor.
        error: () => this.#dropped(close),
        complete: () => this.#dropped(close),
      },
    );
    this.#close = close;
    this.status = this.status === 'reconnecting' ? 'reconnecting' : 'connecting';
    if (resync) this.#emit({ kind: 'resync' });
  }

  #dropped(close: () => void): void {
    close();
    if (this.#close !== close) return;
    this.#close = undefined;
    this.#scheduleRetry();
  }

  #scheduleRetry(): void {
    if (this.#stopped) return;
    this.status = 'reconnecting';
    const wait = Math.min(15_000, 500 * 2 ** this.#retry++);
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.#connect(false), wait);
  }

  #deliver(delivery: FeedDelivery): void {
    if (!delivery.retracted) {
      this.#learnClock(Number(delivery.event.timestamp));
      const block = BigInt(delivery.event.blockNumber);
      if (this.headBlock === undefined || block > this.headBlock) this.headBlock = block;
    }
    this.recent = [delivery, ...this.recent].slice(0, MAX_RECENT);
    this.#emit({ kind: 'event', delivery });
  }

  #learnClock(timestamp: number): void {
    const offset = timestamp - Math.floor(Date.now() / 1000);
    if (offset > this.clockOffset) this.clockOffset = offset;
  }

  #emit(message: FeedMessage): void {
    for (const listener of this.#listeners) {
      try {
        listener(message);
      } catch (err) {
        console.error('live feed listener failed', err);
      }
    }
  }
}
