/**
 * A job spec file, read and checked with the SDK's parser (sdk/spec/jobSpec.ts), the one workers use, before any
 * transaction: a spec no worker would run is refused here, for free, rather than on-chain for gas.
 *
 * What is posted is the spec's compact JSON (whitespace costs calldata gas and counts toward the
 * contract's 8 KiB limit), and the terms carry keccak256 of exactly those bytes, as the contract
 * expects (`specHash`).
 */
import { readFile } from 'node:fs/promises';
import { type Hex, keccak256, toHex } from 'viem';
import { type JobSpec, MAX_SPEC_BYTES, parseSpec } from '../sdk/spec/jobSpec';
import { CliError } from './cliError';

export type SpecFile = {
  /** The resolved spec (defaults applied), to derive the GPU requirement and check deadlines. */
  spec: JobSpec;
  /** The bytes posted on-chain. */
  bytes: Hex;
  /** keccak256(bytes): the terms' `specHash`. */
  specHash: Hex;
};

/**
 * @example
 * const { bytes, specHash, spec } = await readSpecFile('train.json');
 */
export async function readSpecFile(path: string): Promise<SpecFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new CliError('BAD_INPUT', code === 'ENOENT' ? `spec file ${path}: no such file` : `spec file ${path}: ${(err as Error).message}`, { cause: err });
  }
  return specFromText(text, path);
}

/** The same, from the file's text (`path` only names it in messages). */
export function specFromText(text: string, path: string): SpecFile {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new CliError('BAD_INPUT', `spec file ${path} is not JSON: ${(err as Error).message}`);
  }
  const compact = JSON.stringify(value);
  const size = Buffer.byteLength(compact, 'utf8');
  if (size > MAX_SPEC_BYTES) throw new CliError('BAD_INPUT', `spec file ${path} is ${size} bytes as compact JSON, over the contract's ${MAX_SPEC_BYTES}-byte limit`);
  const parsed = parseSpec(compact);
  if (!parsed.ok) throw new CliError('BAD_INPUT', `spec file ${path} is not a valid job spec: ${parsed.reason}`);
  const bytes = toHex(compact);
  return { spec: parsed.spec, bytes, specHash: keccak256(bytes) };
}
