/**
 * A token bucket per key (a client IP): a key holds at most `burst` tokens, each request takes one,
 * and `refill` tokens come back every `everyMs` (whole steps). In memory, per process: enough to keep
 * one client from monopolizing one API process; a fleet behind a load balancer wants a limit there too.
 *
 * Two ways to say a limit, one mechanism:
 *   - `{ max, windowMs }`: `max` requests per window (the whole window's tokens come back at once,
 *     a fixed window starting at the key's first request): the artifact routes' limits;
 *   - `{ burst, perSecond }`: `burst` at once, then `perSecond` sustained (one token at a time):
 *     GraphQL requests.
 */
export type RateLimit = { max: number; windowMs: number };
export type TokenBucketLimit = { burst: number; perSecond: number };

export type RateDecision = { ok: true } | { ok: false; retryAfterSeconds: number };

type Bucket = { tokens: number; at: number };

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly burst: number;
  private readonly refill: number;
  private readonly everyMs: number;

  constructor(
    limit: RateLimit | TokenBucketLimit,
    private readonly now: () => number = Date.now,
  ) {
    if ('max' in limit) {
      this.burst = limit.max;
      this.refill = limit.max;
      this.everyMs = limit.windowMs;
    } else {
      this.burst = limit.burst;
      this.refill = 1;
      this.everyMs = 1000 / limit.perSecond;
    }
    if (!(this.burst >= 1) || !(this.everyMs > 0) || !Number.isFinite(this.everyMs)) {
      throw new RangeError(`invalid rate limit ${JSON.stringify(limit)}: it needs at least 1 request and a positive rate`);
    }
  }

  /** Counts a request by `key` and says whether it is within the limit. */
  take(key: string): RateDecision {
    const now = this.now();
    let b = this.buckets.get(key);
    if (b === undefined) {
      if (this.buckets.size > 10_000) this.sweep(now);
      b = { tokens: this.burst, at: now };
      this.buckets.set(key, b);
    } else {
      this.refillTo(b, now);
    }
    if (b.tokens >= 1) {
      b.tokens--;
      return { ok: true };
    }
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((b.at + this.everyMs - now) / 1000)) };
  }

  private refillTo(b: Bucket, now: number): void {
    const steps = Math.floor((now - b.at) / this.everyMs);
    if (steps > 0) {
      b.tokens = Math.min(this.burst, b.tokens + steps * this.refill);
      b.at += steps * this.everyMs;
    }
    // A full bucket starts its next step when it is next drawn from, as a fixed window does.
    if (b.tokens >= this.burst) b.at = now;
  }

  /** Forgets full buckets: a new one is the same. */
  private sweep(now: number): void {
    for (const [key, b] of this.buckets) {
      this.refillTo(b, now);
      if (b.tokens >= this.burst) this.buckets.delete(key);
    }
  }
}
