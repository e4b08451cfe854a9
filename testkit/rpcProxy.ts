/**
 * A misbehaving JSON-RPC node for tests: a proxy on a free loopback port in front of a real node
 * (anvil), which passes requests on and, as a seeded PRNG decides, answers with a fault instead:
 *
 *   rateLimit    429 with Retry-After (the request never reaches the node)
 *   serverError  500, 502 or 503 with a JSON-RPC-less body (never reaches the node)
 *   slow         the request waits `slowMs` before it is passed on
 *   hang         passed on, the node's answer withheld until the client gives up (or `hangMs`)
 *   reset        passed on, then the connection is destroyed without an answer
 *   truncate     passed on, the answer cut in the middle of its JSON (a complete HTTP response)
 *
 * hang, reset and truncate reach the node first: the node did the work (a transaction was sent) and
 * the client cannot know, which is what retries and idempotency must survive. `outage()` makes the
 * node unreachable (connections refused, reset, or every request a 503) until `restore()`.
 *
 * WebSockets (`ws://` on the same port, as anvil serves them) are passed through at the TCP level;
 * `wsDropMs` drops each one after a random time, and `dropWebSockets()` drops them all now.
 *
 * Determinism: the sequence of decisions follows from the seed (printed; LOOM_TEST_SEED replays it).
 * Which request gets which decision follows the order requests arrive in, which concurrent clients
 * do not fix, so a replay reproduces the fault mix, not always the same request hit.
 *
 * @example
 * const proxy = await startRpcProxy(chain.rpcUrl, { name: 'indexer', rates: { serverError: 0.1, truncate: 0.05 } });
 * // ... point the client at proxy.url; later: proxy.counts().injected.truncate
 */
import { type IncomingMessage, type ServerResponse, Agent, createServer, request as httpRequest } from 'node:http';
import { type Socket, connect } from 'node:net';
import { register } from './reaper';
import { prng } from './workload';

export const FAULT_KINDS = ['rateLimit', 'serverError', 'slow', 'hang', 'reset', 'truncate'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];
export type FaultRates = Partial<Record<FaultKind, number>>;
/** How the node is unreachable during an outage: refused (nothing listens), reset (accepted and dropped), or 503s. */
export type OutageMode = 'refuse' | 'reset' | 'unavailable';

export type RpcProxyOptions = {
  /** Names the proxy in logs and the reaper. */
  name?: string;
  /** The PRNG's seed (default LOOM_TEST_SEED, else random); printed. */
  seed?: number;
  /** Probability per request of each fault (their sum at most 1). Default: none. */
  rates?: FaultRates;
  /** Rates for particular JSON-RPC methods, instead of `rates` (e.g. eth_sendRawTransaction). */
  methodRates?: Record<string, FaultRates>;
  /**
   * Each of these kinds once, on every `every`-th request (10, 20, ...), whatever the draw: a test
   * then meets every kind it names, not only those its rates happened to draw.
   */
  guaranteed?: { kinds: FaultKind[]; every: number };
  /** Only requests whose (first) JSON-RPC method passes are faulted (default: all). */
  methods?: (method: string) => boolean;
  /** Delay range of a slow request, ms (default 200-1500). */
  slowMs?: [number, number];
  /** A hung request is answered with a reset after this long if the client is still waiting (default 30 s). */
  hangMs?: number;
  /** Retry-After of a 429, seconds (default 1). */
  retryAfterSeconds?: number;
  /** Each WebSocket is dropped after a random time in this range, ms (default: never). */
  wsDropMs?: [number, number];
  /** The port to listen on (default a free one). */
  port?: number;
  /** Print the seed and the counts at stop (default true). */
  verbose?: boolean;
};

export type RpcProxyCounts = {
  /** HTTP requests received. */
  requests: number;
  /** Requests passed on to the node. */
  forwarded: number;
  /** Faults injected, by kind. */
  injected: Record<FaultKind, number>;
  /** Faults injected, by JSON-RPC method and kind. */
  byMethod: Record<string, Partial<Record<FaultKind, number>>>;
  /** Requests and connections turned away during an outage. */
  outage: number;
  /** WebSockets opened, and dropped by the proxy. */
  webSockets: number;
  wsDropped: number;
};

export type RpcProxy = {
  url: string;
  /** The same endpoint as a WebSocket URL. */
  wsUrl: string;
  port: number;
  seed: number;
  counts: () => RpcProxyCounts;
  /** Total faults injected (outages not included). */
  injectedTotal: () => number;
  /** Replaces the fault rates and the per-method ones (`setRates({})`: pass everything through). */
  setRates: (rates: FaultRates, methodRates?: Record<string, FaultRates>) => void;
  /** Makes the node unreachable until restore(). */
  outage: (mode?: OutageMode) => Promise<void>;
  restore: () => Promise<void>;
  /** Drops every open WebSocket now. */
  dropWebSockets: () => void;
  /** One line per fault injected (the last 2,000). */
  log: () => string;
  stop: () => Promise<void>;
};

const MAX_LOG_LINES = 2_000;

/** Starts the proxy in front of `target` (http://host:port) and registers it with the reaper. */
export async function startRpcProxy(target: string, opts: RpcProxyOptions = {}): Promise<RpcProxy> {
  const name = opts.name ?? 'rpc';
  const seed = opts.seed ?? Number(process.env.LOOM_TEST_SEED ?? Math.floor(Math.random() * 2 ** 31));
  const r = prng(seed ^ 0x5eed);
  const upstream = new URL(target);
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  let rates: FaultRates = { ...opts.rates };
  let methodRates: Record<string, FaultRates> = { ...opts.methodRates };
  const slowMs = opts.slowMs ?? [200, 1500];
  const hangMs = opts.hangMs ?? 30_000;
  let down: OutageMode | undefined;

  const counts: RpcProxyCounts = {
    requests: 0,
    forwarded: 0,
    injected: Object.fromEntries(FAULT_KINDS.map((k) => [k, 0])) as Record<FaultKind, number>,
    byMethod: {},
    outage: 0,
    webSockets: 0,
    wsDropped: 0,
  };
  const lines: string[] = [];
  const note = (line: string) => {
    lines.push(`${new Date().toISOString()} ${line}`);
    if (lines.length > MAX_LOG_LINES) lines.splice(0, lines.length - MAX_LOG_LINES);
  };
  const sockets = new Set<Socket>();
  const webSockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const later = (ms: number, fn: () => void) => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  };

  /** The fault for the next request: two numbers drawn whatever the request (so the sequence is the seed's). */
  const draw = (method: string): { kind: FaultKind | undefined; x: number } => {
    const x = r.next();
    const detail = r.next();
    const table = methodRates[method] ?? rates;
    let acc = 0;
    for (const k of FAULT_KINDS) {
      acc += table[k] ?? 0;
      if (x < acc) return { kind: k, x: detail };
    }
    return { kind: undefined, x: detail };
  };

  const methodOf = (body: Buffer): string => {
    try {
      const parsed = JSON.parse(body.toString('utf8')) as { method?: string } | { method?: string }[];
      const first = Array.isArray(parsed) ? parsed[0] : parsed;
      return (Array.isArray(parsed) ? `batch:${first?.method}` : first?.method) ?? 'unknown';
    } catch {
      return 'unparsable';
    }
  };

  const forward = (req: IncomingMessage, body: Buffer): Promise<{ status: number; headers: Record<string, string>; body: Buffer }> =>
    new Promise((resolve, reject) => {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string' && !['host', 'connection', 'content-length'].includes(k)) headers[k] = v;
      headers['content-length'] = String(body.length);
      const up = httpRequest(
        { host: upstream.hostname, port: upstream.port, path: upstream.pathname + upstream.search, method: req.method, headers, agent },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const out: Record<string, string> = {};
            for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string' && !['content-length', 'transfer-encoding', 'connection', 'keep-alive'].includes(k)) out[k] = v;
            resolve({ status: res.statusCode ?? 502, headers: out, body: Buffer.concat(chunks) });
          });
          res.on('error', reject);
        },
      );
      up.on('error', reject);
      up.end(body);
    });

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    counts.requests++;
    if (down) {
      counts.outage++;
      if (down === 'unavailable') return void res.writeHead(503, { 'content-type': 'text/plain' }).end('node unavailable (rpc proxy outage)');
      return void req.socket.destroy();
    }
    const method = methodOf(body);
    const drawn = draw(method);
    const g = opts.guaranteed;
    const forced = g && counts.requests % g.every === 0 ? g.kinds[counts.requests / g.every - 1] : undefined;
    const kind = forced ?? (drawn.kind && (opts.methods?.(method) ?? true) ? drawn.kind : undefined);
    if (kind) {
      counts.injected[kind]++;
      const m = (counts.byMethod[method] ??= {});
      m[kind] = (m[kind] ?? 0) + 1;
    }
    const detail = drawn.x;
    switch (kind) {
      case 'rateLimit':
        note(`${method}: 429`);
        return void res.writeHead(429, { 'retry-after': String(opts.retryAfterSeconds ?? 1), 'content-type': 'text/plain' }).end('rate limited (rpc proxy)');
      case 'serverError': {
        const status = [500, 502, 503][Math.floor(detail * 3)]!;
        note(`${method}: ${status}`);
        return void res.writeHead(status, { 'content-type': 'text/plain' }).end(`upstream error ${status} (rpc proxy)`);
      }
      case 'slow': {
        const ms = Math.round(slowMs[0] + detail * (slowMs[1] - slowMs[0]));
        note(`${method}: slow ${ms} ms`);
        await new Promise<void>((resolve) => later(ms, resolve));
        break;
      }
    }
    let answer: Awaited<ReturnType<typeof forward>>;
    try {
      answer = await forward(req, body);
      counts.forwarded++;
    } catch (err) {
      note(`${method}: the node did not answer (${(err as Error).message})`);
      return void res.writeHead(502, { 'content-type': 'text/plain' }).end('the node did not answer (rpc proxy)');
    }
    switch (kind) {
      case 'hang':
        note(`${method}: hang (answer withheld)`);
        // The client times out and closes; a client without a timeout is cut off after hangMs.
        return later(hangMs, () => req.socket.destroy());
      case 'reset':
        note(`${method}: reset after the node answered`);
        return void req.socket.destroy();
      case 'truncate': {
        const cut = Math.max(1, Math.floor(answer.body.length * (0.1 + 0.8 * detail)));
        note(`${method}: truncated at ${cut}/${answer.body.length} bytes`);
        // No content-length: a well-formed HTTP response whose JSON stops mid-way.
        res.writeHead(answer.status, answer.headers);
        return void res.end(answer.body.subarray(0, Math.min(cut, answer.body.length - 1)));
      }
    }
    res.writeHead(answer.status, { ...answer.headers, 'content-length': String(answer.body.length) });
    res.end(answer.body);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      note(`proxy error: ${(err as Error).message}`);
      req.socket.destroy();
    });
  });
  // Longer than the clients' keep-alive: an idle socket closed under a client's feet would be a fault nobody injected.
  server.keepAliveTimeout = 60_000;
  server.on('connection', (s: Socket) => {
    if (down === 'reset') {
      counts.outage++;
      return void s.destroy();
    }
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  // WebSockets: the upgrade request is replayed to the node and the two sockets piped together.
  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    if (down) {
      counts.outage++;
      return void socket.destroy();
    }
    counts.webSockets++;
    const up = connect(Number(upstream.port), upstream.hostname, () => {
      const headerLines = [];
      for (let i = 0; i < req.rawHeaders.length; i += 2) headerLines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
      up.write(`${req.method} ${req.url} HTTP/1.1\r\n${headerLines.join('\r\n')}\r\n\r\n`);
      if (head.length) up.write(head);
      up.pipe(socket);
      socket.pipe(up);
    });
    const close = () => {
      up.destroy();
      socket.destroy();
      webSockets.delete(socket);
    };
    up.on('error', close);
    socket.on('error', close);
    up.on('close', close);
    socket.on('close', close);
    webSockets.add(socket);
    if (opts.wsDropMs) {
      const [lo, hi] = opts.wsDropMs;
      const ms = Math.round(lo + r.next() * (hi - lo));
      later(ms, () => {
        if (!webSockets.has(socket)) return;
        counts.wsDropped++;
        note(`websocket dropped after ${ms} ms`);
        close();
      });
    }
  });

  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve((server.address() as { port: number }).port);
      });
    });
  const closeListener = () =>
    new Promise<void>((resolve) => {
      if (!server.listening) return resolve();
      server.close(() => resolve());
      for (const s of [...sockets, ...webSockets]) s.destroy();
    });

  const port = await listen(opts.port ?? 0);
  const url = `http://127.0.0.1:${port}`;
  if (opts.verbose !== false) console.log(`rpc proxy ${name} seed: ${seed} (LOOM_TEST_SEED=${seed} replays its faults), rates ${JSON.stringify(rates)} ${JSON.stringify(methodRates)}`);

  const dropWebSockets = () => {
    for (const s of [...webSockets]) {
      counts.wsDropped++;
      s.destroy();
    }
    note('every websocket dropped');
  };
  let stopped = false;
  const stopNow = register({
    name: `rpc proxy ${name}`,
    logs: () => `seed ${seed}\ncounts ${JSON.stringify(counts)}\n${lines.join('\n')}\n`,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      await closeListener();
      agent.destroy();
      if (opts.verbose !== false) console.log(`rpc proxy ${name} (seed ${seed}): ${JSON.stringify(counts)}`);
    },
    kill: () => server.close(),
  });

  return {
    url,
    wsUrl: `ws://127.0.0.1:${port}`,
    port,
    seed,
    counts: () => structuredClone(counts),
    injectedTotal: () => FAULT_KINDS.reduce((t, k) => t + counts.injected[k], 0),
    setRates: (next, nextByMethod = {}) => {
      rates = { ...next };
      methodRates = { ...nextByMethod };
      note(`rates ${JSON.stringify(rates)} ${JSON.stringify(methodRates)}`);
    },
    outage: async (mode = 'refuse') => {
      down = mode;
      note(`outage (${mode})`);
      counts.wsDropped += webSockets.size;
      for (const s of [...sockets, ...webSockets]) s.destroy();
      if (mode === 'refuse') await closeListener();
    },
    restore: async () => {
      const was = down;
      down = undefined;
      note('outage over');
      if (was === 'refuse' && !server.listening) await listen(port);
    },
    dropWebSockets,
    log: () => lines.join('\n'),
    stop: stopNow,
  };
}
