/**
 * The `sealed_bundle` row of a SealedBundleSent event. Pure (no Ponder modules): the handler and any
 * replay of `job_event` rows build the same row from the same logged event.
 */
import { argsOf, hex, type Hex, type LoggedEvent } from './event';

export type SealedBundleRow = {
  id: string;
  jobId: Hex;
  client: Hex;
  worker: Hex;
  bundleHash: Hex;
  inlineBundle: Hex | null;
  uri: string | null;
  blockNumber: bigint;
  timestamp: bigint;
};

/** @example sealedBundleRow(logged, eventId(block.number, log.logIndex)) */
export function sealedBundleRow(event: LoggedEvent, id: string): SealedBundleRow {
  const a = argsOf(event);
  const inline = hex(a.inlineBundle);
  return {
    id,
    jobId: hex(a.jobId),
    client: hex(a.client),
    worker: hex(a.worker),
    bundleHash: hex(a.bundleHash),
    inlineBundle: inline === '0x' ? null : inline,
    uri: a.uri === '' ? null : (a.uri as string),
    blockNumber: event.blockNumber,
    timestamp: event.timestamp,
  };
}
