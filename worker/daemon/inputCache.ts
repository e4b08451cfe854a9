/**
 * Inputs fetched and verified before the worker commits to a job: a job whose inputs cannot be
 * fetched or do not match their sha256 is refused before any transaction (no claim, no bid, no gas).
 * The verified files are kept and served to `executeJob` in place of the network, which checks
 * their hashes once more as it stages them.
 */
import { createReadStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { WorkerError } from '../errors';
import { type FetchInputsOptions, fetchInputs } from '../inputs/fetchInputs';
import { type JobInput, parseInputUri } from '../../sdk/spec/jobSpec';

export type InputCheck = { ok: true } | { ok: false; reason: string };

export class InputCache {
  /** jobId -> URL -> verified file. */
  private readonly files = new Map<string, Map<string, string>>();

  constructor(
    private readonly dir: string,
    private readonly options: Omit<FetchInputsOptions, 'dir' | 'signal'>,
  ) {}

  /** Fetches and verifies a job's inputs; the reason when they are refused. */
  async verify(jobId: string, inputs: JobInput[], signal?: AbortSignal): Promise<InputCheck> {
    if (inputs.length === 0) return { ok: true };
    const dir = join(this.dir, jobId.replace(/^0x/, ''));
    try {
      const staged = await fetchInputs(inputs, { ...this.options, dir, ...(signal ? { signal } : {}) });
      const byUrl = new Map<string, string>();
      staged.forEach((s, i) => byUrl.set(this.urlOf(inputs[i]!), s.hostPath));
      this.files.set(jobId, byUrl);
      return { ok: true };
    } catch (err) {
      await rm(dir, { recursive: true, force: true });
      if (err instanceof WorkerError && err.code === 'INPUT_REJECTED') return { ok: false, reason: err.shortMessage };
      throw err;
    }
  }

  /** A fetch for `executeJob` that serves this job's verified files and passes anything else on. */
  fetchFor(jobId: string): typeof fetch {
    const byUrl = this.files.get(jobId);
    const network = this.options.fetch ?? fetch;
    return (async (input: string | URL | Request, init?: RequestInit) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      const path = byUrl?.get(url);
      if (path !== undefined) {
        try {
          const { size } = await stat(path);
          return new Response(Readable.toWeb(createReadStream(path)) as ReadableStream, { status: 200, headers: { 'content-length': String(size) } });
        } catch {
          // Gone (a restart cleaned up): fetch it again.
        }
      }
      return network(input, init);
    }) as typeof fetch;
  }

  async drop(jobId: string): Promise<void> {
    this.files.delete(jobId);
    await rm(join(this.dir, jobId.replace(/^0x/, '')), { recursive: true, force: true });
  }

  private urlOf(input: JobInput): string {
    const source = parseInputUri(input.uri)!;
    if (source.kind === 'url') return source.url.href;
    const base = this.options.artifactBaseUrl ?? '';
    return new URL(`artifacts/0x${source.sha256}`, base.endsWith('/') ? base : `${base}/`).href;
  }
}
