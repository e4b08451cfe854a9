/**
 * The filters of the lists (`jobs`, `jobEvents`, `workers`) and of the subscriptions (`jobEvents`,
 * `jobUpdated`). Each filter input is checked once, then turned into a SQL condition (the queries'
 * WHERE, the jobEvents subscription's backfill) and, where a subscription filters the change feed's
 * batches, into a predicate on rows. The two forms of a rule sit side by side so that they stay the
 * same rule: api/queries.test.ts checks that `jobMatcher` keeps exactly the jobs the SQL returns.
 */
import type { SQLWrapper } from 'drizzle-orm';
import { zeroAddress } from 'viem';
import { and, eq, gte, inArray, isNull, lte, not, or, sql } from 'ponder';
import { jobCountColumn } from '../../indexer/src/fold/jobCount';
import type { Db, JobEventRow, JobRow, Tables } from './tables';
import { boundedList, gpuModelBytes, nonNegativeInt, ZERO_BYTES32 } from '../graphql/checkArgs';
import { ApiError } from '../graphql/errors';
import { parseJobId, parseModelId, parsePoolId } from '../graphql/scalars';
import type { SQL } from './keyset';

type Hex = `0x${string}`;

const lowercase = (value: Hex | null | undefined): Hex | undefined => (value ? (value.toLowerCase() as Hex) : undefined);

/** `expr <= value` over numeric (uint256) values; the bound travels as a decimal string. */
const atMost = (expr: SQLWrapper, value: bigint) => sql`${expr} <= ${value.toString()}::numeric`;
/** `expr >= value` over numeric (uint256) values. */
const atLeast = (expr: SQLWrapper, value: bigint) => sql`${expr} >= ${value.toString()}::numeric`;

// ---- jobs ----

export type JobFilter = {
  kind?: JobRow['kind'] | null;
  market?: Hex | null;
  status?: JobRow['status'][] | null;
  client?: Hex | null;
  worker?: Hex | null;
  token?: Hex | null;
  arbiter?: Hex | null;
  mode?: JobRow['mode'] | null;
  offeredTo?: Hex | null;
  takableBy?: Hex | null;
  pool?: string | null;
  model?: string | null;
  fitsGpuCount?: number | null;
  fitsVramMiB?: number | null;
  fitsGpuModel?: string | null;
  maxCollateral?: bigint | null;
  openAfter?: bigint | null;
  minPrice?: bigint | null;
  maxPrice?: bigint | null;
};

/** What a job pays: the agreed price once assigned, the budget before (PRICE_* orders, price filters). */
export const paidPrice = (job: Tables['job']) => sql`coalesce(${job.price}, ${job.budget})`;

/** `paidPrice` of a row in memory. */
export const paidPriceOf = (row: Pick<JobRow, 'price' | 'budget'>): bigint => row.price ?? row.budget;

/** A JobFilter checked (BAD_USER_INPUT otherwise): omitted criteria are undefined. */
function checkJobFilter(filter: JobFilter) {
  return {
    status: boundedList('status', filter.status, 5),
    fitsGpuCount: nonNegativeInt('fitsGpuCount', filter.fitsGpuCount),
    fitsVramMiB: nonNegativeInt('fitsVramMiB', filter.fitsVramMiB),
    gpuModel: filter.fitsGpuModel != null ? gpuModelBytes(filter.fitsGpuModel) : undefined,
    kind: filter.kind || undefined,
    market: lowercase(filter.market),
    client: lowercase(filter.client),
    worker: lowercase(filter.worker),
    token: lowercase(filter.token),
    arbiter: lowercase(filter.arbiter),
    mode: filter.mode || undefined,
    offeredTo: lowercase(filter.offeredTo),
    takableBy: lowercase(filter.takableBy),
    pool: filter.pool != null ? parsePoolId(filter.pool) : undefined,
    model: filter.model != null ? parseModelId(filter.model) : undefined,
    maxCollateral: filter.maxCollateral ?? undefined,
    openAfter: filter.openAfter ?? undefined,
    minPrice: filter.minPrice ?? undefined,
    maxPrice: filter.maxPrice ?? undefined,
  };
}

/**
 * The statuses a filter asks for when it asks for nothing else (all of them for no filter), else
 * null: such a filter's count is `job_count`'s (api/graphql/resolvers/jobs.ts), not a count of rows.
 */
export function statusesOnly(filter: JobFilter | null | undefined): readonly JobRow['status'][] | null {
  const all = Object.keys(jobCountColumn) as JobRow['status'][];
  if (!filter) return all;
  const { status, ...rest } = checkJobFilter(filter);
  if (Object.values(rest).some((v) => v !== undefined)) return null;
  return status?.length ? status : all;
}

/**
 * The pool `worker` is a MEMBER of now, as SQL (no row: null). A worker is in one pool at most, and
 * only a MEMBER may take a pool's jobs (a LEAVING one takes no new ones).
 */
const memberPoolOf = (tables: Tables, worker: Hex) =>
  sql`(select ${tables.poolMember.pool} from ${tables.poolMember} where ${tables.poolMember.worker} = ${worker} and ${tables.poolMember.state} = 'MEMBER')`;

/** The SQL condition of a JobFilter (undefined: every job). */
export function jobFilterCondition(tables: Tables, filter: JobFilter | null | undefined): SQL | undefined {
  if (!filter) return undefined;
  const f = checkJobFilter(filter);
  const { job } = tables;
  return and(
    f.kind !== undefined ? eq(job.kind, f.kind) : undefined,
    f.market !== undefined ? eq(job.market, f.market) : undefined,
    f.status ? inArray(job.status, [...f.status]) : undefined,
    f.client !== undefined ? eq(job.client, f.client) : undefined,
    // A single job's worker, or a replicated job's slot holders.
    f.worker !== undefined ? or(eq(job.worker, f.worker), sql`${f.worker} = any(${job.slotWorkers})`) : undefined,
    f.token !== undefined ? eq(job.token, f.token) : undefined,
    f.arbiter !== undefined ? eq(job.arbiter, f.arbiter) : undefined,
    f.mode !== undefined ? eq(job.mode, f.mode) : undefined,
    f.offeredTo !== undefined ? eq(job.offeredTo, f.offeredTo) : undefined,
    f.takableBy !== undefined
      ? or(and(isNull(job.pool), inArray(job.offeredTo, [zeroAddress, f.takableBy])), sql`${job.pool} = ${memberPoolOf(tables, f.takableBy)}`)
      : undefined,
    f.pool !== undefined ? sql`${job.pool} = ${f.pool.toString()}::numeric` : undefined,
    f.model !== undefined ? sql`${f.model}::int8 = any(${job.modelIds})` : undefined,
    f.fitsGpuCount !== undefined ? lte(job.minGpuCount, f.fitsGpuCount) : undefined,
    f.fitsVramMiB !== undefined ? lte(job.minVramMiB, f.fitsVramMiB) : undefined,
    f.gpuModel !== undefined ? or(eq(job.gpuModelRaw, ZERO_BYTES32), eq(job.gpuModelRaw, f.gpuModel)) : undefined,
    f.maxCollateral !== undefined ? atMost(job.collateral, f.maxCollateral) : undefined,
    f.openAfter !== undefined ? atLeast(job.openUntil, f.openAfter) : undefined,
    f.minPrice !== undefined ? atLeast(paidPrice(job), f.minPrice) : undefined,
    f.maxPrice !== undefined ? atMost(paidPrice(job), f.maxPrice) : undefined,
  );
}

/**
 * A JobFilter as a predicate on job rows: `jobFilterCondition` in memory (jobUpdated).
 *
 * @param takerPool For `takableBy`: the pool that worker is a MEMBER of (what the SQL reads from
 *   `pool_member`; `takerPoolOf` reads it), null when none.
 */
export function jobMatcher(filter: JobFilter | null | undefined, takerPool: bigint | null = null): (row: JobRow) => boolean {
  if (!filter) return () => true;
  const f = checkJobFilter(filter);
  return (j) =>
    (f.kind === undefined || j.kind === f.kind) &&
    (f.market === undefined || j.market === f.market) &&
    (!f.status || f.status.includes(j.status)) &&
    (f.client === undefined || j.client === f.client) &&
    (f.worker === undefined || j.worker === f.worker || j.slotWorkers.includes(f.worker)) &&
    (f.token === undefined || j.token === f.token) &&
    (f.arbiter === undefined || j.arbiter === f.arbiter) &&
    (f.mode === undefined || j.mode === f.mode) &&
    (f.offeredTo === undefined || j.offeredTo === f.offeredTo) &&
    (f.takableBy === undefined ||
      (j.pool === null && (j.offeredTo === zeroAddress || j.offeredTo === f.takableBy)) ||
      (j.pool !== null && j.pool === takerPool)) &&
    (f.pool === undefined || j.pool === f.pool) &&
    (f.model === undefined || j.modelIds.includes(f.model)) &&
    (f.fitsGpuCount === undefined || j.minGpuCount <= f.fitsGpuCount) &&
    (f.fitsVramMiB === undefined || Number(j.minVramMiB) <= f.fitsVramMiB) &&
    (f.gpuModel === undefined || j.gpuModelRaw === ZERO_BYTES32 || j.gpuModelRaw === f.gpuModel) &&
    (f.maxCollateral === undefined || j.collateral <= f.maxCollateral) &&
    (f.openAfter === undefined || j.openUntil >= f.openAfter) &&
    (f.minPrice === undefined || paidPriceOf(j) >= f.minPrice) &&
    (f.maxPrice === undefined || paidPriceOf(j) <= f.maxPrice);
}

/** The pool `worker` is a MEMBER of now, or null: `jobMatcher`'s `takerPool`. */
export async function takerPoolOf(db: Db, tables: Tables, worker: Hex): Promise<bigint | null> {
  const { poolMember } = tables;
  const [row] = await db
    .select({ pool: poolMember.pool })
    .from(poolMember)
    .where(and(eq(poolMember.worker, worker.toLowerCase() as Hex), eq(poolMember.state, 'MEMBER')));
  return row?.pool ?? null;
}

// ---- job events ----

export type JobEventFilter = {
  jobId?: string | null;
  account?: Hex | null;
  names?: string[] | null;
  fromBlock?: bigint | null;
  toBlock?: bigint | null;
};

/** A JobEventFilter checked (BAD_USER_INPUT otherwise): omitted criteria are undefined. */
function checkJobEventFilter(filter: JobEventFilter) {
  const names = boundedList('names', filter.names, 20);
  if (names?.some((n) => n.length > 64)) throw new ApiError('BAD_USER_INPUT', 'an event name is at most 64 characters');
  return {
    names,
    jobId: filter.jobId != null ? parseJobId(filter.jobId) : undefined,
    account: lowercase(filter.account),
    fromBlock: filter.fromBlock ?? undefined,
    toBlock: filter.toBlock ?? undefined,
  };
}

/** The SQL condition of a JobEventFilter (Query.jobEvents, and the jobEvents subscription's backfill). */
export function jobEventFilterCondition(tables: Tables, filter: JobEventFilter | null | undefined): SQL | undefined {
  if (!filter) return undefined;
  const f = checkJobEventFilter(filter);
  const { jobEvent } = tables;
  return and(
    f.jobId !== undefined ? eq(jobEvent.jobId, f.jobId) : undefined,
    f.account !== undefined ? eq(jobEvent.account, f.account) : undefined,
    f.names ? inArray(jobEvent.name, [...f.names]) : undefined,
    f.fromBlock !== undefined ? gte(jobEvent.blockNumber, f.fromBlock) : undefined,
    f.toBlock !== undefined ? lte(jobEvent.blockNumber, f.toBlock) : undefined,
  );
}

/** A JobEventFilter as a predicate on event rows: `jobEventFilterCondition` in memory (the live part of jobEvents). */
export function jobEventMatcher(filter: JobEventFilter | null | undefined): (row: JobEventRow) => boolean {
  if (!filter) return () => true;
  const f = checkJobEventFilter(filter);
  const names = f.names ? new Set(f.names) : undefined;
  return (r) =>
    (f.jobId === undefined || r.jobId === f.jobId) &&
    (f.account === undefined || r.account === f.account) &&
    (names === undefined || names.has(r.name)) &&
    (f.fromBlock === undefined || r.blockNumber >= f.fromBlock) &&
    (f.toBlock === undefined || r.blockNumber <= f.toBlock);
}

// ---- workers (no subscription: SQL only) ----

export type WorkerFilter = {
  registered?: boolean | null;
  available?: boolean | null;
  minGpuCount?: number | null;
  minVramMiB?: number | null;
  gpuModel?: string | null;
  minReputation?: number | null;
  maxPricePerGpuHour?: bigint | null;
  minFreeStake?: bigint | null;
  /** Presence (the API's memory, not a column): needs the online addresses. */
  online?: boolean | null;
};

/**
 * Whether an address column is one of `addresses` (lowercase hex), as one array parameter however
 * many there are.
 */
export function addressIn(column: SQLWrapper, addresses: readonly string[]): SQL {
  return sql`${column} = any(${`{${addresses.join(',')}}`}::text[])`;
}

/**
 * The SQL condition of a WorkerFilter (undefined: every worker). `onlineAddresses`: the workers online
 * now (api/presence/presenceStore.ts), read only when the filter asks for `online`.
 */
export function workerFilterCondition(tables: Tables, filter: WorkerFilter | null | undefined, onlineAddresses: () => readonly string[] = () => []): SQL | undefined {
  if (!filter) return undefined;
  const { worker } = tables;
  const minGpuCount = nonNegativeInt('minGpuCount', filter.minGpuCount);
  const minVramMiB = nonNegativeInt('minVramMiB', filter.minVramMiB);
  const minReputation = nonNegativeInt('minReputation', filter.minReputation);
  return and(
    filter.registered != null ? eq(worker.registered, filter.registered) : undefined,
    filter.available != null ? eq(worker.available, filter.available) : undefined,
    minGpuCount !== undefined ? gte(worker.gpuCount, minGpuCount) : undefined,
    minVramMiB !== undefined ? gte(worker.vramMiB, minVramMiB) : undefined,
    filter.gpuModel != null ? eq(worker.gpuModelRaw, gpuModelBytes(filter.gpuModel)) : undefined,
    minReputation !== undefined ? gte(worker.reputation, minReputation) : undefined,
    filter.maxPricePerGpuHour != null ? atMost(worker.pricePerGpuHour, filter.maxPricePerGpuHour) : undefined,
    filter.minFreeStake != null ? atLeast(sql`${worker.stake} - ${worker.locked}`, filter.minFreeStake) : undefined,
    filter.online === true ? addressIn(worker.address, onlineAddresses()) : undefined,
    filter.online === false ? not(addressIn(worker.address, onlineAddresses())) : undefined,
  );
}
