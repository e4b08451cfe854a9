/**
 * What the commands share: the API reader, the market writer (the client key, the chain, the
 * market), job lookups, and waiting until the indexer has seen a transaction, so that `loom job
 * cancel X && loom job show X` shows the job cancelled.
 */
import type { Address, Hex, PublicClient } from 'viem';
import { connectChain } from '../sdk/chain/connectChain';
import { EventFields, JobEventsQuery, JobQuery, type JobResult } from '../sdk/documents';
import type { ResultOf } from '../sdk/graphql';
import { waitForIndexedBlock } from '../sdk/indexedBlock';
import { createLoomReader, type LoomReader } from '../sdk/reads';
import { createMarketWriter, type MarketWriter } from '../sdk/writes';
import { CliError } from './cliError';
import { type ClientKey, loadClientKey } from './clientKey';
import type { ClientConfig } from './config';
import type { Progress } from './output/progress';

export type ApiJob = JobResult & { asOfBlock?: string | null };
export type ApiEvent = ResultOf<typeof EventFields>;

export function openReader(config: ClientConfig): LoomReader {
  return createLoomReader({ url: config.apiUrl });
}

/** A job id as the contract and the API spell it: 0x + 64 hex digits, lowercase. */
export function parseJobId(text: string | undefined): Hex {
  if (text === undefined) throw new CliError('USAGE', 'missing the job id');
  if (!/^0x[0-9a-fA-F]{64}$/.test(text.trim())) throw new CliError('BAD_INPUT', `"${text}" is not a job id (0x and 64 hex digits)`);
  return text.trim().toLowerCase() as Hex;
}

/** The job as the API serves it; a CliError when the API does not know it. */
export async function fetchJob(reader: LoomReader, id: Hex, atBlock?: string): Promise<ApiJob> {
  const { job } = await reader.query(JobQuery, { id, ...(atBlock === undefined ? {} : { atBlock }) });
  if (!job) throw new CliError('API', `no job ${id}${atBlock === undefined ? '' : ` at block ${atBlock}`} (the API at ${reader.url} does not know it)`);
  return job;
}

/** Every event about a job, in chain order (paged through the API's 100-item pages). */
export async function fetchJobEvents(reader: LoomReader, id: Hex, limit = 10_000): Promise<{ events: ApiEvent[]; endCursor: string | null }> {
  const events: ApiEvent[] = [];
  let after: string | null = null;
  for (;;) {
    const { jobEvents }: ResultOf<typeof JobEventsQuery> = await reader.query(JobEventsQuery, { filter: { jobId: id }, order: 'ASC', first: 100, after });
    events.push(...jobEvents.edges.map((e) => e.node));
    after = jobEvents.pageInfo.endCursor ?? after;
    if (!jobEvents.pageInfo.hasNextPage || events.length >= limit) return { events, endCursor: after };
  }
}

export type WriterSession = {
  writer: MarketWriter;
  publicClient: PublicClient;
  chainId: number;
  market: Address;
  /** The client key's account (it also signs uploads to the artifact store). */
  account: ClientKey['account'];
};

/** Loads the client key, connects to the chain (checking LOOM_CHAIN_ID) and the market. */
export async function openWriter(config: ClientConfig, progress: Progress): Promise<WriterSession> {
  const { account } = await loadClientKey(config.keystore ? { keystore: config.keystore } : {});
  progress.update(`connecting to the chain at ${config.rpcUrl}`);
  let chain: Awaited<ReturnType<typeof connectChain>>;
  try {
    chain = await connectChain({
      rpcUrl: config.rpcUrl,
      account,
      ...(config.market ? { market: config.market } : {}),
      ...(config.replicated ? { replicated: config.replicated } : {}),
      ...(config.deploymentFile ? { deploymentFile: config.deploymentFile } : {}),
    });
  } catch (err) {
    throw new CliError('CONFIG', (err as { shortMessage?: string }).shortMessage ?? (err as Error).message, { cause: err });
  }
  if (config.chainId !== undefined && chain.chainId !== config.chainId) {
    throw new CliError('CONFIG', `the RPC at ${config.rpcUrl} is chain ${chain.chainId}, not ${config.chainId} (LOOM_CHAIN_ID / --chain-id)`);
  }
  const writer = createMarketWriter({ publicClient: chain.publicClient, walletClient: chain.walletClient, contracts: chain.contracts, account });
  return { writer, publicClient: chain.publicClient, chainId: chain.chainId, market: chain.market, account };
}

/**
 * Waits until the API has indexed block `block` for this job (its `updatedBlock`), so the next
 * command reads what this one did. False when it did not within `timeoutMs` (the transaction still
 * stands; only the indexer is behind).
 */
export async function waitIndexed(reader: LoomReader, id: Hex, block: bigint, progress: Progress, timeoutMs = 30_000): Promise<boolean> {
  progress.update(`waiting for the indexer to reach block ${block}`);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const { job } = await reader.query(JobQuery, { id });
      if (job && BigInt(job.updatedBlock) >= block) return true;
    } catch {
      // The API may be restarting: keep trying until the deadline.
    }
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * Waits until the API has indexed `block` (for what is not a job: a model, a pool), so the next
 * command reads what this one did. False when it did not within `timeoutMs`.
 */
export async function waitIndexedBlock(config: ClientConfig, block: bigint, progress: Progress, timeoutMs = 30_000): Promise<boolean> {
  progress.update(`waiting for the indexer to reach block ${block}`);
  return waitForIndexedBlock(config.apiUrl, block, { timeoutMs });
}
