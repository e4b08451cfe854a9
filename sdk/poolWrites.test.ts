/**
 * The SDK's pool writes against a real anvil with the contracts deployed: an operator creates pools
 * (open, and by approval), workers join, are approved, removed and leave (at once, or when their
 * pool job closes); a POOL-mode job is claimed by a member only and pays the operator its fee; and
 * every refusal is named by the contract's error, before anything is sent.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parseEther, toHex, type Address } from 'viem';
import { loomRegistryAbi } from '../abis/generated';
import { type Stack, startStack } from '../testkit/stack';
import { buildJobParams, poolAddress } from './jobParams';
import { MAX_POOL_FEE_BPS, MAX_POOL_NAME_BYTES } from './poolWrites';
import { receiptEvents } from './receipts';
import type { MarketWriter } from './writes';

let m: Stack;
let operator: MarketWriter;
let client: MarketWriter;
let member: MarketWriter;
let other: MarketWriter;
let unregistered: MarketWriter;
const spec = { version: 1, image: 'loom/sdk-test', command: ['true'] };

const membership = (worker: Address) => m.publicClient.readContract({ address: m.registry, abi: loomRegistryAbi, functionName: 'memberships', args: [worker] });
const nonce = (address: Address) => m.publicClient.getTransactionCount({ address, blockTag: 'pending' });
const STATE = { None: 0, Requested: 1, Member: 2, Leaving: 3 } as const;

/** A POOL job's parameters, from the SDK (offeredTo: the pool id as an address). */
async function poolJob(pool: bigint) {
  const r = buildJobParams({ token: '0x0000000000000000000000000000000000000000', budget: parseEther('0.1'), pool, openFor: 3600, executionTimeout: 3600, challengeWindow: 600 }, undefined, { now: await m.now() });
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.params;
}

beforeAll(async () => {
  m = await startStack({ name: 'sdk-pools-test' });
  operator = m.writer(2);
  client = m.writer(1);
  member = m.writer(4);
  other = m.writer(5);
  unregistered = m.writer(3);
  await member.register(m.claim(), parseEther('1'));
  await other.register(m.claim(), parseEther('1'));
}, 180_000);

afterAll(async () => {
  await m?.stop();
});

test("the contract's own constants: MAX_POOL_FEE_BPS and MAX_POOL_NAME_BYTES", async () => {
  expect(await m.publicClient.readContract({ address: m.registry, abi: loomRegistryAbi, functionName: 'MAX_POOL_FEE_BPS' })).toBe(MAX_POOL_FEE_BPS);
  expect(await m.publicClient.readContract({ address: m.registry, abi: loomRegistryAbi, functionName: 'MAX_POOL_NAME_BYTES' })).toBe(BigInt(MAX_POOL_NAME_BYTES));
});

describe('a pool through every step', () => {
  test('default: create an open pool, a worker joins, claims a POOL job that a non-member may not, and the operator is paid its fee', async () => {
    const created = await operator.createPool({ name: 'Berlin H100s', metadataURI: 'https://example.com/pool.json', feeBps: 1000 });
    expect(created.poolId).toBeGreaterThan(0n);
    expect(created.operator).toBe(m.address(2));
    const joined = await member.joinPool(created.poolId);
    expect(joined.state).toBe('MEMBER');
    expect(await membership(member.address)).toEqual([created.poolId, STATE.Member, 0]);

    const posted = await client.postJob({ terms: await poolJob(created.poolId), spec });
    expect(posted.terms).toMatchObject({ mode: 3, offeredTo: poolAddress(created.poolId) });
    await expect(other.claimJob(posted.terms)).rejects.toMatchObject({ mined: false, revert: { name: 'NotPoolMember', args: [created.poolId, m.address(5)] } });
    await member.claimJob(posted.terms);
    await member.submitResult(posted.terms, toHex(1, { size: 32 }), 'artifact://r');
    const released = await client.release(posted.terms);
    const [fee] = receiptEvents(released.receipt, 'PoolFeePaid');
    expect(fee?.args).toMatchObject({ jobId: posted.jobId, pool: created.poolId, operator: m.address(2) });
    expect(fee!.args.amount).toBeGreaterThan(0n);

    const left = await member.leavePool();
    expect(left.state).toBe('LEFT');
    expect((await membership(member.address))[1]).toBe(STATE.None);
  });

  test('behavior: a pool that needs approval: a request, approved; a fee change; a member holding a pool job leaves when it closes', async () => {
    const { poolId } = await operator.createPool({ name: 'approved only', feeBps: 0, approvalRequired: true });
    expect((await other.joinPool(poolId)).state).toBe('REQUESTED');
    expect((await membership(other.address))[1]).toBe(STATE.Requested);
    await operator.approveMember(poolId, other.address);
    expect((await membership(other.address))[1]).toBe(STATE.Member);
    const set = await operator.setPoolFee(poolId, 250);
    expect(receiptEvents(set.receipt, 'PoolFeeSet')[0]?.args).toEqual({ pool: poolId, feeBps: 250 });

    const posted = await client.postJob({ terms: await poolJob(poolId), spec });
    await other.claimJob(posted.terms);
    expect((await other.leavePool()).state).toBe('LEAVING');
    // Removed while holding a pool job, a worker cannot join another pool until it closes.
    await operator.removeMember(poolId, other.address);
    const { poolId: open } = await operator.createPool({ name: 'open', feeBps: 0 });
    await expect(other.joinPool(open)).rejects.toMatchObject({ revert: { name: 'PoolJobsActive', args: [m.address(5), 1n] } });
    await other.returnJob(posted.terms);
    expect((await other.joinPool(open)).state).toBe('MEMBER');
    await other.leavePool();
  });
});

describe('refusals', () => {
  test('error: each rule of the registry by its error name, and nothing sent', async () => {
    const { poolId } = await operator.createPool({ name: 'strict', feeBps: 100, approvalRequired: true });
    const before = await nonce(m.address(3));
    await expect(unregistered.createPool({ name: '', feeBps: 0 })).rejects.toMatchObject({ mined: false, revert: { name: 'EmptyName' } });
    await expect(unregistered.createPool({ name: 'x', feeBps: MAX_POOL_FEE_BPS + 1 })).rejects.toMatchObject({ revert: { name: 'FeeTooHigh' } });
    await expect(unregistered.createPool({ name: 'x'.repeat(MAX_POOL_NAME_BYTES + 1), feeBps: 0 })).rejects.toMatchObject({ revert: { name: 'TextTooLong' } });
    await expect(unregistered.setPoolFee(poolId, 10)).rejects.toMatchObject({ revert: { name: 'NotPoolOperator', args: [poolId, m.address(3)] } });
    await expect(unregistered.joinPool(999_999n)).rejects.toMatchObject({ revert: { name: 'PoolNotFound', args: [999_999n] } });
    await expect(unregistered.joinPool(poolId)).rejects.toMatchObject({ revert: { name: 'NotRegistered' } });
    await expect(unregistered.leavePool()).rejects.toMatchObject({ revert: { name: 'NotPoolMember' } });
    expect(await nonce(m.address(3))).toBe(before);

    await expect(operator.approveMember(poolId, member.address)).rejects.toMatchObject({ revert: { name: 'NoJoinRequest', args: [poolId, m.address(4)] } });
    await expect(operator.removeMember(poolId, member.address)).rejects.toMatchObject({ revert: { name: 'NotPoolMember' } });
    await member.joinPool(poolId);
    await expect(member.joinPool(poolId)).rejects.toMatchObject({ revert: { name: 'PoolMembershipExists', args: [m.address(4), poolId] } });
    // Withdrawing a request to join is leaving.
    expect((await member.leavePool()).state).toBe('LEFT');
  });
});
