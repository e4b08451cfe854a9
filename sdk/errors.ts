/**
 * The SDK's errors: one base class, so a caller can tell the SDK's failures from its own with one
 * `instanceof`, and a short message without the details for logs and people. A `code` from a closed
 * set marks the failures a caller decides on (a key it cannot load, a configuration that does not
 * hold, outputs it cannot pack) without parsing messages; the worker's own errors extend this class
 * with more codes of the same kind.
 */
/**
 * - `KEY_UNAVAILABLE`: a key could not be loaded (no key, wrong password, corrupt keystore);
 * - `CONFIG_INVALID`: the configuration is invalid or incomplete (an RPC that does not answer, the deployment record);
 * - `OUTPUT_REJECTED`: outputs could not be packed (escaping symlink, device file, over the size cap);
 * - `USAGE`: a command line is wrong in itself (an unknown flag, a missing value or argument).
 */
export const loomErrorCodes = ['KEY_UNAVAILABLE', 'CONFIG_INVALID', 'OUTPUT_REJECTED', 'USAGE'] as const;

export type LoomErrorCode = (typeof loomErrorCodes)[number];

export class LoomError extends Error {
  override name = 'LoomError';
  /** The message without the code and the wrapped error's details. */
  readonly shortMessage: string;
  readonly code?: string;

  constructor(shortMessage: string, options?: { cause?: unknown; code?: string }) {
    super(options?.code ? `${options.code}: ${shortMessage}` : shortMessage, options?.cause === undefined ? undefined : { cause: options.cause });
    this.shortMessage = shortMessage;
    if (options?.code) this.code = options.code;
  }
}

/**
 * @example
 * throw coded('KEY_UNAVAILABLE', 'wrong keystore password (the MAC does not match)');
 */
export function coded(code: LoomErrorCode, shortMessage: string, options?: { cause?: unknown }): LoomError {
  return new LoomError(shortMessage, { ...options, code });
}
