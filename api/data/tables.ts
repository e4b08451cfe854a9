/**
 * The indexer's tables as the API reads them: the schema, its rows, the read-only database, and the
 * indexer's pure job fold (for time travel).
 */
import type { ReadonlyDrizzle } from 'ponder';
import type * as ponderSchema from '../../indexer/ponder.schema';

/** The indexer's schema module (indexer/ponder.schema.ts), as `ponder:schema` provides it. */
export type Schema = typeof ponderSchema;

/** The tables the API serves. */
export type Tables = Pick<
  Schema,
  | 'job'
  | 'jobCount'
  | 'jobSlot'
  | 'bid'
  | 'worker'
  | 'workerClient'
  | 'workerEarning'
  | 'balance'
  | 'jobEvent'
  | 'dailyStat'
  | 'dailyTokenStat'
  | 'market'
  | 'allowedToken'
  | 'arbiter'
  | 'sealedBundle'
  | 'model'
  | 'modelHub'
  | 'jobModel'
  | 'pool'
  | 'poolMember'
  | 'poolFee'
>;

/** Ponder's read-only drizzle database (`db` from `ponder:api`), or any drizzle database over the same tables. */
export type Db = ReadonlyDrizzle<Schema>;

export type JobRow = Schema['job']['$inferSelect'];
export type SlotRow = Schema['jobSlot']['$inferSelect'];
export type BidRow = Schema['bid']['$inferSelect'];
export type WorkerRow = Schema['worker']['$inferSelect'];
export type WorkerEarningRow = Schema['workerEarning']['$inferSelect'];
export type BalanceRow = Schema['balance']['$inferSelect'];
export type JobEventRow = Schema['jobEvent']['$inferSelect'];
export type SealedBundleRow = Schema['sealedBundle']['$inferSelect'];
export type DailyStatRow = Schema['dailyStat']['$inferSelect'];
export type DailyTokenStatRow = Schema['dailyTokenStat']['$inferSelect'];
export type MarketRow = Schema['market']['$inferSelect'];
export type ModelRow = Schema['model']['$inferSelect'];
export type JobModelRow = Schema['jobModel']['$inferSelect'];
export type PoolRow = Schema['pool']['$inferSelect'];
export type PoolMemberRow = Schema['poolMember']['$inferSelect'];

/**
 * The indexer's pure fold of one job's events (indexer/src/fold/job.ts `foldJob`): the job, its bids
 * and its slots after a sequence of its `job_event` rows in chain order, exactly as the indexer's rows
 * were. `known.poolFeeBps`: a POOL job's fee fixed at its assignment, which no job event carries.
 */
export type JobFold = (
  events: readonly JobEventRow[],
  known?: { poolFeeBps?: number | null },
) => { job: JobRow | undefined; bids: BidRow[]; slots: SlotRow[] };

/**
 * A job as resolvers pass it on: a job row; when time-travelled, also the block and the job's bids
 * and slots as of that block.
 */
export type JobNode = JobRow & { asOfBlock?: bigint | null; bidsAtBlock?: BidRow[]; slotsAtBlock?: SlotRow[] };
