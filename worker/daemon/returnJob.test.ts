/**
 * returnJob.ts against a real anvil with the contracts deployed and the SDK's writer: a job is handed
 * back once (the client credited the price, the collateral unlocked unslashed), and every later try
 * (after a crash, or an RPC answer lost) is answered without a second transaction, as are a job of
 * another worker and a job past its deadline. The API is a stand-in that lags (knows nothing yet) or
 * serves the job's state, as the daemon's reader would.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parseEther, zeroAddress, type Hex } from 'viem';
import { loomMarketAbi, loomRegistryAbi } from '../../abis/generated';
import type { JobTerms } from '../../sdk/jobTerms';
import type { MarketWriter } from '../../sdk/writes';
import { type Stack, startStack } from '../../testkit/stack';
import type { LoomApi } from './loomApi';
import { returnJob } from './returnJob';

let m: Stack;
let client: MarketWriter;
let worker: MarketWriter;
let rival: MarketWriter;
const spec = { version: 1, image: 'loom/return-test', command: ['true'] };
const COLLATERAL = parseEther('0.05');
const STAKE = parseEther('1');

/** An API that has not indexed the job yet: the contract decides. */
const lagging: Pick<LoomApi, 'job'> = { job: async () => null };
/** An API that serves the job in this state. */
const serving = (status: string, worker: string, closeReason: string | null = null) =>
  ({ job: async () => ({ status, worker, closeReason }) }) as unknown as Pick<LoomApi, 'job'>;

const credits = (account: Hex) => m.publicClient.readContract({ address: m.market, abi: loomMarketAbi, functionName: 'credits', args: [zeroAddress, account] });
const stakeOf = async (account: Hex) => {
  const [stake, locked] = await m.publicClient.readContract({ address: m.registry, abi: loomRegistryAbi, functionName: 'workers', args: [account] });
  return { stake, locked };
};
const nonce = (account: Hex) => m.publicClient.getTransactionCount({ address: account, blockTag: 'pending' });

async function claimed(): Promise<{ jobId: Hex; terms: JobTerms }> {
  const posted = await client.postJob({ terms: await m.jobParams(), spec });
  await worker.claimJob(posted.terms);
  return { jobId: posted.jobId, terms: posted.terms };
}

beforeAll(async () => {
  m = await startStack({ name: 'worker-return-job', jobDefaults: { budget: parseEther('0.1'), collateral: COLLATERAL, executionTimeout: 600, challengeWindow: 600 } });
  client = m.writer(1);
  worker = m.writer(4);
  rival = m.writer(5);
  await worker.register(m.claim(), STAKE);
  await rival.register(m.claim(), STAKE);
}, 180_000);

afterAll(async () => {
  await m?.stop();
});

describe('returnJob', () => {
  test('default: the job is returned once: the client credited the price, the stake whole and unlocked; a second try sends nothing', async () => {
    const { jobId, terms } = await claimed();
    const w = m.address(4);
    expect(await stakeOf(w)).toEqual({ stake: STAKE, locked: COLLATERAL });
    const before = await credits(m.address(1));

    const first = await returnJob({ api: lagging, writer: worker, jobId, terms, worker: w });
    expect(first.kind).toBe('returned');
    expect(await credits(m.address(1))).toBe(before + terms.budget);
    expect(await stakeOf(w)).toEqual({ stake: STAKE, locked: 0n });
    const [, status, closeReason] = await m.publicClient.readContract({ address: m.market, abi: loomMarketAbi, functionName: 'jobs', args: [jobId] });
    expect([status, closeReason]).toEqual([5, 7]); // Closed, Returned

    // Again, as after a restart with the API still behind: the simulation refuses, nothing is sent.
    const sent = await nonce(w);
    expect(await returnJob({ api: lagging, writer: worker, jobId, terms, worker: w })).toEqual({ kind: 'already', status: 'CLOSED' });
    // The API caught up: its answer is final, the chain is not asked.
    expect(await returnJob({ api: serving('CLOSED', w, 'RETURNED'), writer: worker, jobId, terms, worker: w })).toEqual({ kind: 'already', status: 'CLOSED (RETURNED)' });
    expect(await nonce(w)).toBe(sent);
  });

  test('error: a job of another worker, or past its execution deadline, is not returned and nothing is sent', async () => {
    const { jobId, terms } = await claimed();
    const w = m.address(4);
    const r = m.address(5);
    const rivalSent = await nonce(r);
    expect(await returnJob({ api: lagging, writer: rival, jobId, terms, worker: r })).toEqual({ kind: 'not_ours', detail: 'the contract says another worker is assigned' });
    expect(await returnJob({ api: serving('ASSIGNED', w), writer: rival, jobId, terms, worker: r })).toEqual({ kind: 'not_ours', detail: `assigned to ${w}` });
    expect(await nonce(r)).toBe(rivalSent);

    await m.warp(601);
    const sent = await nonce(w);
    const late = await returnJob({ api: lagging, writer: worker, jobId, terms, worker: w });
    expect(late.kind).toBe('too_late');
    expect(await nonce(w)).toBe(sent);
    expect(await stakeOf(w)).toEqual({ stake: STAKE, locked: COLLATERAL });
  });
});
