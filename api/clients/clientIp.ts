/**
 * Who a request comes from, the key of the per-client limits (GraphQL requests, open streams, artifact
 * transfers): the socket's remote address under @hono/node-server (Ponder's server), or the first
 * X-Forwarded-For entry when the operator says a proxy that sets it stands in front
 * (`LOOM_API_TRUST_PROXY=1`). Without a proxy that header is whatever the client wrote, so it is
 * ignored.
 */
import type { Context } from 'hono';

export function clientIp(c: Context, trustProxy: boolean): string | undefined {
  if (trustProxy) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',')[0]?.trim();
    if (forwarded) return forwarded;
  }
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress;
}
