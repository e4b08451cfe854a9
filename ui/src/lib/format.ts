/**
 * Numbers, amounts, addresses and times as people read them.
 */
import { formatUnits, hexToString, stringToHex, zeroHash, type Hex } from 'viem';
import type { TokenInfo } from './tokens';

const group = (digits: string) => digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');

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
  return `${negative ? '-' : ''}${group(int)}${kept ? `.${kept}` : ''}`;
}

/** An amount with its symbol: "1.5 ETH", "250 tUSDC". Unknown tokens show raw units. */
export function formatAmount(raw: bigint | string | number | null | undefined, token: TokenInfo, maxFraction?: number): string {
  if (raw === null || raw === undefined) return '—';
  if (token.unknown) return `${group(BigInt(raw).toString())} units of ${token.symbol}`;
  return `${formatUnitsHuman(raw, token.decimals, maxFraction ?? (token.decimals > 6 ? 6 : token.decimals))} ${token.symbol}`;
}

/** ETH amounts (stake and collateral are always ETH). */
export function formatEth(wei: bigint | string | number | null | undefined): string {
  if (wei === null || wei === undefined) return '—';
  return `${formatUnitsHuman(wei, 18)} ETH`;
}

/** USD with 6 decimals (advertised prices per GPU-hour): "$2.50". */
export function formatUsd6(raw: bigint | string | number): string {
  const text = formatUnitsHuman(raw, 6, 4);
  const [int, frac = ''] = text.split('.');
  return `$${int}.${frac.padEnd(2, '0')}`;
}

/** "0x1234…abcd" */
export function shortAddress(address: string | null | undefined): string {
  if (!address) return '—';
  return `${address.slice(0, 6)}…${address.slice(-4)}`;
}

/** "0x12345678…9abc" */
export function shortHash(hash: string | null | undefined): string {
  if (!hash) return '—';
  return `${hash.slice(0, 10)}…${hash.slice(-4)}`;
}

/** MiB as people say it: 81920 -> "80 GiB", 512 -> "512 MiB", 1536 -> "1.5 GiB". */
export function formatMiB(mib: number | null | undefined): string {
  if (mib === null || mib === undefined) return '—';
  if (mib >= 1024 * 1024) return `${trimNumber(mib / (1024 * 1024))} TiB`;
  if (mib >= 1024) return `${trimNumber(mib / 1024)} GiB`;
  return `${mib} MiB`;
}

function trimNumber(n: number, digits = 1): string {
  return Number(n.toFixed(digits)).toString();
}

/** A duration: 45 -> "45 s", 5400 -> "1 h 30 min", 172800 -> "2 d". */
export function formatDuration(seconds: number | bigint): string {
  let s = Math.max(0, Math.round(Number(seconds)));
  if (s < 60) return `${s} s`;
  const d = Math.floor(s / 86400);
  s -= d * 86400;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  const sec = s - m * 60;
  const parts: string[] = [];
  if (d) parts.push(`${d} d`);
  if (h) parts.push(`${h} h`);
  if (m && !d) parts.push(`${m} min`);
  if (sec && !d && !h) parts.push(`${sec} s`);
  return parts.slice(0, 2).join(' ');
}

/** "in 5 min" / "3 h ago" relative to `now` (unix seconds). */
export function formatRelative(unix: number | bigint | string, now: number): string {
  const delta = Number(unix) - now;
  if (Math.abs(delta) < 5) return 'just now';
  return delta > 0 ? `in ${formatDuration(delta)}` : `${formatDuration(-delta)} ago`;
}

/** A unix time as a local date and time: "3 Jan 2025, 14:05". */
export function formatDateTime(unix: number | bigint | string): string {
  return new Date(Number(unix) * 1000).toLocaleString('en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
}

/** A GPU model as the contract stores it (left-aligned, zero-padded bytes32); null for "any". */
export function decodeGpuModel(bytes32: Hex | string | null | undefined): string | null {
  if (!bytes32 || /^0x0*$/.test(bytes32)) return null;
  return hexToString(bytes32 as Hex, { size: 32 }).replace(/\0+$/, '');
}

/** The bytes32 for a GPU model name; zero for "any". Throws when the name is over 32 bytes. */
export function encodeGpuModel(name: string): Hex {
  const trimmed = name.trim();
  if (!trimmed) return zeroHash;
  if (new TextEncoder().encode(trimmed).length > 32) throw new RangeError('the GPU model name is longer than 32 bytes');
  return stringToHex(trimmed, { size: 32 });
}

/** "2 × NVIDIA H100 80GB HBM3 · 80 GiB" or "CPU only". */
export function formatHardware(gpuCount: number, vramMiB: number, model: string | null | undefined): string {
  if (gpuCount === 0) return 'CPU only';
  return `${gpuCount} × ${model || 'GPU'}${vramMiB ? ` · ${formatMiB(vramMiB)}` : ''}`;
}

/** A job's GPU requirement: "≥ 1 GPU · ≥ 40 GiB · H100" or "No GPU needed". */
export function formatRequirement(minGpuCount: number, minVramMiB: number, model: string | null | undefined): string {
  if (minGpuCount === 0 && minVramMiB === 0 && !model) return 'No GPU needed';
  const parts = [`${minGpuCount} GPU${minGpuCount === 1 ? '' : 's'}`];
  if (minVramMiB) parts.push(`${formatMiB(minVramMiB)} VRAM`);
  if (model) parts.push(model);
  return parts.join(' · ');
}

/** Reputation 0..1000 as "87.5". */
export function formatReputation(reputation: number): string {
  return (reputation / 10).toFixed(1);
}

const STATUS_LABELS: Record<string, string> = {
  OPEN: 'Open',
  ASSIGNED: 'Running',
  SUBMITTED: 'Result in',
  DISPUTED: 'Disputed',
  CLOSED: 'Closed',
};

const CLOSE_LABELS: Record<string, string> = {
  COMPLETED: 'Completed',
  CANCELLED: 'Cancelled',
  EXPIRED: 'Expired',
  RECLAIMED: 'Reclaimed',
  DISPUTE_RESOLVED: 'Dispute resolved',
  ARBITRATION_TIMED_OUT: 'Arbitration timed out',
};

/** The label of a job's state: its status, or how it closed. */
export function statusLabel(status: string, closeReason?: string | null): string {
  if (status === 'CLOSED' && closeReason) return CLOSE_LABELS[closeReason] ?? closeReason;
  return STATUS_LABELS[status] ?? status;
}

export function modeLabel(mode: string): string {
  return mode === 'AUCTION' ? 'Auction' : 'First claim';
}

/** Parses a decimal amount typed by a person into units; undefined when it is not a number. */
export function parseAmount(text: string, decimals: number): bigint | undefined {
  const t = text.trim().replace(/,/g, '');
  if (!/^\d*(\.\d*)?$/.test(t) || t === '' || t === '.') return undefined;
  const [int = '0', frac = ''] = t.split('.');
  if (frac.length > decimals) return undefined;
  return BigInt(int || '0') * 10n ** BigInt(decimals) + BigInt((frac || '').padEnd(decimals, '0') || '0');
}
