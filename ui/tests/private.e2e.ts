/**
 * A private job through the browser (README: Private jobs), on the real stack with a real worker
 * daemon: the client opens the assigned job's page, seals the secret and a private input's URL with
 * the header its server requires in the page (its wallet's key derives the result key) and sends
 * them; the worker runs the job with them; the page shows the job's live log, sealed to the client
 * and opened in the browser (another viewer is told it is private); the page downloads the
 * encrypted result, decrypts it in the browser and verifies it against the on-chain hash.
 */
import { createHash } from 'node:crypto';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BrowserContext, Page } from 'playwright-core';
import { parseEther } from 'viem';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { accountOf } from '../../testkit/accounts';
import { scriptSpec } from '../../testkit/jobs';
import { type Stack, startStack } from '../../testkit/stack';
import { chromiumAvailable, connectWallet, injectWallet, launch, screenshot } from './browser';

const CLIENT = 1;
const WORKER = 5;
const STRANGER = 2;
const SECRET = 'browser-sealed-s3cret-41';
const HEADER_TOKEN = 'Bearer browser-input-t0ken-7';
const DATA = 'id,label\n1,private row\n';

let stack: Stack;
let ctx: BrowserContext;
/** The private input's server: the file only with the header, 403 without it. */
let server: Server;
let dataUrl: string;
const hits: { auth: string | undefined }[] = [];

async function walletPage(index: number, path: string): Promise<Page> {
  const page = await ctx.newPage();
  page.on('pageerror', (e) => console.error(`[page ${index}] ${e.message}`));
  await injectWallet(page, { account: accountOf(index).address, rpcUrl: stack.anvil.rpcUrl });
  await page.goto(`${stack.uiUrl}${path}`);
  await connectWallet(page);
  return page;
}

/**
 * The injected test wallet was the last one used in this browser, so a page may reconnect it by
 * itself before the Connect button ever shows (connectWallet waits for the button): either will do.
 */
async function connected(page: Page): Promise<void> {
  await page.locator('[data-testid="connect-wallet"], [data-testid="wallet-account"]').first().waitFor();
  await page.waitForTimeout(400);
  if (!(await page.getByTestId('wallet-account').isVisible())) await connectWallet(page);
}

describe.skipIf(!chromiumAvailable)('private jobs in the browser', () => {
  beforeAll(async () => {
    server = createServer((req, res) => {
      hits.push({ auth: req.headers.authorization });
      if (req.url !== '/private/data.csv') return void res.writeHead(404).end();
      if (req.headers.authorization !== HEADER_TOKEN) return void res.writeHead(403).end('forbidden');
      res.end(DATA);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    dataUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/private/data.csv`;
    stack = await startStack({ name: 'ui-private', indexer: true, artifacts: { cors: true }, ui: true, jobDefaults: { executionTimeout: 300, challengeWindow: 3600 } });
    await stack.startWorker(WORKER, { LOOM_SEALED_WAIT_SECONDS: '240', LOOM_ALLOW_PRIVATE_INPUTS: 'true' });
    ctx = await launch();
  }, 300_000);

  afterAll(async () => {
    await ctx?.close();
    server?.close();
    await stack?.stop();
  }, 60_000);

  test('default: the client seals a secret and a private input with its header in the page; the sealed live log and the encrypted result are opened in the browser', async () => {
    // Without the header, the input's server refuses.
    expect((await fetch(dataUrl)).status).toBe(403);
    const job = await stack.post({
      client: CLIENT,
      spec: scriptSpec(
        [
          'echo "token=$HF_TOKEN" > /out/token.txt',
          'cat /in/data.csv > /out/data.txt',
          // Private output on stdout: the live log carries it sealed to the client.
          'echo "rows: $(wc -l < /in/data.csv)"',
        ].join('; '),
        { sealed: { env: ['HF_TOKEN'], privateInputs: ['data.csv'], privateResult: true } },
      ),
      budget: parseEther('0.01'),
    });
    await stack.jobIn(job.id, 'ASSIGNED', 60_000);

    const page = await walletPage(CLIENT, `/jobs/${job.id}`);
    await page.getByTestId('seal-env').fill(`HF_TOKEN=${SECRET}`);
    const sha = createHash('sha256').update(DATA).digest('hex');
    await page.getByTestId('seal-inputs').fill(`data.csv ${dataUrl} ${sha}`);
    await page.getByTestId('seal-header').fill(`Authorization: ${HEADER_TOKEN}`);
    await page.getByTestId('seal-send').click();
    await expect.poll(() => page.getByTestId('seal-status').textContent(), { timeout: 60_000 }).toContain('Sealed to 1 worker');

    // The live log: sealing derived the session's key, so the client's pane opens the chunks as they come.
    await expect.poll(() => page.getByTestId('live-log').textContent().catch(() => ''), { timeout: 120_000 }).toContain('rows: 2');
    expect(await page.getByTestId('live-log').textContent()).toBe('rows: 2\n');

    const submitted = await stack.jobIn(job.id, 'SUBMITTED', 120_000);
    // What the API holds and streams is ciphertext.
    const held = await (await fetch(`${stack.ponder.url}/jobs/${job.id}/log?follow=0`, { headers: { accept: 'text/event-stream' } })).text();
    expect(held).toContain('"encrypted":true');
    expect(held).not.toContain('rows:');
    expect(held).not.toContain(SECRET);
    // The input's server was asked only with the header (by the worker), after our one refused try.
    expect(hits.slice(1).length).toBeGreaterThan(0);
    expect(hits.slice(1).every((h) => h.auth === HEADER_TOKEN)).toBe(true);

    // A new session holds no key: the pane says the log is private and opens it with one signature.
    await page.reload();
    await connected(page);
    await page.getByTestId('live-log-decrypt').click();
    await expect.poll(() => page.getByTestId('live-log').textContent().catch(() => ''), { timeout: 30_000 }).toBe('rows: 2\n');
    await expect.poll(() => page.getByTestId('live-log-private').count()).toBe(0);
    await screenshot(page, 'private-log-decrypted');

    // Another wallet is told the log is private, and shown no ciphertext.
    const stranger = await ctx.newPage();
    await injectWallet(stranger, { account: accountOf(STRANGER).address, rpcUrl: stack.anvil.rpcUrl });
    await stranger.goto(`${stack.uiUrl}/jobs/${job.id}`);
    await connected(stranger);
    expect(await stranger.getByTestId('wallet-account').textContent()).toContain(accountOf(STRANGER).address.slice(0, 6));
    await expect.poll(() => stranger.getByTestId('live-log-private').textContent().catch(() => ''), { timeout: 30_000 }).toContain("sealed to its client's key");
    expect(await stranger.getByTestId('live-log').count()).toBe(0);
    await stranger.close();

    // The result, with the same session key (no second prompt needed).
    await page.getByTestId('verify-result').click();
    await page.getByTestId('verify-ok').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('verify-ok').textContent()).toContain('decrypted');
    // The decrypted bundle (a tar) holds what the job wrote with the secret and the private input.
    const href = await page.getByTestId('verify-ok').locator('a').getAttribute('href');
    const text = await page.evaluate(async (h) => new TextDecoder().decode(await (await fetch(h!)).arrayBuffer()), href);
    expect(text).toContain(`token=${SECRET}`);
    expect(text).toContain('1,private row');
    // What the artifact store holds is not it.
    const stored = await (await fetch(`${stack.artifactUrl}/artifacts/0x${String(submitted.resultURI).replace('artifact://', '')}`)).text();
    expect(stored).not.toContain(SECRET);
    expect(stored).not.toContain('private row');
  });
});
