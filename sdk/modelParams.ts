/**
 * A model version's publication as the contract's `ModelParams`, checked against LoomModels.publish's
 * rules (a name; texts of at most MAX_TEXT_BYTES; files for weights and datasets, an image for an
 * IMAGE, never both; at most MAX_MODEL_FILES files) and against what workers can mount (each file
 * path relative and inside /models/<name>, each once) before anything is signed or uploaded. The
 * CLI's flags and the web form parse their own input into `ModelParamsInput` and get the same answer.
 */
import { type Address, type Hex, getAddress, isAddress, zeroAddress } from 'viem';
import { modelKindKeys } from '../abis/generated';
import { TERMS_BOUNDS } from './jobParams';
import type { ModelFile, ModelParams } from './modelWrites';
import { parseImageRef } from './spec/imageRef';

/** A model's kind as the API names it. */
export type ModelKind = (typeof modelKindKeys)[number];
export const MODEL_KINDS: readonly ModelKind[] = modelKindKeys;
/** The contract's ModelKind values by name: `MODEL_KIND.IMAGE` is 2. */
export const MODEL_KIND = Object.fromEntries(modelKindKeys.map((k, i) => [k, i])) as { readonly [K in ModelKind]: number };

/** LoomModels.MAX_MODEL_FILES. */
export const MAX_MODEL_FILES = 64;
/** LoomModels.MAX_TEXT_BYTES: the longest name, version, image, license URI or file path. */
export const MAX_MODEL_TEXT_BYTES = 256;

/** A file of a model as the creator names it: where it goes under /models/<name>, and its content's hash and size. */
export type ModelFileInput = { path: string; sha256: Hex | string; size: bigint | number };

export type ModelParamsInput = {
  name: string;
  version: string;
  kind: ModelKind;
  /** WEIGHTS and DATASET: the content (uploaded to the artifact store first: sdk/modelUpload.ts). */
  files?: readonly ModelFileInput[];
  /** IMAGE: the image, pinned by digest. */
  image?: string;
  licenseURI: string;
  /** The fee's token (zero address: ETH; default ETH). */
  token?: Address | string;
  /** What each job that uses the model pays its creator, in the token's smallest unit (default 0: free). */
  fee?: bigint;
  /** The version this one follows (same creator); default none. */
  previous?: number;
};

export type ModelParamsField = keyof ModelParamsInput;
/** A rule the input breaks, on the field it concerns, in words that read after the field's name. */
export type ModelParamsIssue = { field: ModelParamsField; message: string };

const utf8Length = (s: string) => new TextEncoder().encode(s).length;

/**
 * Why `path` cannot be a model file's path (relative, normalized, inside the model's directory), or
 * undefined when it can.
 *
 * @example
 * modelPathIssue('weights/model.safetensors') // undefined
 * modelPathIssue('../etc/passwd')             // 'must stay inside the model's directory: no "." or ".." parts'
 */
export function modelPathIssue(path: string): string | undefined {
  if (path.length === 0) return 'must not be empty';
  if (utf8Length(path) > MAX_MODEL_TEXT_BYTES) return `is over ${MAX_MODEL_TEXT_BYTES} bytes`;
  if (path.startsWith('/')) return 'must be relative to the model\'s directory (no leading "/")';
  if (/[\\\0]/.test(path)) return 'must not contain a backslash or a NUL';
  if (path.split('/').some((part) => part === '' || part === '.' || part === '..')) return 'must stay inside the model\'s directory: no "." or ".." parts, no empty ones';
  return undefined;
}

/**
 * The contract's `ModelParams` for the input, or every rule it breaks.
 *
 * @example
 * const r = buildModelParams({ name: 'llama-3-8b', version: '1', kind: 'WEIGHTS', files, licenseURI: 'https://…', fee: parseEther('0.01') });
 * if (r.ok) await writer.publishModel(r.params);
 */
export function buildModelParams(input: ModelParamsInput): { ok: true; params: ModelParams } | { ok: false; issues: ModelParamsIssue[] } {
  const issues: ModelParamsIssue[] = [];
  const issue = (field: ModelParamsField, message: string) => issues.push({ field, message });
  const text = (field: 'name' | 'version' | 'licenseURI', value: string) => {
    if (utf8Length(value) > MAX_MODEL_TEXT_BYTES) issue(field, `is over ${MAX_MODEL_TEXT_BYTES} bytes`);
  };

  if (input.name.trim().length === 0) issue('name', 'must not be empty');
  else if (input.name.includes('/') || input.name === '.' || input.name === '..') issue('name', 'names the directory under /models: no "/", not "." or ".."');
  text('name', input.name);
  text('version', input.version);
  text('licenseURI', input.licenseURI);

  const kind = input.kind;
  if (!MODEL_KINDS.includes(kind)) issue('kind', `must be one of ${MODEL_KINDS.map((k) => k.toLowerCase()).join(', ')}, not "${kind}"`);
  const files: ModelFile[] = [];
  let image = '';
  if (kind === 'IMAGE') {
    if (input.files?.length) issue('files', 'are for weights and datasets: an IMAGE model is its image');
    if (!input.image) issue('image', 'is needed for an IMAGE model (ref@sha256:…)');
    else {
      const parsed = parseImageRef(input.image);
      if (parsed.ok) image = parsed.ref.text;
      else issue('image', parsed.reason);
    }
  } else if (MODEL_KINDS.includes(kind)) {
    if (input.image) issue('image', `is for IMAGE models, not ${kind}`);
    const given = input.files ?? [];
    if (given.length === 0) issue('files', `are needed for a ${kind} model`);
    else if (given.length > MAX_MODEL_FILES) issue('files', `are ${given.length}, more than ${MAX_MODEL_FILES}`);
    const seen = new Set<string>();
    for (const f of given) {
      const why = modelPathIssue(f.path);
      if (why) issue('files', `"${f.path}" ${why}`);
      else if (seen.has(f.path)) issue('files', `"${f.path}" is named twice`);
      seen.add(f.path);
      const sha = String(f.sha256).replace(/^0x/, '');
      if (!/^[0-9a-fA-F]{64}$/.test(sha)) issue('files', `"${f.path}": sha256 must be 64 hex digits`);
      const size = BigInt(f.size);
      if (size < 0n || size >= 2n ** 64n) issue('files', `"${f.path}": size out of range`);
      files.push({ path: f.path, sha256: `0x${sha.toLowerCase()}` as Hex, size });
    }
  }

  let token: Address = zeroAddress;
  if (input.token !== undefined) {
    if (isAddress(input.token, { strict: false })) token = getAddress(input.token);
    else issue('token', `"${input.token}" is not an address`);
  }
  const fee = input.fee ?? 0n;
  if (fee < 0n || fee > TERMS_BOUNDS.amount.max) issue('fee', 'must be from 0 to what the contract can hold');
  const previous = input.previous ?? 0;
  if (!Number.isInteger(previous) || previous < 0 || previous > 0xffff_ffff) issue('previous', 'must be a model id');

  if (issues.length) return { ok: false, issues };
  return {
    ok: true,
    params: { name: input.name, version: input.version, kind: MODEL_KIND[kind], files, image, licenseURI: input.licenseURI, token, fee, previous },
  };
}
