/**
 * The API's side of worker heartbeats (the format is the SDK's: sdk/node/workerHeartbeat.ts; both take
 * its constants and EIP-712 types from abis/offchainMessages.ts; heartbeatVerifier.test.ts signs with
 * the SDK and verifies here).
 *
 * A heartbeat is accepted when, in this order:
 *  1. the body has the shape (BAD_REQUEST);
 *  2. its session statement is signed (EIP-712) by the worker it names, for this chain and market,
 *     dated within the last 24 hours (BAD_SIGNATURE); recovered once per session, then remembered;
 *  3. the heartbeat's bytes are signed by that session's Ed25519 key (BAD_SIGNATURE);
 *  4. the document names this format, chain, market and the session's worker (BAD_SIGNATURE);
 *  5. its time is within `maxSkewMs` of the API's clock (CLOCK_SKEW);
 *  6. its nonce was not seen from that worker within the skew window (REPLAYED): older ones fail 5;
 *  7. the signer is a registered worker in the indexed `worker` table (NOT_A_WORKER), remembered
 *     for a few seconds so that a heartbeat costs no query.
 */
import { type KeyObject, createPublicKey, verify } from 'node:crypto';
import { type Address, type Hex, isAddress, recoverTypedDataAddress } from 'viem';
import { type GpuReport, type GpuState, HEARTBEAT_INTERVAL_BOUNDS_MS, HEARTBEAT_TAG, presenceDomain, presenceSessionTypes } from '../../abis/offchainMessages';

export const SESSION_MAX_AGE_SECONDS = 24 * 3600;
/** Default bound on clock differences (either way), and so on how long a nonce is remembered. */
export const DEFAULT_MAX_SKEW_MS = 30_000;


export type PresenceDomain = { chainId: number; market: Address };

export type HeartbeatErrorCode = 'BAD_REQUEST' | 'BAD_SIGNATURE' | 'CLOCK_SKEW' | 'REPLAYED' | 'NOT_A_WORKER' | 'RATE_LIMITED' | 'UNAVAILABLE';

export type { GpuReport, GpuState };

/** What an accepted heartbeat says. */
export type Heartbeat = { worker: Address; at: number; intervalMs: number; gpu: GpuReport };

export type Refusal = { ok: false; code: HeartbeatErrorCode; message: string };
export type VerifyResult = { ok: true; heartbeat: Heartbeat } | Refusal;

export type VerifierOptions = {
  domain: PresenceDomain;
  /** Whether an address (lowercase) is a registered worker (the indexed table). */
  isRegisteredWorker: (address: Address) => Promise<boolean>;
  maxSkewMs?: number;
  /** How long a registered worker's answer is reused (ms; default 5000; a refusal's at most 1000). */
  registrationTtlMs?: number;
  /** The API's clock, ms. */
  now?: () => number;
};

type Session = { worker: Address; key: KeyObject; issuedAt: number };

const HEX32 = /^0x[0-9a-fA-F]{64}$/;
const SIGNATURE = /^0x[0-9a-fA-F]{130}$/;
const ED25519_SIGNATURE = /^0x[0-9a-fA-F]{128}$/;
const NONCE = /^0x[0-9a-fA-F]{32}$/;
// The SPKI prefix of an Ed25519 public key (RFC 8410): the raw 32 bytes follow it.
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const MAX_SESSIONS = 100_000;
const MAX_GPUS = 64;

const refuse = (code: HeartbeatErrorCode, message: string): Refusal => ({ ok: false, code, message });

export class HeartbeatVerifier {
  private readonly sessions = new Map<string, Session>();
  /** Per worker: nonces accepted within the skew window, with their time. */
  private readonly nonces = new Map<Address, Map<string, number>>();
  private readonly registered = new Map<Address, { value: boolean; until: number }>();
  private readonly maxSkewMs: number;
  private readonly registrationTtlMs: number;
  private readonly now: () => number;

  constructor(private readonly o: VerifierOptions) {
    this.maxSkewMs = o.maxSkewMs ?? DEFAULT_MAX_SKEW_MS;
    this.registrationTtlMs = o.registrationTtlMs ?? 5000;
    this.now = o.now ?? Date.now;
  }

  /** Checks a request body (parsed JSON). */
  async verify(body: unknown, o: { mayRecoverSession?: () => boolean } = {}): Promise<VerifyResult> {
    if (typeof body !== 'object' || body === null) return refuse('BAD_REQUEST', 'the body must be a JSON object { session, heartbeat, signature }');
    const { session, heartbeat, signature } = body as Record<string, unknown>;
    if (typeof heartbeat !== 'string' || heartbeat.length > 16_384) return refuse('BAD_REQUEST', 'heartbeat must be the signed JSON text (at most 16 KiB)');
    if (typeof signature !== 'string' || !ED25519_SIGNATURE.test(signature)) return refuse('BAD_REQUEST', 'signature must be a 64-byte hex Ed25519 signature');

    const s = await this.session(session, o.mayRecoverSession);
    if ('code' in s) return s;
    if (!verify(null, Buffer.from(heartbeat), s.key, Buffer.from(signature.slice(2), 'hex'))) {
      return refuse('BAD_SIGNATURE', "the heartbeat's signature does not match its session key");
    }

    let doc: Record<string, unknown>;
    try {
      doc = JSON.parse(heartbeat) as Record<string, unknown>;
    } catch {
      return refuse('BAD_REQUEST', 'heartbeat is not JSON');
    }
    if (doc.tag !== HEARTBEAT_TAG) return refuse('BAD_SIGNATURE', `the heartbeat is not a ${HEARTBEAT_TAG} document`);
    if (doc.chainId !== this.o.domain.chainId || typeof doc.market !== 'string' || doc.market.toLowerCase() !== this.o.domain.market.toLowerCase()) {
      return refuse('BAD_SIGNATURE', `the heartbeat names another chain or market (this API: chain ${this.o.domain.chainId}, market ${this.o.domain.market})`);
    }
    if (typeof doc.worker !== 'string' || doc.worker.toLowerCase() !== s.worker) return refuse('BAD_SIGNATURE', "the heartbeat names another worker than its session's");
    const { at, nonce, intervalMs } = doc;
    if (typeof at !== 'number' || !Number.isSafeInteger(at)) return refuse('BAD_REQUEST', 'at must be ms since the epoch');
    if (typeof nonce !== 'string' || !NONCE.test(nonce)) return refuse('BAD_REQUEST', 'nonce must be 16 bytes of hex');
    if (typeof intervalMs !== 'number' || !Number.isInteger(intervalMs) || intervalMs < HEARTBEAT_INTERVAL_BOUNDS_MS.min || intervalMs > HEARTBEAT_INTERVAL_BOUNDS_MS.max) {
      return refuse('BAD_REQUEST', `intervalMs must be ${HEARTBEAT_INTERVAL_BOUNDS_MS.min} to ${HEARTBEAT_INTERVAL_BOUNDS_MS.max}`);
    }
    const gpu = gpuReport(doc.gpu);
    if (!gpu) return refuse('BAD_REQUEST', `gpu must be { status: 'ok', gpus: [...] } (at most ${MAX_GPUS}), { status: 'none' } or { status: 'failed', error }`);

    const now = this.now();
    if (Math.abs(now - at) > this.maxSkewMs) {
      return refuse('CLOCK_SKEW', `the heartbeat is dated ${Math.round((at - now) / 1000)} s from the API's clock (at most ${this.maxSkewMs / 1000} s either way): check the worker's clock`);
    }
    const seen = this.nonces.get(s.worker) ?? new Map<string, number>();
    const key = nonce.toLowerCase();
    if (seen.has(key)) return refuse('REPLAYED', 'this heartbeat (its nonce) was accepted before');

    if (!(await this.isRegistered(s.worker, now))) return refuse('NOT_A_WORKER', `${s.worker} is not a registered worker`);

    // Remember the nonce for as long as its time passes the skew check; forget older ones.
    for (const [n, t] of seen) if (now - t > 2 * this.maxSkewMs) seen.delete(n);
    seen.set(key, at);
    this.nonces.set(s.worker, seen);
    return { ok: true, heartbeat: { worker: s.worker, at, intervalMs, gpu } };
  }

  private async session(value: unknown, mayRecover?: () => boolean): Promise<Session | Refusal> {
    if (typeof value !== 'object' || value === null) return refuse('BAD_REQUEST', 'session must be { worker, key, issuedAt, signature }');
    const { worker, key, issuedAt, signature } = value as Record<string, unknown>;
    if (typeof worker !== 'string' || !isAddress(worker, { strict: false })) return refuse('BAD_REQUEST', 'session.worker must be an address');
    if (typeof key !== 'string' || !HEX32.test(key)) return refuse('BAD_REQUEST', 'session.key must be a 32-byte hex Ed25519 key');
    if (typeof issuedAt !== 'number' || !Number.isSafeInteger(issuedAt)) return refuse('BAD_REQUEST', 'session.issuedAt must be seconds since the epoch');
    if (typeof signature !== 'string' || !SIGNATURE.test(signature)) return refuse('BAD_REQUEST', 'session.signature must be a 65-byte hex signature');
    const nowSeconds = this.now() / 1000;
    if (issuedAt > nowSeconds + this.maxSkewMs / 1000) return refuse('CLOCK_SKEW', `the session is dated ${Math.round(issuedAt - nowSeconds)} s in the future`);
    if (nowSeconds - issuedAt > SESSION_MAX_AGE_SECONDS) return refuse('BAD_SIGNATURE', 'the session expired (older than 24 h): sign a new one');

    const id = `${worker.toLowerCase()}:${key.toLowerCase()}:${issuedAt}:${signature.toLowerCase()}`;
    const known = this.sessions.get(id);
    if (known) return known;
    // A new session costs an EIP-712 recovery (milliseconds): the caller may ration them per client.
    if (mayRecover && !mayRecover()) return refuse('RATE_LIMITED', 'too many new presence sessions from this client; retry in a few seconds');

    let recovered: Address;
    try {
      recovered = await recoverTypedDataAddress({
        domain: presenceDomain(this.o.domain.chainId, this.o.domain.market),
        types: presenceSessionTypes,
        primaryType: 'PresenceSession',
        message: { worker: worker as Address, sessionKey: key as Hex, issuedAt: BigInt(issuedAt) },
        signature: signature as Hex,
      });
    } catch {
      return refuse('BAD_SIGNATURE', 'the session signature cannot be read');
    }
    if (recovered.toLowerCase() !== worker.toLowerCase()) {
      return refuse('BAD_SIGNATURE', `the session is not signed by ${worker} for this chain (${this.o.domain.chainId}) and market`);
    }
    const session: Session = {
      worker: worker.toLowerCase() as Address,
      key: createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, Buffer.from(key.slice(2), 'hex')]), format: 'der', type: 'spki' }),
      issuedAt,
    };
    // Bounded: a flood of sessions forgets the oldest (a worker's next heartbeat recovers its own again).
    if (this.sessions.size >= MAX_SESSIONS) this.sessions.delete(this.sessions.keys().next().value!);
    this.sessions.set(id, session);
    return session;
  }

  private async isRegistered(worker: Address, now: number): Promise<boolean> {
    const cached = this.registered.get(worker);
    if (cached && cached.until > now) return cached.value;
    const value = await this.o.isRegisteredWorker(worker);
    if (this.registered.size >= MAX_SESSIONS) this.registered.clear();
    // A refusal is remembered for a second only: a worker whose registration was just indexed is taken at once.
    this.registered.set(worker, { value, until: now + (value ? this.registrationTtlMs : Math.min(1000, this.registrationTtlMs)) });
    return value;
  }
}

const num = (v: unknown) => (v === null || (typeof v === 'number' && Number.isFinite(v)) ? (v as number | null) : undefined);
const str = (v: unknown, max: number) => (typeof v === 'string' && v.length <= max ? v : undefined);

/** The GPU report, checked field by field (undefined when malformed). */
function gpuReport(v: unknown): GpuReport | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const r = v as Record<string, unknown>;
  if (r.status === 'none') return { status: 'none' };
  if (r.status === 'failed') {
    const error = str(r.error, 1000);
    return error === undefined ? undefined : { status: 'failed', error };
  }
  if (r.status !== 'ok' || !Array.isArray(r.gpus) || r.gpus.length > MAX_GPUS) return undefined;
  const gpus: GpuState[] = [];
  for (const g of r.gpus as Record<string, unknown>[]) {
    if (typeof g !== 'object' || g === null) return undefined;
    const state = {
      index: g.index,
      uuid: str(g.uuid, 100),
      name: str(g.name, 100),
      utilizationPct: num(g.utilizationPct),
      memoryUsedMiB: num(g.memoryUsedMiB),
      memoryTotalMiB: num(g.memoryTotalMiB),
      temperatureC: num(g.temperatureC),
      uncorrectedErrors: num(g.uncorrectedErrors),
    };
    if (!Number.isInteger(state.index) || Object.values(state).some((x) => x === undefined)) return undefined;
    gpus.push(state as GpuState);
  }
  return { status: 'ok', gpus };
}
