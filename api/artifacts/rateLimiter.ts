/**
 * A fixed-window request counter per key (a client IP): at most `max` requests per `windowMs`.
 * In memory, per process: enough to keep one client from filling the disk or the uplink of one
 * API process; a fleet behind a load balancer wants the limit at the balancer too.
 */
export type RateLimit = { max: number; windowMs: number };

export type RateDecision = { ok: true } | { ok: false; retryAfterSeconds: number };

export class RateLimiter {
  private readonly windows = new Map<string, { count: number; resetAt: number }>();

  constructor(
    private readonly limit: RateLimit,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts a request by `key` and says whether it is within the limit. */
  take(key: string): RateDecision {
    const now = this.now();
    let w = this.windows.get(key);
    if (w === undefined || now >= w.resetAt) {
      if (this.windows.size > 10_000) this.sweep(now);
      w = { count: 0, resetAt: now + this.limit.windowMs };
      this.windows.set(key, w);
    }
    w.count++;
    if (w.count <= this.limit.max) return { ok: true };
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((w.resetAt - now) / 1000)) };
  }

  private sweep(now: number): void {
    for (const [key, w] of this.windows) if (now >= w.resetAt) this.windows.delete(key);
  }
}
