/**
 * POST /presence/heartbeat: a worker's signed heartbeat (sdk/node/workerHeartbeat.ts), checked by
 * heartbeatVerifier.ts and recorded in the presence store. Answers 204, or
 * `{ "error": { "code", "message" } }` with 400 BAD_REQUEST, 401 BAD_SIGNATURE, 403 NOT_A_WORKER,
 * 409 REPLAYED, 422 CLOCK_SKEW, 429 RATE_LIMITED (new sessions: an EIP-712 recovery each, rationed
 * per client), 503 UNAVAILABLE (the registration check could not read the database).
 */
import { Hono, type Context } from 'hono';
import type { Logger } from 'pino';
import { RateLimiter } from '../clients/rateLimiter';
import type { HeartbeatErrorCode, HeartbeatVerifier } from './heartbeatVerifier';
import type { PresenceStore } from './presenceStore';

const status: Record<HeartbeatErrorCode, 400 | 401 | 403 | 409 | 422 | 429 | 503> = {
  BAD_REQUEST: 400,
  BAD_SIGNATURE: 401,
  NOT_A_WORKER: 403,
  REPLAYED: 409,
  CLOCK_SKEW: 422,
  RATE_LIMITED: 429,
  UNAVAILABLE: 503,
};

export type PresenceRoutesOptions = {
  verifier: HeartbeatVerifier;
  store: PresenceStore;
  /** The client's address (the rationing of new sessions is per client). */
  clientOf: (c: Context) => string;
  logger?: Logger;
  /** New sessions per client: a burst (a fleet behind one address starting at once), then per second. */
  sessions?: { burst: number; perSecond: number };
};

const MAX_BODY_BYTES = 32 * 1024;

/**
 * The request body as text, or undefined past `max` bytes. Served by Node (Ponder's server), it is
 * read from Node's request stream directly: building a web Request around it would cost more than
 * checking the heartbeat (bench/README.md, api.presence.*).
 */
async function readBody(c: Context, max: number): Promise<string | undefined> {
  const incoming = (c.env as { incoming?: AsyncIterable<Buffer> } | undefined)?.incoming;
  if (!incoming || typeof incoming[Symbol.asyncIterator] !== 'function') {
    const text = await c.req.text();
    return Buffer.byteLength(text) > max ? undefined : text;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of incoming) {
    size += chunk.length;
    if (size > max) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export function presenceRoutes(o: PresenceRoutesOptions): Hono {
  const app = new Hono();
  const sessions = new RateLimiter(o.sessions ?? { burst: 2000, perSecond: 20 });
  const fail = (c: Context, code: HeartbeatErrorCode, message: string) => c.json({ error: { code, message } }, status[code]);

  app.post('/heartbeat', async (c) => {
    const text = await readBody(c, MAX_BODY_BYTES);
    if (text === undefined) return fail(c, 'BAD_REQUEST', `the heartbeat is too large (at most ${MAX_BODY_BYTES} bytes)`);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return fail(c, 'BAD_REQUEST', 'the body is not JSON');
    }
    const client = o.clientOf(c);
    let result;
    try {
      result = await o.verifier.verify(body, { mayRecoverSession: () => sessions.take(client).ok });
    } catch (err) {
      o.logger?.warn({ err }, 'heartbeat: registration check failed');
      return fail(c, 'UNAVAILABLE', 'the registration check could not read the database; retry');
    }
    if (!result.ok) return fail(c, result.code, result.message);
    o.store.record(result.heartbeat);
    return c.body(null, 204);
  });
  return app;
}
