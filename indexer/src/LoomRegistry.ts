/**
 * LoomRegistry's indexing functions: workers (registration, hardware claim, availability, encryption
 * key, stake) and the markets the registry trusts to lock stake. Each event appends one `job_event`
 * row; worker events then update the worker through the pure fold in ./fold/worker.ts. The markets'
 * locks, unlocks and slashes reach the worker through the markets' own events. Sealed secrets
 * bundles (SealedBundleSent) get a row each in `sealed_bundle`. Worker pools: `pool` (created, its
 * fee) and `pool_member` (requests, members, leaving; the row goes when the worker leaves).
 */
import { ponder } from 'ponder:registry';
import { pool, poolMember, sealedBundle } from 'ponder:schema';
import { argsOf, big, eventId, hex } from './fold/event';
import { createdPool, memberAfter } from './fold/pool';
import { sealedBundleRow } from './fold/sealedBundle';
import { record, updateWorkers, type Db, type PonderEvent } from './store';

async function onWorkerEvent(db: Db, name: string, event: PonderEvent): Promise<void> {
  await updateWorkers(db, await record(db, 'LoomRegistry', name, event));
}

/** Events the log alone records: trust changes (a timelocked owner decision) and ownership. */
async function logOnly(db: Db, name: string, event: PonderEvent): Promise<void> {
  await record(db, 'LoomRegistry', name, event);
}

// ---- workers ----

ponder.on('LoomRegistry:WorkerRegistered', ({ event, context }) => onWorkerEvent(context.db, 'WorkerRegistered', event));
ponder.on('LoomRegistry:WorkerClaimUpdated', ({ event, context }) => onWorkerEvent(context.db, 'WorkerClaimUpdated', event));
ponder.on('LoomRegistry:WorkerAvailabilitySet', ({ event, context }) => onWorkerEvent(context.db, 'WorkerAvailabilitySet', event));
ponder.on('LoomRegistry:EncryptionKeySet', ({ event, context }) => onWorkerEvent(context.db, 'EncryptionKeySet', event));
ponder.on('LoomRegistry:StakeAdded', ({ event, context }) => onWorkerEvent(context.db, 'StakeAdded', event));
ponder.on('LoomRegistry:UnstakeRequested', ({ event, context }) => onWorkerEvent(context.db, 'UnstakeRequested', event));
ponder.on('LoomRegistry:StakeWithdrawn', ({ event, context }) => onWorkerEvent(context.db, 'StakeWithdrawn', event));
ponder.on('LoomRegistry:WorkerDeregistered', ({ event, context }) => onWorkerEvent(context.db, 'WorkerDeregistered', event));

// ---- sealed secrets ----

ponder.on('LoomRegistry:SealedBundleSent', async ({ event, context }) => {
  const logged = await record(context.db, 'LoomRegistry', 'SealedBundleSent', event);
  await context.db.insert(sealedBundle).values(sealedBundleRow(logged, eventId(event.block.number, event.log.logIndex)));
});

// ---- worker pools ----

ponder.on('LoomRegistry:PoolCreated', async ({ event, context }) => {
  await context.db.insert(pool).values(createdPool(await record(context.db, 'LoomRegistry', 'PoolCreated', event)));
});
ponder.on('LoomRegistry:PoolFeeSet', async ({ event, context }) => {
  const args = argsOf(await record(context.db, 'LoomRegistry', 'PoolFeeSet', event));
  const id = big(args.pool);
  if (await context.db.find(pool, { id })) {
    await context.db.update(pool, { id }).set({ feeBps: Number(args.feeBps), updatedBlock: event.block.number });
  }
});

async function onMembership(db: Db, name: string, event: PonderEvent): Promise<void> {
  const logged = await record(db, 'LoomRegistry', name, event);
  const after = memberAfter(logged);
  const args = argsOf(logged);
  const key = { pool: big(args.pool), worker: hex(args.worker) };
  if (after) await db.insert(poolMember).values(after).onConflictDoUpdate(after);
  else if (await db.find(poolMember, key)) await db.delete(poolMember, key);
}

ponder.on('LoomRegistry:PoolJoinRequested', ({ event, context }) => onMembership(context.db, 'PoolJoinRequested', event));
ponder.on('LoomRegistry:PoolMemberAdded', ({ event, context }) => onMembership(context.db, 'PoolMemberAdded', event));
ponder.on('LoomRegistry:PoolLeaveRequested', ({ event, context }) => onMembership(context.db, 'PoolLeaveRequested', event));
ponder.on('LoomRegistry:PoolMemberLeft', ({ event, context }) => onMembership(context.db, 'PoolMemberLeft', event));
ponder.on('LoomRegistry:PoolMemberRemoved', ({ event, context }) => onMembership(context.db, 'PoolMemberRemoved', event));

// ---- markets and ownership ----

ponder.on('LoomRegistry:MarketTrustProposed', ({ event, context }) => logOnly(context.db, 'MarketTrustProposed', event));
ponder.on('LoomRegistry:MarketTrustSet', ({ event, context }) => logOnly(context.db, 'MarketTrustSet', event));
ponder.on('LoomRegistry:OwnershipTransferStarted', ({ event, context }) => logOnly(context.db, 'OwnershipTransferStarted', event));
ponder.on('LoomRegistry:OwnershipTransferred', ({ event, context }) => logOnly(context.db, 'OwnershipTransferred', event));
