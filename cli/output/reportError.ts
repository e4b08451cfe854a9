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


/** A revert with its enum arguments named: "UnexpectedStatus(0x12…, Open, Closed)". */
export function describeRevert(r: RevertInfo): string {
  const args = r.args.map((a, i) => {
    if (r.name === 'UnexpectedStatus' && i > 0) return enumMemberName('JobStatus', Number(a)) ?? String(a);
    if (r.name === 'WrongMode' && i === 1) return enumMemberName('JobMode', Number(a)) ?? String(a);
    return typeof a === 'bigint' ? a.toString() : String(a);
  });
  return `${r.name}(${args.join(', ')})`;
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
