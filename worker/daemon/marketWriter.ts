/**
 * The daemon's only way to change anything: transactions to LoomMarket, each simulated first.
 *
 * - A transaction the contract would refuse is never sent: the simulation's revert is decoded into
 *   its Solidity error name and thrown as TX_FAILED with `revert` set, and no nonce is used.
 * - Sends are serialized (simulate, sign, broadcast one at a time), so nonces never race; receipts
 *   are awaited concurrently.
 * - The key stays inside the viem account: nothing here logs the account object.
 */
import {
  type Account,
  type Address,
  type Chain,
  type Hash,
  type PublicClient,
  type TransactionReceipt,
  type WalletClient,
  BaseError,
} from 'viem';
import { loomMarketAbi } from '../../abis/generated';
import { WorkerError } from '../errors';
import { type DecodedRevert, decodeRevert, formatRevert } from './decodeRevert';
import type { WorkerMetrics } from './metrics';

export type MarketFunction =
  | 'register'
  | 'updateClaim'
  | 'setAvailability'
  | 'addStake'
  | 'claimJob'
  | 'placeBid'
  | 'withdrawBid'
  | 'submitResult'
  | 'release'
  | 'withdraw';

/** A transaction the contract refused (in simulation) or reverted. */
export class TxError extends WorkerError {
  constructor(
    readonly functionName: MarketFunction,
    readonly revert: DecodedRevert | undefined,
    message: string,
    options?: { cause?: unknown; mined?: boolean },
  ) {
    super('TX_FAILED', message, options);
    this.mined = options?.mined ?? false;
  }
  /** True when the transaction was mined and reverted (its nonce and gas are spent). */
  readonly mined: boolean;
}

export type Sent = { hash: Hash; receipt: TransactionReceipt };

export class MarketWriter {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly o: {
      publicClient: PublicClient;
      walletClient: WalletClient;
      account: Account;
      chain: Chain;
      market: Address;
      metrics?: WorkerMetrics;
      /** Receipt wait limit (default 120 s). */
      receiptTimeoutMs?: number;
    },
  ) {}

  get address(): Address {
    return this.o.account.address;
  }

  /**
   * Simulates `functionName(args)` as the worker, then sends it and waits for the receipt.
   * Throws TxError (with the decoded revert) when the simulation or the transaction reverts.
   */
  async send(functionName: MarketFunction, args: readonly unknown[], value?: bigint): Promise<Sent> {
    const hash = await this.serialized(async () => {
      try {
        const { request } = await this.o.publicClient.simulateContract({
          address: this.o.market,
          abi: loomMarketAbi,
          functionName,
          args,
          account: this.o.account,
          chain: this.o.chain,
          ...(value !== undefined ? { value } : {}),
        } as never);
        return await this.o.walletClient.writeContract(request as never);
      } catch (err) {
        const revert = decodeRevert(err);
        this.o.metrics?.txRefused.inc({ function: functionName, error: revert?.name ?? 'error' });
        const why = revert ? formatRevert(revert) : err instanceof BaseError ? err.shortMessage : (err as Error).message;
        throw new TxError(functionName, revert, `${functionName} refused: ${why}`, { cause: err });
      }
    });
    const receipt = await this.o.publicClient.waitForTransactionReceipt({ hash, timeout: this.o.receiptTimeoutMs ?? 120_000, pollingInterval: 100 });
    if (receipt.status !== 'success') {
      this.o.metrics?.transactions.inc({ function: functionName, outcome: 'reverted' });
      // Replay it where it failed to learn why (best effort: state may differ by then).
      let revert: DecodedRevert | undefined;
      try {
        await this.o.publicClient.simulateContract({ address: this.o.market, abi: loomMarketAbi, functionName, args, account: this.o.account, ...(value !== undefined ? { value } : {}) } as never);
      } catch (err) {
        revert = decodeRevert(err);
      }
      throw new TxError(functionName, revert, `${functionName} reverted on-chain in ${hash}${revert ? `: ${formatRevert(revert)}` : ''}`, { mined: true });
    }
    this.o.metrics?.transactions.inc({ function: functionName, outcome: 'mined' });
    return { hash, receipt };
  }

  /** Pending transactions of the worker (nonce 'pending' - nonce 'latest'). */
  async pendingCount(): Promise<number> {
    const [pending, latest] = await Promise.all([
      this.o.publicClient.getTransactionCount({ address: this.address, blockTag: 'pending' }),
      this.o.publicClient.getTransactionCount({ address: this.address, blockTag: 'latest' }),
    ]);
    return pending - latest;
  }

  private serialized<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => {});
    return run;
  }
}
