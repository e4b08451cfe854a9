/**
 * One heartbeat request, whatever carries it: the body's text in, the answer out. Used by the presence
 * listener (presenceListener.ts, in its own thread) and by the verifier's tests (no network, clocks
 * injected). Answers 204 with the accepted heartbeat, or `{ "error": { "code", "message" } }` with
 * 400 BAD_REQUEST, 401 BAD_SIGNATURE, 403 NOT_A_WORKER, 409 REPLAYED, 422 CLOCK_SKEW, 429 RATE_LIMITED
 * (new sessions: an EIP-712 recovery each, rationed per client), 503 UNAVAILABLE (the registration
 * check could not read the database).
 */
import type { Logger } from 'pino';
import { RateLimiter } from '../clients/rateLimiter';
import type { Heartbeat, HeartbeatErrorCode, HeartbeatVerifier } from './heartbeatVerifier';

const statusOf: Record<HeartbeatErrorCode, 400 | 401 | 403 | 409 | 422 | 429 | 503> = {
  BAD_REQUEST: 400,
  BAD_SIGNATURE: 401,
  NOT_A_WORKER: 403,
  REPLAYED: 409,
  CLOCK_SKEW: 422,
  RATE_LIMITED: 429,
  UNAVAILABLE: 503,
};

/** The largest heartbeat request body (bytes). */
export const MAX_HEARTBEAT_BYTES = 32 * 1024;

export type HeartbeatAnswer =
  | { status: 204; heartbeat: Heartbeat }
  | { status: (typeof statusOf)[HeartbeatErrorCode]; error: { code: HeartbeatErrorCode; message: string } };

export type HeartbeatHandlerOptions = {
  verifier: HeartbeatVerifier;
  logger?: Logger;
  /** New sessions per client: a burst (a fleet behind one address starting at once), then per second. */
  sessions?: { burst: number; perSecond: number };
};

/** `text`: the request body, or undefined when it was over MAX_HEARTBEAT_BYTES; `client`: who sent it. */
export type HeartbeatHandler = (text: string | undefined, client: string) => Promise<HeartbeatAnswer>;

export function heartbeatHandler(o: HeartbeatHandlerOptions): HeartbeatHandler {
  const sessions = new RateLimiter(o.sessions ?? { burst: 2000, perSecond: 20 });
  const fail = (code: HeartbeatErrorCode, message: string): HeartbeatAnswer => ({ status: statusOf[code], error: { code, message } });
  return async (text, client) => {
    if (text === undefined) return fail('BAD_REQUEST', `the heartbeat is too large (at most ${MAX_HEARTBEAT_BYTES} bytes)`);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return fail('BAD_REQUEST', 'the body is not JSON');
    }
    let result;
    try {
      result = await o.verifier.verify(body, { mayRecoverSession: () => sessions.take(client).ok });
    } catch (err) {
      o.logger?.warn({ err }, 'heartbeat: registration check failed');
      return fail('UNAVAILABLE', 'the registration check could not read the database; retry');
    }
    return result.ok ? { status: 204, heartbeat: result.heartbeat } : fail(result.code, result.message);
  };
}
