/**
 * The model cache: every model file by its sha256, `<data dir>/models/sha256/<hex>`, shared by every
 * job that uses it, kept across jobs and restarts. A file is fetched from the artifact store the way
 * an `artifact://` input is (fetchInputs: size and time bounded, hashed while it streams, renamed into
 * place only once its sha256 and size match, made read-only 0444), so the cache holds nothing
 * unverified; a crash mid-download leaves only a `.part` file, removed at the next open.
 *
 * Files are held by the jobs that use them, from the check before the claim until the job leaves
 * (run, not chosen, lapsed); past `cacheBytes`, the least recently used files no job holds are
 * removed. Downloads of one file are shared by the jobs that ask for it at once.
 */
import { chmod, mkdir, readdir, rm, stat, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { WorkerError } from '../errors';
import { fetchInputs } from '../inputs/fetchInputs';
import type { ModelFileMount } from './jobModels';

export type ModelStoreOptions = {
  /** The cache's directory (`<data dir>/models`). */
  dir: string;
  /** The artifact store model files are fetched from (`GET <url>/artifacts/0x<sha256>`). */
  artifactBaseUrl: string;
  /** Bytes kept; least recently used files no job holds are removed past it. */
  cacheBytes: number;
  /** Time limit per file (default: fetchInputs', 10 minutes). */
  timeoutMs?: number;
  /** The fetch to use (default: global fetch). The artifact store is the operator's: it may be on loopback. */
  fetch?: typeof fetch;
};

/** A job's model files on this machine: host file -> mount path; or why they cannot be had. */
export type ModelsReady = { ok: true; files: { hostPath: string; mountPath: string }[] } | { ok: false; reason: string };

const hexName = /^[0-9a-f]{64}$/;

export class ModelStore {
  /** Cached files: sha256 -> size. */
  private readonly sizes = new Map<string, number>();
  /** When each cached file was last used (ms): eviction order. */
  private readonly used = new Map<string, number>();
  /** Downloads in flight, by sha256. */
  private readonly downloads = new Map<string, Promise<void>>();
  /** Files each holder (a job id) uses: never evicted while held. */
  private readonly holds = new Map<string, Set<string>>();

  private constructor(
    private readonly o: ModelStoreOptions,
    private readonly filesDir: string,
  ) {}

  /** Opens (or creates) the cache: removes what a crash left half-written and learns what is there. */
  static async open(o: ModelStoreOptions): Promise<ModelStore> {
    const filesDir = join(o.dir, 'sha256');
    // The sandbox user (nobody, when the worker is root) reads the files through bind mounts: it needs x on the way.
    await mkdir(filesDir, { recursive: true, mode: 0o711 });
    await chmod(o.dir, 0o711);
    const store = new ModelStore(o, filesDir);
    for (const name of await readdir(filesDir)) {
      if (!hexName.test(name)) {
        await rm(join(filesDir, name), { recursive: true, force: true });
        continue;
      }
      const s = await stat(join(filesDir, name));
      store.sizes.set(name, s.size);
      store.used.set(name, s.mtimeMs);
    }
    return store;
  }

  /** Where a file is cached. */
  path(sha256: string): string {
    return join(this.filesDir, sha256);
  }

  /** Bytes cached. */
  get size(): number {
    let n = 0;
    for (const s of this.sizes.values()) n += s;
    return n;
  }

  /**
   * Holds a job's model files for `holder` and fetches those not cached yet, each checked against
   * its sha256 and size. A file that cannot be had (the store does not have it, it does not match,
   * it is too slow) is the reason, and the hold is let go; the worker's own failures (the disk) throw.
   *
   * @example
   * const ready = await models.prepare(jobId, job.models);
   * if (!ready.ok) refuse('models', ready.reason);
   */
  async prepare(holder: string, files: readonly ModelFileMount[], signal?: AbortSignal): Promise<ModelsReady> {
    if (files.length === 0) return { ok: true, files: [] };
    const held = this.holds.get(holder) ?? new Set<string>();
    for (const f of files) held.add(f.sha256);
    this.holds.set(holder, held);
    try {
      for (const f of files) await this.ensure(f, signal);
    } catch (err) {
      this.release(holder);
      if (err instanceof WorkerError && err.code === 'INPUT_REJECTED') return { ok: false, reason: err.shortMessage };
      throw err;
    }
    return { ok: true, files: files.map((f) => ({ hostPath: this.path(f.sha256), mountPath: f.mountPath })) };
  }

  /** The job left: its files may be evicted again. */
  release(holder: string): void {
    if (!this.holds.delete(holder)) return;
    void this.evict().catch(() => {});
  }

  private async ensure(f: ModelFileMount, signal?: AbortSignal): Promise<void> {
    for (;;) {
      const cached = this.sizes.get(f.sha256);
      if (cached !== undefined) {
        // A file of the same hash and another size cannot be: the declared size is wrong.
        if (cached !== f.size) throw new WorkerError('INPUT_REJECTED', `model ${f.model}, file ${f.mountPath}: size mismatch: expected ${f.size} bytes, its sha256 is ${cached} bytes`);
        const now = Date.now();
        this.used.set(f.sha256, now);
        await utimes(this.path(f.sha256), now / 1000, now / 1000).catch(() => {});
        return;
      }
      const running = this.downloads.get(f.sha256);
      if (running) {
        // Another job's download: its failure (its signal, say) is not this one's; look again.
        await running.catch(() => {});
        if (signal?.aborted) throw signal.reason;
        continue;
      }
      await this.download(f, signal);
    }
  }

  private download(f: ModelFileMount, signal?: AbortSignal): Promise<void> {
    const running = (async () => {
      await fetchInputs(
        [{ name: f.sha256, uri: `artifact://${f.sha256}`, sha256: f.sha256, size: f.size, mountPath: f.mountPath, label: `model ${f.model}, file ${f.mountPath} (artifact://${f.sha256})` }],
        {
          dir: this.filesDir,
          artifactBaseUrl: this.o.artifactBaseUrl,
          maxInputBytes: f.size,
          maxTotalBytes: f.size,
          ...(this.o.timeoutMs === undefined ? {} : { timeoutMs: this.o.timeoutMs }),
          ...(this.o.fetch ? { fetch: this.o.fetch } : {}),
          ...(signal ? { signal } : {}),
        },
      );
      // fetchInputs made the directory listable (0755): nobody needs to list it.
      await chmod(this.filesDir, 0o711);
      this.sizes.set(f.sha256, f.size);
      this.used.set(f.sha256, Date.now());
      await this.evict();
    })();
    this.downloads.set(f.sha256, running);
    return running.finally(() => this.downloads.delete(f.sha256));
  }

  /** Removes the least recently used files no job holds while the cache is over its size. */
  private async evict(): Promise<void> {
    let total = this.size;
    if (total <= this.o.cacheBytes) return;
    const held = new Set<string>();
    for (const h of this.holds.values()) for (const s of h) held.add(s);
    const candidates = [...this.sizes.keys()].filter((s) => !held.has(s) && !this.downloads.has(s)).sort((a, b) => (this.used.get(a) ?? 0) - (this.used.get(b) ?? 0));
    for (const sha of candidates) {
      if (total <= this.o.cacheBytes) return;
      const size = this.sizes.get(sha) ?? 0;
      this.sizes.delete(sha);
      this.used.delete(sha);
      await rm(this.path(sha), { force: true });
      total -= size;
    }
  }
}
