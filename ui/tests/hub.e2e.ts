/**
 * The model hub and worker pools in the web UI, against the real stack (anvil with the contracts, the
 * indexer serving the API, the artifact store, the built UI): a creator publishes a model from the
 * browser (the file hashed there, uploaded with the wallet's signature, then published on-chain) and
 * finds it in the hub; a client opens it, "Use in a new job" preselects it in the form, which shows
 * the total with its fee, refuses a paid model in another token in words, and posts the job through
 * LoomModels; a registered worker asks to join a pool from its page, and the operator approves it
 * and sets the fee there.
 */
import { createHash } from 'node:crypto';
import type { BrowserContext, Page } from 'playwright-core';
import { parseEther } from 'viem';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { accountOf } from '../../testkit/accounts';
import { type Stack, startStack } from '../../testkit/stack';
import { waitFor } from '../../testkit/waitFor';
import { chromiumAvailable, launch, screenshot, walletPage as openWalletPage } from './browser';
import { postJobViaForm } from './flows';

const CLIENT = 1;
const CREATOR = 2;
const OPERATOR = 3;
const WORKER = 6;

let stack: Stack;
let ctx: BrowserContext;

const walletPage = (index: number, path: string): Promise<Page> =>
  openWalletPage(ctx, { account: accountOf(index).address, rpcUrl: stack.anvil.rpcUrl, url: `${stack.uiUrl}${path}`, label: String(index) });

describe.skipIf(!chromiumAvailable)('the model hub and worker pools in the web UI', () => {
  beforeAll(async () => {
    stack = await startStack({ name: 'ui-hub', indexer: true, artifacts: { cors: true }, ui: true });
    await stack.writer(WORKER).register(stack.claim(), parseEther('1'));
    await stack.synced();
    ctx = await launch();
  }, 300_000);

  afterAll(async () => {
    await ctx?.close();
    await stack?.stop();
  }, 60_000);

  let published: string;

  test('default: a model published from the browser, its file hashed there and uploaded, then found in the hub', async () => {
    const bytes = Buffer.from('tiny weights '.repeat(100));
    const sha256 = `0x${createHash('sha256').update(bytes).digest('hex')}`;
    const page = await walletPage(CREATOR, '/models/new');
    await page.locator('input[name="name"]').fill('tiny-llm');
    await page.locator('input[name="version"]').fill('1.0');
    await page.getByTestId('model-file-input').setInputFiles({ name: 'weights.bin', mimeType: 'application/octet-stream', buffer: bytes });
    const hashShown = page.getByTestId('file-sha256');
    await hashShown.waitFor({ timeout: 10_000 });
    expect(await hashShown.getAttribute('title')).toBe(sha256);
    await page.locator('input[name="fee"]').fill('0.01');
    expect(await page.getByTestId('publish-fee').textContent()).toContain('0.01 ETH');
    await screenshot(page, 'hub-01-publish-form');
    await page.getByTestId('publish').click();
    await page.waitForURL(/\/models\/\d+$/, { timeout: 60_000 });
    published = page.url().split('/').pop()!;

    await page.getByTestId('model-title').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('model-title').textContent()).toContain('tiny-llm');
    expect(await page.getByTestId('model-fee').textContent()).toContain('0.01 ETH');
    expect(await page.getByTestId('model-files').textContent()).toContain('weights.bin');
    await screenshot(page, 'hub-02-model-page');

    // The store holds the file under the hash the model was published with.
    const res = await fetch(`${stack.artifactUrl}/artifacts/${sha256}`);
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(bytes)).toBe(true);
    const { model } = await stack.gql(`query($id: ID!) { model(id: $id) { creator fee files { sha256 size path } } }`, { id: published });
    expect(model).toEqual({ creator: accountOf(CREATOR).address.toLowerCase(), fee: parseEther('0.01').toString(), files: [{ sha256, size: String(bytes.length), path: 'weights.bin' }] });

    await page.goto(`${stack.uiUrl}/models?q=tiny`);
    await page.locator(`[data-testid="models"] [data-model="${published}"]`).waitFor({ timeout: 20_000 });
    await page.close();
  });

  test('default: "Use in a new job" preselects the model; the form shows the total with its fee, refuses a tUSDC model in an ETH job, and posts with the model', async () => {
    // A paid model in tUSDC, published with the SDK.
    await stack.send(CREATOR, 'publish', [
      { name: 'usdc-tool', version: '1', kind: 2, files: [], image: `ghcr.io/loom/tool@sha256:${'ab'.repeat(32)}`, licenseURI: '', token: stack.usdc, fee: 2_000_000n, previous: 0 },
    ]);
    await stack.synced();

    const page = await walletPage(CLIENT, `/models/${published}`);
    await page.getByTestId('use-model').click();
    await page.waitForURL(new RegExp(`/jobs/new\\?models=${published}$`));
    await page.locator(`[data-picked-model="${published}"]`).waitFor({ timeout: 20_000 });

    await page.locator('input[name="modelSearch"]').fill('usdc-tool');
    const result = page.locator('[data-model-result]').filter({ hasText: 'usdc-tool' });
    await result.waitFor({ timeout: 20_000 });
    await result.getByTestId('add-model').click();
    const issue = page.getByTestId('model-issue');
    await issue.waitFor();
    expect(await issue.textContent()).toContain('charges its fee in tUSDC, and this job pays in ETH: pay the job in tUSDC, or leave the model out.');
    await screenshot(page, 'hub-03-token-refused');
    await page.locator('[data-picked-model]').filter({ hasText: 'usdc-tool' }).getByRole('button', { name: /Remove/ }).click();

    const id = await postJobViaForm(page, stack.uiUrl, {
      script: 'ls /models > /out/models.txt',
      budget: '0.05',
      beforeSubmit: async (p) => {
        expect(await p.getByTestId('total-cost').textContent()).toBe('0.06 ETH');
        expect(await p.getByTestId('model-fees').textContent()).toContain('0.01 ETH for 1 model');
        expect(await p.getByTestId('post-job').textContent()).toContain('0.06 ETH');
        await screenshot(p, 'hub-04-form-with-model');
      },
    });
    await page.getByTestId('job-hub').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('job-hub').textContent()).toContain('tiny-llm 1.0');
    const { job } = await stack.gql(`query($id: ID!) { job(id: $id) { terms { client budget } models { fee royaltyPaid model { id } } } }`, { id });
    expect(job).toEqual({
      terms: { client: accountOf(CLIENT).address.toLowerCase(), budget: parseEther('0.05').toString() },
      models: [{ fee: parseEther('0.01').toString(), royaltyPaid: null, model: { id: published } }],
    });
    await page.close();
  });

  test('default: a registered worker asks to join from the pool page; the operator approves it and sets the fee there', async () => {
    await stack.send(OPERATOR, 'createPool', ['Night shift', '', 500, true]);
    await stack.synced();
    const { pools } = await stack.gql(`{ pools(first: 10) { edges { node { id name } } } }`);
    const pool = pools.edges.find((e: { node: { name: string } }) => e.node.name === 'Night shift').node.id as string;
    const worker = accountOf(WORKER).address.toLowerCase();

    const workerPage = await walletPage(WORKER, `/pools/${pool}`);
    await workerPage.getByTestId('join').click();
    await workerPage.getByTestId('leave').waitFor({ timeout: 30_000 });
    expect(await workerPage.getByTestId('worker-view').textContent()).toContain('waiting for approval');
    await workerPage.close();

    const page = await walletPage(OPERATOR, `/pools/${pool}`);
    await page.getByTestId('operator-view').waitFor({ timeout: 20_000 });
    const request = page.locator(`[data-request="${worker}"]`);
    await request.waitFor({ timeout: 20_000 });
    await screenshot(page, 'hub-05-pool-request');
    await request.getByTestId('approve').click();
    await page.locator(`[data-member="${worker}"]`).waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('pool-members').textContent()).toBe('1');

    await page.locator('input[name="newFee"]').fill('7.5');
    await page.getByTestId('set-fee').click();
    await waitFor('the new fee on the page', async () => (await page.getByTestId('pool-fee').textContent()) === '7.5%', 30_000);
    await screenshot(page, 'hub-06-pool-operator');
    const { pool: after } = await stack.gql(`query($id: ID!) { pool(id: $id) { feeBps members { address state } } }`, { id: pool });
    expect(after).toEqual({ feeBps: 750, members: [{ address: worker, state: 'MEMBER' }] });
    await page.close();
  });
});
