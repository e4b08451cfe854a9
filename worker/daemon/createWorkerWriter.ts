/**
 * The daemon's only way to change anything: the SDK's market writer (sdk/writes.ts) signing with the
 * worker's key. Every transaction is simulated first, so one the contract would refuse is never sent
 * (a TxError with the revert by name, and no nonce used); sends are serialized so nonces never race.
 * Here it is wired to the worker's metrics. The key stays inside the viem account: nothing here logs
 * the account object.
 */
import type { Account, Chain, PublicClient, WalletClient } from 'viem';
import type { LoomContracts } from '../../sdk/contracts';
import { createMarketWriter, type MarketWriter } from '../../sdk/writes';
import type { WorkerMetrics } from './metrics';

export { TxError, type MarketWriter, type Sent } from '../../sdk/writes';

export function createWorkerWriter(o: {
  publicClient: PublicClient;
  walletClient: WalletClient;
  account: Account;
  chain: Chain;
  contracts: LoomContracts;
  metrics?: WorkerMetrics;
  /** Receipt wait limit (default 120 s). */
  receiptTimeoutMs?: number;
}): MarketWriter {
  return createMarketWriter({
    publicClient: o.publicClient,
    walletClient: o.walletClient,
    account: o.account,
    chain: o.chain,
    contracts: o.contracts,
    receiptTimeoutMs: o.receiptTimeoutMs ?? 120_000,
    // The daemon waits on its own claims and results: poll faster than the public client's 250 ms.
    pollingIntervalMs: 100,
    onOutcome: ({ functionName, outcome, revert }) => {
      if (outcome === 'refused') o.metrics?.txRefused.inc({ function: functionName, error: revert?.name ?? 'error' });
      else o.metrics?.transactions.inc({ function: functionName, outcome });
    },
  });
}
