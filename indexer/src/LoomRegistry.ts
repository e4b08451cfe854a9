/**
 * LoomRegistry's indexing functions: workers (registration, hardware claim, availability, encryption
 * key, stake) and the markets the registry trusts to lock stake. Each event appends one `job_event`
 * row; worker events then update the worker through the pure fold in ./fold/worker.ts. The markets'
 * locks, unlocks and slashes reach the worker through the markets' own events. Sealed secrets
 * bundles (SealedBundleSent) get a row each in `sealed_bundle`.
 */
import { ponder } from 'ponder:registry';
import { sealedBundle } from 'ponder:schema';
import { eventId } from './fold/event';
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

// ---- markets and ownership ----

ponder.on('LoomRegistry:MarketTrustProposed', ({ event, context }) => logOnly(context.db, 'MarketTrustProposed', event));
ponder.on('LoomRegistry:MarketTrustSet', ({ event, context }) => logOnly(context.db, 'MarketTrustSet', event));
ponder.on('LoomRegistry:OwnershipTransferStarted', ({ event, context }) => logOnly(context.db, 'OwnershipTransferStarted', event));
ponder.on('LoomRegistry:OwnershipTransferred', ({ event, context }) => logOnly(context.db, 'OwnershipTransferred', event));
