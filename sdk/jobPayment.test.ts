/**
 * Gasless posting through the SDK against a real anvil: a client that holds no ETH, only the token,
 * signs the payment for a job; a relayer posts it; the job is the client's, with the id the client
 * computed. The signature is bound to the job: other terms, a second submission, or a replay after
 * expiry are refused by name, nothing moved.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type Address, createWalletClient, http, parseEther, zeroAddress } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { foundry } from 'viem/chains';
import { testUsdcAbi } from '../abis/generated';
import { type Stack, startStack } from '../testkit/stack';
import { signJobPayment } from './jobPayment';
import { TxError, specBytes } from './writes';

let m: Stack;
const spec = specBytes({ version: 1, image: 'loom/gasless-test', command: ['true'] });
const payer = privateKeyToAccount(generatePrivateKey());

beforeAll(async () => {
  m = await startStack({ name: 'sdk-job-payment-test', jobDefaults: { budget: 30_000_000n, collateral: parseEther('0.01') } });
  const hash = await m.wallet(1).writeContract({ address: m.usdc, abi: testUsdcAbi, functionName: 'mint', args: [payer.address, 100_000_000n] });
  await m.pub.waitForTransactionReceipt({ hash });
}, 180_000);

afterAll(async () => {
  await m?.stop();
});

const balance = (who: Address) => m.pub.readContract({ address: m.usdc, abi: testUsdcAbi, functionName: 'balanceOf', args: [who] });

describe('postJobFor through the SDK', () => {
  test('behavior: a client with no ETH signs, a relayer posts, the job is the client’s', async () => {
    expect(await m.pub.getBalance({ address: payer.address })).toBe(0n);
    const wallet = createWalletClient({ account: payer, chain: foundry, transport: http(m.rpcUrl) });
    const params = { ...(await m.jobParams()), token: m.usdc };
    const paid = await signJobPayment({ publicClient: m.publicClient, walletClient: wallet, market: m.market, params, spec });
    const relayer = m.writer(3);
    const posted = await relayer.postJobFor({ terms: params, spec, client: paid.client, payment: paid.payment });
    expect(posted.jobId).toBe(paid.jobId);
    expect(posted.terms.client).toBe(payer.address);
    expect(await balance(payer.address)).toBe(100_000_000n - params.budget);

    // The same authorization again: the job exists, refused in simulation, nothing sent.
    await expect(relayer.postJobFor({ terms: params, spec, client: paid.client, payment: paid.payment })).rejects.toMatchObject({ revert: { name: 'JobExists' } });
    // Another job (another salt) cannot use it.
    const other = { ...params, salt: params.salt + 1n };
    const err = await relayer.postJobFor({ terms: other, spec, client: paid.client, payment: paid.payment }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TxError);
    expect((err as TxError).revert?.name).toBe('ERC3009InvalidSignature');
    expect(await balance(payer.address)).toBe(100_000_000n - params.budget);
  });

  test('error: ETH cannot be paid by signature', async () => {
    const wallet = createWalletClient({ account: payer, chain: foundry, transport: http(m.rpcUrl) });
    const params = { ...(await m.jobParams()), token: zeroAddress };
    await expect(signJobPayment({ publicClient: m.publicClient, walletClient: wallet, market: m.market, params, spec })).rejects.toThrow(/needs a token with EIP-3009/);
  });
});
