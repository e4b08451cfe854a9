/**
 * `job post`'s flags and spec as the contract's `JobParams`, checked against the contract's rules
 * (contracts/src/LoomMarket.sol postJob, contracts/src/base/MarketConfig.sol bounds) and against the
 * spec, so that a post that would revert, or that no worker would take, costs no transaction.
 */
import { randomBytes } from 'node:crypto';
import { type Address, type Hex, getAddress, isAddress, stringToHex, zeroAddress, zeroHash } from 'viem';
import type { JobSpec } from '../sdk/spec/jobSpec';
import { badInput } from './cliError';
import type { TokenInfo } from './output/format';
import { parseAmount, parseCount, parseMiB } from './parse/parseAmount';
import { formatDuration, parseDuration } from './parse/parseDuration';
import { MAX_CHALLENGE_WINDOW, MAX_EXECUTION_TIMEOUT, MAX_OPEN_PERIOD, WORKER_RESERVE_SECONDS } from '../sdk/marketRules';
import type { JobParams } from '../sdk/writes';

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

export const TERMS_DEFAULTS = { mode: 'claim', openFor: '1h', executionTimeout: '30m', challengeWindow: '24h', collateral: '0' } as const;

/** A random uint64: keeps ids apart when the same terms are posted twice. */
export function randomSalt(): bigint {
  return randomBytes(8).readBigUInt64BE();
}

/**
 * @example
 * const params = buildJobParams({ budget: '0.5', 'open-for': '1h' }, spec, { token: ETH_TOKEN, now });
 */
export function buildJobParams(flags: TermsFlags, spec: JobSpec, ctx: { token: TokenInfo; now: number; salt?: bigint }): JobParams {
  if (flags.budget === undefined) badInput(`--budget is required (in ${ctx.token.symbol}, e.g. --budget 0.5)`);
  const budget = parseAmount(flags.budget, ctx.token.decimals, { flag: '--budget', symbol: ctx.token.symbol });
  if (budget === 0n) badInput('--budget must be more than zero');
  const collateral = parseAmount(flags.collateral ?? TERMS_DEFAULTS.collateral, 18, { flag: '--collateral', symbol: 'ETH' });

  const modeText = (flags.mode ?? TERMS_DEFAULTS.mode).toLowerCase();
  if (modeText !== 'claim' && modeText !== 'auction') badInput(`--mode must be claim or auction, not "${flags.mode}"`);

  const openFor = parseDuration(flags['open-for'] ?? TERMS_DEFAULTS.openFor, '--open-for');
  if (openFor < 1 || openFor > MAX_OPEN_PERIOD) badInput(`--open-for must be between 1s and 90d, not ${formatDuration(openFor)}`);

  const executionTimeout = parseDuration(flags['execution-timeout'] ?? TERMS_DEFAULTS.executionTimeout, '--execution-timeout');
  if (executionTimeout < 1 || executionTimeout > MAX_EXECUTION_TIMEOUT) {
    badInput(`--execution-timeout must be between 1s and 30d, not ${formatDuration(executionTimeout)}`);
  }
  const needed = spec.resources.timeoutSeconds + WORKER_RESERVE_SECONDS;
  if (executionTimeout < needed) {
    badInput(
      `--execution-timeout ${formatDuration(executionTimeout)} is shorter than the spec's run timeout ` +
        `(resources.timeoutSeconds ${formatDuration(spec.resources.timeoutSeconds)}) plus the ${formatDuration(WORKER_RESERVE_SECONDS)} workers keep ` +
        `for inputs and the upload: use at least ${formatDuration(needed)}, or lower the spec's timeoutSeconds`,
    );
  }

  const challengeWindow = parseDuration(flags['challenge-window'] ?? TERMS_DEFAULTS.challengeWindow, '--challenge-window');
  if (challengeWindow > MAX_CHALLENGE_WINDOW) badInput(`--challenge-window must be at most 30d, not ${formatDuration(challengeWindow)}`);

  // The requirement defaults to the spec's resources, so the terms and the spec agree; a flag may ask
  // for more, never less (a smaller machine would take the job and fail to run it).
  const specGpus = spec.resources.gpus;
  const specVram = specGpus > 0 ? spec.resources.vramMiB : 0;
  const minGpuCount = flags['min-gpus'] === undefined ? specGpus : parseCount(flags['min-gpus'], '--min-gpus', 0xffff);
  if (minGpuCount < specGpus) badInput(`--min-gpus ${minGpuCount} is below the spec's resources.gpus (${specGpus})`);
  const minVramMiB = flags['min-vram'] === undefined ? specVram : parseMiB(flags['min-vram'], '--min-vram');
  if (minVramMiB < specVram) badInput(`--min-vram ${minVramMiB} MiB is below the spec's resources.vramMiB (${specVram})`);

  let gpuModel: Hex = zeroHash;
  const model = flags['gpu-model']?.trim();
  if (model) {
    if (Buffer.byteLength(model, 'utf8') > 32) badInput(`--gpu-model: "${model}" is longer than 32 bytes`);
    gpuModel = stringToHex(model, { size: 32 });
  }

  let arbiter: Address = zeroAddress;
  if (flags.arbiter !== undefined) {
    if (!isAddress(flags.arbiter, { strict: false })) badInput(`--arbiter: "${flags.arbiter}" is not an address`);
    arbiter = getAddress(flags.arbiter);
  }

  let salt = ctx.salt ?? randomSalt();
  if (flags.salt !== undefined) {
    if (!/^\d{1,20}$/.test(flags.salt) || BigInt(flags.salt) >= 2n ** 64n) badInput(`--salt must be an integer from 0 to 2^64-1, not "${flags.salt}"`);
    salt = BigInt(flags.salt);
  }

  return {
    token: ctx.token.address as Address,
    arbiter,
    budget,
    collateral,
    mode: modeText === 'auction' ? 1 : 0,
    openUntil: ctx.now + openFor,
    executionTimeout,
    challengeWindow,
    minGpuCount,
    minVramMiB,
    gpuModel,
    salt,
  };
}
