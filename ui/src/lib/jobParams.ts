/**
 * The post form's terms as typed (amounts as text, durations in minutes and hours), turned into the
 * SDK's input for `buildJobParams` (a single-worker job) or `buildReplicatedParams` (a replicated
 * one), which check them against the contract's rules before anything is signed. The GPU requirement
 * comes from the spec's resources, so the terms and the spec agree. For a replicated job the budget
 * field is the price of one replica; the client escrows it once per replica. A job restricted to a
 * worker pool is a POOL-mode single job (its `offeredTo` the pool id as an address) or a replicated
 * job naming the pool.
 */
import { parseEther, zeroAddress, type Address } from 'viem';
import { buildJobParams, type JobParamsField } from '$sdk/jobParams';
import { REPLICATED_DEFAULTS, buildReplicatedParams, type ReplicatedParamsField } from '$sdk/replicatedParams';
import { parseAmount } from '$sdk/format/amounts';
import type { TokenInfo } from '$sdk/format/tokens';
import type { JobMode } from '$sdk/enums';
import type { JobSpec } from '$sdk/spec/jobSpec';
import type { JobParams, ReplicatedJobParams } from '$sdk/writes';
import { parsePoolId } from './hub/poolId';

export type TermsDraft = {
  token: Address;
  /** In the token's unit, as typed: "0.5". */
  budget: string;
  /** ETH, as typed. */
  collateral: string;
  mode: JobMode;
  /** The worker a direct offer goes to (mode DIRECT), as typed or picked; ignored in the other modes. */
  offerTo: string;
  /**
   * The pool whose members alone may take the job (its id, as picked or typed): needed in mode POOL,
   * optional for a replicated job (empty: any worker); ignored otherwise.
   */
  pool: string;
  openForMinutes: number | null;
  executionTimeoutMinutes: number | null;
  challengeWindowHours: number | null;
  /** A GPU model name the worker must have registered; empty: any. */
  gpuModel: string;
  /** Empty: the market's default arbiter. */
  arbiter: Address | '';
  /** Run on several workers (LoomReplicatedMarket); the budget is then one replica's price. */
  replicated: boolean;
  replicas: number | null;
  /** Null: a bare majority of the replicas. */
  quorum: number | null;
  commitWindowMinutes: number | null;
  revealWindowMinutes: number | null;
};

export function defaultTermsDraft(): TermsDraft {
  return {
    token: zeroAddress,
    budget: '',
    collateral: '0',
    mode: 'CLAIM',
    offerTo: '',
    pool: '',
    openForMinutes: 60,
    executionTimeoutMinutes: 30,
    challengeWindowHours: 24,
    gpuModel: '',
    arbiter: '',
    replicated: false,
    replicas: REPLICATED_DEFAULTS.replicas,
    quorum: null,
    commitWindowMinutes: REPLICATED_DEFAULTS.commitWindow / 60,
    revealWindowMinutes: REPLICATED_DEFAULTS.revealWindow / 60,
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
  offerTo: ['offerTo', 'the worker'],
  pool: ['pool', 'the pool'],
};

/** Where each of the replicated builder's fields sits on the form, and what the form calls it. */
const REPLICATED_FORM_FIELDS: Partial<Record<ReplicatedParamsField, [keyof TermsDraft, string]>> = {
  price: ['budget', 'the price per replica'],
  collateral: ['collateral', 'the collateral'],
  openFor: ['openForMinutes', 'the open period'],
  replicas: ['replicas', 'the number of replicas'],
  quorum: ['quorum', 'the quorum'],
  commitWindow: ['commitWindowMinutes', 'the commit window'],
  revealWindow: ['revealWindowMinutes', 'the reveal window'],
  gpuModel: ['gpuModel', 'the GPU model'],
};

type Ctx = { token: TokenInfo; now: number; salt?: bigint };

/** The amounts as typed, parsed; what does not parse, in words. */
function amounts(draft: TermsDraft, ctx: Ctx, issues: TermsIssue[]) {
  const budget = ctx.token.unknown ? undefined : parseAmount(draft.budget, ctx.token.decimals);
  if (budget === undefined) issues.push({ field: 'budget', message: `enter the ${draft.replicated ? 'price per replica' : 'budget'} in ${ctx.token.symbol}, e.g. 0.5` });
  let collateral: bigint | undefined;
  try {
    collateral = draft.collateral.trim() === '' ? 0n : parseEther(draft.collateral.trim().replace(/,/g, ''));
  } catch {
    issues.push({ field: 'collateral', message: 'enter the collateral in ETH, e.g. 0.1 (or 0)' });
  }
  return { budget, collateral };
}

/**
 * The contract's `ReplicatedParams` for a draft with `replicated` set, or the problems in words, each
 * on its field. A quorum left empty is a bare majority.
 */
export function draftReplicatedParams(
  draft: TermsDraft,
  spec: Pick<JobSpec, 'resources'> | undefined,
  ctx: Ctx,
): { ok: true; params: ReplicatedJobParams } | { ok: false; issues: TermsIssue[] } {
  const issues: TermsIssue[] = [];
  const { budget, collateral } = amounts(draft, ctx, issues);
  const pool = draft.pool.trim() ? parsePoolId(draft.pool) : undefined;
  if (pool && !pool.ok) issues.push({ field: 'pool', message: pool.message });
  const built = buildReplicatedParams(
    {
      token: draft.token,
      price: budget ?? 1n,
      collateral: collateral ?? 0n,
      replicas: draft.replicas ?? 0,
      ...(draft.quorum === null ? {} : { quorum: draft.quorum }),
      openFor: Math.round((draft.openForMinutes ?? 0) * 60),
      commitWindow: Math.round((draft.commitWindowMinutes ?? 0) * 60),
      revealWindow: Math.round((draft.revealWindowMinutes ?? 0) * 60),
      gpuModel: draft.gpuModel,
      ...(pool?.ok ? { pool: pool.pool } : {}),
      ...(ctx.salt === undefined ? {} : { salt: ctx.salt }),
    },
    spec,
    ctx,
  );
  if (!built.ok) {
    for (const i of built.issues) {
      const [field, name] = REPLICATED_FORM_FIELDS[i.field] ?? ['budget', i.field];
      issues.push({ field, message: `${name} ${i.message}` });
    }
  }
  if (issues.length || !built.ok) return { ok: false, issues };
  return built;
}

/** The contract's `JobParams` for the draft, or the problems in words, each on its field. */
export function draftJobParams(
  draft: TermsDraft,
  spec: Pick<JobSpec, 'resources'> | undefined,
  ctx: Ctx,
): { ok: true; params: JobParams } | { ok: false; issues: TermsIssue[] } {
  const issues: TermsIssue[] = [];
  const { budget, collateral } = amounts(draft, ctx, issues);
  const pool = draft.mode === 'POOL' ? parsePoolId(draft.pool) : undefined;
  if (pool && !pool.ok) issues.push({ field: 'pool', message: pool.message });

  const built = buildJobParams(
    {
      token: draft.token,
      budget: budget ?? 1n,
      collateral: collateral ?? 0n,
      mode: draft.mode,
      // Kept while another mode is picked, so switching back does not lose it; only DIRECT sends it.
      ...(draft.mode === 'DIRECT' ? { offerTo: draft.offerTo.trim() } : {}),
      ...(pool?.ok ? { pool: pool.pool } : {}),
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
      // A pool that does not parse was said already, on its field.
      if (i.field === 'pool' && pool && !pool.ok) continue;
      const [field, name] = FORM_FIELDS[i.field] ?? ['budget', i.field];
      issues.push({ field, message: `${name}${i.message.startsWith('"') ? ': ' : ' '}${i.message}` });
    }
  }
  if (issues.length || !built.ok) return { ok: false, issues };
  return built;
}
