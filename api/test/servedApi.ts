/**
 * The API over real TCP on loopback (@hono/node-server, as Ponder serves it) on a fresh test
 * database whose indexer is ready at block 0: for tests of what only a real socket shows (SSE
 * written to the Node response, bodies read from Node's request, slow readers).
 */
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import pino from 'pino';
import { type ApiOptions, createApi } from '../createApi';
import { createTestDatabase, type TestDatabase } from './testDatabase';

export type ServedApi = {
  t: TestDatabase;
  api: ReturnType<typeof createApi>;
  /** http://127.0.0.1:<port> */
  url: string;
  port: number;
  /** Closes every connection and the server, then drops the database. */
  close: () => Promise<void>;
};

/** Serves `createApi` with `options` (silent logs, no artifact store unless given). */
export async function servedApi(options: Partial<Omit<ApiOptions, 'db' | 'tables'>> = {}): Promise<ServedApi> {
  const t = await createTestDatabase();
  await t.setStatus({ ready: true, block: 0n });
  const api = createApi({ db: t.db, tables: t.tables, logger: pino({ level: 'silent' }), artifacts: false, ...options });
  const server = serve({ fetch: api.fetch, hostname: '127.0.0.1', port: 0 }) as Server;
  if (!server.listening) await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  return {
    t,
    api,
    url: `http://127.0.0.1:${port}`,
    port,
    close: async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await t.drop();
    },
  };
}
