/**
 * `loom pool show <id>` and `loom pool list [--first n] [--after c]`: worker pools as the API
 * indexes them: operator, fee, how joining works, members (with requests and those leaving), jobs
 * completed, the operator's earnings and the members' mean reputation.
 */
import { readPool, readPools } from '../../../sdk/reads';
import { formatAmount } from '../../../sdk/format/amounts';
import { createTokenBook } from '../../../sdk/format/tokens';
import { type OptionTable, optionsHelp, parseCommandLine, showHelp } from '../../../sdk/node/options';
import { CliError, badInput } from '../../cliError';
import { connectionOptions, resolveClientConfig } from '../../config';
import { TABLE_AMOUNTS, formatTime, toJson } from '../../output/format';
import { createProgress } from '../../output/progress';
import { renderFields, renderTable } from '../../output/table';
import { parseCount } from '../../parse/parseAmount';
import { parsePoolId } from '../../parse/parseIds';
import { openReader } from '../../session';

const showOptions: OptionTable = { ...connectionOptions };
const SHOW_USAGE = `Usage: loom pool show <id> [options]\n\nOne worker pool: its operator and fee, how joining works, its members (and requests), jobs and earnings.\n\nOptions:\n${optionsHelp(showOptions)}`;

const bps = (feeBps: number) => `${feeBps} bps (${feeBps / 100}% of a member's payout)`;

export async function runPoolShow(argv: string[]): Promise<number> {
  const { values, positionals, help } = parseCommandLine(argv, { options: showOptions, usage: SHOW_USAGE, positionals: [1, 1] });
  if (help) return showHelp(SHOW_USAGE);
  const config = resolveClientConfig(values);
  const id = parsePoolId(positionals[0]);
  const progress = createProgress();
  progress.update(`reading pool ${id}`);
  const reader = openReader(config);
  const pool = await readPool(reader, String(id), { jobs: 5 });
  progress.clear();
  if (!pool) throw new CliError('API', `no pool ${id} (the API at ${reader.url} does not know it)`);
  if (config.json) {
    process.stdout.write(toJson({ pool }));
    return 0;
  }
  const book = createTokenBook(config.rpcUrl);
  await book.load(pool.earnings.map((e) => e.token));
  const now = Math.floor(Date.now() / 1000);
  process.stdout.write(
    renderFields([
      ['pool', pool.id],
      ['name', pool.name],
      ['operator', pool.operator],
      ['fee', bps(pool.feeBps)],
      ['joining', pool.approvalRequired ? "by the operator's approval" : 'open to registered workers'],
      ...(pool.metadataURI ? ([['metadata', pool.metadataURI]] as const) : []),
      ['created', formatTime(pool.createdAt, now)],
      ['members', String(pool.memberCount)],
      ...pool.members.map(
        (m) => ['member', `${m.address}  ${m.state.toLowerCase()} since ${formatTime(m.since, now)}, reputation ${m.worker.reputation}${m.worker.online ? ', online' : ''}`] as [string, string],
      ),
      ['jobs done', `${pool.jobsCompleted} of ${pool.jobs.totalCount}`],
      ...pool.jobs.edges.map((e) => ['job', `${e.node.id}  ${e.node.status.toLowerCase()}  ${formatTime(e.node.postedAt, now)}`] as [string, string]),
      ['earned', pool.earnings.map((e) => formatAmount(e.amount, book.get(e.token), TABLE_AMOUNTS)).join(' + ') || 'nothing yet'],
      ['reputation', pool.reputation === null || pool.reputation === undefined ? '-' : pool.reputation.toFixed(2)],
    ]),
  );
  return 0;
}

const listOptions: OptionTable = {
  first: { type: 'string', value: '<n>', help: 'Page size, 1 to 100 (default 20)' },
  after: { type: 'string', value: '<cursor>', help: 'The next page: the cursor printed under the previous one' },
  ...connectionOptions,
};
const LIST_USAGE = `Usage: loom pool list [options]\n\nWorker pools, newest first.\n\nOptions:\n${optionsHelp(listOptions)}`;

export async function runPoolList(argv: string[]): Promise<number> {
  const { values, help } = parseCommandLine(argv, { options: listOptions, usage: LIST_USAGE, positionals: [0, 0] });
  if (help) return showHelp(LIST_USAGE);
  const config = resolveClientConfig(values);
  const first = typeof values.first === 'string' ? parseCount(values.first, '--first', 100) : 20;
  if (first < 1) badInput('--first must be from 1 to 100');
  const progress = createProgress();
  progress.update('reading pools');
  const pools = await readPools(openReader(config), { first, ...(typeof values.after === 'string' ? { after: values.after } : {}) });
  progress.clear();
  const rows = pools.edges.map((e) => e.node);
  if (config.json) {
    process.stdout.write(toJson({ pools: rows, totalCount: pools.totalCount, nextCursor: pools.pageInfo.hasNextPage ? pools.pageInfo.endCursor : null }));
    return 0;
  }
  if (rows.length === 0) {
    process.stdout.write('no pools\n');
    return 0;
  }
  const tty = process.stdout.isTTY === true;
  process.stdout.write(
    renderTable(
      rows,
      [
        { header: 'ID', value: (p) => p.id, align: 'right' },
        { header: 'NAME', value: (p) => p.name, shrink: true, minWidth: 12 },
        { header: 'FEE', value: (p) => `${p.feeBps / 100}%`, align: 'right' },
        { header: 'MEMBERS', value: (p) => String(p.memberCount), align: 'right' },
        { header: 'JOBS DONE', value: (p) => String(p.jobsCompleted), align: 'right' },
        { header: 'JOINING', value: (p) => (p.approvalRequired ? 'approval' : 'open') },
        { header: 'OPERATOR', value: (p) => p.operator, shrink: true, minWidth: 14 },
      ],
      tty ? { maxWidth: process.stdout.columns } : {},
    ),
  );
  if (pools.pageInfo.hasNextPage) process.stdout.write(`more pools: add --after ${pools.pageInfo.endCursor}\n`);
  return 0;
}
