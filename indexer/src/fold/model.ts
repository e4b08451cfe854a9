/**
 * The model hub (LoomModels) as pure functions of its events: the row a ModelPublished creates, and
 * the rows of a job's use of its models (ModelsUsed). Royalties and refunds credit through
 * credits.ts; the handlers in ../LoomModels.ts apply the rest.
 */
import { modelKindKeys } from '../../../abis/generated';
import type { jobModel as jobModelTable, model as modelTable } from '../../ponder.schema';
import { argsOf, big, hex, safeText, utcDay, type LoggedEvent } from './event';

export type Model = typeof modelTable.$inferSelect;
export type JobModel = typeof jobModelTable.$inferSelect;

/** The file list as `model.files` holds it (sizes as decimal strings, like every uint64 in the log). */
export type ModelFile = { sha256: string; size: string; path: string };

/**
 * The model a ModelPublished creates.
 *
 * @param lineage The first version of the line it continues (the `lineage` of `previous`); ignored
 *   for a first version, whose lineage is itself.
 */
export function publishedModel(event: LoggedEvent, lineage: number | undefined): Model {
  const args = argsOf(event);
  const m = args.model;
  const id = Number(args.modelId);
  const previous = Number(args.previous);
  const kind = modelKindKeys[Number(m.kind)];
  if (!kind) throw new Error(`ModelPublished with unknown kind ${String(m.kind)}`);
  const files: ModelFile[] = (m.files as { sha256: string; size: unknown; path: string }[]).map((f) => ({
    sha256: hex(f.sha256),
    size: big(f.size).toString(),
    path: safeText(f.path),
  }));
  return {
    id,
    creator: hex(args.creator),
    previous: previous === 0 ? null : previous,
    lineage: previous === 0 ? id : (lineage ?? previous),
    name: safeText(m.name),
    version: safeText(m.version),
    kind,
    files,
    image: kind === 'IMAGE' ? safeText(m.image) : null,
    licenseURI: safeText(m.licenseURI),
    token: hex(m.token),
    fee: big(m.fee),
    retired: false,
    uses: 0,
    earned: 0n,
    publishedAt: event.timestamp,
    publishedBlock: event.blockNumber,
    transactionHash: event.txHash,
    updatedBlock: event.blockNumber,
  };
}

/** The rows of a ModelsUsed: one per model, with the fee escrowed for it, royalty unknown until the close. */
export function jobModelsUsed(event: LoggedEvent): JobModel[] {
  const args = argsOf(event);
  const fees = args.fees as unknown[];
  return (args.modelIds as unknown[]).map((modelId, position) => ({
    jobId: hex(args.jobId),
    modelId: Number(modelId),
    position,
    market: hex(args.market),
    token: hex(args.token),
    fee: big(fees[position]),
    royaltyPaid: null,
    usedAt: event.timestamp,
    usedBlock: event.blockNumber,
    usedDay: utcDay(event.timestamp),
    settledDay: null,
  }));
}
