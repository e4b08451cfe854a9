/**
 * The `loom` binary against a misbehaving RPC (testkit/rpcProxy.ts in front of anvil; the API reads
 * anvil directly): the node unreachable (connections refused, or reset), every request a 503, a 429
 * with Retry-After, every answer truncated mid-JSON, and every transaction's answer lost after the
 * node took it.
 *
 * Commands that need the chain (`job post`, `job cancel`, `worker register`, `worker start`) exit 1
 * with one line on stderr that names the RPC and what went wrong, never a stack trace; one whose
 * transaction may have gone out never says that nothing was sent. `job show`, which reads the API and
 * only asks the chain for token symbols, still shows the job.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { addressOf, keyOf } from '../testkit/accounts';
import { type LoomRun, runLoom } from '../testkit/loomCli';
import { type RpcProxy, startRpcProxy } from '../testkit/rpcProxy';
import { type Stack, startStack } from '../testkit/stack';
import { tempDir } from '../testkit/tempDir';

const CLIENT = 1;
const WORKER = 6;

type Run = LoomRun;

let stack: Stack;
let proxy: RpcProxy;
let workDir: string;
let specPath: string;
let jobId: string;
let usdcJobId: string;

/** Runs the real binary with LOOM_RPC_URL at the proxy. */
const loom = (args: string[], extra: Record<string, string> = {}, timeoutMs = 90_000): Promise<Run> =>
  runLoom(args, { LOOM_API_URL: stack.ponder.url, LOOM_RPC_URL: proxy.url, LOOM_DEPLOYMENT_FILE: stack.deploymentPath, LOOM_CLIENT_KEY: keyOf(CLIENT), ...extra }, timeoutMs);

const nonceOf = async (i: number) => Number(await stack.rpc<string>('eth_getTransactionCount', [addressOf(i), 'latest']));

beforeAll(async () => {
  workDir = tempDir('cli-rpc-faults');
  stack = await startStack({ name: 'cli-rpc-faults', indexer: true });
  proxy = await startRpcProxy(stack.rpcUrl, { name: 'cli' });
  specPath = join(workDir, 'spec.json');
  writeFileSync(specPath, `${JSON.stringify({ version: 1, script: 'echo hi', resources: { memoryMiB: 256, timeoutSeconds: 60 } })}\n`);
  jobId = (await stack.post({ client: CLIENT })).id;
  await stack.approveUsdc(CLIENT);
  usdcJobId = (await stack.post({ client: CLIENT, token: stack.usdc, budget: 5_000_000n })).id;
  await stack.synced();
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

/** Exit 1, one line on stderr from the program, naming the RPC, and no stack trace anywhere. */
function expectReadableFailure(r: Run, what: string, prefix: 'loom' | 'loom-worker', mentions: RegExp): void {
  const context = `${what}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`;
  expect(r.code, context).toBe(1);
  expect(`${r.stdout}\n${r.stderr}`, context).not.toMatch(/^\s+at /m);
  const lines = r.stderr.trim().split('\n');
  expect(lines, context).toHaveLength(1);
  expect(lines[0], context).toMatch(new RegExp(`^${prefix}: `));
  // Names the RPC (its URL) and what went wrong with it.
  expect(lines[0], context).toContain(proxy.url);
  expect(lines[0], context).toMatch(mentions);
  console.log(`${what}: ${lines[0]}`);
}

type Fault = { name: string; set: () => Promise<void> | void; mentions: RegExp };
const faults: Fault[] = [
  { name: 'unreachable (connection refused)', set: () => proxy.outage('refuse'), mentions: /connection refused/ },
  { name: 'unreachable (connection reset)', set: () => proxy.outage('reset'), mentions: /connection reset|closed before an answer/ },
  { name: 'every request a 5xx', set: () => proxy.setRates({ serverError: 1 }), mentions: /HTTP 50[023]/ },
  { name: 'rate limited (429)', set: () => proxy.setRates({ rateLimit: 1 }), mentions: /HTTP 429 \(rate limited\)/ },
  { name: 'every answer truncated', set: () => proxy.setRates({ truncate: 1 }), mentions: /not valid JSON/ },
];

describe('loom against a faulty RPC', () => {
  for (const f of faults) {
    test(`behavior: ${f.name}: post, cancel and worker register fail in one readable line; nothing is sent; show still works`, async () => {
      const nonces = [await nonceOf(CLIENT), await nonceOf(WORKER)];
      await f.set();
      try {
        const [post, cancel, register, show] = await Promise.all([
          loom(['job', 'post', specPath, '--budget', '0.01']),
          loom(['job', 'cancel', jobId]),
          loom(['worker', 'register'], { LOOM_WORKER_KEY: keyOf(WORKER), LOOM_WORKER_STAKE: '1', LOOM_UNSAFE_NO_SANDBOX: 'true' }),
          loom(['job', 'show', usdcJobId]),
        ]);
        expectReadableFailure(post, 'job post', 'loom', f.mentions);
        expectReadableFailure(cancel, 'job cancel', 'loom', f.mentions);
        expectReadableFailure(register, 'worker register', 'loom-worker', f.mentions);
        expect(show.code, `job show\n${show.stderr}`).toBe(0);
        expect(show.stdout).toContain(usdcJobId);
        expect(`${show.stdout}${show.stderr}`).not.toMatch(/^\s+at /m);
      } finally {
        proxy.setRates({});
        await proxy.restore();
      }
      expect([await nonceOf(CLIENT), await nonceOf(WORKER)]).toEqual(nonces);
    });
  }

  test('behavior: worker start with the RPC unreachable exits 1 in one readable line', async () => {
    await proxy.outage('refuse');
    try {
      const r = await loom(['worker', 'start'], { LOOM_WORKER_KEY: keyOf(WORKER), LOOM_WORKER_DATA_DIR: join(workDir, 'worker'), LOOM_METRICS_PORT: 'off', LOOM_UNSAFE_NO_SANDBOX: 'true' });
      expectReadableFailure(r, 'worker start', 'loom-worker', /connection refused/);
    } finally {
      await proxy.restore();
    }
  });

  test('behavior: the answer to a transaction lost after the node took it: exit 1, and never "nothing was sent"', async () => {
    const before = await nonceOf(CLIENT);
    proxy.setRates({}, { eth_sendRawTransaction: { reset: 1 } });
    try {
      const r = await loom(['job', 'post', specPath, '--budget', '0.01']);
      const sent = (await nonceOf(CLIENT)) > before;
      const context = `sent: ${sent}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`;
      expect(r.code, context).toBe(1);
      expect(`${r.stdout}\n${r.stderr}`, context).not.toMatch(/^\s+at /m);
      expect(r.stderr.trim().split('\n'), context).toHaveLength(1);
      if (sent) expect(r.stderr, context).not.toMatch(/nothing was sent/);
      expect(r.stderr, context).toMatch(/may have been sent/);
      expect(r.stderr, context).toContain(proxy.url);
      console.log(`lost answer (sent: ${sent}): ${r.stderr.trim()}`);
    } finally {
      proxy.setRates({});
    }
  });
});
