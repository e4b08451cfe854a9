/**
 * The job columns a query's selection needs, so that a page of jobs reads only those: a job row has
 * some fifty columns, among them the spec (hex) and its parsed JSON, and decoding what nobody asked
 * for was most of the cost of a page.
 */
import { getTableColumns } from 'drizzle-orm';
import type { FieldNode } from '../graphql/graphqlJs';
import type { Tables } from './tables';
import { childrenNamed, fieldsOf, type SelectionInfo } from '../graphql/selection';

type JobColumns = ReturnType<typeof getTableColumns<Tables['job']>>;
export type JobColumnName = keyof JobColumns & string;

/** Job fields resolved from other columns than their own name (see api/graphql/resolvers/jobs.ts). */
const jobFieldColumns: Record<string, readonly JobColumnName[]> = {
  __typename: [],
  asOfBlock: [],
  gpuModelName: ['gpuModel'],
  assignee: ['worker'],
  bids: ['id'],
  events: ['id'],
  slots: ['id', 'kind'],
  sealedBundles: ['id', 'client'],
  models: ['id', 'modelIds'],
  slotsFilled: ['filled'],
  commits: ['committed'],
  reveals: ['revealed'],
  // Whole: a handful of small columns, and `kind` says whether there are any.
  replicatedTerms: [
    'kind',
    'client',
    'token',
    'price',
    'collateral',
    'feeBps',
    'replicas',
    'quorum',
    'openUntil',
    'commitWindow',
    'revealWindow',
    'minGpuCount',
    'minVramMiB',
    'gpuModelRaw',
    'specHash',
    'salt',
  ],
};

/** JobTerms fields resolved from other columns than their own name. */
const termsFieldColumns: Record<string, readonly JobColumnName[]> = {
  __typename: [],
  gpuModel: ['gpuModelRaw'],
};

/**
 * Whether a field named `job` (Bid.job, JobEvent.job: the only ways back to a Job) lies anywhere
 * beneath `fields`. Such a job is loaded by id, and the page's rows are its cache: they must be whole.
 */
function reachesJob(fields: FieldNode[], fragments: SelectionInfo['fragments'], depth = 0): boolean {
  if (depth > 32) return true;
  return fields.some(
    (f) => f.name.value === 'job' || (f.selectionSet !== undefined && reachesJob(fieldsOf([f.selectionSet], fragments), fragments, depth + 1)),
  );
}

function columnsOf(
  fields: FieldNode[],
  special: Record<string, readonly JobColumnName[]>,
  columns: JobColumns,
  out: Set<JobColumnName>,
): boolean {
  for (const field of fields) {
    const name = field.name.value;
    const mapped = special[name];
    if (mapped) for (const c of mapped) out.add(c);
    else if (name in columns) out.add(name as JobColumnName);
    else return false;
  }
  return true;
}

/**
 * The columns that Job objects with the selection `fields` need (e.g. a connection's
 * `edges { node { ... } }`, see connectionNodeFields), plus `always`; undefined when every column is
 * needed, when the selection holds a field this function does not know, or when it leads back to
 * jobs (then the caller reads whole rows).
 *
 * @example
 * // jobs { edges { node { id status terms { budget } } } }  =>  Set { 'id', 'status', 'budget', ...always }
 * const needed = jobColumnsFor(tables, connectionNodeFields(info), info.fragments, ['postedBlock']);
 */
export function jobColumnsFor(
  tables: Tables,
  fields: FieldNode[],
  fragments: SelectionInfo['fragments'],
  always: readonly JobColumnName[],
): Set<JobColumnName> | undefined {
  const columns = getTableColumns(tables.job);
  if (fields.some((f) => f.selectionSet && reachesJob(fieldsOf([f.selectionSet], fragments), fragments))) return undefined;
  const needed = new Set<JobColumnName>(['id', ...always]);
  if (!columnsOf(fields.filter((f) => f.name.value !== 'terms'), jobFieldColumns, columns, needed)) return undefined;
  if (!columnsOf(childrenNamed(fields, 'terms', fragments), termsFieldColumns, columns, needed)) return undefined;
  return needed.size >= Object.keys(columns).length ? undefined : needed;
}

/** A drizzle selection of `names` (for `db.select(selection)`). */
export function jobSelection(tables: Tables, names: Iterable<JobColumnName>): Partial<JobColumns> {
  const columns = getTableColumns(tables.job);
  const selection: Partial<JobColumns> = {};
  for (const name of names) (selection as Record<string, unknown>)[name] = columns[name];
  return selection;
}
