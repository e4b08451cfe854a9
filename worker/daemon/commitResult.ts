/**
 * Commits to a replicated job's result, at most once. The slot's state is read first (from the API,
 * by the caller): a slot that has committed already (the worker committed before a crash) is never
 * sent a second commitment. The contract has the last word: the transaction is simulated first, and
 * `UnexpectedSlotState` (committed or revealed meanwhile) is read as "already done",
 * `DeadlinePassed` as "too late", `JobAlreadyClosed` as "closed". None of them sends anything.
 * A commitment mined out of gas because another landed first (the last one of a full job also
 * opens the reveal phase) is sent again (resendAfterStateMoved.ts).
 */
import type { Hex } from 'viem';
import { receiptEvents } from '../../sdk/receipts';
import type { ReplicatedJobTerms } from '../../sdk/writes';
import { type MarketWriter, TxError } from './createWorkerWriter';
import type { ReplicatedSlotView } from './replicatedJob';
import { resendAfterStateMoved } from './resendAfterStateMoved';

export type CommitOutcome =
  /** `revealDeadline` is non-zero when this commit was the last of a full job: the reveal phase is open. */
  | { kind: 'committed'; txHash: Hex; revealDeadline: number }
  /** The slot has committed (or revealed) already. */
  | { kind: 'already'; state: string }
  /** The commit deadline passed: the slot will be slashed. */
  | { kind: 'too_late'; detail: string }
  /** The slot is not (or no longer) this worker's. */
  | { kind: 'not_ours'; detail: string }
  /** The job was finalized. */
  | { kind: 'closed' };

const SLOT_STATES = ['EMPTY', 'TAKEN', 'COMMITTED', 'REVEALED'];

export async function commitResult(o: {
  writer: MarketWriter;
  terms: ReplicatedJobTerms;
  slot: number;
  commitment: Hex;
  /** The slot as the API has it (undefined: unknown; the simulation decides). */
  current: ReplicatedSlotView | undefined;
  /** Called before a commitment that ran out of gas (another commit landed first) is sent again. */
  onResend?: (tx: string | undefined) => void;
}): Promise<CommitOutcome> {
  if (o.current && o.current.state !== 'TAKEN') return { kind: 'already', state: o.current.state };
  try {
    const { hash, receipt } = await resendAfterStateMoved(() => o.writer.commitResult(o.terms, o.slot, o.commitment), o.onResend ?? (() => {}));
    const [log] = receiptEvents(receipt, 'ResultCommitted');
    return { kind: 'committed', txHash: hash, revealDeadline: Number(log?.args.revealDeadline ?? 0) };
  } catch (err) {
    if (!(err instanceof TxError) || !err.revert) throw err;
    const { name, args } = err.revert;
    if (name === 'UnexpectedSlotState') return { kind: 'already', state: SLOT_STATES[Number(args[3])] ?? String(args[3]) };
    if (name === 'DeadlinePassed') return { kind: 'too_late', detail: `commit deadline ${args[1]}, chain time ${args[2]}` };
    if (name === 'NotSlotWorker') return { kind: 'not_ours', detail: `slot ${args[1]} is not this worker's` };
    if (name === 'JobAlreadyClosed') return { kind: 'closed' };
    throw err;
  }
}
