/**
 * The SDK's writer against a real anvil with the contracts deployed: every typed helper sent for
 * real, reverts refused in simulation (nothing sent) and decoded by name, a revert that happens only
 * on-chain, the ERC-20 approval step, and concurrent sends from one account.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { erc20Abi, parseEther, parseEventLogs, toHex, zeroAddress, type Hex } from 'viem';
import { loomMarketAbi } from '../abis/generated';
import { jobIdOf, type ApiJobTerms, type JobTerms } from './jobTerms';
import { type Stack, startStack } from '../testkit/stack';
import { createMarketWriter, specBytes, TxError, type MarketWriter, type TxOutcome } from './writes';

let m: Stack;
let client: MarketWriter;
let worker: MarketWriter;
let rival: MarketWriter;
let arbiter: MarketWriter;
let stranger: MarketWriter;
const spec = { version: 1, image: 'loom/sdk-test', command: ['true'] };

/** The contract's view of a job: [worker, status, closeReason, deadline]. */
const jobState = (jobId: Hex) => m.publicClient.readContract({ address: m.market, abi: loomMarketAbi, functionName: 'jobs', args: [jobId] });
const credits = (token: Hex, account: Hex) => m.publicClient.readContract({ address: m.market, abi: loomMarketAbi, functionName: 'credits', args: [token, account] });
const nonce = (address: Hex) => m.publicClient.getTransactionCount({ address, blockTag: 'pending' });
const STATUS = { Open: 1, Assigned: 2, Submitted: 3, Disputed: 4, Closed: 5 } as const;

/** The terms as the API serves them (`Job.terms`), which the helpers take as they are. */
function asApiTerms(t: JobTerms): ApiJobTerms {
  return {
    ...t,
    budget: t.budget.toString(),
    collateral: t.collateral.toString(),
    mode: t.mode === 0 ? 'CLAIM' : 'AUCTION',
    openUntil: String(t.openUntil),
    salt: t.salt.toString(),
  };
}

beforeAll(async () => {
  m = await startStack({ name: 'sdk-writes-test', jobDefaults: { budget: parseEther('0.1'), collateral: parseEther('0.01'), executionTimeout: 3600, challengeWindow: 600, minGpuCount: 1, minVramMiB: 16_384 } });
  client = m.writer(1);
  stranger = m.writer(3);
  worker = m.writer(4);
  rival = m.writer(5);
  arbiter = m.writer(8);
  await worker.register(m.claim(), parseEther('1'));
  await rival.register(m.claim(), parseEther('1'));
}, 180_000);

afterAll(async () => {
  await m?.stop();
});

describe('postJob', () => {
  test('default: an ETH job escrows the budget as value and returns the id of the completed terms', async () => {
    const params = await m.jobParams();
    const before = await m.publicClient.getBalance({ address: m.market });
    const posted = await client.postJob({ terms: params, spec });
    expect(posted.receipt.status).toBe('success');
    expect(posted.approval).toBeUndefined();
    expect(posted.terms).toMatchObject({ client: m.address(1), budget: params.budget, salt: params.salt });
    expect(posted.jobId).toBe(jobIdOf(posted.terms));
    expect((await jobState(posted.jobId))[1]).toBe(STATUS.Open);
    expect((await m.publicClient.getBalance({ address: m.market })) - before).toBe(params.budget);
    // The spec travels as UTF-8 JSON in JobPosted.
    const [log] = parseEventLogs({ abi: loomMarketAbi, logs: posted.receipt.logs, eventName: 'JobPosted' });
    expect(log!.args.spec).toBe(specBytes(spec));
  });

  test('behavior: an ERC-20 job approves the budget first when the allowance is short, and not when it suffices', async () => {
    const budget = 25_000_000n; // 25 tUSDC
    const first = await client.postJob({ terms: await m.jobParams({ token: m.usdc, budget }), spec });
    expect(first.approval?.receipt.status).toBe('success');
    expect(first.terms.token.toLowerCase()).toBe(m.usdc.toLowerCase());
    // The approval was exactly the budget, and posting spent it.
    expect(await client.allowance(m.usdc)).toBe(0n);

    await client.approve(m.usdc, budget * 2n);
    const second = await client.postJob({ terms: await m.jobParams({ token: m.usdc, budget }), spec });
    expect(second.approval).toBeUndefined();
    expect(await client.allowance(m.usdc)).toBe(budget);
    expect(await m.publicClient.readContract({ address: m.usdc, abi: erc20Abi, functionName: 'balanceOf', args: [m.market] })).toBe(budget * 2n);
  });

  test('error: a spec string that is not hex is refused before anything is signed', async () => {
    const before = await nonce(m.address(1));
    await expect(client.postJob({ terms: await m.jobParams(), spec: '{"version":1}' as Hex })).rejects.toThrow(/hex bytes/);
    expect(await nonce(m.address(1))).toBe(before);
  });
});

describe('a job through every step', () => {
  test('default: claim, submit, release, withdraw (terms passed as the API serves them)', async () => {
    const { jobId, terms } = await client.postJob({ terms: await m.jobParams(), spec });
    const api = asApiTerms(terms);
    await worker.claimJob(api);
    expect((await jobState(jobId)).slice(0, 2)).toEqual([m.address(4), STATUS.Assigned]);
    const resultHash = toHex(7, { size: 32 });
    const submitted = await worker.submitResult(api, resultHash, 'artifact://result');
    const [log] = parseEventLogs({ abi: loomMarketAbi, logs: submitted.receipt.logs, eventName: 'ResultSubmitted' });
    expect(log!.args).toMatchObject({ jobId, resultHash, resultURI: 'artifact://result' });
    await client.release(terms);
    expect((await jobState(jobId))[1]).toBe(STATUS.Closed);

    const credited = await credits(zeroAddress, m.address(4));
    expect(credited).toBeGreaterThan(0n);
    const withdrawn = await worker.withdraw(zeroAddress);
    const [w] = parseEventLogs({ abi: loomMarketAbi, logs: withdrawn.receipt.logs, eventName: 'Withdrawn' });
    expect(w!.args.amount).toBe(credited);
    expect(await credits(zeroAddress, m.address(4))).toBe(0n);
  });

  test('behavior: an auction: bid, withdraw the bid, bid again, and the client accepts after the window', async () => {
    const { jobId, terms } = await client.postJob({ terms: await m.jobParams({ mode: 1, openUntil: (await m.now()) + 120 }), spec });
    await worker.placeBid(terms, parseEther('0.08'));
    await rival.placeBid(terms, parseEther('0.06'));
    await rival.withdrawBid(terms);
    await expect(rival.withdrawBid(terms)).rejects.toMatchObject({ revert: { name: 'BidNotFound' } });
    await rival.placeBid(terms, parseEther('0.05'));
    await m.warp(121);
    const before = await credits(zeroAddress, m.address(1));
    await client.acceptBid(terms, m.address(5));
    expect((await jobState(jobId)).slice(0, 2)).toEqual([m.address(5), STATUS.Assigned]);
    // The unused budget goes back to the client's credit at assignment.
    expect((await credits(zeroAddress, m.address(1))) - before).toBe(terms.budget - parseEther('0.05'));
  });

  test('behavior: a dispute with evidence, ruled by the arbiter', async () => {
    const { jobId, terms } = await client.postJob({ terms: await m.jobParams(), spec });
    await worker.claimJob(terms);
    await worker.submitResult(terms, toHex(9, { size: 32 }), 'artifact://disputed');
    await client.dispute(terms, 'the output is empty');
    await worker.submitEvidence(terms, 'ipfs://logs');
    expect((await jobState(jobId))[1]).toBe(STATUS.Disputed);
    const ruled = await arbiter.resolveDispute(terms, terms.budget / 2n, 0n);
    const [closed] = parseEventLogs({ abi: loomMarketAbi, logs: ruled.receipt.logs, eventName: 'JobClosed' });
    expect(closed!.args.reason).toBe(5); // DisputeResolved
  });

  test('behavior: anyone expires a job nobody took, and reclaims one whose worker missed the deadline', async () => {
    const untaken = await client.postJob({ terms: await m.jobParams({ openUntil: (await m.now()) + 60 }), spec });
    const missed = await client.postJob({ terms: await m.jobParams({ executionTimeout: 60 }), spec });
    await worker.claimJob(missed.terms);
    await m.warp(120);
    await stranger.expire(untaken.terms);
    await stranger.reclaim(missed.terms);
    expect((await jobState(untaken.jobId)).slice(1, 3)).toEqual([STATUS.Closed, 3]); // Expired
    expect((await jobState(missed.jobId)).slice(1, 3)).toEqual([STATUS.Closed, 4]); // Reclaimed
  });
});

describe('refusals and reverts', () => {
  test('error: cancelling twice is refused in simulation as UnexpectedStatus, and nothing is sent', async () => {
    const { jobId, terms } = await client.postJob({ terms: await m.jobParams(), spec });
    await client.cancelJob(terms);
    const before = await nonce(m.address(1));
    const err = await client.cancelJob(terms).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TxError);
    expect(err).toMatchObject({ functionName: 'cancelJob', mined: false, hash: undefined, revert: { name: 'UnexpectedStatus', args: [jobId, STATUS.Open, STATUS.Closed] } });
    expect((err as TxError).message).toContain(`UnexpectedStatus(${jobId}, 1, 5)`);
    expect(await nonce(m.address(1))).toBe(before);
  });

  test('error: a call only the client may make names the rule that refused it', async () => {
    const { terms } = await client.postJob({ terms: await m.jobParams(), spec });
    await expect(stranger.cancelJob(terms)).rejects.toMatchObject({ revert: { name: 'NotClient', args: [jobIdOf(terms), m.address(3)] } });
  });

  test('error: a transaction that passed simulation but reverts in its block is a TxError with mined: true', async () => {
    const { terms } = await client.postJob({ terms: await m.jobParams(), spec });
    const outcomes: TxOutcome[] = [];
    const observed = createMarketWriter({
      publicClient: m.publicClient,
      walletClient: m.wallet(4),
      contracts: m.contracts,
      pollingIntervalMs: 20,
      onOutcome: (o) => outcomes.push(o),
    });
    // With mining paused the claim simulates while the job is open and is sent; the block that
    // includes it is dated after `openUntil`, so there it reverts.
    await m.rpc('evm_setAutomine', [false]);
    try {
      const claim = observed.claimJob(terms).catch((e: unknown) => e);
      for (let i = 0; i < 200 && (await observed.pendingCount()) < 1; i++) await new Promise((r) => setTimeout(r, 25));
      expect(await observed.pendingCount()).toBe(1);
      await m.rpc('evm_mine', [toHex(terms.openUntil + 1)]);
      const err = (await claim) as TxError;
      expect(err).toBeInstanceOf(TxError);
      expect(err).toMatchObject({ functionName: 'claimJob', mined: true, revert: { name: 'DeadlinePassed' } });
      expect(err.hash).toMatch(/^0x[0-9a-f]{64}$/);
      expect((await m.publicClient.getTransactionReceipt({ hash: err.hash! })).status).toBe('reverted');
      expect(outcomes).toEqual([{ functionName: 'claimJob', outcome: 'reverted', revert: err.revert }]);
    } finally {
      await m.rpc('evm_setAutomine', [true]);
    }
  });

  test('behavior: concurrent sends from one account are serialized, so no two take the same nonce', async () => {
    const params = await Promise.all([1, 2, 3, 4, 5].map(() => m.jobParams()));
    const posted = await Promise.all(params.map((p) => client.postJob({ terms: p, spec })));
    const nonces = await Promise.all(posted.map((p) => m.publicClient.getTransaction({ hash: p.hash }).then((tx) => tx.nonce)));
    expect(new Set(nonces).size).toBe(5);
    expect(posted.every((p) => p.receipt.status === 'success')).toBe(true);
    expect(await client.pendingCount()).toBe(0);
  });

  test('behavior: write returns the hash without waiting for the block (wallet UIs follow it themselves)', async () => {
    const { terms } = await client.postJob({ terms: await m.jobParams(), spec });
    const hash = await client.write('cancelJob', [terms]);
    const receipt = await m.publicClient.waitForTransactionReceipt({ hash });
    expect(parseEventLogs({ abi: loomMarketAbi, logs: receipt.logs, eventName: 'JobClosed' })).toHaveLength(1);
    await expect(client.write('cancelJob', [terms])).rejects.toMatchObject({ revert: { name: 'UnexpectedStatus' }, mined: false });
  });
});
