/**
 * The unpacked roots, by manifest digest: `roots/<hex>/rootfs` (the tree a job sees as `/`) and
 * `roots/<hex>/image.json` (the image's config, sizes and the blobs it was made from), so a cached
 * image needs no registry request. A root is complete once its directory has been renamed into
 * `roots/`: it is built under `tmp/` first.
 *
 * Least recently used roots go first when the unpacked bytes pass the cap; a root held by a job
 * (an unreleased PreparedImage) is never evicted. Last use is kept as image.json's mtime, so the
 * order survives restarts.
 */
import { randomBytes } from 'node:crypto';
import { readFile, readdir, rename, rm, stat, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import type { ImageConfig, Platform } from './imageTypes';

/** What image.json holds. */
export type RootRecord = {
  manifestDigest: string;
  /** The reference it was first pulled as (for people reading the cache). */
  ref: string;
  platform: Platform;
  config: ImageConfig;
  /** Bytes of regular files in the root: what counts against the cap. */
  unpackedBytes: number;
  compressedBytes: number;
  /** Every blob it was made from (indexes that led to it, manifest, config, layers): kept while it is. */
  blobs: string[];
  /**
   * Pulled with a job's registry credentials: served only to a job whose own reference and
   * credentials (or anonymity) the registry answers for that manifest (imageStore.ts: authorize).
   * Absent: pulled anonymously.
   */
  private?: true;
};

export type RootEntry = RootRecord & { hex: string; lastUsed: number; holds: number };

export class RootCache {
  private readonly entries = new Map<string, RootEntry>();

  private constructor(readonly dir: string) {}

  /** Reads `roots/`; anything there that is not a complete root is removed. */
  static async load(dir: string, warn: (o: object, msg: string) => void): Promise<RootCache> {
    const cache = new RootCache(dir);
    for (const name of await readdir(dir)) {
      const path = join(dir, name);
      try {
        if (!/^[0-9a-f]{64}$/.test(name)) throw new Error('not a root');
        const record = JSON.parse(await readFile(join(path, 'image.json'), 'utf8')) as RootRecord;
        if (record.manifestDigest !== `sha256:${name}` || !Array.isArray(record.blobs)) throw new Error('image.json does not describe this root');
        await stat(join(path, 'rootfs'));
        const { mtimeMs } = await stat(join(path, 'image.json'));
        cache.entries.set(record.manifestDigest, { ...record, hex: name, lastUsed: mtimeMs, holds: 0 });
      } catch (err) {
        warn({ path, err: (err as Error).message }, 'image cache: removing an unusable root');
        await rm(path, { recursive: true, force: true });
      }
    }
    return cache;
  }

  get(manifestDigest: string): RootEntry | undefined {
    return this.entries.get(manifestDigest);
  }

  rootDir(e: RootEntry): string {
    return join(this.dir, e.hex, 'rootfs');
  }

  add(e: RootEntry): void {
    this.entries.set(e.manifestDigest, e);
  }

  /** Unpacked bytes of every root. */
  totalBytes(): number {
    let total = 0;
    for (const e of this.entries.values()) total += e.unpackedBytes;
    return total;
  }

  /** Every blob some root was made from. */
  referencedBlobs(): Set<string> {
    const out = new Set<string>();
    for (const e of this.entries.values()) for (const b of e.blobs) out.add(b);
    return out;
  }

  /** Every index or manifest a private root was made from (its layers and config are reached only through them). */
  privateBlobs(): Set<string> {
    const out = new Set<string>();
    for (const e of this.entries.values()) if (e.private) for (const b of e.blobs) out.add(b);
    return out;
  }

  /** Marks a use (now), persisted as image.json's mtime. */
  async touch(e: RootEntry): Promise<void> {
    e.lastUsed = Date.now();
    const t = new Date(e.lastUsed);
    await utimes(join(this.dir, e.hex, 'image.json'), t, t).catch(() => {});
  }

  /**
   * Takes the least recently used unheld roots out of the cache until the rest fit in `capBytes`
   * (chosen at once, so a root cannot be held and evicted at the same time), then deletes them:
   * each is first renamed into `trashDir`, so no half-deleted root is ever seen in `roots/`.
   */
  async evict(capBytes: number, trashDir: string): Promise<RootEntry[]> {
    let total = this.totalBytes();
    const victims: RootEntry[] = [];
    const candidates = [...this.entries.values()].filter((e) => e.holds === 0).sort((a, b) => a.lastUsed - b.lastUsed);
    for (const e of candidates) {
      if (total <= capBytes) break;
      this.entries.delete(e.manifestDigest);
      victims.push(e);
      total -= e.unpackedBytes;
    }
    for (const e of victims) {
      const trash = join(trashDir, `evicted-${e.hex}-${randomBytes(4).toString('hex')}`);
      await rename(join(this.dir, e.hex), trash);
      await rm(trash, { recursive: true, force: true });
    }
    return victims;
  }
}
