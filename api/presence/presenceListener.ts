/**
 * The presence listener: a plain Node HTTP server in a worker thread of the API process
 * (presenceThread.ts starts it), so that receiving and verifying heartbeats never takes the thread
 * that serves GraphQL (bench/README.md, api.presence.*: on that thread, Node's HTTP server, Ponder's
 * middleware and the checks cost ~0.5 ms a heartbeat, half that thread at 1,000/s).
 *
 * POST /presence/heartbeat on its own port (LOOM_PRESENCE_PORT): checked here by heartbeatVerifier.ts
 * (through heartbeatHandler.ts); whether the signer is a registered worker is asked of the main
 * thread, which reads the database (and the verifier remembers the answer for seconds). Accepted
 * heartbeats go to the main thread's presence store in batches, every BATCH_MS at most.
 */
import { readlinkSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { setPriority } from 'node:os';
import type { MessagePort } from 'node:worker_threads';
import pino from 'pino';
import type { Address } from 'viem';
import { clientAddress } from '../clients/clientIp';
import { heartbeatHandler, MAX_HEARTBEAT_BYTES } from './heartbeatHandler';
import { type Heartbeat, HeartbeatVerifier, type PresenceDomain } from './heartbeatVerifier';

/** Where the listener takes heartbeats (the SDK discovers the whole URL from GET /presence on the API). */
export const HEARTBEAT_PATH = '/presence/heartbeat';
/**
 * A heartbeat may wait a few milliseconds, a query should not: where the two compete for a core, the
 * listener's thread yields (Linux schedules threads, and a nice value applies to one thread).
 */
export const PRESENCE_NICE = 10;
/** Accepted heartbeats reach the presence store at most this late (ms). */
const BATCH_MS = 50;

export type ListenerConfig = {
  domain: PresenceDomain;
  maxSkewMs?: number;
  /** 0: any free port. */
  port: number;
  host?: string;
  trustProxy: boolean;
  logLevel?: string;
  /** The listener thread's nice value (LOOM_PRESENCE_NICE, default PRESENCE_NICE; 0 keeps the process's). */
  nice?: number;
  sessions?: { burst: number; perSecond: number };
};

/** Thread -> main thread. `beats`: accepted heartbeats with the listener's clock at reception (ms). */
export type ListenerMessage =
  | { type: 'listening'; port: number }
  | { type: 'failed'; message: string }
  | { type: 'isRegistered'; id: number; worker: Address }
  | { type: 'accepted'; beats: [Heartbeat, number][] };

/** Main thread -> thread. */
export type MainMessage = { type: 'isRegistered'; id: number; value: boolean } | { type: 'isRegistered'; id: number; error: string } | { type: 'close' };

/** The body's text, or undefined past `max` bytes. */
async function readBody(req: IncomingMessage, max: number): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > max) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export function runPresenceListener(port: MessagePort, config: ListenerConfig): Server {
  const logger = pino({ name: 'loom-presence', level: config.logLevel ?? 'info' });
  lowerThreadPriority(config.nice ?? PRESENCE_NICE, logger);
  const send = (m: ListenerMessage) => port.postMessage(m);

  // The registration check: a question to the main thread, answered from the database.
  const questions = new Map<number, { resolve: (v: boolean) => void; reject: (e: Error) => void }>();
  let nextId = 0;
  const isRegisteredWorker = (worker: Address) =>
    new Promise<boolean>((resolve, reject) => {
      const id = nextId++;
      questions.set(id, { resolve, reject });
      send({ type: 'isRegistered', id, worker });
    });

  const handle = heartbeatHandler({
    verifier: new HeartbeatVerifier({ domain: config.domain, isRegisteredWorker, ...(config.maxSkewMs ? { maxSkewMs: config.maxSkewMs } : {}) }),
    logger,
    ...(config.sessions ? { sessions: config.sessions } : {}),
  });

  let batch: [Heartbeat, number][] = [];
  const flush = () => {
    send({ type: 'accepted', beats: batch });
    batch = [];
  };

  const server = createServer({ keepAlive: true }, (req, res) => {
    const path = req.url?.split('?')[0];
    if (req.method !== 'POST' || path !== HEARTBEAT_PATH) {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'NOT_FOUND', message: `this port takes POST ${HEARTBEAT_PATH} only` } }));
      return;
    }
    const client = clientAddress(req.headers['x-forwarded-for'] as string | undefined, req.socket.remoteAddress, config.trustProxy) ?? 'unknown';
    readBody(req, MAX_HEARTBEAT_BYTES)
      .then((text) => handle(text, client))
      .then((answer) => {
        if (answer.status === 204) {
          if (batch.length === 0) setTimeout(flush, BATCH_MS);
          batch.push([answer.heartbeat, Date.now()]);
          res.writeHead(204).end();
        } else {
          res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify({ error: answer.error }));
        }
      })
      .catch((err) => {
        logger.warn({ err }, 'heartbeat: request failed');
        if (!res.headersSent) res.writeHead(400).end();
      });
  });

  port.on('message', (m: MainMessage) => {
    if (m.type === 'close') {
      server.close();
      server.closeAllConnections();
      port.close();
      return;
    }
    const q = questions.get(m.id);
    questions.delete(m.id);
    if ('error' in m) q?.reject(new Error(m.error));
    else q?.resolve(m.value);
  });
  server.on('error', (err) => send({ type: 'failed', message: err.message }));
  server.listen(config.port, config.host, () => {
    const address = server.address();
    send({ type: 'listening', port: typeof address === 'object' && address ? address.port : config.port });
  });
  return server;
}

/** Sets the calling thread's nice value (its id from /proc/thread-self: "<pid>/task/<tid>"). */
function lowerThreadPriority(nice: number, logger: pino.Logger): void {
  if (!nice) return;
  try {
    setPriority(Number(readlinkSync('/proc/thread-self').split('/').pop()), nice);
  } catch (err) {
    logger.debug({ err: String(err) }, 'presence: the listener thread keeps the process priority');
  }
}
