/**
 * A worker's state as a pure fold of the events about it: its own (registration, claim, stake) and
 * the jobs it was assigned (JobAssigned, JobClosed). Stake figures follow the contract:
 * `stake` includes `locked` collateral; unbonding stake has left `stake`.
 */
import type { worker as workerTable } from '../../ponder.schema';
import { REPUTATION_VERSION, reputation } from '../reputation';
import { argsOf, big, decodeShortString, hex, safeText, ZERO_ADDRESS, type Hex, type LoggedEvent } from './event';
import { closeReasonOf, type Job } from './job';

export type Worker = typeof workerTable.$inferSelect;

/** Events that change a worker, and where their worker's address is. */
export const WORKER_EVENTS = new Set([
  'WorkerRegistered',
  'WorkerClaimUpdated',
  'WorkerAvailabilitySet',
  'StakeAdded',
  'UnstakeRequested',
  'StakeWithdrawn',
  'WorkerDeregistered',
  'JobAssigned',
  'JobClosed',
]);

/** The worker an event changes, or undefined (JobClosed of a job nobody was assigned to). */
export function workerOf(event: LoggedEvent): Hex | undefined {
  if (!WORKER_EVENTS.has(event.name)) return undefined;
  const address = hex(argsOf(event).worker);
  return address === ZERO_ADDRESS ? undefined : address;
}

/** A worker with no record: what an address is before it registers. */
export function emptyWorker(address: Hex, event: LoggedEvent): Worker {
  return withReputation({
    address,
    registered: false,
    available: false,
    gpuModelRaw: '0x0000000000000000000000000000000000000000000000000000000000000000',
    gpuModel: null,
    gpuCount: 0,
    vramMiB: 0,
    cpuCores: 0,
    ramMiB: 0,
    pricePerGpuHour: 0n,
    metadataURI: '',
    stake: 0n,
    locked: 0n,
    unbonding: 0n,
    unlockAt: null,
    activeJobs: 0,
    jobsAssigned: 0,
    jobsCompleted: 0,
    jobsReclaimed: 0,
    disputesWon: 0,
    disputesLost: 0,
    slashCount: 0,
    slashedTotal: 0n,
    reputation: 0,
    reputationVersion: REPUTATION_VERSION,
    registeredAt: event.timestamp,
    updatedAt: event.timestamp,
    updatedBlock: event.blockNumber,
  });
}

/**
 * Whether a dispute ruling went the worker's way: it was paid the whole price (before the fee).
 * Anything less means the arbiter sided, at least in part, with the client.
 */
export function disputeWon(workerPayout: bigint, fee: bigint, price: bigint): boolean {
  return workerPayout + fee >= price;
}

/**
 * The worker after `event`.
 *
 * @param worker The worker before the event; undefined if the address has no record yet.
 * @param event One of WORKER_EVENTS about this worker (see `workerOf`); others return it unchanged.
 * @param job For JobClosed: the job before it closed (its collateral is unlocked, its price decides
 *   whether a dispute was won).
 */
export function applyWorkerEvent(worker: Worker | undefined, event: LoggedEvent, job?: Job): Worker {
  const address = workerOf(event);
  if (!address) {
    if (!worker) throw new Error(`${event.name} is about no worker`);
    return worker;
  }
  const base = worker ?? emptyWorker(address, event);
  return { ...base, ...workerPatchOf(base, event, job) };
}

/**
 * The columns of a worker that `event` changes, and their new values: `applyWorkerEvent` is
 * `{ ...worker, ...workerPatchOf(worker, event, job) }` (with `emptyWorker` for an unknown address).
 * The indexer writes only this patch; it reads only the columns it needs from `worker`.
 *
 * @param worker The worker before the event (its record, or `emptyWorker`).
 * @param event One of WORKER_EVENTS about this worker (see `workerOf`).
 * @param job As for `applyWorkerEvent`.
 */
export function workerPatchOf(worker: Worker, event: LoggedEvent, job?: Pick<Job, 'collateral' | 'price'>): Partial<Worker> {
  const args = argsOf(event);
  const p: Partial<Worker> = { updatedAt: event.timestamp, updatedBlock: event.blockNumber };
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
      // The contract deletes the worker's slot (it had nothing locked); its claim stays here as history.
      p.registered = false;
      p.available = false;
      p.stake = 0n;
      p.locked = 0n;
      p.unbonding = big(args.unbonding);
      p.unlockAt = big(args.unlockAt);
      break;
    case 'JobAssigned':
      p.locked = worker.locked + big(args.collateral);
      p.activeJobs = worker.activeJobs + 1;
      p.jobsAssigned = worker.jobsAssigned + 1;
      break;
    case 'JobClosed': {
      const slashed = big(args.slashed);
      p.activeJobs = worker.activeJobs - 1;
      p.locked = worker.locked - (job?.collateral ?? 0n);
      p.stake = worker.stake - slashed;
      if (slashed > 0n) {
        p.slashCount = worker.slashCount + 1;
        p.slashedTotal = worker.slashedTotal + slashed;
      }
      const reason = closeReasonOf(event);
      if (reason === 'COMPLETED') p.jobsCompleted = worker.jobsCompleted + 1;
      else if (reason === 'RECLAIMED') p.jobsReclaimed = worker.jobsReclaimed + 1;
      else if (reason === 'DISPUTE_RESOLVED') {
        if (disputeWon(big(args.workerPayout), big(args.fee), job?.price ?? 0n)) p.disputesWon = worker.disputesWon + 1;
        else p.disputesLost = worker.disputesLost + 1;
      }
      break;
    }
  }
  p.reputation = reputation({
    jobsCompleted: p.jobsCompleted ?? worker.jobsCompleted,
    jobsReclaimed: p.jobsReclaimed ?? worker.jobsReclaimed,
    disputesWon: p.disputesWon ?? worker.disputesWon,
    disputesLost: p.disputesLost ?? worker.disputesLost,
    slashCount: p.slashCount ?? worker.slashCount,
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

function withReputation(w: Worker): Worker {
  return { ...w, reputation: reputation(w), reputationVersion: REPUTATION_VERSION };
}
