/**
 * A private job through the browser (README: Private jobs), on the real stack with a real worker
 * daemon: the client opens the assigned job's page, seals the secret in the page (its wallet's key
 * derives the result key) and sends it; the worker runs the job with it; the page downloads the
 * encrypted result, decrypts it in the browser and verifies it against the on-chain hash.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { parseEther } from 'viem';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { accountOf } from '../../testkit/accounts';
import { scriptSpec } from '../../testkit/jobs';
import { type Stack, startStack } from '../../testkit/stack';
import { chromiumAvailable, connectWallet, injectWallet, launch } from './browser';

const CLIENT = 1;
const WORKER = 5;
const SECRET = 'browser-sealed-s3cret-41';

let stack: Stack;
let ctx: BrowserContext;

async function walletPage(index: number, path: string): Promise<Page> {
  const page = await ctx.newPage();
  page.on('pageerror', (e) => console.error(`[page ${index}] ${e.message}`));
  await injectWallet(page, { account: accountOf(index).address, rpcUrl: stack.anvil.rpcUrl });
  await page.goto(`${stack.uiUrl}${path}`);
  await connectWallet(page);
  return page;
}

describe.skipIf(!chromiumAvailable)('private jobs in the browser', () => {
  beforeAll(async () => {
    stack = await startStack({ name: 'ui-private', indexer: true, artifacts: { cors: true }, ui: true, jobDefaults: { executionTimeout: 300, challengeWindow: 3600 } });
    await stack.startWorker(WORKER, { LOOM_SEALED_WAIT_SECONDS: '240' });
    ctx = await launch();
  }, 300_000);

  afterAll(async () => {
    await ctx?.close();
    await stack?.stop();
  }, 60_000);

  test('default: the client seals a secret in the page; the encrypted result is decrypted and verified in the browser', async () => {
    const job = await stack.post({
      client: CLIENT,
      spec: scriptSpec('echo "token=$HF_TOKEN" > /out/token.txt', { sealed: { env: ['HF_TOKEN'], privateResult: true } }),
      budget: parseEther('0.01'),
    });
    await stack.jobIn(job.id, 'ASSIGNED', 60_000);

    const page = await walletPage(CLIENT, `/jobs/${job.id}`);
    await page.getByTestId('seal-env').fill(`HF_TOKEN=${SECRET}`);
    await page.getByTestId('seal-send').click();
    await expect.poll(() => page.getByTestId('seal-status').textContent(), { timeout: 60_000 }).toContain('Sealed to 1 worker');

    const submitted = await stack.jobIn(job.id, 'SUBMITTED', 120_000);
    await page.reload();
    await page.getByTestId('verify-result').click();
    await page.getByTestId('verify-ok').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('verify-ok').textContent()).toContain('decrypted');
    // The decrypted bundle (a tar) holds what the job wrote with the secret.
    const href = await page.getByTestId('verify-ok').locator('a').getAttribute('href');
    const text = await page.evaluate(async (h) => new TextDecoder().decode(await (await fetch(h!)).arrayBuffer()), href);
    expect(text).toContain(`token=${SECRET}`);
    // What the artifact store holds is not it.
    const stored = await (await fetch(`${stack.artifactUrl}/artifacts/0x${String(submitted.resultURI).replace('artifact://', '')}`)).text();
    expect(stored).not.toContain(SECRET);
  });
});
