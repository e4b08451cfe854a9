/**
 * A worker's reputation: a pure integer function of its settled record, 0..1000, so every replay from
 * genesis gives the same number and any client can recompute it to the unit.
 *
 * ## Version 2 (current)
 *
 * Evidence is counted per client, weighted by what each outcome paid, and every client's testimony
 * has diminishing returns:
 *
 *   w(price)     = clamp(bitLength(price) - 10, 0, 10) * 100        per outcome, 0..1000
 *   success      = w                                                  completed, dispute won, replica agreed
 *   failure      = harm * w                                           see HARM
 *   s_c, f_c     = sums of success and failure over the outcomes with client c
 *   g(x)         = floor(3000 * x / (x + 2000))                       one client's testimony
 *   for          = sum over clients of g(s_c)
 *   against      = sum over clients of g(f_c)
 *   score        = floor(1000 * (for + 1000) / (for + against + 2000))
 *
 * All weights are in thousandths of a job: one fully paid job from one client is exactly 1000 (g(1000)
 * = 1000), so a worker with one such job scores 666 and one with ten such jobs from ten clients 916,
 * as in version 1.
 *
 * Why:
 * - What it paid, token-neutrally. Tokens differ in decimals and value, and the indexer reads no
 *   state (no decimals, no exchange rate), so the weight looks only at the order of magnitude of the
 *   price in the token's smallest unit: under 2^10 units (1,023 wei; a tenth of a cent of a 6-decimal
 *   token) it is dust and weighs nothing; each doubling above adds a tenth; from 2^19 units (about half
 *   a unit of a 6-decimal token such as USDC; any non-dust ETH amount) it weighs fully. Dust jobs, the
 *   way a worker farms a record at no cost, therefore count for nothing. The scale does not make
 *   larger jobs count more: above the dust range a job is a job, whatever the token.
 * - Distinct clients. A worker and its own client (or a second address it controls) can pay each other
 *   any amount at the cost of the fee, so payment alone cannot tell real work from a farm. What a farm
 *   cannot make cheaply is independent clients. One client's testimony is concave and bounded: one job
 *   1000, two 1500, four 2000, a hundred 2941, never 3000. A single client, however many jobs it pays
 *   for, lifts a worker to at most 799; breadth is what earns a high score. Jobs a worker posted to
 *   its own address weigh nothing at all.
 * - Failures pass through the same per-client function: a client cannot sink a worker alone any more
 *   than it can make one, and a worker failing many clients sinks fast.
 * - Failures weigh by harm, as in version 1 (HARM): a lost dispute 1, a reclaim (the client waited for
 *   nothing) 2; in a replicated job, revealing a hash the quorum did not reach 1, never revealing 2;
 *   a slash adds 1 (the contract judged the failure bad enough to take stake).
 * - Settled outcomes only. A dispute the arbiter left unresolved, and a replica that revealed in a job
 *   where no hash reached the quorum, say nothing about the worker and count for neither side.
 * - The +1000/+2000 prior starts everyone at 500 and keeps a fresh identity below a track record, so
 *   re-registering does not launder a bad one.
 * - Integer arithmetic only (floor division), so the indexer, the API and any client agree exactly;
 *   `for` and `against` are sums of per-client terms, so the order of events does not matter.
 *
 * Limits: clients are addresses, and addresses are free. A farm with many sybil clients paying
 * non-dust amounts pays the fee on each job; the score bounds what each of those addresses adds, not
 * how many there are.
 *
 * ## Version 1 (`reputationV1`, still served by the API on request)
 *
 * Laplace's rule of succession over single-job counters, unweighted:
 *
 *   good  = jobsCompleted + disputesWon
 *   bad   = disputesLost + 2 * jobsReclaimed + slashCount
 *   score = floor(1000 * (good + 1) / (good + bad + 2))
 *
 * It counts jobs, not clients or payments, so a hundred 1-wei jobs a worker posts to itself reach 990.
 *
 * Any change to a formula must bump REPUTATION_VERSION (stored beside each score).
 */

/** Bumped whenever the formula changes; stored in `worker.reputationVersion`. */
export const REPUTATION_VERSION = 2;

/** Highest possible score. */
export const MAX_REPUTATION = 1000;

/** One fully weighted job, in the thousandths evidence is counted in. */
export const JOB_WEIGHT = 1000;

/** What one client's testimony tends to, and never reaches: three jobs' worth. */
export const CLIENT_CAP = 3 * JOB_WEIGHT;

/** Prices under 2^DUST_BITS units weigh nothing. */
const DUST_BITS = 10;
/** Bits from dust to a fully weighted price. */
const WEIGHT_BITS = 10;

/** Failure weights, in jobs, by what went wrong (a slash adds `slashed`). */
export const HARM = {
  disputeLost: 1,
  reclaimed: 2,
  disagreed: 1,
  unrevealed: 2,
  slashed: 1,
} as const;

/** Number of bits of a non-negative integer (0 for 0). */
function bitLength(value: bigint): number {
  return value <= 0n ? 0 : value.toString(2).length;
}

/**
 * How much an outcome at `price` (the job's token, smallest unit) weighs, 0..1000.
 *
 * @example
 * paymentWeight(1n)          // 0: dust
 * paymentWeight(2n ** 15n)   // 600
 * paymentWeight(1_000_000n)  // 1000: one USDC
 */
export function paymentWeight(price: bigint): number {
  const bits = Math.min(Math.max(bitLength(price) - DUST_BITS, 0), WEIGHT_BITS);
  return (bits * JOB_WEIGHT) / WEIGHT_BITS;
}

/**
 * One client's testimony from its summed weight (thousandths): concave, g(1000) = 1000, below 3000.
 *
 * @example clientTestimony(1000) // 1000; clientTestimony(100_000) // 2941
 */
export function clientTestimony(weight: number): number {
  if (weight < 0 || !Number.isInteger(weight)) throw new RangeError('reputation: weights are non-negative integers');
  return Math.floor((CLIENT_CAP * weight) / (weight + CLIENT_CAP - JOB_WEIGHT));
}

/** A worker's record with one client: the sums of its outcomes' weights (thousandths). */
export type ClientRecord = { successWeight: number; failureWeight: number };

/** A settled outcome for a worker, as reputation weighs it. */
export type Outcome = {
  /** Completed, dispute won, replica agreed with the quorum. */
  success: boolean;
  /** For a failure, in jobs (HARM); 0 for a success. */
  harm: number;
  /** What the job paid (a replicated job: its price per replica). */
  price: bigint;
  /** The client is the worker itself. */
  self: boolean;
};

/** What an outcome adds to its client record. */
export function outcomeWeight(o: Outcome): ClientRecord {
  const w = o.self ? 0 : paymentWeight(o.price);
  return o.success ? { successWeight: w, failureWeight: 0 } : { successWeight: 0, failureWeight: o.harm * w };
}

/**
 * How the worker's evidence moves when one of its client records goes from `before` to `after`:
 * the indexer keeps `for` and `against` as running sums of per-client testimony.
 */
export function evidenceDelta(before: ClientRecord | undefined, after: ClientRecord): { for: number; against: number } {
  return {
    for: clientTestimony(after.successWeight) - clientTestimony(before?.successWeight ?? 0),
    against: clientTestimony(after.failureWeight) - clientTestimony(before?.failureWeight ?? 0),
  };
}

/** A worker's evidence (thousandths): for it and against it, summed over its clients. */
export type Evidence = { evidenceFor: number; evidenceAgainst: number };

/** The evidence of a whole record, from its client records. */
export function evidenceOf(clients: readonly ClientRecord[]): Evidence {
  let evidenceFor = 0;
  let evidenceAgainst = 0;
  for (const c of clients) {
    evidenceFor += clientTestimony(c.successWeight);
    evidenceAgainst += clientTestimony(c.failureWeight);
  }
  return { evidenceFor, evidenceAgainst };
}

/**
 * The worker's reputation, 0..1000 (500 with no evidence yet).
 *
 * @example
 * reputation({ evidenceFor: 1000, evidenceAgainst: 0 }) // 666: one paid job from one client
 */
export function reputation(e: Evidence): number {
  if (e.evidenceFor < 0 || e.evidenceAgainst < 0) throw new RangeError('reputation: evidence must not be negative');
  return Math.floor((MAX_REPUTATION * (e.evidenceFor + JOB_WEIGHT)) / (e.evidenceFor + e.evidenceAgainst + 2 * JOB_WEIGHT));
}

/** The single-job counters version 1 is computed from (the `worker` table's columns). */
export type ReputationRecordV1 = {
  jobsCompleted: number;
  jobsReclaimed: number;
  disputesWon: number;
  disputesLost: number;
  slashCount: number;
};

/**
 * Version 1 of the score, 0..1000 (500 with no record).
 *
 * @example
 * reputationV1({ jobsCompleted: 10, jobsReclaimed: 0, disputesWon: 0, disputesLost: 0, slashCount: 0 }) // 916
 */
export function reputationV1(r: ReputationRecordV1): number {
  const good = r.jobsCompleted + r.disputesWon;
  const bad = r.disputesLost + 2 * r.jobsReclaimed + r.slashCount;
  if (good < 0 || bad < 0) throw new RangeError('reputation: counters must not be negative');
  return Math.floor((MAX_REPUTATION * (good + 1)) / (good + bad + 2));
}

/** The score of a worker row by formula version (1 or 2); undefined for a version that does not exist. */
export function reputationByVersion(version: number, w: ReputationRecordV1 & Evidence): number | undefined {
  if (version === 1) return reputationV1(w);
  if (version === 2) return reputation(w);
  return undefined;
}
