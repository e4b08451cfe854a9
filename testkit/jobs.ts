/**
 * Posting jobs in tests: the one helper every suite uses. Parameters default to a job any test
 * worker can take (no GPU requirement, ETH, claim mode, open for an hour from the chain's clock);
 * a suite sets its own defaults once on its chain (`startChain({ jobDefaults })`), a test overrides
 * per call.
 */
import { type Hex, type TransactionReceipt, keccak256, parseEventLogs, stringToHex, toHex, zeroAddress, zeroHash } from 'viem';
import { loomMarketAbi } from '../abis/generated';
import type { JobTerms } from '../sdk/jobTerms';
import type { HardwareClaim, JobParams } from '../sdk/writes';

/** Job parameters, any of them; `openFor` (seconds from the chain's clock) instead of `openUntil`. */
export type JobParamsInput = Partial<JobParams> & { openFor?: number };

export type PostJob = JobParamsInput & {
  /** Account index of the client (default 1). */
  client?: number;
  /** The spec: a string is sent as its UTF-8 bytes, anything else JSON-encoded. */
  spec?: unknown;
  /** The spec's exact bytes (wins over `spec`). */
  specBytes?: Hex;
};

export type PostedJob = { id: Hex; terms: JobTerms; receipt: TransactionReceipt };

/** What jobParams and postJob need of a chain (testkit/chain.ts). */
export type JobChain = {
  now: () => Promise<number>;
  salt: bigint;
  jobDefaults: JobParamsInput;
  send: (from: number, functionName: string, args?: readonly unknown[], value?: bigint) => Promise<TransactionReceipt>;
};

/** Full job parameters: the chain's defaults, then `overrides`; a new salt each call. */
export async function jobParams(chain: JobChain, overrides: JobParamsInput = {}): Promise<JobParams> {
  const { openFor, ...p } = { ...chain.jobDefaults, ...overrides };
  return {
    token: zeroAddress,
    arbiter: zeroAddress,
    budget: 10n ** 17n,
    collateral: 0n,
    mode: 0,
    offeredTo: zeroAddress,
    openUntil: (await chain.now()) + (openFor ?? 3600),
    executionTimeout: 3600,
    challengeWindow: 3600,
    minGpuCount: 0,
    minVramMiB: 0,
    gpuModel: zeroHash,
    salt: ++chain.salt,
    ...p,
  };
}

/** Posts a job (paying the budget when it is in ETH) and returns its id, terms and receipt. */
export async function postJob(chain: JobChain, p: PostJob): Promise<PostedJob> {
  const { client, spec, specBytes, ...overrides } = p;
  const specHex = specBytes ?? (typeof spec === 'string' ? toHex(spec) : toHex(JSON.stringify(spec ?? { version: 1 })));
  const params = await jobParams(chain, overrides);
  const receipt = await chain.send(client ?? 1, 'postJob', [params, specHex], params.token === zeroAddress ? params.budget : undefined);
  const [posted] = parseEventLogs({ abi: loomMarketAbi, logs: receipt.logs, eventName: 'JobPosted' });
  const terms = posted!.args.terms as JobTerms;
  if (terms.specHash !== keccak256(specHex)) throw new Error('specHash mismatch');
  return { id: posted!.args.jobId, terms, receipt };
}

/** A worker's hardware claim; by default two H100s. */
export function hardwareClaim(c: { model?: string; gpuCount?: number; vramMiB?: number; metadataURI?: string } = {}): HardwareClaim {
  return {
    gpuModel: stringToHex(c.model ?? 'NVIDIA H100 80GB HBM3', { size: 32 }),
    gpuCount: c.gpuCount ?? 2,
    vramMiB: c.vramMiB ?? 81_920,
    cpuCores: 32,
    ramMiB: 262_144,
    pricePerGpuHour: 2_500_000n,
    metadataURI: c.metadataURI ?? 'ipfs://sdk-test-worker',
  };
}


/** The token address that means ETH. */
export const ETH = zeroAddress;

/** A v1 spec running `script` with small resources (what a test worker runs in its sandbox). */
export function scriptSpec(script: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { version: 1, script, resources: { memoryMiB: 256, timeoutSeconds: 30, outputMiB: 16 }, ...extra };
}
