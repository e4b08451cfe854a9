/**
 * The genesis guard (indexer/run/genesisGuard.ts): a database filled from one chain is cleared before an
 * indexer starts on another, so that Ponder's block cache cannot replay the old chain's events.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { parseEther, stringToHex } from 'viem';
import { describe, expect, test } from 'vitest';
import { type BareChain, type Chain, deployChain, startBareChain } from '../../testkit/chain';
import { createDatabase } from '../../testkit/database';
import { startIndexer } from '../../testkit/indexer';
import { tempDir } from '../../testkit/tempDir';
import { chainIdentity, guardGenesis, pgliteChainRecord } from '../run/genesisGuard';
import { openPglite } from './db';

const workDir = tempDir('genesis');
const postgresUrl = process.env.DATABASE_URL;

/** A fresh chain. Anvil's genesis hash depends on its timestamp only: two chains started within the
 * same second are told apart by giving the second its own genesis time. */
function chain(genesisTime?: number): Promise<BareChain> {
  return startBareChain(genesisTime ? { args: ['--timestamp', String(genesisTime)] } : {});
}

describe('genesis guard', () => {
  test('default: a PGlite directory filled from another chain is deleted, the same chain keeps it', async () => {
    const [a, b] = [await chain(), await chain(Math.floor(Date.now() / 1000) + 3600)];
    const dir = join(workDir, 'pglite-unit');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'marker'), 'old');

    // No record: unknown provenance, cleared.
    const first = await guardGenesis({ rpcUrl: a.rpcUrl, pgliteDir: dir });
    expect(first).toMatchObject({ cleared: true, previousGenesisHash: undefined, chainId: 31337 });
    expect(existsSync(dir)).toBe(false);
    expect(JSON.parse(readFileSync(pgliteChainRecord(dir), 'utf8'))).toEqual(await chainIdentity(a.rpcUrl));

    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'marker'), 'chain a');
    expect(await guardGenesis({ rpcUrl: a.rpcUrl, pgliteDir: dir })).toMatchObject({ cleared: false });
    expect(readFileSync(join(dir, 'marker'), 'utf8')).toBe('chain a');

    const other = await guardGenesis({ rpcUrl: b.rpcUrl, pgliteDir: dir });
    expect(other).toMatchObject({ cleared: true, previousGenesisHash: first.genesisHash });
    expect(other.genesisHash).not.toBe(first.genesisHash);
    expect(existsSync(dir)).toBe(false);
  });

  test.skipIf(!postgresUrl)(
    'behavior: on PostgreSQL, ponder_sync and the old chain\'s app schemas are dropped, other schemas kept',
    async () => {
      const [a, b] = [await chain(), await chain(Math.floor(Date.now() / 1000) + 3600)];
      const db = await createDatabase(postgresUrl!, 'loom_guard');
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      const schemas = async () =>
        (await client.query(`SELECT schema_name FROM information_schema.schemata WHERE schema_name NOT LIKE 'pg_%' AND schema_name <> 'information_schema' ORDER BY 1`)).rows.map(
          (r) => r.schema_name as string,
        );
      const fill = async (...names: string[]) => {
        for (const name of names) {
          await client.query(`CREATE SCHEMA IF NOT EXISTS "${name}"`);
          if (name !== 'ponder_sync' && name !== 'mine') await client.query(`CREATE TABLE IF NOT EXISTS "${name}"._ponder_meta (key text)`);
        }
      };
      try {
        await fill('ponder_sync', 'app1', 'mine');
        // A cache and a Ponder schema of unknown origin: dropped; a schema that is not Ponder's: kept.
        expect(await guardGenesis({ rpcUrl: a.rpcUrl, databaseUrl: db.url, schema: 'app1' })).toMatchObject({ cleared: true });
        expect(await schemas()).toEqual(['loom_meta', 'mine', 'public']);

        await fill('ponder_sync', 'app1', 'app2');
        await guardGenesis({ rpcUrl: a.rpcUrl, databaseUrl: db.url, schema: 'app1' });
        expect(await guardGenesis({ rpcUrl: a.rpcUrl, databaseUrl: db.url, schema: 'app2' })).toMatchObject({ cleared: false });
        expect(await schemas()).toEqual(['app1', 'app2', 'loom_meta', 'mine', 'ponder_sync', 'public']);

        // Another chain: the cache and both app schemas built from chain a go.
        await fill('app3');
        const other = await guardGenesis({ rpcUrl: b.rpcUrl, databaseUrl: db.url, schema: 'app3' });
        expect(other).toMatchObject({ cleared: true, previousGenesisHash: (await chainIdentity(a.rpcUrl)).genesisHash });
        expect(await schemas()).toEqual(['loom_meta', 'mine', 'public']);
        const recorded = await client.query('SELECT schema_name, genesis_hash FROM loom_meta.app_schema');
        expect(recorded.rows).toEqual([{ schema_name: 'app3', genesis_hash: other.genesisHash }]);
      } finally {
        await client.end();
        await db.drop();
      }
    },
  );

  test("behavior: a restarted chain's old events never reach the indexer (and do without the guard)", async () => {
    const dir = join(workDir, 'pglite-e2e');
    // Enough blocks after the action for Ponder to count it final, hence cached in ponder_sync.
    const settle = async (c: Chain) => {
      await c.pub.mine({ blocks: 40 });
      return c.pub.getBlockNumber({ cacheTime: 0 });
    };
    const index = async (c: Chain, schema: string, guard: boolean, head: bigint) => {
      const ponder = await startIndexer(c, { schema, pgliteDir: dir, guard });
      try {
        await ponder.waitForBlock(head);
      } finally {
        await ponder.stop();
      }
      const sql = await openPglite(dir);
      try {
        return {
          jobs: (await sql.query(`SELECT id FROM "${schema}".job`)).length,
          workers: (await sql.query(`SELECT address FROM "${schema}".worker`)).length,
        };
      } finally {
        await sql.close();
      }
    };

    // Chain a: one job posted, indexed.
    const a = await deployChain(await chain(), { name: 'genesis-a' });
    await a.post({ budget: parseEther('1'), openFor: 86_400, specBytes: '0x' });
    expect(await index(a, 'chain_a', true, await settle(a))).toEqual({ jobs: 1, workers: 0 });
    await a.stop();

    // Chain b, restarted from scratch: same chain id, same addresses, a worker and no job.
    const b = await deployChain(await chain(Math.floor(Date.now() / 1000) + 7200), { name: 'genesis-b' });
    expect(b.deployment.LoomMarket.address).toBe(a.deployment.LoomMarket.address);
    const claim = { gpuModel: stringToHex('NVIDIA L4', { size: 32 }), gpuCount: 1, vramMiB: 24_576, cpuCores: 8, ramMiB: 65_536, pricePerGpuHour: 1n, metadataURI: '' };
    await b.send(4, 'register', [claim], parseEther('1'));
    const headB = await settle(b);

    // Without the guard, chain a's cached job shows up in a brand-new schema (Ponder's trap) ...
    const leaked = await index(b, 'chain_b_unguarded', false, headB);
    expect(leaked.jobs).toBe(1);
    // ... with it, the cache is gone and the index holds chain b only.
    expect(await index(b, 'chain_b', true, headB)).toEqual({ jobs: 0, workers: 1 });
  });
});
