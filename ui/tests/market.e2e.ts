/**
 * The UI in Chromium against the real stack: anvil with the contracts, Ponder serving the API, the
 * built UI (`node ui/build`), an artifact store and two real worker daemons (`loom-worker start`).
 * Wallets are injected EIP-1193 providers announced through EIP-6963 (tests/browser.ts).
 *
 * - A job posted in the form appears in the marketplace without a reload; a worker runs it; the
 *   client releases it; the timeline completes and the result's sha256 checks out in the browser.
 * - An image job posted in the form (the image field holds a reference pushed to a local registry,
 *   on worker A's allow-list): worker A pulls and runs it, the page names the image, and the result
 *   saved through the page's link hashes to the on-chain hash and holds the output and its run record.
 * - A local file picked in the form is uploaded to the artifact store, signed by the wallet, and is
 *   the input the worker runs on.
 * - An auction in tUSDC (approval, then post) gets a bid from each worker; the client accepts one.
 * - A dispute with evidence, listed for the arbiter, who splits the price and slashes collateral.
 * - A wrong network, a declined signature and a revert are explained in words.
 *
 * Screenshots land in ui/test-results/screenshots. In CI (CI=true) a missing Chromium fails the run.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createPublicClient, createWalletClient, http, parseEther, parseEventLogs, toHex, zeroAddress, zeroHash, type Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { foundry } from 'viem/chains';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loomMarketAbi, testUsdcAbi } from '../../abis/generated';
import { chromiumAvailable, connectWallet, injectWallet, launch, screenshot, CHROMIUM } from './browser';
import { postJobViaForm, runAction, waitForEvent } from './flows';
import { accountOf } from '../../testkit/accounts';
import { type PushedImage, busyboxImage, layerDigests, pushImage } from '../../testkit/images';
import { type Registry, startRegistry } from '../../testkit/registry';
import { type Stack, startStack } from '../../testkit/stack';
import { waitFor } from '../../testkit/waitFor';

const CLIENT = 1;
const ARBITER = 8;
const WORKER_A = 5;
const WORKER_B = 6;
const inCI = !!process.env.CI && process.env.CI !== 'false' && process.env.CI !== '0';

if (!chromiumAvailable) {
  if (inCI) throw new Error(`Chromium is required in CI and was not found at ${CHROMIUM} (apt-get install -y chromium)`);
  console.warn(`SKIPPING the browser tests: no Chromium at ${CHROMIUM}. Install it (apt-get install -y chromium) or set CHROMIUM_PATH.`);
}

let stack: Stack;
let ctx: BrowserContext;
let registry: Registry;
let image: PushedImage;
const client = accountOf(CLIENT).address;
const arbiter = accountOf(ARBITER).address;

async function gql<T = any>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const res = await fetch(`${stack.ponder.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data: T; errors?: unknown };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}
const jobOf = (id: string) =>
  gql<{ job: { status: string; closeReason: string | null; worker: string | null; price: string | null; slashed: string | null; workerPayout: string | null } }>(
    `query($id: ID!) { job(id: $id) { status closeReason worker price slashed workerPayout } }`,
    { id },
  ).then((d) => d.job);

/** A page with the wallet of mnemonic account `index`, connected. */
async function walletPage(index: number, path = '/', extra: { chainId?: string; rejectTransactions?: boolean } = {}): Promise<Page> {
  const page = await ctx.newPage();
  page.on('pageerror', (e) => console.error(`[page ${index}] ${e.message}`));
  await injectWallet(page, { account: accountOf(index).address, rpcUrl: stack.anvil.rpcUrl, ...extra });
  await page.goto(`${stack.uiUrl}${path}`);
  await connectWallet(page);
  return page;
}

const names = async (page: Page) => page.locator('[data-testid="timeline"] [data-event]').evaluateAll((els) => els.map((e) => e.getAttribute('data-event')));

describe.skipIf(!chromiumAvailable)('web UI on the real stack', () => {
  beforeAll(async () => {
    stack = await startStack({ name: 'ui-e2e', indexer: true, artifacts: { cors: true }, ui: true });
    const usdc = stack.deployment.TestUSDC.address;
    // A local registry with an image whose Env the job's script reads.
    registry = await startRegistry();
    const built = await busyboxImage(stack.workDir, 'v1', { env: ['PATH=/bin', 'GREETING=hello from the image'] });
    image = await pushImage(registry, built, 'loom/ui-test');
    // Two workers with different prices in tUSDC, so an auction gets two different bids; only A
    // takes images from the test registry (a loopback one needs private inputs allowed).
    await stack.startWorker(WORKER_A, {
      LOOM_MIN_PRICE_PER_GPU_HOUR: `${usdc}=3600000`,
      LOOM_BID_MARKUP_BPS: '1000',
      LOOM_ALLOWED_REGISTRIES: registry.host,
      LOOM_ALLOW_PRIVATE_INPUTS: 'true',
    });
    await stack.startWorker(WORKER_B, { LOOM_MIN_PRICE_PER_GPU_HOUR: `${usdc}=7200000`, LOOM_BID_MARKUP_BPS: '2000' });
    ctx = await launch();
  }, 300_000);

  afterAll(async () => {
    await ctx?.close();
    await stack?.stop();
  }, 60_000);

  test('default: a posted job appears live, a worker runs it, the client releases it and the timeline completes', async () => {
    // The marketplace, open before the job exists, showing every status.
    const market = await walletPage(CLIENT, '/?status=OPEN,ASSIGNED,SUBMITTED,DISPUTED,CLOSED');
    await market.getByRole('heading', { name: 'Marketplace' }).waitFor();
    await screenshot(market, '01-marketplace-empty');

    const poster = await walletPage(CLIENT, '/jobs/new');
    const id = await postJobViaForm(poster, stack.uiUrl, {
      script: 'echo "hello from the browser test" > /out/hello.txt',
      budget: '0.02',
      executionMinutes: 5,
    });
    await screenshot(poster, '02-job-posted');

    // It shows up in the marketplace without a reload.
    const row = market.locator(`[data-job-id="${id}"]`).first();
    await row.waitFor({ timeout: 20_000 });
    await screenshot(market, '03-marketplace-live');

    // A worker daemon claims it, runs it in its sandbox and posts the result.
    await waitForEvent(poster, 'ResultSubmitted');
    await screenshot(poster, '04-result-submitted');
    await runAction(poster, 'release');
    await waitForEvent(poster, 'JobClosed');
    await poster.keyboard.press('Escape');
    expect(await names(poster)).toEqual(['JobPosted', 'JobAssigned', 'ResultSubmitted', 'JobClosed']);
    await expect.poll(() => poster.locator('[data-testid="timeline"] [data-event="JobClosed"]').textContent()).toContain('Completed');

    // The result downloads from the artifact store and hashes, in the browser, to the on-chain hash.
    await poster.getByTestId('verify-result').click();
    await poster.getByTestId('verify-ok').waitFor({ timeout: 20_000 });
    await screenshot(poster, '05-job-completed');
    expect(await jobOf(id)).toMatchObject({ status: 'CLOSED', closeReason: 'COMPLETED' });

    // The marketplace row followed along.
    await expect.poll(() => row.locator('[data-status]').getAttribute('data-status'), { timeout: 20_000 }).toBe('CLOSED');

    // The price range is the API's filter: this 0.02 ETH job is within 0.01 to 0.03, not above 0.03.
    const eth = '0x0000000000000000000000000000000000000000';
    const within = await walletPage(CLIENT, `/?status=CLOSED&token=${eth}&min=0.01&max=0.03`);
    await within.locator(`[data-job-id="${id}"]`).first().waitFor({ timeout: 20_000 });
    const above = await walletPage(CLIENT, `/?status=CLOSED&token=${eth}&min=0.03`);
    await above.getByText('No jobs match these filters').waitFor({ timeout: 20_000 });
    await within.close();
    await above.close();

    // The same pages on a phone.
    for (const p of [poster, market]) await p.setViewportSize({ width: 390, height: 844 });
    await screenshot(poster, '05-job-completed-phone');
    await screenshot(market, '03-marketplace-phone');
    await market.close();
    await poster.close();
  });

  test('behavior: an image job from the form is pulled from the local registry and run; the saved result matches the on-chain hash', async () => {
    const page = await walletPage(CLIENT, '/jobs/new');
    const id = await postJobViaForm(page, stack.uiUrl, {
      image: image.text,
      script: 'echo "$GREETING" > /out/hello.txt',
      budget: '0.02',
      executionMinutes: 5,
    });
    // The spec's "Runs in" names the image, its digest shortened with the whole in the title.
    const place = page.getByTestId('job-image');
    await place.waitFor();
    expect(await place.getAttribute('data-mode')).toBe('image');
    expect(await place.textContent()).toContain(`${registry.host}/loom/ui-test:v1`);
    expect(await page.getByTestId('image-digest').getAttribute('title')).toBe(image.digest);

    await waitForEvent(page, 'ResultSubmitted');
    await screenshot(page, '05b-image-job-submitted');
    const job = await stack.job(id as Hex);
    // Worker A, the one with the registry on its allow-list, pulled the image by digest and ran it.
    expect(job.worker).toBe(stack.workers[0]!.address);
    expect(registry.logs()).toContain(`"GET /v2/loom/ui-test/manifests/${image.digest} `);
    for (const layer of layerDigests(image)) expect(registry.blobGets(layer)).toBe(1);

    // Downloaded and hashed in the browser, then saved through the page's link: the same bytes.
    expect(await page.getByTestId('result-hash').textContent()).toBe(job.resultHash);
    await page.getByTestId('verify-result').click();
    await page.getByTestId('verify-ok').waitFor({ timeout: 20_000 });
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Save result (.tar)' }).click()]);
    const saved = await download.path();
    const bytes = readFileSync(saved);
    expect(`0x${createHash('sha256').update(bytes).digest('hex')}`).toBe(job.resultHash);
    expect(execFileSync('tar', ['-tf', saved], { encoding: 'utf8' }).trim().split('\n')).toEqual(['.loom/', '.loom/run.json', 'hello.txt']);
    expect(execFileSync('tar', ['-xOf', saved, 'hello.txt'], { encoding: 'utf8' })).toBe('hello from the image\n');
    expect(JSON.parse(execFileSync('tar', ['-xOf', saved, '.loom/run.json'], { encoding: 'utf8' }))).toEqual({
      loom: 'job-run',
      version: 1,
      image: { reference: image.text, manifestDigest: image.digest },
      gpus: [],
    });

    await runAction(page, 'release');
    await waitForEvent(page, 'JobClosed');
    await page.close();
  });

  test('behavior: a local file uploaded from the form, signed by the wallet, is the input the worker runs on', async () => {
    const page = await walletPage(CLIENT, '/jobs/new');
    const content = `input bytes from the browser ${Date.now()}\n`;
    const sha = createHash('sha256').update(content).digest('hex');
    await page.getByRole('button', { name: '+ Add input' }).click();
    await page.getByTestId('input-file-0').setInputFiles({ name: 'data.txt', mimeType: 'text/plain', buffer: Buffer.from(content) });
    // Hashed in the browser, then uploaded with one typed-data signature from the wallet.
    await page.getByTestId('upload-input-0').click();
    await page.getByTestId('uploaded-input-0').waitFor({ timeout: 20_000 });
    expect(await page.getByPlaceholder('https://example.org/data.bin or artifact://<sha256>').inputValue()).toBe(`artifact://${sha}`);
    const stored = await fetch(`${stack.artifactUrl}/artifacts/0x${sha}`);
    expect(await stored.text()).toBe(content);

    const id = await postJobViaForm(page, stack.uiUrl, { script: 'cp /in/data.txt /out/copy.txt', budget: '0.02', executionMinutes: 5 });
    await waitForEvent(page, 'ResultSubmitted');
    const job = await stack.job(id as Hex);
    const result = Buffer.from(await (await fetch(`${stack.artifactUrl}/artifacts/${job.resultHash}`)).arrayBuffer());
    expect(result.includes(Buffer.from(content))).toBe(true);
    await runAction(page, 'release');
    await waitForEvent(page, 'JobClosed');
    await page.close();
  });

  test('behavior: an auction in tUSDC gets two bids and the client accepts one', async () => {
    const page = await walletPage(CLIENT, '/jobs/new');
    const id = await postJobViaForm(page, stack.uiUrl, {
      script: 'echo auction > /out/a.txt',
      budget: '1',
      token: 'tUSDC',
      mode: 'AUCTION',
      executionMinutes: 5,
    });
    // Both daemons bid, live; the cheapest comes first.
    await waitFor('two bids', async () => (await page.locator('[data-bidder]').count()) === 2, 60_000);
    const bidders = await page.locator('[data-bidder]').evaluateAll((els) => els.map((e) => e.getAttribute('data-bidder')));
    expect(new Set(bidders)).toEqual(new Set([stack.workers[0]!.address, stack.workers[1]!.address]));
    await screenshot(page, '06-auction-bids');
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, '06-auction-bids-phone');
    await page.setViewportSize({ width: 1360, height: 900 });

    const chosen = bidders[1]!; // the dearer one: the client picks, not the price
    await page.locator(`[data-bidder="${chosen}"] [data-testid="accept-bid"]`).click();
    await waitForEvent(page, 'JobAssigned');
    const job = await jobOf(id);
    expect(job.worker).toBe(chosen);
    await waitForEvent(page, 'ResultSubmitted');
    await runAction(page, 'release');
    await waitForEvent(page, 'JobClosed');
    await page.keyboard.press('Escape');
    expect(await names(page)).toEqual(['JobPosted', 'BidPlaced', 'BidPlaced', 'JobAssigned', 'ResultSubmitted', 'JobClosed']);
    await screenshot(page, '07-auction-completed');
    await page.close();
  });

  test('behavior: a disputed result is settled by the arbiter', async () => {
    const page = await walletPage(CLIENT, '/jobs/new');
    const id = await postJobViaForm(page, stack.uiUrl, {
      script: 'echo "not what I asked for" > /out/out.txt',
      budget: '0.05',
      collateral: '0.1',
      executionMinutes: 5,
    });
    await waitForEvent(page, 'ResultSubmitted');
    await runAction(page, 'dispute', (p) => p.locator('dialog textarea').fill('The output is not the model I asked for.'));
    await waitForEvent(page, 'JobDisputed');
    await page.keyboard.press('Escape');
    await runAction(page, 'evidence', (p) => p.locator('dialog textarea').fill('https://evidence.example/expected-output.txt'));
    await waitForEvent(page, 'EvidenceSubmitted');
    await page.keyboard.press('Escape');

    // The arbiter finds it among the open disputes, with both statements.
    const judge = await walletPage(ARBITER, '/disputes');
    const card = judge.locator(`article[data-job-id="${id}"]`);
    await card.waitFor({ timeout: 20_000 });
    await expect.poll(() => card.textContent()).toContain('The output is not the model I asked for.');
    await expect.poll(() => card.textContent()).toContain('https://evidence.example/expected-output.txt');
    await screenshot(judge, '08-disputes-for-arbiter');
    await card.getByRole('link', { name: 'Rule on it' }).click();
    await judge.waitForURL(`**/jobs/${id}`);
    await runAction(judge, 'resolve', async (p) => {
      await p.getByRole('button', { name: 'Half' }).click();
      await p.locator('#slash').fill('0.05');
    });
    await waitForEvent(judge, 'JobClosed');
    await judge.keyboard.press('Escape');
    await screenshot(judge, '09-dispute-resolved');
    const job = await jobOf(id);
    expect(job).toMatchObject({ status: 'CLOSED', closeReason: 'DISPUTE_RESOLVED', slashed: parseEther('0.05').toString() });
    // The client's page followed live.
    await waitForEvent(page, 'JobClosed');
    expect(await names(page)).toEqual(['JobPosted', 'JobAssigned', 'ResultSubmitted', 'JobDisputed', 'EvidenceSubmitted', 'JobClosed']);
    await judge.close();
    await page.close();
  });

  test('error: a wrong network, a declined signature and a revert are explained in words', async () => {
    // Wrong network: a banner, and switching fixes it.
    const wrong = await walletPage(CLIENT, '/', { chainId: '0x1' });
    await wrong.getByTestId('wrong-network').waitFor();
    await screenshot(wrong, '10-wrong-network', false);
    await wrong.getByRole('button', { name: /Switch to/ }).click();
    await wrong.getByTestId('wrong-network').waitFor({ state: 'detached' });
    await wrong.close();

    // A declined signature: nothing is sent, and the form says so.
    const declined = await walletPage(CLIENT, '/jobs/new', { rejectTransactions: true });
    await declined.getByRole('radio', { name: 'Script' }).check();
    await declined.locator('textarea[name="script"]').fill('true');
    await declined.locator('input[name="budget"]').fill('0.01');
    await declined.getByTestId('post-job').click();
    const note = declined.locator('[data-error-name="rejected"]');
    await note.waitFor({ timeout: 20_000 });
    expect(await note.textContent()).toContain('You declined the request in your wallet');
    await screenshot(declined, '11-signature-declined', false);
    await declined.close();

    // A revert, decoded by name: the job is released elsewhere while the release dialog is open.
    const rpc = http(stack.anvil.rpcUrl);
    const pub = createPublicClient({ chain: foundry, transport: rpc });
    const wallet = createWalletClient({ account: accountOf(CLIENT), chain: foundry, transport: rpc });
    const now = Number((await pub.getBlock()).timestamp);
    const params = {
      token: zeroAddress,
      arbiter: zeroAddress,
      budget: parseEther('0.01'),
      collateral: 0n,
      mode: 0,
      offeredTo: zeroAddress,
      openUntil: now + 3600,
      executionTimeout: 600,
      challengeWindow: 3600,
      minGpuCount: 0,
      minVramMiB: 0,
      gpuModel: zeroHash,
      salt: BigInt(Date.now()),
    } as const;
    const spec = toHex(JSON.stringify({ version: 1, script: 'echo race > /out/r.txt', resources: { memoryMiB: 256, timeoutSeconds: 60 } }));
    const hash = await wallet.writeContract({ address: stack.deployment.LoomMarket.address, abi: loomMarketAbi, functionName: 'postJob', args: [params, spec], value: params.budget });
    const receipt = await pub.waitForTransactionReceipt({ hash });
    const [posted] = parseEventLogs({ abi: loomMarketAbi, logs: receipt.logs, eventName: 'JobPosted' });
    const id = posted!.args.jobId as Hex;
    const page = await walletPage(CLIENT, `/jobs/${id}`);
    await waitForEvent(page, 'ResultSubmitted');
    await page.locator('[data-action="release"]').click();
    const released = await wallet.writeContract({ address: stack.deployment.LoomMarket.address, abi: loomMarketAbi, functionName: 'release', args: [posted!.args.terms] });
    await pub.waitForTransactionReceipt({ hash: released });
    await waitForEvent(page, 'JobClosed');
    await page.getByTestId('confirm-action').click();
    const revert = page.locator('dialog [data-error-name="UnexpectedStatus"]');
    await revert.waitFor({ timeout: 20_000 });
    expect(await revert.textContent()).toContain('The job is closed; this needs it to be waiting for release.');
    await screenshot(page, '12-revert-explained', false);
    await page.close();
  });

  test('behavior: on the local chain, a burner wallet is made, funded on anvil, and signs', async () => {
    // No injected wallet: the burner is the only way to connect, so it connects at once.
    const page = await ctx.newPage();
    await page.goto(stack.uiUrl);
    await page.getByTestId('connect-wallet').click();
    await page.getByTestId('wallet-account').waitFor();
    const key = (await page.evaluate(() => localStorage.getItem('loom.burner.key'))) as Hex;
    const burner = privateKeyToAccount(key).address;
    const pub = createPublicClient({ chain: foundry, transport: http(stack.anvil.rpcUrl) });
    await waitFor('the burner to be funded with ETH and tUSDC', async () => {
      const eth = await pub.getBalance({ address: burner });
      const usdc = await pub.readContract({ address: stack.deployment.TestUSDC.address, abi: testUsdcAbi, functionName: 'balanceOf', args: [burner] });
      return eth >= parseEther('99') && usdc === 10_000_000_000n;
    });
    const id = await postJobViaForm(page, stack.uiUrl, { script: 'echo burner > /out/b.txt', budget: '0.01' });
    await waitForEvent(page, 'JobPosted');
    expect((await gql<{ job: { terms: { client: string } } }>(`query($id: ID!) { job(id: $id) { terms { client } } }`, { id })).job.terms.client).toBe(burner.toLowerCase());
    await page.close();
  });
});
