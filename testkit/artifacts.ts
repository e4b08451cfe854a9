/**
 * The artifact store as its own small HTTP server (the API's artifactRoutes over
 * @hono/node-server), for worker daemons that take its URL as LOOM_ARTIFACT_URL. Registered with the reaper.
 */
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { cors } from 'hono/cors';
import { artifactRoutes } from '../api/artifacts/artifactRoutes';
import { LocalArtifactStore } from '../api/artifacts/localArtifactStore';
import { freePort } from '../indexer/run/freePort';
import { register } from './reaper';
import { tempDir } from './tempDir';

export type ArtifactServer = { url: string; store: LocalArtifactStore; stop: () => Promise<void> };

export async function startArtifactServer(opts: { dir?: string; cors?: boolean } = {}): Promise<ArtifactServer> {
  const store = new LocalArtifactStore({ dir: opts.dir ?? join(tempDir('artifacts'), 'store') });
  const app = new Hono();
  // A browser downloads results and checks their sha256.
  if (opts.cors) app.use('/artifacts/*', cors({ origin: '*', allowMethods: ['GET', 'HEAD'], exposeHeaders: ['ETag', 'Content-Length'] }));
  // Workers on loopback upload every result: generous limits (the benchmark posts 5 jobs a second).
  app.route('/artifacts', artifactRoutes(store, { puts: { max: 100_000, windowMs: 60_000 }, gets: { max: 100_000, windowMs: 60_000 } }));
  const port = await freePort();
  const server = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' });
  const stop = register({ name: 'artifact server', stop: () => new Promise<void>((resolve) => server.close(() => resolve())) });
  return { url: `http://127.0.0.1:${port}`, store, stop };
}
