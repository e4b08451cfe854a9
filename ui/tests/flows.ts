/**
 * What a person does in the UI, step by step, shared by the browser tests and the screenshot script.
 */
import type { Page } from 'playwright-core';

export type PostJobOptions = {
  /** Run by /bin/sh -c; optional with an image (left empty, the image's default command runs). */
  script?: string;
  /** An image reference pinned by digest (`registry/repository:tag@sha256:…`): the job runs in it. */
  image?: string;
  budget: string;
  token?: 'ETH' | 'tUSDC';
  mode?: 'CLAIM' | 'AUCTION' | 'DIRECT';
  /** The worker a direct offer goes to (mode DIRECT), typed into the form's worker field. */
  offerTo?: string;
  timeoutMinutes?: number;
  executionMinutes?: number;
  openForMinutes?: number;
  collateral?: string;
  memoryGiB?: number;
  /** Replicate the job on several workers: `budget` is then the price of one replica. */
  replication?: { replicas: number; quorum?: number; commitMinutes?: number; revealMinutes?: number };
  /** Runs on the filled form, before it is submitted (to read the summary). */
  beforeSubmit?: (page: Page) => Promise<void>;
};

/** Fills the post form and submits it; resolves on the job's page with its id. */
export async function postJobViaForm(page: Page, baseUrl: string, o: PostJobOptions): Promise<string> {
  // A page opened on the form with a query (`/jobs/new?models=3`) keeps what the link preselected.
  if (!page.url().split('?')[0]!.endsWith('/jobs/new')) await page.goto(`${baseUrl}/jobs/new`);
  await page.getByRole('radio', { name: 'Script' }).check();
  if (o.image !== undefined) {
    await page.locator('input[name="image"]').fill(o.image);
    // The form parses it as it is typed: a reference it takes is shown back, parsed.
    await page.getByTestId('image-parsed').waitFor();
  }
  await page.locator('textarea[name="script"]').fill(o.script ?? '');
  await page.getByLabel('Memory').fill(String(o.memoryGiB ?? 0.25));
  await page.locator('input[name="timeout"]').fill(String(o.timeoutMinutes ?? 1));
  if (o.token) await page.getByRole('radio', { name: o.token, exact: true }).check();
  if (o.replication) {
    const r = o.replication;
    await page.getByLabel('Replicate on several workers').check();
    await page.locator('input[name="replicas"]').fill(String(r.replicas));
    await page.locator('input[name="quorum"]').fill(r.quorum === undefined ? '' : String(r.quorum));
    await page.locator('input[name="commitWindow"]').fill(String(r.commitMinutes ?? 10));
    await page.locator('input[name="revealWindow"]').fill(String(r.revealMinutes ?? 10));
  }
  await page.locator('input[name="budget"]').fill(o.budget);
  if (!o.replication) await page.getByRole('radio', { name: o.mode === 'AUCTION' ? 'Auction' : o.mode === 'DIRECT' ? 'Direct offer' : 'First claim' }).check();
  if (o.mode === 'DIRECT') await page.locator('input[name="offerTo"]').fill(o.offerTo ?? '');
  await page.locator('input[name="openFor"]').fill(String(o.openForMinutes ?? 30));
  if (!o.replication) await page.locator('input[name="executionTimeout"]').fill(String(o.executionMinutes ?? 5));
  await page.locator('input[name="collateral"]').fill(o.collateral ?? '0');
  await o.beforeSubmit?.(page);
  await page.getByTestId('post-job').click();
  await page.waitForURL(/\/jobs\/0x[0-9a-f]{64}$/, { timeout: 60_000 });
  return page.url().split('/').pop()!;
}

/** Waits until the timeline shows an event with this name. */
export async function waitForEvent(page: Page, name: string, timeout = 90_000): Promise<void> {
  await page.locator(`[data-testid="timeline"] [data-event="${name}"]`).first().waitFor({ timeout });
}

/** Clicks an action on the job page and confirms it in its dialog. */
export async function runAction(page: Page, action: string, fill?: (page: Page) => Promise<void>): Promise<void> {
  await page.locator(`[data-action="${action}"]`).click();
  if (fill) await fill(page);
  await page.getByTestId('confirm-action').click();
  // The dialog closes itself a moment after success: the step is checked in the DOM, shown or not.
  await page.locator('dialog [data-step-status="done"]').first().waitFor({ state: 'attached', timeout: 60_000 });
}
