/**
 * Values in words for the tables: times relative to now, short ids, and the style of amounts (the
 * SDK's formatAmount: every digit, "-" when missing). `--json` output never goes through these: it
 * carries the raw values (decimal strings, unix seconds).
 */
import type { AmountStyle } from '../../sdk/format/amounts';
import { formatDuration } from '../parse/parseDuration';

/** Amounts in tables: exact to the last digit the token has (a table is where people check sums). */
export const TABLE_AMOUNTS: AmountStyle = { fraction: 'exact', missing: '-' };

/** "0x1234abcd…ef01": enough of an id to recognize it, for people (JSON keeps it whole). */
export function shortId(id: string | null | undefined): string {
  if (!id) return '-';
  return id.length > 18 ? `${id.slice(0, 10)}…${id.slice(-4)}` : id;
}

/** A unix time as "2026-01-03 14:05:09Z (in 1h30m)" or "(5m ago)". */
export function formatTime(unix: bigint | string | number | null | undefined, now = Math.floor(Date.now() / 1000)): string {
  if (unix === null || unix === undefined) return '-';
  const t = Number(unix);
  const iso = new Date(t * 1000).toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, 'Z');
  const delta = t - now;
  const rel = Math.abs(delta) < 2 ? 'now' : delta > 0 ? `in ${formatDuration(delta)}` : `${formatDuration(-delta)} ago`;
  return `${iso} (${rel})`;
}

/** JSON for scripts: bigints as decimal strings, one value per call, newline-terminated. */
export function toJson(value: unknown, pretty = true): string {
  return `${JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v), pretty ? 2 : undefined)}\n`;
}
