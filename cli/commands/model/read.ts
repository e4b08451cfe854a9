/**
 * `loom model list [--kind k] [--creator 0x…] [--token t] [--search text] [--order newest|uses|earnings] [--first n] [--after c]`
 * and `loom model show <id>`: models as the API indexes them (every version a model of its own),
 * with their uses (jobs posted with them) and earnings (royalties credited, per token).
 */
import { type Address, getAddress, isAddress } from 'viem';
import type { ModelsQuery } from '../../../sdk/documents';
import { readModel, readModels } from '../../../sdk/reads';
import type { VariablesOf } from '../../../sdk/graphql';
import { formatAmount } from '../../../sdk/format/amounts';
import { createTokenBook } from '../../../sdk/format/tokens';
import { type OptionTable, optionsHelp, parseCommandLine, showHelp } from '../../../sdk/node/options';
import { CliError, badInput } from '../../cliError';
import { connectionOptions, resolveClientConfig } from '../../config';
import { TABLE_AMOUNTS, formatTime, toJson } from '../../output/format';
import { createProgress } from '../../output/progress';
import { renderFields, renderTable } from '../../output/table';
import { parseCount } from '../../parse/parseAmount';
import { parseModelId } from '../../parse/parseIds';
import { openReader } from '../../session';

const listOptions: OptionTable = {
  kind: { type: 'string', value: '<weights|dataset|image>', help: 'Only models of this kind' },
  creator: { type: 'string', value: '<0x…>', help: 'Only models this account published' },
  token: { type: 'string', value: '<eth|0x…>', help: "Only models whose fee is in this token" },
  search: { type: 'string', value: '<text>', help: 'Only models whose name contains this (any case)' },
  retired: { type: 'boolean', negatable: true, help: 'Only retired models (--no-retired: only those jobs may use)' },
  order: { type: 'string', value: '<newest|uses|earnings>', help: 'newest first (default), most used first, or most earned first' },
  first: { type: 'string', value: '<n>', help: 'Page size, 1 to 100 (default 20)' },
  after: { type: 'string', value: '<cursor>', help: 'The next page: the cursor printed under the previous one' },
  ...connectionOptions,
};

const ORDERS = { newest: 'NEWEST', uses: 'USES_DESC', earnings: 'EARNINGS_DESC' } as const;

export const MODEL_LIST_USAGE = `Usage: loom model list [options]\n\nPublished models (each version its own), newest first by default, with their fees, uses and earnings.\n\nOptions:\n${optionsHelp(listOptions)}`;

function address(flag: string, v: string): Address {
  if (!isAddress(v, { strict: false })) badInput(`--${flag}: "${v}" is not an address`);
  return getAddress(v);
}

/** The flags as the API's variables (checked before anything is asked of it). */
export function modelListVariables(values: Record<string, string | boolean | undefined>): VariablesOf<typeof ModelsQuery> {
  const filter: NonNullable<VariablesOf<typeof ModelsQuery>['filter']> = {};
  if (typeof values.kind === 'string') {
    const kind = values.kind.toUpperCase();
    if (kind !== 'WEIGHTS' && kind !== 'DATASET' && kind !== 'IMAGE') badInput(`--kind must be weights, dataset or image, not "${values.kind}"`);
    filter.kind = kind;
  }
  if (typeof values.creator === 'string') filter.creator = address('creator', values.creator);
  if (typeof values.token === 'string') filter.token = values.token.toLowerCase() === 'eth' ? '0x0000000000000000000000000000000000000000' : address('token', values.token);
  if (typeof values.search === 'string') filter.search = values.search;
  if (values['no-retired'] === true) filter.retired = false;
  else if (values.retired === true) filter.retired = true;
  const order = typeof values.order === 'string' ? values.order.toLowerCase() : 'newest';
  if (!(order in ORDERS)) badInput(`--order must be newest, uses or earnings, not "${values.order}"`);
  const first = typeof values.first === 'string' ? parseCount(values.first, '--first', 100) : 20;
  if (first < 1) badInput('--first must be from 1 to 100');
  return { filter, orderBy: ORDERS[order as keyof typeof ORDERS], first, ...(typeof values.after === 'string' ? { after: values.after } : {}) };
}

export async function runModelList(argv: string[]): Promise<number> {
  const { values, help } = parseCommandLine(argv, { options: listOptions, usage: MODEL_LIST_USAGE, positionals: [0, 0] });
  if (help) return showHelp(MODEL_LIST_USAGE);
  const config = resolveClientConfig(values);
  const variables = modelListVariables(values);
  const progress = createProgress();
  progress.update('reading models');
  const models = await readModels(openReader(config), variables);
  progress.clear();
  const rows = models.edges.map((e) => e.node);
  if (config.json) {
    process.stdout.write(toJson({ models: rows, totalCount: models.totalCount, nextCursor: models.pageInfo.hasNextPage ? models.pageInfo.endCursor : null }));
    return 0;
  }
  if (rows.length === 0) {
    process.stdout.write('no models\n');
    return 0;
  }
  const book = createTokenBook(config.rpcUrl);
  await book.load([...rows.map((m) => m.token), ...rows.flatMap((m) => m.earnings.map((e) => e.token))]);
  const earned = (m: (typeof rows)[number]) => m.earnings.map((e) => formatAmount(e.amount, book.get(e.token), TABLE_AMOUNTS)).join(' + ') || '-';
  const tty = process.stdout.isTTY === true;
  process.stdout.write(
    renderTable(
      rows,
      [
        { header: 'ID', value: (m) => m.id, align: 'right' },
        { header: 'NAME', value: (m) => `${m.name} ${m.version}`, shrink: true, minWidth: 12 },
        { header: 'KIND', value: (m) => m.kind.toLowerCase() },
        { header: 'FEE', value: (m) => (BigInt(m.fee) === 0n ? 'free' : formatAmount(m.fee, book.get(m.token), TABLE_AMOUNTS)), align: 'right' },
        { header: 'USES', value: (m) => String(m.uses), align: 'right' },
        { header: 'EARNED', value: earned, align: 'right' },
        { header: 'STATE', value: (m) => (m.retired ? 'retired' : 'active') },
        { header: 'CREATOR', value: (m) => m.creator, shrink: true, minWidth: 14 },
      ],
      tty ? { maxWidth: process.stdout.columns } : {},
    ),
  );
  if (models.pageInfo.hasNextPage) process.stdout.write(`more models: add --after ${models.pageInfo.endCursor}\n`);
  return 0;
}

const showOptions: OptionTable = { ...connectionOptions };
export const MODEL_SHOW_USAGE = `Usage: loom model show <id> [options]\n\nOne model version: what it is, its files, its fee, the versions of its line, its uses and earnings.\n\nOptions:\n${optionsHelp(showOptions)}`;

export async function runModelShow(argv: string[]): Promise<number> {
  const { values, positionals, help } = parseCommandLine(argv, { options: showOptions, usage: MODEL_SHOW_USAGE, positionals: [1, 1] });
  if (help) return showHelp(MODEL_SHOW_USAGE);
  const config = resolveClientConfig(values);
  const id = parseModelId(positionals[0]);
  const progress = createProgress();
  progress.update(`reading model ${id}`);
  const reader = openReader(config);
  const model = await readModel(reader, String(id), { jobs: 5 });
  progress.clear();
  if (!model) throw new CliError('API', `no model ${id} (the API at ${reader.url} does not know it)`);
  if (config.json) {
    process.stdout.write(toJson({ model }));
    return 0;
  }
  const book = createTokenBook(config.rpcUrl);
  await book.load([model.token, ...model.earnings.map((e) => e.token), ...model.versions.map((v) => v.token)]);
  const fee = (raw: string, token: string) => (BigInt(raw) === 0n ? 'free' : formatAmount(raw, book.get(token), TABLE_AMOUNTS));
  const now = Math.floor(Date.now() / 1000);
  process.stdout.write(
    renderFields([
      ['model', `${model.id}${model.retired ? ' (retired: no new job may use it)' : ''}`],
      ['name', `${model.name} ${model.version}`],
      ['kind', model.kind.toLowerCase()],
      ['creator', model.creator],
      ['fee', `${fee(model.fee, model.token)} per job`],
      ...(model.previous ? ([['follows', `model ${model.previous.id} (${model.previous.version})`]] as const) : []),
      ['license', model.licenseURI],
      ...(model.image ? ([['image', model.image]] as const) : []),
      ...model.files.map((f) => ['file', `/models/${model.name}/${f.path}  ${f.size} bytes  sha256 ${f.sha256.slice(2)}`] as [string, string]),
      ['published', `${formatTime(model.publishedAt, now)} (block ${model.publishedBlock})`],
      ['uses', `${model.uses} job${model.uses === 1 ? '' : 's'}`],
      ...model.jobs.edges.map((e) => ['job', `${e.node.id}  ${e.node.status.toLowerCase()}  ${formatTime(e.node.postedAt, now)}`] as [string, string]),
      ['earned', model.earnings.map((e) => formatAmount(e.amount, book.get(e.token), TABLE_AMOUNTS)).join(' + ') || 'nothing yet'],
      ...model.versions.map(
        (v) => ['version', `${v.id === model.id ? '* ' : ''}${v.id}: ${v.version}, ${fee(v.fee, v.token)}${v.retired ? ', retired' : ''}`] as [string, string],
      ),
    ]),
  );
  return 0;
}
