/**
 * The artifact store over HTTP, as a Hono sub-app to mount at `/artifacts`:
 *
 *   PUT  /artifacts               body = the bytes; 201 { hash, size, uri } (200 when already stored)
 *   PUT  /artifacts/0x<sha256>    the same, refused with 400 HASH_MISMATCH unless the bytes hash to it
 *   GET  /artifacts/0x<sha256>    the bytes; ETag = the hash, cached forever (immutable); 304 on If-None-Match
 *   HEAD /artifacts/0x<sha256>    the headers only
 *
 * Uploads over `maxBytes` are refused with 413 (from Content-Length before reading, else while
 * streaming); each client IP gets `puts` uploads and `gets` downloads per window, then 429 with
 * Retry-After. Errors are JSON: `{ "error": { "code": "HASH_MISMATCH", "message": "…" } }`.
 */
import { Hono, type Context } from 'hono';
import type { Logger } from 'pino';
import { ArtifactError, type ArtifactErrorCode, type ArtifactStore, parseArtifactHash } from './artifactStore';
import { type RateLimit, RateLimiter } from './rateLimiter';

export type ArtifactRoutesOptions = {
  /** Largest upload in bytes (default LOOM_ARTIFACT_MAX_BYTES, else 1 GiB). */
  maxBytes?: number;
  /** Uploads per client IP (default LOOM_ARTIFACT_PUTS_PER_MINUTE, else 120 per minute). */
  puts?: RateLimit;
  /** Downloads per client IP, HEAD included (default LOOM_ARTIFACT_GETS_PER_MINUTE, else 1200 per minute). */
  gets?: RateLimit;
  /**
   * The client's address, the key of the rate limits. Default: the socket's remote address under
   * @hono/node-server (Ponder's server), or the first X-Forwarded-For entry when `trustProxy`.
   */
  clientIp?: (c: Context) => string | undefined;
  /** Read the client's address from X-Forwarded-For (only behind a proxy that sets it). */
  trustProxy?: boolean;
  logger?: Logger;
  /** For tests: the clock of the rate limits. */
  now?: () => number;
};

const status: Record<ArtifactErrorCode, 400 | 404 | 413 | 429 | 500> = {
  BAD_REQUEST: 400,
  HASH_MISMATCH: 400,
  TOO_LARGE: 413,
  NOT_FOUND: 404,
  RATE_LIMITED: 429,
  INTERNAL: 500,
};

const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * @example
 * app.route('/artifacts', artifactRoutes(new LocalArtifactStore({ dir: defaultArtifactDir() }), { logger }));
 */
export function artifactRoutes(store: ArtifactStore, options: ArtifactRoutesOptions = {}): Hono {
  const maxBytes = options.maxBytes ?? (Number(process.env.LOOM_ARTIFACT_MAX_BYTES) || 2 ** 30);
  const perMinute = (name: string, fallback: number): RateLimit => ({ max: Number(process.env[name]) || fallback, windowMs: 60_000 });
  const puts = new RateLimiter(options.puts ?? perMinute('LOOM_ARTIFACT_PUTS_PER_MINUTE', 120), options.now);
  const gets = new RateLimiter(options.gets ?? perMinute('LOOM_ARTIFACT_GETS_PER_MINUTE', 1200), options.now);
  const clientIp = options.clientIp ?? ((c: Context) => defaultClientIp(c, options.trustProxy ?? false));
  const app = new Hono();

  const fail = (c: Context, code: ArtifactErrorCode, message: string, headers?: Record<string, string>) =>
    c.json({ error: { code, message } }, status[code], headers);

  const limited = (c: Context, limiter: RateLimiter): Response | undefined => {
    const decision = limiter.take(clientIp(c) ?? 'unknown');
    if (decision.ok) return undefined;
    return fail(c, 'RATE_LIMITED', `too many requests; retry in ${decision.retryAfterSeconds} s`, { 'retry-after': String(decision.retryAfterSeconds) });
  };

  const upload = async (c: Context, expectedParam: string | undefined) => {
    const over = limited(c, puts);
    if (over) return over;
    let expected: ReturnType<typeof parseArtifactHash>;
    if (expectedParam !== undefined) {
      expected = parseArtifactHash(expectedParam);
      if (expected === undefined) return fail(c, 'BAD_REQUEST', 'the path must be /artifacts/0x<sha256 as 64 hex digits>');
    }
    const declared = Number(c.req.header('content-length') ?? Number.NaN);
    if (Number.isFinite(declared) && declared > maxBytes) {
      return fail(c, 'TOO_LARGE', `the artifact is ${declared} bytes, over the ${maxBytes}-byte limit`);
    }
    const body = c.req.raw.body;
    if (expected !== undefined && (await store.has(expected))) {
      // Already stored under the hash the client named: nothing to read.
      await body?.cancel().catch(() => {});
      return c.json({ hash: expected, uri: `artifact://${expected.slice(2)}`, created: false }, 200, { location: `/artifacts/${expected}` });
    }
    const result = await store.put(body ?? new Uint8Array(0), { maxBytes, ...(expected ? { expected } : {}) });
    options.logger?.info({ hash: result.hash, size: result.size, created: result.created }, 'artifact stored');
    return c.json({ hash: result.hash, size: result.size, uri: `artifact://${result.hash.slice(2)}`, created: result.created }, result.created ? 201 : 200, {
      location: `/artifacts/${result.hash}`,
    });
  };

  app.put('/', (c) => upload(c, undefined));
  app.put('/:hash', (c) => upload(c, c.req.param('hash')));

  const download = async (c: Context, head: boolean) => {
    const over = limited(c, gets);
    if (over) return over;
    const hash = parseArtifactHash(c.req.param('hash') ?? '');
    if (hash === undefined) return fail(c, 'BAD_REQUEST', 'the path must be /artifacts/0x<sha256 as 64 hex digits>');
    const etag = `"${hash}"`;
    const inm = c.req.header('if-none-match');
    if (inm !== undefined && inm.split(',').some((t) => t.trim().replace(/^W\//, '') === etag) && (await store.has(hash))) {
      return c.body(null, 304, { etag, 'cache-control': IMMUTABLE });
    }
    const found = await store.get(hash);
    if (found === null) return fail(c, 'NOT_FOUND', `no artifact ${hash}`);
    const headers = { etag, 'cache-control': IMMUTABLE, 'content-type': 'application/octet-stream', 'content-length': String(found.size) };
    if (head) {
      await found.body.cancel();
      return c.body(null, 200, headers);
    }
    return c.body(found.body, 200, headers);
  };

  // Hono answers HEAD with the GET handler's headers and no body; cancel the stream ourselves.
  app.get('/:hash', (c) => download(c, c.req.method === 'HEAD'));

  app.onError((err, c) => {
    if (err instanceof ArtifactError) return fail(c, err.code, err.shortMessage);
    options.logger?.error({ err, path: c.req.path }, 'artifact store error');
    return fail(c, 'INTERNAL', 'internal error');
  });
  app.notFound((c) => fail(c, 'NOT_FOUND', 'no such route: use PUT /artifacts, PUT /artifacts/0x<sha256> or GET /artifacts/0x<sha256>'));

  return app;
}

function defaultClientIp(c: Context, trustProxy: boolean): string | undefined {
  if (trustProxy) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',')[0]?.trim();
    if (forwarded) return forwarded;
  }
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress;
}
