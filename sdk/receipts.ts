/**
 * What a transaction to the contract set did, from its receipt: the set's events decoded and typed
 * from the ABIs (logs of other contracts, a token's Transfer for one, are skipped). Every client that sends
 * a transaction reads its outcome here rather than decoding logs itself.
 *
 * @example
 * const [closed] = receiptEvents(receipt, 'JobClosed');
 * closed?.args.workerPayout; // bigint
 */
import { parseEventLogs, type Hex, type Log } from 'viem';
import { loomAbi } from './contracts';
import type { MarketEventArgs, MarketEventName } from './events';

/** The receipt's `eventName` events, in log order, with their arguments typed. */
export function receiptEvents<N extends MarketEventName>(receipt: { logs: readonly Log[] }, eventName: N): { eventName: N; args: MarketEventArgs<N>; log: Log }[] {
  return parseEventLogs({ abi: loomAbi, logs: receipt.logs as Log[], eventName }).map((l) => ({
    eventName,
    args: l.args as MarketEventArgs<N>,
    log: l as Log,
  }));
}

/** The id of the job a postJob receipt posted; undefined when it posted none. */
export function postedJobId(receipt: { logs: readonly Log[] }): Hex | undefined {
  return receiptEvents(receipt, 'JobPosted')[0]?.args.jobId;
}
