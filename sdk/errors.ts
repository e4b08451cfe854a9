/**
 * The SDK's errors: one base class, so a caller can tell the SDK's failures from its own with one
 * `instanceof`, and a short message without the details for logs and people.
 */
export class LoomError extends Error {
  override name = 'LoomError';
  /** The message without the wrapped error's details. */
  readonly shortMessage: string;

  constructor(shortMessage: string, options?: { cause?: unknown }) {
    super(shortMessage, options);
    this.shortMessage = shortMessage;
  }
}
