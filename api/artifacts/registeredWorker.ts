/**
 * Whether an address is a registered worker, from the indexed `worker` table: the store accepts
 * results only from those (artifactRoutes.ts, UploadPolicy.isRegisteredWorker).
 */
import { eq } from 'ponder';
import type { Db, Tables } from '../data/tables';

/** @example app.route('/artifacts', artifactRoutes(store, { uploads: { domain, isRegisteredWorker: registeredWorkerCheck(db, tables) } })) */
export function registeredWorkerCheck(db: Db, tables: Pick<Tables, 'worker'>): (address: `0x${string}`) => Promise<boolean> {
  const t = tables.worker;
  return async (address) => {
    const rows = await db.select({ registered: t.registered }).from(t).where(eq(t.address, address.toLowerCase() as `0x${string}`)).limit(1);
    return rows[0]?.registered === true;
  };
}
