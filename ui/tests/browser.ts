/**
 * Chromium for the browser tests through playwright-core, on the system's /usr/bin/chromium (no
 * browser downloads). CI installs chromium with apt; there, a missing browser fails the run.
 */
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { root } from '../../testkit/root';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const chromiumAvailable = existsSync(CHROMIUM);
export const screenshotDir = join(root, 'ui', 'test-results', 'screenshots');

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function launch(viewport = { width: 1360, height: 900 }): Promise<BrowserContext> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'loom-ui-chromium-'));
  return chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM, args: ARGS, headless: true, viewport });
}

export async function screenshot(page: Page, name: string, fullPage = true): Promise<string> {
  mkdirSync(screenshotDir, { recursive: true });
  const path = join(screenshotDir, `${name}.png`);
  await page.screenshot({ path, fullPage });
  return path;
}

export type TestWallet = { account: string; rpcUrl: string; chainId?: string; rejectTransactions?: boolean; name?: string };

/**
 * An EIP-1193 wallet injected before the page loads and announced through EIP-6963. It forwards
 * requests to anvil, whose test accounts are unlocked, so `eth_sendTransaction` is signed by the node.
 */
export async function injectWallet(page: Page, wallet: TestWallet): Promise<void> {
  // A string, not a function: tsx's helpers (__name) do not exist in the page.
  await page.addInitScript(`(${WALLET_SCRIPT})(${JSON.stringify(wallet)})`);
}

const WALLET_SCRIPT = `function (w) {
  let id = 0;
  const listeners = {};
  let chainId = w.chainId;
  const rpc = async (method, params) => {
    const res = await fetch(w.rpcUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: ++id, method, params: params ?? [] }),
    });
    const body = await res.json();
    if (body.error) throw Object.assign(new Error(body.error.message), { code: body.error.code, data: body.error.data });
    return body.result;
  };
  const provider = {
    async request({ method, params }) {
      if (method === 'eth_requestAccounts' || method === 'eth_accounts') return [w.account];
      if (method === 'eth_chainId' && chainId) return chainId;
      if (method === 'wallet_switchEthereumChain') {
        chainId = undefined;
        const id = await rpc('eth_chainId', []);
        for (const f of listeners.chainChanged ?? []) f(id);
        return null;
      }
      if (method === 'eth_sendTransaction' && w.rejectTransactions) {
        throw Object.assign(new Error('User rejected the request.'), { code: 4001 });
      }
      return rpc(method, params);
    },
    on(event, f) { (listeners[event] ??= []).push(f); },
    removeListener(event, f) { listeners[event] = (listeners[event] ?? []).filter((g) => g !== f); },
  };
  const info = {
    uuid: 'test-wallet-' + w.account,
    name: w.name ?? 'Test Wallet',
    icon: "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 10 10'%3E%3Crect width='10' height='10' rx='2' fill='%23f6c15b'/%3E%3C/svg%3E",
    rdns: 'dev.loom.testwallet',
  };
  const announce = () => window.dispatchEvent(new CustomEvent('eip6963:announceProvider', { detail: Object.freeze({ info, provider }) }));
  window.addEventListener('eip6963:requestProvider', announce);
  announce();
  // Reconnect to this wallet, whatever another page of the same browser used last.
  localStorage.setItem('loom.wallet.last', info.rdns);
}`;

/** Connects the injected test wallet through the UI's chooser. */
export async function connectWallet(page: Page): Promise<void> {
  const connect = page.getByTestId('connect-wallet');
  await connect.waitFor();
  // The wallet may reconnect by itself (the last one used is remembered).
  await page.waitForTimeout(400);
  if (await page.getByTestId('wallet-account').isVisible()) return;
  await connect.click();
  await page.locator('[data-wallet="dev.loom.testwallet"]').click();
  await page.getByTestId('wallet-account').waitFor();
}

/**
 * A new page of `ctx` with the test wallet of `account` injected, opened at `url` and connected: what a
 * person with that wallet sees.
 */
export async function walletPage(ctx: BrowserContext, o: { account: string; rpcUrl: string; url: string; label?: string }): Promise<Page> {
  const page = await ctx.newPage();
  page.on('pageerror', (e) => console.error(`[page ${o.label ?? o.account}] ${e.message}`));
  await injectWallet(page, { account: o.account, rpcUrl: o.rpcUrl });
  await page.goto(o.url);
  await connectWallet(page);
  return page;
}
