/**
 * The client CLI's one error class. Every failure `loom` reports is a CliError with a code from a
 * closed set, so the entry point picks the exit code and `--json` callers get a stable `code`
 * without parsing messages:
 *
 *   exit 2  USAGE (a bad flag, a missing argument: nothing was attempted)
 *   exit 1  everything else (bad input, configuration, the API, a transaction, a verification)
 */
export const cliErrorCodes = [
  /** The command line itself is wrong: unknown flag, missing argument. Exit code 2. */
  'USAGE',
  /** A value given is invalid: a spec that does not parse, a budget that is not an amount. */
  'BAD_INPUT',
  /** The configuration is incomplete or wrong: no key, no market address, an unreachable chain. */
  'CONFIG',
  /** The API did not answer usefully, or has no such job. */
  'API',
  /** A transaction was refused (its simulation reverted) or reverted on-chain. */
  'TX_FAILED',
  /** A downloaded artifact does not hash to what the chain holds, or could not be fetched. */
  'VERIFY_FAILED',
  /** The indexer replay failed or timed out. */
  'REPLAY_FAILED',
] as const;

export type CliErrorCode = (typeof cliErrorCodes)[number];

/** A decoded contract revert: the Solidity error's name and its arguments. */
export type RevertInfo = { name: string; args: readonly unknown[] };

/**
 * @example
 * throw new CliError('BAD_INPUT', '--budget: "abc" is not an amount (e.g. 0.5)');
 */
export class CliError extends Error {
  override name = 'CliError';
  readonly code: CliErrorCode;
  /** The message a person reads, without the code. */
  readonly shortMessage: string;
  /** For TX_FAILED: the contract's error, when the revert could be decoded. */
  readonly revert?: RevertInfo;
  /** Extra lines printed under the message (a hint, the usage). */
  readonly details?: string;

  constructor(code: CliErrorCode, shortMessage: string, options: { cause?: unknown; revert?: RevertInfo; details?: string } = {}) {
    super(shortMessage, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.shortMessage = shortMessage;
    if (options.revert) this.revert = options.revert;
    if (options.details) this.details = options.details;
  }

  /** 2 for bad usage, 1 for every other failure. */
  get exitCode(): number {
    return this.code === 'USAGE' ? 2 : 1;
  }
}

/** Shorthand for the most common failure: an invalid value. */
export function badInput(message: string): never {
  throw new CliError('BAD_INPUT', message);
}
