/**
 * Who a request comes from, the key of the per-client limits (GraphQL requests, open streams, artifact
 * transfers): the socket's remote address under @hono/node-server (Ponder's server), or the first
 * X-Forwarded-For entry when the operator says a proxy that sets it stands in front
 * (`LOOM_API_TRUST_PROXY=1`). Without a proxy that header is whatever the client wrote, so it is
 * ignored.
 */
import type { Context } from 'hono';

export function clientIp(c: Context, trustProxy: boolean): string | undefined {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return clientAddress(c.req.header('x-forwarded-for'), env?.incoming?.socket?.remoteAddress, trustProxy);
}

/** The same from a request's X-Forwarded-For header and its socket's address (a plain Node server). */
export function clientAddress(forwardedFor: string | undefined, remoteAddress: string | undefined, trustProxy: boolean): string | undefined {
  if (trustProxy) {
    const forwarded = forwardedFor?.split(',')[0]?.trim();
    if (forwarded) return forwarded;
  }
  return remoteAddress;
}
