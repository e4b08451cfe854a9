/**
 * SSE subscribers for bench/sse.ts, in their own process: each is one raw HTTP/1.1 connection (a
 * `net` socket, no client library) that POSTs a GraphQL subscription with `Accept: text/event-stream`
 * and notes, for every `next` message, the block it is about and when its bytes arrived. Thousands
 * per process cost a few MB, so the machine's memory and CPU go to the API being measured.
 *
 * Driven over stdin/stdout, one line each:
 *   1. configuration (JSON `Config`) -> opens every subscription, `concurrency` at a time, and answers
 *      `{"open": n}` once each has its HTTP 200 (the subscription started), or `{"error": ...}`;
 *   2. `report <JSON: block -> epoch ms it was indexed>` -> `Report`: a histogram of delivery delays
 *      (1 ms buckets) of the messages about those blocks, and the subscribers that got fewer than
 *      their query promises;
 *   3. `close` -> closes every connection and exits.
 *
 * Clocks: `performance.timeOrigin + performance.now()`, epoch milliseconds with sub-millisecond
 * precision, comparable between processes of one machine.
 */
import { connect, type Socket } from 'node:net';
import { createInterface } from 'node:readline';

export type Config = {
  host: string;
  port: number;
  /** The subscriptions (GraphQL documents), given in turn to subscriber offset, offset+1, ... */
  queries: string[];
  /** Messages per block each query promises (the bench mines one lifecycle per block). */
  perBlock: number[];
  count: number;
  offset: number;
  concurrency: number;
};

export type Report = {
  /** Delay (ms, rounded up) -> messages. */
  histogram: Record<number, number>;
  messages: number;
  /** Subscribers that received fewer messages about the reported blocks than their query promises. */
  short: number;
  /** Subscribers whose stream ended or failed before `close`. */
  ended: number;
};

const now = () => performance.timeOrigin + performance.now();
const BLOCK = /"(?:blockNumber|headBlock)":"?(\d+)/;

type Subscriber = {
  socket: Socket;
  query: number;
  /** Block and arrival time of each message, flat: [block, ms, block, ms, ...]. */
  arrivals: number[];
  ended: boolean;
};

/** Opens one subscription; resolves once the server answered 200 (the stream is open). */
function subscribe(config: Config, query: number): Promise<Subscriber> {
  const body = JSON.stringify({ query: config.queries[query] });
  const socket = connect({ host: config.host, port: config.port });
  socket.setEncoding('latin1'); // one char per byte: chunk sizes count bytes
  const sub: Subscriber = { socket, query, arrivals: [], ended: false };
  return new Promise((resolve, reject) => {
    let head = '';
    let headDone = false;
    let chunked = false;
    let raw = ''; // bytes not yet de-chunked
    let events = ''; // SSE text not yet split into messages
    const fail = (error: Error) => {
      sub.ended = true;
      if (!headDone) reject(error);
    };
    const parseEvents = (at: number) => {
      let end: number;
      while ((end = events.indexOf('\n\n')) >= 0) {
        const message = events.slice(0, end);
        events = events.slice(end + 2);
        if (message.startsWith('event: next') || message.startsWith('event:next')) {
          const match = BLOCK.exec(message);
          if (match) sub.arrivals.push(Number(match[1]), at);
        } else if (message.startsWith('event: complete') || message.startsWith('event:complete')) sub.ended = true;
      }
    };
    const dechunk = () => {
      for (;;) {
        const line = raw.indexOf('\r\n');
        if (line < 0) return;
        const size = parseInt(raw.slice(0, line), 16);
        if (size === 0) {
          sub.ended = true;
          return;
        }
        if (raw.length < line + 2 + size + 2) return;
        events += raw.slice(line + 2, line + 2 + size);
        raw = raw.slice(line + 2 + size + 2);
      }
    };
    socket.on('data', (data: string) => {
      const at = now();
      if (!headDone) {
        head += data;
        const end = head.indexOf('\r\n\r\n');
        if (end < 0) return;
        const status = head.slice(0, head.indexOf('\r\n'));
        if (!/^HTTP\/1\.1 200/.test(status)) return fail(new Error(`subscription refused: ${head.slice(0, 500)}`));
        headDone = true;
        chunked = /\r\ntransfer-encoding:\s*chunked/i.test(head.slice(0, end + 2));
        data = head.slice(end + 4);
        head = '';
        resolve(sub);
      }
      if (chunked) {
        raw += data;
        dechunk();
      } else events += data;
      parseEvents(at);
    });
    socket.on('error', fail);
    socket.on('close', () => fail(new Error('connection closed before the answer')));
    socket.write(
      `POST /graphql HTTP/1.1\r\nHost: ${config.host}:${config.port}\r\nContent-Type: application/json\r\n` +
        `Accept: text/event-stream\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  });
}

function report(subs: Subscriber[], config: Config, indexedAt: Record<string, number>): Report {
  const histogram: Record<number, number> = {};
  const blocks = Object.keys(indexedAt).length;
  let messages = 0;
  let short = 0;
  for (const sub of subs) {
    let mine = 0;
    for (let i = 0; i < sub.arrivals.length; i += 2) {
      const at = indexedAt[sub.arrivals[i]!];
      if (at === undefined) continue;
      const ms = Math.max(0, Math.ceil(sub.arrivals[i + 1]! - at));
      histogram[ms] = (histogram[ms] ?? 0) + 1;
      mine++;
    }
    messages += mine;
    if (mine < config.perBlock[sub.query]! * blocks) short++;
  }
  return {
    histogram,
    messages,
    short,
    ended: subs.filter((s) => s.ended).length,
  };
}

const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
const next = async () => ((await lines.next()).value as string | undefined)?.trim();
const say = (value: unknown) => process.stdout.write(`${JSON.stringify(value)}\n`);

const config = JSON.parse((await next())!) as Config;
const subs: Subscriber[] = [];
try {
  for (let i = 0; i < config.count; i += config.concurrency) {
    const wave = Array.from({ length: Math.min(config.concurrency, config.count - i) }, (_, k) => (config.offset + i + k) % config.queries.length);
    subs.push(...(await Promise.all(wave.map((query) => subscribe(config, query)))));
  }
  say({ open: subs.length });
} catch (error) {
  say({ error: (error as Error).message });
}
for (let line = await next(); line !== undefined; line = await next()) {
  if (line.startsWith('report ')) say(report(subs, config, JSON.parse(line.slice(7))));
  else if (line === 'close') break;
}
for (const sub of subs) sub.socket.destroy();
process.exit(0);
