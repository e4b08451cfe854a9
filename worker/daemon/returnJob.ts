/**
 * Hands an assigned job back (LoomMarket.returnJob), at most once: for a job the worker cannot run
 * through no fault of its own, e.g. its sealed bundle never arrived or did not open. The client gets
 * the price back, the collateral is unlocked unslashed; the job closes as RETURNED (and counts in the
 * worker's public `jobsReturned`). Left alone it would be reclaimed after the deadline, slashing the
 * worker's whole collateral for the client's fault.
 *
 * As for submitResult.ts: the job is read from the API first (a job closed already, e.g. returned
 * before a crash or an RPC answer lost, is not sent again), and the contract has the last word: the
 * transaction is simulated first, and its refusals (`UnexpectedStatus`: no longer assigned;
 * `DeadlinePassed`; `NotAssignedWorker`) are answers that send nothing.
 */
import type { Address, Hex } from 'viem';
import type { JobTerms } from '../../sdk/jobTerms';
import type { LoomApi } from './loomApi';
import { type MarketWriter, TxError } from './createWorkerWriter';

export type ReturnOutcome =
  | { kind: 'returned'; txHash: Hex }
  /** The job is no longer assigned (returned already, or closed some other way). */
  | { kind: 'already'; status: string }
  /** The execution deadline passed: the job is the client's to reclaim. */
  | { kind: 'too_late'; detail: string }
  /** The job is not (or no longer) ours. */
  | { kind: 'not_ours'; detail: string };

const STATUS_NAMES = ['NONE', 'OPEN', 'ASSIGNED', 'SUBMITTED', 'DISPUTED', 'CLOSED'];

export async function returnJob(o: {
  api: Pick<LoomApi, 'job'>;
  writer: Pick<MarketWriter, 'returnJob'>;
  jobId: Hex;
  terms: JobTerms;
  worker: Address;
}): Promise<ReturnOutcome> {
  // The API may lag the chain: only a state past Assigned is taken as an answer.
  const current = await o.api.job(o.jobId).catch(() => null);
  const mine = current?.worker?.toLowerCase() === o.worker.toLowerCase();
  if (current && ['SUBMITTED', 'DISPUTED', 'CLOSED'].includes(current.status)) {
    if (!mine) return { kind: 'not_ours', detail: `the job went to ${current.worker ?? 'nobody'}` };
    return { kind: 'already', status: current.closeReason ? `${current.status} (${current.closeReason})` : current.status };
  }
  if (current?.status === 'ASSIGNED' && !mine) return { kind: 'not_ours', detail: `assigned to ${current.worker}` };
  try {
    const { hash } = await o.writer.returnJob(o.terms);
    return { kind: 'returned', txHash: hash };
  } catch (err) {
    if (!(err instanceof TxError) || !err.revert) throw err;
    const { name, args } = err.revert;
    if (name === 'UnexpectedStatus') return { kind: 'already', status: STATUS_NAMES[Number(args[2])] ?? String(args[2]) };
    if (name === 'DeadlinePassed') return { kind: 'too_late', detail: `deadline ${args[1]}, chain time ${args[2]}` };
    if (name === 'NotAssignedWorker') return { kind: 'not_ours', detail: 'the contract says another worker is assigned' };
    throw err;
  }
}
