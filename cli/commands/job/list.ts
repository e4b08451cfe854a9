/**
 * `loom job list [--status open,assigned] [--kind replicated] [--client 0x…] [--worker 0x…] [--mode auction|direct]
 * [--offered-to 0x…] [--takable-by 0x…] [--token …]
 * [--min-price 0.1] [--max-price 2] [--order posted-desc] [--first 20] [--after <cursor>] [--json]`:
 * one page of jobs from the API.
 */
import { JOB_MODES, JOB_STATUSES, type JobMode, type JobStatus } from '../../../sdk/enums';
import { type Address, type PublicClient, createPublicClient, getAddress, http, isAddress, zeroAddress } from 'viem';
import { JobsQuery, MarketQuery } from '../../../sdk/documents';
import type { VariablesOf } from '../../../sdk/graphql';
import { CliError } from '../../cliError';
import { connectionOptions, resolveClientConfig } from '../../config';
import { formatAmount } from '../../../sdk/format/amounts';
import { createTokenBook, type TokenInfo } from '../../../sdk/format/tokens';
import { TABLE_AMOUNTS, formatTime, shortId, toJson } from '../../output/format';
import { createProgress } from '../../output/progress';
import { renderTable } from '../../output/table';
import { parseAmount, parseCount } from '../../parse/parseAmount';
import { type OptionTable, optionsHelp, parseCommandLine, showHelp } from '../../../sdk/node/options';
import { resolveToken } from '../../resolveToken';
import { type ApiJob, openReader } from '../../session';

type JobsVariables = VariablesOf<typeof JobsQuery>;
type JobFilter = NonNullable<JobsVariables['filter']>;

const ORDERS = {
  'posted-desc': 'POSTED_AT_DESC',
  'posted-asc': 'POSTED_AT_ASC',
  'budget-desc': 'BUDGET_DESC',
  'budget-asc': 'BUDGET_ASC',
  'price-desc': 'PRICE_DESC',
  'price-asc': 'PRICE_ASC',
} as const;

const options: OptionTable = {
  status: { type: 'string', value: '<list>', help: `Only these statuses, comma-separated: ${JOB_STATUSES.join(', ').toLowerCase()}` },
  kind: { type: 'string', value: '<single|replicated>', help: 'Only single-worker jobs, or only jobs replicated on several workers' },
  client: { type: 'string', value: '<0x…>', help: 'Only jobs posted by this client' },
  worker: { type: 'string', value: '<0x…>', help: 'Only jobs assigned to this worker, or in which it took a slot' },
  mode: { type: 'string', value: '<claim|auction|direct>', help: 'Only jobs in this mode' },
  'offered-to': { type: 'string', value: '<0x…>', help: 'Only direct offers made to this worker' },
  'takable-by': { type: 'string', value: '<0x…>', help: 'Only jobs this worker may take: those offered to nobody, and direct offers made to it' },
  token: { type: 'string', value: '<eth|usdc|0x…>', help: "Only jobs paid in this token (a symbol among the market's tokens, or an address)" },
  'min-price': { type: 'string', value: '<amount>', help: "Only jobs paying at least this (the agreed price, else the budget), in --token's unit, e.g. 0.5" },
  'max-price': { type: 'string', value: '<amount>', help: 'Only jobs paying at most this (as --min-price)' },
  order: { type: 'string', value: '<order>', help: `${Object.keys(ORDERS).join(', ')} (default posted-desc)` },
  first: { type: 'string', value: '<n>', help: 'Page size, 1 to 100 (default 20)' },
  after: { type: 'string', value: '<cursor>', help: 'The next page: the cursor printed under the previous one' },
  ...connectionOptions,
};

const USAGE = `Usage: loom job list [options]\n\nJobs from the API, newest first.\n\nOptions:\n${optionsHelp(options)}`;

function address(flag: string, v: string): Address {
  if (!isAddress(v, { strict: false })) throw new CliError('BAD_INPUT', `--${flag}: "${v}" is not an address`);
  return getAddress(v);
}

/** The --token flag as an address, when it is `eth` or one; undefined without it. */
function tokenOf(values: Record<string, string | boolean | undefined>): Address | undefined {
  if (typeof values.token !== 'string') return undefined;
  return values.token.toLowerCase() === 'eth' ? zeroAddress : address('token', values.token);
}

/** A --token that names a token by its symbol: resolved against the market's tokens before the query. */
const isTokenName = (token: string) => token.toLowerCase() !== 'eth' && !isAddress(token, { strict: false });

const priced = (values: Record<string, string | boolean | undefined>) => typeof values['min-price'] === 'string' || typeof values['max-price'] === 'string';

/**
 * The flags as the API's `JobFilter`, `orderBy` and page. `token` is --token resolved (its address,
 * symbol and decimals): needed for a symbol and for a price range, whose amounts are in its unit.
 */
export function listVariables(values: Record<string, string | boolean | undefined>, token?: TokenInfo): JobsVariables {
  const filter: JobFilter = {};
  if (typeof values.status === 'string') {
    const list = values.status.split(',').map((s) => s.trim().toUpperCase()).filter(Boolean);
    const bad = list.find((s) => !(JOB_STATUSES as readonly string[]).includes(s));
    if (bad !== undefined || list.length === 0) throw new CliError('BAD_INPUT', `--status: "${bad ?? values.status}" is not one of ${JOB_STATUSES.join(', ').toLowerCase()}`);
    filter.status = list as JobStatus[];
  }
  if (typeof values.kind === 'string') {
    const k = values.kind.toUpperCase();
    if (k !== 'SINGLE' && k !== 'REPLICATED') throw new CliError('BAD_INPUT', `--kind must be single or replicated, not "${values.kind}"`);
    filter.kind = k;
  }
  if (typeof values.client === 'string') filter.client = address('client', values.client);
  if (typeof values.worker === 'string') filter.worker = address('worker', values.worker);
  if (typeof values.mode === 'string') {
    const m = values.mode.toUpperCase();
    if (!(JOB_MODES as readonly string[]).includes(m)) throw new CliError('BAD_INPUT', `--mode must be one of ${JOB_MODES.join(', ').toLowerCase()}, not "${values.mode}"`);
    filter.mode = m as JobMode;
  }
  if (typeof values['offered-to'] === 'string') filter.offeredTo = address('offered-to', values['offered-to']);
  if (typeof values['takable-by'] === 'string') filter.takableBy = address('takable-by', values['takable-by']);
  if (token) filter.token = getAddress(token.address);
  else if (typeof values.token === 'string') filter.token = tokenOf(values);
  if (priced(values)) {
    if (typeof values.token !== 'string') throw new CliError('BAD_INPUT', '--min-price and --max-price are amounts of one token: give --token as well');
    if (!token) throw new CliError('BAD_INPUT', `--token ${values.token}: its decimals could not be read from the chain (not an ERC-20, or the RPC is unreachable), so the price range cannot be read`);
    for (const [flag, key] of [['min-price', 'minPrice'], ['max-price', 'maxPrice']] as const) {
      const v = values[flag];
      if (typeof v === 'string') filter[key] = parseAmount(v, token.decimals, { flag: `--${flag}`, symbol: token.symbol }).toString();
    }
  }
  const order = typeof values.order === 'string' ? values.order.toLowerCase() : 'posted-desc';
  if (!(order in ORDERS)) throw new CliError('BAD_INPUT', `--order must be one of ${Object.keys(ORDERS).join(', ')}, not "${values.order}"`);
  const first = typeof values.first === 'string' ? parseCount(values.first, '--first', 100) : 20;
  if (first < 1) throw new CliError('BAD_INPUT', '--first must be from 1 to 100');
  return {
    ...(Object.keys(filter).length ? { filter } : {}),
    orderBy: ORDERS[order as keyof typeof ORDERS],
    first,
    ...(typeof values.after === 'string' ? { after: values.after } : {}),
  };
}

/** "OPEN", "CLOSED (COMPLETED)", "CLOSED (QUORUM_REACHED)". */
export function statusText(job: Pick<ApiJob, 'status' | 'closeReason' | 'outcome'>): string {
  const ended = job.closeReason ?? job.outcome;
  return ended ? `${job.status} (${ended})` : job.status;
}

export async function runList(argv: string[]): Promise<number> {
  const { values, help } = parseCommandLine(argv, { options, usage: USAGE, positionals: [0, 0] });
  if (help) return showHelp(USAGE);
  const config = resolveClientConfig(values);
  // Every flag but the token's is checked before anything goes over the network.
  listVariables({ ...values, token: undefined, 'min-price': undefined, 'max-price': undefined });
  const reader = openReader(config);
  const progress = createProgress();
  // A symbol is looked up among the market's tokens; a price range is read in its token's unit.
  let token: TokenInfo | undefined;
  if (typeof values.token === 'string' && (isTokenName(values.token) || priced(values))) {
    progress.update('reading the token');
    const allowedTokens = isTokenName(values.token) ? await reader.query(MarketQuery).then((r) => r.market?.allowedTokens, () => undefined) : undefined;
    const publicClient = createPublicClient({ transport: http(config.rpcUrl, { retryCount: 1 }) }) as PublicClient;
    token = await resolveToken(values.token, { publicClient, allowedTokens });
  }
  const variables = listVariables(values, token);
  progress.update('reading jobs');
  const { jobs } = await reader.query(JobsQuery, variables);
  const rows = jobs.edges.map((e) => e.node);
  if (config.json) {
    progress.clear();
    process.stdout.write(toJson({ jobs: rows, nextCursor: jobs.pageInfo.hasNextPage ? jobs.pageInfo.endCursor : null }));
    return 0;
  }
  const book = createTokenBook(config.rpcUrl);
  await book.load(rows.map((j) => j.terms.token));
  progress.clear();
  if (rows.length === 0) {
    process.stdout.write('no jobs\n');
    return 0;
  }
  const now = Math.floor(Date.now() / 1000);
  const tty = process.stdout.isTTY === true;
  process.stdout.write(
    renderTable(
      rows,
      [
        { header: 'ID', value: (j) => j.id, shrink: true, minWidth: 14 },
        { header: 'STATUS', value: statusText },
        // A replicated job's "mode" is its replication and how far its slots are taken.
        { header: 'MODE', value: (j) => (j.kind === 'REPLICATED' ? `${j.slotsFilled ?? 0}/${j.replicas} SLOTS` : j.terms.mode) },
        { header: 'BUDGET', value: (j) => formatAmount(j.terms.budget, book.get(j.terms.token), TABLE_AMOUNTS), align: 'right' },
        { header: 'PRICE', value: (j) => formatAmount(j.price, book.get(j.terms.token), TABLE_AMOUNTS), align: 'right' },
        { header: 'WORKER', value: (j) => shortId(j.worker) },
        { header: 'POSTED', value: (j) => formatTime(j.postedAt, now).replace(/^.*\((.*)\)$/, '$1') },
      ],
      tty ? { maxWidth: process.stdout.columns } : {},
    ),
  );
  if (jobs.pageInfo.hasNextPage) process.stdout.write(`more jobs: add --after ${jobs.pageInfo.endCursor}\n`);
  return 0;
}
