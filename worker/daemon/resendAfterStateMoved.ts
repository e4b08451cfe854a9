/**
 * Sends again a transaction that was mined and reverted although its replay now goes through: the
 * state moved between its gas estimate and its block, and it ran out of gas. Two workers taking
 * slots of one job at once do this (the second `takeSlot` checks one more slot), and so does the
 * last `commitResult` of a full job when another commit lands first (it also opens the reveal
 * phase). Each attempt is simulated first by the writer, so one the contract would refuse now is
 * not sent: its TxError names the revert, and the caller reads it as usual.
 */
import { TxError } from './createWorkerWriter';

/** Whether `err` is a revert on-chain that its replay could not name (it would pass now). */
export function revertedAsStateMoved(err: unknown): err is TxError {
  return err instanceof TxError && err.mined && err.revert === undefined;
}

/**
 * Runs `send`, and runs it again (at most `attempts` times in all) while it reverts on-chain for
 * the state having moved.
 *
 * @example
 * const sent = await resendAfterStateMoved(() => writer.takeSlot(terms), (tx) => log.warn({ tx }, 'sending again'));
 */
export async function resendAfterStateMoved<T>(send: () => Promise<T>, onResend: (tx: string | undefined) => void, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await send();
    } catch (err) {
      if (!revertedAsStateMoved(err) || attempt >= attempts) throw err;
      onResend(err.hash);
    }
  }
}
