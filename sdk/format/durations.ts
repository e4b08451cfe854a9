/** Durations and times relative to now, in words. */

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
