/**
 * A pool's settings as typed (the fee in percent), checked against the registry's rules before they
 * are signed: a name of 1 to 64 bytes, an about-URL of at most 1024, a fee of at most
 * MAX_POOL_FEE_BPS (20%) in whole basis points.
 */
import { MAX_POOL_FEE_BPS, MAX_POOL_NAME_BYTES } from '$sdk/poolWrites';

export { MAX_POOL_FEE_BPS };
/** LoomRegistry.MAX_TEXT_BYTES: the longest about-URL. */
const MAX_TEXT_BYTES = 1024;

export type PoolDraft = { name: string; metadataURI: string; feePercent: string; approvalRequired: boolean };
export type PoolIssue = { field: keyof PoolDraft; message: string };
export type PoolSettings = { name: string; metadataURI: string; feeBps: number; approvalRequired: boolean };

const bytes = (s: string) => new TextEncoder().encode(s).length;

/** "2.5" (percent) -> 250 basis points, or a sentence saying why not. */
export function parseFeePercent(text: string): { ok: true; feeBps: number } | { ok: false; message: string } {
  const t = text.trim().replace(/%$/, '').trim();
  if (!/^\d+(\.\d{1,2})?$/.test(t)) return { ok: false, message: `enter the fee in percent, e.g. 5 or 2.5 (at most ${MAX_POOL_FEE_BPS / 100}%)` };
  const feeBps = Math.round(Number(t) * 100);
  if (feeBps > MAX_POOL_FEE_BPS) return { ok: false, message: `${t}% is above the registry's maximum of ${MAX_POOL_FEE_BPS / 100}%` };
  return { ok: true, feeBps };
}

export function draftPool(draft: PoolDraft): { ok: true; pool: PoolSettings } | { ok: false; issues: PoolIssue[] } {
  const issues: PoolIssue[] = [];
  const name = draft.name.trim();
  if (!name) issues.push({ field: 'name', message: 'the pool needs a name' });
  else if (bytes(name) > MAX_POOL_NAME_BYTES) issues.push({ field: 'name', message: `the name is ${bytes(name)} bytes; at most ${MAX_POOL_NAME_BYTES}` });
  const metadataURI = draft.metadataURI.trim();
  if (bytes(metadataURI) > MAX_TEXT_BYTES) issues.push({ field: 'metadataURI', message: `the URL is ${bytes(metadataURI)} bytes; at most ${MAX_TEXT_BYTES}` });
  const fee = parseFeePercent(draft.feePercent);
  if (!fee.ok) issues.push({ field: 'feePercent', message: fee.message });
  if (issues.length || !fee.ok) return { ok: false, issues };
  return { ok: true, pool: { name, metadataURI, feeBps: fee.feeBps, approvalRequired: draft.approvalRequired } };
}
