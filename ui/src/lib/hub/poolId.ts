/**
 * A pool as the job form takes it: picked or typed, its id (uint64, from 1), which the SDK's builders
 * turn into a POOL job's `offeredTo` (the id as an address) or a replicated job's `pool`.
 */
import { TERMS_BOUNDS } from '$sdk/jobParams';

const MAX_POOL_ID = TERMS_BOUNDS.pool.max;

/** The pool id typed or picked ("3"), or a sentence saying why it is not one. */
export function parsePoolId(text: string): { ok: true; pool: bigint } | { ok: false; message: string } {
  const t = text.trim();
  if (!/^\d+$/.test(t)) return { ok: false, message: t ? `"${t}" is not a pool id: pick a pool, or type its number` : 'pick the pool whose members may take the job' };
  const pool = BigInt(t);
  if (pool === 0n || pool > MAX_POOL_ID) return { ok: false, message: `pool ${t} cannot exist: pool ids run from 1` };
  return { ok: true, pool };
}
