/**
 * `loom index replay`: replays the chain from genesis into a new schema with a fresh indexer, prints
 * its digest and removes it. The chain is the only source of truth, so the replay's digest must
 * equal a running indexer's at the same block: `--compare` checks that against the API of
 * --api-url and exits 1 when they differ.
 *
 * The replay belongs to the indexer (indexer/run/replay.ts); `loom` runs it as a child process from
 * this checkout and reads its one JSON result line, so the CLI imports no indexer code and runs no
 * SQL. It must run from a checkout of this repository: it starts the repository's own indexer.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CLIENT_KEY_ENV, CLIENT_KEYSTORE_PASSWORD_ENV } from '../../clientKey';
import { CliError, type CliErrorCode } from '../../cliError';
import { type ClientConfig, connectionOptions, resolveClientConfig } from '../../config';
import { toJson } from '../../output/format';
import { createProgress } from '../../output/progress';
import { type OptionTable, optionsHelp, parseCommandLine, resolveOptions, showHelp } from '../../../sdk/node/options';
import { parseDuration } from '../../parse/parseDuration';
import { type Digest, printDigest } from './digest';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const REPLAY_ENTRY = join(root, 'indexer', 'run', 'replay.ts');
/** tsx from Loom's own node_modules (as cli/loom.mjs registers it), so `loom` works from any directory. */
const TSX_LOADER = pathToFileURL(createRequire(join(root, 'package.json')).resolve('tsx')).href;

const replayOptions = {
  schema: { type: 'string', value: '<name>', help: 'Schema to replay into (default replay_<time>)' },
  'database-url': { type: 'string', value: '<url>', env: 'DATABASE_URL', help: 'PostgreSQL to replay into (default: PGlite in a temporary directory)' },
  'start-block': { type: 'string', value: '<n>', env: 'LOOM_START_BLOCK', help: "First block to index (default: the deployment file's)" },
  compare: { type: 'boolean', help: "Compare with the API's digest at the same block; exit 1 when they differ" },
  keep: { type: 'boolean', help: 'Keep the replayed database (PGlite directory or schema) afterwards' },
  timeout: { type: 'string', value: '<duration>', help: 'Give up after this long (default 10m)' },
  ...connectionOptions,
} satisfies OptionTable;

const REPLAY_USAGE = `Usage: loom index replay [options]

Replays the chain from genesis into a new schema with a fresh indexer (this repository's Ponder),
prints the replay's state digest, and stops it. Reads LOOM_RPC_URL, LOOM_DEPLOYMENT_FILE /
LOOM_MARKET_ADDRESS and LOOM_CHAIN_ID like the indexer does.

Example: compare a running indexer with a replay of the same chain
  loom index replay --compare

Options:
${optionsHelp(replayOptions)}`;

/** What indexer/run/replay.ts prints on its stdout. */
type ReplayOutput =
  | { schema: string; blocks: number; replay: Digest; api?: Digest; match?: boolean; kept?: string }
  | { error: { code: CliErrorCode; message: string; logs?: string } };

export async function runReplay(argv: string[]): Promise<number> {
  const { values, help } = parseCommandLine(argv, { options: replayOptions, usage: REPLAY_USAGE, positionals: [0, 0] });
  if (help) return showHelp(REPLAY_USAGE);
  const config = resolveClientConfig(values);
  const schema = typeof values.schema === 'string' ? values.schema : `replay_${Date.now().toString(36)}`;
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new CliError('BAD_INPUT', `--schema: "${schema}" must be lowercase letters, digits and _`);
  const { 'database-url': databaseUrl, 'start-block': startBlock } = resolveOptions(replayOptions, values);
  if (startBlock !== undefined && !/^\d+$/.test(startBlock)) throw new CliError('BAD_INPUT', `--start-block: "${startBlock}" is not a block number`);
  const timeoutMs = parseDuration(typeof values.timeout === 'string' ? values.timeout : '10m', '--timeout') * 1000;

  const args = ['--rpc-url', config.rpcUrl, '--schema', schema, '--timeout-ms', String(timeoutMs)];
  if (config.deploymentFile) args.push('--deployment-file', config.deploymentFile);
  if (config.chainId !== undefined) args.push('--chain-id', String(config.chainId));
  if (config.market) args.push('--market', config.market);
  if (startBlock !== undefined) args.push('--start-block', startBlock);
  if (databaseUrl) args.push('--database-url', databaseUrl);
  if (values.compare) args.push('--compare-url', config.apiUrl);
  if (values.keep) args.push('--keep');

  const progress = createProgress();
  progress.update(`starting a fresh indexer (schema ${schema}${databaseUrl ? ', PostgreSQL' : ', PGlite'})`);
  const out = await runReplayProcess(args, (step) => progress.update(step));
  if ('error' in out) {
    progress.fail('the replay failed');
    throw new CliError(out.error.code, out.error.message, { details: out.error.logs });
  }
  progress.done(`replayed ${out.blocks} blocks into schema ${out.schema}`);
  report(config, out.schema, out.replay, out.api);
  if (out.kept && !config.json) process.stderr.write(`loom: kept the replay in ${out.kept}\n`);
  return out.api && !out.match ? 1 : 0;
}

/**
 * Runs the replay entry point and returns its JSON line. Ctrl-C on a terminal reaches it as well;
 * otherwise a signal to `loom` is passed on, so that it stops its indexer and cleans up either way.
 */
async function runReplayProcess(args: string[], onStep: (step: string) => void): Promise<ReplayOutput> {
  const env = { ...process.env };
  // The replay signs nothing: the client's key is none of its business.
  delete env[CLIENT_KEY_ENV];
  delete env[CLIENT_KEYSTORE_PASSWORD_ENV];
  const child = spawn(process.execPath, ['--import', TSX_LOADER, REPLAY_ENTRY, ...args], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d: Buffer) => {
    stderr = (stderr + d).slice(-10_000);
    const lines = String(d).trim().split('\n');
    onStep(lines[lines.length - 1]!);
  });
  const forward = (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  };
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (c) => resolve(c));
  }).finally(() => {
    process.off('SIGINT', forward);
    process.off('SIGTERM', forward);
  });
  const last = stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(last) as ReplayOutput;
  } catch {
    throw new CliError('REPLAY_FAILED', `the replay (indexer/run/replay.ts) exited with ${code} without a result`, { details: stderr });
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
