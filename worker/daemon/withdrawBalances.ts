/**
 * Withdraws every balance the market credited to the worker (`balances` from the API) to the
 * payout address, one `withdraw(token, to)` per token. A balance the API shows but the contract no
 * longer holds (the indexer has not seen an earlier withdrawal) is refused in simulation
 * (NothingToWithdraw) and skipped without a transaction.
 */
import type { Address } from 'viem';
import type { Logger } from 'pino';
import { receiptEvents } from '../../sdk/receipts';
import type { LoomApi } from './loomApi';
import { type MarketWriter, TxError } from './createWorkerWriter';

export type Withdrawal = { token: Address; amount: bigint; blockNumber: bigint };

export async function withdrawBalances(o: {
  api: LoomApi;
  writer: MarketWriter;
  to: Address;
  logger: Logger;
  /** Skip a token (e.g. its last withdrawal is not indexed yet). */
  skip?: (token: Address) => boolean;
}): Promise<Withdrawal[]> {
  const done: Withdrawal[] = [];
  for (const b of await o.api.balances(o.writer.address)) {
    if (BigInt(b.amount) <= 0n || o.skip?.(b.token)) continue;
    try {
      const { receipt } = await o.writer.withdraw(b.token, o.to);
      const [logged] = receiptEvents(receipt, 'Withdrawn');
      const amount = logged?.args.amount ?? BigInt(b.amount);
      done.push({ token: b.token, amount, blockNumber: receipt.blockNumber });
      o.logger.info({ token: b.token, amount: amount.toString(), to: o.to }, 'withdrew earnings');
    } catch (err) {
      if (err instanceof TxError && err.revert?.name === 'NothingToWithdraw') continue;
      o.logger.warn({ token: b.token, err: (err as Error).message }, 'withdrawal failed');
    }
  }
  return done;
}
