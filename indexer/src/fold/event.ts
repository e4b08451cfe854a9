/**
 * One logged event of Loom's contracts, as the `job_event` table stores it, and the helpers that turn
 * a decoded log into that form. The folds (job.ts, replicatedJob.ts, slot.ts, bid.ts, worker.ts,
 * workerClient.ts, credits.ts, stats.ts) take this form as input, so the indexing handlers and any later replay of `job_event` rows (the API's
 * `job(id, atBlock)`) run the very same code on the very same data.
 *
 * Pure module: no Ponder virtual modules, no I/O (Ponder executes every file under src/, and the
 * API imports these from outside Ponder's build).
 */
import type { AbiParameter } from 'viem';
import { hexToBytes } from 'viem';

export type Hex = `0x${string}`;
export const ZERO_ADDRESS: Hex = '0x0000000000000000000000000000000000000000';
export const ZERO_BYTES32: Hex = '0x0000000000000000000000000000000000000000000000000000000000000000';

/**
 * The event as logged in `job_event` (a row of that table is one). `args` holds the decoded
 * arguments as JSON: integers that viem decodes as bigint become decimal strings, smaller ones stay
 * numbers; addresses and bytes are lowercase hex; strings have NUL characters replaced (PostgreSQL
 * text cannot hold them).
 */
export type LoggedEvent = {
  name: string;
  args: unknown;
  /** The emitting contract (lowercase): the market a job, a credit or a setting belongs to. */
  contract: Hex;
  blockNumber: bigint;
  timestamp: bigint;
  txHash: Hex;
};

/** Event arguments as read back from JSON (untyped by nature: the folds read them by event name). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Args = Record<string, any>;

/** The arguments of a logged event, as an object. */
export function argsOf(event: Pick<LoggedEvent, 'args'>): Args {
  return (event.args ?? {}) as Args;
}

/**
 * The `job_event` id: block number and log index zero-padded, so that string order is chain order.
 * @example eventId(1234n, 5) // '000000001234-000005'
 */
export function eventId(blockNumber: bigint, logIndex: number): string {
  return `${blockNumber.toString().padStart(12, '0')}-${logIndex.toString().padStart(6, '0')}`;
}

/** PostgreSQL text and jsonb cannot hold U+0000: it becomes U+FFFD (the replacement character). */
export function safeText(value: string): string {
  return value.includes('\u0000') ? value.replaceAll('\u0000', '\uFFFD') : value;
}

/**
 * Decoded event arguments as JSON, walking the event's ABI inputs: integers as decimal strings when
 * viem decodes them as bigint (numbers otherwise), addresses and bytes lowercased, strings made safe.
 */
export function argsToJson(inputs: readonly AbiParameter[], args: unknown): Args {
  const source = (args ?? {}) as Record<string, unknown>;
  const out: Args = {};
  inputs.forEach((input, i) => {
    const key = input.name ?? String(i);
    out[key] = valueToJson(input, Array.isArray(args) ? args[i] : source[key]);
  });
  return out;
}

function valueToJson(param: AbiParameter, value: unknown): unknown {
  if (value === undefined || value === null) return null;
  const { type } = param;
  if (type.endsWith(']')) {
    const inner = { ...param, type: type.slice(0, type.lastIndexOf('[')) } as AbiParameter;
    return (value as unknown[]).map((v) => valueToJson(inner, v));
  }
  if (type === 'tuple') {
    return argsToJson((param as { components: readonly AbiParameter[] }).components, value);
  }
  if (typeof value === 'bigint') return value.toString();
  if (type === 'string') return safeText(value as string);
  if (type === 'address' || type.startsWith('bytes')) return (value as string).toLowerCase();
  return value;
}

/** A bigint from a JSON argument (decimal string or number). */
export function big(value: unknown): bigint {
  return BigInt(value as string | number);
}

/** A lowercase hex from a JSON argument. */
export function hex(value: unknown): Hex {
  return (value as string).toLowerCase() as Hex;
}

const lastDay: { timestamp: bigint | undefined; day: string } = { timestamp: undefined, day: '' };

/** The UTC day (YYYY-MM-DD) of a unix timestamp in seconds. */
export function utcDay(timestamp: bigint): string {
  // Consecutive events mostly share a block (a timestamp): remember the last answer.
  if (timestamp !== lastDay.timestamp) {
    lastDay.day = new Date(Number(timestamp) * 1000).toISOString().slice(0, 10);
    lastDay.timestamp = timestamp;
  }
  return lastDay.day;
}

/**
 * A left-aligned bytes32 short string (a GPU model) as text: trailing zero bytes dropped, decoded
 * as UTF-8, trimmed. Null when the value is zero (any model).
 * @example decodeShortString('0x4e5649444941204831303000...') // 'NVIDIA H100'
 */
export function decodeShortString(value: Hex): string | null {
  const bytes = hexToBytes(value);
  let end = bytes.length;
  while (end > 0 && bytes[end - 1] === 0) end--;
  if (end === 0) return null;
  return safeText(new TextDecoder().decode(bytes.subarray(0, end))).trim();
}

/**
 * A job spec parsed as JSON when it is valid UTF-8 JSON that PostgreSQL's jsonb can hold
 * (no U+0000, no unpaired surrogate escapes); null otherwise.
 */
export function decodeSpecJson(spec: Hex): unknown {
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(hexToBytes(spec));
    const value = JSON.parse(text) as unknown;
    const canonical = JSON.stringify(value);
    if (canonical.includes('\\u0000') || /\\ud[89a-f][0-9a-f]{2}/i.test(canonical)) return null;
    return value;
  } catch {
    return null;
  }
}
