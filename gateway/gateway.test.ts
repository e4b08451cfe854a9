/**
 * The x402 gateway against a real anvil with the contracts deployed, served on a port: the 402
 * negotiation end to end through a plain @x402/fetch client (the README's example), a direct offer,
 * and every bad payment, each refused with 402 or 400 and a reason, the client's balance unchanged
 * and no transaction sent (the gateway's nonce does not move).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { decodePaymentRequiredHeader, decodePaymentResponseHeader, encodePaymentSignatureHeader } from '@x402/core/http';
import type { PaymentPayload, PaymentRequirements } from '@x402/core/types';
import { ExactEvmScheme, toClientEvmSigner } from '@x402/evm';
import { wrapFetchWithPayment, x402Client } from '@x402/fetch';
import { type Address, type Hex, type LocalAccount, getAddress, keccak256, toHex } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { testUsdcAbi } from '../abis/generated';
import { freePort } from '../indexer/run/freePort';
import { tokenDomain } from '../sdk/jobPayment';
import { receiptEvents } from '../sdk/receipts';
import { MAX_SPEC_BYTES } from '../sdk/spec/jobSpec';
import { keyOf } from '../testkit/accounts';
import { type Stack, startStack } from '../testkit/stack';
import { startGateway } from './startGateway';
import { TRANSFER_WITH_AUTHORIZATION_TYPES } from '../sdk/jobPayment';

let m: Stack;
let gateway: Awaited<ReturnType<typeof startGateway>>;
const payer = privateKeyToAccount(generatePrivateKey());
const stranger = privateKeyToAccount(generatePrivateKey());
const BUDGET = 2_000_000n;
const spec = { version: 1, command: ['true'] };
const order = (extra: Record<string, unknown> = {}) => ({ client: payer.address, spec, budget: BUDGET.toString(), executionTimeout: 3900, ...extra });

beforeAll(async () => {
  m = await startStack({ name: 'x402-gateway-test' });
  const hash = await m.wallet(1).writeContract({ address: m.usdc, abi: testUsdcAbi, functionName: 'mint', args: [payer.address, 100_000_000n] });
  await m.pub.waitForTransactionReceipt({ hash });
  gateway = await startGateway({
    key: keyOf(3),
    rpcUrl: m.rpcUrl,
    port: await freePort(),
    host: '127.0.0.1',
    deploymentFile: m.deploymentPath,
    minBalance: 10n ** 16n,
    ratePerIp: 10_000,
    ratePerClient: 10_000,
  });
}, 180_000);

afterAll(async () => {
  await gateway?.close();
  await m?.stop();
});

const balance = (who: Address) => m.pub.readContract({ address: m.usdc, abi: testUsdcAbi, functionName: 'balanceOf', args: [who] });
const gatewayNonce = () => m.pub.getTransactionCount({ address: gateway.address, blockTag: 'pending' });
const post = (body: unknown, headers: Record<string, string> = {}, path = '/x402/jobs') =>
  fetch(`${gateway.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

/** The gateway's quote for `body`: its one payment requirement. */
async function quote(body: unknown): Promise<PaymentRequirements> {
  const res = await post(body);
  expect(res.status).toBe(402);
  return decodePaymentRequiredHeader(res.headers.get('PAYMENT-REQUIRED')!).accepts[0]!;
}

/** A payment for `accepted`, signed by `signer` with the authorization `overrides` (default: what @x402/fetch signs). */
async function payment(accepted: PaymentRequirements, o: { signer?: LocalAccount; from?: Address; to?: Address; value?: bigint; validAfter?: bigint; validBefore?: bigint; nonce?: Hex } = {}): Promise<PaymentPayload> {
  const now = BigInt(Math.floor(Date.now() / 1000));
  const authorization = {
    from: o.from ?? payer.address,
    to: o.to ?? getAddress(accepted.payTo),
    value: o.value ?? BigInt(accepted.amount),
    validAfter: o.validAfter ?? 0n,
    validBefore: o.validBefore ?? now + 300n,
    nonce: o.nonce ?? keccak256(toHex(`${Math.random()}`)),
  };
  const domain = { name: accepted.extra.name as string, version: accepted.extra.version as string, chainId: m.deployment.chainId, verifyingContract: getAddress(accepted.asset) };
  const signature = await (o.signer ?? payer).signTypedData({ domain, types: TRANSFER_WITH_AUTHORIZATION_TYPES, primaryType: 'TransferWithAuthorization', message: authorization });
  const asStrings = Object.fromEntries(Object.entries(authorization).map(([k, v]) => [k, typeof v === 'bigint' ? v.toString() : v]));
  return { x402Version: 2, accepted, payload: { authorization: asStrings, signature } };
}

/** Sends a paid request that must be refused: checks the status, the reason, and that nothing moved. */
async function refused(body: unknown, paid: PaymentPayload, status: number, reason: RegExp) {
  const [before, nonce] = await Promise.all([balance(payer.address), gatewayNonce()]);
  const res = await post(body, { 'PAYMENT-SIGNATURE': encodePaymentSignatureHeader(paid) });
  const answer = (await res.json()) as { error: string; reason?: string };
  expect(res.status, answer.error).toBe(status);
  expect(`${answer.reason ?? ''} ${answer.error}`).toMatch(reason);
  if (status === 402) expect(decodePaymentRequiredHeader(res.headers.get('PAYMENT-REQUIRED')!).error).toMatch(reason);
  expect(await balance(payer.address)).toBe(before);
  expect(await gatewayNonce()).toBe(nonce);
}

describe('POST /x402/jobs', () => {
  test('behavior: a plain @x402/fetch client posts a job paid in USDC, with no ETH', async () => {
    expect(await m.pub.getBalance({ address: payer.address })).toBe(0n);
    const [before, marketBefore] = await Promise.all([balance(payer.address), balance(m.market)]);

    // The README's example (Paying over HTTP (x402)).
    const usdc = m.usdc; // the deployment's TestUSDC
    const client = new x402Client()
      .register('eip155:*', new ExactEvmScheme(toClientEvmSigner(payer)))
      // x402 pays only the assets it knows unless told: allow this one, up to the budget.
      .setSpendControls({ allowedAssets: [{ network: 'eip155:31337', asset: usdc, maxAmountPerPayment: '2000000' }] });
    const fetchWithPayment = wrapFetchWithPayment(fetch, client);
    const res = await fetchWithPayment(`${gateway.url}/x402/jobs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ client: payer.address, spec, budget: '2000000', executionTimeout: 3900 }),
    });
    const { jobId, transaction } = (await res.json()) as { jobId: Hex; transaction: Hex };
    expect(res.status).toBe(201);
    const settled = decodePaymentResponseHeader(res.headers.get('PAYMENT-RESPONSE')!);
    expect(settled).toMatchObject({ success: true, transaction, network: `eip155:${m.deployment.chainId}`, payer: payer.address });

    const receipt = await m.pub.getTransactionReceipt({ hash: transaction });
    expect(receipt.from).toBe(gateway.address.toLowerCase());
    const [posted] = receiptEvents(receipt, 'JobPosted');
    expect(posted!.args.jobId).toBe(jobId);
    expect(posted!.args.terms.client).toBe(payer.address);
    expect(posted!.args.terms.budget).toBe(BUDGET);
    expect(posted!.args.terms.token).toBe(m.usdc);
    expect(await balance(payer.address)).toBe(before - BUDGET);
    expect(await balance(m.market)).toBe(marketBefore + BUDGET);
    expect(await m.pub.getBalance({ address: payer.address })).toBe(0n);
  });

  test('behavior: /x402/workers/<address>/jobs offers the job to that worker alone', async () => {
    const worker = m.address(4);
    const client = new x402Client().register('eip155:*', new ExactEvmScheme(toClientEvmSigner(payer))).setSpendControls({ allowedAssets: true });
    const res = await wrapFetchWithPayment(fetch, client)(`${gateway.url}/x402/workers/${worker}/jobs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(order()),
    });
    expect(res.status).toBe(201);
    const { transaction } = (await res.json()) as { transaction: Hex };
    const [posted] = receiptEvents(await m.pub.getTransactionReceipt({ hash: transaction }), 'JobPosted');
    expect(posted!.args.terms.mode).toBe(2);
    expect(posted!.args.terms.offeredTo).toBe(worker);
  });

  test('behavior: the quote names the order’s own deposit address and a fresh salt each time', async () => {
    const [a, b] = await Promise.all([quote(order()), quote(order())]);
    const domain = await tokenDomain(m.publicClient, m.usdc);
    expect(a).toMatchObject({ scheme: 'exact', network: `eip155:${m.deployment.chainId}`, asset: m.usdc, amount: BUDGET.toString(), maxTimeoutSeconds: 300, extra: { name: domain.name, version: domain.version } });
    expect(a.payTo).not.toBe(b.payTo);
    expect(a.extra.salt).not.toBe(b.extra.salt);
  });

  test('error: an expired authorization', async () => {
    const accepted = await quote(order());
    await refused(order(), await payment(accepted, { validBefore: BigInt(Math.floor(Date.now() / 1000) - 10) }), 402, /authorization_expired/);
  });

  test('error: an authorization not yet valid', async () => {
    const accepted = await quote(order());
    await refused(order(), await payment(accepted, { validAfter: BigInt(Math.floor(Date.now() / 1000) + 3600) }), 402, /authorization_not_yet_valid/);
  });

  test('error: a wrong amount', async () => {
    const accepted = await quote(order());
    await refused(order(), await payment({ ...accepted, amount: (BUDGET - 1n).toString() }, { value: BUDGET - 1n }), 402, /invalid_amount/);
    await refused(order(), await payment(accepted, { value: BUDGET - 1n }), 402, /invalid_amount/);
  });

  test('error: a wrong asset', async () => {
    const accepted = await quote(order());
    await refused(order(), await payment({ ...accepted, asset: m.market }), 402, /invalid_asset/);
  });

  test('error: a wrong network', async () => {
    const accepted = await quote(order());
    await refused(order(), await payment({ ...accepted, network: 'eip155:8453' }), 402, /invalid_network/);
  });

  test('error: a wrong payTo', async () => {
    const accepted = await quote(order());
    await refused(order(), await payment({ ...accepted, payTo: stranger.address }, { to: stranger.address }), 402, /invalid_pay_to/);
    await refused(order(), await payment(accepted, { to: stranger.address }), 402, /invalid_recipient/);
  });

  test('error: a reused nonce', async () => {
    const nonce = keccak256(toHex('x402 reused nonce'));
    const first = await quote(order());
    const res = await post(order(), { 'PAYMENT-SIGNATURE': encodePaymentSignatureHeader(await payment(first, { nonce })) });
    expect(res.status).toBe(201);
    const second = await quote(order());
    await refused(order(), await payment(second, { nonce }), 402, /nonce_already_used/);
  });

  test('error: a signature by someone else', async () => {
    const accepted = await quote(order());
    await refused(order(), await payment(accepted, { signer: stranger }), 402, /invalid_signature/);
    // The stranger's own payment for the payer's order: not the body's client.
    await refused(order(), await payment(accepted, { signer: stranger, from: stranger.address }), 402, /invalid_payer/);
  });

  test('error: a body that does not match the quote', async () => {
    const accepted = await quote(order());
    const paid = await payment(accepted);
    await refused(order({ spec: { ...spec, command: ['false'] } }), paid, 402, /invalid_pay_to/);
    await refused(order({ budget: (BUDGET * 2n).toString() }), paid, 402, /invalid_amount/);
    await refused(order({ executionTimeout: 7200 }), paid, 402, /invalid_pay_to/);
    // A quote whose extra was taken away cannot be rebuilt.
    await refused(order(), await payment({ ...accepted, extra: { name: accepted.extra.name, version: accepted.extra.version } }), 400, /salt/);
    // A made-up deadline past the market's longest open period.
    await refused(order(), await payment({ ...accepted, extra: { ...accepted.extra, openUntil: (accepted.extra.openUntil as number) + 10 * 365 * 86_400 } }), 400, /openUntil .* ahead/);
  });

  test('error: an oversize spec, bad terms, a token without EIP-3009', async () => {
    const big = { ...spec, env: { PAD: 'x'.repeat(MAX_SPEC_BYTES) } };
    for (const [body, reason] of [
      [order({ spec: big }), /spec is \d+ bytes: at most 8192/],
      [order({ spec: { version: 1 } }), /spec:/],
      [order({ budget: '0' }), /budget must be more than zero/],
      [order({ budget: '1.5' }), /budget must be a decimal string/],
      [order({ executionTimeout: 10 }), /executionTimeout/],
      [order({ client: 'nobody' }), /client must be the paying address/],
      [order({ token: '0x0000000000000000000000000000000000000000' }), /ETH cannot be paid over x402/],
      [order({ token: m.market }), /cannot be paid over x402/],
    ] as const) {
      const nonce = await gatewayNonce();
      const res = await post(body);
      const answer = (await res.json()) as { error: string };
      expect(res.status, answer.error).toBe(400);
      expect(answer.error).toMatch(reason);
      expect(await gatewayNonce()).toBe(nonce);
    }
    const res = await post(order(), {}, '/x402/workers/nobody/jobs');
    expect(res.status).toBe(400);
  });
});

describe('the gateway’s limits', () => {
  test('error: requests past the per-client or per-IP limit get 429 with Retry-After', async () => {
    const limited = await startGateway({ key: keyOf(3), rpcUrl: m.rpcUrl, port: await freePort(), host: '127.0.0.1', deploymentFile: m.deploymentPath, minBalance: 0n, ratePerIp: 3, ratePerClient: 2 });
    try {
      const call = () => fetch(`${limited.url}/x402/jobs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(order()) });
      expect((await call()).status).toBe(402);
      expect((await call()).status).toBe(402);
      const third = await call();
      expect(third.status).toBe(429);
      expect(Number(third.headers.get('Retry-After'))).toBeGreaterThan(0);
      expect(((await third.json()) as { error: string }).error).toMatch(/too many requests from this client/);
      // Another client from the same IP: the IP's limit.
      const fourth = await fetch(`${limited.url}/x402/jobs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(order({ client: stranger.address })) });
      expect(fourth.status).toBe(429);
      expect(((await fourth.json()) as { error: string }).error).toMatch(/too many requests from this address \(IP\)/);
    } finally {
      await limited.close();
    }
  });

  test('error: a gateway whose balance is below its minimum refuses work with 503', async () => {
    const poor = await startGateway({ key: keyOf(3), rpcUrl: m.rpcUrl, port: await freePort(), host: '127.0.0.1', deploymentFile: m.deploymentPath, minBalance: 10n ** 30n, ratePerIp: 100, ratePerClient: 100 });
    try {
      const res = await fetch(`${poor.url}/x402/jobs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(order()) });
      expect(res.status).toBe(503);
      expect(((await res.json()) as { error: string }).error).toMatch(/cannot pay gas: its account 0x[0-9a-fA-F]{40} holds .* below its minimum/);
    } finally {
      await poor.close();
    }
  });
});
