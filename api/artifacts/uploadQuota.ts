/**
 * Per-signer upload quotas: at most `bytes` and `count` new artifacts per `windowSeconds` (a fixed
 * window per signer). An upload reserves its signed size before its body is read and gets it back
 * when nothing new was stored (refused, failed, or bytes already there), so replaying a captured
 * signature for stored bytes costs its signer nothing.
 *
 * In memory, per API process: replicas behind a load balancer each keep their own count, so a
 * signer gets up to N times the quota across N replicas (see README.md).
 */
export type Quota = { bytes: number; count: number; windowSeconds: number };

export type QuotaDecision =
  | { ok: true; release: () => void }
  | { ok: false; reason: 'never' | 'later'; retryAfterSeconds: number; message: string };

type Window = { bytes: number; count: number; resetAt: number };

export class UploadQuota {
  private readonly windows = new Map<string, Window>();

  constructor(
    readonly quota: Quota,
    private readonly now: () => number = Date.now,
  ) {}

  /** Reserves `size` bytes and one upload for `signer`; `release()` gives them back. */
  reserve(signer: string, size: number): QuotaDecision {
    const q = this.quota;
    if (size > q.bytes) {
      return { ok: false, reason: 'never', retryAfterSeconds: 0, message: `the artifact is ${size} bytes, over the ${q.bytes}-byte quota per ${q.windowSeconds} s of one signer` };
    }
    const now = this.now();
    let w = this.windows.get(signer);
    if (w === undefined || now >= w.resetAt) {
      if (this.windows.size > 10_000) this.sweep(now);
      w = { bytes: 0, count: 0, resetAt: now + q.windowSeconds * 1000 };
      this.windows.set(signer, w);
    }
    if (w.count + 1 > q.count || w.bytes + size > q.bytes) {
      const retryAfterSeconds = Math.max(1, Math.ceil((w.resetAt - now) / 1000));
      return {
        ok: false,
        reason: 'later',
        retryAfterSeconds,
        message: `${signer} has used its upload quota (${w.count} of ${q.count} uploads, ${w.bytes} of ${q.bytes} bytes per ${q.windowSeconds} s); retry in ${retryAfterSeconds} s`,
      };
    }
    w.count++;
    w.bytes += size;
    const window = w;
    let released = false;
    return {
      ok: true,
      release: () => {
        if (released || this.windows.get(signer) !== window) return;
        released = true;
        window.count--;
        window.bytes -= size;
      },
    };
  }

  private sweep(now: number): void {
    for (const [key, w] of this.windows) if (now >= w.resetAt) this.windows.delete(key);
  }
}
