/**
 * Failures as `loom` reports them: one line on stderr that says what went wrong in the contract's or
 * the API's own words (`cancelJob refused: UnexpectedStatus(0x…, Open, Closed)`), the usage when the
 * command line was wrong, and, with --json, the same as `{ "error": { code, message, revert? } }` on
 * stdout so that scripts read one stream. Returns the exit code: 2 for bad usage, 1 otherwise.
 */
import { BaseError } from 'viem';
import { enumMemberName } from '../../sdk/enums';
import { UsageError } from '../../sdk/node/options';
import { LoomApiError } from '../../sdk/reads';
import { describeRpcFailure, rpcFailure } from '../../sdk/rpcFailure';
import { TxError } from '../../sdk/writes';
import { CliError, type RevertInfo } from '../cliError';
import { toJson } from './format';


type Args = readonly unknown[];
const s = (a: unknown) => String(a);

/**
 * What the model hub's and the pools' errors mean, after the error itself: their arguments are ids
 * and addresses that say little alone ("ModelTokenMismatch(3, 0x…, 0x…)").
 */
const MEANINGS: Record<string, (a: Args) => string> = {
  ModelNotFound: ([id]) => `there is no model ${s(id)}`,
  ModelIsRetired: ([id]) => `model ${s(id)} is retired: no new job may use it (its creator may have published a newer version)`,
  NotModelCreator: ([id, caller]) => `${s(caller)} did not publish model ${s(id)}: only its creator may retire it or publish a version that follows it`,
  ModelTokenMismatch: ([id, modelToken, jobToken]) => `model ${s(id)}'s fee is paid in ${s(modelToken)} and the job in ${s(jobToken)}: post the job in the model's token`,
  InvalidModelCount: ([, max]) => `a job uses 1 to ${s(max)} models`,
  DuplicateModel: ([id]) => `model ${s(id)} is listed twice`,
  InvalidModelContent: () => 'weights and datasets are files (and no image); an image model is an image (and no files)',
  UntrustedMarket: ([market]) => `${s(market)} is not a market the registry trusts`,
  EmptyName: () => 'the name must not be empty',
  PoolNotFound: ([pool]) => `there is no pool ${s(pool)}`,
  NotPoolOperator: ([pool, caller]) => `${s(caller)} does not operate pool ${s(pool)}`,
  NotPoolMember: ([pool, worker]) => `${s(worker)} is not a member of pool ${s(pool)}`,
  PoolMembershipExists: ([worker, pool]) => `${s(worker)} is in pool ${s(pool)} already (or asked to join it): a worker is in one pool at a time (loom pool leave)`,
  PoolJobsActive: ([worker, count]) => `${s(worker)} still holds ${s(count)} job(s) of its previous pool: it may join another when they close`,
  NoJoinRequest: ([pool, worker]) => `${s(worker)} has not asked to join pool ${s(pool)}`,
};

/** A revert with its enum arguments named: "UnexpectedStatus(0x12…, Open, Closed)"; the model hub's and pools' with what they mean. */
export function describeRevert(r: RevertInfo): string {
  const args = r.args.map((a, i) => {
    if (r.name === 'UnexpectedStatus' && i > 0) return enumMemberName('JobStatus', Number(a)) ?? String(a);
    if (r.name === 'WrongMode' && i === 1) return enumMemberName('JobMode', Number(a)) ?? String(a);
    if (r.name === 'InvalidModelContent' && i === 0) return enumMemberName('ModelKind', Number(a)) ?? String(a);
    return typeof a === 'bigint' ? a.toString() : String(a);
  });
  const meaning = MEANINGS[r.name]?.(r.args);
  return `${r.name}(${args.join(', ')})${meaning ? `: ${meaning}` : ''}`;
}

/** Any error as a CliError (SDK errors keep their meaning: a revert stays a revert). */
export function toCliError(err: unknown): CliError {
  if (err instanceof CliError) return err;
  if (err instanceof UsageError) return new CliError('USAGE', err.shortMessage, { details: err.usage });
  if (err instanceof TxError) {
    // The RPC failed, not the contract: say so, and never "nothing was sent" when it may have been.
    if (err.maybeSent && err.rpc) {
      return new CliError('TX_FAILED', `${err.functionName} may have been sent: ${describeRpcFailure(err.rpc)}; check before sending it again`, { cause: err });
    }
    if (err.rpc) return new CliError('TX_FAILED', `${err.functionName} not sent: ${describeRpcFailure(err.rpc)}`, { cause: err });
    const revert = err.revert ? { name: err.revert.name, args: err.revert.args } : undefined;
    const what = err.mined ? `${err.functionName} reverted on-chain${err.hash ? ` in ${err.hash}` : ''}` : `${err.functionName} refused (nothing was sent)`;
    const why = revert ? describeRevert(revert) : err.shortMessage.replace(/^\w+ refused: /, '');
    return new CliError('TX_FAILED', `${what}: ${why}`, { cause: err, ...(revert ? { revert } : {}) });
  }
  if (err instanceof LoomApiError && err.code === 'RATE_LIMITED') {
    const wait = err.retryAfterSeconds !== undefined ? `in ${err.retryAfterSeconds} s` : 'later';
    return new CliError('API', `the Loom API is rate limiting this client: retry ${wait}. ${err.message}`, { cause: err });
  }
  if (err instanceof LoomApiError) return new CliError('API', err.message, { cause: err });
  const rpc = rpcFailure(err);
  if (rpc) return new CliError('TX_FAILED', describeRpcFailure(rpc), { cause: err });
  if (err instanceof BaseError) return new CliError('TX_FAILED', err.shortMessage, { cause: err });
  return new CliError('API', err instanceof Error ? err.message : String(err), { cause: err });
}

export function reportError(err: unknown, o: { json: boolean; stderr?: NodeJS.WritableStream; stdout?: NodeJS.WritableStream }): number {
  const e = toCliError(err);
  const stderr = o.stderr ?? process.stderr;
  stderr.write(`loom: ${e.shortMessage}\n${e.details ? `\n${e.details}\n` : ''}`);
  if (o.json && e.code !== 'USAGE') {
    const revert = e.revert ? { name: e.revert.name, args: e.revert.args } : undefined;
    (o.stdout ?? process.stdout).write(toJson({ error: { code: e.code, message: e.shortMessage, ...(revert ? { revert } : {}) } }));
  }
  return e.exitCode;
}
