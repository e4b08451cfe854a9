/**
 * `loom worker list [--online] [--available] [--first 20] [--after <cursor>] [--json]`: registered
 * workers from the API, best reputation first, with whether each is online now (a heartbeat reached
 * the API within 3 of its intervals: presence is the API's memory, not chain state) and its GPU state.
 */
import { WorkersQuery } from '../../../sdk/documents';
import { formatRelative } from '../../../sdk/format/durations';
import type { VariablesOf } from '../../../sdk/graphql';
import { type OptionTable, optionsHelp, parseCommandLine, showHelp } from '../../../sdk/node/options';
import { CliError } from '../../cliError';
import { connectionOptions, resolveClientConfig } from '../../config';
import { toJson } from '../../output/format';
import { createProgress } from '../../output/progress';
import { renderTable } from '../../output/table';
import { parseCount } from '../../parse/parseAmount';
import { openReader } from '../../session';

const options: OptionTable = {
  online: { type: 'boolean', help: 'Only workers online now (sending heartbeats to the API)' },
  available: { type: 'boolean', help: 'Only workers open to new jobs on-chain' },
  first: { type: 'string', value: '<n>', help: 'Page size, 1 to 100 (default 20)' },
  after: { type: 'string', value: '<cursor>', help: 'The next page: the cursor printed under the previous one' },
  ...connectionOptions,
};

export const WORKER_LIST_USAGE = `Usage: loom worker list [options]\n\nRegistered workers from the API, best reputation first, online or not.\n\nOptions:\n${optionsHelp(options)}`;

/** The flags as the API's variables. */
export function workerListVariables(values: Record<string, string | boolean | undefined>): VariablesOf<typeof WorkersQuery> {
  const first = typeof values.first === 'string' ? parseCount(values.first, '--first', 100) : 20;
  if (first < 1) throw new CliError('BAD_INPUT', '--first must be from 1 to 100');
  return {
    filter: { registered: true, ...(values.online === true ? { online: true } : {}), ...(values.available === true ? { available: true } : {}) },
    first,
    ...(typeof values.after === 'string' ? { after: values.after } : {}),
  };
}

export async function runWorkerList(argv: string[]): Promise<number> {
  const { values, help } = parseCommandLine(argv, { options, usage: WORKER_LIST_USAGE, positionals: [0, 0] });
  if (help) return showHelp(WORKER_LIST_USAGE);
  const config = resolveClientConfig(values);
  const variables = workerListVariables(values);
  const progress = createProgress();
  progress.update('reading workers');
  const { workers } = await openReader(config).query(WorkersQuery, variables);
  progress.clear();
  const rows = workers.edges.map((e) => e.node);
  if (config.json) {
    process.stdout.write(toJson({ workers: rows, nextCursor: workers.pageInfo.hasNextPage ? workers.pageInfo.endCursor : null }));
    return 0;
  }
  if (rows.length === 0) {
    process.stdout.write(values.online === true ? 'no worker online\n' : 'no workers\n');
    return 0;
  }
  const now = Math.floor(Date.now() / 1000);
  const tty = process.stdout.isTTY === true;
  process.stdout.write(
    renderTable(
      rows,
      [
        { header: 'ADDRESS', value: (w) => w.address, shrink: true, minWidth: 14 },
        { header: 'ONLINE', value: (w) => (w.online ? 'online' : 'offline') },
        { header: 'LAST SEEN', value: (w) => (w.lastSeen ? formatRelative(w.lastSeen, now) : '-') },
        { header: 'AVAILABLE', value: (w) => (w.available ? 'yes' : 'no') },
        { header: 'GPUS', value: (w) => (w.claim.gpuCount > 0 ? `${w.claim.gpuCount}x ${w.gpuModelName ?? '?'}` : 'none') },
        { header: 'REPUTATION', value: (w) => String(w.reputation), align: 'right' },
        { header: 'ACTIVE', value: (w) => String(w.activeJobs), align: 'right' },
      ],
      tty ? { maxWidth: process.stdout.columns } : {},
    ),
  );
  if (workers.pageInfo.hasNextPage) process.stdout.write(`more workers: add --after ${workers.pageInfo.endCursor}\n`);
  return 0;
}
