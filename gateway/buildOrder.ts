/**
 * An x402 order: the job a request body asks for, as the contract's `JobParams`, its spec bytes and
 * the client who pays. The 402 quote picks the order's salt and open deadline; the paid request
 * repeats the body and carries them back in `accepted.extra`, so both rebuild the same params, and
 * with them the same per-order deposit address (the x402 `payTo`). Checked with the SDK's
 * `buildJobParams` and the worker's spec parser: bad input is a 400 before anything is quoted.
 */
import { type Address, type Hex, getAddress, isAddress, keccak256, stringToHex, zeroAddress } from 'viem';
import { buildJobParams, TERMS_DEFAULTS, type JobParamsInput } from '../sdk/jobParams';
import { parseSpec, MAX_SPEC_BYTES } from '../sdk/spec/jobSpec';
import type { JobParams } from '../sdk/writes';

/** What `POST /x402/jobs` takes (amounts in the token's smallest unit, as decimal strings; durations in seconds). */
export type OrderBody = {
  client: string;
  spec: unknown;
  budget: string;
  token?: string;
  openFor?: number;
  executionTimeout?: number;
  challengeWindow?: number;
  minGpuCount?: number;
  minVramMiB?: number;
  gpuModel?: string;
  collateral?: string;
};

export type Order = { client: Address; spec: Hex; specHash: Hex; params: JobParams; openFor: number };

/** What the quote fixes and the paid request brings back (`accepted.extra`). */
export type Quoted = { salt: bigint; openUntil: number };

export type OrderResult = { ok: true; order: Order } | { ok: false; error: string; issues?: { field: string; message: string }[] };

const amount = (field: string, v: unknown): bigint | string => {
  if (typeof v !== 'string' || !/^\d{1,78}$/.test(v)) return `${field} must be a decimal string of the token's smallest unit (e.g. "1000000")`;
  return BigInt(v);
};

const seconds = (field: string, v: unknown, fallback: number): number | string => {
  if (v === undefined) return fallback;
  return typeof v === 'number' && Number.isInteger(v) ? v : `${field} must be a whole number of seconds`;
};

/**
 * The order `body` describes, for a quote made at `now` (chain seconds) or, with `quoted`, the one
 * that quote fixed. `offerTo`: the worker of a direct offer (`/x402/workers/<address>/jobs`).
 */
export function buildOrder(body: unknown, o: { now: number; defaultToken: Address; offerTo?: string; quoted?: Quoted }): OrderResult {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { ok: false, error: 'the body must be a JSON object: { client, spec, budget, ... }' };
  const b = body as OrderBody;
  if (typeof b.client !== 'string' || !isAddress(b.client, { strict: false }) || /^0x0{40}$/i.test(b.client)) return { ok: false, error: 'client must be the paying address (0x…)' };
  const client = getAddress(b.client);

  let token = o.defaultToken;
  if (b.token !== undefined) {
    if (typeof b.token !== 'string' || !isAddress(b.token, { strict: false })) return { ok: false, error: 'token must be a token address (0x…)' };
    token = getAddress(b.token);
  }
  // The exact scheme moves a token by signature (EIP-3009); ETH has no such thing.
  if (token === zeroAddress) return { ok: false, error: 'ETH cannot be paid over x402: the exact scheme needs a token with EIP-3009 (transferWithAuthorization), such as USDC' };

  // The spec as the chain will carry it: a JSON object's text, or the string as given.
  if (b.spec === undefined) return { ok: false, error: 'spec is missing: the job spec (a JSON object, or its text)' };
  const spec = typeof b.spec === 'string' ? stringToHex(b.spec) : stringToHex(JSON.stringify(b.spec));
  const specLength = (spec.length - 2) / 2;
  if (specLength > MAX_SPEC_BYTES) return { ok: false, error: `spec is ${specLength} bytes: at most ${MAX_SPEC_BYTES}` };
  const parsed = parseSpec(typeof b.spec === 'string' ? b.spec : JSON.stringify(b.spec));
  if (!parsed.ok) return { ok: false, error: `spec: ${parsed.reason}` };

  const budget = amount('budget', b.budget);
  if (typeof budget === 'string') return { ok: false, error: budget };
  const collateral = b.collateral === undefined ? 0n : amount('collateral', b.collateral);
  if (typeof collateral === 'string') return { ok: false, error: collateral };
  const openFor = seconds('openFor', b.openFor, TERMS_DEFAULTS.openFor);
  const executionTimeout = seconds('executionTimeout', b.executionTimeout, TERMS_DEFAULTS.executionTimeout);
  const challengeWindow = seconds('challengeWindow', b.challengeWindow, TERMS_DEFAULTS.challengeWindow);
  for (const v of [openFor, executionTimeout, challengeWindow]) if (typeof v === 'string') return { ok: false, error: v };
  for (const f of ['minGpuCount', 'minVramMiB'] as const) {
    if (b[f] !== undefined && (typeof b[f] !== 'number' || !Number.isInteger(b[f]))) return { ok: false, error: `${f} must be a whole number` };
  }
  if (b.gpuModel !== undefined && typeof b.gpuModel !== 'string') return { ok: false, error: 'gpuModel must be a string' };

  const input: JobParamsInput = {
    token,
    budget,
    collateral,
    openFor: openFor as number,
    executionTimeout: executionTimeout as number,
    challengeWindow: challengeWindow as number,
    ...(b.minGpuCount !== undefined ? { minGpuCount: b.minGpuCount } : {}),
    ...(b.minVramMiB !== undefined ? { minVramMiB: b.minVramMiB } : {}),
    ...(b.gpuModel !== undefined ? { gpuModel: b.gpuModel } : {}),
    ...(o.offerTo !== undefined ? { offerTo: o.offerTo } : {}),
    ...(o.quoted ? { salt: o.quoted.salt } : {}),
  };
  // The quote's deadline is its clock plus openFor: rebuild on that clock to get the same openUntil.
  const now = o.quoted ? o.quoted.openUntil - input.openFor : o.now;
  const built = buildJobParams(input, parsed.spec, { now });
  if (!built.ok) return { ok: false, error: built.issues.map((i) => `${i.field} ${i.message}`).join('; '), issues: built.issues };
  return { ok: true, order: { client, spec, specHash: keccak256(spec), params: built.params, openFor: input.openFor } };
}

/** `accepted.extra`'s salt and openUntil, or why they cannot be read. */
export function readQuoted(extra: Record<string, unknown> | undefined): Quoted | string {
  const salt = extra?.salt;
  const openUntil = extra?.openUntil;
  if (typeof salt !== 'string' || !/^\d{1,20}$/.test(salt)) return 'accepted.extra.salt is missing or not a decimal string: pay the quote this gateway made';
  if (typeof openUntil !== 'number' || !Number.isInteger(openUntil)) return 'accepted.extra.openUntil is missing or not a whole number: pay the quote this gateway made';
  return { salt: BigInt(salt), openUntil };
}
