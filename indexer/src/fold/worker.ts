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
  const args = argsOf(event);
  const w: Worker = { ...(worker ?? emptyWorker(address, event)), updatedAt: event.timestamp, updatedBlock: event.blockNumber };
  switch (event.name) {
    case 'WorkerRegistered':
      Object.assign(w, claimOf(args.claim), {
        registered: true,
        available: true,
        stake: big(args.stake),
        registeredAt: event.timestamp,
      });
      break;
    case 'WorkerClaimUpdated':
      Object.assign(w, claimOf(args.claim));
      break;
    case 'WorkerAvailabilitySet':
      w.available = Boolean(args.available);
      break;
    case 'StakeAdded':
      w.stake = big(args.stake);
      break;
    case 'UnstakeRequested':
      w.stake = big(args.stake);
      w.unbonding = big(args.unbonding);
      w.unlockAt = big(args.unlockAt);
      break;
    case 'StakeWithdrawn':
      w.unbonding = 0n;
      w.unlockAt = null;
      break;
    case 'WorkerDeregistered':
      // The contract deletes the worker's slot (it had nothing locked); its claim stays here as history.
      w.registered = false;
      w.available = false;
      w.stake = 0n;
      w.locked = 0n;
      w.unbonding = big(args.unbonding);
      w.unlockAt = big(args.unlockAt);
      break;
    case 'JobAssigned':
      w.locked += big(args.collateral);
      w.activeJobs += 1;
      w.jobsAssigned += 1;
      break;
    case 'JobClosed': {
      const slashed = big(args.slashed);
      w.activeJobs -= 1;
      w.locked -= job?.collateral ?? 0n;
      w.stake -= slashed;
      if (slashed > 0n) {
        w.slashCount += 1;
        w.slashedTotal += slashed;
      }
      const reason = closeReasonOf(event);
      if (reason === 'COMPLETED') w.jobsCompleted += 1;
      else if (reason === 'RECLAIMED') w.jobsReclaimed += 1;
      else if (reason === 'DISPUTE_RESOLVED') {
        if (disputeWon(big(args.workerPayout), big(args.fee), job?.price ?? 0n)) w.disputesWon += 1;
        else w.disputesLost += 1;
      }
      break;
    }
  }
  return withReputation(w);
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
