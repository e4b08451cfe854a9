/**
 * Values in words for the tables: amounts in their token's unit, times relative to now, short ids.
 * `--json` output never goes through these: it carries the raw values (decimal strings, unix seconds).
 */
import { formatUnits, hexToString, type Hex } from 'viem';
import { formatDuration } from '../parse/parseDuration';

/** A token as the CLI names amounts in it. */
export type TokenInfo = { address: string; symbol: string; decimals: number };

export const ZERO_ADDRESS = '0x0000000000000000000000000000000000000000';
export const ETH_TOKEN: TokenInfo = { address: ZERO_ADDRESS, symbol: 'ETH', decimals: 18 };

/** "0.5 ETH", "250 tUSDC", "1234 units of 0x12…"; null -> "-". */
export function formatAmount(raw: bigint | string | null | undefined, token: TokenInfo | undefined): string {
  if (raw === null || raw === undefined) return '-';
  if (!token) return `${BigInt(raw)} units`;
  return `${formatUnits(BigInt(raw), token.decimals)} ${token.symbol}`;
}

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

/** The GPU model the terms require: a left-aligned bytes32 string; null for any model. */
export function decodeGpuModel(bytes32: string | null | undefined): string | null {
  if (!bytes32 || /^0x0*$/.test(bytes32)) return null;
  return hexToString(bytes32 as Hex, { size: 32 }).replace(/\0+$/, '');
}

/** "1 GPU · 40960 MiB · NVIDIA H100" or "no GPU". */
export function formatRequirement(minGpuCount: number, minVramMiB: number, gpuModel: string | null): string {
  if (minGpuCount === 0 && minVramMiB === 0 && !gpuModel) return 'no GPU';
  return [`${minGpuCount} GPU${minGpuCount === 1 ? '' : 's'}`, ...(minVramMiB ? [`${minVramMiB} MiB VRAM`] : []), ...(gpuModel ? [gpuModel] : [])].join(' · ');
}

/** JSON for scripts: bigints as decimal strings, one value per call, newline-terminated. */
export function toJson(value: unknown, pretty = true): string {
  return `${JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v), pretty ? 2 : undefined)}\n`;
}
