/**
 * The artifact store as its own small HTTP server (the API's artifactRoutes over
 * @hono/node-server), for worker daemons that take its URL as LOOM_ARTIFACT_URL. Registered with the reaper.
 *
 * Uploads are signed, as in production: signatures name the test chain's market, and results are
 * accepted from the workers the contract has registered (read from the chain: this server has no
 * index of its own). Anonymous uploads only with `allowAnonymous`.
 */
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { cors } from 'hono/cors';
import type { Address, PublicClient } from 'viem';
import { loomRegistryAbi } from '../abis/generated';
import { artifactRoutes } from '../api/artifacts/artifactRoutes';
import { LocalArtifactStore } from '../api/artifacts/localArtifactStore';
import { uploadHeaders } from '../api/artifacts/uploadSignature';
import { freePort } from '../indexer/run/freePort';
import { register } from './reaper';
import { tempDir } from './tempDir';

export type ArtifactServer = { url: string; store: LocalArtifactStore; stop: () => Promise<void> };

export type ArtifactServerOptions = {
  dir?: string;
  cors?: boolean;
  /** The chain whose market signatures name and whose registered workers may upload results. */
  chain?: { chainId: number; market: Address; registry: Address; publicClient: PublicClient };
  allowAnonymous?: boolean;
};

export async function startArtifactServer(opts: ArtifactServerOptions = {}): Promise<ArtifactServer> {
  const store = new LocalArtifactStore({ dir: opts.dir ?? join(tempDir('artifacts'), 'store') });
  const app = new Hono();
  // A browser downloads results and checks their sha256, and uploads inputs signed by its wallet.
  if (opts.cors) {
    app.use(
      '/artifacts/*',
      cors({ origin: '*', allowMethods: ['GET', 'HEAD', 'PUT'], allowHeaders: ['Content-Type', ...Object.values(uploadHeaders)], exposeHeaders: ['ETag', 'Content-Length', 'Retry-After'] }),
    );
  }
  const chain = opts.chain;
  const isRegisteredWorker = chain
    ? async (address: Address) => {
        const [, , , , registered] = await chain.publicClient.readContract({ address: chain.registry, abi: loomRegistryAbi, functionName: 'workers', args: [address] });
        return registered;
      }
    : undefined;
  // Workers on loopback upload every result: generous limits (the benchmark posts 5 jobs a second).
  app.route(
    '/artifacts',
    artifactRoutes(store, {
      puts: { max: 100_000, windowMs: 60_000 },
      gets: { max: 100_000, windowMs: 60_000 },
      uploads: {
        ...(chain ? { domain: { chainId: chain.chainId, market: chain.market }, isRegisteredWorker } : {}),
        allowAnonymous: opts.allowAnonymous ?? false,
        quotas: { result: { count: 100_000 }, input: { count: 100_000 } },
      },
    }),
  );
  const port = await freePort();
  const server = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' });
  const stop = register({ name: 'artifact server', stop: () => new Promise<void>((resolve) => server.close(() => resolve())) });
  return { url: `http://127.0.0.1:${port}`, store, stop };
}
