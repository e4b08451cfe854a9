/**
 * What every job row, single or replicated, holds when its posting event creates it: the fields both
 * kinds read from their terms the same way, and the life-cycle columns that only later events fill.
 * job.ts (single jobs) and replicatedJob.ts add what their kind reads differently.
 */
import type { job as jobTable } from '../../ponder.schema';
import { argsOf, big, decodeShortString, decodeSpecJson, hex, type LoggedEvent } from './event';

type Job = typeof jobTable.$inferSelect;

/** The kind-specific columns: what `postedJobRow` leaves to its caller. */
type KindColumns =
  | 'kind'
  | 'arbiter'
  | 'budget'
  | 'mode'
  | 'offeredTo'
  | 'executionTimeout'
  | 'challengeWindow'
  | 'replicas'
  | 'quorum'
  | 'commitWindow'
  | 'revealWindow'
  | 'price'
  | 'filled'
  | 'committed'
  | 'revealed'
  | 'commitDeadline'
  | 'revealDeadline';

export function postedJobRow(event: LoggedEvent): Omit<Job, KindColumns> {
  const args = argsOf(event);
  const t = args.terms;
  const spec = hex(args.spec);
  return {
    id: hex(args.jobId),
    market: event.contract,
    client: hex(t.client),
    token: hex(t.token),
    collateral: big(t.collateral),
    feeBps: Number(t.feeBps),
    openUntil: big(t.openUntil),
    minGpuCount: Number(t.minGpuCount),
    minVramMiB: Number(t.minVramMiB),
    gpuModelRaw: hex(t.gpuModel),
    gpuModel: decodeShortString(hex(t.gpuModel)),
    specHash: hex(t.specHash),
    salt: big(t.salt),
    spec,
    specJson: decodeSpecJson(spec),
    status: 'OPEN',
    closeReason: null,
    worker: null,
    refund: null,
    pricePerGpuHour: null,
    executionDeadline: null,
    resultHash: null,
    resultURI: null,
    challengeDeadline: null,
    disputeReason: null,
    arbitrationDeadline: null,
    workerPayout: null,
    fee: null,
    clientRefund: null,
    slashed: null,
    slotWorkers: [],
    modelIds: [],
    pool: null,
    poolFeeBps: null,
    poolFeePaid: null,
    outcome: null,
    winnerSlashShare: null,
    clientSlashShare: null,
    activeBids: 0,
    postedAt: event.timestamp,
    postedBlock: event.blockNumber,
    postedTx: event.txHash,
    assignedAt: null,
    assignedDay: null,
    submittedAt: null,
    closedAt: null,
    updatedAt: event.timestamp,
    updatedBlock: event.blockNumber,
  };
}
