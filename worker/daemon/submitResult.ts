/**
 * Posts a job's result, at most once. Before sending, the job's status is read from the API: a
 * result already on-chain (the worker submitted before a crash) is never sent again. The contract
 * has the last word: the transaction is simulated first, and an `UnexpectedStatus` revert (the job
 * is no longer Assigned: submitted, or closed) is read as "already done", a `DeadlinePassed` as
 * "too late" (the client may reclaim). Neither sends anything.
 */
import type { Address, Hex } from 'viem';
import { receiptEvents } from '../../sdk/receipts';
import type { JobTerms } from '../../sdk/jobTerms';
import type { LoomApi } from './loomApi';
import { type MarketWriter, TxError } from './createWorkerWriter';

export type SubmitOutcome =
  | { kind: 'submitted'; txHash: Hex; challengeDeadline: number }
  /** A result is on-chain already (ours: never post a second). */
  | { kind: 'already'; status: string }
  /** The execution deadline passed: the client may reclaim. */
  | { kind: 'too_late'; detail: string }
  /** The job is not (or no longer) ours. */
  | { kind: 'not_ours'; detail: string };

const STATUS_NAMES = ['NONE', 'OPEN', 'ASSIGNED', 'SUBMITTED', 'DISPUTED', 'CLOSED'];

export async function submitResult(o: {
  api: LoomApi;
  writer: MarketWriter;
  jobId: Hex;
  terms: JobTerms;
  resultHash: Hex;
  resultURI: string;
  worker: Address;
}): Promise<SubmitOutcome> {
  // The API may lag the chain (a job we just claimed can still read OPEN there): only a state past
  // Assigned is taken as an answer; anything else is left to the contract's simulation.
  const current = await o.api.job(o.jobId).catch(() => null);
  const mine = current?.worker?.toLowerCase() === o.worker.toLowerCase();
  if (current && ['SUBMITTED', 'DISPUTED', 'CLOSED'].includes(current.status)) {
    if (!mine) return { kind: 'not_ours', detail: `the job went to ${current.worker ?? 'nobody'}` };
    if (current.resultHash !== null) return { kind: 'already', status: current.status };
    return { kind: 'too_late', detail: `closed without a result (${current.closeReason})` };
  }
  if (current?.status === 'ASSIGNED' && !mine) return { kind: 'not_ours', detail: `assigned to ${current.worker}` };
  try {
    const { hash, receipt } = await o.writer.submitResult(o.terms, o.resultHash, o.resultURI);
    const [log] = receiptEvents(receipt, 'ResultSubmitted');
    return { kind: 'submitted', txHash: hash, challengeDeadline: Number(log?.args.challengeDeadline ?? 0) };
  } catch (err) {
    if (!(err instanceof TxError) || !err.revert) throw err;
    const { name, args } = err.revert;
    if (name === 'UnexpectedStatus') {
      // Submitted or disputed: our result is there. Closed: released, or reclaimed; either way, done.
      const actual = STATUS_NAMES[Number(args[2])] ?? String(args[2]);
      return { kind: 'already', status: actual };
    }
    if (name === 'DeadlinePassed') return { kind: 'too_late', detail: `deadline ${args[1]}, chain time ${args[2]}` };
    if (name === 'NotAssignedWorker') return { kind: 'not_ours', detail: 'the contract says another worker is assigned' };
    throw err;
  }
}
