/**
 * `job_count` (indexer/ponder.schema.ts): how many jobs are in each status, one column per status.
 * The indexer moves a job between columns as it changes status; the API sums the columns a
 * status-only filter asks for instead of counting rows.
 */
import type { Job } from './job';

/** The column of each status. */
export const jobCountColumn = {
  OPEN: 'open',
  ASSIGNED: 'assigned',
  SUBMITTED: 'submitted',
  DISPUTED: 'disputed',
  CLOSED: 'closed',
} as const satisfies Record<Job['status'], string>;

export type JobCountRow = { id: number } & Record<(typeof jobCountColumn)[Job['status']], number>;

/** The row before the first job: every status at zero. */
export const emptyJobCount = (): JobCountRow => ({ id: 0, open: 0, assigned: 0, submitted: 0, disputed: 0, closed: 0 });

/** The jobs in `statuses` (each once) according to `row` (none: no job yet). */
export function countOf(row: JobCountRow | undefined, statuses: readonly Job['status'][]): number {
  if (!row) return 0;
  return [...new Set(statuses)].reduce((n, status) => n + row[jobCountColumn[status]], 0);
}
