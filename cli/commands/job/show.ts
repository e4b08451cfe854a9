/**
 * `loom job show <id> [--at-block N] [--json]`: one job, its bids and its events. With `--at-block`
 * the job as it was at the end of that block (the API folds its events up to there). A replicated
 * job shows its replicas instead of bids: the phase it is in and its deadlines (by the contract's
 * rules, sdk/format/replication.ts), each slot's worker and state, and once closed the outcome with
 * what each slot was paid or slashed. `--json` carries the API's job (slots included) and the phase.
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
import { type ApiEvent, type ApiJob, fetchJob, fetchJobEvents, openReader, parseJobId } from '../../session';
import { statusText } from './list';
import { formatEscrow, outcomeLabel, replicationProgressOf, replicationStanding, slotStateLabel, verdictLabel } from '../../../sdk/format/replication';
import type { TokenInfo } from '../../../sdk/format/tokens';
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
  const now = Math.floor(Date.now() / 1000);
  const standing = job.kind === 'REPLICATED' ? replicationOf(job, now) : undefined;
  if (config.json) {
    progress.clear();
    process.stdout.write(toJson({ job, bids: bidRows, events: shown, ...(standing ? { replication: standing } : {}) }));
    return 0;
  }
  const book = createTokenBook(config.rpcUrl);
  await book.load([job.terms.token]);
  progress.clear();
  const token = book.get(job.terms.token);
  const t = job.terms;
  if (standing) return showReplicated(job, standing, token, shown, now);
  const fields: [string, string][] = [
    ['job', job.id],
    ['status', `${statusText(job)}${job.asOfBlock ? ` (as of block ${job.asOfBlock})` : ''}`],
    ['mode', t.mode],
    ...(t.mode === 'DIRECT' ? ([['offered to', t.offeredTo]] as [string, string][]) : []),
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
  out += eventsTable(shown, token, maxWidth);
  process.stdout.write(out);
  return 0;
}

function eventsTable(events: ApiEvent[], token: TokenInfo | undefined, maxWidth: number | undefined): string {
  return `\nevents\n${renderTable(
    events,
    [
      { header: 'BLOCK', value: (e) => e.blockNumber, align: 'right' },
      { header: 'EVENT', value: (e) => e.name },
      { header: 'DETAILS', value: (e) => summarizeArgs(e, token), shrink: true, minWidth: 20 },
      { header: 'TX', value: (e) => shortId(e.txHash) },
    ],
    { maxWidth },
  )}`;
}

/** Where a replicated job stands at `now`, from the API's counts and its terms. */
function replicationOf(job: ApiJob, now: number) {
  return replicationStanding(replicationProgressOf(job)!, now);
}

/** A replicated job for people: its terms, phase and deadlines, its slots, and once closed the outcome. */
function showReplicated(job: ApiJob, standing: ReturnType<typeof replicationOf>, token: TokenInfo | undefined, events: ApiEvent[], now: number): number {
  const r = job.replicatedTerms!;
  const amount = (v: string | bigint | null | undefined) => formatAmount(v, token, TABLE_AMOUNTS);
  const eth = (v: string | bigint | null | undefined) => formatAmount(v, ETH_TOKEN, TABLE_AMOUNTS);
  const closed = job.status === 'CLOSED';
  const fields: [string, string][] = [
    ['job', job.id],
    ['status', `${job.status}${job.outcome ? ` (${job.outcome})` : ''}${job.asOfBlock ? ` (as of block ${job.asOfBlock})` : ''}`],
    ['kind', `replicated on ${r.replicas} workers, quorum ${r.quorum}`],
    ['client', r.client],
    ['token', token ? `${token.symbol}${token === ETH_TOKEN ? '' : ` (${r.token})`}` : r.token],
    ['price', `${amount(r.price)} per replica`],
    ['escrow', formatEscrow(r.price, r.replicas, token ?? ETH_TOKEN)],
    ['collateral', `${eth(r.collateral)} per replica`],
    ['fee', `${r.feeBps / 100}%`],
    ['requires', formatRequirement(r.minGpuCount, Number(r.minVramMiB), decodeGpuModel(r.gpuModel))],
    ['phase', closed ? `closed: ${job.outcome ? outcomeLabel(job.outcome) : '-'}` : standing.label],
    ['progress', `${job.slotsFilled ?? 0} of ${r.replicas} slots taken, ${job.commits ?? 0} committed, ${job.reveals ?? 0} revealed`],
    ['slots until', formatTime(r.openUntil, now)],
    ['commit by', formatTime(standing.commitDeadline, now)],
    ['reveal by', formatTime(standing.revealDeadline, now)],
    ['runs', specSummary(job.specJson, job.spec)],
    ['runs in', runsIn(job.specJson)],
    ['posted', `${formatTime(job.postedAt, now)}, block ${job.postedBlock}, tx ${job.postedTx}`],
  ];
  if (closed) {
    fields.push(
      ['closed', formatTime(job.closedAt, now)],
      ['result hash', job.resultHash ?? '- (no quorum)'],
      ['result uri', job.resultURI ?? '-'],
      ['to workers', amount(job.workerPayout)],
      ['fee paid', amount(job.fee)],
      ['refunded', amount(job.clientRefund)],
      ['slashed', `${eth(job.slashed)} (each agreeing worker +${eth(job.winnerSlashShare)}, client +${eth(job.clientSlashShare)})`],
    );
  }
  const maxWidth = process.stdout.isTTY ? process.stdout.columns : undefined;
  let out = renderFields(fields);
  // Every slot, free ones included, so n is visible at a glance.
  const rows = Array.from({ length: r.replicas }, (_, i) => ({ i, slot: job.slots.find((s) => s.index === i) }));
  out += `\nslots\n${renderTable(
    rows,
    [
      { header: 'SLOT', value: (x) => String(x.i), align: 'right' },
      { header: 'WORKER', value: (x) => x.slot?.worker ?? (closed ? '- (never taken)' : '- (free)') },
      { header: 'STATE', value: (x) => (x.slot ? `${x.slot.state} (${slotStateLabel(x.slot.state).toLowerCase()})` : 'EMPTY') },
      { header: 'RESULT HASH', value: (x) => shortId(x.slot?.resultHash) },
      ...(closed
        ? [
            { header: 'VERDICT', value: (x: (typeof rows)[number]) => (x.slot ? verdictLabel(x.slot.verdict) : '-') },
            { header: 'PAID', value: (x: (typeof rows)[number]) => amount(x.slot?.payout), align: 'right' as const },
            { header: 'SLASHED', value: (x: (typeof rows)[number]) => eth(x.slot?.slashed), align: 'right' as const },
          ]
        : []),
    ],
    { maxWidth },
  )}`;
  out += eventsTable(events, token, maxWidth);
  process.stdout.write(out);
  return 0;
}
