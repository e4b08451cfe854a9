/**
 * Replicated jobs through the SDK against a real anvil with the contract set deployed: the writer
 * routes each call to the contract that has it, the commitment the SDK computes is the one the
 * contract checks, and a derived salt survives a restart (it is a function of key and job alone).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { keccak256, parseEther, stringToHex, toHex, zeroAddress, type Hex } from 'viem';
import { loomRegistryAbi, loomReplicatedMarketAbi } from '../abis/generated';
import { contractFor, loomAbi } from './contracts';
import { revealSalt } from './node/revealSalt';
import { receiptEvents } from './receipts';
import { resultCommitment } from './replication';
import { type Stack, startStack } from '../testkit/stack';
import type { MarketWriter, ReplicatedJobParams } from './writes';

let m: Stack;
let client: MarketWriter;
let workers: MarketWriter[];
const spec = { version: 1, image: 'loom/sdk-replicated-test', command: ['true'], deterministic: true };
const KEY = `0x${'11'.repeat(32)}` as Hex;

beforeAll(async () => {
  m = await startStack({ name: 'sdk-replication-test' });
  client = m.writer(1);
  workers = [m.writer(4), m.writer(5), m.writer(6)];
  for (const w of workers) await w.register(m.claim(), parseEther('1'));
}, 180_000);

afterAll(async () => {
  await m?.stop();
});

async function replicatedParams(overrides: Partial<ReplicatedJobParams> = {}): Promise<ReplicatedJobParams> {
  return {
    token: zeroAddress,
    price: parseEther('0.01'),
    collateral: parseEther('0.05'),
    replicas: 3,
    quorum: 2,
    openUntil: (await m.now()) + 600,
    commitWindow: 600,
    revealWindow: 600,
    minGpuCount: 1,
    minVramMiB: 16_384,
    gpuModel: toHex(0, { size: 32 }),
    salt: BigInt(Date.now()),
    pool: 0n,
    ...overrides,
  };
}

describe('contractFor', () => {
  test('behavior: each call goes to the contract that has it; shared ones to the single-worker market', () => {
    expect(contractFor('register')).toBe('registry');
    expect(contractFor('requestUnstake')).toBe('registry');
    expect(contractFor('claimJob')).toBe('market');
    expect(contractFor('withdraw')).toBe('market');
    expect(contractFor('takeSlot')).toBe('replicated');
    expect(contractFor('finalize')).toBe('replicated');
  });

  test('default: loomAbi holds each item of the set once', () => {
    const keys = loomAbi.map((i) => `${i.type}:${'name' in i ? i.name : ''}(${('inputs' in i ? i.inputs : []).map((x) => x.type).join(',')})`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(loomAbi.some((i) => i.type === 'event' && i.name === 'SlotTaken')).toBe(true);
    expect(loomAbi.some((i) => i.type === 'event' && i.name === 'WorkerRegistered')).toBe(true);
  });
});

describe('revealSalt', () => {
  test('behavior: the same key and job give the same salt; another job or key another one', () => {
    const job = keccak256(stringToHex('job-1'));
    expect(revealSalt(KEY, job)).toBe(revealSalt(KEY, job));
    expect(revealSalt(KEY, job)).not.toBe(revealSalt(KEY, keccak256(stringToHex('job-2'))));
    expect(revealSalt(`0x${'22'.repeat(32)}`, job)).not.toBe(revealSalt(KEY, job));
    expect(revealSalt(KEY, job)).toMatch(/^0x[0-9a-f]{64}$/);
  });
});

describe('a replicated job through the writer', () => {
  test('behavior: post, three slots, commits the contract accepts, reveals, finalize with a quorum', async () => {
    const posted = await client.postReplicatedJob({ terms: await replicatedParams(), spec });
    expect(posted.terms.client).toBe(client.address);
    const answers = [keccak256(stringToHex('a')), keccak256(stringToHex('a')), keccak256(stringToHex('b'))];
    for (const [slot, w] of workers.entries()) {
      const taken = await w.takeSlot(posted.terms);
      expect(receiptEvents(taken.receipt, 'SlotTaken')[0]?.args).toMatchObject({ worker: w.address, slot, filled: slot + 1 });
    }
    for (const [slot, w] of workers.entries()) {
      const salt = revealSalt(KEY, posted.jobId);
      const commitment = resultCommitment(posted.jobId, w.address, answers[slot]!, salt);
      // The SDK's commitment is the contract's own.
      const onChain = await m.publicClient.readContract({
        address: m.replicated,
        abi: loomReplicatedMarketAbi,
        functionName: 'commitmentOf',
        args: [posted.jobId, w.address, answers[slot]!, salt],
      });
      expect(commitment).toBe(onChain);
      await w.commitResult(posted.terms, slot, commitment);
    }
    for (const [slot, w] of workers.entries()) {
      await w.revealResult(posted.terms, slot, answers[slot]!, revealSalt(KEY, posted.jobId), `http://127.0.0.1/artifacts/${slot}`);
    }
    const closed = await m.writer(3).finalize(posted.terms);
    const [event] = receiptEvents(closed.receipt, 'ReplicatedJobClosed');
    expect(event?.args.outcome).toBe(1); // QuorumReached
    expect(event?.args.resultHash).toBe(answers[0]);
    expect(event?.args.slashed).toEqual([0n, 0n, parseEther('0.05')]);
    // The dissenter's collateral left its stake in the registry.
    const [stake, locked] = await m.publicClient.readContract({ address: m.registry, abi: loomRegistryAbi, functionName: 'workers', args: [workers[2]!.address] });
    expect([stake, locked]).toEqual([parseEther('0.95'), 0n]);
    // Winners withdraw from the replicated market, where their credits are.
    const paid = await workers[0]!.withdraw(zeroAddress, workers[0]!.address, 'replicated');
    expect(receiptEvents(paid.receipt, 'Withdrawn')[0]?.args.amount).toBeGreaterThan(parseEther('0.01'));
  });

  test('error: a second slot for the same worker is refused in simulation, by name', async () => {
    const posted = await client.postReplicatedJob({ terms: await replicatedParams(), spec });
    await workers[0]!.takeSlot(posted.terms);
    await expect(workers[0]!.takeSlot(posted.terms)).rejects.toMatchObject({ revert: { name: 'SlotAlreadyHeld', args: [posted.jobId, workers[0]!.address] } });
  });
});
