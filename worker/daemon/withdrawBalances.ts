/**
 * Withdraws everything the markets credited the worker (`credits` from the API: one per market and
 * token) to the payout address, one `withdraw(token, to)` sent to each market that holds a credit
 * (LoomMarket for single jobs, LoomReplicatedMarket for replicated ones). A credit the API shows but
 * the contract no longer holds (the indexer has not seen an earlier withdrawal) is refused in
 * simulation (NothingToWithdraw) and skipped without a transaction.
 */
import type { Address } from 'viem';
import type { Logger } from 'pino';
import { receiptEvents } from '../../sdk/receipts';
import type { LoomApi } from './loomApi';
import { type MarketWriter, TxError } from './createWorkerWriter';

/** Which market a withdrawal is sent to (the writer's names). */
export type CreditMarket = 'market' | 'replicated';

export type Withdrawal = { market: CreditMarket; token: Address; amount: bigint; blockNumber: bigint };

export async function withdrawBalances(o: {
  api: Pick<LoomApi, 'credits'>;
  writer: MarketWriter;
  to: Address;
  logger: Logger;
  /** Skip a market's token (e.g. its last withdrawal is not indexed yet). */
  skip?: (market: CreditMarket, token: Address) => boolean;
}): Promise<Withdrawal[]> {
  const done: Withdrawal[] = [];
  for (const c of await o.api.credits(o.writer.address)) {
    if (BigInt(c.amount) <= 0n) continue;
    // A market whose settings the indexer never saw has no kind: not one of this deployment's.
    if (c.kind === null) {
      o.logger.warn({ market: c.market, token: c.token }, 'a credit at a market the API does not know; not withdrawing it');
      continue;
    }
    const market: CreditMarket = c.kind === 'REPLICATED' ? 'replicated' : 'market';
    const token = c.token as Address;
    if (o.skip?.(market, token)) continue;
    try {
      const { receipt } = await o.writer.withdraw(token, o.to, market);
      const [logged] = receiptEvents(receipt, 'Withdrawn');
      const amount = logged?.args.amount ?? BigInt(c.amount);
      done.push({ market, token, amount, blockNumber: receipt.blockNumber });
      o.logger.info({ token, amount: amount.toString(), to: o.to, market: c.market }, 'withdrew earnings');
    } catch (err) {
      if (err instanceof TxError && err.revert?.name === 'NothingToWithdraw') continue;
      o.logger.warn({ token, market: c.market, err: (err as Error).message }, 'withdrawal failed');
    }
  }
  return done;
}
