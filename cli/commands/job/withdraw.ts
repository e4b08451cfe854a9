/**
 * `loom job withdraw [--to 0x…] [--json]`: the client's refunds are credited, not sent (a cancelled,
 * expired or reclaimed job, the unused budget of an accepted bid, a dispute's share): this pulls
 * every credited balance, one `withdraw(token, to)` per token. Workers use `loom worker withdraw`.
 */
import { type Address, getAddress, isAddress } from 'viem';
import { BalancesQuery } from '../../../sdk/documents';
import { CliError } from '../../cliError';
import { connectionOptions, resolveClientConfig } from '../../config';
import { formatAmount } from '../../../sdk/format/amounts';
import { TABLE_AMOUNTS, toJson } from '../../output/format';
import { createProgress } from '../../output/progress';
import { type OptionTable, optionsHelp, parseCommandLine, showHelp } from '../../../sdk/node/options';
import { openReader, openWriter } from '../../session';
import { createTokenBook } from '../../../sdk/format/tokens';

const options: OptionTable = {
  to: { type: 'string', value: '<0x…>', help: "Where the funds go (default: the client's own address)" },
  ...connectionOptions,
};

const USAGE = `Usage: loom job withdraw [options]

Withdraws every balance the market credited to the client (refunds of cancelled, expired or
reclaimed jobs, unused auction budgets, dispute shares).

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
  const { balances } = await openReader(config).query(BalancesQuery, { account: writer.address });
  const due = balances.filter((b) => BigInt(b.amount) > 0n);
  const book = createTokenBook(config.rpcUrl, publicClient);
  await book.load(due.map((b) => b.token));
  const done: { token: string; amount: string; txHash: string }[] = [];
  for (const b of due) {
    progress.update(`withdrawing ${formatAmount(b.amount, book.get(b.token), TABLE_AMOUNTS)}`);
    const sent = await writer.withdraw(b.token as Address, to ?? writer.address);
    done.push({ token: b.token, amount: b.amount, txHash: sent.hash });
  }
  progress.clear();
  if (config.json) process.stdout.write(toJson({ account: writer.address, to: to ?? writer.address, withdrawn: done }));
  else if (done.length === 0) process.stdout.write('nothing to withdraw\n');
  else for (const d of done) process.stdout.write(`withdrew ${formatAmount(d.amount, book.get(d.token), TABLE_AMOUNTS)} (tx ${d.txHash})\n`);
  return 0;
}
