/**
 * LoomMarket's indexing functions (single-worker jobs). Each event appends one `job_event` row, then
 * updates the current-state tables through the pure folds in ./fold, which the API reuses to replay
 * the log. Nothing here reads contract state: every figure comes from the events and from rows that
 * earlier events wrote.
 */
import { ponder } from 'ponder:registry';
import { arbiter, bid, job } from 'ponder:schema';
import { applyBidEvent, bidKeyOf } from './fold/bid';
import { creditsOf, withdrawalOf } from './fold/credits';
import { argsOf, big, hex, ZERO_ADDRESS } from './fold/event';
import { applyJobEvent, jobPatchOf } from './fold/job';
import {
  allowToken,
  countDaily,
  credit,
  earn,
  poolFeeNow,
  record,
  recordPoolFee,
  setMarket,
  settleJobModels,
  treasuryOf,
  updateWorkers,
  withdraw,
  type Db,
  type PonderEvent,
} from './store';

/**
 * Every job event: the job, its bid, its worker, the credits it makes, the earnings and the day; at
 * a close, the job's models; for PoolFeePaid, its `pool_fee` row.
 */
async function onJobEvent(db: Db, name: string, event: PonderEvent): Promise<void> {
  const logged = await record(db, 'LoomMarket', name, event);
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
  // A POOL job's fee is its pool's at assignment (the contract fixes it then; no event carries it).
  const poolFeeBps = name === 'JobAssigned' ? await poolFeeNow(db, before) : undefined;
  const patch = jobPatchOf(before, logged, { bid: bidBefore, poolFeeBps });

  const bidAfter = applyBidEvent(bidBefore, logged);
  if (bidAfter && bidAfter !== bidBefore) await db.insert(bid).values(bidAfter).onConflictDoUpdate(bidAfter);

  await updateWorkers(db, logged, { job: before });

  // The treasury of the moment is only needed when a fee is credited to it (creditsOf skips zero amounts).
  const treasury = name === 'JobClosed' && big(args.fee) !== 0n ? await treasuryOf(db, logged) : ZERO_ADDRESS;
  for (const c of creditsOf(logged, before, treasury)) await credit(db, c);

  if (name === 'JobClosed') {
    await earn(db, hex(args.worker), before.token, big(args.workerPayout));
    await settleJobModels(db, before, logged);
  }
  if (name === 'PoolFeePaid') await recordPoolFee(db, logged, event);

  await countDaily(db, logged, before);
  // Last: the update writes into the row `before` views. Only the changed columns are written.
  await db.update(job, { id }).set(patch);
}

// ---- configuration (the constructor emits the initial values) ----

ponder.on('LoomMarket:FeeSet', ({ event, context }) =>
  setMarket(context.db, 'LoomMarket', 'FeeSet', event, (a) => ({ feeBps: Number(a.feeBps) })),
);
ponder.on('LoomMarket:TreasurySet', ({ event, context }) =>
  setMarket(context.db, 'LoomMarket', 'TreasurySet', event, (a) => ({ treasury: hex(a.treasury) })),
);
ponder.on('LoomMarket:DefaultArbiterSet', ({ event, context }) =>
  setMarket(context.db, 'LoomMarket', 'DefaultArbiterSet', event, (a) => ({ defaultArbiter: hex(a.arbiter) })),
);
ponder.on('LoomMarket:TokenAllowed', ({ event, context }) => allowToken(context.db, 'LoomMarket', event));
ponder.on('LoomMarket:ArbiterAllowed', async ({ event, context }) => {
  const args = argsOf(await record(context.db, 'LoomMarket', 'ArbiterAllowed', event));
  const row = { address: hex(args.arbiter), allowed: Boolean(args.allowed) };
  await context.db.insert(arbiter).values(row).onConflictDoUpdate(row);
});
// Ownership (OpenZeppelin Ownable2Step): the log is the record.
ponder.on('LoomMarket:OwnershipTransferStarted', async ({ event, context }) => {
  await record(context.db, 'LoomMarket', 'OwnershipTransferStarted', event);
});
ponder.on('LoomMarket:OwnershipTransferred', async ({ event, context }) => {
  await record(context.db, 'LoomMarket', 'OwnershipTransferred', event);
});

// ---- jobs ----

ponder.on('LoomMarket:JobPosted', ({ event, context }) => onJobEvent(context.db, 'JobPosted', event));
ponder.on('LoomMarket:BidPlaced', ({ event, context }) => onJobEvent(context.db, 'BidPlaced', event));
ponder.on('LoomMarket:BidWithdrawn', ({ event, context }) => onJobEvent(context.db, 'BidWithdrawn', event));
ponder.on('LoomMarket:JobAssigned', ({ event, context }) => onJobEvent(context.db, 'JobAssigned', event));
ponder.on('LoomMarket:ResultSubmitted', ({ event, context }) => onJobEvent(context.db, 'ResultSubmitted', event));
ponder.on('LoomMarket:JobDisputed', ({ event, context }) => onJobEvent(context.db, 'JobDisputed', event));
ponder.on('LoomMarket:EvidenceSubmitted', ({ event, context }) => onJobEvent(context.db, 'EvidenceSubmitted', event));
ponder.on('LoomMarket:JobClosed', ({ event, context }) => onJobEvent(context.db, 'JobClosed', event));
// A POOL job's member paid its operator (just before JobClosed): the job, the operator's credit, the day.
ponder.on('LoomMarket:PoolFeePaid', ({ event, context }) => onJobEvent(context.db, 'PoolFeePaid', event));

// ---- funds ----

ponder.on('LoomMarket:Withdrawn', async ({ event, context }) => {
  await withdraw(context.db, withdrawalOf(await record(context.db, 'LoomMarket', 'Withdrawn', event))!);
});
