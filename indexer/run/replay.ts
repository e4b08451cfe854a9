/**
 * A replay of the chain from genesis into a new schema: the chain is the only source of truth, so a
 * fresh indexer must rebuild the same state as a running one. Starts this repository's indexer
 * (ponderProcess.ts: the genesis guard, then `ponder start`) on PGlite in a temporary directory or in
 * a new schema of a given PostgreSQL database, waits until it has indexed the chain's head, reads
 * its state digest (`stateDigest`, specified in api/README.md), and stops it, removing the directory
 * or dropping the schema unless told to keep them. With `compareUrl` it also waits until the API
 * there and the replay stand at the same block, and returns both digests.
 *
 * As a process, for clients that must not import indexer code (`loom index replay` runs it):
 *
 *   tsx indexer/run/replay.ts --rpc-url <url> [--deployment-file <path>] [--chain-id <n>]
 *     [--market <0x…>] [--start-block <n>] [--database-url <url>] [--schema <name>]
 *     [--compare-url <api url>] [--keep] [--timeout-ms <ms>]
 *
 * Progress goes to stderr, one line per step; stdout gets one JSON line: the ReplayResult, or
 * `{ "error": { "code": "CONFIG" | "REPLAY_FAILED", "message", "logs" } }` with exit code 1.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createPublicClient, http } from 'viem';
import { dropSchema } from './adminQuery.ts';
import { startPonder, type Ponder } from './ponderProcess.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** The API's `stateDigest`, as GraphQL returns it (BigInts as strings). */
export type StateDigest = {
  digest: string;
  scope: string;
  atBlock: string;
  headBlock: string;
  version: number;
  tables: { name: string; rows: number; sha256: string }[];
};

export type ReplayOptions = {
  rpcUrl: string;
  /** Deployment record with the market's address and start block (default deployments/<chainId>.json). */
  deploymentFile?: string;
  /** The chain the RPC must be (checked when given). */
  chainId?: number;
  market?: string;
  startBlock?: string;
  /** PostgreSQL to replay into; without it, PGlite in a temporary directory. */
  databaseUrl?: string;
  /** Schema to replay into (default replay_<time>). */
  schema?: string;
  /** An API to compare with: the replay waits until both stand at the same block. */
  compareUrl?: string;
  /** Keep the PGlite directory or the schema afterwards. */
  keep?: boolean;
  timeoutMs?: number;
  onProgress?: (step: string) => void;
  /** Stops the replay early; it still stops its indexer and removes what it made. */
  signal?: AbortSignal;
};

export type ReplayResult = {
  schema: string;
  /** Blocks the replay indexed. */
  blocks: number;
  replay: StateDigest;
  /** With `compareUrl`: that API's digest at the replay's block, and whether the two are equal. */
  api?: StateDigest;
  match?: boolean;
  /** With `keep`: the PGlite directory or the schema kept. */
  kept?: string;
};

/** CONFIG: the chain does not answer or is not the one asked for; REPLAY_FAILED: anything else. */
export class ReplayError extends Error {
  override name = 'ReplayError';
  constructor(
    readonly code: 'CONFIG' | 'REPLAY_FAILED',
    message: string,
    /** The tail of what the replay's indexer printed. */
    readonly logs?: string,
  ) {
    super(message);
  }
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
const STATE_DIGEST_QUERY = 'query { stateDigest { digest scope atBlock headBlock version tables { name rows sha256 } } }';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * @example
 * const { replay } = await replayChain({ rpcUrl: 'http://127.0.0.1:8545' });
 * console.log(replay.digest, replay.atBlock);
 */
export async function replayChain(opts: ReplayOptions): Promise<ReplayResult> {
  const progress = opts.onProgress ?? (() => {});
  const schema = opts.schema ?? `replay_${Date.now().toString(36)}`;
  if (!SCHEMA_NAME.test(schema)) throw new ReplayError('REPLAY_FAILED', `schema "${schema}" must be lowercase letters, digits and _`);
  const deadline = Date.now() + (opts.timeoutMs ?? 600_000);

  const chain = createPublicClient({ transport: http(opts.rpcUrl, { retryCount: 0 }) });
  let chainId: number;
  let head: bigint;
  try {
    [chainId, head] = await Promise.all([chain.getChainId(), chain.getBlockNumber()]);
  } catch (err) {
    throw new ReplayError('CONFIG', `the chain at ${opts.rpcUrl} does not answer: ${(err as Error).message.split('\n')[0]}`);
  }
  if (opts.chainId !== undefined && opts.chainId !== chainId) throw new ReplayError('CONFIG', `the RPC at ${opts.rpcUrl} is chain ${chainId}, not ${opts.chainId}`);

  const workDir = opts.databaseUrl ? undefined : mkdtempSync(join(tmpdir(), 'loom-replay-'));
  progress(`starting a fresh indexer (schema ${schema}${workDir ? ', PGlite' : ', PostgreSQL'})`);
  let ponder: Ponder | undefined;
  try {
    ponder = await startPonder({
      rpcUrl: opts.rpcUrl,
      deploymentFile: opts.deploymentFile ?? join(root, 'deployments', `${chainId}.json`),
      schema,
      waitReady: false,
      ...(opts.databaseUrl ? { databaseUrl: opts.databaseUrl } : { pgliteDir: join(workDir!, 'pglite') }),
      env: {
        LOOM_CHAIN_ID: String(chainId),
        ...(opts.market ? { LOOM_MARKET_ADDRESS: opts.market } : {}),
        ...(opts.startBlock !== undefined ? { LOOM_START_BLOCK: opts.startBlock } : {}),
        // The replay's API must not serve (or create) the operator's artifact store.
        LOOM_ARTIFACT_DIR: join(workDir ?? tmpdir(), 'artifacts'),
      },
    });
    const blocks = await waitReplayed(ponder, head, deadline, progress, opts.signal);
    let mine = await stateDigest(ponder.url);
    if (!opts.compareUrl) return { schema, blocks, replay: mine, ...kept(opts, schema, workDir) };

    // Both follow the chain: compare once they stand at the same block.
    for (;;) {
      const live = await stateDigest(opts.compareUrl);
      if (live.atBlock === mine.atBlock) return { schema, blocks, replay: mine, api: live, match: live.digest === mine.digest, ...kept(opts, schema, workDir) };
      if (opts.signal?.aborted) throw new ReplayError('REPLAY_FAILED', 'the replay was stopped');
      if (Date.now() > deadline) throw new ReplayError('REPLAY_FAILED', `the replay (block ${mine.atBlock}) and the API (block ${live.atBlock}) did not reach the same block in time`);
      progress(`waiting for the replay (block ${mine.atBlock}) and the API (block ${live.atBlock}) to reach the same block`);
      if (BigInt(live.atBlock) > BigInt(mine.atBlock)) await waitReplayed(ponder, BigInt(live.atBlock), deadline, progress, opts.signal);
      else await sleep(500);
      mine = await stateDigest(ponder.url);
    }
  } catch (err) {
    if (err instanceof ReplayError) throw new ReplayError(err.code, err.message, err.logs ?? ponder?.logs().slice(-3000));
    throw new ReplayError('REPLAY_FAILED', (err as Error).message.split('\n')[0]!, ponder?.logs().slice(-3000));
  } finally {
    await ponder?.stop();
    if (!opts.keep) {
      if (workDir) rmSync(workDir, { recursive: true, force: true });
      if (opts.databaseUrl) await dropSchema(opts.databaseUrl, schema).catch(() => {});
    }
  }
}

function kept(opts: ReplayOptions, schema: string, workDir: string | undefined): { kept?: string } {
  if (!opts.keep) return {};
  return { kept: workDir ? join(workDir, 'pglite') : `schema ${schema}` };
}

/** Waits until the replay has indexed `head` and serves; returns the number of blocks it indexed. */
async function waitReplayed(ponder: Ponder, head: bigint, deadline: number, progress: (step: string) => void, signal?: AbortSignal): Promise<number> {
  for (;;) {
    if (signal?.aborted) throw new ReplayError('REPLAY_FAILED', 'the replay was stopped');
    if (ponder.process.exitCode !== null) throw new ReplayError('REPLAY_FAILED', `the indexer exited with ${ponder.process.exitCode}`);
    let block: bigint | undefined;
    try {
      const chains = Object.values(await ponder.status());
      if (chains.length) block = BigInt(chains[0]!.block.number);
    } catch {}
    const ready = block !== undefined && block >= head && (await fetch(`${ponder.url}/ready`).then((r) => r.ok, () => false));
    if (ready) return Number(block);
    if (Date.now() > deadline) throw new ReplayError('REPLAY_FAILED', `the replay did not reach block ${head} in time (at ${block ?? 'none'})`);
    progress(block === undefined ? 'the indexer is starting' : `replaying: block ${block} of ${head}`);
    await sleep(250);
  }
}

/** The API's state digest at `apiUrl` (the API's base URL or its /graphql endpoint). */
async function stateDigest(apiUrl: string): Promise<StateDigest> {
  const endpoint = apiUrl.replace(/\/+$/, '').replace(/(\/graphql)?$/, '/graphql');
  const res = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: STATE_DIGEST_QUERY }),
    signal: AbortSignal.timeout(120_000),
  });
  const body = (await res.json().catch(() => ({}))) as { data?: { stateDigest: StateDigest }; errors?: { message: string }[] };
  if (!body.data) throw new ReplayError('REPLAY_FAILED', `stateDigest failed at ${endpoint}: ${body.errors?.[0]?.message ?? `HTTP ${res.status}`}`);
  return body.data.stateDigest;
}

async function main(argv: string[], signal: AbortSignal): Promise<number> {
  try {
    const { values } = parseArgs({
      args: argv,
      options: {
        'rpc-url': { type: 'string' },
        'deployment-file': { type: 'string' },
        'chain-id': { type: 'string' },
        market: { type: 'string' },
        'start-block': { type: 'string' },
        'database-url': { type: 'string' },
        schema: { type: 'string' },
        'compare-url': { type: 'string' },
        keep: { type: 'boolean' },
        'timeout-ms': { type: 'string' },
      },
      strict: true,
    });
    const result = await replayChain({
      rpcUrl: values['rpc-url'] ?? 'http://127.0.0.1:8545',
      deploymentFile: values['deployment-file'],
      chainId: values['chain-id'] === undefined ? undefined : Number(values['chain-id']),
      market: values.market,
      startBlock: values['start-block'],
      databaseUrl: values['database-url'],
      schema: values.schema,
      compareUrl: values['compare-url'],
      keep: values.keep,
      timeoutMs: values['timeout-ms'] === undefined ? undefined : Number(values['timeout-ms']),
      onProgress: (step) => process.stderr.write(`${step}\n`),
      signal,
    });
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return 0;
  } catch (err) {
    const e = err instanceof ReplayError ? err : new ReplayError('REPLAY_FAILED', (err as Error).message);
    process.stdout.write(`${JSON.stringify({ error: { code: e.code, message: e.message, ...(e.logs ? { logs: e.logs } : {}) } })}\n`);
    return 1;
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  // Stopped by a signal (Ctrl-C reaches the CLI and this process alike), it still stops its indexer
  // (in a process group of its own, which the terminal's signal does not reach) and cleans up.
  const stop = new AbortController();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => stop.abort());
  main(process.argv.slice(2), stop.signal).then((code) => process.exit(code));
}
