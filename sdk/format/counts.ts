/** Counts as the clients show them, capped ones included. */

/**
 * Where the web UI stops counting the jobs of a filtered list (`JobConnection.totalCount(upTo:)`):
 * past it, the exact number costs a scan of every match and tells a reader nothing more.
 */
export const JOB_COUNT_UP_TO = 1_000;

/** A count, and whether it may be more (`upTo` reached): 12 -> "12", 1000 of 1000 -> "1,000+". */
export function formatCount(n: number, upTo?: number): string {
  const text = n.toLocaleString('en-US');
  return upTo !== undefined && n >= upTo ? `${text}+` : text;
}
