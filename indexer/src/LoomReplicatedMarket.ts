/**
 * LoomReplicatedMarket's indexing functions (jobs run by several workers whose results must agree).
 * Each event appends one `job_event` row, then updates the job, its slots, the workers holding them,
 * their per-client records, credits, earnings and the day, through the pure folds in ./fold. Nothing
 * here reads contract state.
 */
import { ponder } from 'ponder:registry';
import { job, jobSlot } from 'ponder:schema';
import { creditsOf, withdrawalOf } from './fold/credits';
import { argsOf, big, hex, ZERO_ADDRESS } from './fold/event';
import { applyJobEvent, jobPatchOf } from './fold/job';
import { applySlotEvent, closeSlots, slotKeyOf, type Slot } from './fold/slot';
import {
  allowToken,
  countDaily,
  countStatus,
  credit,
  earn,
  insertJob,
  record,
  recordPoolFee,
  setMarket,
  settleJobModels,
  treasuryOf,
  updateJob,
  updateWorker,
  updateWorkers,
  withdraw,
  type Db,
  type PonderEvent,
} from './store';

async function onPosted(db: Db, event: PonderEvent): Promise<void> {
  const logged = await record(db, 'LoomReplicatedMarket', 'ReplicatedJobPosted', event);
  const posted = applyJobEvent(undefined, logged);
  await insertJob(db, posted);
  await countDaily(db, logged, posted);
}

/** SlotTaken, ResultCommitted, ResultRevealed: the slot, the job's counts, the worker (on a take). */
async function onSlotEvent(db: Db, name: string, event: PonderEvent): Promise<void> {
  const logged = await record(db, 'LoomReplicatedMarket', name, event);
  // The job's counts first, in one store call that also gives the job as it was (see `updateJob`).
  const before = await updateJob(db, hex(argsOf(logged).jobId), (row) => jobPatchOf(row, logged));
  if (!before) return;
  const key = slotKeyOf(logged)!;
  const slotBefore = (await db.find(jobSlot, key)) ?? undefined;
  const slot = applySlotEvent(slotBefore, logged, before.revealed ?? 0)!;
  await db.insert(jobSlot).values(slot).onConflictDoUpdate(slot);
  if (name === 'SlotTaken') await updateWorkers(db, logged, { job: before });
}

/**
 * ReplicatedJobPooled (right after the posting: the pool the slots are restricted to) and
 * PoolFeePaid (a paid member's operator, just before the close): the job, credits, the day.
 */
async function onPoolEvent(db: Db, name: string, event: PonderEvent): Promise<void> {
  const logged = await record(db, 'LoomReplicatedMarket', name, event);
  const before = await updateJob(db, hex(argsOf(logged).jobId), (row) => jobPatchOf(row, logged));
  if (!before) return;
  for (const c of creditsOf(logged, before, ZERO_ADDRESS)) await credit(db, c);
  if (name === 'PoolFeePaid') await recordPoolFee(db, logged, event);
  await countDaily(db, logged, before);
}

/** The settlement: slots, job, every slot's worker, credits, earnings, the day, the job's models. */
async function onClosed(db: Db, event: PonderEvent): Promise<void> {
  const logged = await record(db, 'LoomReplicatedMarket', 'ReplicatedJobClosed', event);
  const args = argsOf(logged);
  const id = hex(args.jobId);
  const before = await db.find(job, { id });
  if (!before) return;
  const taken: Slot[] = [];
  for (let slot = 0; slot < (before.filled ?? 0); slot++) {
    const row = await db.find(jobSlot, { jobId: id, slot });
    if (row) taken.push(row);
  }
  const slots = closeSlots(taken, logged);
  for (const { jobId, slot, payout, slashed, slashShare, verdict, updatedAt, updatedBlock } of slots) {
    await db.update(jobSlot, { jobId, slot }).set({ payout, slashed, slashShare, verdict, updatedAt, updatedBlock });
  }
  const patch = jobPatchOf(before, logged, { slots });

  for (const slot of slots) await updateWorker(db, logged, slot.worker, { job: before, slot });

  const treasury = big(args.fee) !== 0n ? await treasuryOf(db, logged) : ZERO_ADDRESS;
  for (const c of creditsOf(logged, before, treasury, slots)) await credit(db, c);
  for (const slot of slots) await earn(db, slot.worker, before.token, slot.payout ?? 0n);
  await settleJobModels(db, before, logged);

  await countDaily(db, logged, before);
  await db.update(job, { id }).set(patch);
  if (patch.status) await countStatus(db, before.status, patch.status);
}

// ---- configuration (the constructor emits the initial values) ----

ponder.on('LoomReplicatedMarket:FeeSet', ({ event, context }) =>
  setMarket(context.db, 'LoomReplicatedMarket', 'FeeSet', event, (a) => ({ feeBps: Number(a.feeBps) })),
);
ponder.on('LoomReplicatedMarket:TreasurySet', ({ event, context }) =>
  setMarket(context.db, 'LoomReplicatedMarket', 'TreasurySet', event, (a) => ({ treasury: hex(a.treasury) })),
);
ponder.on('LoomReplicatedMarket:TokenAllowed', ({ event, context }) => allowToken(context.db, 'LoomReplicatedMarket', event));
// Ownership (OpenZeppelin Ownable2Step): the log is the record.
ponder.on('LoomReplicatedMarket:OwnershipTransferStarted', async ({ event, context }) => {
  await record(context.db, 'LoomReplicatedMarket', 'OwnershipTransferStarted', event);
});
ponder.on('LoomReplicatedMarket:OwnershipTransferred', async ({ event, context }) => {
  await record(context.db, 'LoomReplicatedMarket', 'OwnershipTransferred', event);
});

// ---- jobs ----

ponder.on('LoomReplicatedMarket:ReplicatedJobPosted', ({ event, context }) => onPosted(context.db, event));
ponder.on('LoomReplicatedMarket:SlotTaken', ({ event, context }) => onSlotEvent(context.db, 'SlotTaken', event));
ponder.on('LoomReplicatedMarket:ResultCommitted', ({ event, context }) => onSlotEvent(context.db, 'ResultCommitted', event));
ponder.on('LoomReplicatedMarket:ResultRevealed', ({ event, context }) => onSlotEvent(context.db, 'ResultRevealed', event));
ponder.on('LoomReplicatedMarket:ReplicatedJobClosed', ({ event, context }) => onClosed(context.db, event));
ponder.on('LoomReplicatedMarket:ReplicatedJobPooled', ({ event, context }) => onPoolEvent(context.db, 'ReplicatedJobPooled', event));
ponder.on('LoomReplicatedMarket:PoolFeePaid', ({ event, context }) => onPoolEvent(context.db, 'PoolFeePaid', event));

// ---- funds ----

ponder.on('LoomReplicatedMarket:Withdrawn', async ({ event, context }) => {
  await withdraw(context.db, withdrawalOf(await record(context.db, 'LoomReplicatedMarket', 'Withdrawn', event))!);
});
