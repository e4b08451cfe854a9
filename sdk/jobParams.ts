/**
 * A job's terms as the contract's `JobParams`, checked against the contract's rules
 * (contracts/src/LoomMarket.sol postJob, contracts/src/base/MarketConfig.sol bounds) and against the
 * spec before anything is signed: a post that would revert, or that no worker would take, costs no
 * transaction. Every client (the CLI's flags, the web form) parses its own input into `JobParamsInput`
 * and gets the same answer here, with the same bounds.
 */
import { getAddress, isAddress, zeroAddress, zeroHash, type Address, type Hex } from 'viem';
import { MODE, type JobMode } from './enums';
import { formatDuration } from './format/durations';
import { encodeGpuModel } from './format/requirements';
import { MAX_CHALLENGE_WINDOW, MAX_EXECUTION_TIMEOUT, MAX_OPEN_PERIOD, WORKER_RESERVE_SECONDS } from './marketRules';
import type { JobSpec } from './spec/jobSpec';
import type { JobParams } from './writes';

/** What a client chooses, in the contract's units: seconds, and amounts in the token's smallest unit. */
export type JobParamsInput = {
  /** The payment token (zero address: ETH). */
  token: Address;
  budget: bigint;
  /** ETH the assigned worker locks. Default 0. */
  collateral?: bigint;
  /** Default CLAIM, DIRECT when `offerTo` is given, POOL when `pool` is. */
  mode?: JobMode;
  /** The worker a DIRECT job is offered to (it alone may claim it); only for DIRECT. */
  offerTo?: string;
  /** The worker pool (LoomRegistry pool id) whose members alone may claim a POOL job; only for POOL. */
  pool?: bigint;
  /** Seconds from now during which the job can be claimed or bid on. */
  openFor: number;
  /** Seconds from assignment to the result deadline. */
  executionTimeout: number;
  /** Seconds after the result during which the client may dispute. */
  challengeWindow: number;
  /** Default: the spec's resources.gpus; never fewer. */
  minGpuCount?: number;
  /** Default: the spec's resources.vramMiB (0 for a CPU job); never less. */
  minVramMiB?: number;
  /** A GPU model name workers register; empty or absent: any. */
  gpuModel?: string;
  /** Absent or zero: the market's default arbiter. */
  arbiter?: string;
  /** Default: random. */
  salt?: bigint;
};

export type JobParamsField = keyof JobParamsInput;
/** A rule the input breaks, on the field it concerns, in words that read after the field's name. */
export type JobParamsIssue = { field: JobParamsField; message: string };

/** Defaults for the terms a client leaves out (seconds). */
export const TERMS_DEFAULTS = { mode: 'CLAIM', openFor: 3600, executionTimeout: 1800, challengeWindow: 86_400, collateral: 0n } as const;

/**
 * The one set of bounds. The contract refuses an `openUntil` before the block (so at least one
 * second of open period) or past MAX_OPEN_PERIOD, a zero or too long execution timeout, a challenge
 * window over MAX_CHALLENGE_WINDOW, and amounts that do not fit its uint96 fields.
 */
export const TERMS_BOUNDS = {
  openFor: { min: 1, max: MAX_OPEN_PERIOD },
  executionTimeout: { min: 1, max: MAX_EXECUTION_TIMEOUT },
  challengeWindow: { min: 0, max: MAX_CHALLENGE_WINDOW },
  amount: { max: 2n ** 96n - 1n },
  gpuCount: { max: 0xffff },
  vramMiB: { max: 0xffff_ffff },
  salt: { max: 2n ** 64n - 1n },
  pool: { max: 2n ** 64n - 1n },
} as const;

/**
 * A pool id as a POOL job's `offeredTo`: the id as a 20-byte address (pool 1 is 0x00…01), the way
 * LoomMarket keeps it (`address(uint160(poolId))`).
 */
export function poolAddress(poolId: bigint): Address {
  return getAddress(`0x${poolId.toString(16).padStart(40, '0')}`);
}

/** A random uint64: makes the job id unique when the same terms are posted twice. */
export function randomSalt(): bigint {
  const words = crypto.getRandomValues(new Uint32Array(2));
  return (BigInt(words[0]!) << 32n) | BigInt(words[1]!);
}

const between = (field: 'openFor' | 'executionTimeout' | 'challengeWindow', value: number): string | undefined => {
  const { min, max } = TERMS_BOUNDS[field];
  if (Number.isInteger(value) && value >= min && value <= max) return undefined;
  return min === 0 ? `must be at most ${formatDuration(max)}` : `must be between ${formatDuration(min)} and ${formatDuration(max)}`;
};

/**
 * The contract's `JobParams` for the input, or every rule it breaks. The GPU requirement defaults to
 * the spec's resources and may ask for more, never less (a smaller machine would take the job and
 * fail to run it).
 *
 * @example
 * const r = buildJobParams({ token: zeroAddress, budget: parseEther('0.5'), openFor: 3600, executionTimeout: 1800, challengeWindow: 86400 }, spec, { now });
 * if (r.ok) await writer.postJob({ terms: r.params, spec: bytes });
 */
export function buildJobParams(
  input: JobParamsInput,
  spec: Pick<JobSpec, 'resources'> | undefined,
  ctx: { now: number },
): { ok: true; params: JobParams } | { ok: false; issues: JobParamsIssue[] } {
  const issues: JobParamsIssue[] = [];
  const issue = (field: JobParamsField, message: string | undefined) => message && issues.push({ field, message });
  const { amount } = TERMS_BOUNDS;

  if (input.budget <= 0n) issue('budget', 'must be more than zero');
  else if (input.budget > amount.max) issue('budget', 'is more than the contract can hold');
  const collateral = input.collateral ?? TERMS_DEFAULTS.collateral;
  if (collateral < 0n || collateral > amount.max) issue('collateral', 'must be from 0 to what the contract can hold');

  issue('openFor', between('openFor', input.openFor));
  const timeoutIssue = between('executionTimeout', input.executionTimeout);
  issue('executionTimeout', timeoutIssue);
  const needed = spec ? spec.resources.timeoutSeconds + WORKER_RESERVE_SECONDS : 0;
  if (!timeoutIssue && input.executionTimeout < needed) {
    issue(
      'executionTimeout',
      `is shorter than the spec's run timeout (resources.timeoutSeconds, ${formatDuration(spec!.resources.timeoutSeconds)}) plus the ` +
        `${formatDuration(WORKER_RESERVE_SECONDS)} workers keep for inputs and the upload: use at least ${formatDuration(needed)}`,
    );
  }
  issue('challengeWindow', between('challengeWindow', input.challengeWindow));

  const specGpus = spec?.resources.gpus ?? 0;
  const specVram = specGpus > 0 ? (spec?.resources.vramMiB ?? 0) : 0;
  const minGpuCount = input.minGpuCount ?? specGpus;
  const minVramMiB = input.minVramMiB ?? specVram;
  if (!Number.isInteger(minGpuCount) || minGpuCount < 0 || minGpuCount > TERMS_BOUNDS.gpuCount.max) issue('minGpuCount', `must be a whole number from 0 to ${TERMS_BOUNDS.gpuCount.max}`);
  else if (minGpuCount < specGpus) issue('minGpuCount', `${minGpuCount} is below the spec's resources.gpus (${specGpus})`);
  if (!Number.isInteger(minVramMiB) || minVramMiB < 0 || minVramMiB > TERMS_BOUNDS.vramMiB.max) issue('minVramMiB', 'must be a whole number of MiB up to 4 TiB');
  else if (minVramMiB < specVram) issue('minVramMiB', `${minVramMiB} MiB is below the spec's resources.vramMiB (${specVram})`);

  let gpuModel: Hex = zeroHash;
  try {
    gpuModel = encodeGpuModel(input.gpuModel ?? '');
  } catch (err) {
    issue('gpuModel', (err as Error).message);
  }

  const mode: JobMode = input.mode ?? (input.offerTo ? 'DIRECT' : input.pool !== undefined ? 'POOL' : TERMS_DEFAULTS.mode);
  let offeredTo: Address = zeroAddress;
  if (mode === 'DIRECT') {
    if (!input.offerTo) issue('offerTo', 'is needed for a DIRECT job: the worker it is offered to');
    else if (!isAddress(input.offerTo, { strict: false }) || /^0x0{40}$/i.test(input.offerTo)) issue('offerTo', `"${input.offerTo}" is not a worker's address`);
    else offeredTo = getAddress(input.offerTo);
  } else if (input.offerTo) {
    issue('offerTo', `makes a DIRECT job, not ${mode}`);
  }
  if (mode === 'POOL') {
    if (input.pool === undefined) issue('pool', 'is needed for a POOL job: the pool whose members may claim it');
    else if (input.pool <= 0n || input.pool > TERMS_BOUNDS.pool.max) issue('pool', `must be a pool id from 1 to 2^64-1, not ${input.pool}`);
    else offeredTo = poolAddress(input.pool);
  } else if (input.pool !== undefined) {
    issue('pool', `makes a POOL job, not ${mode}`);
  }

  let arbiter: Address = zeroAddress;
  if (input.arbiter) {
    if (isAddress(input.arbiter, { strict: false })) arbiter = getAddress(input.arbiter);
    else issue('arbiter', `"${input.arbiter}" is not an address`);
  }

  const salt = input.salt ?? randomSalt();
  if (salt < 0n || salt > TERMS_BOUNDS.salt.max) issue('salt', 'must be an integer from 0 to 2^64-1');

  if (issues.length) return { ok: false, issues };
  return {
    ok: true,
    params: {
      token: input.token,
      arbiter,
      budget: input.budget,
      collateral,
      mode: MODE[mode],
      offeredTo,
      openUntil: ctx.now + input.openFor,
      executionTimeout: input.executionTimeout,
      challengeWindow: input.challengeWindow,
      minGpuCount,
      minVramMiB,
      gpuModel,
      salt,
    },
  };
}

/** What posting costs the client and what the worker can expect, fee included (basis points). */
export function costSummary(budget: bigint, feeBps: number) {
  const fee = (budget * BigInt(feeBps)) / 10_000n;
  return { escrow: budget, fee, workerReceives: budget - fee };
}
