/**
 * The per-client limits in action, for one API instance: a token bucket on GraphQL requests and a cap
 * on open subscription streams per client (see clientLimits.ts), and the end of streams whose client
 * stopped reading. Refusals are HTTP 429 with `Retry-After` (seconds) and a GraphQL error
 * `RATE_LIMITED` (with `extensions.retryAfter`).
 *
 * Slow clients. A subscription's events wait in its queue (api/feed/pushQueue.ts) until the HTTP
 * response takes them, and the response takes them only as fast as the socket drains (yoga's SSE
 * stream is pulled; @hono/node-server waits for 'drain'): what a client that never reads holds in this
 * process is its queue (at most `maxQueued` items) plus about one event of bytes in the socket's
 * buffer. When the queue overflows, the subscription ends with UNAVAILABLE ("fell too far behind");
 * the connection then has `slowClientGraceMs` to read that end, after which it is cut.
 */
import { metricFamily } from '../apiMetrics';
import type { ClientLimits } from './clientLimits';
import { RateLimiter, type RateDecision } from './rateLimiter';
import { type StreamRelease, StreamSlots } from './streamSlots';

/** The Node response under @hono/node-server (`c.env.outgoing`), as far as this module uses it. */
export type NodeResponse = {
  writableLength: number;
  writableFinished: boolean;
  destroyed: boolean;
  destroy(): void;
  once(event: 'close', listener: () => void): unknown;
};

type OpenStream = { outgoing: NodeResponse | undefined; finished: boolean };

/**
 * One request's claim on a stream slot: the subscription transport takes it when a subscription
 * starts (api/clients/streamAdmission.ts); the HTTP layer then watches the response it carries.
 */
export class StreamTicket {
  release: StreamRelease | undefined;
  /** Set when the client already holds its streams: the request is answered 429. */
  refusedFor: number | undefined;
  private cut: (() => void) | undefined;
  private slow = false;

  constructor(
    private readonly admission: ClientAdmission,
    readonly key: string,
  ) {}

  /** Takes a slot; false (and `refusedFor` set) when the client holds its maximum. */
  take(): boolean {
    if (this.release) return true;
    const release = this.admission.slots?.acquire(this.key);
    if (this.admission.slots && !release) {
      this.refusedFor = this.admission.limits.streamRetryAfterSeconds;
      this.admission.counters.streamsRefused++;
      return false;
    }
    this.release = release ?? (() => {});
    return true;
  }

  /** The subscription was ended for falling too far behind: its connection gets the grace period. */
  tooSlow(): void {
    this.admission.counters.slowClientsEnded++;
    this.slow = true;
    this.cut?.();
  }

  /** @internal How to cut this request's connection (set once its response is watched). */
  setCut(cut: () => void): void {
    this.cut = cut;
    if (this.slow) cut();
  }
}

export class ClientAdmission {
  readonly slots: StreamSlots | undefined;
  private readonly requests: RateLimiter | undefined;
  private readonly open = new Set<OpenStream>();
  readonly counters = { requestsRefused: 0, streamsRefused: 0, slowClientsEnded: 0, slowClientsCut: 0 };

  constructor(
    readonly limits: ClientLimits,
    now?: () => number,
  ) {
    this.requests = limits.requests ? new RateLimiter(limits.requests, now) : undefined;
    this.slots = limits.streamsPerClient ? new StreamSlots(limits.streamsPerClient) : undefined;
  }

  /** Counts one GraphQL request by `key`. */
  takeRequest(key: string): RateDecision {
    const decision = this.requests?.take(key) ?? { ok: true };
    if (!decision.ok) this.counters.requestsRefused++;
    return decision;
  }

  /** Streams whose response is still open. */
  get openStreams(): number {
    return this.open.size;
  }

  /** Bytes written to open streams' sockets that their clients have not taken yet (this process's share). */
  get bufferedBytes(): number {
    let n = 0;
    for (const s of this.open) n += s.outgoing?.writableLength ?? 0;
    return n;
  }

  /**
   * Watches the streamed response of `ticket`'s subscription: the slot is given back when the
   * response ends, and a slow client's connection is cut after the grace period. Returns the
   * response to send (the same body, or, without a Node socket, a body that can be cut).
   */
  watch(ticket: StreamTicket, response: Response, outgoing: NodeResponse | undefined): Response {
    const stream: OpenStream = { outgoing, finished: false };
    this.open.add(stream);
    const finish = () => {
      if (stream.finished) return;
      stream.finished = true;
      this.open.delete(stream);
      ticket.release?.();
    };
    let sent = response;
    let cutBody: (() => void) | undefined;
    if (outgoing) {
      outgoing.once('close', finish);
      if (outgoing.destroyed) finish();
    } else if (response.body) {
      const watched = watchBody(response.body, finish);
      cutBody = watched.cut;
      sent = new globalThis.Response(watched.body, { status: response.status, statusText: response.statusText, headers: response.headers });
    } else {
      finish();
    }
    ticket.setCut(() => {
      const timer = setTimeout(() => {
        if (stream.finished || outgoing?.writableFinished) return;
        this.counters.slowClientsCut++;
        if (outgoing) outgoing.destroy();
        else cutBody?.();
      }, this.limits.slowClientGraceMs);
      timer.unref?.();
    });
    return sent;
  }

  /** Prometheus text for /api/metrics. */
  renderMetrics(): string {
    const c = this.counters;
    return [
      ...metricFamily('loom_api_rate_limited_total', 'counter', 'Requests refused with RATE_LIMITED, by what was over its limit.', [
        [{ limit: 'requests' }, c.requestsRefused],
        [{ limit: 'streams' }, c.streamsRefused],
      ]),
      ...metricFamily('loom_api_sse_streams', 'gauge', 'Subscription responses (Server-Sent Events) open now.', this.openStreams),
      ...metricFamily('loom_api_sse_buffered_bytes', 'gauge', 'Bytes written to open streams that their clients have not read yet, held by this process.', this.bufferedBytes),
      ...metricFamily('loom_api_slow_subscribers_total', 'counter', 'Subscriptions ended for falling too far behind (UNAVAILABLE).', c.slowClientsEnded),
      ...metricFamily('loom_api_slow_connections_cut_total', 'counter', 'Connections closed because they did not read that end within the grace period.', c.slowClientsCut),
      '',
    ].join('\n');
  }
}

/**
 * `body`, read only when its reader reads (no buffering of its own), calling `onEnd` once when it
 * ends, fails or is cancelled; `cut()` ends it with an error and cancels `body`.
 */
function watchBody(body: ReadableStream<Uint8Array>, onEnd: () => void): { body: ReadableStream<Uint8Array>; cut: () => void } {
  const reader = body.getReader();
  let controller: ReadableStreamDefaultController<Uint8Array>;
  const watched = new ReadableStream<Uint8Array>(
    {
      start(c) {
        controller = c;
      },
      async pull(c) {
        try {
          const { done, value } = await reader.read();
          if (done) {
            c.close();
            onEnd();
          } else c.enqueue(value);
        } catch (err) {
          c.error(err);
          onEnd();
        }
      },
      cancel(reason) {
        onEnd();
        return reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
  const cut = () => {
    try {
      controller.error(new Error('the client did not read its stream: connection closed'));
    } catch {}
    onEnd();
    reader.cancel().catch(() => {});
  };
  return { body: watched, cut };
}
