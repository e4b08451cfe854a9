/**
 * The SDK's reader against a real stack: anvil with the contracts, Ponder (PGlite) serving the API.
 * Jobs are posted with the SDK's writer and read back with the SDK's documents; subscriptions are
 * followed over SSE; every failure comes back as a LoomApiError with its code.
 */
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parseEther, type Hex } from 'viem';
import { waitForSubscriptions } from '../api/test/ponderApi';
import { freePort } from '../indexer/run/freePort';
import { keyOf } from '../testkit/accounts';
import { type Indexer, startIndexer } from '../testkit/indexer';
import { root } from '../testkit/root';
import { type Stack, startStack } from '../testkit/stack';
import { tempDir } from '../testkit/tempDir';
import {
  BalancesQuery,
  BidsQuery,
  JobEventsQuery,
  JobEventsSubscription,
  JobQuery,
  JobsQuery,
  JobUpdatedSubscription,
  MarketQuery,
  MatchWorkersQuery,
  StateDigestQuery,
  StatsQuery,
  WorkerQuery,
  WorkersQuery,
  type JobEventDelivery,
} from './documents';
import { jobIdOf, toContractTerms } from './jobTerms';
import { createLoomReader, LoomApiError, type LoomReader } from './reads';
import type { MarketWriter, PostedJob } from './writes';

let workDir: string;
const spec = { version: 1, image: 'loom/sdk-test', command: ['echo', 'hi'] };

let m: Stack;
let ponder: Indexer;
let reader: LoomReader;
let client: MarketWriter;
let worker: MarketWriter;
let posted: PostedJob;
const servers: Server[] = [];

/** Resolves once the API has indexed the chain's head. */
const indexed = async () => ponder.waitForBlock(await m.publicClient.getBlockNumber({ cacheTime: 0 }));

beforeAll(async () => {
  m = await startStack({ name: 'sdk-reads-test', jobDefaults: { budget: parseEther('0.1'), collateral: parseEther('0.01'), executionTimeout: 3600, challengeWindow: 600, minGpuCount: 1, minVramMiB: 16_384 } });
  workDir = tempDir('sdk-reads-test');
  client = m.writer(1);
  worker = m.writer(4);
  await worker.register(m.claim(), parseEther('1'));
  posted = await client.postJob({ terms: await m.jobParams(), spec });
  ponder = await startIndexer(m, { schema: 'sdk_reads_test' });
  await indexed();
  reader = createLoomReader({ url: ponder.url });
}, 240_000);

afterAll(async () => {
  for (const s of servers) s.close();
  await m?.stop();
});

describe('queries', () => {
  test('default: a job posted with the writer reads back with JobQuery, and its terms hash to its id', async () => {
    const { job } = await reader.query(JobQuery, { id: posted.jobId });
    expect(job).toMatchObject({ id: posted.jobId, status: 'OPEN', closeReason: null, worker: null, specJson: spec, asOfBlock: null });
    expect(job!.terms.client).toBe(m.address(1).toLowerCase());
    const terms = toContractTerms(job!.terms);
    // Addresses come back lowercase; everything else field for field.
    const lower = (t: typeof terms) => ({ ...t, client: t.client.toLowerCase(), token: t.token.toLowerCase(), arbiter: t.arbiter.toLowerCase() });
    expect(lower(terms)).toEqual(lower(posted.terms));
    expect(jobIdOf(terms)).toBe(posted.jobId);
    expect(reader.url).toBe(`${ponder.url}/graphql`);
  });

  test('behavior: the job as it was at a past block (atBlock), and the terms from the API drive the next transaction', async () => {
    const { job } = await reader.query(JobQuery, { id: posted.jobId });
    await worker.claimJob(job!.terms);
    await indexed();
    const now = (await reader.query(JobQuery, { id: posted.jobId })).job!;
    expect(now).toMatchObject({ status: 'ASSIGNED', worker: m.address(4).toLowerCase() });
    const then = (await reader.query(JobQuery, { id: posted.jobId, atBlock: job!.postedBlock })).job!;
    expect(then).toMatchObject({ status: 'OPEN', worker: null, asOfBlock: job!.postedBlock });
  });

  test('behavior: JobsQuery pages with a cursor through every job of a filter', async () => {
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push((await client.postJob({ terms: await m.jobParams({ mode: 1 }), spec })).jobId);
    await indexed();
    const filter = { client: m.address(1), mode: 'AUCTION' as const };
    const first = await reader.query(JobsQuery, { filter, orderBy: 'POSTED_AT_ASC', first: 2, withCount: true });
    expect(first.jobs.totalCount).toBe(3);
    expect(first.jobs.pageInfo.hasNextPage).toBe(true);
    const rest = await reader.query(JobsQuery, { filter, orderBy: 'POSTED_AT_ASC', first: 2, after: first.jobs.pageInfo.endCursor });
    expect(rest.jobs.totalCount).toBeUndefined();
    expect(rest.jobs.pageInfo.hasNextPage).toBe(false);
    expect([...first.jobs.edges, ...rest.jobs.edges].map((e) => e.node.id)).toEqual(ids);
  });

  test('default: the worker, bid, balance, market, stats, matching and digest documents answer from the indexed chain', async () => {
    const auction = await client.postJob({ terms: await m.jobParams({ mode: 1 }), spec });
    await worker.placeBid(auction.terms, parseEther('0.07'));
    await indexed();

    const { worker: w } = await reader.query(WorkerQuery, { address: m.address(4) });
    expect(w).toMatchObject({ registered: true, stake: parseEther('1').toString(), gpuModelName: 'NVIDIA H100 80GB HBM3', claim: { gpuCount: 2, vramMiB: 81_920 } });
    const { workers } = await reader.query(WorkersQuery, { filter: { registered: true } });
    expect(workers.edges.map((e) => e.node.address)).toContain(m.address(4).toLowerCase());

    const { bids } = await reader.query(BidsQuery, { worker: m.address(4), status: 'ACTIVE', withJob: true });
    expect(bids.edges).toHaveLength(1);
    expect(bids.edges[0]!.node).toMatchObject({ jobId: auction.jobId, price: parseEther('0.07').toString(), job: { id: auction.jobId, status: 'OPEN' } });
    const withoutJob = await reader.query(BidsQuery, { jobId: auction.jobId });
    expect(withoutJob.bids.edges[0]!.node.job).toBeUndefined();

    const { matchWorkers } = await reader.query(MatchWorkersQuery, { jobId: auction.jobId });
    expect(matchWorkers.map((x) => x.worker.address)).toEqual([m.address(4).toLowerCase()]);

    const { balances } = await reader.query(BalancesQuery, { account: m.address(4) });
    expect(balances).toEqual([]);
    const { market } = await reader.query(MarketQuery);
    expect(market?.allowedTokens).toContain(m.usdc.toLowerCase());
    const { stats } = await reader.query(StatsQuery, {});
    expect(stats.reduce((n, d) => n + d.jobsPosted, 0)).toBe(5);
    const { stateDigest } = await reader.query(StateDigestQuery, {});
    expect(stateDigest).toMatchObject({ scope: 'FULL', digest: expect.stringMatching(/^0x[0-9a-f]{64}$/) });
  });
});

describe('subscriptions', () => {
  test('default: jobEvents resumes after a cursor and delivers what follows, each event with its job', async () => {
    const { jobEvents } = await reader.query(JobEventsQuery, { order: 'DESC', first: 1 });
    const cursor = jobEvents.edges[0]!.cursor;
    const stream = reader.subscribe(JobEventsSubscription, { after: cursor, withJob: true, filter: { names: ['JobPosted'] } });
    try {
      const next = await client.postJob({ terms: await m.jobParams(), spec });
      for await (const { jobEvents: d } of stream) {
        expect(d.retracted).toBe(false);
        expect(d.event).toMatchObject({ name: 'JobPosted', jobId: next.jobId, txHash: next.hash, job: { id: next.jobId, status: 'OPEN' } });
        break;
      }
    } finally {
      stream.close();
    }
  });

  test('behavior: jobUpdated sends a job’s new state when a transaction changes it', async () => {
    const job = await client.postJob({ terms: await m.jobParams(), spec });
    await indexed();
    const stream = reader.subscribe(JobUpdatedSubscription, { ids: [job.jobId] });
    const iterator = stream[Symbol.asyncIterator]();
    try {
      // A subscriber that joins while the API's feed is still taking in the posting block (its
      // tables have it already) is sent the job's OPEN state first; the cancel's state follows.
      const update = (async () => {
        for (;;) {
          const next = await iterator.next();
          if (next.done || next.value.jobUpdated.job?.status !== 'OPEN') return next;
        }
      })();
      // jobUpdated is not resumable: the cancel must come after the server holds the stream.
      await waitForSubscriptions(ponder, 1);
      await client.cancelJob(job.terms);
      const { value } = await update;
      expect(value!.jobUpdated).toMatchObject({ jobId: job.jobId, retracted: false, job: { status: 'CLOSED', closeReason: 'CANCELLED' } });
    } finally {
      stream.close();
    }
    // Closed: the iterator ends instead of waiting forever.
    expect(await iterator.next()).toEqual({ done: true, value: undefined });
  });
  test('behavior: listen pushes each delivery to its callback, says when the stream opened, and close ends it', async () => {
    const { jobEvents } = await reader.query(JobEventsQuery, { order: 'DESC', first: 1 });
    let opened = false;
    let close = () => {};
    const delivered = new Promise<JobEventDelivery>((resolve, reject) => {
      close = reader.listen(JobEventsSubscription, { after: jobEvents.edges[0]!.cursor, filter: { names: ['JobPosted'] } }, {
        next: ({ jobEvents: d }) => resolve(d),
        error: reject,
        open: () => (opened = true),
      });
    });
    try {
      const next = await client.postJob({ terms: await m.jobParams(), spec });
      expect(await delivered).toMatchObject({ retracted: false, event: { name: 'JobPosted', jobId: next.jobId, txHash: next.hash } });
      expect(opened).toBe(true);
    } finally {
      close();
    }
  });
});

describe('errors', () => {
  const codeOf = (p: Promise<unknown>) =>
    p.then(
      () => 'resolved',
      (e: unknown) => (e instanceof LoomApiError ? e.code : `not a LoomApiError: ${String(e)}`),
    );

  test('error: the API’s own codes (a bad cursor, a page too large, a bad address)', async () => {
    expect(await codeOf(reader.query(JobsQuery, { after: 'not-a-cursor' }))).toBe('INVALID_CURSOR');
    expect(await codeOf(reader.query(JobsQuery, { first: 101 }))).toBe('PAGE_TOO_LARGE');
    expect(await codeOf(reader.query(WorkerQuery, { address: '0x1234' as Hex }))).toBe('BAD_USER_INPUT');
    const err = (await reader.query(JobsQuery, { after: 'not-a-cursor' }).catch((e: unknown) => e)) as LoomApiError;
    expect(err).toMatchObject({ name: 'LoomApiError', operationName: 'Jobs' });
    expect(err.message).toMatch(/^INVALID_CURSOR: Jobs: /);
  });

  test('error: a subscription the API refuses fails its iterator with the code', async () => {
    const stream = reader.subscribe(JobEventsSubscription, { after: 'not-a-cursor' });
    expect(await codeOf(stream[Symbol.asyncIterator]().next())).toBe('INVALID_CURSOR');
    stream.close();
  });

  test('error: listen reports the API’s code, or UNREACHABLE, through its error callback', async () => {
    const errorOf = (r: LoomReader, after: string | null) =>
      new Promise<string>((resolve) => {
        r.listen(JobEventsSubscription, { after }, { next: () => resolve('delivered'), error: (e) => resolve(e instanceof LoomApiError ? e.code : `not a LoomApiError: ${String(e)}`) });
      });
    expect(await errorOf(reader, 'not-a-cursor')).toBe('INVALID_CURSOR');
    expect(await errorOf(createLoomReader({ url: `http://127.0.0.1:${await freePort()}` }), null)).toBe('UNREACHABLE');
  });

  test('error: nobody listening is UNREACHABLE, for queries and subscriptions alike', async () => {
    const nowhere = createLoomReader({ url: `http://127.0.0.1:${await freePort()}` });
    expect(await codeOf(nowhere.query(MarketQuery))).toBe('UNREACHABLE');
    expect(await codeOf(nowhere.subscribe(JobEventsSubscription, {})[Symbol.asyncIterator]().next())).toBe('UNREACHABLE');
  });

  test('error: a server that does not answer in time is UNREACHABLE; one that answers without GraphQL is HTTP_<status>', async () => {
    const silent = createServer(() => {});
    const notGraphql = createServer((_req, res) => res.writeHead(502, { 'content-type': 'text/html' }).end('<h1>Bad gateway</h1>'));
    servers.push(silent, notGraphql);
    const listen = (s: Server) => new Promise<number>((r) => s.listen(0, '127.0.0.1', () => r((s.address() as { port: number }).port)));
    const [a, b] = await Promise.all([listen(silent), listen(notGraphql)]);
    expect(await codeOf(createLoomReader({ url: `http://127.0.0.1:${a}`, timeoutMs: 200 }).query(MarketQuery))).toBe('UNREACHABLE');
    expect(await codeOf(createLoomReader({ url: `http://127.0.0.1:${b}` }).query(MarketQuery))).toBe('HTTP_502');
    expect(await codeOf(createLoomReader({ url: `http://127.0.0.1:${b}` }).subscribe(JobEventsSubscription, {})[Symbol.asyncIterator]().next())).toBe('HTTP_502');
  });

  test('behavior: the caller’s own abort is passed through as it is, not blamed on the API', async () => {
    const controller = new AbortController();
    controller.abort(new Error('the caller gave up'));
    await expect(reader.query(MarketQuery, {}, { signal: controller.signal })).rejects.toThrow('the caller gave up');
  });
});

describe('README', () => {
  // The integrator's example in README.md ("Typed SDK") must work as written: it is run here, as a
  // script of its own, against this stack.
  test('default: the README’s integrator example runs as written', async () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Typed SDK'));
    const code = /```ts\n([\s\S]*?)```/.exec(section.slice(0, section.indexOf('\n## ', 1)))?.[1];
    expect(code, 'a ```ts block in the Typed SDK section').toBeDefined();
    expect(code).toContain("from './sdk';");
    mkdirSync(workDir, { recursive: true });
    // Run from .cache/ (under the root, so node_modules resolve), the SDK imported as from the root.
    const file = join(root, '.cache', `sdk-readme-example-${Date.now().toString(36)}.ts`);
    writeFileSync(file, code!.replace("from './sdk';", "from '../sdk/index.ts';"));
    try {
      const key = keyOf(2);
      const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', file], {
        cwd: root,
        env: { ...process.env, LOOM_API_URL: ponder.url, LOOM_RPC_URL: m.anvil.rpcUrl, LOOM_MARKET_ADDRESS: m.market, LOOM_CLIENT_KEY: key },
        timeout: 60_000,
      });
      const jobId = /^posted (0x[0-9a-f]{64}) OPEN$/m.exec(stdout)?.[1] as Hex | undefined;
      expect(jobId, stdout).toBeDefined();
      expect(stdout).toMatch(/^UnexpectedStatus$/m);
      await indexed();
      const { job } = await reader.query(JobQuery, { id: jobId! });
      expect(job).toMatchObject({ status: 'CLOSED', closeReason: 'CANCELLED', terms: { client: m.address(2).toLowerCase() } });
    } finally {
      rmSync(file, { force: true });
    }
  });
});
