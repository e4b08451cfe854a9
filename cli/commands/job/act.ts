/**
 * The client's steps on a job: `accept-bid`, `cancel`, `release`, `dispute`, `reclaim`, `expire` (and
 * the assigned worker's `return`), and
 * for a replicated job `cancel` and `finalize`. Each reads the job's terms from the API (every call
 * after posting passes them back: a replicated job's are its `replicatedTerms`), checks they hash to
 * the id, and sends through the SDK, which simulates first: a step the contract would refuse is
 * answered with its Solidity error (`UnexpectedStatus(…, Open, Closed)`, `SlotsTaken(…, 1)`) and
 * nothing is sent. A step of one kind of job asked of the other is refused before anything is read
 * from the chain.
 */
import { type Address, type Hex, getAddress, isAddress } from 'viem';
import { BidsQuery } from '../../../sdk/documents';
import { jobIdOf, toContractTerms } from '../../../sdk/jobTerms';
import { replicatedJobIdOf, toReplicatedTerms } from '../../../sdk/replicatedTerms';
import type { ReplicatedJobTerms, Sent } from '../../../sdk/writes';
import { CliError } from '../../cliError';
import { connectionOptions, resolveClientConfig } from '../../config';
import { formatAmount } from '../../../sdk/format/amounts';
import { TABLE_AMOUNTS, toJson } from '../../output/format';
import { createProgress } from '../../output/progress';
import { type OptionTable, optionsHelp, parseCommandLine, showHelp } from '../../../sdk/node/options';
import { createTokenBook } from '../../../sdk/format/tokens';
import { type ApiJob, fetchJob, openReader, openWriter, parseJobId, waitIndexed, type WriterSession } from '../../session';

type Result = { sent: Sent; detail?: Record<string, unknown> };
type Action = {
  summary: string;
  /** Extra positional arguments after the id. */
  extra?: string;
  options?: OptionTable;
  done: string;
  /** The step on a single-worker job; absent: it has none. */
  run?: (s: WriterSession, job: ApiJob, ctx: { values: Record<string, string | boolean | undefined>; positionals: string[]; reader: ReturnType<typeof openReader> }) => Promise<Result>;
  /** The step on a replicated job; absent: it has none. */
  replicated?: (s: WriterSession, terms: ReplicatedJobTerms) => Promise<Result>;
};

export const ACTIONS: Record<string, Action> = {
  'accept-bid': {
    summary: "Accepts a worker's bid on an auction job once bidding has closed (default: the lowest standing bid).",
    extra: '[worker]',
    done: 'accepted a bid on',
    async run(s, job, { positionals, reader }) {
      let worker: Address;
      let price: string | undefined;
      if (positionals[1] !== undefined) {
        if (!isAddress(positionals[1], { strict: false })) throw new CliError('BAD_INPUT', `"${positionals[1]}" is not a worker address`);
        worker = getAddress(positionals[1]);
      } else {
        const { bids } = await reader.query(BidsQuery, { jobId: job.id, status: 'ACTIVE', orderBy: 'PRICE_ASC', first: 1 });
        const best = bids.edges[0]?.node;
        if (!best) throw new CliError('BAD_INPUT', `job ${job.id} has no standing bids to accept`);
        worker = getAddress(best.worker);
        price = best.price;
      }
      return { sent: await s.writer.acceptBid(toContractTerms(job.terms), worker), detail: { worker, ...(price ? { price } : {}) } };
    },
  },
  cancel: {
    summary: 'Cancels a job nobody was assigned yet (a replicated job: no slot taken yet); the budget is credited back to the client.',
    done: 'cancelled',
    run: async (s, job) => ({ sent: await s.writer.cancelJob(toContractTerms(job.terms)) }),
    replicated: async (s, terms) => ({ sent: await s.writer.cancelReplicatedJob(terms) }),
  },
  finalize: {
    summary:
      'Settles a replicated job (anyone may): once every taken slot revealed or the reveal phase is over, workers whose ' +
      'results agree are paid and the others slashed; without a quorum the client is refunded; with fewer slots taken ' +
      'than the quorum by the end of the open period, everyone is made whole. Each market credits its own: `loom job withdraw`.',
    done: 'finalized',
    replicated: async (s, terms) => ({ sent: await s.writer.finalize(terms) }),
  },
  release: {
    summary: 'Pays the worker for a submitted result (anyone may, once the challenge window has passed).',
    done: 'released',
    run: async (s, job) => ({ sent: await s.writer.release(toContractTerms(job.terms)) }),
  },
  dispute: {
    summary: "Disputes a submitted result within the challenge window; the job's arbiter rules.",
    options: { reason: { type: 'string', value: '<text>', help: 'Why the result is disputed (required; on-chain, public)' } },
    done: 'disputed',
    async run(s, job, { values }) {
      const reason = values.reason;
      if (typeof reason !== 'string' || reason.trim() === '') throw new CliError('USAGE', 'dispute needs --reason "<why>"', { details: usageOf('dispute') });
      return { sent: await s.writer.dispute(toContractTerms(job.terms), reason), detail: { reason } };
    },
  },
  reclaim: {
    summary: 'Refunds a job whose worker missed the execution deadline; its collateral is slashed to the client.',
    done: 'reclaimed',
    run: async (s, job) => ({ sent: await s.writer.reclaim(toContractTerms(job.terms)) }),
  },
  return: {
    summary:
      "Hands an assigned job back, as its worker, before the execution deadline (e.g. its sealed bundle never arrived): " +
      'the price is credited back to the client and the collateral unlocked without a slash. Signs with the key ' +
      "LOOM_CLIENT_KEY (or --keystore) names: set it to the worker's. The daemon does this by itself for sealed jobs; " +
      "every return is public (the worker's jobsReturned).",
    done: 'returned',
    run: async (s, job) => ({ sent: await s.writer.returnJob(toContractTerms(job.terms)) }),
  },
  expire: {
    summary: 'Closes a job nobody took before its window closed; the budget is credited back.',
    done: 'expired',
    run: async (s, job) => ({ sent: await s.writer.expire(toContractTerms(job.terms)) }),
  },
};

function optionsOf(name: string): OptionTable {
  return { ...ACTIONS[name]!.options, 'no-wait': { type: 'boolean', help: 'Do not wait for the indexer to show the change' }, ...connectionOptions };
}

function usageOf(name: string): string {
  const a = ACTIONS[name]!;
  return `Usage: loom job ${name} <job id>${a.extra ? ` ${a.extra}` : ''} [options]\n\n${a.summary}\n\nOptions:\n${optionsHelp(optionsOf(name))}`;
}

export async function runAction(name: string, argv: string[]): Promise<number> {
  const action = ACTIONS[name]!;
  const usage = usageOf(name);
  const { values, positionals, help } = parseCommandLine(argv, { options: optionsOf(name), usage, positionals: [1, action.extra ? 2 : 1] });
  if (help) return showHelp(usage);
  const config = resolveClientConfig(values);
  const id: Hex = parseJobId(positionals[0]);
  const progress = createProgress();
  const reader = openReader(config);

  progress.update(`reading job ${id}`);
  const job = await fetchJob(reader, id);
  const replicated = job.kind === 'REPLICATED' && job.replicatedTerms ? toReplicatedTerms(job.replicatedTerms) : undefined;
  if (replicated ? !action.replicated : !action.run) {
    const what = replicated ? 'a replicated job (its steps: cancel, finalize)' : 'a single-worker job';
    throw new CliError('BAD_INPUT', `job ${id} is ${what}: ${name} does not apply to it`);
  }
  // Terms that do not hash to the id would revert as JobNotFound: say what is actually wrong.
  const hashed = replicated ? replicatedJobIdOf(replicated) : jobIdOf(toContractTerms(job.terms));
  if (hashed.toLowerCase() !== id) throw new CliError('API', `the API's terms for ${id} do not hash to its id`);
  const session = await openWriter(config, progress);
  progress.update(`${name}: simulating, then sending`);
  let result: Result;
  try {
    result = replicated ? await action.replicated!(session, replicated) : await action.run!(session, job, { values, positionals, reader });
  } catch (err) {
    progress.fail(`${name} failed`);
    throw err;
  }
  const { sent, detail } = result;
  progress.done(`${action.done} job in block ${sent.receipt.blockNumber}`);
  const indexed = values['no-wait'] ? false : await waitIndexed(reader, id, sent.receipt.blockNumber, progress);
  progress.clear();
  if (config.json) {
    process.stdout.write(toJson({ jobId: id, action: name, txHash: sent.hash, blockNumber: sent.receipt.blockNumber, indexed, ...detail }));
  } else {
    const book = createTokenBook(config.rpcUrl, session.publicClient);
    await book.load([job.terms.token]);
    const price = typeof detail?.price === 'string' ? `, price ${formatAmount(detail.price, book.get(job.terms.token), TABLE_AMOUNTS)}` : '';
    const extra = detail?.worker ? ` (worker ${detail.worker}${price})` : '';
    process.stdout.write(`${action.done} job ${id}${extra}\ntx ${sent.hash} (block ${sent.receipt.blockNumber})\n`);
  }
  return 0;
}
