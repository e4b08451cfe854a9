/**
 * The default artifact store: files on the local disk, named by their sha256.
 *
 * Layout: `<dir>/<first two hex digits>/<64 hex digits>`, and `<dir>/tmp/` for uploads in progress.
 * An upload streams into a temporary file while it is hashed and counted, is checked (size, expected
 * hash), flushed to disk, and only then renamed to its hash: rename is atomic, so a reader never sees
 * a partial file, and a crash leaves at most a temporary file, removed on the next start.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, opendir, readdir, rename, rm, stat, unlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import {
  ArtifactError,
  type ArtifactHash,
  type ArtifactSource,
  type ArtifactStore,
  type ListedArtifact,
  type PutOptions,
  type PutResult,
  type StoredArtifact,
} from './artifactStore';

export type LocalArtifactStoreOptions = {
  /** Where the files live (created when missing). */
  dir: string;
};

/** The default directory: LOOM_ARTIFACT_DIR, else `.data/artifacts` under the working directory. */
export function defaultArtifactDir(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.LOOM_ARTIFACT_DIR || join('.data', 'artifacts'));
}

/**
 * @example
 * const store = new LocalArtifactStore({ dir: '.data/artifacts' });
 * const { hash } = await store.put(new TextEncoder().encode('hello'));
 */
export class LocalArtifactStore implements ArtifactStore {
  readonly dir: string;
  private readonly tmpDir: string;
  private ready: Promise<void> | undefined;

  constructor(options: LocalArtifactStoreOptions) {
    this.dir = resolve(options.dir);
    this.tmpDir = join(this.dir, 'tmp');
  }

  /** Creates the directories and removes uploads a crash left behind (once, on first use). */
  private init(): Promise<void> {
    this.ready ??= (async () => {
      await mkdir(this.tmpDir, { recursive: true });
      for (const name of await readdir(this.tmpDir)) await rm(join(this.tmpDir, name), { force: true });
    })();
    return this.ready;
  }

  private pathOf(hash: ArtifactHash): string {
    const hex = hash.slice(2);
    return join(this.dir, hex.slice(0, 2), hex);
  }

  async has(hash: ArtifactHash): Promise<boolean> {
    try {
      return (await stat(this.pathOf(hash))).isFile();
    } catch {
      return false;
    }
  }

  async get(hash: ArtifactHash): Promise<StoredArtifact | null> {
    const path = this.pathOf(hash);
    let size: number;
    try {
      const st = await stat(path);
      if (!st.isFile()) return null;
      size = st.size;
    } catch {
      return null;
    }
    return { size, body: Readable.toWeb(createReadStream(path)) as ReadableStream<Uint8Array> };
  }

  /** Walks `<dir>/<2 hex>/`: only names that are a full hash under their own prefix count (tmp/ is skipped). */
  async *list(): AsyncIterable<ListedArtifact> {
    let top: string[];
    try {
      top = await readdir(this.dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    for (const prefix of top.sort()) {
      if (!PREFIX.test(prefix)) continue;
      let entries: AsyncIterable<{ name: string; isFile(): boolean }>;
      try {
        entries = await opendir(join(this.dir, prefix));
      } catch {
        continue; // removed meanwhile
      }
      for await (const entry of entries) {
        if (!entry.isFile() || !NAME.test(entry.name) || !entry.name.startsWith(prefix)) continue;
        let st: Awaited<ReturnType<typeof stat>>;
        try {
          st = await stat(join(this.dir, prefix, entry.name));
        } catch {
          continue; // deleted meanwhile
        }
        // mtime: set when the upload's temporary file was written, kept by the rename.
        yield { hash: `0x${entry.name}` as ArtifactHash, size: st.size, storedAt: st.mtime };
      }
    }
  }

  async delete(hash: ArtifactHash): Promise<boolean> {
    try {
      await unlink(this.pathOf(hash));
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw err;
    }
  }

  async put(source: ArtifactSource, options: PutOptions = {}): Promise<PutResult> {
    await this.init();
    const maxBytes = options.maxBytes ?? Number.POSITIVE_INFINITY;
    const tmp = join(this.tmpDir, `${Date.now()}-${randomBytes(8).toString('hex')}`);
    const file = await open(tmp, 'wx', 0o644);
    const hasher = createHash('sha256');
    let size = 0;
    let closed = false;
    try {
      for await (const chunk of chunks(source)) {
        size += chunk.length;
        if (size > maxBytes) throw new ArtifactError('TOO_LARGE', `the artifact is over the ${maxBytes}-byte limit`);
        hasher.update(chunk);
        await file.write(chunk);
      }
      await file.sync();
      await file.close();
      closed = true;
      const hash = `0x${hasher.digest('hex')}` as ArtifactHash;
      if (options.expected !== undefined && options.expected.toLowerCase() !== hash) {
        throw new ArtifactError('HASH_MISMATCH', `the bytes hash to ${hash}, not ${options.expected.toLowerCase()}`);
      }
      if (await this.has(hash)) {
        await rm(tmp, { force: true });
        return { hash, size, created: false };
      }
      const final = this.pathOf(hash);
      await mkdir(join(final, '..'), { recursive: true });
      await rename(tmp, final);
      return { hash, size, created: true };
    } catch (err) {
      if (!closed) await file.close().catch(() => {});
      await rm(tmp, { force: true });
      throw err;
    }
  }
}

const PREFIX = /^[0-9a-f]{2}$/;
const NAME = /^[0-9a-f]{64}$/;

async function* chunks(source: ArtifactSource): AsyncIterable<Uint8Array> {
  if (source instanceof Uint8Array) {
    yield source;
    return;
  }
  // Web streams and Node streams are both async iterables in Node 20.
  for await (const chunk of source as AsyncIterable<Uint8Array | string>) {
    yield typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
  }
}
