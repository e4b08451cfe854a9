/**
 * A pool as a job names it. A single job restricted to a pool is a POOL-mode job whose `offeredTo` is
 * the pool id as a 20-byte address (pool 1 is 0x000…0001); a replicated job names it in
 * `ReplicatedParams.pool`. Pool ids are uint64, from 1.
 */
import { type Address, pad, toHex } from 'viem';

const MAX_POOL_ID = 2n ** 64n - 1n;

/** The pool id typed or picked ("3"), or a sentence saying why it is not one. */
export function parsePoolId(text: string): { ok: true; pool: bigint } | { ok: false; message: string } {
  const t = text.trim();
  if (!/^\d+$/.test(t)) return { ok: false, message: t ? `"${t}" is not a pool id: pick a pool, or type its number` : 'pick the pool whose members may take the job' };
  const pool = BigInt(t);
  if (pool === 0n || pool > MAX_POOL_ID) return { ok: false, message: `pool ${t} cannot exist: pool ids run from 1` };
  return { ok: true, pool };
}

/** `offeredTo` of a POOL-mode job: the pool id as an address. */
export function poolAsAddress(pool: bigint): Address {
  return pad(toHex(pool), { size: 20 });
}

/** The pool a POOL-mode job's `offeredTo` names. */
export function poolOfAddress(offeredTo: string): bigint {
  return BigInt(offeredTo);
}
