/**
 * The publish form's model as typed, turned into LoomModels.publish's `ModelParams`, with the
 * contract's rules checked first (a name; weights and datasets list 1 to 64 files by sha256, an image
 * is pinned by digest; texts up to 256 bytes; the fee in the chosen token) so the form says what to
 * fix before anything is uploaded or signed.
 */
import { isHex, zeroAddress, type Address } from 'viem';
import { parseAmount } from '$sdk/format/amounts';
import type { TokenInfo } from '$sdk/format/tokens';
import { parseImageRef } from '$sdk/spec/imageRef';
import type { ModelParams } from '$lib/contract/marketWrites';
import { MODEL_KINDS, type ModelKind } from './modelFilters';

/** LoomModels.MAX_MODEL_FILES and MAX_TEXT_BYTES (256, less than the markets' 1024). */
export const MAX_MODEL_FILES = 64;
export const MAX_TEXT_BYTES = 256;
const MAX_FEE = 2n ** 96n - 1n;
const MAX_MODEL_ID = 2 ** 32 - 1;

/** A file of the model: picked in the browser (hashed there), or typed by its sha256 and size. */
export type DraftFile = { path: string; sha256: string; size: number | null };

export type PublishDraft = {
  name: string;
  version: string;
  kind: ModelKind;
  files: DraftFile[];
  image: string;
  licenseURI: string;
  token: Address;
  /** In the token's unit, as typed; empty: free. */
  fee: string;
  /** The version this one follows (a model id), as typed; empty: a first version. */
  previous: string;
};

export type PublishField = 'name' | 'version' | 'files' | 'image' | 'licenseURI' | 'fee' | 'previous';
export type PublishIssue = { field: PublishField; message: string };

export const defaultPublishDraft = (): PublishDraft => ({
  name: '',
  version: '1.0',
  kind: 'WEIGHTS',
  files: [],
  image: '',
  licenseURI: '',
  token: zeroAddress,
  fee: '',
  previous: '',
});

const bytes = (s: string) => new TextEncoder().encode(s).length;

/** The contract's `ModelParams` for the draft, or every problem, each on its field. */
export function draftModelParams(draft: PublishDraft, token: TokenInfo): { ok: true; params: ModelParams } | { ok: false; issues: PublishIssue[] } {
  const issues: PublishIssue[] = [];
  const issue = (field: PublishField, message: string) => issues.push({ field, message });
  const tooLong = (field: PublishField, what: string, text: string) => bytes(text) > MAX_TEXT_BYTES && issue(field, `${what} is ${bytes(text)} bytes; at most ${MAX_TEXT_BYTES}`);

  const name = draft.name.trim();
  if (!name) issue('name', 'the model needs a name');
  tooLong('name', 'the name', name);
  const version = draft.version.trim();
  if (!version) issue('version', 'name the version, e.g. 1.0');
  tooLong('version', 'the version', version);
  const licenseURI = draft.licenseURI.trim();
  tooLong('licenseURI', 'the license URI', licenseURI);

  const isImage = draft.kind === 'IMAGE';
  let image = '';
  if (isImage) {
    const parsed = parseImageRef(draft.image.trim());
    if (!parsed.ok) issue('image', parsed.reason);
    else image = draft.image.trim();
  } else {
    if (draft.files.length === 0) issue('files', 'add the files of the model (at least one)');
    if (draft.files.length > MAX_MODEL_FILES) issue('files', `a model has at most ${MAX_MODEL_FILES} files, not ${draft.files.length}`);
    const paths = new Set<string>();
    for (const f of draft.files) {
      const path = f.path.trim();
      if (!path) issue('files', 'every file needs a path');
      else if (path.startsWith('/') || path.split('/').includes('..')) issue('files', `"${path}": a path is relative to the model's folder, without ".."`);
      else if (paths.has(path)) issue('files', `"${path}" is listed twice`);
      paths.add(path);
      tooLong('files', `the path "${path.slice(0, 20)}…"`, path);
      if (!isHex(f.sha256) || f.sha256.length !== 66) issue('files', `"${path || '?'}": the sha256 is 0x and 64 hex digits`);
      if (f.size === null || !Number.isSafeInteger(f.size) || f.size < 0) issue('files', `"${path || '?'}": the size is a whole number of bytes`);
    }
  }

  let fee = 0n;
  if (draft.fee.trim()) {
    const parsed = token.unknown ? undefined : parseAmount(draft.fee, token.decimals);
    if (parsed === undefined) issue('fee', `enter the fee per job in ${token.symbol}, e.g. 0.01 (or leave it empty: free)`);
    else if (parsed > MAX_FEE) issue('fee', 'the fee is more than the contract can hold');
    else fee = parsed;
  }

  let previous = 0;
  if (draft.previous.trim()) {
    const p = Number(draft.previous.trim());
    if (!Number.isInteger(p) || p < 1 || p > MAX_MODEL_ID) issue('previous', `"${draft.previous.trim()}" is not a model id`);
    else previous = p;
  }

  if (issues.length) return { ok: false, issues };
  return {
    ok: true,
    params: {
      name,
      version,
      kind: MODEL_KINDS.indexOf(draft.kind),
      files: isImage ? [] : draft.files.map((f) => ({ sha256: f.sha256.toLowerCase() as `0x${string}`, size: BigInt(f.size!), path: f.path.trim() })),
      image,
      licenseURI,
      token: token.address as Address,
      fee,
      previous,
    },
  };
}
