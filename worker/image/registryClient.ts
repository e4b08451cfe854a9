/**
 * A client of the OCI distribution API v2 (what Docker Hub, ghcr.io, nvcr.io and Debian's
 * docker-registry speak), for pulling by digest, with Node's fetch.
 *
 * - Token auth: a 401 with `WWW-Authenticate: Bearer realm=…,service=…,scope=…` is answered
 *   by GET realm?service=…&scope=… and a retry with `Authorization: Bearer <token>`; tokens are kept per
 *   registry, scope and credential until they expire (a token got with one job's credentials is
 *   never used for another job's requests).
 * - Credentials (a target's `auth`, from a job's sealed bundle): sent only for a target whose registry
 *   is the credential's own, as `Authorization: Basic` after a `Basic` challenge from that registry,
 *   or to the token realm its `Bearer` challenge names (https, or http on loopback only). Kept in
 *   memory by the caller; never logged (messages name the registry, never the user or password).
 * - Registries on loopback (127.0.0.1, localhost, ::1) are spoken to over plain http, others https.
 * - Redirects (blobs in S3-style storage) are followed here, not by fetch: the Authorization header
 *   (Basic or Bearer) goes only to the registry's own origin, never to the redirect's target.
 * - `requestCount` counts every HTTP request (token requests included), so tests can show that a
 *   cached run makes none.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { RegistryCredential } from '../../sdk/sealing';
import { registryEndpoint } from '../../sdk/spec/imageRef';
import { ImageRefusalError } from './imageRefusal';

/** Where to pull from, and with whose credentials (none: anonymously). */
export type RegistryTarget = { registry: string; repository: string; auth?: RegistryCredential };

type Token = { value: string; expiresAt: number };

/** Redirects followed per request (registries use one, to blob storage). */
const MAX_REDIRECTS = 5;

/** Salts the in-memory keys that tell credentials apart (never written anywhere). */
const CREDENTIAL_SALT = randomBytes(16);

/** An opaque in-memory name for a credential (or anonymity): a key of the token cache, the store's task keys. */
export function credentialKey(auth: RegistryCredential | undefined): string {
  if (!auth) return 'anonymous';
  return createHash('sha256').update(CREDENTIAL_SALT).update(JSON.stringify([auth.registry, auth.username, auth.password])).digest('hex').slice(0, 32);
}

/** Transient failures (network, 5xx, 429) are retried this many times, with a short backoff. */
const RETRIES = 2;

export class RegistryClient {
  requestCount = 0;
  private readonly tokens = new Map<string, Token>();
  /** Registry + credential pairs known to want Basic auth: later requests send it at once. */
  private readonly basic = new Set<string>();

  /** The API's base URL for `registry`, e.g. `https://registry-1.docker.io/v2`. */
  static baseUrl(registry: string): string {
    const host = registryEndpoint(registry);
    const name = host.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
    return `${isLoopback(name) ? 'http' : 'https'}://${host}/v2`;
  }

  /**
   * GET `/v2/<repository>/<kind>/<digest>`; resolves with the response once its status is 200.
   * 404 is `not_found`, an unreachable registry or a 5xx after the retries `unreachable`.
   */
  async get(target: RegistryTarget, kind: 'manifests' | 'blobs', digest: string, opts: { accept?: string; signal?: AbortSignal }): Promise<Response> {
    const url = `${RegistryClient.baseUrl(target.registry)}/${target.repository}/${kind}/${digest}`;
    const what = `${kind === 'manifests' ? 'manifest' : 'blob'} ${digest} of ${target.registry}/${target.repository}`;
    for (let attempt = 0; ; attempt++) {
      let res: Response;
      try {
        res = await this.authorized(url, target, opts);
      } catch (err) {
        if (opts.signal?.aborted) throw opts.signal.reason;
        if (err instanceof ImageRefusalError || attempt >= RETRIES) throw unreachable(target.registry, err);
        await backoff(attempt, opts.signal);
        continue;
      }
      if (res.status === 200) return res;
      const body = await res.text().catch(() => '');
      if (res.status === 404) {
        const code = registryErrorCode(body);
        throw new ImageRefusalError('not_found', `the registry has no ${what}${code ? ` (${code})` : ''}`);
      }
      if (res.status === 401 || res.status === 403) {
        const detail = `HTTP ${res.status}${registryErrorCode(body) ? `, ${registryErrorCode(body)}` : ''}`;
        if (target.auth) throw new ImageRefusalError('unauthorized', `the registry refused the job's credentials for ${target.registry} on ${what} (${detail}): wrong username or password, or no pull access to ${target.repository}`);
        throw new ImageRefusalError('not_found', `the registry refused anonymous access to ${what} (${detail}): a private image (its spec says so with sealed.registryAuth, and its credentials come in the sealed bundle), or no such repository`);
      }
      if ((res.status >= 500 || res.status === 429) && attempt < RETRIES) {
        await backoff(attempt, opts.signal);
        continue;
      }
      const kindOfRefusal = res.status >= 500 || res.status === 429 ? 'unreachable' : 'invalid';
      throw new ImageRefusalError(kindOfRefusal, `the registry answered HTTP ${res.status} for ${what}${body ? `: ${body.slice(0, 200)}` : ''}`);
    }
  }

  /** One request, authorized as the registry asks: a token (anonymous or with credentials) or Basic credentials. */
  private async authorized(url: string, target: RegistryTarget, opts: { accept?: string; signal?: AbortSignal }): Promise<Response> {
    const auth = target.auth;
    if (auth && auth.registry !== target.registry) {
      // The store picks credentials by registry; this is the last guard against sending them elsewhere.
      throw new ImageRefusalError('invalid', `credentials for ${auth.registry} are not sent to ${target.registry}`);
    }
    const headers: Record<string, string> = {};
    if (opts.accept) headers.accept = opts.accept;
    const who = credentialKey(auth);
    const scopeKey = `${target.registry} repository:${target.repository}:pull ${who}`;
    const known = this.tokens.get(scopeKey);
    if (known && known.expiresAt > Date.now()) headers.authorization = `Bearer ${known.value}`;
    else if (auth && this.basic.has(`${target.registry} ${who}`)) headers.authorization = basicAuthorization(auth);
    const res = await this.fetch(url, { headers, signal: opts.signal });
    if (res.status !== 401) return res;
    const header = res.headers.get('www-authenticate');
    const challenge = parseBearerChallenge(header);
    if (!challenge) {
      // Basic: answered with the job's credentials, when it has some and has not sent them yet.
      if (!auth || !/^basic(\s|$)/i.test(header ?? '') || headers.authorization?.startsWith('Basic ')) return res;
      await res.body?.cancel().catch(() => {});
      this.basic.add(`${target.registry} ${who}`);
      return this.fetch(url, { headers: { ...headers, authorization: basicAuthorization(auth) }, signal: opts.signal });
    }
    await res.body?.cancel().catch(() => {});
    const token = await this.token(challenge, target, opts.signal);
    this.tokens.set(scopeKey, token);
    return this.fetch(url, { headers: { ...headers, authorization: `Bearer ${token.value}` }, signal: opts.signal });
  }

  private async token(challenge: Record<string, string>, target: RegistryTarget, signal?: AbortSignal): Promise<Token> {
    const realm = challenge.realm;
    if (!realm || !/^https?:\/\//.test(realm)) throw new ImageRefusalError('unreachable', `${target.registry} asks for a token from an unusable realm "${realm ?? ''}"`);
    const url = new URL(realm);
    if (challenge.service) url.searchParams.set('service', challenge.service);
    url.searchParams.set('scope', challenge.scope ?? `repository:${target.repository}:pull`);
    const headers: Record<string, string> = {};
    if (target.auth) {
      // Credentials never travel in clear over the network: an http realm is accepted on loopback only.
      if (url.protocol !== 'https:' && !isLoopback(url.hostname)) {
        throw new ImageRefusalError('unauthorized', `${target.registry} asks for a token from ${url.origin}, which is not https: the job's credentials are not sent there`);
      }
      headers.authorization = basicAuthorization(target.auth);
    }
    const res = await this.fetch(url.toString(), { headers, signal });
    if (res.status !== 200) {
      await res.body?.cancel().catch(() => {});
      if (target.auth) throw new ImageRefusalError('unauthorized', `${target.registry}'s token service (${url.origin}) refused the job's credentials for ${target.repository} (HTTP ${res.status}): wrong username or password, or no pull access`);
      throw new ImageRefusalError('not_found', `${target.registry}'s token service (${url.origin}) refused an anonymous token for ${target.repository} (HTTP ${res.status}): a private image (its spec says so with sealed.registryAuth), or no such repository`);
    }
    const body = (await res.json().catch(() => ({}))) as { token?: string; access_token?: string; expires_in?: number };
    const value = body.token ?? body.access_token;
    if (!value) throw new ImageRefusalError('unreachable', `${target.registry}'s token service answered without a token`);
    // Docker Hub's tokens last 300 s; renew a little early.
    const ttl = Math.max(30, (body.expires_in ?? 60) - 10) * 1000;
    return { value, expiresAt: Date.now() + ttl };
  }

  /**
   * fetch, following redirects here: the Authorization header goes on only while the location stays
   * on the origin of the first request (a registry's redirect to its blob storage gets none, as
   * presigned URLs require and as credentials must).
   */
  private async fetch(url: string, init: { headers: Record<string, string>; signal?: AbortSignal | undefined }): Promise<Response> {
    const origin = new URL(url).origin;
    let current = url;
    for (let hop = 0; ; hop++) {
      const sameOrigin = new URL(current).origin === origin;
      const headers = sameOrigin ? init.headers : Object.fromEntries(Object.entries(init.headers).filter(([k]) => k.toLowerCase() !== 'authorization'));
      this.requestCount++;
      const res = await fetch(current, { headers, redirect: 'manual', ...(init.signal ? { signal: init.signal } : {}) });
      const location = res.headers.get('location');
      if (![301, 302, 303, 307, 308].includes(res.status) || !location) return res;
      await res.body?.cancel().catch(() => {});
      if (hop >= MAX_REDIRECTS) throw new ImageRefusalError('unreachable', `the registry redirected more than ${MAX_REDIRECTS} times for ${new URL(url).pathname}`);
      const next = new URL(location, current);
      if (next.protocol !== 'https:' && next.protocol !== 'http:') throw new ImageRefusalError('invalid', `the registry redirected to a ${next.protocol} URL`);
      current = next.toString();
    }
  }
}

/** The parameters of `Bearer realm="…",service="…",scope="…"`, or undefined for another scheme. */
export function parseBearerChallenge(header: string | null): Record<string, string> | undefined {
  if (!header || !/^bearer\s/i.test(header)) return undefined;
  const params: Record<string, string> = {};
  for (const m of header.slice(7).matchAll(/([A-Za-z_]+)="([^"]*)"/g)) params[m[1]!.toLowerCase()] = m[2]!;
  return params;
}

function isLoopback(hostname: string): boolean {
  const name = hostname.replace(/^\[|\]$/g, '');
  return name === 'localhost' || name === '::1' || /^127\.\d+\.\d+\.\d+$/.test(name);
}

/** `Basic base64(user:password)` (RFC 7617, UTF-8). */
function basicAuthorization(auth: RegistryCredential): string {
  return `Basic ${Buffer.from(`${auth.username}:${auth.password}`, 'utf8').toString('base64')}`;
}

function registryErrorCode(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as { errors?: { code?: string }[] };
    return parsed.errors?.map((e) => e.code).filter(Boolean).join(', ') || undefined;
  } catch {
    return undefined;
  }
}

function unreachable(registry: string, err: unknown): unknown {
  if (err instanceof ImageRefusalError) return err;
  if (err instanceof Error && err.name === 'AbortError') return err;
  const cause = err instanceof Error ? ((err.cause as Error | undefined)?.message ?? err.message) : String(err);
  return new ImageRefusalError('unreachable', `the registry ${registry} (${RegistryClient.baseUrl(registry)}) is unreachable: ${cause}`);
}

function backoff(attempt: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, 200 * 2 ** attempt);
    signal?.addEventListener('abort', () => (clearTimeout(timer), reject(signal.reason)), { once: true });
  });
}
