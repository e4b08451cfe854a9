/**
 * The queue between the change feed and one subscriber: a push queue consumed as an async iterator
 * (yoga reads it and writes SSE events, as fast as the client's socket drains). `return()` (the client
 * went away) ends it at once, even while a `next()` waits, and runs the cleanup.
 *
 * Bounded: past `maxItems` waiting items (a client that reads slower than events come, or not at
 * all) it drops them, delivers `overflow()` and ends, so a slow client holds at most `maxItems`.
 */
export type QueueOptions = {
  /** Items waiting in every queue that shares it (the API's gauge). */
  stats?: QueueStats;
  /** Called once when the queue overflows. */
  onOverflow?: () => void;
};

/** Counters shared by the queues of one API. */
export type QueueStats = { queued: number; overflows: number };

export class PushQueue<T> implements AsyncIterableIterator<T> {
  private readonly items: T[] = [];
  private waiting: ((result: IteratorResult<T>) => void) | null = null;
  private ending = false;
  private finished = false;
  private readonly cleanups: (() => void)[] = [];
  private drainWaiters: { below: number; resolve: () => void }[] = [];

  constructor(
    private readonly maxItems: number,
    private readonly overflow: () => T,
    private readonly options: QueueOptions = {},
  ) {}

  /** Keeps the shared gauge in step with `items`. */
  private counted(delta: number) {
    if (this.options.stats) this.options.stats.queued += delta;
  }

  get closed(): boolean {
    return this.finished || this.ending;
  }

  get size(): number {
    return this.items.length;
  }

  /** Runs `fn` when the stream ends (or at once if it has). */
  onClose(fn: () => void): void {
    if (this.finished) fn();
    else this.cleanups.push(fn);
  }

  push(item: T): void {
    if (this.closed) return;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = null;
      resolve({ value: item, done: false });
      return;
    }
    this.items.push(item);
    this.counted(1);
    if (this.items.length > this.maxItems) {
      this.counted(-this.items.length);
      this.items.length = 0;
      if (this.options.stats) this.options.stats.overflows++;
      this.fail(this.overflow());
      this.options.onOverflow?.();
    }
  }

  /** Delivers `item` after what is queued, then ends. */
  fail(item: T): void {
    if (this.closed) return;
    this.push(item);
    this.ending = true;
    this.runCleanups();
  }

  /** Resolves once fewer than `below` items wait (backfill goes at the client's pace). */
  whenBelow(below: number): Promise<void> {
    if (this.items.length < below || this.closed) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push({ below, resolve }));
  }

  next(): Promise<IteratorResult<T>> {
    if (this.items.length > 0) {
      const value = this.items.shift()!;
      this.counted(-1);
      this.releaseDrainWaiters();
      return Promise.resolve({ value, done: false });
    }
    if (this.closed) {
      this.finish();
      return Promise.resolve({ value: undefined, done: true });
    }
    return new Promise((resolve) => {
      this.waiting = resolve;
    });
  }

  return(): Promise<IteratorResult<T>> {
    this.counted(-this.items.length);
    this.items.length = 0;
    this.finish();
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(error?: unknown): Promise<IteratorResult<T>> {
    this.return();
    return Promise.reject(error);
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }

  private finish() {
    if (this.finished) return;
    this.ending = true;
    this.finished = true;
    const waiting = this.waiting;
    this.waiting = null;
    waiting?.({ value: undefined, done: true });
    this.runCleanups();
    for (const w of this.drainWaiters) w.resolve();
    this.drainWaiters = [];
  }

  private runCleanups() {
    for (const fn of this.cleanups.splice(0)) {
      try {
        fn();
      } catch {}
    }
  }

  private releaseDrainWaiters() {
    if (this.drainWaiters.length === 0) return;
    const still: typeof this.drainWaiters = [];
    for (const w of this.drainWaiters) (this.items.length < w.below ? w.resolve() : still.push(w));
    this.drainWaiters = still;
  }
}
