/**
 * Who may write a job's log, from the indexed tables: the job's assigned worker (`job.worker`), or
 * for a replicated job a worker holding one of its slots (`job.slotWorkers`). The log is then that
 * worker's: each writer has its own.
 */
import { eq } from 'ponder';
import type { Address, Hex } from 'viem';
import type { Db, Tables } from '../data/tables';

export type LogWriterCheck = (jobId: Hex, signer: Address) => Promise<'ok' | 'no_job' | 'not_worker'>;

/** @example logRoutes({ logs, domain, mayWrite: logWriterCheck(db, tables), jobExists: jobExistsCheck(db, tables) }) */
export function logWriterCheck(db: Db, tables: Pick<Tables, 'job'>): LogWriterCheck {
  const t = tables.job;
  return async (jobId, signer) => {
    const rows = await db.select({ worker: t.worker, slotWorkers: t.slotWorkers }).from(t).where(eq(t.id, jobId)).limit(1);
    const row = rows[0];
    if (!row) return 'no_job';
    const me = signer.toLowerCase();
    if (row.worker?.toLowerCase() === me || row.slotWorkers.some((w) => w.toLowerCase() === me)) return 'ok';
    return 'not_worker';
  };
}

/** Whether the indexer knows the job (a follower of an unknown job is refused rather than left waiting). */
export function jobExistsCheck(db: Db, tables: Pick<Tables, 'job'>): (jobId: Hex) => Promise<boolean> {
  const t = tables.job;
  return async (jobId) => (await db.select({ id: t.id }).from(t).where(eq(t.id, jobId)).limit(1)).length > 0;
}
