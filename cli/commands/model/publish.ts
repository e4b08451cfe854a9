/**
 * `loom model publish --name … --version … --kind weights|dataset|image (--file PATH[:DEST] … | --image REF)
 *  --license URI [--fee AMOUNT --token T] [--previous ID]`
 *
 * Order matters, as in `job post`: every flag is checked first, the files hashed and checked against
 * the contract's rules (sdk/modelParams.ts), the fee read in the token's decimals, so bad input never
 * costs an upload or a transaction. Then the key is loaded, each file uploaded to the artifact store
 * (signed, purpose model; sdk/modelUpload.ts), and the version published (sdk/modelWrites.ts).
 */
import { type PublicClient, createPublicClient, http } from 'viem';
import { ArtifactUploadError } from '../../../sdk/artifactUpload';
import { MarketsQuery } from '../../../sdk/documents';
import { formatAmount } from '../../../sdk/format/amounts';
import { ETH_TOKEN, type TokenInfo } from '../../../sdk/format/tokens';
import { LoomError } from '../../../sdk/errors';
import { MAX_MODEL_FILES, MODEL_KINDS, buildModelParams, type ModelKind, type ModelParamsField } from '../../../sdk/modelParams';
import { uploadModelFiles } from '../../../sdk/modelUpload';
import { readModelFiles } from '../../../sdk/node/modelFiles';
import { type OptionTable, UsageError, optionsHelp, parseCommandLine, showHelp } from '../../../sdk/node/options';
import { CliError, badInput } from '../../cliError';
import { connectionOptions, resolveClientConfig } from '../../config';
import { TABLE_AMOUNTS, toJson } from '../../output/format';
import { createProgress } from '../../output/progress';
import { renderFields } from '../../output/table';
import { parseAmount } from '../../parse/parseAmount';
import { parseModelId } from '../../parse/parseIds';
import { resolveToken } from '../../resolveToken';
import { noWaitOption, sendStep } from '../../sendStep';
import { openReader } from '../../session';

const options: OptionTable = {
  name: { type: 'string', value: '<text>', help: 'The model\'s name: its files are mounted at /models/<name> (required)' },
  version: { type: 'string', value: '<text>', help: 'This version\'s label, e.g. 1.0 (required)' },
  kind: { type: 'string', value: '<weights|dataset|image>', help: 'What it is (required)' },
  file: { type: 'string', multiple: true, value: '<path[:dest]>', help: `A file of the model (weights, dataset), at DEST under /models/<name> (default: its own name); repeat, up to ${MAX_MODEL_FILES}` },
  image: { type: 'string', value: '<ref@sha256:…>', help: 'The image of an image model, pinned by digest' },
  license: { type: 'string', value: '<uri>', help: 'Where its license is (required)' },
  fee: { type: 'string', value: '<amount>', help: 'What each job that uses it pays you, in --token (default 0: free)' },
  token: { type: 'string', value: '<eth|symbol|0x…>', help: 'The fee\'s token: a job with a fee must be paid in it (default eth)' },
  previous: { type: 'string', value: '<model id>', help: 'The version this one follows (yours): a new price or content is a new version' },
  ...noWaitOption,
  ...connectionOptions,
};

export const PUBLISH_USAGE = `Usage: loom model publish --name <text> --version <text> --kind <weights|dataset|image>
         (--file <path[:dest]> ... | --image <ref@sha256:…>) --license <uri> [options]

Publishes a model version to the model hub (LoomModels). Weights and datasets are files: each is
uploaded to the artifact store (signed with the client key) and recorded on-chain by its sha256 and
size; workers mount them read-only at /models/<name>/<dest>. An image model is an OCI image pinned
by digest. With --fee, every job that uses the model pays you that much, in --token, in proportion
to what its worker is paid (all of it on release). A published version never changes: publish a new
one with --previous <id> to change the price or the content, and retire the old one.

Example:
  loom model publish --name llama-3-8b --version 1 --kind weights \\
    --file ./model.safetensors --file ./tokenizer.json:tokenizer/tokenizer.json \\
    --license https://llama.meta.com/llama3/license --fee 0.01 --token eth

Options:
${optionsHelp(options)}`;

const FLAG_OF: Record<ModelParamsField, string> = {
  name: '--name',
  version: '--version',
  kind: '--kind',
  files: '--file',
  image: '--image',
  licenseURI: '--license',
  token: '--token',
  fee: '--fee',
  previous: '--previous',
};

export async function runModelPublish(argv: string[]): Promise<number> {
  const { values, help } = parseCommandLine(argv, { options, usage: PUBLISH_USAGE, positionals: [0, 0] });
  if (help) return showHelp(PUBLISH_USAGE);
  const config = resolveClientConfig(values);
  const v = values as Record<string, string | undefined> & { file?: string[] };
  for (const required of ['name', 'version', 'kind', 'license'] as const) {
    if (v[required] === undefined) throw new UsageError(`missing --${required}`, PUBLISH_USAGE);
  }
  const kind = v.kind!.toUpperCase() as ModelKind;
  if (!MODEL_KINDS.includes(kind)) badInput(`--kind must be weights, dataset or image, not "${v.kind}"`);
  const fileFlags = v.file ?? [];
  if (kind === 'IMAGE' && fileFlags.length) badInput('--file is for weights and datasets: an image model is its --image');
  if (kind !== 'IMAGE' && v.image !== undefined) badInput(`--image is for image models, not ${v.kind}`);
  const previous = v.previous === undefined ? 0 : parseModelId(v.previous, '--previous model id');
  const progress = createProgress();

  // The fee's token decides what --fee means: resolved before the amount is read.
  let token: TokenInfo = ETH_TOKEN;
  if ((v.token ?? 'eth').toLowerCase() !== 'eth') {
    progress.update('reading the token');
    const allowedTokens = await openReader(config)
      .query(MarketsQuery)
      .then((r) => r.markets.find((m) => m.kind === 'SINGLE')?.allowedTokens, () => undefined);
    const publicClient = createPublicClient({ transport: http(config.rpcUrl, { retryCount: 1 }) }) as PublicClient;
    token = await resolveToken(v.token!, { publicClient, allowedTokens });
  }
  const fee = v.fee === undefined ? 0n : parseAmount(v.fee, token.decimals, { flag: '--fee', symbol: token.symbol });

  // The files hashed (streamed) and checked with the parameters before anything is signed.
  progress.update(fileFlags.length ? `hashing ${fileFlags.length} file${fileFlags.length === 1 ? '' : 's'}` : 'checking');
  let sources: Awaited<ReturnType<typeof readModelFiles>> = [];
  try {
    sources = await readModelFiles(fileFlags);
  } catch (err) {
    if (err instanceof LoomError) badInput(err.shortMessage);
    throw err;
  }
  const built = buildModelParams({
    name: v.name!,
    version: v.version!,
    kind,
    files: sources.map((s) => ({ path: s.path, sha256: s.sha256!, size: s.size })),
    ...(v.image === undefined ? {} : { image: v.image }),
    licenseURI: v.license!,
    token: token.address,
    fee,
    previous,
  });
  if (!built.ok) {
    const first = built.issues[0]!;
    badInput(`${FLAG_OF[first.field]}${first.message.startsWith('"') ? ': ' : ' '}${first.message}`);
  }

  const { result, indexed } = await sendStep(config, progress, {
    what: 'publishing the model',
    noWait: values['no-wait'] === true,
    send: async (s) => {
      if (sources.length) {
        try {
          await uploadModelFiles({
            files: sources,
            signer: s.account,
            chainId: s.chainId,
            market: s.market,
            artifactUrl: config.artifactUrl,
            onFile: (f) => progress.update(`uploading ${f.path} (${f.size} bytes) to ${config.artifactUrl}`),
          });
        } catch (err) {
          if (err instanceof ArtifactUploadError) throw new CliError('API', `${err.message}${err.retryAfterSeconds ? ` (retry in ${err.retryAfterSeconds} s)` : ''}`, { cause: err });
          throw new CliError('API', `cannot upload to ${config.artifactUrl}: ${(err as Error).message}`, { cause: err });
        }
        progress.update('publishing the model');
      }
      return s.writer.publishModel(built.params);
    },
  });
  const p = built.params;
  if (config.json) {
    process.stdout.write(toJson({ modelId: result.modelId, creator: result.creator, previous: result.previous, model: p, txHash: result.hash, blockNumber: result.receipt.blockNumber, indexed }));
  } else {
    process.stdout.write(
      renderFields([
        ['model', String(result.modelId)],
        ['name', `${p.name} ${p.version} (${kind.toLowerCase()})`],
        ...(result.previous ? ([['follows', `model ${result.previous}`]] as const) : []),
        ['creator', result.creator],
        ['fee', p.fee === 0n ? 'free' : `${formatAmount(p.fee, token, TABLE_AMOUNTS)} per job`],
        ['license', p.licenseURI],
        ...(p.image ? ([['image', p.image]] as const) : []),
        ...p.files.map((f) => ['file', `${f.path}  ${f.size} bytes  sha256 ${f.sha256.slice(2)}`] as [string, string]),
        ['tx', `${result.hash} (block ${result.receipt.blockNumber})`],
      ]),
    );
  }
  return 0;
}
