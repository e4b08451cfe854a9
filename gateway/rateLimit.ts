/**
 * Requests per minute per key (a client address, an IP): a fixed one-minute window per key, in
 * memory. A refused request learns when its window ends (Retry-After).
 */
export type RateLimiter = { take(key: string, now?: number): { ok: true } | { ok: false; retryAfterSeconds: number } };

export function rateLimiter(perMinute: number): RateLimiter {
  const windows = new Map<string, { start: number; count: number }>();
  return {
    take(key, now = Date.now()) {
      let w = windows.get(key);
      if (!w || now - w.start >= 60_000) {
        // Old windows go when the map grows: memory stays bounded by the active keys.
        if (windows.size > 10_000) for (const [k, v] of windows) if (now - v.start >= 60_000) windows.delete(k);
        windows.set(key, (w = { start: now, count: 0 }));
      }
      if (w.count >= perMinute) return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((w.start + 60_000 - now) / 1000)) };
      w.count++;
      return { ok: true };
    },
  };
}
