/**
 * postJobOverHttp against the real gateway on a real anvil: a client with only the token posts a
 * job; refusals come back as GatewayError with the gateway's status and x402 reason; a gateway that
 * is not running is said so.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { testUsdcAbi } from '../abis/generated';
import { startGateway } from '../gateway/startGateway';
import { freePort } from '../indexer/run/freePort';
import { keyOf } from '../testkit/accounts';
import { type Stack, startStack } from '../testkit/stack';
import { GatewayError, postJobOverHttp } from './jobOverHttp';
import { receiptEvents } from './receipts';

let m: Stack;
let gateway: Awaited<ReturnType<typeof startGateway>>;
const payer = privateKeyToAccount(generatePrivateKey());
const spec = { version: 1, command: ['true'] };

beforeAll(async () => {
  m = await startStack({ name: 'sdk-job-over-http-test' });
  const hash = await m.wallet(1).writeContract({ address: m.usdc, abi: testUsdcAbi, functionName: 'mint', args: [payer.address, 10_000_000n] });
  await m.pub.waitForTransactionReceipt({ hash });
  gateway = await startGateway({ key: keyOf(3), rpcUrl: m.rpcUrl, port: await freePort(), host: '127.0.0.1', deploymentFile: m.deploymentPath, minBalance: 0n, ratePerIp: 100, ratePerClient: 100 });
}, 180_000);

afterAll(async () => {
  await gateway?.close();
  await m?.stop();
});

describe('postJobOverHttp', () => {
  test('default: the job is posted with the signer as its client', async () => {
    const posted = await postJobOverHttp({ gateway: gateway.url, account: payer, order: { spec, budget: 1_000_000n, executionTimeout: 3900 } });
    expect(posted.payer).toBe(payer.address);
    const [event] = receiptEvents(await m.pub.getTransactionReceipt({ hash: posted.transaction }), 'JobPosted');
    expect(event!.args).toMatchObject({ jobId: posted.jobId, terms: { client: payer.address, budget: 1_000_000n } });
  });

  test('error: a payment the chain refuses is a GatewayError with the x402 reason', async () => {
    const err = await postJobOverHttp({ gateway: gateway.url, account: payer, order: { spec, budget: 50_000_000n, executionTimeout: 3900 } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GatewayError);
    expect(err).toMatchObject({ status: 402, reason: 'insufficient_funds' });
  });

  test('error: bad terms are a GatewayError with status 400 and the reason', async () => {
    const err = await postJobOverHttp({ gateway: gateway.url, account: payer, order: { spec, budget: 1_000_000n, executionTimeout: 5 } }).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 400 });
    expect((err as Error).message).toMatch(/executionTimeout/);
  });

  test('error: a gateway that is not running', async () => {
    await expect(postJobOverHttp({ gateway: `http://127.0.0.1:${await freePort()}`, account: payer, order: { spec, budget: 1n } })).rejects.toThrow(/is not running/);
  });
});
