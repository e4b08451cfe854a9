/**
 * The job page's live log in Chromium against the real stack: anvil, Ponder serving the API, the
 * built UI and a real worker daemon. A job that prints over time is followed live by the page's
 * Log pane (its first lines show while the job still runs), the pane shows the rest and the end of
 * the run, and a reload once the run is over shows what the API still holds.
 */
import { parseEther } from 'viem';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { chromiumAvailable, launch, screenshot } from './browser';
import { scriptSpec } from '../../testkit/jobs';
import { type Stack, startStack } from '../../testkit/stack';
import { waitFor } from '../../testkit/waitFor';

let stack: Stack;
let ctx: BrowserContext;

describe.skipIf(!chromiumAvailable)('live log pane', () => {
  beforeAll(async () => {
    stack = await startStack({ name: 'ui-live-log', indexer: true, artifacts: { cors: true }, ui: true, workers: 1 });
    ctx = await launch();
  }, 300_000);

  afterAll(async () => {
    await ctx?.close();
    await stack?.stop();
  }, 60_000);

  test('default: a job that prints over time is followed live on its page, to the end of its run', async () => {
    const script = 'for i in 1 2 3; do echo "line $i"; sleep 0.2; done; sleep 20; for i in 4 5 6; do echo "line $i"; done; echo "a warning" >&2; echo ok > /out/ok.txt';
    const job = await stack.post({ client: 1, spec: scriptSpec(script, { resources: { memoryMiB: 256, timeoutSeconds: 90, outputMiB: 16 } }), budget: parseEther('0.01') });
    await stack.jobIn(job.id, 'ASSIGNED');
    const page = await ctx.newPage();
    page.on('pageerror', (e) => console.error(`[page] ${e.message}`));
    await page.goto(`${stack.uiUrl}/jobs/${job.id}`);
    const pane = page.getByTestId('live-log');

    // Live: the first lines, while the job still runs (it sleeps 20 s before line 4).
    await pane.waitFor({ timeout: 60_000 });
    await expect.poll(() => pane.textContent(), { timeout: 60_000 }).toContain('line 3');
    expect(await pane.textContent()).not.toContain('line 4');
    expect((await stack.job(job.id)).status).toBe('ASSIGNED');
    expect(await page.getByTestId('live-log-state').textContent()).toContain('Following live');
    await screenshot(page, 'live-log-01-running');

    // Then the rest, and the end of the run.
    await expect.poll(() => pane.textContent(), { timeout: 60_000 }).toContain('a warning');
    expect(await pane.textContent()).toBe('line 1\nline 2\nline 3\nline 4\nline 5\nline 6\na warning\n');
    expect(await pane.locator('.stderr').textContent()).toBe('a warning\n');
    await expect.poll(() => page.getByTestId('live-log-state').textContent(), { timeout: 30_000 }).toContain('Run ended');
    await screenshot(page, 'live-log-02-ended');

    // Once the result is in: a fresh page reads what the API still holds.
    await stack.jobIn(job.id, 'SUBMITTED', 120_000);
    await page.reload();
    await waitFor('the log after the run', async () => (await page.getByTestId('live-log').textContent().catch(() => ''))?.includes('line 6'), 30_000);
  });
});
