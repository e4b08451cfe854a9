/**
 * `job post`'s flags as the SDK's job parameters: each flag parsed in the CLI's syntax (amounts in the
 * token's unit, durations like 1h30m, sizes like 40GiB), then checked by the SDK (`buildJobParams`,
 * or `buildReplicatedParams` with `--replicas`) against the contract's rules and the spec, so that a
 * post that would revert, or that no worker would take, costs no transaction. A refusal names its flag.
 *
 * With `--replicas n` the job is replicated (LoomReplicatedMarket): `--budget` is then the price of
 * one replica, what each of the n workers earns before the fee (as a claim job's budget is its one
 * worker's price), and the client escrows n times it. The single job's `--mode`, `--offer-to`, `--arbiter`,
 * `--execution-timeout` and `--challenge-window` mean nothing there and are refused, as are the
 * replication flags without `--replicas`.
 *
 * `--offer-to <worker>` makes a direct offer (mode direct, implied): only that worker may claim the
 * job; `--mode direct` without it is refused with the SDK's words, as is `--offer-to` with another mode.
 * `--pool <id>` restricts the job to a worker pool's members (mode pool, implied; a replicated job's
 * slots likewise), and excludes `--offer-to`.
 */
import { type Address } from 'viem';
import type { TokenInfo } from '../../sdk/format/tokens';
import { buildJobParams, type JobParamsField } from '../../sdk/jobParams';
import { REPLICATED_DEFAULTS, buildReplicatedParams, type ReplicatedParamsField } from '../../sdk/replicatedParams';
import type { JobSpec } from '../../sdk/spec/jobSpec';
import type { JobParams, ReplicatedJobParams } from '../../sdk/writes';
import { formatDuration } from '../../sdk/format/durations';
import { badInput } from '../cliError';
import { parseAmount, parseCount, parseMiB } from './parseAmount';
import { parseDuration } from './parseDuration';
import { parsePoolId } from './parseIds';

/** The `job post` flags that shape the terms (strings as typed). */
export type TermsFlags = {
  budget?: string;
  collateral?: string;
  mode?: string;
  'offer-to'?: string;
  pool?: string;
  'open-for'?: string;
  'execution-timeout'?: string;
  'challenge-window'?: string;
  'min-gpus'?: string;
  'min-vram'?: string;
  'gpu-model'?: string;
  arbiter?: string;
  salt?: string;
  replicas?: string;
  quorum?: string;
  'commit-window'?: string;
  'reveal-window'?: string;
};

/** The defaults as the flags spell them (the SDK's defaults, in the CLI's duration syntax). */
export const TERMS_DEFAULTS = {
  mode: 'claim',
  openFor: '1h',
  executionTimeout: '30m',
  challengeWindow: '24h',
  collateral: '0',
  commitWindow: formatDuration(REPLICATED_DEFAULTS.commitWindow).replace(/ /g, ''),
  revealWindow: formatDuration(REPLICATED_DEFAULTS.revealWindow).replace(/ /g, ''),
} as const;

/** Flags of a single-worker job only, and of a replicated job only. */
const SINGLE_ONLY = ['mode', 'offer-to', 'arbiter', 'execution-timeout', 'challenge-window'] as const;
const REPLICATED_ONLY = ['quorum', 'commit-window', 'reveal-window'] as const;

const FLAG_OF: Record<JobParamsField | ReplicatedParamsField, string> = {
  token: '--token',
  budget: '--budget',
  price: '--budget',
  collateral: '--collateral',
  mode: '--mode',
  offerTo: '--offer-to',
  pool: '--pool',
  openFor: '--open-for',
  executionTimeout: '--execution-timeout',
  challengeWindow: '--challenge-window',
  minGpuCount: '--min-gpus',
  minVramMiB: '--min-vram',
  gpuModel: '--gpu-model',
  arbiter: '--arbiter',
  salt: '--salt',
  replicas: '--replicas',
  quorum: '--quorum',
  commitWindow: '--commit-window',
  revealWindow: '--reveal-window',
};

type Ctx = { token: TokenInfo; now: number; salt?: bigint };

/** What both kinds of job take from the flags, parsed. */
function sharedInput(flags: TermsFlags, ctx: Ctx) {
  if (flags.budget === undefined) {
    badInput(`--budget is required (in ${ctx.token.symbol}, e.g. --budget 0.5${flags.replicas === undefined ? '' : ': the price of one replica'})`);
  }
  let salt = ctx.salt;
  if (flags.salt !== undefined) {
    if (!/^\d{1,20}$/.test(flags.salt)) badInput(`--salt must be an integer from 0 to 2^64-1, not "${flags.salt}"`);
    salt = BigInt(flags.salt);
  }
  return {
    token: ctx.token.address as Address,
    budget: parseAmount(flags.budget, ctx.token.decimals, { flag: '--budget', symbol: ctx.token.symbol }),
    collateral: parseAmount(flags.collateral ?? TERMS_DEFAULTS.collateral, 18, { flag: '--collateral', symbol: 'ETH' }),
    openFor: parseDuration(flags['open-for'] ?? TERMS_DEFAULTS.openFor, '--open-for'),
    ...(flags['min-gpus'] === undefined ? {} : { minGpuCount: parseCount(flags['min-gpus'], '--min-gpus', 0xffff) }),
    ...(flags['min-vram'] === undefined ? {} : { minVramMiB: parseMiB(flags['min-vram'], '--min-vram') }),
    ...(flags['gpu-model'] === undefined ? {} : { gpuModel: flags['gpu-model'] }),
    ...(salt === undefined ? {} : { salt }),
    ...(flags.pool === undefined ? {} : { pool: parsePoolId(flags.pool, '--pool id') }),
  };
}

/** The SDK's first finding, on its flag: "--open-for must be between 1 s and 90 d", "--arbiter: "bob" is not an address". */
function refuse(issues: { field: JobParamsField | ReplicatedParamsField; message: string }[]): never {
  const first = issues[0]!;
  badInput(`${FLAG_OF[first.field]}${first.message.startsWith('"') ? ': ' : ' '}${first.message}`);
}

/** A whole number as typed; its range is the SDK's to check (and to say). */
function wholeNumber(text: string, flag: string): number {
  if (!/^\d{1,6}$/.test(text.trim())) badInput(`${flag}: "${text}" is not a whole number`);
  return Number(text.trim());
}

/** Whether the flags ask for a replicated job. */
export const isReplicated = (flags: TermsFlags): boolean => flags.replicas !== undefined;

/**
 * @example
 * const params = parseTermsFlags({ budget: '0.5', 'open-for': '1h' }, spec, { token: ETH_TOKEN, now });
 */
export function parseTermsFlags(flags: TermsFlags, spec: JobSpec, ctx: Ctx): JobParams {
  const stray = REPLICATED_ONLY.find((f) => flags[f] !== undefined);
  if (stray) badInput(`--${stray} is for replicated jobs: add --replicas <n>`);
  // No --mode: claim, or direct when --offer-to names a worker (the SDK's default).
  const mode = flags.mode?.toUpperCase();
  if (mode !== undefined && mode !== 'CLAIM' && mode !== 'AUCTION' && mode !== 'DIRECT' && mode !== 'POOL') badInput(`--mode must be claim, auction, direct or pool, not "${flags.mode}"`);
  const built = buildJobParams(
    {
      ...sharedInput(flags, ctx),
      ...(mode === undefined ? {} : { mode }),
      ...(flags['offer-to'] === undefined ? {} : { offerTo: flags['offer-to'] }),
      executionTimeout: parseDuration(flags['execution-timeout'] ?? TERMS_DEFAULTS.executionTimeout, '--execution-timeout'),
      challengeWindow: parseDuration(flags['challenge-window'] ?? TERMS_DEFAULTS.challengeWindow, '--challenge-window'),
      ...(flags.arbiter === undefined ? {} : { arbiter: flags.arbiter }),
    },
    spec,
    ctx,
  );
  if (!built.ok) refuse(built.issues);
  return built.params;
}

/**
 * A replicated job's parameters from `--replicas`, `--quorum` (default: a bare majority),
 * `--commit-window`, `--reveal-window` and the shared flags; `--budget` is the price of one replica.
 *
 * @example
 * const params = parseReplicatedFlags({ budget: '0.01', replicas: '3', quorum: '2' }, spec, { token: ETH_TOKEN, now });
 * // params.price * 3n is escrowed
 */
export function parseReplicatedFlags(flags: TermsFlags, spec: JobSpec, ctx: Ctx): ReplicatedJobParams {
  const stray = SINGLE_ONLY.find((f) => flags[f] !== undefined);
  if (stray) {
    const why = stray === 'mode' || stray === 'offer-to' ? 'slots go to the first eligible workers' : stray === 'arbiter' ? 'the quorum is the verdict' : 'use --commit-window and --reveal-window';
    badInput(`--${stray} does not apply to a replicated job (${why})`);
  }
  const { budget, ...shared } = sharedInput(flags, ctx);
  const built = buildReplicatedParams(
    {
      ...shared,
      price: budget,
      replicas: wholeNumber(flags.replicas!, '--replicas'),
      ...(flags.quorum === undefined ? {} : { quorum: wholeNumber(flags.quorum, '--quorum') }),
      commitWindow: parseDuration(flags['commit-window'] ?? TERMS_DEFAULTS.commitWindow, '--commit-window'),
      revealWindow: parseDuration(flags['reveal-window'] ?? TERMS_DEFAULTS.revealWindow, '--reveal-window'),
    },
    spec,
    ctx,
  );
  if (!built.ok) refuse(built.issues);
  return built.params;
}
