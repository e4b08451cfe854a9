/**
 * What every contract's indexing functions write the same way: the `job_event` row each event
 * appends (the log every other table can be rebuilt from), the workers an event changes (with the
 * per-client record reputation counts in), credits and withdrawals, earnings, daily statistics and the
 * markets' settings. Each upsert takes its values from the pure folds in ./fold; nothing here reads
 * contract state.
 */
import type { Context } from 'ponder:registry';
import {
  allowedToken,
  balance,
  dailyStat,
  dailyTokenStat,
  job,
  jobCount,
  jobEvent,
  jobModel,
  market,
  pool,
  poolFee,
  worker,
  workerClient,
  workerEarning,
} from 'ponder:schema';
import type { AbiParameter } from 'viem';
import { loomMarketAbi, loomModelsAbi, loomRegistryAbi, loomReplicatedMarketAbi } from '../../abis/generated';
import type { Credit } from './fold/credits';
import { argsOf, argsToJson, big, eventId, hex, utcDay, ZERO_ADDRESS, type Args, type Hex, type LoggedEvent } from './fold/event';
import type { Job } from './fold/job';
import { emptyJobCount, jobCountColumn } from './fold/jobCount';
import { dailyCountersOf, dailyVolumeOf, emptyDailyStat } from './fold/stats';
import { applyWorkerEvent, workerPatchOf, workersOf, type WorkerEventContext } from './fold/worker';
import { applyOutcome, outcomeOf, type WorkerClient } from './fold/workerClient';

export type Db = Context['db'];

/** What the indexing functions use of Ponder's event (the same for every contract's events). */
export type PonderEvent = {
  args: unknown;
  block: { number: bigint; hash: Hex; timestamp: bigint };
  log: { logIndex: number; address: Hex };
  transaction: { hash: Hex };
};

/** The indexed contracts, by their name in ponder.config.ts. */
export type ContractName = 'LoomRegistry' | 'LoomMarket' | 'LoomReplicatedMarket' | 'LoomModels';

const ABIS = { LoomRegistry: loomRegistryAbi, LoomMarket: loomMarketAbi, LoomReplicatedMarket: loomReplicatedMarketAbi, LoomModels: loomModelsAbi };

/** Each contract's event inputs by name (the markets share some names, with the same inputs). */
const eventInputs = Object.fromEntries(
  Object.entries(ABIS).map(([contract, abi]) => [
    contract,
    new Map<string, readonly AbiParameter[]>(abi.flatMap((item) => (item.type === 'event' ? [[item.name, item.inputs] as const] : []))),
  ]),
) as Record<ContractName, Map<string, readonly AbiParameter[]>>;

/** The argument that names the account an event is about, in order of preference. */
const ACCOUNT_ARGS = ['worker', 'client', 'party', 'account', 'creator', 'operator', 'treasury', 'arbiter', 'newOwner', 'market'] as const;

function accountOf(args: Args): Hex | null {
  for (const key of ACCOUNT_ARGS) {
    if (typeof args[key] === 'string' && args[key] !== ZERO_ADDRESS) return args[key] as Hex;
  }
  return null;
}

/** Appends the event to `job_event` and returns it in the form the folds take. */
export async function record(db: Db, contract: ContractName, name: string, event: PonderEvent): Promise<LoggedEvent> {
  const inputs = eventInputs[contract].get(name);
  if (!inputs) throw new Error(`${contract} ABI has no event ${name}`);
  const args = argsToJson(inputs, event.args);
  const logged: LoggedEvent = {
    name,
    args,
    contract: hex(event.log.address),
    blockNumber: event.block.number,
    timestamp: event.block.timestamp,
    txHash: event.transaction.hash,
  };
  await db.insert(jobEvent).values({
    id: eventId(event.block.number, event.log.logIndex),
    blockHash: event.block.hash,
    logIndex: event.log.logIndex,
    jobId: typeof args.jobId === 'string' ? (args.jobId as Hex) : null,
    account: accountOf(args),
    ...logged,
    // JSON text, so that Ponder stores a flat row (see indexer/jsonText.ts); it reads back parsed.
    args: JSON.stringify(args),
  });
  return logged;
}

/**
 * Applies `logged` to the worker `address` (one of `workersOf(logged)`), and, when the event settles
 * an outcome for it, to its record with the job's client.
 */
export async function updateWorker(db: Db, logged: LoggedEvent, address: Hex, context: Omit<WorkerEventContext, 'client'> = {}): Promise<void> {
  const outcome = outcomeOf(logged, address, context.job, context.slot);
  // The record with the job's client, written first in one upsert: the function sees the record
  // before (its numbers are copied out, since Ponder's view of a row follows the write).
  let client: WorkerClient | undefined;
  if (outcome) {
    const first = applyOutcome(undefined, address, outcome, logged);
    await db
      .insert(workerClient)
      .values(first)
      .onConflictDoUpdate((row) => {
        client = { ...row };
        return applyOutcome(client, address, outcome, logged);
      });
  }
  const full = { ...context, client };
  // One upsert: a new worker whole, a known one patched (Ponder hands its stored row to the
  // function; the patch reads only the columns it needs from it).
  await db
    .insert(worker)
    .values(applyWorkerEvent(undefined, logged, full, address))
    .onConflictDoUpdate((row) => workerPatchOf(row, logged, full));
}

/** Applies `logged` to every worker it changes (most events: one; a replicated close: each slot's). */
export async function updateWorkers(db: Db, logged: LoggedEvent, context: Omit<WorkerEventContext, 'client'> = {}): Promise<void> {
  for (const address of workersOf(logged)) await updateWorker(db, logged, address, context);
}

/** What the handlers read of a job besides its patch (its terms, and its state before the event). */
export type JobFacts = Pick<Job, 'id' | 'client' | 'token' | 'budget' | 'collateral' | 'mode' | 'pool' | 'price' | 'poolFeePaid' | 'modelIds'> &
  Pick<Job, 'kind' | 'filled' | 'revealed' | 'status'>;

/** Moves a job from status `from` (null: just posted) to `to` in `job_count`, in one store call. */
export async function countStatus(db: Db, from: Job['status'] | null, to: Job['status']): Promise<void> {
  if (from === to) return;
  const add = jobCountColumn[to];
  const take = from && jobCountColumn[from];
  await db
    .insert(jobCount)
    .values({ ...emptyJobCount(), [add]: 1 })
    .onConflictDoUpdate((row) => ({ [add]: row[add] + 1, ...(take && { [take]: row[take] - 1 }) }));
}

/**
 * A posted job, inserted whole (a job id is posted once: the contract refuses it again), and counted.
 * The parsed spec goes in as JSON text, so that Ponder keeps a flat row (indexer/jsonText.ts): it
 * would otherwise clone it on insert and stringify and parse it again on every later update.
 */
export async function insertJob(db: Db, posted: Job): Promise<void> {
  await db.insert(job).values({ ...posted, specJson: posted.specJson === null ? null : JSON.stringify(posted.specJson) });
  await countStatus(db, null, posted.status);
}

/**
 * Patches the job `id` in one store call (no find before the update) and returns its facts as they
 * were before; undefined when the job is unknown (posted before the indexer's start block: the log
 * keeps the event, the tables cannot).
 *
 * `patchOf` gets Ponder's view of the stored row, which later writes change: the facts are copied
 * out inside the call. Only scalar columns are read through the view (an object column read
 * through it deep-copies the whole row); `modelIds` is read from its property descriptor, which
 * hands over the stored array without that copy.
 */
export async function updateJob(db: Db, id: Hex, patchOf: (before: Job) => Partial<Job>): Promise<JobFacts | undefined> {
  let facts: JobFacts | undefined;
  let after: Job['status'] | undefined;
  try {
    await db.update(job, { id }).set((row) => {
      facts = {
        id: row.id,
        kind: row.kind,
        client: row.client,
        token: row.token,
        budget: row.budget,
        collateral: row.collateral,
        mode: row.mode,
        pool: row.pool,
        price: row.price,
        poolFeePaid: row.poolFeePaid,
        filled: row.filled,
        revealed: row.revealed,
        status: row.status,
        modelIds: [...(Object.getOwnPropertyDescriptor(row, 'modelIds')?.value as number[])],
      };
      const patch = patchOf(row);
      after = patch.status;
      return patch;
    });
  } catch (error) {
    if ((error as Error).name === 'RecordNotFoundError') return undefined;
    throw error;
  }
  if (facts && after) await countStatus(db, facts.status, after);
  return facts;
}

export async function credit(db: Db, { market, account, token, amount }: Credit): Promise<void> {
  await db
    .insert(balance)
    .values({ market, account, token, amount, credited: amount, withdrawn: 0n })
    .onConflictDoUpdate((row) => ({ amount: row.amount + amount, credited: row.credited + amount }));
}

export async function withdraw(db: Db, { market, account, token, amount }: Credit): Promise<void> {
  await db
    .insert(balance)
    .values({ market, account, token, amount: 0n, credited: 0n, withdrawn: amount })
    .onConflictDoUpdate((row) => ({ amount: 0n, withdrawn: row.withdrawn + amount }));
}

/** Adds a payout to what `address` earned in `token`. */
export async function earn(db: Db, address: Hex, token: Hex, payout: bigint): Promise<void> {
  if (address === ZERO_ADDRESS || payout <= 0n) return;
  await db
    .insert(workerEarning)
    .values({ worker: address, token, amount: payout, jobs: 1 })
    .onConflictDoUpdate((row) => ({ amount: row.amount + payout, jobs: row.jobs + 1 }));
}

export async function countDaily(db: Db, logged: LoggedEvent, jobNow: Pick<Job, 'token' | 'budget'>): Promise<void> {
  const counters = dailyCountersOf(logged);
  if (counters.length > 0) {
    const first = emptyDailyStat(utcDay(logged.timestamp));
    for (const counter of counters) first[counter] = 1;
    await db
      .insert(dailyStat)
      .values(first)
      .onConflictDoUpdate((row) => Object.fromEntries(counters.map((c) => [c, row[c] + 1])));
  }
  const volume = dailyVolumeOf(logged, jobNow);
  if (volume) {
    await db
      .insert(dailyTokenStat)
      .values(volume)
      .onConflictDoUpdate((row) => ({
        volumePosted: row.volumePosted + volume.volumePosted,
        volumeSettled: row.volumeSettled + volume.volumeSettled,
        fees: row.fees + volume.fees,
      }));
  }
}

/** A POOL job's pool fee at its assignment: its pool's fee now (null when the job has no pool, or it is unknown). */
export async function poolFeeNow(db: Db, job: Pick<Job, 'pool'>): Promise<number | null> {
  return job.pool == null ? null : ((await db.find(pool, { id: job.pool }))?.feeBps ?? null);
}

/** A PoolFeePaid (credited through `creditsOf`): its row in `pool_fee`. */
export async function recordPoolFee(db: Db, logged: LoggedEvent, event: PonderEvent): Promise<void> {
  const args = argsOf(logged);
  await db.insert(poolFee).values({
    id: eventId(event.block.number, event.log.logIndex),
    jobId: hex(args.jobId),
    pool: big(args.pool),
    operator: hex(args.operator),
    market: logged.contract,
    token: hex(args.token),
    amount: big(args.amount),
    blockNumber: logged.blockNumber,
    timestamp: logged.timestamp,
  });
}

/**
 * A job that uses models closed: each of its models is settled, royalty 0 until the RoyaltyPaid that
 * LoomModels emits later in the same transaction (none for a model that earned nothing).
 */
export async function settleJobModels(db: Db, job: Pick<Job, 'id' | 'modelIds'>, logged: LoggedEvent): Promise<void> {
  for (const modelId of job.modelIds) {
    const key = { jobId: job.id, modelId };
    if (await db.find(jobModel, key)) await db.update(jobModel, key).set({ royaltyPaid: 0n, settledDay: utcDay(logged.timestamp) });
  }
}

/** The treasury of the market that emitted `logged`, as of now (fees go to the treasury of the moment). */
export async function treasuryOf(db: Db, logged: LoggedEvent): Promise<Hex> {
  return (await db.find(market, { address: logged.contract }))?.treasury ?? ZERO_ADDRESS;
}

type MarketSettings = Partial<Pick<typeof market.$inferInsert, 'feeBps' | 'treasury' | 'defaultArbiter'>>;

/** Records a market's settings event and applies it to the market's row. */
export async function setMarket(db: Db, contract: 'LoomMarket' | 'LoomReplicatedMarket', name: string, event: PonderEvent, patch: (args: Args) => MarketSettings) {
  const logged = await record(db, contract, name, event);
  const values = { ...patch(argsOf(logged)), updatedBlock: event.block.number };
  await db
    .insert(market)
    .values({
      address: logged.contract,
      kind: contract === 'LoomMarket' ? 'SINGLE' : 'REPLICATED',
      feeBps: 0,
      treasury: ZERO_ADDRESS,
      defaultArbiter: null,
      ...values,
    })
    .onConflictDoUpdate(values);
}

/** Records a market's TokenAllowed and applies it to the market's allow-list. */
export async function allowToken(db: Db, contract: 'LoomMarket' | 'LoomReplicatedMarket', event: PonderEvent) {
  const logged = await record(db, contract, 'TokenAllowed', event);
  const args = argsOf(logged);
  const row = { market: logged.contract, token: hex(args.token), allowed: Boolean(args.allowed) };
  await db.insert(allowedToken).values(row).onConflictDoUpdate(row);
}
