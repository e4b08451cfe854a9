/**
 * LoomMarket's indexing functions (single-worker jobs). Each event appends one `job_event` row, then
 * updates the current-state tables through the pure folds in ./fold, which the API reuses to replay
 * the log. Nothing here reads contract state: every figure comes from the events and from rows that
 * earlier events wrote.
 */
import { ponder } from 'ponder:registry';
import { arbiter, bid, job } from 'ponder:schema';
import { applyBidEvent, bidKeyOf, type Bid } from './fold/bid';
import { creditsOf, withdrawalOf } from './fold/credits';
import { argsOf, big, hex, ZERO_ADDRESS, type LoggedEvent } from './fold/event';
import { applyJobEvent, jobPatchOf } from './fold/job';
import {
  allowToken,
  countDaily,
  credit,
  earn,
  insertJob,
  poolFeeNow,
  record,
  recordPoolFee,
  setMarket,
  settleJobModels,
  treasuryOf,
  updateJob,
  updateWorkers,
  withdraw,
  type Db,
  type PonderEvent,
} from './store';

/**
 * The event's bid (BidPlaced, BidWithdrawn, JobAssigned) brought up to date, before the job: the
 * job's `activeBids` depends on the bid's status before the event, which is returned. One store call
 * where the event says enough (a placement replaces the bid, a withdrawal marks the worker's standing
 * bid); an assignment finds the bid first (a claim-mode assignment has none). `known` is false when
 * a withdrawal finds no bid (the job was posted before the indexer's start block).
 */
async function writeBid(db: Db, logged: LoggedEvent): Promise<{ before?: Pick<Bid, 'status'>; known: boolean }> {
  const key = bidKeyOf(logged);
  if (!key) return { known: true };
  let before: Pick<Bid, 'status'> | undefined;
  if (logged.name === 'BidPlaced') {
    const placed = applyBidEvent(undefined, logged)!;
    await db
      .insert(bid)
      .values(placed)
      .onConflictDoUpdate((row) => {
        before = { status: row.status };
        return placed;
      });
    return { before, known: true };
  }
  if (logged.name === 'BidWithdrawn') {
    try {
      await db.update(bid, key).set((row) => {
        before = { status: row.status };
        const { status, updatedAt, updatedBlock } = applyBidEvent(row, logged)!;
        return { status, updatedAt, updatedBlock };
      });
    } catch (error) {
      if ((error as Error).name === 'RecordNotFoundError') return { known: false };
      throw error;
    }
    return { before, known: true };
  }
  const found = (await db.find(bid, key)) ?? undefined;
  // Read before the update: Ponder's view of the row follows it.
  if (found) before = { status: found.status };
  const after = applyBidEvent(found, logged);
  if (after && after !== found) await db.update(bid, key).set({ status: after.status, updatedAt: after.updatedAt, updatedBlock: after.updatedBlock });
  return { before, known: true };
}

/**
 * Every job event: its bid, the job, its worker, the credits it makes, the earnings and the day; at
 * a close, the job's models; for PoolFeePaid, its `pool_fee` row. The job is patched in one store
 * call (`updateJob`), which also gives what the rest reads of it as it was before the event.
 */
async function onJobEvent(db: Db, name: string, event: PonderEvent): Promise<void> {
  const logged = await record(db, 'LoomMarket', name, event);
  const args = argsOf(logged);
  if (name === 'JobPosted') {
    const posted = applyJobEvent(undefined, logged);
    await insertJob(db, posted);
    await countDaily(db, logged, posted);
    return;
  }
  const id = hex(args.jobId);
  const written = await writeBid(db, logged);
  if (!written.known) return;
  const before = await updateJob(db, id, (row) => jobPatchOf(row, logged, { bid: written.before }));
  if (!before) {
    // Unknown job: undo the placement just written, as the tables keep nothing of such a job.
    if (name === 'BidPlaced') await db.delete(bid, bidKeyOf(logged)!);
    return;
  }
  // A POOL job's fee is its pool's at assignment (the contract fixes it then; no event carries it).
  if (name === 'JobAssigned' && before.mode === 'POOL') await db.update(job, { id }).set({ poolFeeBps: await poolFeeNow(db, before) });

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
