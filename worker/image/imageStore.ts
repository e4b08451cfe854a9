/**
 * The worker's image store: checks images before a claim, pulls them by digest, unpacks them into
 * roots that jobs run in, and caches both.
 *
 * Layout under `dir`:
 *   blobs/sha256/<hex>   verified blobs (layers, manifests, indexes, configs), shared between images
 *   roots/<hex>/         one unpacked image per manifest digest: rootfs/ and image.json (rootCache.ts)
 *   tmp/                 downloads and roots being built; emptied by open(), so a crash mid-pull
 *                        leaves nothing a later run could mistake for complete
 * The cache directory is assumed to be this process's alone (one worker per directory).
 *
 * A pull streams: each layer's bytes go to the blob cache (hashed as they pass) and, at the same
 * time, through gunzip into the unpacker, layers in order; the next layers download to the cache
 * meanwhile. A blob that does not match its digest fails the pull and is not kept.
 *
 * What the cache keeps: roots up to `cacheBytes` of unpacked files (least recently used evicted
 * past it, never one a job holds), and the blobs those roots were made from. When roots are evicted,
 * every blob no remaining root was made from goes too (layers, manifests and configs alike), so the
 * blob cache stays about the size of the roots' compressed images; blobs of a pull that was
 * interrupted or refused after they were verified stay until then (or the next open(), which keeps
 * only blobs of complete roots), and a new pull reuses them.
 * Cached layer blobs are trusted (they were hashed when written); small ones are hashed again on read.
 *
 * Private images (a job whose spec says `sealed.registryAuth`, README.md: Private images): pulled
 * with that job's credentials from the bundle, which live only in memory for that call. Their digests
 * are public (the spec is on-chain), so a cache keyed by digest alone would hand a private root to
 * anyone who names it: a root pulled with credentials is marked `private` in image.json, and before
 * one is served (or a cached manifest of a private pull is read for a check) the registry must
 * answer for that manifest to the asking job's own reference with its own credentials, or
 * anonymously (`authorize`: one manifest GET). Blobs no root uses are removed at open(), so what an
 * interrupted private pull left behind cannot outlive the process that knew it was private.
 */
import { createHash, randomBytes } from 'node:crypto';
import { chmod, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { RegistryCredential } from '../../sdk/sealing';
import type { ImageRef } from '../../sdk/spec/imageRef';
import { WorkerError } from '../errors';
import { BlobCache } from './blobCache';
import { parseImageConfig } from './imageConfig';
import { ImageRefusalError, imageRejected } from './imageRefusal';
import type { ImageCheck, ImageConfig, Platform, PreparedImage } from './imageTypes';
import { LayerUnpacker } from './layerUnpacker';
import { type ImageIndex, type ImageManifest, type Layer, MANIFEST_ACCEPT, MAX_MANIFEST_BYTES, parseManifest, pickPlatform } from './manifest';
import { hostPlatform, platformMatches, platformText } from './platform';
import { RegistryClient, type RegistryTarget, credentialKey } from './registryClient';
import { type RootEntry, RootCache } from './rootCache';
import { SharedTasks } from './sharedTasks';

/** The registries a worker pulls from unless its operator says otherwise (--allowed-registries). */
export const DEFAULT_ALLOWED_REGISTRIES = ['docker.io', 'ghcr.io', 'nvcr.io'];

export type ImageStoreOptions = {
  /** Cache root (blobs/, roots/, tmp/). */
  dir: string;
  /** Byte cap for unpacked roots (--image-cache-gib); least recently used evicted past it. */
  cacheBytes: number;
  /** --max-image-gib: the compressed total and the unpacked total must each fit. */
  maxImageBytes: number;
  /** Registry hosts as ImageRef.registry spells them: 'docker.io', 'ghcr.io', '127.0.0.1:5000'. */
  allowedRegistries: string[];
  /** Default: this host's (linux + Node's architecture in OCI's words). */
  platform?: Platform;
  logger?: Logger;
  /** Layers downloaded ahead of the one being unpacked (default 2). */
  prefetchLayers?: number;
};

type Logger = { info(o: object, msg: string): void; warn(o: object, msg: string): void };

/** Configs are small JSON documents; a larger one is refused before it is read whole. */
const MAX_CONFIG_BYTES = 8 << 20;

/** The registry credentials a job brought (its sealed bundle's registryAuth); the one for the image's registry is used. */
export type PullAuth = { registryAuth?: readonly RegistryCredential[] };

type Resolved = {
  manifestDigest: string;
  /** The index the reference named, when it named one. */
  indexDigest?: string;
  manifest: ImageManifest;
  configDigest: string;
  config: ImageConfig;
  platform: Platform;
  compressedBytes: number;
};

export class ImageStore {
  private readonly pulls = new SharedTasks<void>();
  private readonly builds = new SharedTasks<void>();
  /** Blobs that pulls in progress use: never collected. Counted, since pulls may share blobs. */
  private readonly pinned = new Map<string, number>();
  /** Digests (indexes, manifests) a pull with credentials asked for in this process: read from the cache only after `authorize`. */
  private readonly privateDigests = new Set<string>();
  private readonly platform: Platform;
  private readonly logger: Logger;

  private constructor(
    private readonly o: ImageStoreOptions,
    private readonly client: RegistryClient,
    private readonly blobs: BlobCache,
    private readonly roots: RootCache,
  ) {
    this.platform = o.platform ?? hostPlatform();
    this.logger = o.logger ?? { info() {}, warn() {} };
  }

  /** Opens (or creates) the cache at `o.dir`, removing what interrupted pulls left. */
  static async open(o: ImageStoreOptions): Promise<ImageStore> {
    if (!(o.cacheBytes >= 0) || !(o.maxImageBytes > 0)) throw new WorkerError('CONFIG_INVALID', `image store: cacheBytes (${o.cacheBytes}) and maxImageBytes (${o.maxImageBytes}) must be positive byte counts`);
    const tmp = join(o.dir, 'tmp');
    await rm(tmp, { recursive: true, force: true });
    for (const sub of ['blobs/sha256', 'roots', 'tmp']) await mkdir(join(o.dir, sub), { recursive: true });
    // The sandbox's user reaches a root through these (the directories above `dir` are the operator's).
    await chmod(o.dir, 0o755);
    await chmod(join(o.dir, 'roots'), 0o755);
    const logger = o.logger ?? { info() {}, warn() {} };
    const roots = await RootCache.load(join(o.dir, 'roots'), (obj, msg) => logger.warn(obj, msg));
    const client = new RegistryClient();
    const blobs = new BlobCache(join(o.dir, 'blobs', 'sha256'), tmp, client);
    // Blobs of pulls that never became a root: which of them came with credentials was known only to
    // the process that pulled them, so none is kept (a private manifest left here would be served).
    const keep = roots.referencedBlobs();
    for (const digest of await blobs.list()) if (!keep.has(digest)) await blobs.remove(digest);
    const store = new ImageStore(o, client, blobs, roots);
    await store.evict();
    return store;
  }

  /** Registry HTTP requests made since open (tests: a cached run makes none). */
  get requestCount(): number {
    return this.client.requestCount;
  }

  /**
   * What a worker checks before claiming a job: the registry is allowed, the manifest exists, it has
   * this host's platform, and its compressed size (the layer descriptors' sum) fits maxImageBytes.
   * Fetches the manifest(s) and the config only, never layers; answers a refusal rather than throwing.
   * The unpacked size is in no standard descriptor: it is enforced while unpacking.
   */
  async check(ref: ImageRef, o: { signal?: AbortSignal } & PullAuth = {}): Promise<ImageCheck> {
    try {
      const r = await this.resolve({ ...this.target(ref, o), digest: ref.digest }, o.signal);
      return { ok: true, manifestDigest: r.manifestDigest, platform: r.platform, compressedBytes: r.compressedBytes, layers: r.manifest.layers.length, config: r.config };
    } catch (err) {
      if (err instanceof ImageRefusalError) return { ok: false, code: err.code, reason: err.reason };
      if (o.signal?.aborted) return { ok: false, code: 'unreachable', reason: `the image check was cancelled: ${String((o.signal.reason as Error)?.message ?? o.signal.reason)}` };
      return { ok: false, code: 'unreachable', reason: `the image could not be checked: ${(err as Error).message}` };
    }
  }

  /**
   * The unpacked image for a job, held (not evicted) until `release()`: from the cache with no
   * registry request, or pulled now (one pull for concurrent callers). Throws
   * WorkerError('IMAGE_REJECTED', reason) on a refusal; past `deadline` (ms since epoch) the pull is
   * abandoned with a reason that says so.
   */
  async prepare(ref: ImageRef, o: { signal?: AbortSignal; deadline?: number } & PullAuth = {}): Promise<PreparedImage> {
    const { signal, dispose } = withDeadline(o.signal, o.deadline);
    try {
      this.allowed(ref);
      const target = this.target(ref, o);
      let pulled = false;
      for (let attempt = 0; ; attempt++) {
        const entry = await this.cached(ref);
        if (entry) {
          // Shared by manifest digest, which is public: a private root only for those the registry lets in.
          if (entry.private) await this.authorize(target, entry.manifestDigest, signal);
          return this.hold(ref, entry, pulled);
        }
        // A root evicted between its pull and this line is pulled again, once.
        if (attempt > 1) throw new ImageRefusalError('invalid', `the image ${ref.text} was pulled but is not in the cache (evicted at once? the cache cap may be too small)`);
        // One pull per reference and credential: a pull that fails for one job's (lack of) access is not another's.
        await this.pulls.run(`${ref.digest} ${ref.registry}/${ref.repository} ${credentialKey(target.auth)}`, (s) => this.pull(ref, target, s), signal);
        pulled = true;
      }
    } catch (err) {
      throw imageRejected(signal.aborted ? signal.reason : err);
    } finally {
      dispose();
    }
  }

  private hold(ref: ImageRef, entry: RootEntry, pulled: boolean): PreparedImage {
    entry.holds++;
    void this.roots.touch(entry);
    let released = false;
    const image: PreparedImage = {
      ref,
      manifestDigest: entry.manifestDigest,
      rootDir: this.roots.rootDir(entry),
      config: entry.config,
      pulled,
      release: async () => {
        if (released) return;
        released = true;
        entry.holds--;
        await this.roots.touch(entry);
        await this.evict();
      },
    };
    // A new root may have pushed the cache past its cap: evict others now that this one is held.
    if (pulled) void this.evict().catch((err: Error) => this.logger.warn({ err: err.message }, 'image cache: eviction failed'));
    return image;
  }

  /** The cached root `ref` names, found without a request: by manifest digest, or through a cached index. */
  private async cached(ref: ImageRef): Promise<RootEntry | undefined> {
    const direct = this.roots.get(ref.digest);
    if (direct) return direct;
    if (!(await this.blobs.has(ref.digest))) return undefined;
    try {
      const { bytes } = await this.blobs.small(ref, 'manifests', ref.digest, { maxBytes: MAX_MANIFEST_BYTES, what: 'manifest' });
      const top = parseManifest(bytes);
      if (top.kind !== 'index') return undefined;
      return this.roots.get(pickPlatform(top, this.platform).digest);
    } catch {
      return undefined;
    }
  }

  /** Where to pull `ref` from, with the job's credential for its registry (matched by name; none: anonymously). */
  private target(ref: ImageRef, o: PullAuth): RegistryTarget {
    const auth = o.registryAuth?.find((c) => c.registry === ref.registry);
    return { registry: ref.registry, repository: ref.repository, ...(auth ? { auth } : {}) };
  }

  /** Whether a digest came from a pull with credentials (this process's, or a cached private root's). */
  private isPrivate(digest: string): boolean {
    if (this.privateDigests.has(digest)) return true;
    const root = this.roots.get(digest);
    return root?.private === true || this.roots.privateBlobs().has(digest);
  }

  /**
   * One manifest GET, by the job's own reference and credentials (or anonymously): the registry must
   * serve `manifestDigest` in the job's repository, with those bytes. Throws the registry's refusal
   * ('unauthorized', 'not_found') otherwise. What lets a job use a root another job pulled privately.
   */
  private async authorize(target: RegistryTarget, manifestDigest: string, signal?: AbortSignal): Promise<void> {
    const res = await this.client.get(target, 'manifests', manifestDigest, { accept: MANIFEST_ACCEPT, ...(signal ? { signal } : {}) });
    const length = Number(res.headers.get('content-length') ?? 0);
    if (length > MAX_MANIFEST_BYTES) {
      await res.body?.cancel().catch(() => {});
      throw new ImageRefusalError('invalid', `the manifest ${manifestDigest} is over ${MAX_MANIFEST_BYTES} bytes`);
    }
    const bytes = Buffer.from(await res.arrayBuffer());
    const got = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
    if (got !== manifestDigest) throw new ImageRefusalError('invalid', `the manifest ${target.registry}/${target.repository} sent for ${manifestDigest} hashes to ${got}: refused`);
  }

  private allowed(ref: { registry: string }): void {
    if (this.o.allowedRegistries.includes(ref.registry)) return;
    throw new ImageRefusalError(
      'registry_not_allowed',
      `the registry ${ref.registry} is not on this worker's allow-list (${this.o.allowedRegistries.join(', ') || 'empty'}); its operator adds one with --allowed-registries`,
    );
  }

  /** Manifest (through the index, for this platform) and config, from the cache or the registry. */
  private async resolve(ref: RegistryTarget & { digest: string }, signal?: AbortSignal): Promise<Resolved> {
    this.allowed(ref);
    // A private pull's manifest in the cache is read only by those the registry would give it to.
    if (this.isPrivate(ref.digest)) await this.authorize(ref, ref.digest, signal);
    const top = await this.blobs.small(ref, 'manifests', ref.digest, { maxBytes: MAX_MANIFEST_BYTES, what: 'manifest', accept: MANIFEST_ACCEPT, signal });
    let parsed: ImageManifest | ImageIndex = parseManifest(top.bytes, top.contentType);
    let manifestDigest = ref.digest;
    let indexDigest: string | undefined;
    if (parsed.kind === 'index') {
      indexDigest = ref.digest;
      manifestDigest = pickPlatform(parsed, this.platform).digest;
      if (this.isPrivate(manifestDigest)) await this.authorize(ref, manifestDigest, signal);
      const m = await this.blobs.small(ref, 'manifests', manifestDigest, { maxBytes: MAX_MANIFEST_BYTES, what: 'manifest', accept: MANIFEST_ACCEPT, signal });
      parsed = parseManifest(m.bytes, m.contentType);
      if (parsed.kind === 'index') throw new ImageRefusalError('invalid', `the image index ${ref.digest} points to another index (${manifestDigest}) for ${platformText(this.platform)}; nested indexes are not read`);
    }
    const manifest = parsed;
    const configBlob = await this.blobs.small(ref, 'blobs', manifest.config.digest, { maxBytes: MAX_CONFIG_BYTES, what: 'image config', signal });
    const { config, platform } = parseImageConfig(configBlob.bytes);
    if (!platformMatches(platform, this.platform)) {
      throw new ImageRefusalError('platform', `the image is built for ${platformText(platform)}; this worker runs ${platformText(this.platform)}`);
    }
    const compressedBytes = manifest.layers.reduce((sum, l) => sum + l.size, 0);
    if (compressedBytes > this.o.maxImageBytes) {
      throw new ImageRefusalError('too_large', `the image's layers are ${compressedBytes} bytes compressed, over this worker's limit of ${this.o.maxImageBytes} bytes (--max-image-gib)`);
    }
    return { manifestDigest, indexDigest, manifest, configDigest: manifest.config.digest, config, platform, compressedBytes };
  }

  /** Resolves `ref` and builds its root unless a root of that manifest is cached already. */
  private async pull(ref: ImageRef, target: RegistryTarget, signal: AbortSignal): Promise<void> {
    // Marked before anything is cached, so a concurrent anonymous check or pull cannot read it unasked.
    if (target.auth) this.privateDigests.add(ref.digest);
    const r = await this.resolve({ ...target, digest: ref.digest }, signal);
    if (target.auth) this.privateDigests.add(r.manifestDigest);
    const have = this.roots.get(r.manifestDigest);
    if (have) {
      // Another index (or a check) led to a root that is here: remember the index with it.
      if (r.indexDigest && !have.blobs.includes(r.indexDigest)) have.blobs.push(r.indexDigest);
      return;
    }
    await this.builds.run(r.manifestDigest, (s) => this.build(ref, target, r, s), signal);
    if (r.indexDigest) {
      const built = this.roots.get(r.manifestDigest);
      if (built && !built.blobs.includes(r.indexDigest)) built.blobs.push(r.indexDigest);
    }
  }

  /** Downloads and unpacks the layers into tmp/, then renames the finished root into roots/. */
  private async build(ref: ImageRef, target: RegistryTarget, r: Resolved, signal: AbortSignal): Promise<void> {
    const hex = r.manifestDigest.slice('sha256:'.length);
    const layers = r.manifest.layers;
    const blobs = [...(r.indexDigest ? [r.indexDigest] : []), r.manifestDigest, r.configDigest, ...layers.map((l) => l.digest)];
    const work = join(this.o.dir, 'tmp', `root-${hex}-${randomBytes(4).toString('hex')}`);
    const rootfs = join(work, 'rootfs');
    const local = new AbortController();
    const s = AbortSignal.any([signal, local.signal]);
    const prefetches: Promise<void>[] = [];
    this.pin(blobs, +1);
    const started = Date.now();
    let fetched = 0;
    try {
      await mkdir(rootfs, { recursive: true });
      const unpacker = new LayerUnpacker(rootfs, this.o.maxImageBytes);
      let ahead = 0;
      for (let i = 0; i < layers.length; i++) {
        const layer = layers[i]!;
        // Later layers download while this one unpacks (a few at a time).
        for (ahead = Math.max(ahead, i + 1); ahead < layers.length && ahead <= i + (this.o.prefetchLayers ?? 2); ahead++) {
          const next = layers[ahead]!;
          prefetches.push(
            this.blobs.prefetch(target, next, s).then(
              (got) => void (got && (fetched += next.size)),
              () => {},
            ),
          );
        }
        const { stream, fetched: got } = await this.blobs.open(target, layer, s);
        if (got) fetched += layer.size;
        await unpacker.apply(decompress(stream, layer), `${i + 1}/${layers.length} (${layer.digest})`);
      }
      await unpacker.finish();
      const isPrivate = target.auth !== undefined || this.privateDigests.has(r.manifestDigest);
      const record = { manifestDigest: r.manifestDigest, ref: ref.text, platform: r.platform, config: r.config, unpackedBytes: unpacker.unpackedBytes, compressedBytes: r.compressedBytes, blobs, ...(isPrivate ? { private: true as const } : {}) };
      await writeFile(join(work, 'image.json'), `${JSON.stringify(record, null, 2)}\n`);
      await chmod(rootfs, 0o755);
      await chmod(work, 0o755);
      await rename(work, join(this.roots.dir, hex));
      this.roots.add({ ...record, hex, lastUsed: Date.now(), holds: 0 });
      const seconds = (Date.now() - started) / 1000;
      this.logger.info(
        { image: ref.text, manifest: r.manifestDigest, private: isPrivate, layers: layers.length, downloadedBytes: fetched, unpackedBytes: unpacker.unpackedBytes, seconds, unpackMBps: Math.round(unpacker.unpackedBytes / 1e6 / Math.max(seconds, 0.001)) },
        'image pulled and unpacked',
      );
    } catch (err) {
      local.abort(err);
      await Promise.all(prefetches);
      await rm(work, { recursive: true, force: true }).catch(() => {});
      this.logger.warn({ image: ref.text, reason: (err as Error).message }, 'image pull failed');
      throw err;
    } finally {
      await Promise.all(prefetches);
      this.pin(blobs, -1);
    }
  }

  private pin(digests: string[], delta: 1 | -1): void {
    for (const d of digests) {
      const n = (this.pinned.get(d) ?? 0) + delta;
      if (n > 0) this.pinned.set(d, n);
      else this.pinned.delete(d);
    }
  }

  /** Evicts roots past the cap, then removes blobs that no remaining root (nor a pull in progress) uses. */
  private async evict(): Promise<void> {
    const victims = await this.roots.evict(this.o.cacheBytes, join(this.o.dir, 'tmp'));
    if (victims.length === 0) return;
    const keep = this.roots.referencedBlobs();
    let removed = 0;
    for (const digest of await this.blobs.list()) {
      if (keep.has(digest) || this.pinned.has(digest) || this.blobs.downloading(digest)) continue;
      await this.blobs.remove(digest);
      removed++;
    }
    this.logger.info({ evicted: victims.map((v) => v.ref), freedBytes: victims.reduce((s, v) => s + v.unpackedBytes, 0), blobsRemoved: removed, cachedBytes: this.roots.totalBytes() }, 'image cache: evicted');
  }
}

/** The layer's tar stream: gunzipped when it is compressed. */
function decompress(stream: Readable, layer: Layer): Readable {
  if (layer.compression === 'none') return stream;
  const gunzip = createGunzip({ chunkSize: 1 << 18 });
  stream.on('error', (err) => gunzip.destroy(err));
  gunzip.on('close', () => {
    if (!stream.readableEnded) stream.destroy(gunzip.errored ?? undefined);
  });
  return stream.pipe(gunzip);
}

/** The caller's signal, also aborted when the deadline passes (with a reason that says so). */
function withDeadline(signal: AbortSignal | undefined, deadline: number | undefined): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const signals = [controller.signal, ...(signal ? [signal] : [])];
  let timer: NodeJS.Timeout | undefined;
  if (deadline !== undefined) {
    const reason = () => new WorkerError('IMAGE_REJECTED', `the image pull did not finish in time: the job's deadline (${new Date(deadline).toISOString()}) passed before the image was ready`);
    const ms = deadline - Date.now();
    if (ms <= 0) controller.abort(reason());
    else timer = setTimeout(() => controller.abort(reason()), Math.min(ms, 2 ** 31 - 1));
  }
  return { signal: AbortSignal.any(signals), dispose: () => clearTimeout(timer) };
}
