/**
 * GraphQL request bodies read straight from Node's request, on Node.
 *
 * @hono/node-server hands the app a lazy Request: until something touches its body (or signal), no
 * undici Request, body stream or abort controller exists. Hono's body limit and yoga's parsers both
 * touch the body, so every POST used to build them all, and a subscription's context keeps its
 * request for as long as the subscription lives: about 5 KB per open subscription (two Requests,
 * four web streams with their controllers and readers, an AbortController) of the 28 KB it held.
 * Here the body limit reads the bytes from Node's IncomingMessage itself, and yoga's own parser is
 * handed a view of the request whose `json()`, `text()` (and the rest) answer from those bytes:
 * yoga's rules and errors for the body stay its own, and the lazy request stays lazy.
 *
 * Elsewhere (`app.request` in tests, other runtimes) there is no IncomingMessage: Hono's body limit
 * and the request's own body are used, as before.
 */
import { IncomingMessage } from 'node:http';
import type { Plugin } from 'graphql-yoga';
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';

/** Bodies read by the limit and not yet parsed, by the Node request they came with. */
const pending = new WeakMap<IncomingMessage, Buffer>();

const utf8 = new TextDecoder();

/** Node's request, where the app runs on @hono/node-server (tests may hand a stand-in: not read). */
const incomingOf = (env: unknown) => {
  const incoming = (env as { incoming?: unknown } | undefined)?.incoming;
  return incoming instanceof IncomingMessage ? incoming : undefined;
};

/**
 * The body limit for /graphql: over `maxSize` bytes (declared or read), `onError` answers. On Node,
 * a POST's body is read here, from Node's request, and kept for `useNodeRequestBody`.
 */
export function graphqlBodyLimit(maxSize: number, onError: NonNullable<Parameters<typeof bodyLimit>[0]['onError']>): MiddlewareHandler {
  const fallback = bodyLimit({ maxSize, onError });
  return async (c, next) => {
    const incoming = incomingOf(c.env);
    if (!incoming || incoming.readableEnded) return fallback(c, next);
    // /graphql reads no other method's body (GET, OPTIONS); asking for it would build the request.
    if (c.req.method !== 'POST') return next();
    const declared = incoming.headers['transfer-encoding'] ? undefined : incoming.headers['content-length'];
    const body = declared !== undefined && Number(declared) > maxSize ? undefined : await readUpTo(incoming, maxSize);
    if (body === undefined) {
      discardRest(incoming);
      return onError(c);
    }
    pending.set(incoming, body);
    return next();
  };
}

/** Read and dropped past the limit, so that the answer reaches the client on a clean connection. */
const DISCARD_BYTES = 1024 * 1024;

/**
 * Drops what is left of a refused body (up to DISCARD_BYTES, then the connection is closed): a
 * request left unread is destroyed once its response ends (@hono/node-server), and a client still
 * sending would see the connection reset before it reads the 413.
 */
function discardRest(incoming: IncomingMessage): void {
  let dropped = 0;
  incoming.on('data', (chunk: Buffer) => {
    if ((dropped += chunk.length) > DISCARD_BYTES) incoming.destroy();
  });
  incoming.resume();
}

/** The body of `incoming`, or undefined once it passes `maxSize` bytes. */
function readUpTo(incoming: IncomingMessage, maxSize: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxSize) {
        cleanup();
        return resolve(undefined);
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(Buffer.concat(chunks, size));
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    const cleanup = () => {
      incoming.off('data', onData);
      incoming.off('end', onEnd);
      incoming.off('error', onError);
    };
    incoming.on('data', onData);
    incoming.once('end', onEnd);
    incoming.once('error', onError);
  });
}

/**
 * The yoga plugin: where the HTTP layer read the body (`incoming` in the server context), yoga's
 * chosen parser reads it from there instead of the request.
 */
export function useNodeRequestBody(): Plugin<Record<string, never>, { incoming?: IncomingMessage }> {
  return {
    onRequestParse({ request, requestParser, setRequestParser, serverContext }) {
      const incoming = serverContext.incoming;
      const body = incoming && pending.get(incoming);
      if (body === undefined || !requestParser) return;
      pending.delete(incoming!);
      // What yoga's parsers read of a request: its body (one method each) and, for multipart, the
      // content type. A plain object: a view inheriting from the request would make the request a
      // prototype, with a hidden class of its own (measured: about 1 KB more per subscription).
      // UTF-8 without a byte order mark, as Request.text() decodes.
      const text = () => utf8.decode(body);
      const view = {
        method: request.method,
        url: request.url,
        headers: request.headers,
        text: async () => text(),
        json: async () => JSON.parse(text()),
        arrayBuffer: async () => body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength),
        formData: () => new Response(new Uint8Array(body), { headers: { 'content-type': request.headers.get('content-type') ?? '' } }).formData(),
      } as unknown as Request;
      setRequestParser(() => requestParser(view));
    },
  };
}
