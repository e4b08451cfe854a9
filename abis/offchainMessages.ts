/**
 * The formats of Loom's signed off-chain messages, beside the contracts' ABIs: artifact uploads,
 * live log chunks and worker presence. The API verifies them and the SDK signs them; neither may
 * import the other (layers), so both take the one definition from here. Hand-written (unlike
 * generated.ts): changing a type here changes what every signature covers.
 */
import type { Address } from 'viem';

/** EIP-712 domain of a Loom off-chain service of `market` on `chainId`. */
const serviceDomain = <N extends string>(name: N, chainId: number, market: Address) => ({ name, version: '1', chainId, verifyingContract: market }) as const;

/** An upload to the artifact store: the signer vouches for these bytes, for this purpose. */
export const artifactUploadDomain = (chainId: number, market: Address) => serviceDomain('Loom artifact store', chainId, market);
export const artifactUploadTypes = {
  ArtifactUpload: [
    { name: 'sha256', type: 'bytes32' },
    { name: 'size', type: 'uint256' },
    { name: 'purpose', type: 'string' },
    { name: 'issuedAt', type: 'uint256' },
  ],
} as const;

/** A chunk of a running job's live log, written by the job's worker. */
export const jobLogDomain = (chainId: number, market: Address) => serviceDomain('Loom job log', chainId, market);
export const jobLogTypes = {
  JobLogChunk: [
    { name: 'jobId', type: 'bytes32' },
    { name: 'offset', type: 'uint256' },
    { name: 'stream', type: 'string' },
    { name: 'dataSha256', type: 'bytes32' },
    { name: 'encrypted', type: 'bool' },
    { name: 'end', type: 'bool' },
    { name: 'issuedAt', type: 'uint256' },
  ],
} as const;
export const jobLogStreams = ['stdout', 'stderr'] as const;

/** A worker's presence session: its address binds an Ed25519 key that signs its heartbeats. */
export const presenceDomain = (chainId: number, market: Address) => serviceDomain('Loom presence', chainId, market);
export const presenceSessionTypes = {
  PresenceSession: [
    { name: 'worker', type: 'address' },
    { name: 'sessionKey', type: 'bytes32' },
    { name: 'issuedAt', type: 'uint256' },
  ],
} as const;
/** The tag every heartbeat document starts with: names the format and its version. */
export const HEARTBEAT_TAG = 'loom-heartbeat/1';
/** Heartbeat intervals a worker may promise (ms); the API counts it offline after 3 missed ones. */
export const HEARTBEAT_INTERVAL_BOUNDS_MS = { min: 200, max: 60_000 } as const;

/** One GPU as the worker's probe read it (nvidia-smi). Numbers the driver does not report are null. */
export type GpuState = {
  index: number;
  uuid: string;
  name: string;
  utilizationPct: number | null;
  memoryUsedMiB: number | null;
  memoryTotalMiB: number | null;
  temperatureC: number | null;
  /** Uncorrected ECC errors since the driver loaded (volatile); null when ECC is off or unsupported. */
  uncorrectedErrors: number | null;
};

/**
 * The GPU report of a heartbeat: `ok` with each GPU's state, `none` (a CPU-only machine), or `failed`
 * (the probe failed or hung: the worker takes no GPU jobs and is unavailable on-chain until it passes).
 */
export type GpuReport = { status: 'ok'; gpus: GpuState[] } | { status: 'none' } | { status: 'failed'; error: string };
