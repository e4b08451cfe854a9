/**
 * Direct offers in the web UI, against the real stack (anvil, the indexer, the built UI and a real
 * worker daemon): the client posts a job from the form as a direct offer to a registered worker that
 * runs no daemon here; the job page says whom it is offered to (a link to the worker), the worker's
 * page lists it among its open offers, and the running daemon, another worker, leaves it alone
 * (`not_offered`), so it stays open. A direct offer without a worker is refused on the form.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { parseEther } from 'viem';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { accountOf } from '../../testkit/accounts';
import { type Stack, startStack } from '../../testkit/stack';
import { waitFor } from '../../testkit/waitFor';
import { chromiumAvailable, connectWallet, injectWallet, launch, screenshot } from './browser';
import { postJobViaForm } from './flows';

const CLIENT = 1;
const RUNNING = 5;
const OFFERED = 6;

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

describe.skipIf(!chromiumAvailable)('direct offers in the web UI', () => {
  beforeAll(async () => {
    stack = await startStack({ name: 'ui-direct', indexer: true, artifacts: { cors: true }, ui: true });
    // The worker offered the job is registered but runs no daemon: the offer stays open to look at.
    await stack.writer(OFFERED).register(stack.claim(), parseEther('1'));
    await stack.startWorker(RUNNING);
    await stack.synced();
    ctx = await launch();
  }, 300_000);

  afterAll(async () => {
    await ctx?.close();
    await stack?.stop();
  }, 60_000);

  test('default: a direct offer from the form; the job page names the worker, its page lists the offer, and another worker leaves it open', async () => {
    const offered = accountOf(OFFERED).address;
    const page = await walletPage(CLIENT, '/jobs/new');
    const id = await postJobViaForm(page, stack.uiUrl, { script: 'echo offered > /out/offered.txt', budget: '0.02', mode: 'DIRECT', offerTo: offered, executionMinutes: 5 });

    const offeredTo = page.getByTestId('offered-to');
    await offeredTo.waitFor({ timeout: 20_000 });
    expect(await offeredTo.textContent()).toContain('Offered to');
    expect(await offeredTo.locator('a').getAttribute('href')).toBe(`/workers/${offered.toLowerCase()}`);
    await screenshot(page, 'direct-01-job-offered');

    await offeredTo.locator('a').click();
    await page.waitForURL(new RegExp(`/workers/${offered.toLowerCase()}$`));
    const offers = page.getByTestId('open-offers');
    await offers.locator(`a[href="/jobs/${id}"]`).waitFor({ timeout: 20_000 });
    await screenshot(page, 'direct-02-worker-offers');

    const running = stack.workers[0]!;
    await waitFor('the running worker leaving the offer alone', async () => running.lines.some((l) => l.msg === 'job refused' && l.jobId === id && l.reason === 'not_offered'), 30_000);
    expect((await stack.job(id as `0x${string}`)).status).toBe('OPEN');
    await page.close();
  });

  test('error: a direct offer without a worker is refused on the form, before anything is signed', async () => {
    const page = await walletPage(CLIENT, '/jobs/new');
    await page.getByRole('radio', { name: 'Script' }).check();
    await page.locator('textarea[name="script"]').fill('true');
    await page.locator('input[name="budget"]').fill('0.01');
    await page.getByRole('radio', { name: 'Direct offer' }).check();
    await page.getByTestId('post-job').click();
    const errors = page.getByTestId('form-errors');
    await errors.waitFor({ timeout: 10_000 });
    expect(await errors.textContent()).toContain('the worker is needed for a DIRECT job: the worker it is offered to');
    expect(page.url()).toMatch(/\/jobs\/new$/);
    await page.close();
  });
});
