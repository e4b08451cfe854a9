/**
 * The soak's view of the jobs on the chain: every job posted to either market (read from the
 * chain's logs, so a job whose posting a reorg undid is not one), its state now, whether it is
 * closed or still inside a live deadline, and what it holds in escrow.
 */
import type { Address, Hex } from 'viem';
import { loomMarketAbi, loomReplicatedMarketAbi } from '../../abis/generated.ts';
import type { JobTerms } from '../../sdk/jobTerms.ts';
import type { ReplicatedJobTerms } from '../../sdk/writes.ts';
import type { Chain } from '../../testkit/chain.ts';

/** JobStatus and ReplicatedStatus (contracts/src/interfaces/ILoomTypes.sol). */
export const SINGLE = { NONE: 0, OPEN: 1, ASSIGNED: 2, SUBMITTED: 3, DISPUTED: 4, CLOSED: 5 } as const;
export const REPLICATED = { NONE: 0, RUNNING: 1, CLOSED: 2 } as const;
export const RECLAIMED = 4;

export type SoakJob = { kind: 'single'; id: Hex; terms: JobTerms } | { kind: 'replicated'; id: Hex; terms: ReplicatedJobTerms };

/** A job's state on the chain now. */
export type JobState = {
  closed: boolean;
  /** The contract's status (JobStatus or ReplicatedStatus); 0: the job does not exist (undone by a reorg). */
  status: number;
  closeReason: number;
  /** The assigned worker (single jobs). */
  worker?: Address;
  /** The deadline its current step runs to (chain time, seconds). */
  deadline: number;
  /** What the market holds for it, in its token. */
  escrow: bigint;
  filled: number;
  committed: number;
  revealed: number;
  /** A replicated job whose every slot is taken. */
  full: boolean;
};

/** Every job posted to either market, from the chain's logs. */
export async function jobsOnChain(chain: Chain): Promise<SoakJob[]> {
  const [single, replicated] = await Promise.all([
    chain.pub.getContractEvents({ address: chain.market, abi: loomMarketAbi, eventName: 'JobPosted', fromBlock: 0n }),
    chain.pub.getContractEvents({ address: chain.replicated, abi: loomReplicatedMarketAbi, eventName: 'ReplicatedJobPosted', fromBlock: 0n }),
  ]);
  return [
    ...single.map((e) => ({ kind: 'single' as const, id: e.args.jobId!, terms: e.args.terms as JobTerms })),
    ...replicated.map((e) => ({ kind: 'replicated' as const, id: e.args.jobId!, terms: e.args.terms as ReplicatedJobTerms })),
  ];
}

/** The job's state now, read from its market. */
export async function jobState(chain: Chain, job: SoakJob): Promise<JobState> {
  if (job.kind === 'single') {
    const [worker, status, closeReason, deadline] = await chain.pub.readContract({ address: chain.market, abi: loomMarketAbi, functionName: 'jobs', args: [job.id] });
    const live = status !== SINGLE.NONE && status !== SINGLE.CLOSED;
    return {
      closed: status === SINGLE.CLOSED,
      status,
      closeReason,
      worker,
      deadline: status === SINGLE.OPEN ? Number(job.terms.openUntil) : Number(deadline),
      // A claim job's price is its budget (the soak posts no auctions).
      escrow: live ? job.terms.budget : 0n,
      filled: 0,
      committed: 0,
      revealed: 0,
      full: false,
    };
  }
  const [status, filled, committed, revealed, revealDeadline] = await chain.pub.readContract({
    address: chain.replicated,
    abi: loomReplicatedMarketAbi,
    functionName: 'replicatedJobs',
    args: [job.id],
  });
  const t = job.terms;
  return {
    closed: status === REPLICATED.CLOSED,
    status,
    closeReason: 0,
    deadline: revealDeadline > 0 ? Number(revealDeadline) : Number(t.openUntil) + Number(t.commitWindow) + Number(t.revealWindow),
    escrow: status === REPLICATED.RUNNING ? t.price * BigInt(t.replicas) : 0n,
    filled,
    committed,
    revealed,
    full: filled === t.replicas,
  };
}

export const tokenOf = (job: SoakJob): Address => job.terms.token;
