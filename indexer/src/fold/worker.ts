/**
 * A worker's state as a pure fold of the events about it: its own, from LoomRegistry (registration,
 * claim, availability, encryption key, stake), and the jobs it holds in either market (JobAssigned and
 * JobClosed; SlotTaken and ReplicatedJobClosed). Stake figures follow the registry: `stake` includes
 * `locked` collateral; unbonding stake has left `stake`. The markets lock, unlock and slash stake
 * without a registry event, so the markets' events carry those changes here.
 */
import type { worker as workerTable } from '../../ponder.schema';
import { REPUTATION_VERSION, evidenceDelta, reputation } from '../reputation';
import { argsOf, big, decodeShortString, hex, safeText, ZERO_ADDRESS, ZERO_BYTES32, type Hex, type LoggedEvent } from './event';
import { closeReasonOf, type Job } from './job';
import type { Slot } from './slot';
import { applyOutcome, disputeWon, outcomeOf, type WorkerClient } from './workerClient';

export type Worker = typeof workerTable.$inferSelect;

/** Events that change one worker, named by their `worker` argument. */
const OWN_EVENTS = new Set([
  'WorkerRegistered',
  'WorkerClaimUpdated',
  'WorkerAvailabilitySet',
  'EncryptionKeySet',
  'StakeAdded',
  'UnstakeRequested',
  'StakeWithdrawn',
  'WorkerDeregistered',
  'JobAssigned',
  'JobClosed',
  'SlotTaken',
]);

/** Events that change workers: OWN_EVENTS, and a replicated job's close (every slot's worker). */
export const WORKER_EVENTS = new Set([...OWN_EVENTS, 'ReplicatedJobClosed']);

/**
 * The workers an event changes, in the event's order: one for most, every slot's worker for a
 * replicated job's close, none for JobClosed of a job nobody was assigned to.
 */
export function workersOf(event: LoggedEvent): Hex[] {
  const args = argsOf(event);
  if (event.name === 'ReplicatedJobClosed') return (args.workers as unknown[]).map(hex);
  if (!OWN_EVENTS.has(event.name)) return [];
  const address = hex(args.worker);
  return address === ZERO_ADDRESS ? [] : [address];
}

/** A worker with no record: what an address is before it registers. */
export function emptyWorker(address: Hex, event: Pick<LoggedEvent, 'timestamp' | 'blockNumber'>): Worker {
  return {
    address,
    registered: false,
    available: false,
    gpuModelRaw: ZERO_BYTES32,
    gpuModel: null,
    gpuCount: 0,
    vramMiB: 0,
    cpuCores: 0,
    ramMiB: 0,
    pricePerGpuHour: 0n,
    metadataURI: '',
    encryptionKey: null,
    stake: 0n,
    locked: 0n,
    unbonding: 0n,
    unlockAt: null,
    activeJobs: 0,
    jobsAssigned: 0,
    jobsCompleted: 0,
    jobsReclaimed: 0,
    jobsReturned: 0,
    disputesWon: 0,
    disputesLost: 0,
    slashCount: 0,
    slashedTotal: 0n,
    replicasAgreed: 0,
    replicasDisagreed: 0,
    replicasUnrevealed: 0,
    clients: 0,
    evidenceFor: 0,
    evidenceAgainst: 0,
    reputation: reputation({ evidenceFor: 0, evidenceAgainst: 0 }),
    reputationVersion: REPUTATION_VERSION,
    registeredAt: event.timestamp,
    updatedAt: event.timestamp,
    updatedBlock: event.blockNumber,
  };
}

/** What a worker event needs besides the worker (for the events that settle a job). */
export type WorkerEventContext = {
  /** For JobClosed, SlotTaken and ReplicatedJobClosed: the job before the event. */
  job?: Pick<Job, 'client' | 'price' | 'collateral'> & Partial<Pick<Job, 'poolFeePaid'>>;
  /** For ReplicatedJobClosed: this worker's slot after the close (its verdict, slash). */
  slot?: Pick<Slot, 'verdict' | 'slashed'>;
  /** For an event that settles an outcome: the worker's record with the job's client before it. */
  client?: WorkerClient;
};

/**
 * The worker after `event`.
 *
 * @param worker The worker before the event; undefined if the address has no record yet.
 * @param event One of WORKER_EVENTS about this worker (see `workersOf`); others return it unchanged.
 * @param address The worker the event is applied to (one of `workersOf(event)`; default the first).
 */
export function applyWorkerEvent(worker: Worker | undefined, event: LoggedEvent, context: WorkerEventContext = {}, address?: Hex): Worker {
  const target = address ?? workersOf(event)[0];
  if (!target) {
    if (!worker) throw new Error(`${event.name} is about no worker`);
    return worker;
  }
  const base = worker ?? emptyWorker(target, event);
  return { ...base, ...workerPatchOf(base, event, context) };
}

/**
 * The columns of a worker that `event` changes, and their new values: `applyWorkerEvent` is
 * `{ ...worker, ...workerPatchOf(worker, event, context) }` (with `emptyWorker` for an unknown address).
 * The indexer writes only this patch; it reads only the columns it needs from `worker`.
 *
 * @param worker The worker before the event (its record, or `emptyWorker`).
 * @param event One of WORKER_EVENTS about this worker (see `workersOf`).
 * @param context As for `applyWorkerEvent`.
 */
export function workerPatchOf(worker: Worker, event: LoggedEvent, context: WorkerEventContext = {}): Partial<Worker> {
  const { job, slot } = context;
  const args = argsOf(event);
  const p: Partial<Worker> = { updatedAt: event.timestamp, updatedBlock: event.blockNumber };
  const slash = (slashed: bigint) => {
    p.stake = worker.stake - slashed;
    if (slashed > 0n) {
      p.slashCount = worker.slashCount + 1;
      p.slashedTotal = worker.slashedTotal + slashed;
    }
  };
  switch (event.name) {
    case 'WorkerRegistered':
      Object.assign(p, claimOf(args.claim), {
        registered: true,
        available: true,
        stake: big(args.stake),
        registeredAt: event.timestamp,
      });
      break;
    case 'WorkerClaimUpdated':
      Object.assign(p, claimOf(args.claim));
      break;
    case 'WorkerAvailabilitySet':
      p.available = Boolean(args.available);
      break;
    case 'EncryptionKeySet':
      p.encryptionKey = hex(args.key) === ZERO_BYTES32 ? null : hex(args.key);
      break;
    case 'StakeAdded':
      p.stake = big(args.stake);
      break;
    case 'UnstakeRequested':
      p.stake = big(args.stake);
      p.unbonding = big(args.unbonding);
      p.unlockAt = big(args.unlockAt);
      break;
    case 'StakeWithdrawn':
      p.unbonding = 0n;
      p.unlockAt = null;
      break;
    case 'WorkerDeregistered':
      // The registry deletes the worker's slot (it had nothing locked) and its key; its claim stays here as history.
      p.registered = false;
      p.available = false;
      p.encryptionKey = null;
      p.stake = 0n;
      p.locked = 0n;
      p.unbonding = big(args.unbonding);
      p.unlockAt = big(args.unlockAt);
      break;
    case 'JobAssigned':
    case 'SlotTaken':
      p.locked = worker.locked + (event.name === 'JobAssigned' ? big(args.collateral) : (job?.collateral ?? 0n));
      p.activeJobs = worker.activeJobs + 1;
      p.jobsAssigned = worker.jobsAssigned + 1;
      break;
    case 'JobClosed': {
      p.activeJobs = worker.activeJobs - 1;
      p.locked = worker.locked - (job?.collateral ?? 0n);
      slash(big(args.slashed));
      const reason = closeReasonOf(event);
      if (reason === 'COMPLETED') p.jobsCompleted = worker.jobsCompleted + 1;
      else if (reason === 'RECLAIMED') p.jobsReclaimed = worker.jobsReclaimed + 1;
      // Returning costs the worker nothing on chain; the count is what answers a worker that takes
      // jobs only to hand them back (it settles no outcome, so the reputation score does not move).
      else if (reason === 'RETURNED') p.jobsReturned = worker.jobsReturned + 1;
      else if (reason === 'DISPUTE_RESOLVED') {
        if (disputeWon(big(args.workerPayout) + (job?.poolFeePaid ?? 0n), big(args.fee), job?.price ?? 0n)) p.disputesWon = worker.disputesWon + 1;
        else p.disputesLost = worker.disputesLost + 1;
      }
      break;
    }
    case 'ReplicatedJobClosed':
      p.activeJobs = worker.activeJobs - 1;
      p.locked = worker.locked - (job?.collateral ?? 0n);
      slash(slot?.slashed ?? 0n);
      if (slot?.verdict === 'AGREED') p.replicasAgreed = worker.replicasAgreed + 1;
      else if (slot?.verdict === 'DISAGREED') p.replicasDisagreed = worker.replicasDisagreed + 1;
      else if (slot?.verdict === 'UNREVEALED') p.replicasUnrevealed = worker.replicasUnrevealed + 1;
      break;
  }
  const outcome = outcomeOf(event, worker.address, job, slot);
  if (outcome) {
    const delta = evidenceDelta(context.client, applyOutcome(context.client, worker.address, outcome, event));
    p.evidenceFor = worker.evidenceFor + delta.for;
    p.evidenceAgainst = worker.evidenceAgainst + delta.against;
    if (!context.client) p.clients = worker.clients + 1;
  }
  p.reputation = reputation({
    evidenceFor: p.evidenceFor ?? worker.evidenceFor,
    evidenceAgainst: p.evidenceAgainst ?? worker.evidenceAgainst,
  });
  p.reputationVersion = REPUTATION_VERSION;
  return p;
}

function claimOf(claim: Record<string, unknown>) {
  const gpuModelRaw = hex(claim.gpuModel);
  return {
    gpuModelRaw,
    gpuModel: decodeShortString(gpuModelRaw),
    gpuCount: Number(claim.gpuCount),
    vramMiB: Number(claim.vramMiB),
    cpuCores: Number(claim.cpuCores),
    ramMiB: Number(claim.ramMiB),
    pricePerGpuHour: big(claim.pricePerGpuHour),
    metadataURI: safeText(String(claim.metadataURI)),
  };
}
