/**
 * Concurrently open streams (SSE subscriptions) per key (a client IP), at most `max` each. A slot is
 * taken when a subscription starts and given back when its HTTP response ends, however it ends (the
 * client went away, the server ended it, the connection was cut).
 */
export type StreamRelease = () => void;

export class StreamSlots {
  private readonly open = new Map<string, number>();

  constructor(private readonly max: number) {}

  /** Streams open now, all keys together. */
  get total(): number {
    let n = 0;
    for (const count of this.open.values()) n += count;
    return n;
  }

  /** A slot for `key` (its release function, idempotent), or undefined when `key` holds `max`. */
  acquire(key: string): StreamRelease | undefined {
    const count = this.open.get(key) ?? 0;
    if (count >= this.max) return undefined;
    this.open.set(key, count + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const now = (this.open.get(key) ?? 1) - 1;
      if (now <= 0) this.open.delete(key);
      else this.open.set(key, now);
    };
  }
}
