/**
 * The content-addressed blob cache: `blobs/sha256/<hex>`, shared by every image. A blob is written
 * under `tmp/` while it streams, hashed as it passes, and renamed into `blobs/` only when its size
 * and sha256 match its descriptor: a blob that does not match is discarded (never cached), and a
 * crash mid-download leaves only a temporary file, which `ImageStore.open` removes.
 *
 * Layers are streamed: `open()` hands the caller the blob's bytes as they arrive (from the cache, or
 * from a download that stores them as they pass), so unpacking overlaps the download. Downloads are
 * deduplicated in-process: a second reader of a blob being downloaded waits for it and then reads
 * the file.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { access, readFile, readdir, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { ImageRefusalError } from './imageRefusal';
import type { Descriptor } from './manifest';
import type { RegistryClient, RegistryTarget } from './registryClient';

const hexOf = (digest: string) => digest.slice('sha256:'.length);
const sha256 = (bytes: Buffer) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

export class BlobCache {
  /** Downloads in flight, by digest: resolved once the blob is in the cache. */
  private readonly downloads = new Map<string, Promise<void>>();

  constructor(
    private readonly blobDir: string,
    private readonly tmpDir: string,
    private readonly client: RegistryClient,
  ) {}

  path(digest: string): string {
    return join(this.blobDir, hexOf(digest));
  }

  async has(digest: string): Promise<boolean> {
    return readdirHas(this.blobDir, hexOf(digest));
  }

  /** The digests in the cache. */
  async list(): Promise<string[]> {
    return (await readdir(this.blobDir)).filter((n) => /^[0-9a-f]{64}$/.test(n)).map((n) => `sha256:${n}`);
  }

  /** Whether a download of `digest` is running in this process. */
  downloading(digest: string): boolean {
    return this.downloads.has(digest);
  }

  async remove(digest: string): Promise<void> {
    await rm(this.path(digest), { force: true });
  }

  /**
   * A small blob (a manifest, an index, a config): from the cache, re-hashed (cheap at this size), or
   * fetched, checked against its digest and stored.
   */
  async small(target: RegistryTarget, kind: 'manifests' | 'blobs', digest: string, o: { maxBytes: number; what: string; accept?: string; signal?: AbortSignal }): Promise<{ bytes: Buffer; contentType?: string }> {
    const path = this.path(digest);
    const cached = await readFile(path).catch(() => undefined);
    if (cached && sha256(cached) === digest) return { bytes: cached };
    const res = await this.client.get(target, kind, digest, { accept: o.accept, signal: o.signal });
    const bytes = await readLimited(res, o.maxBytes, `the ${o.what} ${digest}`);
    const got = sha256(bytes);
    if (got !== digest) throw new ImageRefusalError('invalid', `the ${o.what} the registry sent for ${digest} hashes to ${got}: refused`);
    const tmp = join(this.tmpDir, `small-${hexOf(digest)}-${randomBytes(4).toString('hex')}`);
    await writeFile(tmp, bytes);
    await rename(tmp, path);
    return { bytes, contentType: res.headers.get('content-type') ?? undefined };
  }

  /**
   * The bytes of a layer blob as a stream: read from the cache; or, when another pull is downloading
   * it, read from the cache once that download is done; or downloaded now, stored as the bytes pass.
   * A downloaded stream fails (and stores nothing) when the blob does not match its descriptor.
   * `fetched` says whether this call downloaded it.
   */
  async open(target: RegistryTarget, d: Descriptor, signal?: AbortSignal): Promise<{ stream: Readable; fetched: boolean }> {
    for (let tries = 0; ; tries++) {
      if (await this.has(d.digest)) return { stream: createReadStream(this.path(d.digest), { highWaterMark: 1 << 20 }), fetched: false };
      const inFlight = this.downloads.get(d.digest);
      if (!inFlight) return { stream: await this.download(target, d, true, signal), fetched: true };
      try {
        await abortable(inFlight, signal);
      } catch (err) {
        // The other pull's download failed: a bad blob fails this pull too; anything else (that pull
        // was cancelled) is tried once more here.
        if (signal?.aborted || (err instanceof ImageRefusalError && err.code === 'invalid') || tries > 0) throw err;
      }
    }
  }

  /**
   * Starts downloading a layer into the cache, unless it is there or on its way; resolves when stored,
   * with whether this call downloaded it.
   */
  async prefetch(target: RegistryTarget, d: Descriptor, signal?: AbortSignal): Promise<boolean> {
    if (this.downloads.has(d.digest) || (await this.has(d.digest)) || this.downloads.has(d.digest)) return false;
    const stream = await this.download(target, d, false, signal);
    // Its failure is `stored`'s rejection, which the caller awaits.
    stream.on('error', () => {});
    stream.resume();
    await this.downloads.get(d.digest);
    return true;
  }

  private async download(target: RegistryTarget, d: Descriptor, passOn: boolean, signal?: AbortSignal): Promise<Readable> {
    const writer = new BlobWriter(join(this.tmpDir, `blob-${hexOf(d.digest)}-${randomBytes(4).toString('hex')}`), this.path(d.digest), d, passOn);
    this.downloads.set(d.digest, writer.stored);
    void writer.stored.then(
      () => this.downloads.get(d.digest) === writer.stored && this.downloads.delete(d.digest),
      () => this.downloads.get(d.digest) === writer.stored && this.downloads.delete(d.digest),
    );
    let body: Readable;
    try {
      const res = await this.client.get(target, 'blobs', d.digest, { signal });
      if (!res.body) throw new ImageRefusalError('unreachable', `the registry sent no body for blob ${d.digest}`);
      body = Readable.fromWeb(res.body as WebReadableStream<Uint8Array>, { highWaterMark: 1 << 20 });
    } catch (err) {
      writer.destroy(err as Error);
      throw err;
    }
    body.on('error', (err) => writer.destroy(err));
    writer.on('close', () => body.destroy());
    body.pipe(writer);
    return writer;
  }
}

/**
 * Passes a blob's bytes on while writing them to a temporary file and hashing them; at the end,
 * checks size and digest and renames the file into the cache. Any failure removes the file.
 */
class BlobWriter extends Transform {
  readonly stored: Promise<void>;
  private resolveStored!: () => void;
  private rejectStored!: (err: Error) => void;
  private done = false;
  private readonly hash = createHash('sha256');
  private bytes = 0;
  private readonly file: WriteStream;

  constructor(
    private readonly tmp: string,
    private readonly dest: string,
    private readonly d: Descriptor,
    private readonly passOn: boolean,
  ) {
    super({ readableHighWaterMark: 1 << 20, writableHighWaterMark: 1 << 20 });
    this.stored = new Promise((resolve, reject) => ((this.resolveStored = resolve), (this.rejectStored = reject)));
    this.stored.catch(() => {});
    this.file = createWriteStream(tmp, { flags: 'wx' });
    this.file.on('error', (err) => this.destroy(err));
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.d.size) return cb(new ImageRefusalError('invalid', `blob ${this.d.digest} is longer than the ${this.d.size} bytes its descriptor says; it was discarded`));
    this.hash.update(chunk);
    const next = () => cb(null, this.passOn ? chunk : undefined);
    if (this.file.write(chunk)) next();
    else this.file.once('drain', next);
  }

  override _flush(cb: TransformCallback): void {
    if (this.bytes !== this.d.size) return cb(new ImageRefusalError('invalid', `blob ${this.d.digest} ended after ${this.bytes} of its ${this.d.size} bytes; it was discarded`));
    const got = `sha256:${this.hash.digest('hex')}`;
    if (got !== this.d.digest) return cb(new ImageRefusalError('invalid', `blob ${this.d.digest} does not match its digest (its bytes hash to ${got}); it was discarded, not cached`));
    this.file.end(() => {
      rename(this.tmp, this.dest).then(
        () => {
          this.done = true;
          this.resolveStored();
          cb();
        },
        (err: Error) => cb(err),
      );
    });
  }

  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    if (!this.done) {
      this.file.destroy();
      unlink(this.tmp).catch(() => {});
      this.rejectStored(err ?? new Error(`the download of blob ${this.d.digest} was cut short`));
    }
    cb(err);
  }
}

async function readdirHas(dir: string, name: string): Promise<boolean> {
  return access(join(dir, name)).then(
    () => true,
    () => false,
  );
}

async function readLimited(res: Response, maxBytes: number, what: string): Promise<Buffer> {
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (declared > maxBytes) {
    await res.body?.cancel().catch(() => {});
    throw new ImageRefusalError('invalid', `${what} is ${declared} bytes, over the ${maxBytes}-byte limit for it`);
  }
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    total += chunk.length;
    if (total > maxBytes) throw new ImageRefusalError('invalid', `${what} is over the ${maxBytes}-byte limit for it`);
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks);
}

/** `promise`, or the signal's reason as soon as it aborts. */
export function abortable<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => (signal.removeEventListener('abort', onAbort), resolve(v)),
      (e) => (signal.removeEventListener('abort', onAbort), reject(e)),
    );
  });
}
