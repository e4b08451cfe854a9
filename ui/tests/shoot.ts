/** Screenshots of every page at desktop and phone widths, against a running stack (testkit/stack.ts). */
import { accountOf } from '../../testkit/accounts';
import { connectWallet, injectWallet, launch, screenshot } from './browser';

const ui = process.env.UI_URL ?? 'http://127.0.0.1:5180';
const rpcUrl = process.env.RPC_URL!;
const paths = (process.env.PAGES ?? '/,/jobs/new,/workers,/dashboard,/disputes,/account').split(',');
const extra = process.argv.slice(2);

for (const [label, viewport] of [
  ['desktop', { width: 1360, height: 900 }],
  ['phone', { width: 390, height: 844 }],
] as const) {
  const ctx = await launch(viewport);
  const page = ctx.pages()[0] ?? (await ctx.newPage());
  page.on('pageerror', (e) => console.error('pageerror', e.message));
  page.on('console', (m) => m.type() === 'error' && console.error('console', m.text()));
  await injectWallet(page, { account: accountOf(1).address, rpcUrl });
  await page.goto(ui);
  await connectWallet(page);
  for (const p of [...paths, ...extra]) {
    await page.goto(`${ui}${p}`);
    await page.waitForTimeout(1500);
    const name = `${label}${p.replace(/[^a-z0-9]+/gi, '-').slice(0, 40) || '-home'}`;
    console.log(await screenshot(page, name));
  }
  await ctx.close();
}
