/**
 * Human amounts in a token's unit (`0.5` ETH, `250` tUSDC) to its smallest unit, exactly: a value with
 * more decimals than the token has is refused, never rounded (rounding a budget silently changes
 * what the client pays).
 */
import { parseAmount as parseUnitsText } from '../../sdk/format/amounts';
import { TERMS_BOUNDS } from '../../sdk/jobParams';
import { badInput } from '../cliError';

/** The contract's uint96 amounts (budget, collateral). */
export const MAX_UINT96 = TERMS_BOUNDS.amount.max;

/**
 * @example
 * parseAmount('0.5', 18, { flag: '--budget', symbol: 'ETH' }); // 500000000000000000n
 */
export function parseAmount(text: string, decimals: number, o: { flag: string; symbol: string; max?: bigint }): bigint {
  // A flag takes no thousands separators (a shell user types 1000 or 1_000) and no bare "5." either.
  const t = text.trim().replace(/_/g, '');
  if (!/^\d+(\.\d+)?$/.test(t) && !/^\.\d+$/.test(t)) {
    badInput(`${o.flag}: "${text}" is not an amount of ${o.symbol} (e.g. 0.5)`);
  }
  const value = parseUnitsText(t, decimals);
  if (value === undefined) badInput(`${o.flag}: "${text}" has ${t.split('.')[1]!.length} decimals; ${o.symbol} has ${decimals}`);
  const max = o.max ?? MAX_UINT96;
  if (value > max) badInput(`${o.flag}: "${text}" ${o.symbol} is more than the contract can hold`);
  return value;
}

/** MiB from `40960`, `512MiB`, `40GiB`, `40G`, `1TiB`: the unit of the contract's VRAM fields. */
export function parseMiB(text: string, flag: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(mib|m|gib|g|tib|t)?$/i.exec(text.trim());
  if (!m) badInput(`${flag}: "${text}" is not a size (e.g. 40GiB or 40960 for MiB)`);
  const unit = (m[2] ?? 'm').toLowerCase()[0]!;
  const mib = Number(m[1]) * (unit === 't' ? 1024 * 1024 : unit === 'g' ? 1024 : 1);
  if (!Number.isSafeInteger(mib) || mib > 0xffff_ffff) badInput(`${flag}: "${text}" is not a whole number of MiB up to 4 TiB`);
  return mib;
}

/** A non-negative integer flag, bounded. */
export function parseCount(text: string, flag: string, max: number): number {
  const t = text.trim();
  if (!/^\d+$/.test(t) || Number(t) > max) badInput(`${flag}: "${text}" must be a whole number from 0 to ${max}`);
  return Number(t);
}
