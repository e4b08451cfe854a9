/**
 * The contract's `credits` ledger as a pure function of events: which (account, token) balances an
 * event credits, mirroring each `_credit` call of LoomMarket (zero amounts credit nothing), and which
 * it empties (Withdrawn takes the whole balance).
 */
import { argsOf, big, hex, ZERO_ADDRESS, type Hex, type LoggedEvent } from './event';
import type { Job } from './job';

export type Credit = { account: Hex; token: Hex; amount: bigint };

/**
 * What `event` credits.
 *
 * @param job The job the event is about (JobAssigned, JobClosed), as it was before the event.
 * @param treasury The treasury when the event happened (fees go to the treasury of the moment).
 *
 * @example
 * creditsOf(jobClosed, job, treasury)
 * // [{ account: worker, token, amount: workerPayout }, { account: treasury, token, amount: fee },
 * //  { account: client, token, amount: clientRefund }, { account: client, token: ETH, amount: slashed }]
 */
export function creditsOf(event: LoggedEvent, job: Job | undefined, treasury: Hex): Credit[] {
  const args = argsOf(event);
  const credits: Credit[] = [];
  const add = (account: Hex, token: Hex, amount: bigint) => {
    if (amount !== 0n) credits.push({ account, token, amount });
  };
  if (!job) return credits;
  if (event.name === 'JobAssigned') {
    add(job.client, job.token, big(args.refund));
  } else if (event.name === 'JobClosed') {
    add(hex(args.worker), job.token, big(args.workerPayout));
    add(treasury, job.token, big(args.fee));
    add(job.client, job.token, big(args.clientRefund));
    // Collateral is ETH whatever the job's token.
    add(job.client, ZERO_ADDRESS, big(args.slashed));
  }
  return credits;
}

/** The balance a Withdrawn event empties, and how much it took out. */
export function withdrawalOf(event: LoggedEvent): Credit | undefined {
  if (event.name !== 'Withdrawn') return undefined;
  const args = argsOf(event);
  return { account: hex(args.account), token: hex(args.token), amount: big(args.amount) };
}
