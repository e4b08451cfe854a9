/**
 * Server-Sent Events for subscriptions, in yoga's framing (graphql-sse's "distinct connections"
 * mode: a `:` ping first and every 12 s, `event: next` per result, `event: complete` at the end),
 * written for many subscribers of few distinct subscriptions:
 *   - a result object shared by subscribers (api/graphql/sharedSubscriptionResults.ts) is serialized
 *     and encoded once, and its bytes are written to each of them;
 *   - each message is one chunk (one socket write), not yoga's two;
 *   - on Node (the request's `outgoing` in yoga's server context), the messages are written straight
 *     to the socket's response, with its backpressure: no web stream between the results and the
 *     socket (a ReadableStream, a Response and their readers per subscriber were about a third of
 *     an idle subscriber's memory, and each message went through a promise chain per stream).
 *     Elsewhere (tests through `app.request`, other runtimes) the body is a ReadableStream.
 * Results carrying errors are rare and per subscriber: they are serialized each time, without the
 * server-only error extensions, as yoga does.
 */
import type { ServerResponse } from 'node:http';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import { acceptsEventStream } from './subscriptionTransport';

const PING_MS = 12_000;
/** The head of every event stream. */
const EVENT_STREAM_HEADERS = { 'Content-Type': 'text/event-stream', Connection: 'keep-alive', 'Cache-Control': 'no-cache', 'Content-Encoding': 'none' };
/** @hono/node-server's mark on a response whose bytes the handler wrote itself. */
const ALREADY_SENT = 'x-hono-already-sent';
const encoder = new TextEncoder();
const PING = encoder.encode(':\n\n');
const COMPLETE = encoder.encode('event: complete\ndata:\n\n');

type Result = { errors?: readonly unknown[]; extensions?: Record<string, unknown> } & Record<string, unknown>;

const encoded = new WeakMap<object, Uint8Array>();

/** The `next` message of a result without errors, encoded once per result object. */
function nextMessage(result: Result): Uint8Array {
  let bytes = encoded.get(result);
  if (!bytes) encoded.set(result, (bytes = encoder.encode(`event: next\ndata: ${JSON.stringify(result)}\n\n`)));
  return bytes;
}

const hasInternals = (result: Result) => Boolean(result.errors?.length || result.extensions?.http);
const messageOf = (result: Result) => (hasInternals(result) ? errorMessage(result) : nextMessage(result));

type FetchAPI = { ReadableStream: typeof ReadableStream; Response: typeof Response };

/** The response streaming `results` as SSE. */
function eventStreamResponse(results: AsyncIterable<Result>, fetchAPI: FetchAPI): Response {
  const iterator = results[Symbol.asyncIterator]();
  let ping: ReturnType<typeof setInterval> | undefined;
  const body = new fetchAPI.ReadableStream<Uint8Array>({
    start(controller) {
      // Some browsers hold a response back until its first bytes: a ping goes at once.
      controller.enqueue(PING);
      ping = setInterval(() => {
        if (!controller.desiredSize) return clearInterval(ping);
        controller.enqueue(PING);
      }, PING_MS);
    },
    async pull(controller) {
      try {
        const { value, done } = await iterator.next();
        if (value != null) controller.enqueue(messageOf(value));
        if (done) {
          controller.enqueue(COMPLETE);
          clearInterval(ping);
          controller.close();
        }
      } catch (error) {
        clearInterval(ping);
        controller.error(error);
      }
    },
    async cancel(reason) {
      clearInterval(ping);
      await iterator.return?.(reason);
    },
  });
  return new fetchAPI.Response(body, { status: 200, headers: EVENT_STREAM_HEADERS });
}

/** Subscription responses made for a Node response: their results, written by `sendEventStream`. */
const direct = new WeakMap<Response, AsyncIterable<Result>>();

/** A body-less response whose results `sendEventStream` writes to the Node response. */
function directResponse(results: AsyncIterable<Result>, fetchAPI: FetchAPI): Response {
  const response = new fetchAPI.Response(null, { status: 200, headers: EVENT_STREAM_HEADERS });
  direct.set(response, results);
  return response;
}

/**
 * Writes the event stream of a subscription response made for a Node response (see useEventStream)
 * to `outgoing`: the head (the HTTP layer's headers, e.g. CORS, read from `httpHeaders` only for
 * such a response, then the response's own), a ping,
 * then a message per result, waiting for the socket to drain when the client reads slower than the
 * results come (the subscription's own queue then bounds what it holds: api/feed/pushQueue.ts).
 * Ends with `complete` when the results end; a closed connection ends the results. Returns the
 * response to hand @hono/node-server (marked as already sent), or undefined for any other response.
 */
export function sendEventStream(response: Response, outgoing: ServerResponse, httpHeaders: () => Headers): Response | undefined {
  const results = direct.get(response);
  if (!results) return undefined;
  direct.delete(response);
  const iterator = results[Symbol.asyncIterator]();
  if (outgoing.destroyed) {
    // The client left while the subscription was being set up: there is no one to write to.
    void iterator.return?.()?.catch(() => {});
    return alreadySent();
  }
  const head: Record<string, string> = {};
  httpHeaders().forEach((value, key) => (head[key] = value));
  response.headers.forEach((value, key) => (head[key] = value));
  outgoing.writeHead(200, head);
  outgoing.write(PING);
  const ping = setInterval(() => {
    // A client that has not taken what it was sent needs no ping to keep the connection alive.
    if (!outgoing.writableLength) outgoing.write(PING);
  }, PING_MS);
  const closed = () => {
    clearInterval(ping);
    void iterator.return?.()?.catch(() => {});
  };
  outgoing.once('close', closed);
  void (async () => {
    try {
      for (;;) {
        const { value, done } = await iterator.next();
        if (outgoing.destroyed) return;
        if (done) {
          outgoing.off('close', closed);
          clearInterval(ping);
          if (value != null) outgoing.write(messageOf(value));
          outgoing.end(COMPLETE);
          return;
        }
        if (value != null && !outgoing.write(messageOf(value))) await drained(outgoing);
      }
    } catch (error) {
      clearInterval(ping);
      outgoing.destroy(error as Error);
    }
  })();
  return alreadySent();
}

/** What @hono/node-server is handed for a response written here. */
const alreadySent = () => new Response(null, { headers: { [ALREADY_SENT]: 'true' } });

/** Resolves once `outgoing` has drained, or closed. */
function drained(outgoing: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      outgoing.off('drain', done);
      outgoing.off('close', done);
      resolve();
    };
    outgoing.once('drain', done);
    outgoing.once('close', done);
  });
}

/**
 * A result with errors, as yoga writes it (its serializer is not exported): the `http` and
 * `unexpected` extensions stay on the server.
 */
function errorMessage(result: Result): Uint8Array {
  const errors = result.errors?.map((error) => {
    const json = (error as { toJSON?: () => Record<string, unknown> }).toJSON?.() ?? { message: String((error as Error).message) };
    const { http: _http, unexpected: _unexpected, ...extensions } = (json.extensions ?? {}) as Record<string, unknown>;
    return { ...json, extensions: Object.keys(extensions).length ? extensions : undefined };
  });
  const { http: _http, ...extensions } = result.extensions ?? {};
  const json = JSON.stringify({ ...result, errors, extensions: Object.keys(extensions).length ? extensions : undefined });
  return encoder.encode(`event: next\ndata: ${json}\n\n`);
}

/**
 * The yoga plugin: subscriptions' results streamed by `eventStreamResponse`, or, when the server
 * context carries the Node response (`outgoing`), left for the HTTP layer to write with
 * `sendEventStream`.
 */
export function useEventStream(): Plugin<Record<string, never>, { outgoing?: ServerResponse }> {
  return {
    onResultProcess({ request, result, setResultProcessor, serverContext }) {
      if (!isAsyncIterable(result) || !acceptsEventStream(request.headers.get('accept'))) return;
      const respond = serverContext.outgoing ? directResponse : eventStreamResponse;
      setResultProcessor((results, fetchAPI) => respond(results as AsyncIterable<Result>, fetchAPI as FetchAPI), 'text/event-stream');
    },
  };
}
