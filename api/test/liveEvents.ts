/**
 * What tests of live delivery share against an API on a test database: `job_event` rows written as
 * the indexer writes them (which drives the change feed), and the API's own counters.
 */
import { eventId } from '../../indexer/src/fold/event';

/** A JobPosted `job_event` row at (`block`, `logIndex`) carrying `args`, shaped as the indexer writes it. */
export function jobPostedRow(block: number, logIndex: number, args: Record<string, unknown>) {
  return {
    id: eventId(BigInt(block), logIndex),
    blockNumber: BigInt(block),
    blockHash: `0x${block.toString(16).padStart(64, '0')}` as `0x${string}`,
    txHash: `0x${(block * 1000 + logIndex).toString(16).padStart(64, '0')}` as `0x${string}`,
    logIndex,
    timestamp: 1_700_000_000n + BigInt(block),
    contract: `0x${'3a'.repeat(20)}` as `0x${string}`,
    name: 'JobPosted',
    jobId: null,
    account: null,
    args,
  };
}

/** The unlabelled `loom_api_*` figures of the API at `baseUrl` (/api/metrics), by name. */
export async function apiCounters(baseUrl: string): Promise<Record<string, number>> {
  const text = await (await fetch(`${baseUrl}/api/metrics`)).text();
  return Object.fromEntries([...text.matchAll(/^(loom_api_[a-z_]+) (\d+(?:\.\d+)?)$/gm)].map((m) => [m[1]!, Number(m[2])]));
}
