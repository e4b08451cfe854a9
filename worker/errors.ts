import { LoomError, loomErrorCodes } from '../sdk/errors';

/**
 * The worker's one error class, a LoomError (the SDK's keys, chain connection and packing throw
 * LoomErrors with codes of this same set). Every refusal the worker makes (a bad spec, an input that does not
 * hash right, a sandbox it cannot build, a keystore it cannot open) is a WorkerError with a code from
 * a closed set, so the daemon can decide what to do (skip the job, abandon it, stop) without parsing
 * messages, and a short message a person can act on.
 */
const workerErrorCodes = [
  // KEY_UNAVAILABLE, CONFIG_INVALID (a flag, an environment variable, the deployment file), OUTPUT_REJECTED, USAGE.
  ...loomErrorCodes,
  /** The job spec is not a valid v1 spec. */
  'INVALID_SPEC',
  /** An input could not be fetched, was too large, or did not match its sha256. */
  'INPUT_REJECTED',
  /** The job's image cannot be used: a registry off the allow-list, no such manifest, too large, another platform, a blob that does not match its digest, a layer that escapes its root. */
  'IMAGE_REJECTED',
  /** The sandbox cannot be used (no bubblewrap, no user namespaces, no cgroups) and unsafe mode is off. */
  'SANDBOX_UNAVAILABLE',
  /** The sandbox could not be set up for this job (bwrap or cgroup setup failed). */
  'SANDBOX_SETUP_FAILED',
  /** The Loom API did not answer usefully (unreachable, an HTTP error, GraphQL errors). */
  'API_FAILED',
  /** A transaction was refused (its simulation reverted, named by the contract's error) or reverted on-chain. */
  'TX_FAILED',
  /** The result bundle could not be uploaded to the artifact store. */
  'UPLOAD_FAILED',
] as const;

export type WorkerErrorCode = (typeof workerErrorCodes)[number];

/**
 * @example
 * throw new WorkerError('INPUT_REJECTED', 'input "data.tar": sha256 mismatch (expected 9f86…, got 2c26…)');
 */
export class WorkerError extends LoomError {
  override name = 'WorkerError';
  declare readonly code: WorkerErrorCode;

  constructor(code: WorkerErrorCode, shortMessage: string, options?: { cause?: unknown }) {
    super(shortMessage, { ...options, code });
  }
}
