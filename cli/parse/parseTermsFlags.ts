/**
 * `job post`'s flags as the SDK's job parameters: each flag parsed in the CLI's syntax (amounts in the
 * token's unit, durations like 1h30m, sizes like 40GiB), then checked by the SDK's `buildJobParams`
 * against the contract's rules and the spec, so that a post that would revert, or that no worker would
 * take, costs no transaction. A refusal names its flag.
 */
import { type Address } from 'viem';
import type { TokenInfo } from '../../sdk/format/tokens';
import { buildJobParams, type JobParamsField } from '../../sdk/jobParams';
import type { JobSpec } from '../../sdk/spec/jobSpec';
import type { JobParams } from '../../sdk/writes';
import { badInput } from '../cliError';
import { parseAmount, parseCount, parseMiB } from './parseAmount';
import { parseDuration } from './parseDuration';

/** The `job post` flags that shape the terms (strings as typed). */
export type TermsFlags = {
  budget?: string;
  collateral?: string;
  mode?: string;
  'open-for'?: string;
  'execution-timeout'?: string;
  'challenge-window'?: string;
  'min-gpus'?: string;
  'min-vram'?: string;
  'gpu-model'?: string;
  arbiter?: string;
  salt?: string;
};

/** The defaults as the flags spell them (the SDK's TERMS_DEFAULTS, in the CLI's duration syntax). */
export const TERMS_DEFAULTS = { mode: 'claim', openFor: '1h', executionTimeout: '30m', challengeWindow: '24h', collateral: '0' } as const;

const FLAG_OF: Record<JobParamsField, string> = {
  token: '--token',
  budget: '--budget',
  collateral: '--collateral',
  mode: '--mode',
  openFor: '--open-for',
  executionTimeout: '--execution-timeout',
  challengeWindow: '--challenge-window',
  minGpuCount: '--min-gpus',
  minVramMiB: '--min-vram',
  gpuModel: '--gpu-model',
  arbiter: '--arbiter',
  salt: '--salt',
};

/**
 * @example
 * const params = parseTermsFlags({ budget: '0.5', 'open-for': '1h' }, spec, { token: ETH_TOKEN, now });
 */
export function parseTermsFlags(flags: TermsFlags, spec: JobSpec, ctx: { token: TokenInfo; now: number; salt?: bigint }): JobParams {
  if (flags.budget === undefined) badInput(`--budget is required (in ${ctx.token.symbol}, e.g. --budget 0.5)`);
  const budget = parseAmount(flags.budget, ctx.token.decimals, { flag: '--budget', symbol: ctx.token.symbol });
  const collateral = parseAmount(flags.collateral ?? TERMS_DEFAULTS.collateral, 18, { flag: '--collateral', symbol: 'ETH' });
  const mode = (flags.mode ?? TERMS_DEFAULTS.mode).toUpperCase();
  if (mode !== 'CLAIM' && mode !== 'AUCTION') badInput(`--mode must be claim or auction, not "${flags.mode}"`);
  let salt = ctx.salt;
  if (flags.salt !== undefined) {
    if (!/^\d{1,20}$/.test(flags.salt)) badInput(`--salt must be an integer from 0 to 2^64-1, not "${flags.salt}"`);
    salt = BigInt(flags.salt);
  }

  const built = buildJobParams(
    {
      token: ctx.token.address as Address,
      budget,
      collateral,
      mode,
      openFor: parseDuration(flags['open-for'] ?? TERMS_DEFAULTS.openFor, '--open-for'),
      executionTimeout: parseDuration(flags['execution-timeout'] ?? TERMS_DEFAULTS.executionTimeout, '--execution-timeout'),
      challengeWindow: parseDuration(flags['challenge-window'] ?? TERMS_DEFAULTS.challengeWindow, '--challenge-window'),
      ...(flags['min-gpus'] === undefined ? {} : { minGpuCount: parseCount(flags['min-gpus'], '--min-gpus', 0xffff) }),
      ...(flags['min-vram'] === undefined ? {} : { minVramMiB: parseMiB(flags['min-vram'], '--min-vram') }),
      ...(flags['gpu-model'] === undefined ? {} : { gpuModel: flags['gpu-model'] }),
      ...(flags.arbiter === undefined ? {} : { arbiter: flags.arbiter }),
      ...(salt === undefined ? {} : { salt }),
    },
    spec,
    ctx,
  );
  if (!built.ok) {
    const first = built.issues[0]!;
    // "--open-for must be between 1 s and 90 d", "--arbiter: "bob" is not an address".
    badInput(`${FLAG_OF[first.field]}${first.message.startsWith('"') ? ': ' : ' '}${first.message}`);
  }
  return built.params;
}
