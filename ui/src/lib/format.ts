/**
 * Addresses, hashes, dates and reputation as the web UI shows them. Amounts, tokens, durations and
 * GPU requirements are the SDK's (sdk/format), shared with the CLI.
 */

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

/** Reputation 0..1000 as "87.5". */
export function formatReputation(reputation: number): string {
  return (reputation / 10).toFixed(1);
}
