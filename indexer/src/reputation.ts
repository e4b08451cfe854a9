/**
 * A worker's reputation: a pure integer function of its record on chain, 0..1000.
 *
 * Formula (version 1): Laplace's rule of succession over weighted outcomes.
 *
 *   good  = jobsCompleted + disputesWon
 *   bad   = disputesLost + 2 * jobsReclaimed + slashCount
 *   score = floor(1000 * (good + 1) / (good + bad + 2))
 *
 * Why:
 * - Only outcomes the chain settled count, so every replay from genesis gives the same number and
 *   nobody can argue with it: a completed job was released (by the client, or by silence after the
 *   challenge window), a won dispute is an arbiter's ruling that paid the whole price.
 * - The +1/+2 prior (one imagined success and one imagined failure) starts a new worker at 500 and
 *   makes the score move with evidence: one completed job gives 666, ten give 916, a hundred 990.
 *   A fresh identity is never worth more than a track record, so leaving and re-registering under
 *   a new address does not launder a bad one.
 * - Failures are weighted by the harm done to the client. A lost dispute counts once. A reclaim
 *   (no result by the deadline: the client waited for nothing) counts twice. A slash adds one more,
 *   because it means an arbiter, or the reclaim rule, judged the failure bad enough to take stake.
 * - A dispute the arbiter left unresolved (ArbitrationTimedOut, split in half) counts for neither
 *   side: the arbiter's silence is not evidence about the worker.
 * - Integer arithmetic only (floor division), so the API, the indexer and any other client agree to
 *   the unit.
 *
 * Any change to the formula must bump REPUTATION_VERSION (stored beside each score).
 */

/** Bumped whenever the formula changes; stored in `worker.reputationVersion`. */
export const REPUTATION_VERSION = 1;

/** The outcome counters reputation is computed from (the `worker` table's columns). */
export type ReputationRecord = {
  jobsCompleted: number;
  jobsReclaimed: number;
  disputesWon: number;
  disputesLost: number;
  slashCount: number;
};

/** Highest possible score. */
export const MAX_REPUTATION = 1000;

/**
 * The worker's reputation, 0..1000 (500 with no record yet).
 *
 * @example
 * reputation({ jobsCompleted: 10, jobsReclaimed: 0, disputesWon: 0, disputesLost: 0, slashCount: 0 }) // 916
 */
export function reputation(r: ReputationRecord): number {
  const good = r.jobsCompleted + r.disputesWon;
  const bad = r.disputesLost + 2 * r.jobsReclaimed + r.slashCount;
  if (good < 0 || bad < 0) throw new RangeError('reputation: counters must not be negative');
  return Math.floor((MAX_REPUTATION * (good + 1)) / (good + bad + 2));
}
