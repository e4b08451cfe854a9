/**
 * A replicated job's terms as the contract's `ReplicatedParams`, checked against the rules of
 * LoomReplicatedMarket.postReplicatedJob before anything is signed: 2 to MAX_REPLICAS replicas, a
 * quorum of more than half of them, commit and reveal windows of 1 s to MAX_PHASE_WINDOW, and an
 * escrow (price * replicas) that fits the contract's uint96. The CLI's flags and the web form parse
 * their own input into `ReplicatedParamsInput` and get the same answer here.
 *
 * What the two kinds of job share (token, collateral, open period, the GPU requirement against the
 * spec, the salt) is checked by `buildJobParams` itself, so both have one set of bounds. A slot taken
 * at the last moment (`openUntil`) has the commit window to run the job and commit, as a single job's
 * worker has its execution timeout: the window is held to the same floor (the spec's run timeout plus
 * what workers keep for inputs and the upload).
 */
import type { Address } from 'viem';
import { formatDuration } from './format/durations';
import { type JobParamsField, type JobParamsInput, TERMS_BOUNDS, buildJobParams } from './jobParams';
import type { JobSpec } from './spec/jobSpec';
import type { ReplicatedJobParams } from './writes';

/** LoomReplicatedMarket.MAX_REPLICAS: the most workers a job may ask for. */
export const MAX_REPLICAS = 7;
/** LoomReplicatedMarket.MAX_PHASE_WINDOW: the longest commit or reveal window (seconds). */
export const MAX_PHASE_WINDOW = 30 * 86_400;

/** What a client chooses for a replicated job, in the contract's units (seconds, smallest token units). */
export type ReplicatedParamsInput = {
  token: Address;
  /** What one replica's worker earns before the fee. The client escrows `price * replicas`. */
  price: bigint;
  /** ETH each replica's worker locks until the job ends. Default 0. */
  collateral?: bigint;
  /** n: how many workers run the job. */
  replicas: number;
  /** k: how many equal results make the job's result. Default: a bare majority of `replicas`. */
  quorum?: number;
  /** Seconds from now during which slots can be taken. */
  openFor: number;
  /** Seconds after the open period by which every slot's worker must have committed. */
  commitWindow: number;
  /** Seconds the reveal phase lasts once it opens. */
  revealWindow: number;
  minGpuCount?: number;
  minVramMiB?: number;
  gpuModel?: string;
  salt?: bigint;
  /** A worker pool whose members alone may take the slots (LoomRegistry pool id). Default: any worker. */
  pool?: bigint;
};

export type ReplicatedParamsField = keyof ReplicatedParamsInput;
/** A rule the input breaks, on the field it concerns, in words that read after the field's name. */
export type ReplicatedParamsIssue = { field: ReplicatedParamsField; message: string };

/** Defaults for what a client leaves out (seconds). */
export const REPLICATED_DEFAULTS = { replicas: 3, commitWindow: 3600, revealWindow: 3600 } as const;

/** The smallest quorum the contract takes for `replicas`: more than half. */
export const majorityOf = (replicas: number): number => Math.floor(replicas / 2) + 1;

/** Where `buildJobParams`'s findings land among the replicated job's fields. */
const SHARED: Partial<Record<JobParamsField, ReplicatedParamsField>> = {
  token: 'token',
  budget: 'price',
  collateral: 'collateral',
  openFor: 'openFor',
  executionTimeout: 'commitWindow',
  minGpuCount: 'minGpuCount',
  minVramMiB: 'minVramMiB',
  gpuModel: 'gpuModel',
  salt: 'salt',
};

/**
 * The contract's `ReplicatedParams` for the input, or every rule it breaks.
 *
 * @example
 * const r = buildReplicatedParams({ token: zeroAddress, price: parseEther('0.01'), replicas: 3, quorum: 2, openFor: 3600, commitWindow: 3600, revealWindow: 3600 }, spec, { now });
 * if (r.ok) await writer.postReplicatedJob({ terms: r.params, spec: bytes }); // escrows 0.03 ETH
 */
export function buildReplicatedParams(
  input: ReplicatedParamsInput,
  spec: Pick<JobSpec, 'resources'> | undefined,
  ctx: { now: number },
): { ok: true; params: ReplicatedJobParams } | { ok: false; issues: ReplicatedParamsIssue[] } {
  const issues: ReplicatedParamsIssue[] = [];
  const issue = (field: ReplicatedParamsField, message: string) => issues.push({ field, message });

  const shared: JobParamsInput = {
    token: input.token,
    budget: input.price,
    openFor: input.openFor,
    executionTimeout: input.commitWindow,
    challengeWindow: 0,
    ...(input.collateral === undefined ? {} : { collateral: input.collateral }),
    ...(input.minGpuCount === undefined ? {} : { minGpuCount: input.minGpuCount }),
    ...(input.minVramMiB === undefined ? {} : { minVramMiB: input.minVramMiB }),
    ...(input.gpuModel === undefined ? {} : { gpuModel: input.gpuModel }),
    ...(input.salt === undefined ? {} : { salt: input.salt }),
  };
  const single = buildJobParams(shared, spec, ctx);
  const commitInBounds = inPhaseBounds(input.commitWindow);
  if (!commitInBounds) issue('commitWindow', phaseBounds());
  if (!single.ok) {
    for (const i of single.issues) {
      const field = SHARED[i.field];
      // The commit window's bounds are the phase's own (above); from the single job only its floor.
      if (field && !(field === 'commitWindow' && !commitInBounds)) issue(field, i.message);
    }
  }

  const { replicas } = input;
  const quorum = input.quorum ?? (Number.isInteger(replicas) ? majorityOf(replicas) : 0);
  if (!Number.isInteger(replicas) || replicas < 2 || replicas > MAX_REPLICAS) issue('replicas', `must be a whole number from 2 to ${MAX_REPLICAS}`);
  else if (!Number.isInteger(quorum) || quorum <= replicas / 2 || quorum > replicas) {
    issue('quorum', `must be more than half of the ${replicas} replicas and at most ${replicas}: ${majorityOf(replicas) === replicas ? majorityOf(replicas) : `${majorityOf(replicas)} to ${replicas}`}`);
  } else if (input.price > 0n && input.price * BigInt(replicas) > TERMS_BOUNDS.amount.max) {
    issue('price', `times ${replicas} replicas is more than the contract can hold`);
  }
  if (!inPhaseBounds(input.revealWindow)) issue('revealWindow', phaseBounds());
  if (input.pool !== undefined && (input.pool <= 0n || input.pool > TERMS_BOUNDS.pool.max)) issue('pool', `must be a pool id from 1 to 2^64-1, not ${input.pool}`);

  if (issues.length || !single.ok) return { ok: false, issues };
  const p = single.params;
  return {
    ok: true,
    params: {
      token: p.token,
      price: p.budget,
      collateral: p.collateral,
      replicas,
      quorum,
      openUntil: p.openUntil,
      commitWindow: input.commitWindow,
      revealWindow: input.revealWindow,
      minGpuCount: p.minGpuCount,
      minVramMiB: p.minVramMiB,
      gpuModel: p.gpuModel,
      salt: p.salt,
      pool: input.pool ?? 0n,
    },
  };
}

const inPhaseBounds = (seconds: number) => Number.isInteger(seconds) && seconds >= 1 && seconds <= MAX_PHASE_WINDOW;
const phaseBounds = () => `must be between ${formatDuration(1)} and ${formatDuration(MAX_PHASE_WINDOW)}`;

/**
 * What posting a replicated job costs the client and what each agreeing worker can expect, fee
 * included (basis points). The escrow is the whole `price * replicas`; the price of slots nobody
 * takes comes back to the client at settlement.
 *
 * @example
 * replicatedCost(parseEther('0.01'), 3, 250) // { escrow: 0.03 ETH, feePerReplica: 0.00025 ETH, replicaReceives: 0.00975 ETH }
 */
export function replicatedCost(price: bigint, replicas: number, feeBps: number) {
  const feePerReplica = (price * BigInt(feeBps)) / 10_000n;
  return { escrow: price * BigInt(replicas), feePerReplica, replicaReceives: price - feePerReplica };
}
