/**
 * A client of the OCI distribution API v2 (what Docker Hub, ghcr.io, nvcr.io and Debian's
 * docker-registry speak), for pulling by digest, with Node's fetch.
 *
 * - Anonymous token auth: a 401 with `WWW-Authenticate: Bearer realm=…,service=…,scope=…` is answered
 *   by GET realm?service=…&scope=… and a retry with `Authorization: Bearer <token>`; tokens are kept per
 *   registry and scope until they expire.
 * - Registries on loopback (127.0.0.1, localhost, ::1) are spoken to over plain http, others https.
 * - Blob GETs follow redirects (S3-style storage); fetch drops the Authorization header on a
 *   redirect to another origin, as presigned URLs require.
 * - `requestCount` counts every HTTP request (token requests included), so tests can show that a
 *   cached run makes none.
 */
import { registryEndpoint } from '../../sdk/spec/imageRef';
import { ImageRefusalError } from './imageRefusal';

export type RegistryTarget = { registry: string; repository: string };

type Token = { value: string; expiresAt: number };

/** Transient failures (network, 5xx, 429) are retried this many times, with a short backoff. */
const RETRIES = 2;

export class RegistryClient {
  requestCount = 0;
  private readonly tokens = new Map<string, Token>();

  /** The API's base URL for `registry`, e.g. `https://registry-1.docker.io/v2`. */
  static baseUrl(registry: string): string {
    const host = registryEndpoint(registry);
    const name = host.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
    const loopback = name === 'localhost' || name === '::1' || /^127\.\d+\.\d+\.\d+$/.test(name);
    return `${loopback ? 'http' : 'https'}://${host}/v2`;
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
        throw new ImageRefusalError('not_found', `the registry refused anonymous access to ${what} (HTTP ${res.status}${registryErrorCode(body) ? `, ${registryErrorCode(body)}` : ''}): a private image, or no such repository`);
      }
      if ((res.status >= 500 || res.status === 429) && attempt < RETRIES) {
        await backoff(attempt, opts.signal);
        continue;
      }
      const kindOfRefusal = res.status >= 500 || res.status === 429 ? 'unreachable' : 'invalid';
      throw new ImageRefusalError(kindOfRefusal, `the registry answered HTTP ${res.status} for ${what}${body ? `: ${body.slice(0, 200)}` : ''}`);
    }
  }

  /** One request, with a token when the registry asks for one. */
  private async authorized(url: string, target: RegistryTarget, opts: { accept?: string; signal?: AbortSignal }): Promise<Response> {
    const headers: Record<string, string> = {};
    if (opts.accept) headers.accept = opts.accept;
    const scopeKey = `${target.registry} repository:${target.repository}:pull`;
    const known = this.tokens.get(scopeKey);
    if (known && known.expiresAt > Date.now()) headers.authorization = `Bearer ${known.value}`;
    const res = await this.fetch(url, { headers, signal: opts.signal });
    if (res.status !== 401) return res;
    const challenge = parseBearerChallenge(res.headers.get('www-authenticate'));
    if (!challenge) return res;
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
    const res = await this.fetch(url.toString(), { signal });
    if (res.status !== 200) {
      await res.body?.cancel().catch(() => {});
      throw new ImageRefusalError('not_found', `${target.registry}'s token service (${url.origin}) refused an anonymous token for ${target.repository} (HTTP ${res.status}): a private image, or no such repository`);
    }
    const body = (await res.json().catch(() => ({}))) as { token?: string; access_token?: string; expires_in?: number };
    const value = body.token ?? body.access_token;
    if (!value) throw new ImageRefusalError('unreachable', `${target.registry}'s token service answered without a token`);
    // Docker Hub's tokens last 300 s; renew a little early.
    const ttl = Math.max(30, (body.expires_in ?? 60) - 10) * 1000;
    return { value, expiresAt: Date.now() + ttl };
  }

  private fetch(url: string, init: RequestInit): Promise<Response> {
    this.requestCount++;
    return fetch(url, { ...init, redirect: 'follow' });
  }
}

/** The parameters of `Bearer realm="…",service="…",scope="…"`, or undefined for another scheme. */
export function parseBearerChallenge(header: string | null): Record<string, string> | undefined {
  if (!header || !/^bearer\s/i.test(header)) return undefined;
  const params: Record<string, string> = {};
  for (const m of header.slice(7).matchAll(/([A-Za-z_]+)="([^"]*)"/g)) params[m[1]!.toLowerCase()] = m[2]!;
  return params;
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
