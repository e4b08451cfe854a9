/**
 * The `credits` ledgers as a pure function of events: which (ledger, account, token) balances an
 * event credits, mirroring each `_credit` call of LoomMarket, LoomReplicatedMarket and LoomModels
 * (zero amounts credit nothing), and which it empties (Withdrawn takes the whole balance). Each
 * contract keeps its own ledger: a credit is withdrawn from the contract that emitted it (`market`
 * names that contract, LoomModels included).
 */
import { argsOf, big, hex, ZERO_ADDRESS, type Hex, type LoggedEvent } from './event';
import type { Job } from './job';
import type { Slot } from './slot';

export type Credit = { market: Hex; account: Hex; token: Hex; amount: bigint };

/**
 * What `event` credits.
 *
 * @param job The job the event is about (JobAssigned, JobClosed, ReplicatedJobClosed), as it was
 *   before the event. PoolFeePaid, RoyaltyPaid and RoyaltyRefunded need none: they name token and account.
 * @param treasury The emitting market's treasury when the event happened (fees go to the treasury of the moment).
 * @param slots For ReplicatedJobClosed: the job's slots after the close (their verdicts say who the
 *   quorum is: its workers share the slashed collateral).
 *
 * @example
 * creditsOf(jobClosed, job, treasury)
 * // [{ market, account: worker, token, amount: workerPayout }, { market, account: treasury, token, amount: fee },
 * //  { market, account: client, token, amount: clientRefund }, { market, account: client, token: ETH, amount: slashed }]
 */
export function creditsOf(event: LoggedEvent, job: Pick<Job, 'client' | 'token'> | undefined, treasury: Hex, slots: readonly Slot[] = []): Credit[] {
  const args = argsOf(event);
  const credits: Credit[] = [];
  const add = (account: Hex, token: Hex, amount: bigint) => {
    if (amount !== 0n) credits.push({ market: event.contract, account, token, amount });
  };
  // Events that name their token and account themselves.
  if (event.name === 'PoolFeePaid') {
    add(hex(args.operator), hex(args.token), big(args.amount));
    return credits;
  }
  if (event.name === 'RoyaltyPaid') {
    add(hex(args.creator), hex(args.token), big(args.amount));
    return credits;
  }
  if (event.name === 'RoyaltyRefunded') {
    add(hex(args.client), hex(args.token), big(args.amount));
    return credits;
  }
  if (!job) return credits;
  if (event.name === 'JobAssigned') {
    add(job.client, job.token, big(args.refund));
  } else if (event.name === 'JobClosed') {
    add(hex(args.worker), job.token, big(args.workerPayout));
    add(treasury, job.token, big(args.fee));
    add(job.client, job.token, big(args.clientRefund));
    // Collateral is ETH whatever the job's token.
    add(job.client, ZERO_ADDRESS, big(args.slashed));
  } else if (event.name === 'ReplicatedJobClosed') {
    const workers = (args.workers as unknown[]).map(hex);
    const payouts = args.payouts as unknown[];
    const quorum = new Set(slots.filter((s) => s.verdict === 'AGREED').map((s) => s.slot));
    workers.forEach((worker, i) => {
      add(worker, job.token, big(payouts[i]));
      if (quorum.has(i)) add(worker, ZERO_ADDRESS, big(args.winnerSlashShare));
    });
    add(treasury, job.token, big(args.fee));
    add(job.client, job.token, big(args.clientRefund));
    add(job.client, ZERO_ADDRESS, big(args.clientSlashShare));
  }
  return credits;
}

/** The balance a Withdrawn event empties, and how much it took out. */
export function withdrawalOf(event: LoggedEvent): Credit | undefined {
  if (event.name !== 'Withdrawn') return undefined;
  const args = argsOf(event);
  return { market: event.contract, account: hex(args.account), token: hex(args.token), amount: big(args.amount) };
}
