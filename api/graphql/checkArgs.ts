/**
 * Checks of argument values that the GraphQL types cannot express (ranges, list sizes, model names).
 */
import { stringToHex } from 'viem';
import { ApiError } from './errors';

/** bytes32 zero: "any GPU model" in job terms. */
export const ZERO_BYTES32 = `0x${'0'.repeat(64)}` as const;

/** A non-negative integer argument, or undefined when omitted. */
export function nonNegativeInt(name: string, value: number | null | undefined): number | undefined {
  if (value == null) return undefined;
  if (!Number.isInteger(value) || value < 0) throw new ApiError('BAD_USER_INPUT', `${name} must be an integer of at least 0`);
  return value;
}

/** A list argument with at most `max` items, or undefined when omitted. */
export function boundedList<T>(name: string, value: readonly T[] | null | undefined, max: number): readonly T[] | undefined {
  if (value == null) return undefined;
  if (value.length > max) throw new ApiError('BAD_USER_INPUT', `${name} takes at most ${max} items`, { limit: max });
  return value;
}

/**
 * A GPU model name as the contract stores it: a left-aligned bytes32 short string.
 *
 * @example
 * gpuModelBytes('NVIDIA H100 80GB HBM3') // '0x4e56494449412048313030...0000'
 */
export function gpuModelBytes(name: string): `0x${string}` {
  if (name.length === 0) throw new ApiError('BAD_USER_INPUT', 'a GPU model name cannot be empty');
  if (Buffer.byteLength(name, 'utf8') > 32) throw new ApiError('BAD_USER_INPUT', 'a GPU model name is at most 32 bytes');
  return stringToHex(name, { size: 32 });
}
