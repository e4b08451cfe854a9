/**
 * `loom job post --pay x402 [--gateway <url>]`: the job is posted by the x402 gateway (README: Paying
 * over HTTP (x402)), paid by signature in a token with EIP-3009: the client needs no ETH, only the
 * token. The flags are checked here with the same parser as a normal post (on this machine's
 * clock; the gateway fixes the deadline and the salt in its quote), then the SDK's postJobOverHttp
 * negotiates the 402, signs, and returns the job id.
 */
import { type PublicClient, createPublicClient, hexToString, http } from 'viem';
import { MarketsQuery } from '../../../sdk/documents';
import { formatAmount } from '../../../sdk/format/amounts';
import { ETH_TOKEN } from '../../../sdk/format/tokens';
import { DEFAULT_GATEWAY_URL, GatewayError, postJobOverHttp } from '../../../sdk/jobOverHttp';
import { CliError, badInput } from '../../cliError';
import { loadClientKey } from '../../clientKey';
import type { resolveClientConfig } from '../../config';
import type { readSpecFile } from '../../jobSpecFile';
import { TABLE_AMOUNTS, toJson } from '../../output/format';
import type { createProgress } from '../../output/progress';
import { renderFields } from '../../output/table';
import { parseTermsFlags, type TermsFlags } from '../../parse/parseTermsFlags';
import { resolveToken } from '../../resolveToken';
import { openReader, waitIndexed } from '../../session';

/** Flags a gateway order cannot carry: the gateway posts CLAIM jobs with the market's arbiter and its own salt. */
const NOT_OVER_HTTP = ['replicas', 'quorum', 'commit-window', 'reveal-window', 'arbiter', 'salt', 'secret', 'private-input', 'private-input-header', 'registry-login'] as const;

export async function postOverHttp(
  flags: TermsFlags & { token?: string; pay?: string; gateway?: string; 'no-wait'?: boolean; 'gpu-model'?: string } & Record<string, unknown>,
  spec: Awaited<ReturnType<typeof readSpecFile>>,
  config: ReturnType<typeof resolveClientConfig>,
  progress: ReturnType<typeof createProgress>,
): Promise<number> {
  if (flags.pay !== 'x402') badInput(`--pay: the only way to pay over HTTP is x402, not "${flags.pay}"`);
  const stray = NOT_OVER_HTTP.find((f) => flags[f] !== undefined && flags[f] !== false && !(Array.isArray(flags[f]) && (flags[f] as unknown[]).length === 0));
  if (stray) badInput(`--${stray} does not apply to --pay x402 (the gateway posts single-worker jobs, with the market's arbiter and a salt of its quote)`);
  if (flags.mode !== undefined && flags.mode.toLowerCase() !== 'claim') badInput('--pay x402 posts claim jobs: leave out --mode');
  if (spec.spec.sealed) badInput('--pay x402 does not seal secrets to the worker: post a job with sealed inputs with a key (without --pay)');

  const gateway = flags.gateway || process.env.LOOM_GATEWAY_URL || DEFAULT_GATEWAY_URL;
  const reader = openReader(config);
  const tokenFlag = flags.token ?? 'usdc';
  if (tokenFlag.toLowerCase() === 'eth') badInput('--pay x402 pays in a token with EIP-3009 (such as USDC), not ETH: give --token usdc or its address');
  progress.update('reading the token');
  const allowedTokens = await reader.query(MarketsQuery).then((r) => r.markets.find((m) => m.kind === 'SINGLE')?.allowedTokens, () => undefined);
  const publicClient = createPublicClient({ transport: http(config.rpcUrl, { retryCount: 1 }) }) as PublicClient;
  const token = await resolveToken(tokenFlag, { publicClient, allowedTokens });
  // Every flag checked with the SDK's rules before anything is signed; the gateway checks again.
  const params = parseTermsFlags(flags, spec.spec, { token, now: Math.floor(Date.now() / 1000) });

  const { account } = await loadClientKey(config.keystore ? { keystore: config.keystore } : {});
  progress.update(`paying ${formatAmount(params.budget, token)} through the x402 gateway at ${gateway}`);
  let posted: Awaited<ReturnType<typeof postJobOverHttp>>;
  try {
    posted = await postJobOverHttp({
      gateway,
      account,
      order: {
        // The spec's own bytes, so that the chain holds what was checked (and its hash is the file's).
        spec: hexToString(spec.bytes),
        budget: params.budget,
        token: token.address as `0x${string}`,
        openFor: params.openUntil - Math.floor(Date.now() / 1000),
        executionTimeout: params.executionTimeout,
        challengeWindow: params.challengeWindow,
        minGpuCount: params.minGpuCount,
        minVramMiB: params.minVramMiB,
        ...(flags['gpu-model'] ? { gpuModel: flags['gpu-model'] } : {}),
        collateral: params.collateral,
      },
    });
  } catch (err) {
    progress.fail('the job was not posted');
    if (err instanceof GatewayError) throw new CliError(err.status === 400 ? 'BAD_INPUT' : err.status === 402 ? 'TX_FAILED' : 'CONFIG', err.message, { cause: err });
    throw new CliError('CONFIG', (err as Error).message, { cause: err });
  }
  const receipt = await publicClient.getTransactionReceipt({ hash: posted.transaction }).catch(() => undefined);
  progress.done(`posted by the gateway${receipt ? ` in block ${receipt.blockNumber}` : ''}`);
  const indexed = flags['no-wait'] || !receipt ? false : await waitIndexed(reader, posted.jobId, receipt.blockNumber, progress);
  progress.clear();
  if (config.json) {
    process.stdout.write(toJson({ jobId: posted.jobId, txHash: posted.transaction, payer: posted.payer, paidWith: 'x402', budget: params.budget, token: token.address, specHash: spec.specHash, indexed }));
  } else {
    process.stdout.write(
      renderFields([
        ['job', posted.jobId],
        ['tx', `${posted.transaction}${receipt ? ` (block ${receipt.blockNumber})` : ''}, sent by the gateway`],
        ['paid', `${formatAmount(params.budget, token, TABLE_AMOUNTS)} by ${posted.payer} over x402 (no gas)`],
        ['collateral', formatAmount(params.collateral, ETH_TOKEN, TABLE_AMOUNTS)],
        ['spec hash', spec.specHash],
      ]),
    );
    if (!indexed && !flags['no-wait']) process.stderr.write(`loom: the API has not indexed the job yet (it will appear shortly): ${config.apiUrl}\n`);
  }
  return 0;
}
