/**
 * `loom job watch <id> [--json]`: a job's history, then its events live until it closes, through the
 * API's `jobEvents` subscription (SSE). The subscription resumes from the last event printed, so
 * nothing is missed or printed twice between the history and the live part, nor across a
 * reconnection (the API answers UNAVAILABLE when a client must resubscribe). A chain reorganization
 * that removes an event already printed is printed as a retraction.
 *
 * `--json` prints one JSON line per delivery: `{ "retracted": false, "cursor": "…", "event": {…} }`.
 */
import { JobEventsSubscription } from '../../../sdk/documents';
import { LoomApiError } from '../../../sdk/reads';
import { CliError } from '../../cliError';
import { connectionOptions, resolveClientConfig } from '../../config';
import { formatAmount } from '../../../sdk/format/amounts';
import { createTokenBook, ETH_TOKEN, type TokenInfo } from '../../../sdk/format/tokens';
import { enumMemberName, jobModeOf } from '../../../sdk/enums';
import { typedEvent } from '../../../sdk/events';
import { formatEscrow, outcomeOf } from '../../../sdk/format/replication';
import { TABLE_AMOUNTS, formatTime, shortId, toJson } from '../../output/format';
import { createProgress } from '../../output/progress';
import { type OptionTable, optionsHelp, parseCommandLine, showHelp } from '../../../sdk/node/options';
import { type ApiEvent, fetchJob, fetchJobEvents, openReader, parseJobId } from '../../session';

const options: OptionTable = {
  'max-reconnects': { type: 'string', value: '<n>', help: 'Give up after this many failed reconnections in a row (default 10)' },
  ...connectionOptions,
};

const USAGE = `Usage: loom job watch <job id> [options]

Prints the job's events, then follows it live until it closes (Ctrl-C to stop earlier).
With --json, one JSON line per event: { retracted, cursor, event }.

Options:
${optionsHelp(options)}`;

const TOKEN_AMOUNTS = new Set(['price', 'refund', 'workerPayout', 'fee', 'clientRefund', 'budget', 'payouts']);
const ETH_AMOUNTS = new Set(['collateral', 'slashed', 'stake', 'amount', 'winnerSlashShare', 'clientSlashShare']);
const TIMES = new Set(['executionDeadline', 'challengeDeadline', 'arbitrationDeadline', 'openUntil', 'unlockAt']);
const SKIPPED = new Set(['jobId', 'terms', 'spec', 'client', 'token']);

/** An event's arguments in words: "worker=0x… price=0.5 ETH executionDeadline=…". */
export function summarizeArgs(e: Pick<ApiEvent, 'name' | 'args'>, token: TokenInfo | undefined): string {
  const event = typedEvent(e);
  if (event.name === 'JobPosted') {
    const t = event.args.terms;
    return `client=${event.args.client} mode=${jobModeOf(t.mode) ?? t.mode} budget=${formatAmount(t.budget, token, TABLE_AMOUNTS)}`;
  }
  if (event.name === 'ReplicatedJobPosted') {
    const t = event.args.terms;
    return `client=${event.args.client} replicas=${t.replicas} quorum=${t.quorum} escrow=${formatEscrow(t.price, t.replicas, token)}`;
  }
  const args = event.args as Record<string, unknown>;
  const parts: string[] = [];
  // The arguments the API sent, in its order, with the values typed from the ABI.
  for (const k of Object.keys((e.args ?? {}) as object)) {
    if (SKIPPED.has(k) && e.name !== 'Withdrawn') continue;
    const v = args[k];
    let text: string;
    // Per-slot amounts (ReplicatedJobClosed) read like the single ones, in slot order.
    const amount = (x: unknown, t: TokenInfo | undefined) => (Array.isArray(x) ? `[${x.map((y) => formatAmount(y as bigint, t, TABLE_AMOUNTS)).join(', ')}]` : formatAmount(x as bigint, t, TABLE_AMOUNTS));
    if (k === 'reason' && event.name === 'JobClosed') text = enumMemberName('CloseReason', event.args.reason) ?? String(v);
    else if (k === 'outcome' && event.name === 'ReplicatedJobClosed') text = outcomeOf(event.args.outcome) ?? String(v);
    // 0: the reveal phase opens at the commit deadline, not now.
    else if (k === 'revealDeadline' && v === 0) continue;
    else if (k === 'revealDeadline') text = formatTime(v as number).replace(/ \(.*\)$/, '');
    else if (TOKEN_AMOUNTS.has(k)) text = amount(v, token);
    else if (ETH_AMOUNTS.has(k)) text = amount(v, ETH_TOKEN);
    else if (TIMES.has(k)) text = formatTime(v as number).replace(/ \(.*\)$/, '');
    else if (typeof v === 'string' && /^0x[0-9a-f]{64}$/i.test(v)) text = shortId(v);
    else text = typeof v === 'string' ? v : toJson(v, false).trim();
    parts.push(`${k}=${text}`);
  }
  return parts.join(' ');
}

export async function runWatch(argv: string[]): Promise<number> {
  const { values, positionals, help } = parseCommandLine(argv, { options, usage: USAGE, positionals: [1, 1] });
  if (help) return showHelp(USAGE);
  const config = resolveClientConfig(values);
  const id = parseJobId(positionals[0]);
  const maxReconnects = typeof values['max-reconnects'] === 'string' ? Number(values['max-reconnects']) : 10;
  if (!Number.isSafeInteger(maxReconnects) || maxReconnects < 0) throw new CliError('BAD_INPUT', '--max-reconnects must be a whole number');
  const reader = openReader(config);
  const progress = createProgress();

  progress.update(`reading job ${id}`);
  const job = await fetchJob(reader, id);
  const book = createTokenBook(config.rpcUrl);
  if (!config.json) await book.load([job.terms.token]);
  const token = book.get(job.terms.token);

  let status = job.status;
  const print = (d: { retracted: boolean; cursor: string; event: ApiEvent }) => {
    progress.clear();
    if (config.json) process.stdout.write(toJson(d, false));
    else {
      const time = new Date(Number(d.event.timestamp) * 1000).toISOString().slice(11, 19);
      const line = `${time}  block ${d.event.blockNumber}  ${d.event.name}  ${summarizeArgs(d.event, token)}`;
      process.stdout.write(d.retracted ? `retracted (chain reorganization): ${line}\n` : `${line}\n`);
    }
  };

  const { events, endCursor } = await fetchJobEvents(reader, id);
  for (const event of events) print({ retracted: false, cursor: event.cursor, event });
  const closed = (e: ApiEvent) => e.name === 'JobClosed' || e.name === 'ReplicatedJobClosed';
  if (events.some(closed) || status === 'CLOSED') {
    if (!config.json) process.stdout.write(`job ${id} is closed: ${job.closeReason ?? job.outcome ?? 'CLOSED'}\n`);
    return 0;
  }

  // Ctrl-C ends the watch cleanly (the subscription's stream is closed, so the API frees it).
  let stopped = false;
  let current: { close(): void } | undefined;
  const onSignal = () => {
    stopped = true;
    current?.close();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  let cursor = endCursor;
  let failures = 0;
  try {
    while (!stopped) {
      progress.update(`watching job ${shortId(id)}: ${status}, waiting for events`);
      const sub = reader.subscribe(JobEventsSubscription, { after: cursor, filter: { jobId: id } });
      current = sub;
      try {
        for await (const { jobEvents: d } of sub) {
          failures = 0;
          cursor = d.cursor;
          print(d);
          if (d.retracted) continue;
          status = d.event.name === 'JobAssigned' ? 'ASSIGNED' : d.event.name === 'ResultSubmitted' ? 'SUBMITTED' : d.event.name === 'JobDisputed' ? 'DISPUTED' : status;
          if (closed(d.event)) {
            sub.close();
            const closing = typedEvent(d.event);
            const reason =
              (closing.name === 'JobClosed' && enumMemberName('CloseReason', closing.args.reason)) ||
              (closing.name === 'ReplicatedJobClosed' && outcomeOf(closing.args.outcome)) ||
              'closed';
            progress.clear();
            if (!config.json) process.stdout.write(`job ${id} is closed: ${reason}\n`);
            return 0;
          }
          progress.update(`watching job ${shortId(id)}: ${status}, waiting for events`);
        }
        if (stopped) break;
        // The server ended the stream (a restart): resubscribe from the last cursor.
      } catch (err) {
        if (stopped) break;
        const retryable = err instanceof LoomApiError && (err.code === 'UNAVAILABLE' || err.code === 'UNREACHABLE' || err.code === 'RATE_LIMITED' || err.code.startsWith('HTTP_5'));
        if (!retryable || ++failures > maxReconnects) throw err;
        progress.update(`the event stream failed (${err.code}); reconnecting (${failures}/${maxReconnects})`);
        // RATE_LIMITED: the API says how long to wait (Retry-After).
        const backoff = Math.min(500 * 2 ** (failures - 1), 10_000);
        await new Promise((r) => setTimeout(r, err.retryAfterSeconds !== undefined ? err.retryAfterSeconds * 1000 : backoff));
      }
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    progress.clear();
  }
  return 130;
}
