/**
 * The API as deployed: served by a real Ponder (indexer/src/api/index.ts) indexing a real anvil on
 * which the indexer's scenario (every path of the market) ran. Checks the wiring (schema, errors and
 * limits inside Ponder's build), that job terms round-trip to the contract (their ABI encoding hashes
 * to the job id), time travel against the chain's history, and that two independent replays (live on
 * PGlite, backfilled on PostgreSQL) publish the same state digest.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { encodeAbiParameters, keccak256, type AbiParameter } from 'viem';
import { beforeAll, describe, expect, test } from 'vitest';
import { loomMarketAbi, loomReplicatedMarketAbi } from '../abis/generated';
import { MODE, type JobMode } from '../sdk/enums';
import { type ArtifactPurpose, signArtifactUpload } from '../sdk/artifactUpload';
import { accountOf } from '../testkit/accounts';
import { runScenario, type Scenario } from '../indexer/test/scenario';
import { startChain, type Chain } from '../testkit/chain';
import { postgresServer } from '../testkit/database';
import { graphqlRequest as query, startIndexer, type Indexer } from '../testkit/indexer';
import { buildClientSchema, buildSchema, getIntrospectionQuery, lexicographicSortSchema, printSchema } from './graphql/graphqlJs';

let chain: Chain;
let live: Indexer | undefined;
let scenario: Scenario;
let liveDigest: unknown;
/** The chain's head once the scenario is done (it may be past `scenario.head`). */
let head: bigint;

const DIGEST = '{ stateDigest { digest scope atBlock tables { name rows sha256 } } }';

beforeAll(async () => {
  chain = await startChain({ name: 'api-test' });
  live = await startIndexer(chain, { schema: 'api_test', artifactDir: true });
  scenario = await runScenario(chain);
  head = await chain.pub.getBlockNumber();
  await live.waitForBlock(head);
  liveDigest = (await query(live, DIGEST)).data?.stateDigest;
}, 300_000);

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

  test('behavior: the artifact store is served by the API process: signed uploads (for this chain and market) stored, unsigned refused', async () => {
    const url = (hash: string) => `${live!.url}/artifacts/${hash}`;
    const bytes = new TextEncoder().encode(`result bundle ${Date.now()}`);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const sign = (i: number, purpose: ArtifactPurpose, chainId = chain.deployment.chainId) =>
      signArtifactUpload({ signer: accountOf(i), chainId, market: chain.market, sha256, size: bytes.length, purpose });
    const put = (headers: Record<string, string>, path = url(`0x${sha256}`)) => fetch(path, { method: 'PUT', body: bytes, headers });

    expect((await put({})).status).toBe(401);
    expect((await put({}, `${live!.url}/artifacts`)).status).toBe(401);
    // The store's identity is the indexer's chain and market: a signature for another chain is refused.
    expect((await put(await sign(4, 'result', 1))).status).toBe(401);
    // Results: registered workers only, read from the indexed tables (worker c deregistered).
    expect((await put(await sign(6, 'result'))).status).toBe(403);
    const stored = await put(await sign(4, 'result'));
    expect(stored.status).toBe(201);
    expect((await stored.json()).hash).toBe(`0x${sha256}`);

    const get = await fetch(url(`0x${sha256}`), { headers: { origin: 'http://127.0.0.1:3000' } });
    expect(get.status).toBe(200);
    expect(get.headers.get('access-control-allow-origin')).toBe('*');
    expect(new Uint8Array(await get.arrayBuffer())).toEqual(bytes);
    const wrong = await fetch(url(`0x${'00'.repeat(32)}`), { method: 'PUT', body: bytes, headers: await sign(1, 'input') });
    expect(wrong.status).toBe(401);
    // A browser may upload from another origin: the preflight allows PUT with the upload headers.
    const preflight = await fetch(url(`0x${sha256}`), {
      method: 'OPTIONS',
      headers: { origin: 'http://127.0.0.1:3000', 'access-control-request-method': 'PUT', 'access-control-request-headers': 'content-type,x-loom-upload-signature' },
    });
    expect(preflight.headers.get('access-control-allow-methods')).toContain('PUT');
    expect(preflight.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('x-loom-upload-signature');
  });

  test('default: job terms round-trip to the contract: their ABI encoding hashes to the job id', async () => {
    const posted = loomMarketAbi.find((i) => i.type === 'event' && i.name === 'JobPosted') as { inputs: readonly AbiParameter[] };
    const termsParam = posted.inputs.find((p) => p.name === 'terms')!;
    const fields = 'client token arbiter budget collateral feeBps mode offeredTo openUntil executionTimeout challengeWindow minGpuCount minVramMiB gpuModel specHash salt';
    for (const [name, job] of Object.entries(scenario.jobs)) {
      const { data } = await query(live!, `{ job(id: "${job.id}") { id terms { ${fields} } } }`);
      const t = data.job.terms;
      const terms = {
        ...t,
        budget: BigInt(t.budget),
        collateral: BigInt(t.collateral),
        mode: MODE[t.mode as JobMode],
        openUntil: Number(t.openUntil),
        salt: BigInt(t.salt),
      };
      expect(keccak256(encodeAbiParameters([termsParam], [terms])), name).toBe(job.id);
      expect(terms.client, name).toBe(job.terms.client.toLowerCase());
    }
  });

  test("default: replicated terms round-trip to LoomReplicatedMarket: their ABI encoding hashes to the job id", async () => {
    const posted = loomReplicatedMarketAbi.find((i) => i.type === 'event' && i.name === 'ReplicatedJobPosted') as { inputs: readonly AbiParameter[] };
    const termsParam = posted.inputs.find((p) => p.name === 'terms')!;
    const fields = 'client token price collateral feeBps replicas quorum openUntil commitWindow revealWindow minGpuCount minVramMiB gpuModel specHash salt';
    for (const [name, job] of Object.entries(scenario.replicatedJobs)) {
      const { data } = await query(live!, `{ job(id: "${job.id}") { kind replicatedTerms { ${fields} } } }`);
      expect(data.job.kind, name).toBe('REPLICATED');
      const t = data.job.replicatedTerms;
      const terms = { ...t, price: BigInt(t.price), collateral: BigInt(t.collateral), openUntil: Number(t.openUntil), salt: BigInt(t.salt) };
      expect(keccak256(encodeAbiParameters([termsParam], [terms])), name).toBe(job.id);
    }
  });

  test('behavior: time travel follows a replicated job through its reveals to its settlement', async () => {
    const r1 = scenario.replicatedJobs.r1.id;
    const q = `query($b: BigInt) { job(id: "${r1}", atBlock: $b) { status reveals outcome resultURI slots { state verdict } } }`;
    const revealed = (await query(live!, q, { b: scenario.r1RevealedBlock.toString() })).data.job;
    expect(revealed).toEqual({ status: 'SUBMITTED', reveals: 3, outcome: null, resultURI: null, slots: [0, 1, 2].map(() => ({ state: 'REVEALED', verdict: null })) });
    const now = (await query(live!, q, {})).data.job;
    expect(now).toMatchObject({ status: 'CLOSED', outcome: 'QUORUM_REACHED', resultURI: 'ipfs://r1-c' });
    expect(now.slots.map((s: { verdict: string }) => s.verdict)).toEqual(['AGREED', 'DISAGREED', 'AGREED']);
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
    const backfill = await startIndexer(chain, { schema: 'api_test', postgres: postgresServer });
    await backfill.waitForBlock(head);
    const replayed = (await query(backfill, DIGEST)).data?.stateDigest;
    expect(replayed).toEqual(liveDigest);
  }, 240_000);
});
