/**
 * A job spec file, read and checked with the SDK's parser (sdk/spec/jobSpec.ts), the one workers use, before any
 * transaction: a spec no worker would run is refused here, for free, rather than on-chain for gas.
 *
 * `loom job post --image <ref@sha256:…>` sets the spec's image (replacing the file's), or is the whole
 * spec when no file is given: an image spec without command or script runs the image's default
 * (Entrypoint + Cmd). The reference is checked with the SDK's `parseImageRef` first, so a tag alone is
 * refused with its reason before anything else is read.
 *
 * What is posted is the spec's compact JSON (whitespace costs calldata gas and counts toward the
 * contract's 8 KiB limit), and the terms carry keccak256 of exactly those bytes, as the contract
 * expects (`specHash`).
 */
import { readFile } from 'node:fs/promises';
import { type Hex, keccak256, toHex } from 'viem';
import { type ImageRef, parseImageRef } from '../sdk/spec/imageRef';
import { type JobSpec, MAX_SPEC_BYTES, parseSpec } from '../sdk/spec/jobSpec';
import { CliError } from './cliError';

export type SpecFile = {
  /** The resolved spec (defaults applied), to derive the GPU requirement and check deadlines. */
  spec: JobSpec;
  /** The bytes posted on-chain. */
  bytes: Hex;
  /** keccak256(bytes): the terms' `specHash`. */
  specHash: Hex;
  /** The JSON value posted (`bytes` parsed back), as the API's `specJson` will show it. */
  value: unknown;
};

/** What the command line sets over the file's spec. */
export type SpecOverrides = {
  /** `--image`: replaces the file's `image`, posted as written (the worker parses it the same way). */
  image?: string;
};

/**
 * @example
 * const { bytes, specHash, spec } = await readSpecFile('train.json');
 * const pinned = await readSpecFile('train.json', { image: 'nvcr.io/nvidia/pytorch:24.05-py3@sha256:…' });
 */
export async function readSpecFile(path: string, overrides: SpecOverrides = {}): Promise<SpecFile> {
  if (overrides.image !== undefined) checkImageFlag(overrides.image);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new CliError('BAD_INPUT', code === 'ENOENT' ? `spec file ${path}: no such file` : `spec file ${path}: ${(err as Error).message}`, { cause: err });
  }
  return specFromText(text, path, overrides);
}

/** The same, from the file's text (`path` only names it in messages). */
export function specFromText(text: string, path: string, overrides: SpecOverrides = {}): SpecFile {
  if (overrides.image !== undefined) checkImageFlag(overrides.image);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new CliError('BAD_INPUT', `spec file ${path} is not JSON: ${(err as Error).message}`);
  }
  // A spec that is not an object keeps its shape, so the parser names what is wrong with it.
  if (overrides.image !== undefined && typeof value === 'object' && value !== null && !Array.isArray(value)) value = { ...value, image: overrides.image };
  return specFromValue(value, `spec file ${path}`);
}

/**
 * The spec `--image` alone describes: version 1 and the image, whose default command runs with the
 * spec's default resources.
 *
 * @example
 * specFromImage('busybox:1.36@sha256:…').spec.argv // []: the image's Entrypoint + Cmd
 */
export function specFromImage(image: string): SpecFile {
  checkImageFlag(image);
  return specFromValue({ version: 1, image }, 'the spec from --image');
}

/** `--image`'s reference, or a BAD_INPUT error with parseImageRef's reason (e.g. a tag alone). */
export function checkImageFlag(image: string): ImageRef {
  const r = parseImageRef(image);
  if (!r.ok) throw new CliError('BAD_INPUT', `--image: ${r.reason}`);
  return r.ref;
}

function specFromValue(value: unknown, source: string): SpecFile {
  const compact = JSON.stringify(value);
  const size = Buffer.byteLength(compact, 'utf8');
  if (size > MAX_SPEC_BYTES) throw new CliError('BAD_INPUT', `${source} is ${size} bytes as compact JSON, over the contract's ${MAX_SPEC_BYTES}-byte limit`);
  const parsed = parseSpec(compact);
  if (!parsed.ok) throw new CliError('BAD_INPUT', `${source} is not a valid job spec: ${parsed.reason}`);
  const bytes = toHex(compact);
  return { spec: parsed.spec, bytes, specHash: keccak256(bytes), value };
}
