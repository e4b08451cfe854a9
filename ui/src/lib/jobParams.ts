/**
 * The post form's terms as typed (amounts as text, durations in minutes and hours), turned into the
 * SDK's input for `buildJobParams`, which checks them against the contract's rules before anything
 * is signed. The GPU requirement comes from the spec's resources, so the terms and the spec agree.
 */
import { parseEther, zeroAddress, type Address } from 'viem';
import { buildJobParams, type JobParamsField } from '$sdk/jobParams';
import { parseAmount } from '$sdk/format/amounts';
import type { TokenInfo } from '$sdk/format/tokens';
import type { JobMode } from '$sdk/enums';
import type { JobSpec } from '$sdk/spec/jobSpec';
import type { JobParams } from '$sdk/writes';

export type TermsDraft = {
  token: Address;
  /** In the token's unit, as typed: "0.5". */
  budget: string;
  /** ETH, as typed. */
  collateral: string;
  mode: JobMode;
  openForMinutes: number | null;
  executionTimeoutMinutes: number | null;
  challengeWindowHours: number | null;
  /** A GPU model name the worker must have registered; empty: any. */
  gpuModel: string;
  /** Empty: the market's default arbiter. */
  arbiter: Address | '';
};

export function defaultTermsDraft(): TermsDraft {
  return {
    token: zeroAddress,
    budget: '',
    collateral: '0',
    mode: 'CLAIM',
    openForMinutes: 60,
    executionTimeoutMinutes: 30,
    challengeWindowHours: 24,
    gpuModel: '',
    arbiter: '',
  };
}

export type TermsIssue = { field: keyof TermsDraft; message: string };

/** Where each of the SDK's fields sits on the form, and what the form calls it. */
const FORM_FIELDS: Partial<Record<JobParamsField, [keyof TermsDraft, string]>> = {
  budget: ['budget', 'the budget'],
  collateral: ['collateral', 'the collateral'],
  openFor: ['openForMinutes', 'the open period'],
  executionTimeout: ['executionTimeoutMinutes', 'the execution timeout'],
  challengeWindow: ['challengeWindowHours', 'the challenge window'],
  gpuModel: ['gpuModel', 'the GPU model'],
  arbiter: ['arbiter', 'the arbiter'],
};

/** The contract's `JobParams` for the draft, or the problems in words, each on its field. */
export function draftJobParams(
  draft: TermsDraft,
  spec: Pick<JobSpec, 'resources'> | undefined,
  ctx: { token: TokenInfo; now: number; salt?: bigint },
): { ok: true; params: JobParams } | { ok: false; issues: TermsIssue[] } {
  const issues: TermsIssue[] = [];
  const budget = ctx.token.unknown ? undefined : parseAmount(draft.budget, ctx.token.decimals);
  if (budget === undefined) issues.push({ field: 'budget', message: `enter the budget in ${ctx.token.symbol}, e.g. 0.5` });
  let collateral: bigint | undefined;
  try {
    collateral = draft.collateral.trim() === '' ? 0n : parseEther(draft.collateral.trim().replace(/,/g, ''));
  } catch {
    issues.push({ field: 'collateral', message: 'enter the collateral in ETH, e.g. 0.1 (or 0)' });
  }

  const built = buildJobParams(
    {
      token: draft.token,
      budget: budget ?? 1n,
      collateral: collateral ?? 0n,
      mode: draft.mode,
      openFor: Math.round((draft.openForMinutes ?? 0) * 60),
      executionTimeout: Math.round((draft.executionTimeoutMinutes ?? 0) * 60),
      challengeWindow: Math.round((draft.challengeWindowHours ?? -1) * 3600),
      gpuModel: draft.gpuModel,
      arbiter: draft.arbiter,
      ...(ctx.salt === undefined ? {} : { salt: ctx.salt }),
    },
    spec,
    ctx,
  );
  if (!built.ok) {
    for (const i of built.issues) {
      const [field, name] = FORM_FIELDS[i.field] ?? ['budget', i.field];
      issues.push({ field, message: `${name} ${i.message}` });
    }
  }
  if (issues.length || !built.ok) return { ok: false, issues };
  return built;
}
