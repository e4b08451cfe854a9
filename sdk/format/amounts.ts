/**
 * Token amounts as people read and type them. Amounts are exact bigints in the token's smallest
 * unit everywhere else; these are the only places they become words, and back.
 */
import { formatUnits } from 'viem';
import type { TokenInfo } from './tokens';

/** "1234567" -> "1,234,567". */
export const groupDigits = (digits: string) => digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/**
 * A token amount in its decimal unit, grouped by thousands, with at most `maxFraction` fraction
 * digits (truncated, never rounded up); tiny non-zero amounts read "< 0.000001".
 *
 * @example
 * formatUnitsHuman(1234567890000000000000n, 18) // "1,234.56789"
 * formatUnitsHuman(1500000n, 6)                  // "1.5"
 */
export function formatUnitsHuman(raw: bigint | string | number, decimals: number, maxFraction = 6): string {
  const value = BigInt(raw);
  const negative = value < 0n;
  const text = formatUnits(negative ? -value : value, decimals);
  const [int = '0', frac = ''] = text.split('.');
  const kept = frac.slice(0, maxFraction).replace(/0+$/, '');
  if (value !== 0n && int === '0' && kept === '') {
    return `${negative ? '> -' : '< '}0.${'0'.repeat(Math.max(0, maxFraction - 1))}1`;
  }
  return `${negative ? '-' : ''}${groupDigits(int)}${kept ? `.${kept}` : ''}`;
}

export type AmountStyle = {
  /** Fraction digits shown (default: up to 6); `'exact'` shows every digit the token has. */
  fraction?: number | 'exact';
  /** What a missing amount reads as (default "—"). */
  missing?: string;
};

/**
 * An amount with its symbol: "1.5 ETH", "250 tUSDC". An unknown token shows raw units ("1,234 units
 * of 0x1111…1111"); no token at all, "1,234 units".
 */
export function formatAmount(raw: bigint | string | number | null | undefined, token: TokenInfo | undefined, style: AmountStyle = {}): string {
  if (raw === null || raw === undefined) return style.missing ?? '—';
  if (!token) return `${groupDigits(BigInt(raw).toString())} units`;
  if (token.unknown) return `${groupDigits(BigInt(raw).toString())} units of ${token.symbol}`;
  const fraction = style.fraction === 'exact' ? token.decimals : (style.fraction ?? Math.min(token.decimals, 6));
  return `${formatUnitsHuman(raw, token.decimals, fraction)} ${token.symbol}`;
}

/** ETH amounts (stake and collateral are always ETH). */
export function formatEth(wei: bigint | string | number | null | undefined, style: AmountStyle = {}): string {
  if (wei === null || wei === undefined) return style.missing ?? '—';
  return `${formatUnitsHuman(wei, 18, style.fraction === 'exact' ? 18 : (style.fraction ?? 6))} ETH`;
}

/** USD with 6 decimals (advertised prices per GPU-hour): "$2.50". */
export function formatUsd6(raw: bigint | string | number): string {
  const text = formatUnitsHuman(raw, 6, 4);
  const [int, frac = ''] = text.split('.');
  return `$${int}.${frac.padEnd(2, '0')}`;
}

/**
 * A decimal amount typed by a person ("0.5", "1,000.25", ".5") in units; undefined when it is not
 * a plain non-negative number, or has more decimals than the token (rounding a budget silently
 * would change what the client pays).
 */
export function parseAmount(text: string, decimals: number): bigint | undefined {
  const t = text.trim().replace(/[,_]/g, '');
  if (!/^\d*(\.\d*)?$/.test(t) || t === '' || t === '.') return undefined;
  const [int = '0', frac = ''] = t.split('.');
  if (frac.length > decimals) return undefined;
  return BigInt(int || '0') * 10n ** BigInt(decimals) + BigInt((frac || '').padEnd(decimals, '0') || '0');
}
