/**
 * `loom withdraw` (also `loom job withdraw`) `[--to 0x…] [--json]`: the client's refunds are credited,
 * not sent (a cancelled, expired or reclaimed job, the unused budget of an accepted bid, a dispute's
 * share, a replicated job's refund and its share of slashed collateral), and so are a model creator's
 * royalties and the model fees refunded to a client (LoomModels), and a pool operator's fees: this
 * pulls every credited balance from both markets and the model hub, each of which keeps its own
 * credits: one `withdraw(token, to)` per contract and token. Workers use `loom worker withdraw`.
 */
import { type Address, getAddress, isAddress } from 'viem';
import { CreditsQuery } from '../../../sdk/documents';
import { CliError } from '../../cliError';
import { connectionOptions, resolveClientConfig } from '../../config';
import { formatAmount } from '../../../sdk/format/amounts';
import { TABLE_AMOUNTS, toJson } from '../../output/format';
import { createProgress } from '../../output/progress';
import { type OptionTable, optionsHelp, parseCommandLine, showHelp } from '../../../sdk/node/options';
import { openReader, openWriter } from '../../session';
import type { CreditHolder } from '../../../sdk/writes';
import { createTokenBook } from '../../../sdk/format/tokens';

const options: OptionTable = {
  to: { type: 'string', value: '<0x…>', help: "Where the funds go (default: the client's own address)" },
  ...connectionOptions,
};

const USAGE = `Usage: loom withdraw [options]    (or loom job withdraw)

Withdraws every balance credited to the client key's account: the single-worker market's (refunds
of cancelled, expired or reclaimed jobs, unused auction budgets, dispute shares, pool fees), the
replicated market's (refunds, the price of untaken slots, shares of slashed collateral, pool fees)
and the model hub's (a creator's royalties, the model fees refunded to a client when its job paid
no worker). Each contract keeps its own credits, so each is withdrawn with its own transaction.

Options:
${optionsHelp(options)}`;

export async function runWithdraw(argv: string[]): Promise<number> {
  const { values, help } = parseCommandLine(argv, { options, usage: USAGE, positionals: [0, 0] });
  if (help) return showHelp(USAGE);
  const config = resolveClientConfig(values);
  let to: Address | undefined;
  if (typeof values.to === 'string') {
    if (!isAddress(values.to, { strict: false })) throw new CliError('BAD_INPUT', `--to: "${values.to}" is not an address`);
    to = getAddress(values.to);
  }
  const progress = createProgress();
  const { writer, publicClient } = await openWriter(config, progress);
  progress.update('reading credited balances');
  const { credits } = await openReader(config).query(CreditsQuery, { account: writer.address });
  const due = credits.filter((c) => BigInt(c.amount) > 0n);
  const book = createTokenBook(config.rpcUrl, publicClient);
  await book.load(due.map((c) => c.token));
  // Which of this session's markets holds each credit: by address, so a credit is only withdrawn
  // where it is, and one in a market this session does not know is named rather than guessed.
  const same = (a: string, b: string | undefined) => !!b && a.toLowerCase() === b.toLowerCase();
  const marketOf = (at: string): CreditHolder | undefined =>
    same(at, writer.contracts.market) ? 'market' : same(at, writer.contracts.replicated) ? 'replicated' : same(at, writer.contracts.models) ? 'models' : undefined;
  const done: { market: string; kind: CreditHolder; token: string; amount: string; txHash: string }[] = [];
  const skipped: { market: string; token: string; amount: string }[] = [];
  for (const c of due) {
    const from = marketOf(c.market);
    if (!from) {
      skipped.push({ market: c.market, token: c.token, amount: c.amount });
      continue;
    }
    progress.update(`withdrawing ${formatAmount(c.amount, book.get(c.token), TABLE_AMOUNTS)} from the ${MARKET_WORDS[from]}`);
    const sent = await writer.withdraw(c.token as Address, to ?? writer.address, from);
    done.push({ market: c.market, kind: from, token: c.token, amount: c.amount, txHash: sent.hash });
  }
  progress.clear();
  if (config.json) process.stdout.write(toJson({ account: writer.address, to: to ?? writer.address, withdrawn: done, ...(skipped.length ? { skipped } : {}) }));
  else {
    if (done.length === 0 && skipped.length === 0) process.stdout.write('nothing to withdraw\n');
    for (const d of done) process.stdout.write(`withdrew ${formatAmount(d.amount, book.get(d.token), TABLE_AMOUNTS)} from the ${MARKET_WORDS[d.kind]} (tx ${d.txHash})\n`);
  }
  for (const k of skipped) {
    process.stderr.write(`loom: ${formatAmount(k.amount, book.get(k.token), TABLE_AMOUNTS)} is credited at ${k.market}, a market this configuration does not name (--market, --replicated-market)\n`);
  }
  return 0;
}

const MARKET_WORDS: Record<CreditHolder, string> = { market: 'single-worker market', replicated: 'replicated market', models: 'model hub' };
