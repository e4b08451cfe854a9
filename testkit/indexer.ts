/**
 * The indexer for tests: Ponder (indexer/run/ponderProcess.ts) on the chain, serving the API, on its own
 * PGlite directory or, with `postgres`, in a new database on that server (a schema alone is not
 * isolation enough: Ponder's block cache is shared by every schema of a database). Registered with
 * the reaper as soon as it is spawned, so a setup that times out while Ponder starts leaves nothing.
 */
import { join } from 'node:path';
import { type Ponder, startPonder } from '../indexer/run/ponderProcess';
import { createDatabase } from './database';
import { newPgliteDir } from './pgliteTemplate';
import { register, starting } from './reaper';
import { tempDir } from './tempDir';

export type IndexerOptions = {
  /** Ponder's schema (also names the run's directory). */
  schema: string;
  /** A PostgreSQL server URL: index into a new database there, dropped at teardown. Default: PGlite. */
  postgres?: string;
  /** An existing PostgreSQL database (another indexer's `databaseUrl`), with `mode: 'serve'` to serve it. */
  databaseUrl?: string;
  mode?: 'start' | 'serve';
  /** The PGlite directory, to start again on the same data (default: a new one). */
  pgliteDir?: string;
  port?: number;
  /** Run the genesis guard before starting (default true). */
  guard?: boolean;
  /** Let the API serve the artifact store (LOOM_ARTIFACT_DIR), from this directory (or a new one with `true`). */
  artifactDir?: string | true;
  env?: Record<string, string>;
  readyTimeoutMs?: number;
  /** Restart Ponder after a lost database connection (PostgreSQL; see PonderOptions.supervise). */
  supervise?: boolean;
};

export type Indexer = Ponder & {
  /** The database URL when on PostgreSQL. */
  databaseUrl?: string;
  /** This indexer's options, for a restart on the same data and port. */
  options: IndexerOptions & { pgliteDir?: string; port: number };
};

/** Starts Ponder on the chain at `chain.rpcUrl` and resolves once it is ready. */
export function startIndexer(chain: { rpcUrl: string; deploymentFile: string }, opts: IndexerOptions): Promise<Indexer> {
  return starting(async () => {
    let databaseUrl = opts.databaseUrl;
    if (opts.postgres) {
      databaseUrl = (await createDatabase(opts.postgres)).url;
    }
    const pgliteDir = databaseUrl ? undefined : (opts.pgliteDir ?? (await newPgliteDir(join(tempDir(`ponder-${opts.schema}`), 'pglite'), chain.rpcUrl)));
    const artifactDir = opts.artifactDir === true ? tempDir(`artifacts-${opts.schema}`) : opts.artifactDir;
    const ponder = await startPonder({
      rpcUrl: chain.rpcUrl,
      deploymentFile: chain.deploymentFile,
      schema: opts.schema,
      databaseUrl,
      pgliteDir,
      port: opts.port,
      mode: opts.mode,
      guard: opts.guard,
      env: { ...(artifactDir ? { LOOM_ARTIFACT_DIR: artifactDir } : {}), ...opts.env },
      waitReady: false,
      supervise: opts.supervise,
    });
    // Whichever Ponder process is current (a supervised one is restarted), stopped with its group.
    const stop = register({
      name: `ponder ${opts.schema}`,
      stop: ponder.stop,
      logs: ponder.logs,
      kill: () => {
        try {
          process.kill(-ponder.process.pid!, 'SIGKILL');
        } catch {}
      },
    });
    const indexer: Indexer = { ...ponder, stop, databaseUrl, options: { ...opts, pgliteDir, artifactDir, port: ponder.port } };
    const timeoutMs = opts.readyTimeoutMs ?? 120_000;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (ponder.process.exitCode !== null) throw new Error(`ponder exited with ${ponder.process.exitCode} before it was ready\n${ponder.logs()}`);
      try {
        if ((await fetch(`${ponder.url}/ready`)).ok) return indexer;
      } catch {}
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`ponder was not ready within ${timeoutMs} ms\n${ponder.logs().slice(-4000)}`);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  });
}

// biome-ignore lint: test responses are read field by field.
export type GraphQLBody = { data?: any; errors?: any[] };

/** POSTs a GraphQL query to the API and returns the whole response body, errors included. */
export async function graphqlRequest(api: { url: string } | string, query: string, variables: Record<string, unknown> = {}): Promise<GraphQLBody> {
  const url = typeof api === 'string' ? api : api.url;
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as GraphQLBody;
}

/** POSTs a GraphQL query to the API; throws on GraphQL errors. */
// biome-ignore lint: test responses are read field by field.
export async function gql(api: { url: string } | string, query: string, variables: Record<string, unknown> = {}): Promise<any> {
  const body = await graphqlRequest(api, query, variables);
  if (body.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(body.errors)}\n${query}`);
  return body.data;
}
