/**
 * Custom scalars: values that validate on the way in (a bad address is a BAD_USER_INPUT error, never
 * a database error) and serialize canonically on the way out.
 */
import { GraphQLScalarType, Kind, type ValueNode } from './graphqlJs';
import { isAddress } from 'viem';
import { ApiError } from './errors';

/** Largest accepted BigInt input: uint256. */
const MAX_UINT256 = (1n << 256n) - 1n;

function invalid(scalar: string, message: string): never {
  throw new ApiError('BAD_USER_INPUT', `Invalid ${scalar}: ${message}`);
}

function literalString(scalar: string, ast: ValueNode): string {
  if (ast.kind !== Kind.STRING) invalid(scalar, `expected a string, got ${ast.kind.toLowerCase()}`);
  return ast.value;
}

/** Parses an unsigned decimal integer (string or safe integer) up to uint256. */
export function parseBigInt(value: unknown): bigint {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || value < 0) invalid('BigInt', 'expected a non-negative integer');
    return BigInt(value);
  }
  if (typeof value !== 'string') invalid('BigInt', 'expected a decimal string');
  if (!/^[0-9]{1,78}$/.test(value)) invalid('BigInt', 'expected an unsigned decimal integer string');
  const n = BigInt(value);
  if (n > MAX_UINT256) invalid('BigInt', 'above uint256');
  return n;
}

export const BigIntScalar = new GraphQLScalarType<bigint, string>({
  name: 'BigInt',
  serialize(value) {
    if (typeof value === 'bigint') return value.toString();
    if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
    if (typeof value === 'string' && /^-?[0-9]+$/.test(value)) return value;
    throw new TypeError(`BigInt cannot serialize ${typeof value}`);
  },
  parseValue: parseBigInt,
  parseLiteral(ast) {
    if (ast.kind === Kind.INT) return parseBigInt(ast.value);
    return parseBigInt(literalString('BigInt', ast));
  },
});

/** Validates an address (lowercase or EIP-55) and returns it lowercase, as the indexer stores it. */
export function parseAddress(value: unknown): `0x${string}` {
  if (typeof value !== 'string') invalid('Address', 'expected a string');
  if (!/^0x[0-9a-fA-F]{40}$/.test(value)) invalid('Address', 'expected 0x and 40 hex digits');
  if (!isAddress(value, { strict: true })) invalid('Address', 'mixed-case address with a bad EIP-55 checksum');
  return value.toLowerCase() as `0x${string}`;
}

export const AddressScalar = new GraphQLScalarType<`0x${string}`, string>({
  name: 'Address',
  serialize: (value) => String(value).toLowerCase(),
  parseValue: parseAddress,
  parseLiteral: (ast) => parseAddress(literalString('Address', ast)),
});

/** Validates a bytes32 hex value and returns it lowercase. */
export function parseBytes32(value: unknown, what = 'Bytes32'): `0x${string}` {
  if (typeof value !== 'string' || !/^0x[0-9a-fA-F]{64}$/.test(value)) invalid(what, 'expected 0x and 64 hex digits');
  return value.toLowerCase() as `0x${string}`;
}

export const Bytes32Scalar = new GraphQLScalarType<`0x${string}`, string>({
  name: 'Bytes32',
  serialize: (value) => String(value).toLowerCase(),
  parseValue: (value) => parseBytes32(value),
  parseLiteral: (ast) => parseBytes32(literalString('Bytes32', ast)),
});

function parseHex(value: unknown): `0x${string}` {
  if (typeof value !== 'string' || !/^0x([0-9a-fA-F]{2})*$/.test(value)) {
    invalid('Hex', 'expected 0x and an even number of hex digits');
  }
  return value.toLowerCase() as `0x${string}`;
}

export const HexScalar = new GraphQLScalarType<`0x${string}`, string>({
  name: 'Hex',
  serialize: (value) => String(value).toLowerCase(),
  parseValue: parseHex,
  parseLiteral: (ast) => parseHex(literalString('Hex', ast)),
});

/** Validates a UTC day (YYYY-MM-DD, a real calendar day). */
export function parseDate(value: unknown): string {
  if (typeof value !== 'string' || !/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(value)) invalid('Date', 'expected YYYY-MM-DD');
  const date = new Date(`${value}T00:00:00Z`);
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value) invalid('Date', 'not a calendar day');
  return value;
}

export const DateScalar = new GraphQLScalarType<string, string>({
  name: 'Date',
  serialize: (value) => String(value),
  parseValue: parseDate,
  parseLiteral: (ast) => parseDate(literalString('Date', ast)),
});

/** Output-only JSON: the API never takes JSON input. */
export const JSONScalar = new GraphQLScalarType<unknown, unknown>({
  name: 'JSON',
  serialize: (value) => value,
  parseValue: () => invalid('JSON', 'JSON is an output-only type'),
  parseLiteral: () => invalid('JSON', 'JSON is an output-only type'),
});

/** Validates a job id given as an ID (a bytes32 hex string). */
export function parseJobId(value: unknown): `0x${string}` {
  return parseBytes32(value, 'job id');
}

/** A decimal id of at most `max`: no sign, no leading zeros, nothing else. */
function parseDecimalId(value: unknown, what: string, max: bigint): bigint {
  if (typeof value !== 'string' || !/^(0|[1-9][0-9]{0,19})$/.test(value) || BigInt(value) > max) {
    throw new ApiError('BAD_USER_INPUT', `Invalid ${what}: expected a decimal integer from 0 to ${max}`);
  }
  return BigInt(value);
}

/** Parses a model id (LoomModels' uint32 ids; they start at 1) given as a decimal ID, e.g. "3". */
export function parseModelId(value: unknown): number {
  return Number(parseDecimalId(value, 'model id', 0xffff_ffffn));
}

/** Parses a worker pool id (the registry's uint64 ids; they start at 1) given as a decimal ID, e.g. "1". */
export function parsePoolId(value: unknown): bigint {
  return parseDecimalId(value, 'pool id', 0xffff_ffff_ffff_ffffn);
}

/** Parses an unsigned 32-bit integer (the contract's uint32 hardware fields). */
export function parseUInt32(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 0xffff_ffff) {
    invalid('UInt32', 'expected an integer from 0 to 4294967295');
  }
  return value;
}

export const UInt32Scalar = new GraphQLScalarType<number, number>({
  name: 'UInt32',
  serialize(value) {
    if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 0xffff_ffff) return value;
    throw new TypeError(`UInt32 cannot serialize ${String(value)}`);
  },
  parseValue: parseUInt32,
  parseLiteral(ast) {
    if (ast.kind !== Kind.INT) invalid('UInt32', `expected an integer, got ${ast.kind.toLowerCase()}`);
    return parseUInt32(Number(ast.value));
  },
});
