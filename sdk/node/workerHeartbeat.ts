/**
 * Worker heartbeats: how a worker tells the API it is alive, and what its GPUs are doing.
 * Presence is not chain state: the API keeps it in memory, outside the state digest.
 *
 * Two signatures, so that the API can check a thousand heartbeats a second on one core:
 *
 * 1. A *session*, once per worker process (renewed every 12 hours): the worker's Ethereum key signs
 *    (EIP-712, domain "Loom presence" on this chain and market) a statement binding a fresh Ed25519
 *    public key to its address. The API recovers the address once per session and keeps the result.
 * 2. Each *heartbeat*: the exact bytes of a small JSON document (tag, chain id, market, worker, time
 *    in ms, a random nonce, the interval the worker promises, its GPU report), signed with the
 *    session's Ed25519 key (node:crypto: OpenSSL). Checking one costs ~50-200 µs where an EIP-712
 *    recovery in JavaScript costs milliseconds.
 *
 * The API (api/presence/heartbeatVerifier.ts) is the other side of this format; the API may not
 * import the SDK (layers), so it mirrors the few constants, and its test signs with this module.
 *
 * Heartbeats go to the API's presence listener, a thread on its own port (api/README.md "Presence"),
 * not to the API's own port: GET /presence on the API says where (heartbeatSender does it once).
 *
 * @example
 * const signer = await createHeartbeatSigner({ account, chainId, market });
 * const send = heartbeatSender(apiUrl);
 * await send(await signer.sign({ intervalMs: 5000, gpu: { status: 'none' } }));
 */
import { type KeyObject, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import type { Address, Hex } from 'viem';
import { type GpuReport, type GpuState, HEARTBEAT_INTERVAL_BOUNDS_MS, HEARTBEAT_TAG, presenceDomain, presenceSessionTypes } from '../../abis/offchainMessages';

/** On the API: GET answers `{ heartbeatUrl }`, where heartbeats go (POST, JSON body). */
export const PRESENCE_PATH = '/presence';
/** A session statement is renewed this often; the API accepts one for 24 hours. */
export const PRESENCE_SESSION_RENEW_SECONDS = 12 * 3600;

export { HEARTBEAT_INTERVAL_BOUNDS_MS, HEARTBEAT_TAG, type GpuReport, type GpuState };

/** The signed heartbeat document. */
export type HeartbeatDocument = {
  tag: typeof HEARTBEAT_TAG;
  chainId: number;
  market: Address;
  worker: Address;
  /** When it was made, ms since the epoch (the API refuses clocks too far off). */
  at: number;
  /** 16 random bytes, hex: each heartbeat is accepted once. */
  nonce: Hex;
  /** The worker promises its next heartbeat within this many ms. */
  intervalMs: number;
  gpu: GpuReport;
};

/** The session statement (EIP-712 message) and its signature by the worker's key. */
export type PresenceSession = { worker: Address; key: Hex; issuedAt: number; signature: Hex };

/** The request body of a heartbeat (POST to the heartbeat URL). */
export type HeartbeatBody = {
  session: PresenceSession;
  /** The heartbeat document, as the exact JSON text that was signed. */
  heartbeat: string;
  /** Ed25519 signature of `heartbeat`'s UTF-8 bytes by `session.key`, hex. */
  signature: Hex;
};

/** The EIP-712 domain and types of a session statement (abis/offchainMessages.ts, shared with the API). */
export { presenceDomain, presenceSessionTypes };

/** The typed data of a session statement. */
export function presenceSessionTypedData(o: { chainId: number; market: Address; worker: Address; sessionKey: Hex; issuedAt: number }) {
  return {
    domain: presenceDomain(o.chainId, o.market),
    types: presenceSessionTypes,
    primaryType: 'PresenceSession' as const,
    message: { worker: o.worker, sessionKey: o.sessionKey, issuedAt: BigInt(o.issuedAt) },
  };
}

/** Who signs sessions: a viem local account as it is. */
export type PresenceAccount = {
  address: Address;
  signTypedData: (typedData: ReturnType<typeof presenceSessionTypedData>) => Promise<Hex>;
};

export type HeartbeatSigner = {
  /** Signs one heartbeat (a new nonce each time; `at` default now). */
  sign(o: { intervalMs: number; gpu: GpuReport; at?: number; nonce?: Hex }): Promise<HeartbeatBody>;
};

/**
 * A heartbeat signer for one worker: makes an Ed25519 session key, has the account sign the session
 * (again every 12 hours), and signs heartbeats with it. The session's private key stays in memory.
 */
export async function createHeartbeatSigner(o: { account: PresenceAccount; chainId: number; market: Address; now?: () => number }): Promise<HeartbeatSigner> {
  const now = o.now ?? Date.now;
  let session: { privateKey: KeyObject; statement: PresenceSession } | undefined;
  const openSession = async () => {
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    // The raw 32-byte key is the last 32 bytes of its SPKI encoding.
    const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
    const key = `0x${raw.toString('hex')}` as Hex;
    const issuedAt = Math.floor(now() / 1000);
    const signature = await o.account.signTypedData(presenceSessionTypedData({ chainId: o.chainId, market: o.market, worker: o.account.address, sessionKey: key, issuedAt }));
    session = { privateKey, statement: { worker: o.account.address, key, issuedAt, signature } };
  };
  return {
    async sign({ intervalMs, gpu, at, nonce }) {
      const { min, max } = HEARTBEAT_INTERVAL_BOUNDS_MS;
      if (!Number.isInteger(intervalMs) || intervalMs < min || intervalMs > max) throw new Error(`heartbeat interval must be ${min} to ${max} ms, got ${intervalMs}`);
      if (!session || now() / 1000 - session.statement.issuedAt > PRESENCE_SESSION_RENEW_SECONDS) await openSession();
      const doc: HeartbeatDocument = {
        tag: HEARTBEAT_TAG,
        chainId: o.chainId,
        market: o.market,
        worker: o.account.address,
        at: at ?? now(),
        nonce: nonce ?? (`0x${randomBytes(16).toString('hex')}` as Hex),
        intervalMs,
        gpu,
      };
      const heartbeat = JSON.stringify(doc);
      const signature = `0x${sign(null, Buffer.from(heartbeat), session!.privateKey).toString('hex')}` as Hex;
      return { session: session!.statement, heartbeat, signature };
    },
  };
}

/** The API refused a heartbeat: HTTP status and the API's code (BAD_REQUEST, BAD_SIGNATURE, NOT_A_WORKER, REPLAYED, CLOCK_SKEW, ...). */
export class HeartbeatError extends Error {
  override name = 'HeartbeatError';
  constructor(
    readonly status: number,
    readonly code: string,
    readonly shortMessage: string,
  ) {
    super(`the API refused the heartbeat: ${status} ${code}: ${shortMessage}`);
  }
}

type SendOptions = { fetch?: typeof fetch; signal?: AbortSignal };

/** Where the API at `apiUrl` takes heartbeats (its presence listener's URL). */
export async function heartbeatUrlOf(apiUrl: string, o: SendOptions = {}): Promise<string> {
  const res = await (o.fetch ?? fetch)(`${apiUrl.replace(/\/+$/, '')}${PRESENCE_PATH}`, o.signal ? { signal: o.signal } : {});
  const answer = (await res.json().catch(() => ({}))) as { heartbeatUrl?: string; error?: { code?: string; message?: string } };
  if (!res.ok || typeof answer.heartbeatUrl !== 'string') {
    throw new HeartbeatError(res.status, answer.error?.code ?? 'HTTP_ERROR', answer.error?.message ?? `GET ${PRESENCE_PATH}: HTTP ${res.status}`);
  }
  return answer.heartbeatUrl;
}

/** POSTs a signed heartbeat to the heartbeat URL; resolves when the API took it, throws HeartbeatError when it refused. */
export async function sendHeartbeat(heartbeatUrl: string, body: HeartbeatBody | string, o: SendOptions = {}): Promise<void> {
  const res = await (o.fetch ?? fetch)(heartbeatUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    ...(o.signal ? { signal: o.signal } : {}),
  });
  if (res.ok) {
    await res.body?.cancel();
    return;
  }
  const answer = (await res.json().catch(() => ({}))) as { error?: { code?: string; message?: string } };
  throw new HeartbeatError(res.status, answer.error?.code ?? 'HTTP_ERROR', answer.error?.message ?? `HTTP ${res.status}`);
}

/**
 * Sends heartbeats to the API at `apiUrl`: asks it where (heartbeatUrlOf) before the first, and again
 * after a heartbeat that did not reach the listener (a restarted API's listener may have another port).
 */
export function heartbeatSender(apiUrl: string, o: { fetch?: typeof fetch } = {}): (body: HeartbeatBody, s?: { signal?: AbortSignal }) => Promise<void> {
  let url: string | undefined;
  return async (body, s = {}) => {
    const options = { ...o, ...s };
    url ??= await heartbeatUrlOf(apiUrl, options);
    try {
      await sendHeartbeat(url, body, options);
    } catch (err) {
      // A refusal was an answer from the listener: keep its URL. Anything else: ask again next time.
      if (!(err instanceof HeartbeatError) || err.code === 'HTTP_ERROR') url = undefined;
      throw err;
    }
  };
}
