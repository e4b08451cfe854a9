/**
 * `loom job post [<spec.json>] [--image ref@sha256:…] --budget 0.5 [--token eth|usdc|0x…] [--mode claim|auction] [--offer-to 0x…] …`
 * `loom job post <spec.json> --replicas 3 [--quorum 2] --budget 0.01 [--commit-window 1h --reveal-window 1h] …`
 *
 * Order matters: everything that can be checked without a signature is checked first (`--image` with
 * the SDK's parseImageRef, then the spec with the worker's parser, the amounts in the token's
 * decimals, the deadlines against the contract's bounds and the spec's timeout), so bad input never
 * costs a transaction. Then the key is loaded,
 * the deadlines are taken from the chain's clock (not this machine's), and the SDK simulates,
 * approves an ERC-20 when the allowance is short, and posts.
 */
import { type PublicClient, createPublicClient, http } from 'viem';
import { CliError } from '../../cliError';
import { MarketsQuery } from '../../../sdk/documents';
import { resolveClientConfig, connectionOptions } from '../../config';
import { jobModeOf, MODE } from '../../../sdk/enums';
import { randomSalt } from '../../../sdk/jobParams';
import { isReplicated, parseReplicatedFlags, parseTermsFlags, TERMS_DEFAULTS, type TermsFlags } from '../../parse/parseTermsFlags';
import { MAX_REPLICAS } from '../../../sdk/replicatedParams';
import { formatEscrow } from '../../../sdk/format/replication';
import type { TokenInfo } from '../../../sdk/format/tokens';
import { readSpecFile, specFromImage } from '../../jobSpecFile';
import { runsIn, specSummary } from '../../output/specSummary';
import { formatAmount } from '../../../sdk/format/amounts';
import { formatRequirement, decodeGpuModel } from '../../../sdk/format/requirements';
import { ETH_TOKEN } from '../../../sdk/format/tokens';
import { TABLE_AMOUNTS, formatTime, toJson } from '../../output/format';
import { createProgress } from '../../output/progress';
import { renderFields } from '../../output/table';
import { type OptionTable, UsageError, optionsHelp, parseCommandLine, showHelp } from '../../../sdk/node/options';
import { formatDuration, parseDuration } from '../../parse/parseDuration';
import { resolveToken } from '../../resolveToken';
import { openReader, openWriter, waitIndexed } from '../../session';
import { type SealFlags, readSealFlags, sealAndSend, sealOptions } from './seal';
import { DEFAULT_GATEWAY_URL } from '../../../sdk/jobOverHttp';
import { postOverHttp } from './postOverHttp';
import { MAX_MODELS_PER_JOB } from '../../../sdk/modelCost';
import { parseModelId } from '../../parse/parseIds';
import { type ModelsPost, announceModelCost, modelFields } from './postModels';

const options: OptionTable = {
  image: { type: 'string', value: '<ref@sha256:…>', help: "The image the job runs in, pinned by digest; replaces the spec file's (default: the spec's, else the worker's host)" },
  budget: { type: 'string', value: '<amount>', help: 'Escrowed budget in the token, e.g. 0.5 (required); with --replicas, the price of one replica' },
  token: { type: 'string', value: '<eth|symbol|0x…>', help: 'Payment token: eth (default), an allowed token by symbol (usdc) or address' },
  mode: { type: 'string', value: '<claim|auction|direct|pool>', help: `claim: the first eligible worker takes it; auction: workers bid; direct: only --offer-to's worker may take it; pool: only --pool's members (default ${TERMS_DEFAULTS.mode}, direct with --offer-to, pool with --pool)` },
  'offer-to': { type: 'string', value: '<0x…>', help: 'Offer the job to this worker alone (mode direct): if it does not claim it within --open-for, it expires and you are refunded' },
  pool: { type: 'string', value: '<pool id>', help: "Only this worker pool's members may take the job (mode pool; with --replicas, its slots)" },
  model: { type: 'string', multiple: true, value: '<model id>', help: `A model the job uses (repeat, up to ${MAX_MODELS_PER_JOB}): its fee is escrowed with the budget and paid to its creator` },
  'open-for': { type: 'string', value: '<duration>', help: `How long it can be claimed or bid on (default ${TERMS_DEFAULTS.openFor})` },
  'execution-timeout': { type: 'string', value: '<duration>', help: `From assignment to the result deadline (default ${TERMS_DEFAULTS.executionTimeout})` },
  'challenge-window': { type: 'string', value: '<duration>', help: `How long you may dispute a result (default ${TERMS_DEFAULTS.challengeWindow})` },
  collateral: { type: 'string', value: '<eth>', help: 'ETH stake the worker locks until the job ends (default 0)' },
  'min-gpus': { type: 'string', value: '<n>', help: "Minimum GPUs (default: the spec's resources.gpus)" },
  'min-vram': { type: 'string', value: '<size>', help: "Minimum VRAM per GPU, e.g. 40GiB (default: the spec's resources.vramMiB)" },
  'gpu-model': { type: 'string', value: '<name>', help: 'Require this GPU model, as workers register it (default: any)' },
  arbiter: { type: 'string', value: '<0x…>', help: "Arbiter of disputes (default: the market's)" },
  salt: { type: 'string', value: '<n>', help: 'Makes the id unique among identical terms (default: random)' },
  replicas: { type: 'string', value: '<n>', help: `Replicate the job on n workers, 2 to ${MAX_REPLICAS} (LoomReplicatedMarket); --budget is then each one's price` },
  quorum: { type: 'string', value: '<k>', help: 'How many equal results make the result: more than half of n (default: a bare majority)' },
  'commit-window': { type: 'string', value: '<duration>', help: `After the open period, how long workers have to commit to a result (default ${TERMS_DEFAULTS.commitWindow})` },
  'reveal-window': { type: 'string', value: '<duration>', help: `How long workers have to reveal what they committed to (default ${TERMS_DEFAULTS.revealWindow})` },
  'no-wait': { type: 'boolean', help: 'Do not wait for the indexer to show the job' },
  pay: { type: 'string', value: '<x402>', help: 'x402: pay by signature through the x402 gateway, which posts the job (no ETH needed, only the token; default --token usdc)' },
  gateway: { type: 'string', value: '<url>', env: 'LOOM_GATEWAY_URL', default: DEFAULT_GATEWAY_URL, help: 'The x402 gateway, with --pay x402' },
  ...sealOptions,
  ...connectionOptions,
};

export const POST_USAGE = `Usage: loom job post <spec.json> --budget <amount> [options]
       loom job post [<spec.json>] --image <registry/repository[:tag]@sha256:<64 hex>> --budget <amount> [options]

Posts a job. The spec (a JSON file, job spec v1: sdk/spec/job-spec.v1.schema.json) is checked
with the worker's own parser before anything is signed. Durations: 90s, 10m, 1h30m, 2d.

Images: --image runs the job in that OCI image, named by digest (a tag alone is refused: it can be
moved to other content). The image's Env, WorkingDir and Entrypoint + Cmd apply as in a container
runtime; the spec's command replaces Cmd, and with no command or script (or no spec file at all)
the image's default command runs. Without an image the job runs on the worker's host, read-only.
Find a digest with: skopeo inspect docker://<image>:<tag> (or docker buildx imagetools inspect).

Replicated jobs: --replicas n runs the job on n distinct workers (2 to ${MAX_REPLICAS}) and pays those whose
results agree: a result hash revealed by --quorum k of them (more than half of n; default a bare
majority) is the job's result, and a worker who revealed another or none loses its collateral. With
--replicas, --budget is the price of ONE replica, what each worker earns before the fee, and you
escrow n times it (printed before anything is sent); the price of slots nobody takes comes back at
settlement. Slots are taken until --open-for ends; workers commit to a hash within --commit-window
after that (the window must hold the spec's run timeout), then reveal it within --reveal-window.
--mode, --offer-to, --arbiter, --execution-timeout and --challenge-window do not apply. Settle it with
\`loom job finalize <id>\`; cancel it with \`loom job cancel <id>\` while no slot is taken.

The key: LOOM_CLIENT_KEY, or --keystore / LOOM_CLIENT_KEYSTORE (password LOOM_CLIENT_KEYSTORE_PASSWORD
or a prompt).

Models: --model <id> (repeatable, up to ${MAX_MODELS_PER_JOB}) posts the job through the model hub
(LoomModels) with those models: each model's fee, read from the chain, is escrowed with the budget
(ETH sent along, or an ERC-20 approved to the hub) and paid to its creator in proportion to what the
worker is paid (all of it on release, nothing if the job is cancelled or expires: then it is credited
back to you, see loom withdraw). A model with a fee must be paid in the job's --token. The total is
printed before anything is sent. Find models with loom model list.

Pools: --pool <id> restricts the job to a worker pool's members (loom pool show <id>); a member
claims it at the full budget and pays the pool's operator its fee out of its payout.

Paying over HTTP: --pay x402 has the x402 gateway (--gateway, default ${DEFAULT_GATEWAY_URL}) post the
job: you sign a payment of the budget in a token with EIP-3009 (default --token usdc) and send no
transaction, so the key needs no ETH. Claim jobs only; no --replicas, --arbiter, --salt or sealing.

Example:
  loom job post train.json --budget 0.5 --token eth --mode claim --open-for 1h \\
    --execution-timeout 30m --challenge-window 10m
  loom job post train.json --budget 0.5 --offer-to 0x90F79bf6EB2c4f870365E785982E1f101E93b906
                                        # a direct offer: only that worker may claim it
  loom job post --image nvcr.io/nvidia/pytorch:24.05-py3@sha256:<64 hex> --budget 0.5 \\
    --execution-timeout 2h        # the spec's default run time limit is 1h
  loom job post eval.json --replicas 3 --quorum 2 --budget 0.01 \\
    --commit-window 1h --reveal-window 1h   # escrows 3 × 0.01 = 0.03 ETH
  loom job post infer.json --budget 0.5 --model 3 --model 7   # 0.5 ETH + the two models' fees
  loom job post train.json --budget 0.5 --pool 2              # for pool 2's members only

Options:
${optionsHelp(options)}`;

export async function runPost(argv: string[]): Promise<number> {
  const { values, positionals, help } = parseCommandLine(argv, { options, usage: POST_USAGE, positionals: [0, 1] });
  if (help) return showHelp(POST_USAGE);
  const config = resolveClientConfig(values);
  const flags = values as TermsFlags & { token?: string; image?: string; 'no-wait'?: boolean; pay?: string };
  const progress = createProgress();

  const path = positionals[0];
  if (path === undefined && flags.image === undefined) throw new UsageError('missing the spec file (or --image, to run an image by itself)', POST_USAGE);
  const spec = path === undefined ? specFromImage(flags.image!) : await readSpecFile(path, flags.image === undefined ? {} : { image: flags.image });
  const modelIds = ((values.model as unknown as string[] | undefined) ?? []).map((id) => parseModelId(id, '--model id'));
  if (modelIds.length > MAX_MODELS_PER_JOB) throw new CliError('BAD_INPUT', `--model: ${modelIds.length} models; a job may use at most ${MAX_MODELS_PER_JOB}`);
  const duplicate = modelIds.find((id, i) => modelIds.indexOf(id) !== i);
  if (duplicate !== undefined) throw new CliError('BAD_INPUT', `--model ${duplicate} is given twice`);
  // Paid over HTTP: the gateway posts it (no key with ETH needed).
  if (flags.pay !== undefined) {
    if (modelIds.length || flags.pool !== undefined) throw new CliError('BAD_INPUT', `--pay x402 posts claim jobs only: no ${modelIds.length ? '--model' : '--pool'}`);
    return postOverHttp(values as never, spec, config, progress);
  }
  const reader = openReader(config);

  // The token's decimals decide what the budget means: resolve it before reading any amount.
  let token = ETH_TOKEN;
  const tokenFlag = flags.token ?? 'eth';
  if (tokenFlag.toLowerCase() !== 'eth') {
    progress.update('reading the token');
    // The allow-list of the market the job goes to: each market keeps its own.
    const kind = isReplicated(flags) ? 'REPLICATED' : 'SINGLE';
    const allowedTokens = await reader.query(MarketsQuery).then((r) => r.markets.find((m) => m.kind === kind)?.allowedTokens, () => undefined);
    const publicClient = createPublicClient({ transport: http(config.rpcUrl, { retryCount: 1 }) }) as PublicClient;
    token = await resolveToken(tokenFlag, { publicClient, allowedTokens });
  }
  const salt = flags.salt === undefined ? randomSalt() : undefined;
  const ctx = (now: number) => ({ token, now, ...(salt === undefined ? {} : { salt }) });
  // Secrets are read and checked against the spec's `sealed` before anything is signed.
  const sealFlags = values as unknown as SealFlags;
  const secrets = await readSealFlags(sealFlags, spec.spec.sealed, spec.spec.image?.registry);
  const sealWaitMs = parseDuration(sealFlags['seal-wait'] ?? '10m', '--seal-wait') * 1000;
  if (isReplicated(flags)) return postReplicated(flags, spec, token, ctx, config, reader, progress, { secrets, sealWaitMs }, modelIds);
  // Every flag checked now, on this machine's clock; the real deadlines use the chain's below.
  parseTermsFlags(flags, spec.spec, ctx(Math.floor(Date.now() / 1000)));

  const session = await openWriter(config, progress);
  const { writer, publicClient } = session;
  const now = Number((await publicClient.getBlock({ blockTag: 'latest' })).timestamp);
  const params = parseTermsFlags(flags, spec.spec, ctx(now));

  // With models: what leaves the wallet (budget + fees) said before anything is sent.
  const withModels: ModelsPost | undefined = modelIds.length ? await announceModelCost(writer, modelIds, params.token, params.budget, token, progress) : undefined;
  progress.update(token === ETH_TOKEN ? 'posting the job' : `approving ${token.symbol} if needed, then posting the job`);
  let posted: Awaited<ReturnType<typeof writer.postJob>> & { modelIds?: number[]; fees?: bigint[] };
  try {
    posted = withModels ? await writer.postJobWithModels({ terms: params, spec: spec.bytes, modelIds }) : await writer.postJob({ terms: params, spec: spec.bytes });
  } catch (err) {
    progress.fail('the job was not posted');
    throw err;
  }
  progress.done(`posted in block ${posted.receipt.blockNumber}`);

  const indexed = flags['no-wait'] ? false : await waitIndexed(reader, posted.jobId, posted.receipt.blockNumber, progress);
  // A job that expects secrets: wait for its worker and seal them to it (README: Private jobs).
  const sealed = spec.spec.sealed
    ? await sealAndSend({ reader, session, jobId: posted.jobId, secrets, privateResult: spec.spec.sealed.privateResult, artifactUrl: config.artifactUrl, waitMs: sealWaitMs, progress })
    : undefined;
  progress.clear();
  const t = posted.terms;
  if (config.json) {
    process.stdout.write(
      toJson({
        jobId: posted.jobId,
        ...(sealed ? { sealed } : {}),
        txHash: posted.hash,
        blockNumber: posted.receipt.blockNumber,
        ...(posted.approval ? { approvalTxHash: posted.approval.hash } : {}),
        specHash: spec.specHash,
        ...(spec.spec.image ? { image: spec.spec.image.text } : {}),
        terms: t,
        ...(withModels ? { models: withModels.json(posted.fees!) } : {}),
        indexed,
      }),
    );
  } else {
    process.stdout.write(
      renderFields([
        ['job', posted.jobId],
        ['tx', `${posted.hash} (block ${posted.receipt.blockNumber})`],
        ...(posted.approval ? ([['approval', posted.approval.hash]] as const) : []),
        ['mode', jobModeOf(t.mode) ?? String(t.mode)],
        ...(t.mode === MODE.DIRECT ? ([['offered to', t.offeredTo]] as const) : []),
        ...(t.mode === MODE.POOL ? ([['pool', String(BigInt(t.offeredTo))]] as const) : []),
        ['budget', formatAmount(t.budget, token, TABLE_AMOUNTS)],
        ...(withModels ? modelFields(withModels, posted.fees!, token) : []),
        ['collateral', formatAmount(t.collateral, ETH_TOKEN, TABLE_AMOUNTS)],
        ['open until', formatTime(t.openUntil, now)],
        ['execution', `${formatDuration(t.executionTimeout)} after assignment`],
        ['challenge', `${formatDuration(t.challengeWindow)} after the result`],
        ['requires', formatRequirement(t.minGpuCount, t.minVramMiB, decodeGpuModel(t.gpuModel))],
        ['runs', specSummary(spec.value, spec.bytes)],
        ['runs in', runsIn(spec.value)],
        ['spec hash', spec.specHash],
        ...(sealed ?? []).map((s) => ['sealed', `${s.bytes} bytes to ${s.worker} (tx ${s.tx})`] as [string, string]),
      ]),
    );
    if (!indexed && !flags['no-wait']) process.stderr.write(`loom: the API has not indexed the job yet (it will appear shortly): ${config.apiUrl}\n`);
  }
  return 0;
}

type Spec = Awaited<ReturnType<typeof readSpecFile>>;

/**
 * A replicated job: the flags checked on this machine's clock before the key is loaded, the escrow
 * (n × the price of one replica) printed on stderr before anything is sent, then posted to
 * LoomReplicatedMarket with deadlines on the chain's clock.
 */
async function postReplicated(
  flags: TermsFlags & { 'no-wait'?: boolean },
  spec: Spec,
  token: TokenInfo,
  ctx: (now: number) => { token: TokenInfo; now: number; salt?: bigint },
  config: ReturnType<typeof resolveClientConfig>,
  reader: ReturnType<typeof openReader>,
  progress: ReturnType<typeof createProgress>,
  sealing: { secrets: Awaited<ReturnType<typeof readSealFlags>>; sealWaitMs: number },
  modelIds: number[],
): Promise<number> {
  const draft = parseReplicatedFlags(flags, spec.spec, ctx(Math.floor(Date.now() / 1000)));
  // What will leave the wallet, said before the key is asked for and anything is signed.
  progress.clear();
  process.stderr.write(`loom: escrowing ${formatEscrow(draft.price, draft.replicas, token)} (${draft.replicas} replicas at the --budget price each, quorum ${draft.quorum})\n`);
  const session = await openWriter(config, progress);
  const { writer, publicClient } = session;
  const now = Number((await publicClient.getBlock({ blockTag: 'latest' })).timestamp);
  const params = parseReplicatedFlags(flags, spec.spec, ctx(now));

  const withModels: ModelsPost | undefined = modelIds.length
    ? await announceModelCost(writer, modelIds, params.token, params.price * BigInt(params.replicas), token, progress)
    : undefined;
  progress.update(token === ETH_TOKEN ? 'posting the replicated job' : `approving ${token.symbol} if needed, then posting the replicated job`);
  let posted: Awaited<ReturnType<typeof writer.postReplicatedJob>> & { fees?: bigint[] };
  try {
    posted = withModels
      ? await writer.postReplicatedJobWithModels({ terms: params, spec: spec.bytes, modelIds })
      : await writer.postReplicatedJob({ terms: params, spec: spec.bytes });
  } catch (err) {
    progress.fail('the job was not posted');
    throw err;
  }
  progress.done(`posted in block ${posted.receipt.blockNumber}`);

  const indexed = flags['no-wait'] ? false : await waitIndexed(reader, posted.jobId, posted.receipt.blockNumber, progress);
  // Secrets go to each slot holder as it takes its slot (README: Private jobs), each in its own bundle.
  const sealed = spec.spec.sealed
    ? await sealAndSend({ reader, session, jobId: posted.jobId, secrets: sealing.secrets, privateResult: spec.spec.sealed.privateResult, artifactUrl: config.artifactUrl, waitMs: sealing.sealWaitMs, progress })
    : undefined;
  progress.clear();
  const t = posted.terms;
  const escrow = t.price * BigInt(t.replicas);
  if (config.json) {
    process.stdout.write(
      toJson({
        jobId: posted.jobId,
        kind: 'REPLICATED',
        ...(sealed ? { sealed } : {}),
        txHash: posted.hash,
        blockNumber: posted.receipt.blockNumber,
        ...(posted.approval ? { approvalTxHash: posted.approval.hash } : {}),
        specHash: spec.specHash,
        ...(spec.spec.image ? { image: spec.spec.image.text } : {}),
        escrow,
        terms: t,
        ...(params.pool ? { pool: params.pool } : {}),
        ...(withModels ? { models: withModels.json(posted.fees!) } : {}),
        indexed,
      }),
    );
  } else {
    const commitDeadline = t.openUntil + t.commitWindow;
    process.stdout.write(
      renderFields([
        ['job', posted.jobId],
        ['tx', `${posted.hash} (block ${posted.receipt.blockNumber})`],
        ...(posted.approval ? ([['approval', posted.approval.hash]] as const) : []),
        ['replicas', `${t.replicas}, quorum ${t.quorum}`],
        ['price', `${formatAmount(t.price, token, TABLE_AMOUNTS)} per replica`],
        ['escrow', formatAmount(escrow, token, TABLE_AMOUNTS)],
        ...(params.pool ? ([['pool', `${params.pool} (its members only)`]] as const) : []),
        ...(withModels ? modelFields(withModels, posted.fees!, token) : []),
        ['collateral', `${formatAmount(t.collateral, ETH_TOKEN, TABLE_AMOUNTS)} per replica`],
        ['slots until', formatTime(t.openUntil, now)],
        ['commit by', formatTime(commitDeadline, now)],
        ['reveal', `${formatDuration(t.revealWindow)} once every slot committed, at the latest from ${formatTime(commitDeadline, now)}`],
        ['requires', formatRequirement(t.minGpuCount, t.minVramMiB, decodeGpuModel(t.gpuModel))],
        ['runs', specSummary(spec.value, spec.bytes)],
        ['runs in', runsIn(spec.value)],
        ['spec hash', spec.specHash],
        ...(sealed ?? []).map((s) => ['sealed', `${s.bytes} bytes to ${s.worker} (tx ${s.tx})`] as [string, string]),
      ]),
    );
    if (!indexed && !flags['no-wait']) process.stderr.write(`loom: the API has not indexed the job yet (it will appear shortly): ${config.apiUrl}\n`);
  }
  return 0;
}
