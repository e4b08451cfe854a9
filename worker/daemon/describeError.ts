import { LoomError } from '../../sdk/errors';

/** An error as a log field: its message (contract reverts by name), never the objects it holds. */
export function describeError(err: unknown): string {
  if (err instanceof LoomError && err.code) return err.message;
  if (err instanceof Error) return err.message.split('\n')[0]!;
  return String(err);
}
