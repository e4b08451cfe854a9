/**
 * The artifact store over HTTP, as a Hono sub-app to mount at `/artifacts`:
 *
 *   PUT  /artifacts/0x<sha256>    body = the bytes, signed (headers below); 201 { hash, size, uri } (200 when already stored)
 *   PUT  /artifacts               unsigned uploads only, when anonymous uploads are allowed
 *   GET  /artifacts/0x<sha256>    the bytes; ETag = the hash, cached forever (immutable); 304 on If-None-Match
 *   HEAD /artifacts/0x<sha256>    the headers only
 *
 * An upload is signed by its uploader (uploadSignature.ts: EIP-712 over the hash, size, purpose,
 * time and this store's chain and market): results only by a registered worker, inputs and models by
 * anyone, each signer within its quota (uploadQuota.ts). Unsigned uploads are refused (401) unless
 * `allowAnonymous` (local development). Uploads over `maxBytes` are refused with 413 (from
 * Content-Length before reading, else while streaming); each client IP gets `puts` uploads and `gets`
 * downloads per window, then 429 with Retry-After. Errors are JSON:
 * `{ "error": { "code": "HASH_MISMATCH", "message": "…" } }`.
 */
import { Hono, type Context } from 'hono';
import type { Logger } from 'pino';
import { ArtifactError, type ArtifactErrorCode, type ArtifactStore, parseArtifactHash } from './artifactStore';
import { type RateLimit, RateLimiter } from './rateLimiter';
import { type Quota, UploadQuota } from './uploadQuota';
import { type UploadCheck, type UploadDomain, type UploadPurpose, uploadHeaders, verifyUploadHeaders } from './uploadSignature';

/** Who may upload what (README.md, "Signed uploads"). */
export type UploadPolicy = {
  /** The store's identity that signatures name: without it, signed uploads are refused. */
  domain?: UploadDomain;
  /** Whether `address` is a registered worker: only those upload results. Without it, results are refused. */
  isRegisteredWorker?: (address: `0x${string}`) => Promise<boolean>;
  /** Accept unsigned uploads (local development only). Default: LOOM_ARTIFACTS_ALLOW_ANONYMOUS=1. */
  allowAnonymous?: boolean;
  /** Per-signer quotas: `result` for workers' results, `input` for inputs and models (see defaultQuotas). */
  quotas?: { result?: Partial<Quota>; input?: Partial<Quota> };
  /** How long a signature stays valid, in seconds (default LOOM_ARTIFACT_SIGNATURE_MAX_AGE_SECONDS, else 300). */
  maxAgeSeconds?: number;
};

/** The default per-signer quotas, each overridable from the environment (README.md). */
export function defaultQuotas(env: NodeJS.ProcessEnv = process.env): { result: Quota; input: Quota } {
  const n = (name: string, fallback: number) => {
    const v = Number(env[name]);
    return Number.isFinite(v) && v > 0 ? v : fallback;
  };
  const windowSeconds = n('LOOM_ARTIFACT_QUOTA_WINDOW_SECONDS', 3600);
  return {
    result: { bytes: n('LOOM_ARTIFACT_RESULT_QUOTA_BYTES', 20 * 2 ** 30), count: n('LOOM_ARTIFACT_RESULT_QUOTA_COUNT', 2000), windowSeconds },
    input: { bytes: n('LOOM_ARTIFACT_INPUT_QUOTA_BYTES', 5 * 2 ** 30), count: n('LOOM_ARTIFACT_INPUT_QUOTA_COUNT', 200), windowSeconds },
  };
}

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
  /** Who may upload (signatures, quotas, anonymous uploads). */
  uploads?: UploadPolicy;
  logger?: Logger;
  /** For tests: the clock (ms) of the rate limits, quotas and signature ages. */
  now?: () => number;
};

const status: Record<ArtifactErrorCode, 400 | 401 | 403 | 404 | 413 | 429 | 500> = {
  BAD_REQUEST: 400,
  HASH_MISMATCH: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  TOO_LARGE: 413,
  NOT_FOUND: 404,
  RATE_LIMITED: 429,
  QUOTA_EXCEEDED: 429,
  INTERNAL: 500,
};

const quotaClass: Record<UploadPurpose, 'result' | 'input'> = { result: 'result', input: 'input', model: 'input' };

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

  const policy = options.uploads ?? {};
  const now = options.now ?? Date.now;
  const allowAnonymous = policy.allowAnonymous ?? process.env.LOOM_ARTIFACTS_ALLOW_ANONYMOUS === '1';
  const maxAgeSeconds = policy.maxAgeSeconds ?? (Number(process.env.LOOM_ARTIFACT_SIGNATURE_MAX_AGE_SECONDS) || 300);
  const quotaDefaults = defaultQuotas();
  const quotas = {
    result: new UploadQuota({ ...quotaDefaults.result, ...policy.quotas?.result }, now),
    input: new UploadQuota({ ...quotaDefaults.input, ...policy.quotas?.input }, now),
  };
  const unsignedRefusal =
    'uploads must be signed: PUT /artifacts/0x<sha256> with the x-loom-upload-* headers (sdk signArtifactUpload); this store accepts no anonymous uploads';

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
    const discard = () => body?.cancel().catch(() => {});

    // Who uploads: a verified signer, or nobody (anonymous, when allowed).
    let signer: { address: `0x${string}`; purpose: UploadPurpose; size: number } | undefined;
    const signed = Object.values(uploadHeaders).some((name) => c.req.header(name) !== undefined);
    const check: UploadCheck = !signed
      ? { kind: 'unsigned' }
      : !policy.domain
        ? { kind: 'refused', message: 'this store checks no signatures (it was given no chain id and market address)' }
        : expected === undefined
          ? { kind: 'refused', message: 'a signed upload names its hash: PUT /artifacts/0x<sha256>' }
          : await verifyUploadHeaders((name) => c.req.header(name), expected, { domain: policy.domain, maxAgeSeconds, maxSkewSeconds: 60, now: Math.floor(now() / 1000) });
    if (check.kind === 'unsigned') {
      if (!allowAnonymous) {
        await discard();
        return fail(c, 'UNAUTHORIZED', unsignedRefusal);
      }
    } else if (check.kind === 'refused') {
      await discard();
      return fail(c, 'UNAUTHORIZED', check.message);
    } else {
      const u = check.upload;
      if (u.purpose === 'result' && !(await policy.isRegisteredWorker?.(u.signer))) {
        await discard();
        return fail(c, 'FORBIDDEN', `results are accepted from registered workers only, and ${u.signer} is not one`);
      }
      if (Number.isFinite(declared) && declared !== u.size) {
        await discard();
        return fail(c, 'BAD_REQUEST', `the body is ${declared} bytes, the signature says ${u.size}`);
      }
      if (u.size > maxBytes) {
        await discard();
        return fail(c, 'TOO_LARGE', `the artifact is ${u.size} bytes, over the ${maxBytes}-byte limit`);
      }
      signer = { address: u.signer, purpose: u.purpose, size: u.size };
    }

    if (expected !== undefined && (await store.has(expected))) {
      // Already stored under the hash the client named: nothing to read, nothing charged.
      await discard();
      return c.json({ hash: expected, uri: `artifact://${expected.slice(2)}`, created: false }, 200, { location: `/artifacts/${expected}` });
    }

    let release: (() => void) | undefined;
    if (signer) {
      const decision = quotas[quotaClass[signer.purpose]].reserve(signer.address, signer.size);
      if (!decision.ok) {
        await discard();
        return decision.reason === 'never'
          ? fail(c, 'TOO_LARGE', decision.message)
          : fail(c, 'QUOTA_EXCEEDED', decision.message, { 'retry-after': String(decision.retryAfterSeconds) });
      }
      release = decision.release;
    }
    let result: Awaited<ReturnType<ArtifactStore['put']>>;
    try {
      // A signed upload reads no more than the size its signer was charged for.
      result = await store.put(body ?? new Uint8Array(0), { maxBytes: signer ? Math.min(signer.size, maxBytes) : maxBytes, ...(expected ? { expected } : {}) });
    } catch (err) {
      release?.();
      throw err;
    }
    if (!result.created) release?.();
    options.logger?.info(
      { hash: result.hash, size: result.size, created: result.created, ...(signer ? { signer: signer.address, purpose: signer.purpose } : { anonymous: true }) },
      'artifact stored',
    );
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
