/**
 * One transaction as a command sends it, for the commands that are one step (publish or retire a
 * model, create or join a pool, ...): the key loaded and the chain connected, the step simulated and
 * sent through the SDK (a refusal is the contract's error, nothing sent), then, unless --no-wait,
 * the indexer waited for so that the next command reads what this one did.
 */
import type { Sent } from '../sdk/writes';
import type { ClientConfig } from './config';
import type { Progress } from './output/progress';
import { type WriterSession, openWriter, waitIndexedBlock } from './session';

/** The --no-wait option of a one-step command. */
export const noWaitOption = { 'no-wait': { type: 'boolean', help: 'Do not wait for the indexer to show the change' } } as const;

export async function sendStep<R extends Sent>(
  config: ClientConfig,
  progress: Progress,
  o: { what: string; noWait: boolean; send: (session: WriterSession) => Promise<R> },
): Promise<{ result: R; session: WriterSession; indexed: boolean }> {
  const session = await openWriter(config, progress);
  progress.update(`${o.what}: simulating, then sending`);
  let result: R;
  try {
    result = await o.send(session);
  } catch (err) {
    progress.fail(`${o.what} failed`);
    throw err;
  }
  progress.done(`${o.what} in block ${result.receipt.blockNumber}`);
  const indexed = o.noWait ? false : await waitIndexedBlock(config, result.receipt.blockNumber, progress);
  progress.clear();
  return { result, session, indexed };
}
