/**
 * The publish form's model as typed (the fee in the token's unit, the version it follows as text),
 * handed to the SDK's `buildModelParams`, which checks LoomModels.publish's rules and what workers can
 * mount (a name that is a directory under /models; weights and datasets list 1 to 64 files by sha256,
 * with relative paths; an image is pinned by digest; texts of at most 256 bytes), so the form says
 * what to fix, on its field, before anything is uploaded or signed.
 */
import { type Address, zeroAddress } from 'viem';
import { parseAmount } from '$sdk/format/amounts';
import type { TokenInfo } from '$sdk/format/tokens';
import { MAX_MODEL_FILES, buildModelParams, type ModelKind, type ModelParamsField } from '$sdk/modelParams';
import type { ModelParams } from '$sdk/modelWrites';

export { MAX_MODEL_FILES };

/** A file of the model, picked in the browser and hashed there. */
export type DraftFile = { path: string; sha256: string; size: number };

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

/** Where each of the SDK's fields sits on the form, and what the form calls it. */
const FORM_FIELDS: Record<ModelParamsField, [PublishField, string]> = {
  name: ['name', 'the name'],
  version: ['version', 'the version'],
  kind: ['files', 'the kind'],
  files: ['files', 'the files'],
  image: ['image', 'the image'],
  licenseURI: ['licenseURI', 'the license'],
  token: ['fee', 'the fee token'],
  fee: ['fee', 'the fee'],
  previous: ['previous', 'the previous version'],
};

/** The contract's `ModelParams` for the draft, or every problem, each on its field. */
export function draftModelParams(draft: PublishDraft, token: TokenInfo): { ok: true; params: ModelParams } | { ok: false; issues: PublishIssue[] } {
  const issues: PublishIssue[] = [];
  const version = draft.version.trim();
  if (!version) issues.push({ field: 'version', message: 'name the version, e.g. 1.0' });
  let fee = 0n;
  if (draft.fee.trim()) {
    const parsed = token.unknown ? undefined : parseAmount(draft.fee, token.decimals);
    if (parsed === undefined) issues.push({ field: 'fee', message: `enter the fee per job in ${token.symbol}, e.g. 0.01 (or leave it empty: free)` });
    else fee = parsed;
  }
  let previous = 0;
  if (draft.previous.trim()) {
    const p = Number(draft.previous.trim());
    if (!Number.isInteger(p) || p < 1) issues.push({ field: 'previous', message: `"${draft.previous.trim()}" is not a model id` });
    else previous = p;
  }
  const isImage = draft.kind === 'IMAGE';
  const built = buildModelParams({
    name: draft.name.trim(),
    version,
    kind: draft.kind,
    ...(isImage ? { image: draft.image.trim() } : { files: draft.files }),
    licenseURI: draft.licenseURI.trim(),
    token: token.address,
    fee,
    previous,
  });
  if (!built.ok) {
    for (const i of built.issues) {
      const [field, name] = FORM_FIELDS[i.field];
      // A file's problem names the file; the image parser's reasons are sentences of their own.
      issues.push({ field, message: /^("|the )/.test(i.message) ? i.message : `${name} ${i.message}` });
    }
  }
  if (issues.length || !built.ok) return { ok: false, issues };
  return built;
}
