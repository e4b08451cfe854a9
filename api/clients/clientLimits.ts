/**
 * The per-client limits of the GraphQL endpoint and their configuration from the environment
 * (documented in api/README.md, "Per-client limits"):
 *
 *   LOOM_API_REQUESTS_BURST            GraphQL requests a client may make at once (default 1000; 0: no limit)
 *   LOOM_API_REQUESTS_PER_SECOND       ... and sustained, per second (default 200)
 *   LOOM_API_STREAMS_PER_CLIENT        open subscription streams per client (default 100; 0: no limit)
 *   LOOM_API_SUBSCRIPTION_MAX_QUEUED   events waiting for a slow subscriber before its stream ends (default 10000)
 *   LOOM_API_SLOW_CLIENT_GRACE_MS      then how long its connection may take to read the end (default 10000)
 *   LOOM_API_TRUST_PROXY               1: the client is the first X-Forwarded-For entry (default 0)
 */
import type { TokenBucketLimit } from './rateLimiter';

export type ClientLimits = {
  /** GraphQL requests (queries, and each subscription's start) per client; false: unlimited. */
  requests: TokenBucketLimit | false;
  /** Open subscription streams per client; false: unlimited. */
  streamsPerClient: number | false;
  /** Items waiting for one subscriber before its stream ends (UNAVAILABLE, "fell too far behind"). */
  maxQueued: number;
  /** After that end, how long the connection may take to read it before it is closed. */
  slowClientGraceMs: number;
  /** Read the client's address from X-Forwarded-For (only behind a proxy that sets it). */
  trustProxy: boolean;
  /** Retry-After for a refused stream: a slot frees when one of the client's streams ends. */
  streamRetryAfterSeconds: number;
};

export const defaultClientLimits: ClientLimits = {
  requests: { burst: 1000, perSecond: 200 },
  streamsPerClient: 100,
  maxQueued: 10_000,
  slowClientGraceMs: 10_000,
  trustProxy: false,
  streamRetryAfterSeconds: 5,
};

type Env = Record<string, string | undefined>;

/** A non-negative integer from `env[name]`, `fallback` when unset; a clear error otherwise. */
function count(env: Env, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  if (raw === 'off') return 0;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`${name}=${JSON.stringify(raw)}: expected a whole number >= 0 (0 or "off" disables it)`);
  return n;
}

function flag(env: Env, name: string): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '' || raw === '0' || raw === 'false') return false;
  if (raw === '1' || raw === 'true') return true;
  throw new RangeError(`${name}=${JSON.stringify(env[name])}: expected 1 or 0`);
}

/**
 * The limits the environment sets, over the defaults.
 *
 * @example
 * clientLimitsFromEnv({ LOOM_API_REQUESTS_BURST: '0' }).requests // false: no request limit
 */
export function clientLimitsFromEnv(env: Env = process.env): ClientLimits {
  const d = defaultClientLimits;
  const dr = d.requests as TokenBucketLimit;
  const burst = count(env, 'LOOM_API_REQUESTS_BURST', dr.burst);
  const perSecond = count(env, 'LOOM_API_REQUESTS_PER_SECOND', dr.perSecond);
  const streams = count(env, 'LOOM_API_STREAMS_PER_CLIENT', d.streamsPerClient as number);
  const maxQueued = count(env, 'LOOM_API_SUBSCRIPTION_MAX_QUEUED', d.maxQueued);
  if (maxQueued < 1) throw new RangeError('LOOM_API_SUBSCRIPTION_MAX_QUEUED must be at least 1: it bounds the memory a slow subscriber holds');
  return {
    requests: burst === 0 || perSecond === 0 ? false : { burst, perSecond },
    streamsPerClient: streams === 0 ? false : streams,
    maxQueued,
    slowClientGraceMs: count(env, 'LOOM_API_SLOW_CLIENT_GRACE_MS', d.slowClientGraceMs),
    trustProxy: flag(env, 'LOOM_API_TRUST_PROXY'),
    streamRetryAfterSeconds: d.streamRetryAfterSeconds,
  };
}
