/**
 * Reveals what a slot committed to, at most once, once the reveal phase is open. The caller decides
 * when (replicatedJob.ts: `revealOpen`); the contract has the last word, in simulation, so nothing
 * is sent when it would refuse: `RevealNotOpen` is "not yet", `UnexpectedSlotState` (revealed
 * already) "already done", `DeadlinePassed` "too late", `CommitmentMismatch` "this is not what was
 * committed" (a lost or wrong record: revealing it can never succeed), `JobAlreadyClosed` "closed".
 */
import type { Hex } from 'viem';
import type { ReplicatedJobTerms } from '../../sdk/writes';
import { type MarketWriter, TxError } from './createWorkerWriter';

export type RevealOutcome =
  | { kind: 'revealed'; txHash: Hex }
  | { kind: 'not_yet'; detail: string }
  | { kind: 'already' }
  | { kind: 'too_late'; detail: string }
  | { kind: 'mismatch' }
  | { kind: 'closed' };

export async function revealResult(o: { writer: MarketWriter; terms: ReplicatedJobTerms; slot: number; resultHash: Hex; salt: Hex; resultURI: string }): Promise<RevealOutcome> {
  try {
    const { hash } = await o.writer.revealResult(o.terms, o.slot, o.resultHash, o.salt, o.resultURI);
    return { kind: 'revealed', txHash: hash };
  } catch (err) {
    if (!(err instanceof TxError) || !err.revert) throw err;
    const { name, args } = err.revert;
    if (name === 'RevealNotOpen') return { kind: 'not_yet', detail: `commit deadline ${args[1]}, chain time ${args[2]}` };
    if (name === 'UnexpectedSlotState' && Number(args[3]) === 3) return { kind: 'already' };
    if (name === 'DeadlinePassed') return { kind: 'too_late', detail: `reveal deadline ${args[1]}, chain time ${args[2]}` };
    if (name === 'CommitmentMismatch') return { kind: 'mismatch' };
    if (name === 'JobAlreadyClosed') return { kind: 'closed' };
    throw err;
  }
}
