/**
 * A replicated job in Chromium against the real stack (anvil with the contracts, Ponder serving the
 * API, the built UI): posted in the form, which shows the escrow as n × the price of one replica
 * before anything is signed; its page then follows the slots live as three workers take them, commit
 * and reveal (two agreeing results, one dissenting), offers Finalize once every slot revealed, and
 * shows the outcome with each slot's verdict and amounts. The client's account page then withdraws
 * from both markets, each of which keeps its own credits.
 *
 * The workers here act through the SDK's writer, as a worker daemon would, so the test decides what
 * each reveals. Screenshots land in ui/test-results/screenshots. In CI (CI=true) a missing Chromium
 * fails the run.
 */
import { keccak256, parseEther, stringToHex, toHex, zeroAddress, type Hex } from 'viem';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { resultCommitment } from '../../sdk/replication';
import { toReplicatedTerms, type ApiReplicatedTerms } from '../../sdk/replicatedTerms';
import type { MarketWriter } from '../../sdk/writes';
import { chromiumAvailable, connectWallet, injectWallet, launch, screenshot, CHROMIUM } from './browser';
import { postJobViaForm, runAction, waitForEvent } from './flows';
import { accountOf } from '../../testkit/accounts';
import { type Stack, startStack } from '../../testkit/stack';

const CLIENT = 1;
const WORKERS = [4, 5, 6];
const inCI = !!process.env.CI && process.env.CI !== 'false' && process.env.CI !== '0';

if (!chromiumAvailable) {
  if (inCI) throw new Error(`Chromium is required in CI and was not found at ${CHROMIUM} (apt-get install -y chromium)`);
  console.warn(`SKIPPING the browser tests: no Chromium at ${CHROMIUM}. Install it (apt-get install -y chromium) or set CHROMIUM_PATH.`);
}

let stack: Stack;
let ctx: BrowserContext;
let workers: MarketWriter[];

/** A page with the wallet of mnemonic account `index`, connected. */
async function walletPage(index: number, path: string): Promise<Page> {
  const page = await ctx.newPage();
  page.on('pageerror', (e) => console.error(`[page ${index}] ${e.message}`));
  await injectWallet(page, { account: accountOf(index).address, rpcUrl: stack.anvil.rpcUrl });
  await page.goto(`${stack.uiUrl}${path}`);
  await connectWallet(page);
  return page;
}

const slotStates = (page: Page) => page.locator('[data-testid="replica-slots"] tr[data-state]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-state')));
const phase = (page: Page) => page.getByTestId('replicas-phase').textContent();

describe.skipIf(!chromiumAvailable)('web UI: a replicated job', () => {
  beforeAll(async () => {
    stack = await startStack({ name: 'ui-replicated-e2e', indexer: true, ui: true });
    workers = WORKERS.map((i) => stack.writer(i));
    for (const w of workers) await w.register(stack.claim(), parseEther('1'));
    ctx = await launch();
  }, 300_000);

  afterAll(async () => {
    await ctx?.close();
    await stack?.stop();
  }, 60_000);

  test('default: posted from the form at n × price, its slots followed live, finalized with a quorum; the client withdraws from both markets', async () => {
    const page = await walletPage(CLIENT, '/jobs/new');
    const id = (await postJobViaForm(page, stack.uiUrl, {
      script: 'echo "same answer" > /out/answer.txt',
      budget: '0.01',
      collateral: '0.05',
      replication: { replicas: 3, quorum: 2, commitMinutes: 10, revealMinutes: 10 },
      beforeSubmit: async (form) => {
        // What leaves the wallet, before anything is signed: one replica's price, three times.
        expect(await form.getByTestId('escrow-breakdown').textContent()).toBe('3 × 0.01 ETH = 0.03 ETH, quorum 2');
        expect(await form.getByTestId('total-cost').textContent()).toBe('0.03 ETH');
        await screenshot(form, 'r01-replicated-form');
      },
    })) as Hex;

    // Three free slots, and the client may still cancel.
    await expect.poll(() => slotStates(page), { timeout: 20_000 }).toEqual(['EMPTY', 'EMPTY', 'EMPTY']);
    expect(await phase(page)).toBe('Taking slots: 0 of 3');
    expect(await page.getByTestId('escrow').textContent()).toBe('3 × 0.01 ETH = 0.03 ETH');
    await page.locator('[data-action="cancel"]').waitFor();
    await screenshot(page, 'r02-replicated-open');

    // The workers take the slots: each appears without a reload, and cancelling is no longer offered.
    const { job } = await stack.gql(`query($id: ID!) { job(id: $id) { replicatedTerms { ${TERMS} } } }`, { id });
    const terms = toReplicatedTerms(job.replicatedTerms as ApiReplicatedTerms);
    await workers[0]!.takeSlot(terms);
    await expect.poll(() => slotStates(page), { timeout: 20_000 }).toEqual(['TAKEN', 'EMPTY', 'EMPTY']);
    expect(await page.locator('[data-action="cancel"]').count()).toBe(0);
    await workers[1]!.takeSlot(terms);
    await workers[2]!.takeSlot(terms);
    await expect.poll(() => phase(page), { timeout: 20_000 }).toBe('Committing: 0 of 3');
    expect(await page.locator('[data-testid="replica-slots"] tr[data-slot="1"]').textContent()).toContain('Running');

    // Sealed commits (two agree, one does not), then reveals: the reveal phase opens once all committed.
    const answers = [keccak256(stringToHex('same answer')), keccak256(stringToHex('same answer')), keccak256(stringToHex('another answer'))];
    const salt = (i: number) => keccak256(toHex(`salt-${i}`));
    for (const [i, w] of workers.entries()) await w.commitResult(terms, i, resultCommitment(id, w.address, answers[i]!, salt(i)));
    await expect.poll(() => phase(page), { timeout: 20_000 }).toBe('Revealing: 0 of 3');
    await expect.poll(() => slotStates(page), { timeout: 20_000 }).toEqual(['COMMITTED', 'COMMITTED', 'COMMITTED']);
    await screenshot(page, 'r03-replicated-committed');
    for (const [i, w] of workers.entries()) await w.revealResult(terms, i, answers[i]!, salt(i), `artifact://${answers[i]!.slice(2)}`);
    await expect.poll(() => slotStates(page), { timeout: 20_000 }).toEqual(['REVEALED', 'REVEALED', 'REVEALED']);
    expect(await phase(page)).toBe('Ready to finalize: every slot revealed');

    // Anyone may settle it now; the client does, from the page.
    await runAction(page, 'finalize');
    await waitForEvent(page, 'ReplicatedJobClosed');
    await page.keyboard.press('Escape');
    await expect.poll(() => phase(page), { timeout: 20_000 }).toBe('Quorum reached');
    const settled = (await page.getByTestId('slot-settled').allTextContents()).map((t) => t.replace(/\s+/g, ' ').trim());
    // The fee is the deployment's; the dissenter's 0.05 ETH is half shared by the two who agreed.
    expect(settled[0]).toMatch(/^Agreed · [\d.]+ ETH · \+0\.0125 ETH$/);
    expect(settled[2]).toBe('Disagreed: slashed · −0.05 ETH');
    expect(await page.getByTestId('replicas-outcome').textContent()).toContain('0.0125 ETH to each agreeing worker, 0.025 ETH to the client');
    await screenshot(page, 'r04-replicated-finalized');

    // A single-worker job cancelled: a credit in the other market. The account page withdraws both.
    const single = await stack.writer(CLIENT).postJob({
      terms: { token: zeroAddress, arbiter: zeroAddress, budget: parseEther('0.02'), collateral: 0n, mode: 0, offeredTo: zeroAddress, openUntil: (await stack.now()) + 600, executionTimeout: 600, challengeWindow: 600, minGpuCount: 0, minVramMiB: 0, gpuModel: toHex(0, { size: 32 }), salt: 1n },
      spec: { version: 1, script: 'true' },
    });
    await stack.writer(CLIENT).cancelJob(single.terms);
    const account = await walletPage(CLIENT, '/account');
    const credit = (market: string) => account.locator(`[data-credit="${market}"]`);
    await credit('market').waitFor({ timeout: 20_000 });
    await credit('replicated').waitFor({ timeout: 20_000 });
    expect(await credit('market').textContent()).toContain('0.02 ETH');
    expect(await credit('replicated').textContent()).toContain('0.025 ETH');
    await screenshot(account, 'r05-account-two-markets');
    for (const market of ['replicated', 'market']) {
      await credit(market).getByRole('button', { name: 'Withdraw' }).click();
      await credit(market).waitFor({ state: 'detached', timeout: 30_000 });
    }
    await account.getByText('Nothing to withdraw.').waitFor({ timeout: 20_000 });
    const { credits } = await stack.gql(`query($a: Address!) { credits(account: $a) { market amount } }`, { a: accountOf(CLIENT).address });
    expect((credits as { amount: string }[]).map((c) => c.amount)).toEqual(['0', '0']);
  });
});

const TERMS = 'client token price collateral feeBps replicas quorum openUntil commitWindow revealWindow minGpuCount minVramMiB gpuModel specHash salt';
