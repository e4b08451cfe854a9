/**
 * The API as deployed: served by a real Ponder (indexer/src/api/index.ts) indexing a real anvil on
 * which the indexer's scenario (every path of the market) ran. Checks the wiring (schema, errors and
 * limits inside Ponder's build), that job terms round-trip to the contract (their ABI encoding hashes
 * to the job id), time travel against the chain's history, and that two independent replays (live on
 * PGlite, backfilled on PostgreSQL) publish the same state digest.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createPublicClient, encodeAbiParameters, http, keccak256, type AbiParameter } from 'viem';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loomMarketAbi } from '../abis/generated';
import { runScenario, type Scenario } from '../indexer/test/scenario';
import { deploy } from '../scripts/deploy';
import { startAnvil, type Anvil } from '../scripts/lib/anvil';
import { freshDatabase, startPonder, type Ponder, type TestDatabase } from '../indexer/run/ponderProcess';
import { buildClientSchema, buildSchema, getIntrospectionQuery, lexicographicSortSchema, printSchema } from './graphql/graphqlJs';

const root = fileURLToPath(new URL('..', import.meta.url));
const runId = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
const workDir = join(root, '.cache', 'api-test', runId);
const deploymentFile = `.cache/deployments/api-test-${runId}.json`;
const postgresUrl = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

let anvil: Anvil | undefined;
let live: Ponder | undefined;
let backfill: Ponder | undefined;
let database: TestDatabase | undefined;
let scenario: Scenario;
let liveDigest: unknown;
/** The chain's head once the scenario is done (it may be past `scenario.head`). */
let head: bigint;

// biome-ignore lint: responses are checked field by field.
async function query(ponder: Ponder, q: string, variables?: Record<string, unknown>): Promise<{ data?: any; errors?: any[] }> {
  const res = await fetch(`${ponder.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ query: q, variables }),
  });
  return res.json();
}

const DIGEST = '{ stateDigest { digest scope atBlock tables { name rows sha256 } } }';

beforeAll(async () => {
  anvil = await startAnvil();
  const deployment = await deploy(anvil.rpcUrl, { quiet: true, file: deploymentFile });
  live = await startPonder({ rpcUrl: anvil.rpcUrl, deploymentFile, schema: 'api_test', pgliteDir: join(workDir, 'pglite'), env: { LOOM_ARTIFACT_DIR: join(workDir, 'artifacts') } });
  scenario = await runScenario(anvil.rpcUrl, deployment);
  head = await createPublicClient({ transport: http(anvil.rpcUrl) }).getBlockNumber();
  await live.waitForBlock(head);
  liveDigest = (await query(live, DIGEST)).data?.stateDigest;
}, 300_000);

afterAll(async () => {
  await live?.stop();
  await backfill?.stop();
  await database?.drop();
  await anvil?.stop();
  rmSync(workDir, { recursive: true, force: true });
  rmSync(join(root, deploymentFile), { force: true });
});

describe('api served by Ponder', () => {
  test('default: Ponder serves api/graphql/schema.graphql at /graphql', async () => {
    const res = await query(live!, getIntrospectionQuery({ descriptions: true, schemaDescription: true }));
    expect(res.errors).toBeUndefined();
    const sdl = readFileSync(new URL('./graphql/schema.graphql', import.meta.url), 'utf8');
    const print = (s: Parameters<typeof printSchema>[0]) => printSchema(lexicographicSortSchema(s));
    expect(print(buildClientSchema(res.data))).toBe(print(buildSchema(sdl)));
  });

  test('behavior: errors and limits keep their codes inside Ponder\'s build', async () => {
    const cases: [string, string][] = [
      ['{ jobs { nope } }', 'GRAPHQL_VALIDATION_FAILED'],
      ['{ jobs(', 'GRAPHQL_PARSE_FAILED'],
      ['{ worker(address: "0x12") { address } }', 'BAD_USER_INPUT'],
      ['{ jobs(first: 101) { totalCount } }', 'PAGE_TOO_LARGE'],
      ['{ jobs(after: "nope") { totalCount } }', 'INVALID_CURSOR'],
      [`{ ${Array.from({ length: 21 }, (_, i) => `a${i}: market { feeBps }`).join(' ')} }`, 'QUERY_TOO_COMPLEX'],
    ];
    for (const [q, code] of cases) {
      const res = await query(live!, q);
      expect(res.errors?.map((e) => e.extensions?.code), q).toEqual([code]);
    }
    expect((await fetch(`${live!.url}/api/ready`)).status).toBe(200);
    expect((await fetch(`${live!.url}/api/health`)).status).toBe(200);
    expect(await (await fetch(`${live!.url}/api/metrics`)).text()).toContain('loom_api_graphql_errors_total{code="PAGE_TOO_LARGE"} 1');
  });

  test('behavior: uint32 hardware fields serve their whole range (the largest RAM claim indexes and reads back)', async () => {
    const { data, errors } = await query(live!, `{ worker(address: "${scenario.actors.c}") { claim { ramMiB vramMiB } } }`);
    expect(errors).toBeUndefined();
    expect(data.worker.claim).toEqual({ ramMiB: 4_294_967_295, vramMiB: 81_920 });
  });

  test('behavior: the artifact store is served by the API process: PUT returns the sha256, GET returns the bytes', async () => {
    const bytes = new TextEncoder().encode(`result bundle ${Date.now()}`);
    const put = await fetch(`${live!.url}/artifacts`, { method: 'PUT', body: bytes });
    expect(put.status).toBe(201);
    const { hash } = (await put.json()) as { hash: string };
    expect(hash).toBe(`0x${createHash('sha256').update(bytes).digest('hex')}`);
    const get = await fetch(`${live!.url}/artifacts/${hash}`, { headers: { origin: 'http://127.0.0.1:3000' } });
    expect(get.status).toBe(200);
    expect(get.headers.get('access-control-allow-origin')).toBe('*');
    expect(new Uint8Array(await get.arrayBuffer())).toEqual(bytes);
    const wrong = await fetch(`${live!.url}/artifacts/0x${'00'.repeat(32)}`, { method: 'PUT', body: bytes });
    expect(wrong.status).toBe(400);
  });

  test('default: job terms round-trip to the contract: their ABI encoding hashes to the job id', async () => {
    const posted = loomMarketAbi.find((i) => i.type === 'event' && i.name === 'JobPosted') as { inputs: readonly AbiParameter[] };
    const termsParam = posted.inputs.find((p) => p.name === 'terms')!;
    const fields = 'client token arbiter budget collateral feeBps mode openUntil executionTimeout challengeWindow minGpuCount minVramMiB gpuModel specHash salt';
    for (const [name, job] of Object.entries(scenario.jobs)) {
      const { data } = await query(live!, `{ job(id: "${job.id}") { id terms { ${fields} } } }`);
      const t = data.job.terms;
      const terms = {
        ...t,
        budget: BigInt(t.budget),
        collateral: BigInt(t.collateral),
        mode: t.mode === 'CLAIM' ? 0 : 1,
        openUntil: Number(t.openUntil),
        salt: BigInt(t.salt),
      };
      expect(keccak256(encodeAbiParameters([termsParam], [terms])), name).toBe(job.id);
      expect(terms.client, name).toBe(job.terms.client.toLowerCase());
    }
  });

  test('behavior: time travel follows the chain history', async () => {
    const j2 = scenario.jobs.j2.id;
    const q = `query($b: BigInt) { job(id: "${j2}", atBlock: $b) { status worker asOfBlock bids { totalCount } } }`;
    const before = (await query(live!, q, { b: (scenario.j2AssignedBlock - 1n).toString() })).data.job;
    const at = (await query(live!, q, { b: scenario.j2AssignedBlock.toString() })).data.job;
    expect(before.status).toBe('OPEN');
    expect(before.worker).toBeNull();
    expect(at.status).toBe('ASSIGNED');
    expect(at.worker).toBe(scenario.actors.b.toLowerCase());
    expect(at.asOfBlock).toBe(scenario.j2AssignedBlock.toString());
    const now = (await query(live!, q, {})).data.job;
    expect(now.status).toBe('CLOSED');
  });

  test('behavior: a replay from genesis on another database publishes the same state digest', async () => {
    expect(liveDigest).toMatchObject({ scope: 'FULL', atBlock: head.toString() });
    await live!.stop();
    database = await freshDatabase(postgresUrl, 'loom_api_test');
    backfill = await startPonder({ rpcUrl: anvil!.rpcUrl, deploymentFile, schema: 'api_test', databaseUrl: database.url });
    await backfill.waitForBlock(head);
    const replayed = (await query(backfill, DIGEST)).data?.stateDigest;
    expect(replayed).toEqual(liveDigest);
  }, 240_000);
});
