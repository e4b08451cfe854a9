/**
 * The worker's pool: where it stands (the registry's `memberships(worker)`, read from the chain: a
 * membership the operator just approved counts at once, whatever the API has indexed yet), and joining
 * the pool `--pool` names at start.
 *
 * Joining: a worker in no pool sends `joinPool(pool)`; it is then a MEMBER, or, where the pool needs
 * the operator's approval, REQUESTED: it says it waits for the operator and goes on taking jobs that
 * are not restricted to a pool, and takes the pool's jobs from the moment it is approved (each pool
 * job is checked against the membership as it stands: strategy.ts, `not_pool_member`). A worker
 * already in another pool is left there (leaving is the operator's decision: `leavePool`), with a
 * warning. A pool that cannot be joined (it does not exist) stops the start with the contract's reason.
 */
import type { Address, PublicClient } from 'viem';
import type { Logger } from 'pino';
import { loomRegistryAbi } from '../../sdk';
import { formatRevert } from '../../sdk/revert';
import { WorkerError } from '../errors';
import { type MarketWriter, TxError } from './createWorkerWriter';
import type { PoolMembership } from './strategy';

/** The registry's PoolMemberState by value (None, Requested, Member, Leaving), as the API names them. */
const STATES: readonly (PoolMembership['state'] | null)[] = [null, 'REQUESTED', 'MEMBER', 'LEAVING'];

/**
 * Where `worker` stands with a pool, as the registry has it now; null when in none.
 * @example
 * const m = await readPoolMembership(publicClient, contracts.registry, address); // { pool: 2n, state: 'MEMBER' }
 */
export async function readPoolMembership(publicClient: PublicClient, registry: Address, worker: Address): Promise<PoolMembership | null> {
  const [pool, state] = await publicClient.readContract({ address: registry, abi: loomRegistryAbi, functionName: 'memberships', args: [worker] });
  const name = STATES[state] ?? null;
  return name ? { pool, state: name } : null;
}

/**
 * Joins `pool` unless the worker is in it already (or in another one); resolves with where it stands.
 * @example
 * await joinPoolAtStart({ pool: 2n, writer, membership: () => readPoolMembership(publicClient, registry, address), logger });
 */
export async function joinPoolAtStart(o: { pool: bigint; writer: Pick<MarketWriter, 'joinPool'>; membership: () => Promise<PoolMembership | null>; logger: Logger }): Promise<PoolMembership> {
  let m = await o.membership();
  if (m && m.pool !== o.pool) {
    o.logger.warn({ pool: o.pool.toString(), inPool: m.pool.toString(), state: m.state }, `this worker is in pool ${m.pool}, not pool ${o.pool}: a worker is in one pool at a time, so it stays where it is (leave with leavePool first)`);
    return m;
  }
  if (!m) {
    try {
      m = { pool: o.pool, state: (await o.writer.joinPool(o.pool)).state };
    } catch (err) {
      if (err instanceof TxError && err.revert) throw new WorkerError('CONFIG_INVALID', `--pool ${o.pool}: the registry refuses to let this worker join: ${formatRevert(err.revert)}`, { cause: err });
      throw err;
    }
  }
  logStanding(o.logger, o.pool, m);
  return m;
}

function logStanding(logger: Logger, pool: bigint, m: PoolMembership): void {
  const fields = { pool: pool.toString(), state: m.state };
  if (m.state === 'MEMBER') logger.info(fields, `a member of pool ${pool}: taking its jobs`);
  else if (m.state === 'REQUESTED') logger.info(fields, `asked to join pool ${pool}; waiting for its operator's approval (taking jobs open to any worker meanwhile)`);
  else logger.info(fields, `leaving pool ${pool} once its pool jobs close; taking no new ones`);
}
