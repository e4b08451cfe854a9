/**
 * Applies image layers (tar streams) in order to a root directory, rootless, as container runtimes
 * do, and refuses any layer that tries to write outside the root.
 *
 * - Whiteouts: `.wh.<name>` deletes `<name>` of the lower layers; `.wh..wh..opq` empties its directory
 *   of lower-layer content (what this layer itself put there stays, wherever the marker stands in the tar).
 * - Dropped: device nodes, fifos, ownership, xattrs, setuid/setgid/sticky bits. Extended headers
 *   (PAX, GNU long names) are read by tar-stream.
 * - Modes (the rule tests compare umoci's tree under): jobs run as an unprivileged uid that does not own the
 *   files, so the owner's r and x bits are copied to group and other: `mode & 0o755 | (mode & 0o500) >> 3
 *   | (mode & 0o500) >> 6`. Group and other never get w (the cache must not be writable by other users of
 *   the host). Directories also keep rwx for their owner, the worker, so it can fill and evict them.
 * - Files keep their mtime (Python compares it with its .pyc caches); directories and links do not.
 * - Hard links are made within the root, to a file an earlier entry made.
 * - Refused with IMAGE_REJECTED (`invalid`): an absolute name, a `..` segment, a name whose parent
 *   path goes through a symlink (or a non-directory), a hard link to such a path or to a missing
 *   file. Symlinks themselves may point anywhere: they are read inside the sandbox, where `/` is the root.
 * - Size: bytes of regular files are counted as they are written; past `maxBytes` the unpack fails
 *   (`too_large`). Registries' descriptors only give compressed sizes, so this is where the unpacked
 *   size is enforced.
 */
import type { Dirent } from 'node:fs';
import { link, lstat, mkdir, open, readdir, rm, symlink, chmod, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { type Readable, Transform, type TransformCallback } from 'node:stream';
import { extract as tarExtract, type Header } from 'tar-stream';
import { ImageRefusalError } from './imageRefusal';

const WRITE_BATCH = 1 << 20;
const umask = process.umask();

/** The mode of an unpacked regular file or symlink target (see the rule above). */
export function unpackedFileMode(mode: number): number {
  return (mode & 0o755) | ((mode & 0o500) >> 3) | ((mode & 0o500) >> 6);
}

/** The mode of an unpacked directory: the file rule, plus rwx for the owner. */
export function unpackedDirMode(mode: number): number {
  return unpackedFileMode(mode) | 0o700;
}

/**
 * Completes a tar stream that stops right after its last file's data: umoci writes layers without
 * the last block's padding and the end-of-archive blocks, which Go's tar reader (Docker, containerd,
 * umoci) takes as the end. The bytes were checked against the layer's digest before this point, so
 * leniency about the trailer lets nothing unpublished in.
 */
class TarEnd extends Transform {
  private bytes = 0;
  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.bytes += chunk.length;
    cb(null, chunk);
  }
  override _flush(cb: TransformCallback): void {
    cb(null, Buffer.alloc(((512 - (this.bytes % 512)) % 512) + 1024));
  }
}

export class LayerUnpacker {
  /** Bytes of regular files written so far, all layers together. */
  unpackedBytes = 0;
  /** Paths (relative to the root) known to be real directories: spares an lstat per entry. */
  private readonly knownDirs = new Set<string>();
  /** Directory modes, applied at the end (until then directories stay writable for their owner). */
  private readonly dirModes = new Map<string, number>();
  /** What the current layer has written: an opaque marker keeps these. */
  private layerPaths = new Set<string>();
  private layer = '';

  constructor(
    private readonly root: string,
    private readonly maxBytes: number,
  ) {}

  /** Applies one layer's uncompressed tar stream. On an error the stream is destroyed with it. */
  async apply(tar: Readable, layer: string): Promise<void> {
    this.layer = layer;
    this.layerPaths = new Set();
    const extract = tarExtract();
    tar.on('error', (err) => extract.destroy(err));
    tar.pipe(new TarEnd()).pipe(extract as unknown as NodeJS.WritableStream);
    try {
      for await (const entry of extract) await this.entry(entry.header, entry as unknown as Readable);
    } catch (err) {
      tar.destroy(err as Error);
      throw err;
    }
  }

  /** Gives directories their modes; call once after the last layer. */
  async finish(): Promise<void> {
    for (const [rel, mode] of this.dirModes) {
      await chmod(join(this.root, rel), mode).catch((err: NodeJS.ErrnoException) => {
        if (err.code !== 'ENOENT') throw err;
      });
    }
  }

  private async entry(header: Header, stream: Readable): Promise<void> {
    const rel = this.relative(header.name, 'entry');
    const slash = rel.lastIndexOf('/');
    const parent = slash < 0 ? '' : rel.slice(0, slash);
    const base = rel.slice(slash + 1);
    if (rel === '' || base.startsWith('.wh.')) {
      stream.resume();
      if (rel === '') return;
      if (!(await this.parents(parent, false))) return;
      if (base === '.wh..wh..opq') return this.opaque(parent);
      const name = base.slice('.wh.'.length);
      if (name === '' || name === '.' || name === '..') throw this.refuse(`the whiteout "${header.name}" names no file`);
      return this.remove(parent === '' ? name : `${parent}/${name}`);
    }
    await this.parents(parent, true);
    this.layerPaths.add(rel);
    const abs = join(this.root, rel);
    switch (header.type) {
      case 'directory':
        await this.replace(abs, rel, () => mkdir(abs, 0o700), true);
        this.knownDirs.add(rel);
        this.dirModes.set(rel, unpackedDirMode(header.mode ?? 0o755));
        stream.resume();
        return;
      case 'file':
      case 'contiguous-file':
        return this.file(abs, rel, header, stream);
      case 'symlink':
        stream.resume();
        if (!header.linkname || header.linkname.includes('\0')) throw this.refuse(`the symlink "${header.name}" has no valid target`);
        return this.replace(abs, rel, () => symlink(header.linkname!, abs));
      case 'link': {
        stream.resume();
        const target = this.relative(header.linkname ?? '', 'hard link target');
        if (target === rel) return;
        if (target === '' || !(await this.parents(target.includes('/') ? target.slice(0, target.lastIndexOf('/')) : '', false))) {
          throw this.refuse(`the hard link "${header.name}" points to "${header.linkname}", which the image does not have`);
        }
        const st = await lstat(join(this.root, target)).catch(() => undefined);
        if (!st || st.isDirectory()) throw this.refuse(`the hard link "${header.name}" points to "${header.linkname}", which is ${st ? 'a directory' : 'missing'}`);
        return this.replace(abs, rel, () => link(join(this.root, target), abs));
      }
      default:
        // Device nodes, fifos and anything else a rootless root cannot or need not hold.
        this.layerPaths.delete(rel);
        stream.resume();
    }
  }

  private async file(abs: string, rel: string, header: Header, stream: Readable): Promise<void> {
    const size = header.size ?? 0;
    this.unpackedBytes += size;
    if (this.unpackedBytes > this.maxBytes) {
      throw new ImageRefusalError('too_large', `the image unpacks to more than ${this.maxBytes} bytes, the most this worker takes (--max-image-gib); stopped at "${header.name}"`);
    }
    const mode = unpackedFileMode(header.mode ?? 0o644);
    let fh: Awaited<ReturnType<typeof open>> | undefined;
    await this.replace(abs, rel, async () => {
      fh = await open(abs, 'wx', mode);
    });
    try {
      let batch: Buffer[] = [];
      let batched = 0;
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        batch.push(chunk);
        batched += chunk.length;
        if (batched >= WRITE_BATCH) {
          await fh!.writev(batch);
          batch = [];
          batched = 0;
        }
      }
      if (batched > 0) await fh!.writev(batch);
      if (mode & umask) await fh!.chmod(mode);
      if (header.mtime) await fh!.utimes(header.mtime, header.mtime);
    } finally {
      await fh!.close();
    }
  }

  /** Runs `create`; when the path is taken (by a lower layer), removes what is there and runs it again. */
  private async replace(abs: string, rel: string, create: () => Promise<unknown>, keepDirectory = false): Promise<void> {
    try {
      await create();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const st = await lstat(abs);
      if (st.isDirectory()) {
        if (keepDirectory) return;
        await rm(abs, { recursive: true, force: true });
        this.forget(rel);
      } else {
        await unlink(abs);
      }
      await create();
    }
  }

  /**
   * Checks that every directory on the way to `rel` is a real directory inside the root (a symlink
   * there would let a later entry write outside it); creates missing ones when `create`, else
   * answers false for a missing one.
   */
  private async parents(rel: string, create: boolean): Promise<boolean> {
    if (rel === '' || this.knownDirs.has(rel)) return true;
    let at = '';
    for (const part of rel.split('/')) {
      at = at === '' ? part : `${at}/${part}`;
      if (this.knownDirs.has(at)) continue;
      const abs = join(this.root, at);
      const st = await lstat(abs).catch((err: NodeJS.ErrnoException) => {
        if (err.code === 'ENOENT') return undefined;
        throw err;
      });
      if (!st) {
        if (!create) return false;
        await mkdir(abs, 0o700);
        this.dirModes.set(at, 0o755);
      } else if (st.isSymbolicLink()) {
        throw this.refuse(`"${rel}" goes through the symlink "${at}": an entry may not be written through a symlink (it could leave the image's root)`);
      } else if (!st.isDirectory()) {
        throw this.refuse(`"${rel}" goes through "${at}", which is not a directory`);
      }
      this.knownDirs.add(at);
    }
    return true;
  }

  /** `.wh..wh..opq` in `dir`: removes everything below it that this layer did not write. */
  private async opaque(dir: string): Promise<void> {
    const walk = async (rel: string): Promise<void> => {
      let children: Dirent[];
      try {
        children = await readdir(join(this.root, rel), { withFileTypes: true });
      } catch {
        return;
      }
      for (const child of children) {
        const childRel = rel === '' ? child.name : `${rel}/${child.name}`;
        if (!this.layerPaths.has(childRel)) await this.remove(childRel);
        else if (child.isDirectory()) await walk(childRel);
      }
    };
    await walk(dir);
  }

  private async remove(rel: string): Promise<void> {
    const abs = join(this.root, rel);
    const st = await lstat(abs).catch(() => undefined);
    if (!st) return;
    if (st.isDirectory()) {
      await rm(abs, { recursive: true, force: true });
      this.forget(rel);
    } else {
      await unlink(abs);
    }
    this.layerPaths.delete(rel);
  }

  /** A directory is gone: what was known about it and below it no longer holds. */
  private forget(rel: string): void {
    this.knownDirs.clear();
    for (const key of this.dirModes.keys()) if (key === rel || key.startsWith(`${rel}/`)) this.dirModes.delete(key);
  }

  /** The entry's path relative to the root ('' for the root itself); refuses names that leave it. */
  private relative(name: string, what: string): string {
    if (name.includes('\0')) throw this.refuse(`a ${what} name contains a NUL byte`);
    // "/" alone is the root itself (umoci writes its root entry so); any other absolute name is refused.
    if (name.startsWith('/') && !/^[/.]*$/.test(name)) throw this.refuse(`the ${what} "${name}" is an absolute path: an entry may not name a path outside the image's root`);
    const parts = name.split('/').filter((p) => p !== '' && p !== '.');
    if (parts.includes('..')) throw this.refuse(`the ${what} "${name}" has a ".." segment: an entry may not leave the image's root`);
    return parts.join('/');
  }

  private refuse(reason: string): ImageRefusalError {
    return new ImageRefusalError('invalid', `layer ${this.layer}: ${reason}`);
  }
}
