/**
 * The presence routes of the API itself (the main thread). Heartbeats are not taken here: they go to
 * the presence listener, a worker thread on its own port (presenceListener.ts), so that they never
 * queue with GraphQL requests.
 *
 * - GET /presence: `{ "heartbeatUrl" }`, where to POST heartbeats (the SDK asks once per worker):
 *   LOOM_PRESENCE_URL when set (a proxy in front), else this request's host at the listener's port.
 * - POST /presence/heartbeat: 308 to that URL, for a client that posts to the API itself (it works,
 *   but each heartbeat then costs the main thread a request).
 * Both answer 503 UNAVAILABLE while the listener is not listening.
 */
import { Hono, type Context } from 'hono';
import { HEARTBEAT_PATH } from './presenceListener';

export type PresenceRoutesOptions = {
  /** The listener's port (presenceThread.ts). */
  port: Promise<number>;
  /** The listener's public URL, when a proxy stands in front (LOOM_PRESENCE_URL). */
  publicUrl?: string;
};

export function presenceRoutes(o: PresenceRoutesOptions): Hono {
  const app = new Hono();
  let port: number | undefined;
  o.port.then((p) => (port = p)).catch(() => {});

  const heartbeatUrl = (c: Context): string | undefined => {
    if (o.publicUrl) return o.publicUrl;
    if (port === undefined) return undefined;
    const url = new URL(c.req.url);
    url.port = String(port);
    url.pathname = HEARTBEAT_PATH;
    url.search = '';
    return url.href;
  };
  const unavailable = (c: Context) => c.json({ error: { code: 'UNAVAILABLE', message: 'the presence listener is not listening (yet); retry' } }, 503);

  app.get('/', (c) => {
    const url = heartbeatUrl(c);
    return url ? c.json({ heartbeatUrl: url }) : unavailable(c);
  });
  app.post('/heartbeat', (c) => {
    const url = heartbeatUrl(c);
    return url ? c.redirect(url, 308) : unavailable(c);
  });
  return app;
}
