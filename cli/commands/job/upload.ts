/**
 * `loom job upload <file> [--purpose input|model] [--json]`: puts a file into the artifact store
 * (`PUT <artifact url>/artifacts/0x<sha256>`, the API's by default), signed with the client key
 * (sdk/artifactUpload.ts: the store takes signed uploads only, within each signer's quota), and
 * prints the `artifact://<sha256>` URI and sha256 to put in a job spec's `inputs`.
 *
 * The file is hashed first (streamed), then streamed to the store, which checks the bytes against
 * the signed hash. Unreferenced artifacts are collected after the store's grace period (7 days by
 * default): post the job that uses an input soon after uploading it.
 */
import { openAsBlob } from 'node:fs';
import { resolve } from 'node:path';
import { ArtifactUploadError, artifactPurposes, putArtifact, signArtifactUpload, type ArtifactPurpose } from '../../../sdk/artifactUpload';
import { regularFileSize, sha256OfFile } from '../../../sdk/node/localFile';
import { type OptionTable, optionsHelp, parseCommandLine, showHelp } from '../../../sdk/node/options';
import { CliError } from '../../cliError';
import { connectionOptions, resolveClientConfig } from '../../config';
import { toJson } from '../../output/format';
import { createProgress } from '../../output/progress';
import { openWriter } from '../../session';

const options: OptionTable = {
  purpose: { type: 'string', value: '<input|model>', help: 'What the file is for (default input)' },
  ...connectionOptions,
};

const USAGE = `Usage: loom job upload <file> [options]

Uploads a file to the artifact store, signed with the client key, and prints its artifact:// URI and
sha256 for a job spec's inputs ({ "uri": "artifact://…", "sha256": "…" }). Artifacts no job refers
to are deleted after the store's grace period (7 days by default).

Options:
${optionsHelp(options)}`;

export async function runUpload(argv: string[]): Promise<number> {
  const { values, positionals, help } = parseCommandLine(argv, { options, usage: USAGE, positionals: [1, 1] });
  if (help) return showHelp(USAGE);
  const config = resolveClientConfig(values);
  const purpose = (typeof values.purpose === 'string' ? values.purpose : 'input') as ArtifactPurpose;
  if (purpose === 'result' || !artifactPurposes.includes(purpose)) {
    throw new CliError('BAD_INPUT', `--purpose must be input or model (results are uploaded by workers), got "${purpose}"`);
  }
  const path = resolve(positionals[0]!);
  let size: number;
  try {
    size = await regularFileSize(path);
  } catch (err) {
    throw new CliError('BAD_INPUT', `cannot read ${path}: ${(err as Error).message}`, { cause: err });
  }

  const progress = createProgress();
  progress.update(`hashing ${path}`);
  const sha256 = (await sha256OfFile(path)).slice(2);

  const session = await openWriter(config, progress);
  progress.update(`uploading ${size} bytes to ${config.artifactUrl}`);
  const headers = await signArtifactUpload({ signer: session.account, chainId: session.chainId, market: session.market, sha256, size, purpose });
  let uploaded: Awaited<ReturnType<typeof putArtifact>>;
  try {
    uploaded = await putArtifact({ baseUrl: config.artifactUrl, body: await openAsBlob(path), sha256, headers });
  } catch (err) {
    progress.fail('upload refused');
    if (err instanceof ArtifactUploadError) {
      const later = err.retryAfterSeconds ? ` (retry in ${err.retryAfterSeconds} s)` : '';
      throw new CliError('API', `${err.message}${later}`, { cause: err });
    }
    throw new CliError('API', `cannot upload to ${config.artifactUrl}: ${(err as Error).message}`, { cause: err });
  }
  progress.done(uploaded.created ? `stored ${size} bytes` : 'already stored');
  if (config.json) process.stdout.write(toJson({ path, size, sha256, uri: uploaded.uri, created: uploaded.created, purpose }));
  else process.stdout.write(`${uploaded.uri}\nsha256 ${sha256} (${size} bytes${uploaded.created ? '' : ', already stored'})\n`);
  return 0;
}
