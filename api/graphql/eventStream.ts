/**
 * Server-Sent Events for subscriptions, in yoga's framing (graphql-sse's "distinct connections"
 * mode: a `:` ping first and every 12 s, `event: next` per result, `event: complete` at the end),
 * written for many subscribers of few distinct subscriptions:
 *   - a result object shared by subscribers (api/graphql/sharedSubscriptionResults.ts) is serialized
 *     and encoded once, and its bytes are written to each of them;
 *   - each message is one chunk (one socket write), not yoga's two.
 * Results carrying errors are rare and per subscriber: they are serialized each time, without the
 * server-only error extensions, as yoga does.
 */
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import { acceptsEventStream } from './subscriptionTransport';

const PING_MS = 12_000;
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
        if (value != null) controller.enqueue(hasInternals(value) ? errorMessage(value) : nextMessage(value));
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
  return new fetchAPI.Response(body, {
    status: 200,
    headers: { 'Content-Type': 'text/event-stream', Connection: 'keep-alive', 'Cache-Control': 'no-cache', 'Content-Encoding': 'none' },
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

/** The yoga plugin: subscriptions' results streamed by `eventStreamResponse`. */
export function useEventStream(): Plugin {
  return {
    onResultProcess({ request, result, setResultProcessor }) {
      if (!isAsyncIterable(result) || !acceptsEventStream(request.headers.get('accept'))) return;
      setResultProcessor((results, fetchAPI) => eventStreamResponse(results as AsyncIterable<Result>, fetchAPI as FetchAPI), 'text/event-stream');
    },
  };
}
