/**
 * Fetches a job's inputs into its directory and checks each against the sha256 the spec names,
 * all before the job runs: a job whose inputs are unreachable, too large or not what the client
 * hashed is refused without running anything.
 *
 * Bounded everywhere: a size cap per input and in total (checked against Content-Length first,
 * then while streaming), a time limit per input, at most 5 redirects, http(s) only. By default
 * hosts that resolve to loopback, private or link-local addresses are refused, so a spec cannot
 * make the worker fetch from its own machine or network (the artifact store, configured by the
 * operator, is exempt). The check resolves names before fetching, which leaves a DNS-rebinding
 * window; the hash check still decides what reaches the job.
 *
 * Files are written under a temporary name, hashed while streaming, renamed only once verified,
 * and made read-only (0444) so the sandbox user can read but nobody can change them.
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { chmod, mkdir, rename, rm } from 'node:fs/promises';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { WorkerError } from '../errors';
import { type JobInput, parseInputUri } from '../../sdk/spec/jobSpec';

export type FetchInputsOptions = {
  /** Directory the files are written into (the job's in/). */
  dir: string;
  /** Base URL of the Loom artifact store: artifact://<sha256> is fetched from `${base}/artifacts/0x<sha256>`. */
  artifactBaseUrl?: string;
  /** Largest input, bytes (default 4 GiB). */
  maxInputBytes?: number;
  /** Largest total of a job's inputs, bytes (default 16 GiB). */
  maxTotalBytes?: number;
  /** Time limit per input, from request to last byte (default 10 minutes). */
  timeoutMs?: number;
  /** Allow hosts on loopback, private and link-local addresses (default false; tests and private deployments). */
  allowPrivateNetwork?: boolean;
  signal?: AbortSignal;
  /** The fetch to use (default: global fetch). */
  fetch?: typeof fetch;
};

export type StagedInput = {
  name: string;
  sha256: string;
  size: number;
  /** The verified file on the host. */
  hostPath: string;
  /** Where the sandbox mounts it, read-only. */
  mountPath: string;
};

const MAX_REDIRECTS = 5;

/**
 * An input to fetch: a spec's, or a private one from a sealed bundle, fetched with its request
 * `headers` (sent to its own origin only, never after a redirect elsewhere) and named in reasons
 * without its URL (`private`), since both are secrets. `label`: how reasons name it instead (a model's file).
 */
export type FetchableInput = JobInput & { headers?: Record<string, string>; private?: boolean; label?: string };

/**
 * Fetches and verifies every input, one after another; throws INPUT_REJECTED with the input's
 * name and the reason at the first failure, leaving no unverified file behind.
 *
 * @example
 * const staged = await fetchInputs(spec.inputs, { dir: join(jobDir, 'in') });
 */
export async function fetchInputs(inputs: FetchableInput[], options: FetchInputsOptions): Promise<StagedInput[]> {
  const maxInput = options.maxInputBytes ?? 4 * 2 ** 30;
  let budget = options.maxTotalBytes ?? 16 * 2 ** 30;
  await mkdir(options.dir, { recursive: true, mode: 0o755 });
  await chmod(options.dir, 0o755);
  const staged: StagedInput[] = [];
  for (const input of inputs) {
    const limit = Math.min(maxInput, budget);
    const size = await fetchOne(input, limit, options).catch((err: unknown) => {
      if (err instanceof WorkerError) throw err;
      throw reject(input, describeFetchError(err));
    });
    budget -= size;
    staged.push({ name: input.name, sha256: input.sha256, size, hostPath: join(options.dir, input.name), mountPath: input.mountPath });
  }
  return staged;
}

async function fetchOne(input: FetchableInput, limit: number, options: FetchInputsOptions): Promise<number> {
  if (input.size !== undefined && input.size > limit) throw reject(input, `its declared size ${input.size} bytes is over the ${limit}-byte limit`);
  const source = parseInputUri(input.uri);
  if (source === undefined) throw reject(input, 'unsupported URI');
  let url: URL;
  let trusted = false;
  if (source.kind === 'artifact') {
    if (!options.artifactBaseUrl) throw reject(input, 'artifact:// inputs need an artifact store, and none is configured');
    url = new URL(`artifacts/0x${source.sha256}`, options.artifactBaseUrl.endsWith('/') ? options.artifactBaseUrl : `${options.artifactBaseUrl}/`);
    trusted = true;
  } else url = source.url;

  const signals = [AbortSignal.timeout(options.timeoutMs ?? 10 * 60_000), ...(options.signal ? [options.signal] : [])];
  const signal = AbortSignal.any(signals);
  const doFetch = options.fetch ?? fetch;

  let response: Response | undefined;
  const origin = url.origin;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw reject(input, `redirected to a ${url.protocol} URL`);
    if (!trusted && !options.allowPrivateNetwork) await assertPublicHost(input, url);
    const own = url.origin === origin ? (input.headers ?? {}) : {};
    response = await doFetch(url, { redirect: 'manual', signal, headers: { ...own, 'user-agent': 'loom-worker', 'accept-encoding': 'identity' } });
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location !== null) {
      await response.body?.cancel();
      url = new URL(location, url);
      // A redirect away from the artifact store is an ordinary, untrusted URL.
      trusted = trusted && options.artifactBaseUrl !== undefined && url.origin === new URL(options.artifactBaseUrl).origin;
      response = undefined;
      continue;
    }
    break;
  }
  if (response === undefined) throw reject(input, `more than ${MAX_REDIRECTS} redirects`);
  if (response.status !== 200) {
    await response.body?.cancel();
    throw reject(input, `HTTP ${response.status} from ${input.private ? 'its host' : url.origin}`);
  }
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > limit) {
    await response.body?.cancel();
    throw reject(input, `it is ${declared} bytes, over the ${limit}-byte limit`);
  }
  if (response.body === null) throw reject(input, 'the response has no body');

  const finalPath = join(options.dir, input.name);
  const partPath = join(options.dir, `.${input.name}.part`);
  const hash = createHash('sha256');
  const out = createWriteStream(partPath, { mode: 0o600 });
  let size = 0;
  try {
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      size += chunk.length;
      if (size > limit) throw reject(input, `it is over the ${limit}-byte limit`);
      hash.update(chunk);
      if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
    }
    out.end();
    await finished(out);
    const actual = hash.digest('hex');
    if (actual !== input.sha256) throw reject(input, `sha256 mismatch: expected ${input.sha256}, got ${actual}`);
    if (input.size !== undefined && input.size !== size) throw reject(input, `size mismatch: expected ${input.size} bytes, got ${size}`);
    await chmod(partPath, 0o444);
    await rename(partPath, finalPath);
    return size;
  } catch (err) {
    out.destroy();
    await rm(partPath, { force: true });
    throw err;
  }
}

function reject(input: FetchableInput, why: string): WorkerError {
  const what = input.label ?? (input.private ? `private input "${input.name}"` : `input "${input.name}" (${input.uri})`);
  return new WorkerError('INPUT_REJECTED', `${what}: ${why}`);
}

function describeFetchError(err: unknown): string {
  const e = err as Error & { cause?: { code?: string; message?: string } };
  if (e.name === 'TimeoutError') return 'timed out';
  if (e.name === 'AbortError') return 'cancelled';
  const cause = e.cause?.code ?? e.cause?.message;
  return cause ? `${e.message} (${cause})` : e.message;
}

/** Refuses hosts that are, or resolve to, loopback, private, link-local or otherwise local addresses. */
async function assertPublicHost(input: FetchableInput, url: URL): Promise<void> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  if (isIP(host)) addresses = [host];
  else {
    try {
      addresses = (await lookup(host, { all: true })).map((a) => a.address);
    } catch (err) {
      throw reject(input, input.private ? 'cannot resolve its host' : `cannot resolve ${host}: ${(err as Error).message}`);
    }
  }
  const local = addresses.find(isLocalAddress);
  if (local !== undefined) throw reject(input, `${input.private ? 'its host' : host} is a local or private address (${local}); the worker only fetches from public hosts`);
}

export function isLocalAddress(address: string): boolean {
  const v4 = /^(?:::ffff:)?(\d+)\.(\d+)\.(\d+)\.(\d+)$/i.exec(address);
  if (v4) {
    const [a, b] = [Number(v4[1]), Number(v4[2])];
    return (
      a === 0 || a === 10 || a === 127 || a >= 224 ||
      (a === 100 && b >= 64 && b <= 127) ||
      (a === 169 && b === 254) ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 198 && (b === 18 || b === 19))
    );
  }
  const v6 = address.toLowerCase();
  return v6 === '::' || v6 === '::1' || /^f[cd]/.test(v6) || /^fe[89ab]/.test(v6) || v6.startsWith('ff');
}
