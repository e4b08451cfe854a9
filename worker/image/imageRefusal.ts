import { WorkerError } from '../errors';
import type { ImageRefusal } from './imageTypes';

/**
 * A refusal inside the image store, with its code: check() returns it as `{ ok: false, code, reason }`,
 * prepare() throws it as WorkerError('IMAGE_REJECTED', reason) with this error as the cause.
 */
export class ImageRefusalError extends Error {
  override name = 'ImageRefusalError';
  constructor(
    readonly code: ImageRefusal,
    readonly reason: string,
  ) {
    super(reason);
  }
}

/** The WorkerError a refusal (or any other failure) of prepare() becomes; its cause keeps the code. */
export function imageRejected(err: unknown): WorkerError {
  if (err instanceof WorkerError) return err;
  if (err instanceof ImageRefusalError) return new WorkerError('IMAGE_REJECTED', err.reason, { cause: err });
  const message = err instanceof Error ? err.message : String(err);
  return new WorkerError('IMAGE_REJECTED', `the image could not be prepared: ${message}`, { cause: err });
}
