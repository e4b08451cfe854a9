/**
 * Worker pools' writes (LoomRegistry): an operator creates a pool with a fee (at most
 * MAX_POOL_FEE_BPS of a member's payout), changes the fee for jobs assigned from then on, approves
 * join requests and removes members; a registered worker joins one pool at a time and leaves it (at
 * once, or when its last pool job closes). Part of the one writer (sdk/writes.ts
 * `createMarketWriter`): `writer.createPool(...)`, `writer.joinPool(poolId)`.
 *
 * Jobs restricted to a pool are posted with the usual helpers: a single job in mode POOL
 * (`buildJobParams({ pool })`), a replicated one with `ReplicatedParams.pool`.
 *
 * @example
 * const { poolId } = await operator.createPool({ name: 'Berlin H100s', feeBps: 500 });
 * await worker.joinPool(poolId);
 */
import type { Address } from 'viem';
import { LoomError } from './errors';
import { receiptEvents } from './receipts';
import type { MarketWriterCore, Sent } from './writeTypes';

/** LoomRegistry.MAX_POOL_FEE_BPS: the most a pool's operator may take of a member's payout (20%). */
export const MAX_POOL_FEE_BPS = 2_000;
/** LoomRegistry.MAX_POOL_NAME_BYTES. */
export const MAX_POOL_NAME_BYTES = 64;

export type PoolInput = {
  name: string;
  /** Where the pool describes itself (default none). */
  metadataURI?: string;
  /** The operator's share of each member's payout after the protocol fee, in basis points. */
  feeBps: number;
  /** Joining needs the operator's approval (default false: a registered worker joins at once). */
  approvalRequired?: boolean;
};

export type CreatedPool = Sent & { poolId: bigint; operator: Address };

/** Where a worker stands after `joinPool`: a member at once, or waiting for the operator's approval. */
export type JoinedPool = Sent & { state: 'MEMBER' | 'REQUESTED' };

/** Where a member stands after `leavePool`: out at once, or leaving when its pool jobs close. */
export type LeftPool = Sent & { state: 'LEFT' | 'LEAVING' };

export function poolWrites(core: MarketWriterCore) {
  const { send } = core;
  return {
    /** Creates a pool operated by this account; resolves with its id (from `PoolCreated`). */
    async createPool(p: PoolInput): Promise<CreatedPool> {
      const sent = await send('createPool', [p.name, p.metadataURI ?? '', p.feeBps, p.approvalRequired ?? false]);
      const [created] = receiptEvents(sent.receipt, 'PoolCreated');
      if (!created) throw new LoomError(`createPool: no PoolCreated event in ${sent.hash}`);
      return { ...sent, poolId: created.args.pool, operator: created.args.operator };
    },
    /** The pool's fee for jobs assigned from now on (jobs keep the fee they were assigned with). */
    setPoolFee: (poolId: bigint, feeBps: number) => send('setPoolFee', [poolId, feeBps]),
    /** Joins a pool (this account a registered worker, in no pool): a member, or a request when the pool needs approval. */
    async joinPool(poolId: bigint): Promise<JoinedPool> {
      const sent = await send('joinPool', [poolId]);
      return { ...sent, state: receiptEvents(sent.receipt, 'PoolJoinRequested').length ? 'REQUESTED' : 'MEMBER' };
    },
    /** The operator approves a worker's request to join. */
    approveMember: (poolId: bigint, worker: Address) => send('approveMember', [poolId, worker]),
    /** The operator removes a member (or refuses a request); jobs it holds still pay the pool's fee. */
    removeMember: (poolId: bigint, worker: Address) => send('removeMember', [poolId, worker]),
    /** Leaves this account's pool, or withdraws its request to join. */
    async leavePool(): Promise<LeftPool> {
      const sent = await send('leavePool', []);
      return { ...sent, state: receiptEvents(sent.receipt, 'PoolLeaveRequested').length ? 'LEAVING' : 'LEFT' };
    },
  };
}
