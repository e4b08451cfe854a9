/**
 * LoomMarket's indexing functions. Each event appends one `job_event` row (the log every other
 * table can be rebuilt from), then updates the current-state tables through the pure folds in
 * ./fold, which the API reuses to replay the log. Nothing here reads contract state: every figure
 * comes from the events and from rows that earlier events wrote.
 */
import { ponder, type Context } from 'ponder:registry';
import {
  allowedToken,
  arbiter,
  balance,
  bid,
  dailyStat,
  dailyTokenStat,
  job,
  jobEvent,
  market,
  worker,
  workerEarning,
} from 'ponder:schema';
import type { AbiParameter } from 'viem';
import { loomMarketAbi } from '../../abis/generated';
import { applyBidEvent, bidKeyOf } from './fold/bid';
import { creditsOf, withdrawalOf, type Credit } from './fold/credits';
import {
  argsOf,
  argsToJson,
  big,
  eventId,
  hex,
  utcDay,
  ZERO_ADDRESS,
  type Args,
  type Hex,
  type LoggedEvent,
} from './fold/event';
import { applyJobEvent, jobPatchOf, type Job } from './fold/job';
import { dailyCountersOf, dailyVolumeOf, emptyDailyStat } from './fold/stats';
import { applyWorkerEvent, workerOf, workerPatchOf } from './fold/worker';

type Db = Context['db'];
/** What the handlers use of Ponder's event (the same for every LoomMarket event). */
type PonderEvent = {
  args: unknown;
  block: { number: bigint; hash: Hex; timestamp: bigint };
  log: { logIndex: number };
  transaction: { hash: Hex };
};

const eventInputs = new Map<string, readonly AbiParameter[]>(
  loomMarketAbi.flatMap((item) => (item.type === 'event' ? [[item.name, item.inputs] as const] : [])),
);

/** The argument that names the account an event is about, in order of preference. */
const ACCOUNT_ARGS = ['worker', 'client', 'party', 'account', 'treasury', 'arbiter', 'newOwner'] as const;

function accountOf(args: Args): Hex | null {
  for (const key of ACCOUNT_ARGS) {
    if (typeof args[key] === 'string' && args[key] !== ZERO_ADDRESS) return args[key] as Hex;
  }
  return null;
}

/** Appends the event to `job_event` and returns it in the form the folds take. */
async function record(db: Db, name: string, event: PonderEvent): Promise<LoggedEvent> {
  const inputs = eventInputs.get(name);
  if (!inputs) throw new Error(`LoomMarket ABI has no event ${name}`);
  const args = argsToJson(inputs, event.args);
  const logged: LoggedEvent = {
    name,
    args,
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

// ---- current-state updates ----

async function updateWorker(db: Db, logged: LoggedEvent, jobBefore?: Job): Promise<void> {
  const address = workerOf(logged);
  if (!address) return;
  // One upsert: a new worker whole, a known one patched (Ponder hands its stored row to the
  // function; the patch reads only the columns it needs from it).
  await db
    .insert(worker)
    .values(applyWorkerEvent(undefined, logged, jobBefore))
    .onConflictDoUpdate((row) => workerPatchOf(row, logged, jobBefore));
}

async function credit(db: Db, { account, token, amount }: Credit): Promise<void> {
  await db
    .insert(balance)
    .values({ account, token, amount, credited: amount, withdrawn: 0n })
    .onConflictDoUpdate((row) => ({ amount: row.amount + amount, credited: row.credited + amount }));
}

async function countDaily(db: Db, logged: LoggedEvent, jobNow: Pick<Job, 'token' | 'budget'>): Promise<void> {
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

/** Every job event: the job, its bid, its worker, the credits it makes, the earnings and the day. */
async function onJobEvent(db: Db, name: string, event: PonderEvent): Promise<void> {
  const logged = await record(db, name, event);
  const args = argsOf(logged);
  if (name === 'JobPosted') {
    const posted = applyJobEvent(undefined, logged);
    // The parsed spec as JSON text, so that Ponder keeps a flat row (indexer/jsonText.ts): it would
    // otherwise clone it on insert and stringify and parse it again on every later update of the job.
    const row = { ...posted, specJson: posted.specJson === null ? null : JSON.stringify(posted.specJson) };
    await db.insert(job).values(row).onConflictDoUpdate(row);
    await countDaily(db, logged, posted);
    return;
  }
  // `before` is Ponder's copy-on-write view of the stored row: only scalar columns are read from it
  // (reading `specJson`, or spreading the row, would deep-copy it), and all before the job is updated.
  const id = hex(args.jobId);
  const before = await db.find(job, { id });
  // A job posted before the indexer's start block: the log keeps the event, the tables cannot.
  if (!before) return;

  const bidKey = bidKeyOf(logged);
  const bidBefore = bidKey ? ((await db.find(bid, bidKey)) ?? undefined) : undefined;
  const patch = jobPatchOf(before, logged, bidBefore);

  const bidAfter = applyBidEvent(bidBefore, logged);
  if (bidAfter && bidAfter !== bidBefore) await db.insert(bid).values(bidAfter).onConflictDoUpdate(bidAfter);

  await updateWorker(db, logged, before);

  // The treasury of the moment is only needed when a fee is credited to it (creditsOf skips zero amounts).
  const paysFee = name === 'JobClosed' && big(args.fee) !== 0n;
  const treasury = paysFee ? ((await db.find(market, { id: 1 }))?.treasury ?? ZERO_ADDRESS) : ZERO_ADDRESS;
  for (const c of creditsOf(logged, before, treasury)) await credit(db, c);

  const token = before.token;
  if (name === 'JobClosed') {
    const paidTo = hex(args.worker);
    const payout = big(args.workerPayout);
    if (paidTo !== ZERO_ADDRESS && payout > 0n) {
      await db
        .insert(workerEarning)
        .values({ worker: paidTo, token, amount: payout, jobs: 1 })
        .onConflictDoUpdate((row) => ({ amount: row.amount + payout, jobs: row.jobs + 1 }));
    }
  }

  await countDaily(db, logged, before);
  // Last: the update writes into the row `before` views. Only the changed columns are written.
  await db.update(job, { id }).set(patch);
}

async function onWorkerEvent(db: Db, name: string, event: PonderEvent): Promise<void> {
  await updateWorker(db, await record(db, name, event));
}

async function onWithdrawn(db: Db, event: PonderEvent): Promise<void> {
  const w = withdrawalOf(await record(db, 'Withdrawn', event))!;
  await db
    .insert(balance)
    .values({ account: w.account, token: w.token, amount: 0n, credited: 0n, withdrawn: w.amount })
    .onConflictDoUpdate((row) => ({ amount: 0n, withdrawn: row.withdrawn + w.amount }));
}

async function setMarket(db: Db, name: string, event: PonderEvent, patch: (args: Args) => Partial<typeof market.$inferInsert>) {
  const args = argsOf(await record(db, name, event));
  const values = { ...patch(args), updatedBlock: event.block.number };
  await db
    .insert(market)
    .values({ id: 1, feeBps: 0, treasury: ZERO_ADDRESS, defaultArbiter: ZERO_ADDRESS, ...values })
    .onConflictDoUpdate(values);
}

// ---- configuration ----

ponder.on('LoomMarket:FeeSet', ({ event, context }) =>
  setMarket(context.db, 'FeeSet', event, (a) => ({ feeBps: Number(a.feeBps) })),
);
ponder.on('LoomMarket:TreasurySet', ({ event, context }) =>
  setMarket(context.db, 'TreasurySet', event, (a) => ({ treasury: a.treasury })),
);
ponder.on('LoomMarket:DefaultArbiterSet', ({ event, context }) =>
  setMarket(context.db, 'DefaultArbiterSet', event, (a) => ({ defaultArbiter: a.arbiter })),
);
ponder.on('LoomMarket:TokenAllowed', async ({ event, context }) => {
  const args = argsOf(await record(context.db, 'TokenAllowed', event));
  const row = { token: hex(args.token), allowed: Boolean(args.allowed) };
  await context.db.insert(allowedToken).values(row).onConflictDoUpdate(row);
});
ponder.on('LoomMarket:ArbiterAllowed', async ({ event, context }) => {
  const args = argsOf(await record(context.db, 'ArbiterAllowed', event));
  const row = { address: hex(args.arbiter), allowed: Boolean(args.allowed) };
  await context.db.insert(arbiter).values(row).onConflictDoUpdate(row);
});
// Ownership (OpenZeppelin Ownable2Step): the log is the record.
ponder.on('LoomMarket:OwnershipTransferStarted', async ({ event, context }) => {
  await record(context.db, 'OwnershipTransferStarted', event);
});
ponder.on('LoomMarket:OwnershipTransferred', async ({ event, context }) => {
  await record(context.db, 'OwnershipTransferred', event);
});

// ---- workers ----

ponder.on('LoomMarket:WorkerRegistered', ({ event, context }) => onWorkerEvent(context.db, 'WorkerRegistered', event));
ponder.on('LoomMarket:WorkerClaimUpdated', ({ event, context }) => onWorkerEvent(context.db, 'WorkerClaimUpdated', event));
ponder.on('LoomMarket:WorkerAvailabilitySet', ({ event, context }) =>
  onWorkerEvent(context.db, 'WorkerAvailabilitySet', event),
);
ponder.on('LoomMarket:StakeAdded', ({ event, context }) => onWorkerEvent(context.db, 'StakeAdded', event));
ponder.on('LoomMarket:UnstakeRequested', ({ event, context }) => onWorkerEvent(context.db, 'UnstakeRequested', event));
ponder.on('LoomMarket:StakeWithdrawn', ({ event, context }) => onWorkerEvent(context.db, 'StakeWithdrawn', event));
ponder.on('LoomMarket:WorkerDeregistered', ({ event, context }) => onWorkerEvent(context.db, 'WorkerDeregistered', event));

// ---- jobs ----

ponder.on('LoomMarket:JobPosted', ({ event, context }) => onJobEvent(context.db, 'JobPosted', event));
ponder.on('LoomMarket:BidPlaced', ({ event, context }) => onJobEvent(context.db, 'BidPlaced', event));
ponder.on('LoomMarket:BidWithdrawn', ({ event, context }) => onJobEvent(context.db, 'BidWithdrawn', event));
ponder.on('LoomMarket:JobAssigned', ({ event, context }) => onJobEvent(context.db, 'JobAssigned', event));
ponder.on('LoomMarket:ResultSubmitted', ({ event, context }) => onJobEvent(context.db, 'ResultSubmitted', event));
ponder.on('LoomMarket:JobDisputed', ({ event, context }) => onJobEvent(context.db, 'JobDisputed', event));
ponder.on('LoomMarket:EvidenceSubmitted', ({ event, context }) => onJobEvent(context.db, 'EvidenceSubmitted', event));
ponder.on('LoomMarket:JobClosed', ({ event, context }) => onJobEvent(context.db, 'JobClosed', event));

// ---- funds ----

ponder.on('LoomMarket:Withdrawn', ({ event, context }) => onWithdrawn(context.db, event));
