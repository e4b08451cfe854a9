/**
 * The post form's terms: budget, token, mode, deadlines, collateral and the GPU requirement, turned
 * into the contract's `JobParams` and checked against the contract's rules before anything is signed.
 */
import { parseEther, zeroAddress, type Address, type Hex } from 'viem';
import type { JobSpec } from '$sdk/spec/jobSpec';
import { encodeGpuModel, parseAmount } from './format';
import type { TokenInfo } from './tokens';
import { MAX_CHALLENGE_WINDOW, MAX_EXECUTION_TIMEOUT, MAX_OPEN_PERIOD, WORKER_RESERVE_SECONDS } from '$sdk/marketRules';
import type { JobParams } from '$sdk/writes';

const MAX_UINT96 = 2n ** 96n - 1n;

export type TermsDraft = {
  token: Address;
  /** In the token's unit, as typed: "0.5". */
  budget: string;
  /** ETH, as typed. */
  collateral: string;
  mode: 'CLAIM' | 'AUCTION';
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

/** A random uint64: makes the job id unique when the same terms are posted twice. */
export function randomSalt(): bigint {
  const words = crypto.getRandomValues(new Uint32Array(2));
  return (BigInt(words[0]!) << 32n) | BigInt(words[1]!);
}

/**
 * The contract's `JobParams` for the draft, or the problems in words. The GPU requirement comes from
 * the spec's resources, so the terms and the spec can never disagree.
 */
export function buildJobParams(
  draft: TermsDraft,
  spec: Pick<JobSpec, 'resources'> | undefined,
  ctx: { token: TokenInfo; now: number; salt?: bigint },
): { ok: true; params: JobParams } | { ok: false; issues: TermsIssue[] } {
  const issues: TermsIssue[] = [];
  const budget = ctx.token.unknown ? undefined : parseAmount(draft.budget, ctx.token.decimals);
  if (budget === undefined) issues.push({ field: 'budget', message: `enter the budget in ${ctx.token.symbol}, e.g. 0.5` });
  else if (budget === 0n) issues.push({ field: 'budget', message: 'the budget must be more than zero' });
  else if (budget > MAX_UINT96) issues.push({ field: 'budget', message: 'the budget is too large' });

  let collateral: bigint | undefined;
  try {
    collateral = draft.collateral.trim() === '' ? 0n : parseEther(draft.collateral.trim().replace(/,/g, ''));
    if (collateral < 0n) throw new Error();
    if (collateral > MAX_UINT96) issues.push({ field: 'collateral', message: 'the collateral is too large' });
  } catch {
    issues.push({ field: 'collateral', message: 'enter the collateral in ETH, e.g. 0.1 (or 0)' });
  }

  const openFor = (draft.openForMinutes ?? 0) * 60;
  if (!(openFor >= 60 && openFor <= MAX_OPEN_PERIOD)) issues.push({ field: 'openForMinutes', message: 'between 1 minute and 90 days' });

  const executionTimeout = Math.round((draft.executionTimeoutMinutes ?? 0) * 60);
  if (!(executionTimeout >= 60 && executionTimeout <= MAX_EXECUTION_TIMEOUT)) {
    issues.push({ field: 'executionTimeoutMinutes', message: 'between 1 minute and 30 days' });
  } else if (spec && spec.resources.timeoutSeconds + WORKER_RESERVE_SECONDS > executionTimeout) {
    issues.push({
      field: 'executionTimeoutMinutes',
      message: `must leave workers ${WORKER_RESERVE_SECONDS / 60} minutes beyond the run's timeout (${Math.ceil(
        (spec.resources.timeoutSeconds + WORKER_RESERVE_SECONDS) / 60,
      )} min at least)`,
    });
  }

  const challengeWindow = Math.round((draft.challengeWindowHours ?? -1) * 3600);
  if (!(challengeWindow >= 0 && challengeWindow <= MAX_CHALLENGE_WINDOW)) {
    issues.push({ field: 'challengeWindowHours', message: 'between 0 and 720 hours (30 days)' });
  }

  let gpuModel: Hex | undefined;
  try {
    gpuModel = encodeGpuModel(draft.gpuModel);
  } catch {
    issues.push({ field: 'gpuModel', message: 'at most 32 bytes' });
  }

  if (issues.length || budget === undefined || collateral === undefined || gpuModel === undefined) return { ok: false, issues };
  const gpus = spec?.resources.gpus ?? 0;
  return {
    ok: true,
    params: {
      token: draft.token,
      arbiter: draft.arbiter || zeroAddress,
      budget,
      collateral,
      mode: draft.mode === 'AUCTION' ? 1 : 0,
      openUntil: ctx.now + openFor,
      executionTimeout,
      challengeWindow,
      minGpuCount: gpus,
      minVramMiB: gpus > 0 ? (spec?.resources.vramMiB ?? 0) : 0,
      gpuModel,
      salt: ctx.salt ?? randomSalt(),
    },
  };
}

/** What posting costs the client and what the worker can expect, fee included (basis points). */
export function costSummary(budget: bigint, feeBps: number) {
  const fee = (budget * BigInt(feeBps)) / 10_000n;
  return { escrow: budget, fee, workerReceives: budget - fee };
}
