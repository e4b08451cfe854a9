/**
 * Durations as people type them, in whole seconds: `90` (seconds), `90s`, `10m`, `1h30m`, `1.5h`,
 * `2d`, `1w`. Deadlines in the contract are whole seconds, so a value that is not (`0.5s`) is refused
 * rather than rounded.
 */
import { badInput } from '../cliError';

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };

/**
 * @example
 * parseDuration('1h30m', '--open-for'); // 5400
 */
export function parseDuration(text: string, flag: string): number {
  const t = text.trim().toLowerCase();
  const example = 'e.g. 90s, 10m, 1h30m, 2d';
  if (t === '') badInput(`${flag}: a duration is required (${example})`);
  if (/^\d+(\.\d+)?$/.test(t)) return wholeSeconds(Number(t), text, flag);
  const part = /(\d+(?:\.\d+)?)\s*(seconds?|secs?|s|minutes?|mins?|m|hours?|hrs?|h|days?|d|weeks?|w)/y;
  let total = 0;
  let pos = 0;
  while (pos < t.length) {
    part.lastIndex = pos;
    const m = part.exec(t);
    if (!m) badInput(`${flag}: "${text}" is not a duration (${example})`);
    total += Number(m[1]) * UNIT_SECONDS[m[2]![0]!]!;
    pos = part.lastIndex;
    while (t[pos] === ' ') pos++;
  }
  return wholeSeconds(total, text, flag);
}

function wholeSeconds(seconds: number, text: string, flag: string): number {
  // Multiplying decimals can leave 5399.999…: round to the millisecond before judging.
  const s = Math.round(seconds * 1000) / 1000;
  if (!Number.isSafeInteger(s)) badInput(`${flag}: "${text}" is not a whole number of seconds`);
  return s;
}

/** 5400 -> "1h30m", 0 -> "0s": the shortest form parseDuration reads back. */
export function formatDuration(seconds: number | bigint): string {
  let s = Math.max(0, Math.round(Number(seconds)));
  if (s === 0) return '0s';
  let out = '';
  for (const [unit, size] of [['d', 86_400], ['h', 3600], ['m', 60], ['s', 1]] as const) {
    const n = Math.floor(s / size);
    if (n > 0) out += `${n}${unit}`;
    s -= n * size;
  }
  return out;
}
