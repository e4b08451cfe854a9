/**
 * `loom job result <id> [-o file] [--force] [--json]`: downloads a job's result from its URI and
 * keeps it only if its sha256 is the result hash the worker posted on-chain. `artifact://<sha256>`
 * URIs are fetched from the artifact store (`GET <artifact url>/artifacts/0x<sha256>`, the API's by
 * default); http(s) URIs as they are.
 *
 * The bytes stream to a temporary file beside the destination while they are hashed; on a match the
 * file is renamed into place (atomic), on a mismatch it is deleted: an unverified result is never
 * left where a program would read it.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { type FileHandle, open, readFile, rename, rm, writeFile } from 'node:fs/promises';
import type { Address, Hex } from 'viem';
import { SealError, openResult } from '../../../sdk/sealing';
import { parseSpec } from '../../../sdk/spec/jobSpec';
import { clientSealingKey } from './seal';
import { basename, dirname, join, resolve } from 'node:path';
import { CliError } from '../../cliError';
import { connectionOptions, resolveClientConfig } from '../../config';
import { toJson } from '../../output/format';
import { createProgress } from '../../output/progress';
import { type OptionTable, optionsHelp, parseCommandLine, showHelp } from '../../../sdk/node/options';
import { fetchJob, openReader, openWriter, parseJobId } from '../../session';

const options: OptionTable = {
  output: { type: 'string', short: 'o', value: '<file>', help: 'Where to write it (default result-<id prefix>.tar)' },
  force: { type: 'boolean', help: 'Overwrite the file if it exists' },
  ...connectionOptions,
};

const USAGE = `Usage: loom job result <job id> [options]

Downloads the job's result and verifies its sha256 against the result hash on-chain; writes it only
when they match (worker bundles are tar archives: tar -xf result-….tar). A private job's result
(spec sealed.privateResult) is opened with the client key first, then verified.

Options:
${optionsHelp(options)}`;

/** The URL to fetch a result URI from. */
export function resultUrl(uri: string, artifactUrl: string): string {
  const artifact = /^artifact:\/\/(?:0x)?([0-9a-fA-F]{64})$/.exec(uri);
  if (artifact) return `${artifactUrl.replace(/\/+$/, '')}/artifacts/0x${artifact[1]!.toLowerCase()}`;
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw new CliError('VERIFY_FAILED', `the result URI "${uri}" is neither artifact://<sha256> nor a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new CliError('VERIFY_FAILED', `the result URI "${uri}" is not http(s): fetch it yourself and check its sha256`);
  return url.toString();
}

/** Opens a private result in place (the file at `path` becomes the plaintext bundle); its sha256 and size. */
async function openPrivateResult(o: { path: string; jobId: Hex; client: Address; config: ReturnType<typeof resolveClientConfig>; progress: ReturnType<typeof createProgress> }): Promise<{ actual: string; size: number }> {
  o.progress.update('opening the private result with the client key');
  const session = await openWriter(o.config, o.progress);
  if (session.account.address.toLowerCase() !== o.client.toLowerCase()) {
    await rm(o.path, { force: true });
    throw new CliError('VERIFY_FAILED', `the result is private to the job's client ${o.client}; this key is ${session.account.address} (nothing written)`);
  }
  const key = await clientSealingKey(session.account);
  let plain: Uint8Array;
  try {
    plain = openResult({ envelope: await readFile(o.path), secretKey: key.secretKey, context: { chainId: session.chainId, jobId: o.jobId, recipient: session.account.address } });
  } catch (err) {
    await rm(o.path, { force: true });
    if (err instanceof SealError) throw new CliError('VERIFY_FAILED', `the private result does not open: ${err.shortMessage} (nothing written)`);
    throw err;
  }
  await writeFile(o.path, plain, { mode: 0o600 });
  return { actual: `0x${createHash('sha256').update(plain).digest('hex')}`, size: plain.length };
}

export async function runResult(argv: string[]): Promise<number> {
  const { values, positionals, help } = parseCommandLine(argv, { options, usage: USAGE, positionals: [1, 1] });
  if (help) return showHelp(USAGE);
  const config = resolveClientConfig(values);
  const id = parseJobId(positionals[0]);
  const output = resolve(typeof values.output === 'string' ? values.output : `result-${id.slice(2, 10)}.tar`);
  if (existsSync(output) && !values.force) throw new CliError('BAD_INPUT', `${output} exists (--force to overwrite)`);

  const progress = createProgress();
  progress.update(`reading job ${id}`);
  const job = await fetchJob(openReader(config), id);
  if (!job.resultHash || !job.resultURI) throw new CliError('BAD_INPUT', `job ${id} has no result yet (status ${job.status})`);
  const expected = job.resultHash.toLowerCase();
  const url = resultUrl(job.resultURI, config.artifactUrl);

  progress.update(`downloading ${url}`);
  let res: Response;
  try {
    res = await fetch(url);
  } catch (err) {
    throw new CliError('VERIFY_FAILED', `cannot download the result from ${url}: ${(err as Error).message}`, { cause: err });
  }
  if (!res.ok || !res.body) {
    const body = (await res.json().catch(() => undefined)) as { error?: { code: string; message: string } } | undefined;
    throw new CliError('VERIFY_FAILED', `cannot download the result from ${url}: HTTP ${res.status}${body?.error ? ` ${body.error.code}: ${body.error.message}` : ''}`);
  }

  const total = Number(res.headers.get('content-length')) || undefined;
  const tmp = join(dirname(output), `.${basename(output)}.${randomBytes(4).toString('hex')}.part`);
  let file: FileHandle;
  try {
    file = await open(tmp, 'wx', 0o644);
  } catch (err) {
    throw new CliError('BAD_INPUT', `cannot write to ${dirname(output)}: ${(err as Error).message}`, { cause: err });
  }
  const hash = createHash('sha256');
  let size = 0;
  try {
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      hash.update(chunk);
      size += chunk.length;
      await file.write(chunk);
      progress.update(`downloading ${url}: ${size}${total ? ` of ${total}` : ''} bytes`);
    }
    await file.close();
  } catch (err) {
    await file.close().catch(() => {});
    await rm(tmp, { force: true });
    throw new CliError('VERIFY_FAILED', `the download from ${url} failed: ${(err as Error).message}`, { cause: err });
  }
  let actual = `0x${hash.digest('hex')}`;
  const parsed = parseSpec(job.spec);
  if (parsed.ok && parsed.spec.sealed?.privateResult) {
    // Sealed to the client's key by the worker; the on-chain hash is the plaintext bundle's.
    ({ actual, size } = await openPrivateResult({ path: tmp, jobId: id, client: job.terms.client as Address, config, progress }));
  }
  if (actual !== expected) {
    await rm(tmp, { force: true });
    progress.fail('the result does not match its on-chain hash');
    throw new CliError(
      'VERIFY_FAILED',
      `the downloaded result does not match the job's on-chain result hash: sha256 ${actual}, expected ${expected} (${size} bytes from ${url}; nothing written)`,
    );
  }
  await rename(tmp, output);
  progress.done(`verified ${size} bytes`);
  if (config.json) process.stdout.write(toJson({ jobId: id, path: output, size, sha256: actual, resultHash: expected, uri: job.resultURI, url, verified: true }));
  else process.stdout.write(`wrote ${output} (${size} bytes)\nsha256 ${actual} matches the on-chain result hash\n`);
  return 0;
}
