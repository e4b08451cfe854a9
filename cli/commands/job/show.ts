/**
 * `loom job show <id> [--at-block N] [--json]`: one job, its bids and its events. With `--at-block`
 * the job as it was at the end of that block (the API folds its events up to there).
 */
import { BidsQuery } from '../../../sdk/documents';
import { CliError } from '../../cliError';
import { connectionOptions, resolveClientConfig } from '../../config';
import { formatAmount } from '../../../sdk/format/amounts';
import { decodeGpuModel, formatRequirement } from '../../../sdk/format/requirements';
import { ETH_TOKEN, createTokenBook } from '../../../sdk/format/tokens';
import { TABLE_AMOUNTS, formatTime, shortId, toJson } from '../../output/format';
import { createProgress } from '../../output/progress';
import { renderFields, renderTable } from '../../output/table';
import { type OptionTable, optionsHelp, parseCommandLine, showHelp } from '../../../sdk/node/options';
import { formatDuration } from '../../parse/parseDuration';
import { type ApiEvent, fetchJob, fetchJobEvents, openReader, parseJobId } from '../../session';
import { statusText } from './list';
import { summarizeArgs } from './watch';
import { runsIn, specSummary } from '../../output/specSummary';

const options: OptionTable = {
  'at-block': { type: 'string', value: '<n>', help: 'The job as it was at the end of this block' },
  ...connectionOptions,
};

const USAGE = `Usage: loom job show <job id> [options]\n\nOne job: terms, state, what it runs and where (its image, shortened: --json has the whole spec), result, bids and events.\n\nOptions:\n${optionsHelp(options)}`;

export async function runShow(argv: string[]): Promise<number> {
  const { values, positionals, help } = parseCommandLine(argv, { options, usage: USAGE, positionals: [1, 1] });
  if (help) return showHelp(USAGE);
  const config = resolveClientConfig(values);
  const id = parseJobId(positionals[0]);
  const atBlock = values['at-block'];
  if (typeof atBlock === 'string' && !/^\d+$/.test(atBlock)) throw new CliError('BAD_INPUT', `--at-block: "${atBlock}" is not a block number`);
  const progress = createProgress();
  const reader = openReader(config);
  progress.update(`reading job ${id}`);
  const job = await fetchJob(reader, id, atBlock as string | undefined);
  const [{ bids }, { events }] = await Promise.all([
    reader.query(BidsQuery, { jobId: id, orderBy: 'PRICE_ASC', first: 100 }),
    fetchJobEvents(reader, id, 1000),
  ]);
  // Time travel: only the events up to that block belong to the job as it was.
  const shown: ApiEvent[] = job.asOfBlock ? events.filter((e) => BigInt(e.blockNumber) <= BigInt(job.asOfBlock!)) : events;
  const bidRows = bids.edges.map((e) => e.node);
  if (config.json) {
    progress.clear();
    process.stdout.write(toJson({ job, bids: bidRows, events: shown }));
    return 0;
  }
  const book = createTokenBook(config.rpcUrl);
  await book.load([job.terms.token]);
  progress.clear();
  const token = book.get(job.terms.token);
  const t = job.terms;
  const now = Math.floor(Date.now() / 1000);
  const fields: [string, string][] = [
    ['job', job.id],
    ['status', `${statusText(job)}${job.asOfBlock ? ` (as of block ${job.asOfBlock})` : ''}`],
    ['mode', t.mode],
    ['client', t.client],
    ['token', token ? `${token.symbol}${token === ETH_TOKEN ? '' : ` (${t.token})`}` : t.token],
    ['budget', formatAmount(t.budget, token, TABLE_AMOUNTS)],
    ['collateral', formatAmount(t.collateral, ETH_TOKEN, TABLE_AMOUNTS)],
    ['fee', `${t.feeBps / 100}%`],
    ['requires', formatRequirement(t.minGpuCount, t.minVramMiB, decodeGpuModel(t.gpuModel))],
    ['open until', formatTime(t.openUntil, now)],
    ['execution', `${formatDuration(t.executionTimeout)} after assignment`],
    ['challenge', `${formatDuration(t.challengeWindow)} after the result`],
    ['arbiter', t.arbiter],
    ['runs', specSummary(job.specJson, job.spec)],
    ['runs in', runsIn(job.specJson)],
    ['posted', `${formatTime(job.postedAt, now)}, block ${job.postedBlock}, tx ${job.postedTx}`],
  ];
  if (job.worker) {
    fields.push(['worker', job.worker], ['price', formatAmount(job.price, token, TABLE_AMOUNTS)], ['due', formatTime(job.executionDeadline, now)]);
  }
  if (job.resultHash) {
    fields.push(['result hash', job.resultHash], ['result uri', job.resultURI ?? '-'], ['dispute until', formatTime(job.challengeDeadline, now)]);
  }
  if (job.disputeReason !== null) fields.push(['dispute', job.disputeReason], ['ruling due', formatTime(job.arbitrationDeadline, now)]);
  if (job.status === 'CLOSED') {
    fields.push(
      ['closed', formatTime(job.closedAt, now)],
      ['to worker', formatAmount(job.workerPayout, token, TABLE_AMOUNTS)],
      ['fee paid', formatAmount(job.fee, token, TABLE_AMOUNTS)],
      ['refunded', formatAmount(job.clientRefund, token, TABLE_AMOUNTS)],
      ['slashed', formatAmount(job.slashed, ETH_TOKEN, TABLE_AMOUNTS)],
    );
  }
  let out = renderFields(fields);
  const maxWidth = process.stdout.isTTY ? process.stdout.columns : undefined;
  if (bidRows.length) {
    out += `\nbids\n${renderTable(
      bidRows,
      [
        { header: 'WORKER', value: (b) => b.worker },
        { header: 'PRICE', value: (b) => formatAmount(b.price, token, TABLE_AMOUNTS), align: 'right' },
        { header: 'STATUS', value: (b) => b.status },
        { header: 'PLACED', value: (b) => formatTime(b.placedAt, now) },
      ],
      { maxWidth },
    )}`;
  }
  out += `\nevents\n${renderTable(
    shown,
    [
      { header: 'BLOCK', value: (e) => e.blockNumber, align: 'right' },
      { header: 'EVENT', value: (e) => e.name },
      { header: 'DETAILS', value: (e) => summarizeArgs(e, token), shrink: true, minWidth: 20 },
      { header: 'TX', value: (e) => shortId(e.txHash) },
    ],
    { maxWidth },
  )}`;
  process.stdout.write(out);
  return 0;
}
