/**
 * The x402 gateway's figures: a client posts `X402_JOBS` jobs over HTTP on a real anvil, one after
 * another, through the gateway (in-process, on a port). Each is quoted (402), signed with the x402
 * project's own client (@x402/core's x402Client with @x402/evm's exact scheme), then timed: the
 * request with the PAYMENT-SIGNATURE header -> 201 with the job id, which the gateway answers once
 * the posting transaction is mined (its checks, the simulation, the send and the receipt included).
 * After `WARMUP` untimed jobs.
 */
import { decodePaymentRequiredHeader, encodePaymentSignatureHeader } from '@x402/core/http';
import { ExactEvmScheme, toClientEvmSigner } from '@x402/evm';
import { x402Client } from '@x402/fetch';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { testUsdcAbi } from '../abis/generated.ts';
import { startGateway } from '../gateway/startGateway.ts';
import { freePort } from '../indexer/run/freePort.ts';
import { keyOf } from '../testkit/accounts.ts';
import { scriptSpec } from '../testkit/jobs.ts';
import { startStack } from '../testkit/stack.ts';
import { percentile } from './lib/percentile.ts';

const X402_JOBS = Number(process.env.LOOM_BENCH_X402_JOBS ?? 100);
const WARMUP = 5;

export async function x402Bench(): Promise<Record<string, number>> {
  const m = await startStack({ name: 'bench-x402' });
  const payer = privateKeyToAccount(generatePrivateKey());
  const hash = await m.wallet(1).writeContract({ address: m.usdc, abi: testUsdcAbi, functionName: 'mint', args: [payer.address, 10n ** 12n] });
  await m.pub.waitForTransactionReceipt({ hash });
  const gateway = await startGateway({
    key: keyOf(3),
    rpcUrl: m.rpcUrl,
    port: await freePort(),
    host: '127.0.0.1',
    deploymentFile: m.deploymentPath,
    minBalance: 10n ** 16n,
    ratePerIp: 100_000,
    ratePerClient: 100_000,
  });
  const client = new x402Client().register('eip155:*', new ExactEvmScheme(toClientEvmSigner(payer))).setSpendControls({ allowedAssets: true });
  const body = JSON.stringify({ client: payer.address, spec: scriptSpec('echo bench'), budget: '1000000', executionTimeout: 600 });
  const post = (headers: Record<string, string> = {}) => fetch(`${gateway.url}/x402/jobs`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const times: number[] = [];
  try {
    for (let i = 0; i < WARMUP + X402_JOBS; i++) {
      const quoted = await post();
      if (quoted.status !== 402) throw new Error(`the quote answered ${quoted.status}: ${await quoted.text()}`);
      await quoted.arrayBuffer();
      const payment = await client.createPaymentPayload(decodePaymentRequiredHeader(quoted.headers.get('PAYMENT-REQUIRED')!));
      const header = encodePaymentSignatureHeader(payment);
      const started = performance.now();
      const paid = await post({ 'PAYMENT-SIGNATURE': header });
      const answer = (await paid.json()) as { jobId?: string; error?: string };
      const elapsed = performance.now() - started;
      if (paid.status !== 201 || !answer.jobId) throw new Error(`the paid request answered ${paid.status}: ${answer.error}`);
      if (i >= WARMUP) times.push(elapsed);
    }
  } finally {
    await gateway.close();
    await m.stop();
  }
  const round = (x: number) => Math.round(x * 10) / 10;
  return { 'x402.post.p50Ms': round(percentile(times, 50)), 'x402.post.p99Ms': round(percentile(times, 99)) };
}
