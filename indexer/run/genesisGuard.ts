/**
 * The genesis guard: makes sure the indexer's database holds nothing from another chain before
 * Ponder starts on it (runIndexer.ts runs it before every `ponder start`).
 *
 * Ponder caches blocks and logs in its `ponder_sync` schema by (chain id, block number), across
 * runs and even with `disableCache`. A local chain restarted from scratch keeps chain id 31337 and
 * redeploys the contracts at the same addresses, so Ponder would index the OLD chain's cached events
 * into a fresh schema. The genesis hash tells the chains apart: it is recorded beside the database,
 * and when the chain's differs, the cache and the app schemas built from the old chain are dropped.
 *
 *   PGlite    record `<pglite dir>.chain.json` (default indexer/.ponder/pglite.chain.json);
 *             on a change the PGlite directory is deleted (it holds the cache and every schema).
 *   Postgres  record table `loom_meta.chain` (chain id -> genesis) and `loom_meta.app_schema`
 *             (schema -> the chain it was built from); on a change `ponder_sync` and the old chain's
 *             app schemas are dropped.
 *
 * Limit: anvil derives its genesis hash from the genesis timestamp alone, so two fresh anvils started
 * within the same second look like one chain (start the second with `--timestamp` to tell them apart).
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { createPublicClient, http } from 'viem';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Where Ponder keeps PGlite when ponder.config.ts is given no LOOM_PGLITE_DIR. */
export const DEFAULT_PGLITE_DIR = join(root, 'indexer', '.ponder', 'pglite');

export type ChainIdentity = { chainId: number; genesisHash: `0x${string}` };

/**
 * The chain id and the hash that identifies the chain at `rpcUrl`: its first mined block (block 1),
 * or block 0 while nothing is mined. Not block 0 itself: anvil re-creates its genesis block with a
 * new timestamp, hence a new hash, each time it reloads a persisted state (`--state`), while the
 * blocks it mined keep theirs. A fresh chain mines a different block 1 (another timestamp).
 * The field keeps the name `genesisHash`, which the deployment records and the guard's tables use.
 */
export async function chainIdentity(rpcUrl: string): Promise<ChainIdentity> {
  // viem's retries (3, backing off): one 5xx, reset or cut answer from the node must not stop the indexer's start.
  const client = createPublicClient({ transport: http(rpcUrl, { retryCount: 3 }) });
  const chainId = await client.getChainId();
  const head = await client.getBlockNumber({ cacheTime: 0 });
  const first = await client.getBlock({ blockNumber: head >= 1n ? 1n : 0n });
  return { chainId, genesisHash: first.hash };
}

export type GuardOptions = {
  rpcUrl: string;
  /** PostgreSQL; without it, PGlite in `pgliteDir`. */
  databaseUrl?: string;
  /** PGlite directory (default indexer/.ponder/pglite, as Ponder's). */
  pgliteDir?: string;
  /** The app schema about to be started (Postgres: dropped too if it holds another chain's data). */
  schema?: string;
};

export type GuardResult = ChainIdentity & {
  /** Whether data of another chain was found and removed. */
  cleared: boolean;
  /** The genesis previously recorded for this database, if any. */
  previousGenesisHash?: string;
};

/**
 * Clears Ponder's sync cache (and the app schemas of the old chain) when the chain at `rpcUrl` is
 * not the one this database was filled from, then records the current chain. Run it before
 * `ponder start`, never while an indexer runs on the same database.
 *
 * @example
 * const { cleared } = await guardGenesis({ rpcUrl, databaseUrl: process.env.DATABASE_URL, schema: 'loom' });
 */
export async function guardGenesis(opts: GuardOptions): Promise<GuardResult> {
  const chain = await chainIdentity(opts.rpcUrl);
  return opts.databaseUrl
    ? guardPostgres(opts.databaseUrl, chain, opts.schema)
    : guardPglite(resolve(opts.pgliteDir ?? DEFAULT_PGLITE_DIR), chain);
}

/** The file beside a PGlite directory that records which chain it was filled from. */
export function pgliteChainRecord(pgliteDir: string): string {
  return join(dirname(pgliteDir), `${basename(pgliteDir)}.chain.json`);
}

function guardPglite(dir: string, chain: ChainIdentity): GuardResult {
  const recordFile = pgliteChainRecord(dir);
  const recorded = existsSync(recordFile) ? (JSON.parse(readFileSync(recordFile, 'utf8')) as ChainIdentity) : undefined;
  const same = recorded?.chainId === chain.chainId && recorded.genesisHash === chain.genesisHash;
  // A directory without a record has unknown provenance: it is only a cache, so start over.
  const cleared = !same && existsSync(dir);
  if (cleared) rmSync(dir, { recursive: true, force: true });
  if (!same) {
    mkdirSync(dirname(recordFile), { recursive: true });
    writeFileSync(recordFile, `${JSON.stringify(chain, null, 2)}\n`);
  }
  return { ...chain, cleared, previousGenesisHash: recorded?.genesisHash };
}

const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

async function guardPostgres(databaseUrl: string, chain: ChainIdentity, schema?: string): Promise<GuardResult> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('BEGIN');
    // A running indexer holds locks on what would be dropped: fail fast rather than hang.
    await client.query(`SET LOCAL lock_timeout = '15s'`);
    await client.query(`SELECT pg_advisory_xact_lock(hashtext('loom_meta.chain'))`);
    await client.query('CREATE SCHEMA IF NOT EXISTS loom_meta');
    await client.query(`CREATE TABLE IF NOT EXISTS loom_meta.chain (
      chain_id bigint PRIMARY KEY, genesis_hash text NOT NULL, recorded_at timestamptz NOT NULL DEFAULT now())`);
    await client.query(`CREATE TABLE IF NOT EXISTS loom_meta.app_schema (
      schema_name text PRIMARY KEY, chain_id bigint NOT NULL, genesis_hash text NOT NULL,
      recorded_at timestamptz NOT NULL DEFAULT now())`);

    const recorded = await client.query<{ genesis_hash: string }>(
      'SELECT genesis_hash FROM loom_meta.chain WHERE chain_id = $1',
      [chain.chainId],
    );
    const previousGenesisHash = recorded.rows[0]?.genesis_hash;
    const syncExists = await schemaExists(client, 'ponder_sync');
    // No record but a cache: unknown provenance, and it is only a cache.
    const cleared = previousGenesisHash !== chain.genesisHash && (previousGenesisHash !== undefined || syncExists);
    if (cleared) {
      await client.query('DROP SCHEMA IF EXISTS ponder_sync CASCADE');
      const stale = await client.query<{ schema_name: string }>(
        'DELETE FROM loom_meta.app_schema WHERE chain_id = $1 AND genesis_hash <> $2 RETURNING schema_name',
        [chain.chainId, chain.genesisHash],
      );
      for (const { schema_name } of stale.rows) await client.query(`DROP SCHEMA IF EXISTS ${quoteIdent(schema_name)} CASCADE`);
      // The schema about to start, if Ponder filled it before any record: it came from an unknown chain.
      if (schema && !stale.rows.some((r) => r.schema_name === schema) && (await isPonderSchema(client, schema))) {
        const known = await client.query('SELECT 1 FROM loom_meta.app_schema WHERE schema_name = $1', [schema]);
        if (known.rowCount === 0) await client.query(`DROP SCHEMA IF EXISTS ${quoteIdent(schema)} CASCADE`);
      }
    }
    await client.query(
      `INSERT INTO loom_meta.chain (chain_id, genesis_hash) VALUES ($1, $2)
       ON CONFLICT (chain_id) DO UPDATE SET genesis_hash = EXCLUDED.genesis_hash, recorded_at = now()`,
      [chain.chainId, chain.genesisHash],
    );
    if (schema) {
      await client.query(
        `INSERT INTO loom_meta.app_schema (schema_name, chain_id, genesis_hash) VALUES ($1, $2, $3)
         ON CONFLICT (schema_name) DO UPDATE SET chain_id = EXCLUDED.chain_id, genesis_hash = EXCLUDED.genesis_hash, recorded_at = now()`,
        [schema, chain.chainId, chain.genesisHash],
      );
    }
    await client.query('COMMIT');
    return { ...chain, cleared, previousGenesisHash };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    await client.end();
  }
}

async function schemaExists(client: pg.Client, schema: string): Promise<boolean> {
  const res = await client.query('SELECT 1 FROM information_schema.schemata WHERE schema_name = $1', [schema]);
  return (res.rowCount ?? 0) > 0;
}

async function isPonderSchema(client: pg.Client, schema: string): Promise<boolean> {
  const res = await client.query(
    `SELECT 1 FROM information_schema.tables WHERE table_schema = $1 AND table_name = '_ponder_meta'`,
    [schema],
  );
  return (res.rowCount ?? 0) > 0;
}
