/**
 * `loom index digest|replay`: checks that an indexer holds what the chain says.
 *
 *   digest   The API's state digest: one sha256 over the event log and every state table
 *            (`stateDigest`, specified in api/README.md), with a digest per table.
 *   replay   Replays the chain from genesis into a new schema with a fresh Ponder (scripts/lib/ponder.ts:
 *            the genesis guard, then `ponder start`), waits until it has indexed the chain's head,
 *            prints its digest and stops it. The chain is the only source of truth, so the replay's
 *            digest must equal a running indexer's at the same block: `--compare` checks that
 *            against the API of --api-url and exits 1 when they differ.
 *
 * The replay runs on PGlite in a temporary directory (removed afterwards unless --keep), or in a new
 * schema of --database-url / DATABASE_URL (dropped afterwards unless --keep). It must run from a
 * checkout of this repository: it starts the repository's own indexer.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { StateDigestQuery } from '../../sdk/documents';
import type { ResultOf } from '../../sdk/graphql';
import { createLoomReader } from '../../sdk/reads';
import { startPonder, type Ponder } from '../../indexer/run/ponderProcess';
import { CliError } from '../cliError';
import { type ClientConfig, connectionOptions, resolveClientConfig } from '../config';
import { toJson } from '../output/format';
import { createProgress, type Progress } from '../output/progress';
import { renderFields, renderTable } from '../output/table';
import { type OptionTable, optionsHelp, parseCommandLine, showHelp } from '../parse/parseCommandLine';
import { parseDuration } from '../parse/parseDuration';

type Digest = ResultOf<typeof StateDigestQuery>['stateDigest'];

export const INDEX_USAGE = `Usage: loom index <digest|replay> [options]    (loom index <command> --help for its options)

  digest    The API's state digest (sha256 of the indexed state), per table too
  replay    Replay the chain from genesis into a new schema with a fresh indexer and print its
            digest (--compare: check it against the API's, exit 1 when they differ)`;

const digestOptions: OptionTable = {
  'at-block': { type: 'string', value: '<n>', help: 'Only the event log up to this block (scope EVENTS)' },
  ...connectionOptions,
};

const replayOptions: OptionTable = {
  schema: { type: 'string', value: '<name>', help: 'Schema to replay into (default replay_<time>)' },
  'database-url': { type: 'string', value: '<url>', env: 'DATABASE_URL', help: 'PostgreSQL to replay into (default: PGlite in a temporary directory)' },
  'start-block': { type: 'string', value: '<n>', env: 'LOOM_START_BLOCK', help: "First block to index (default: the deployment file's)" },
  compare: { type: 'boolean', help: "Compare with the API's digest at the same block; exit 1 when they differ" },
  keep: { type: 'boolean', help: 'Keep the replayed database (PGlite directory or schema) afterwards' },
  timeout: { type: 'string', value: '<duration>', help: 'Give up after this long (default 10m)' },
  ...connectionOptions,
};

const DIGEST_USAGE = `Usage: loom index digest [options]\n\nThe API's state digest.\n\nOptions:\n${optionsHelp(digestOptions)}`;
const REPLAY_USAGE = `Usage: loom index replay [options]

Replays the chain from genesis into a new schema with a fresh indexer (this repository's Ponder),
prints the replay's state digest, and stops it. Reads LOOM_RPC_URL, LOOM_DEPLOYMENT_FILE /
LOOM_MARKET_ADDRESS and LOOM_CHAIN_ID like the indexer does.

Example: compare a running indexer with a replay of the same chain
  loom index replay --compare

Options:
${optionsHelp(replayOptions)}`;

export async function runIndex(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined) throw new CliError('USAGE', 'missing the index command', { details: INDEX_USAGE });
  if (sub === '--help' || sub === '-h' || sub === 'help') return showHelp(INDEX_USAGE);
  if (sub === 'digest') return digest(rest);
  if (sub === 'replay') return replay(rest);
  throw new CliError('USAGE', `unknown index command "${sub}"`, { details: INDEX_USAGE });
}

function printDigest(d: Digest, title: string, json: boolean): void {
  if (json) return void process.stdout.write(toJson(d));
  process.stdout.write(
    renderFields([
      [title, d.digest],
      ['scope', `${d.scope} at block ${d.atBlock} (head ${d.headBlock}), version ${d.version}`],
    ]),
  );
  process.stdout.write(
    renderTable(
      d.tables,
      [
        { header: 'TABLE', value: (t) => t.name },
        { header: 'ROWS', value: (t) => String(t.rows), align: 'right' },
        { header: 'SHA256', value: (t) => t.sha256, shrink: true, minWidth: 20 },
      ],
      process.stdout.isTTY ? { maxWidth: process.stdout.columns } : {},
    ),
  );
}

async function digest(argv: string[]): Promise<number> {
  const { values, help } = parseCommandLine(argv, { options: digestOptions, usage: DIGEST_USAGE, positionals: [0, 0] });
  if (help) return showHelp(DIGEST_USAGE);
  const config = resolveClientConfig(values);
  const atBlock = values['at-block'];
  if (typeof atBlock === 'string' && !/^\d+$/.test(atBlock)) throw new CliError('BAD_INPUT', `--at-block: "${atBlock}" is not a block number`);
  const progress = createProgress();
  progress.update(`computing the state digest at ${config.apiUrl}`);
  const { stateDigest } = await createLoomReader({ url: config.apiUrl, timeoutMs: 120_000 }).query(StateDigestQuery, atBlock === undefined ? {} : { atBlock: atBlock as string });
  progress.clear();
  printDigest(stateDigest, 'digest', config.json);
  return 0;
}

async function rpc<T>(url: string, method: string): Promise<T> {
  let body: { result?: T; error?: { message: string } };
  try {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params: [] }) });
    body = (await res.json()) as typeof body;
  } catch (err) {
    throw new CliError('CONFIG', `the chain at ${url} does not answer: ${(err as Error).message}`, { cause: err });
  }
  if (body.error || body.result === undefined) throw new CliError('CONFIG', `${method} failed on ${url}: ${body.error?.message ?? 'no result'}`);
  return body.result;
}

async function replay(argv: string[]): Promise<number> {
  const { values, help } = parseCommandLine(argv, { options: replayOptions, usage: REPLAY_USAGE, positionals: [0, 0] });
  if (help) return showHelp(REPLAY_USAGE);
  const config = resolveClientConfig(values);
  const schema = typeof values.schema === 'string' ? values.schema : `replay_${Date.now().toString(36)}`;
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new CliError('BAD_INPUT', `--schema: "${schema}" must be lowercase letters, digits and _`);
  const databaseUrl = (values['database-url'] as string | undefined) ?? (process.env.DATABASE_URL || undefined);
  const startBlock = (values['start-block'] as string | undefined) ?? (process.env.LOOM_START_BLOCK || undefined);
  if (startBlock !== undefined && !/^\d+$/.test(startBlock)) throw new CliError('BAD_INPUT', `--start-block: "${startBlock}" is not a block number`);
  const timeoutMs = parseDuration(typeof values.timeout === 'string' ? values.timeout : '10m', '--timeout') * 1000;
  const progress = createProgress();

  const chainId = Number(await rpc<string>(config.rpcUrl, 'eth_chainId'));
  if (config.chainId !== undefined && config.chainId !== chainId) throw new CliError('CONFIG', `the RPC at ${config.rpcUrl} is chain ${chainId}, not ${config.chainId}`);
  const head = BigInt(await rpc<string>(config.rpcUrl, 'eth_blockNumber'));
  const workDir = databaseUrl ? undefined : mkdtempSync(join(tmpdir(), 'loom-replay-'));
  const deadline = Date.now() + timeoutMs;

  progress.update(`starting a fresh indexer (schema ${schema}${workDir ? ', PGlite' : ', PostgreSQL'})`);
  let ponder: Ponder | undefined;
  try {
    ponder = await startPonder({
      rpcUrl: config.rpcUrl,
      deploymentFile: config.deploymentFile ?? resolve(`deployments/${chainId}.json`),
      schema,
      waitReady: false,
      ...(databaseUrl ? { databaseUrl } : { pgliteDir: join(workDir!, 'pglite') }),
      env: {
        LOOM_CHAIN_ID: String(chainId),
        ...(config.market ? { LOOM_MARKET_ADDRESS: config.market } : {}),
        ...(startBlock !== undefined ? { LOOM_START_BLOCK: startBlock } : {}),
        // The replay's API must not serve (or create) the operator's artifact store.
        LOOM_ARTIFACT_DIR: join(workDir ?? tmpdir(), 'artifacts'),
      },
    });
    const replayed = await waitReplayed(ponder, head, deadline, progress);
    const reader = createLoomReader({ url: ponder.url, timeoutMs: 120_000 });
    let mine = (await reader.query(StateDigestQuery, {})).stateDigest;

    let live: Digest | undefined;
    if (values.compare) {
      const liveReader = createLoomReader({ url: config.apiUrl, timeoutMs: 120_000 });
      // Both follow the chain: compare once they stand at the same block.
      for (;;) {
        live = (await liveReader.query(StateDigestQuery, {})).stateDigest;
        if (live.atBlock === mine.atBlock) break;
        if (Date.now() > deadline) throw new CliError('REPLAY_FAILED', `the replay (block ${mine.atBlock}) and the API (block ${live.atBlock}) did not reach the same block in time`);
        progress.update(`waiting for the replay (block ${mine.atBlock}) and the API (block ${live.atBlock}) to reach the same block`);
        if (BigInt(live.atBlock) > BigInt(mine.atBlock)) await waitReplayed(ponder, BigInt(live.atBlock), deadline, progress);
        else await new Promise((r) => setTimeout(r, 500));
        mine = (await reader.query(StateDigestQuery, {})).stateDigest;
      }
    }
    progress.done(`replayed ${replayed} blocks into schema ${schema}`);
    report(config, schema, mine, live);
    return live && live.digest !== mine.digest ? 1 : 0;
  } catch (err) {
    progress.fail('the replay failed');
    if (err instanceof CliError) throw err;
    throw new CliError('REPLAY_FAILED', (err as Error).message.split('\n')[0]!, { cause: err, details: ponder ? ponder.logs().slice(-3000) : undefined });
  } finally {
    await ponder?.stop();
    if (!values.keep) {
      if (workDir) rmSync(workDir, { recursive: true, force: true });
      if (databaseUrl) await dropSchema(databaseUrl, schema).catch(() => {});
    } else if (!config.json) {
      process.stderr.write(`loom: kept the replay in ${workDir ? join(workDir, 'pglite') : `schema ${schema}`}\n`);
    }
  }
}

/** Waits until the replay has indexed `head` and serves; returns the number of blocks it indexed. */
async function waitReplayed(ponder: Ponder, head: bigint, deadline: number, progress: Progress): Promise<number> {
  for (;;) {
    if (ponder.process.exitCode !== null) throw new CliError('REPLAY_FAILED', `the indexer exited with ${ponder.process.exitCode}`, { details: ponder.logs().slice(-3000) });
    let block: bigint | undefined;
    try {
      const chains = Object.values(await ponder.status());
      if (chains.length) block = BigInt(chains[0]!.block.number);
    } catch {}
    const ready = block !== undefined && block >= head && (await fetch(`${ponder.url}/ready`).then((r) => r.ok, () => false));
    if (ready) return Number(block);
    if (Date.now() > deadline) throw new CliError('REPLAY_FAILED', `the replay did not reach block ${head} in time (at ${block ?? 'none'})`, { details: ponder.logs().slice(-3000) });
    progress.update(block === undefined ? 'the indexer is starting' : `replaying: block ${block} of ${head}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

function report(config: ClientConfig, schema: string, mine: Digest, live: Digest | undefined): void {
  if (config.json) {
    process.stdout.write(toJson({ schema, replay: mine, ...(live ? { api: live, match: live.digest === mine.digest } : {}) }));
    return;
  }
  printDigest(mine, 'replay digest', false);
  if (!live) return;
  if (live.digest === mine.digest) {
    process.stdout.write(`\nthe API at ${config.apiUrl} has the same digest at block ${live.atBlock}: match\n`);
    return;
  }
  const differing = mine.tables.filter((t) => live.tables.find((l) => l.name === t.name)?.sha256 !== t.sha256).map((t) => t.name);
  process.stdout.write(`\nthe API at ${config.apiUrl} differs at block ${live.atBlock}: ${live.digest}\ntables that differ: ${differing.join(', ') || '(the table lists differ)'}\n`);
}

async function dropSchema(databaseUrl: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}
