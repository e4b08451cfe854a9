/**
 * Paying over HTTP end to end: anvil, Ponder, a real worker daemon and the real x402 gateway process
 * (`gateway/cli.ts`, as `npm start` runs it). A client holding only USDC (no ETH) posts with
 * `loom job post --pay x402`, and the worker runs the job; a direct offer through the SDK's
 * postJobOverHttp goes to that worker; refusals print the gateway's reason, exit non-zero, and move
 * nothing.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Address, type Hex } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { testUsdcAbi } from '../abis/generated';
import { freePort } from '../indexer/run/freePort';
import { postJobOverHttp } from '../sdk/jobOverHttp';
import { receiptEvents } from '../sdk/receipts';
import { skipSandboxTests } from '../worker/test/sandboxAvailability';
import { keyOf } from '../testkit/accounts';
import { scriptSpec } from '../testkit/jobs';
import { loomProcessEnv, runLoom } from '../testkit/loomCli';
import { registerProcess } from '../testkit/reaper';
import { root } from '../testkit/root';
import { type Stack, startStack } from '../testkit/stack';
import { step, waitFor } from '../testkit/waitFor';

let m: Stack;
let gatewayUrl: string;
const payerKey = generatePrivateKey();
const payer = privateKeyToAccount(payerKey);
const MINTED = 100_000_000n; // 100 tUSDC
const spec = scriptSpec('echo paid over http > /out/hello.txt');

beforeAll(async () => {
  if (skipSandboxTests) return;
  m = await step('anvil, Ponder, the artifact store and a worker daemon', 170_000, () => startStack({ name: 'x402-e2e', indexer: true, artifacts: true, workers: 1 }));
  const hash = await m.wallet(1).writeContract({ address: m.usdc, abi: testUsdcAbi, functionName: 'mint', args: [payer.address, MINTED] });
  await m.pub.waitForTransactionReceipt({ hash });
  const port = await freePort();
  gatewayUrl = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, ['--import', 'tsx', 'gateway/cli.ts'], {
    cwd: root,
    env: loomProcessEnv({ LOOM_GATEWAY_KEY: keyOf(3), LOOM_RPC_URL: m.rpcUrl, LOOM_DEPLOYMENT_FILE: m.deploymentPath, GATEWAY_PORT: String(port) }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let logs = '';
  child.stdout!.on('data', (d) => (logs += d));
  child.stderr!.on('data', (d) => (logs += d));
  registerProcess('x402 gateway', child, { logs: () => logs });
  await waitFor('the gateway answering', async () => (await fetch(`${gatewayUrl}/health`).catch(() => undefined))?.ok, 60_000);
  expect(logs).toContain(`x402 gateway on ${gatewayUrl}`);
  expect(logs).not.toContain(keyOf(3).slice(2));
}, 240_000);

afterAll(async () => {
  await m?.stop();
});

const balance = (who: Address) => m.pub.readContract({ address: m.usdc, abi: testUsdcAbi, functionName: 'balanceOf', args: [who] });
const env = () => ({ ...m.cliEnv(1), LOOM_CLIENT_KEY: payerKey, LOOM_GATEWAY_URL: gatewayUrl });
const specFile = () => {
  const path = join(m.workDir, 'x402-spec.json');
  writeFileSync(path, JSON.stringify(spec));
  return path;
};

describe.skipIf(skipSandboxTests)('paying over HTTP (x402)', () => {
  test('default: loom job post --pay x402 posts with no ETH, and a worker runs the job', async () => {
    expect(await m.pub.getBalance({ address: payer.address })).toBe(0n);
    const [before, marketBefore] = await Promise.all([balance(payer.address), balance(m.market)]);
    const r = await runLoom(['job', 'post', specFile(), '--pay', 'x402', '--budget', '5', '--execution-timeout', '10m', '--json'], env(), 120_000);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { jobId: Hex; txHash: Hex; payer: Address; indexed: boolean };
    expect(out.payer).toBe(payer.address);
    const [posted] = receiptEvents(await m.pub.getTransactionReceipt({ hash: out.txHash }), 'JobPosted');
    expect(posted!.args).toMatchObject({ jobId: out.jobId, terms: { client: payer.address, budget: 5_000_000n, token: m.usdc } });
    expect(await balance(payer.address)).toBe(before - 5_000_000n);
    expect(await balance(m.market)).toBe(marketBefore + 5_000_000n);
    expect(await m.pub.getBalance({ address: payer.address })).toBe(0n);

    const job = await m.jobIn(out.jobId, 'SUBMITTED', 120_000);
    expect(job.worker.toLowerCase()).toBe(m.workers[0]!.address.toLowerCase());
  });

  test('behavior: a direct offer through the SDK goes to that worker, who runs it', async () => {
    const worker = m.workers[0]!.address;
    const posted = await postJobOverHttp({ gateway: gatewayUrl, account: payer, order: { spec, budget: 3_000_000n, executionTimeout: 600 }, offerTo: worker });
    expect(posted.payer).toBe(payer.address);
    const job = await m.jobIn(posted.jobId, 'SUBMITTED', 120_000);
    expect(job.worker.toLowerCase()).toBe(worker.toLowerCase());
  });

  test('error: refusals print the gateway’s reason, exit non-zero, and move nothing', async () => {
    const before = await balance(payer.address);
    const gatewayNonce = await m.pub.getTransactionCount({ address: m.address(3) });
    const tooMuch = await runLoom(['job', 'post', specFile(), '--pay', 'x402', '--budget', '1000', '--execution-timeout', '10m'], env(), 120_000);
    expect(tooMuch.code).not.toBe(0);
    expect(tooMuch.stderr).toMatch(/HTTP 402, insufficient_funds/);
    const eth = await runLoom(['job', 'post', specFile(), '--pay', 'x402', '--token', 'eth', '--budget', '1'], env());
    expect(eth.code).not.toBe(0);
    expect(eth.stderr).toMatch(/not ETH/);
    const down = await runLoom(['job', 'post', specFile(), '--pay', 'x402', '--budget', '1', '--execution-timeout', '10m'], { ...env(), LOOM_GATEWAY_URL: `http://127.0.0.1:${await freePort()}` });
    expect(down.code).not.toBe(0);
    expect(down.stderr).toMatch(/is not running/);
    expect(await balance(payer.address)).toBe(before);
    expect(await m.pub.getTransactionCount({ address: m.address(3) })).toBe(gatewayNonce);
  });
});
