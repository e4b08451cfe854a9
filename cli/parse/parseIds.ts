/**
 * Model and pool ids as the CLI takes them: decimal, as the contracts number them from 1 (a model id
 * is a uint32, a pool id a uint64), and worker addresses. A refusal names the argument.
 */
import { type Address, getAddress, isAddress } from 'viem';
import { TERMS_BOUNDS } from '../../sdk/jobParams';
import { CliError, badInput } from '../cliError';

function positiveId(text: string | undefined, what: string, max: bigint): bigint {
  if (text === undefined) throw new CliError('USAGE', `missing the ${what}`);
  const t = text.trim();
  if (!/^\d{1,20}$/.test(t) || BigInt(t) < 1n || BigInt(t) > max) badInput(`"${text}" is not a ${what} (a whole number from 1 to ${max})`);
  return BigInt(t);
}

/** A model id: 1 to 2^32-1. */
export const parseModelId = (text: string | undefined, what = 'model id'): number => Number(positiveId(text, what, 0xffff_ffffn));

/** A pool id: 1 to 2^64-1. */
export const parsePoolId = (text: string | undefined, what = 'pool id'): bigint => positiveId(text, what, TERMS_BOUNDS.pool.max);

/** A worker's address (not the zero address). */
export function parseWorker(text: string | undefined): Address {
  if (text === undefined) throw new CliError('USAGE', "missing the worker's address");
  if (!isAddress(text, { strict: false }) || /^0x0{40}$/i.test(text)) badInput(`"${text}" is not a worker's address`);
  return getAddress(text);
}
