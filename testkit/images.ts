/**
 * OCI images built on the spot from local files, for the image store's tests and benchmarks, and
 * pushed to a local registry (testkit/registry.ts). Nothing comes from the internet.
 *
 * - `umoci` builds layouts (`umoci init/new/insert/config`): a root made of busybox-static (one
 *   static binary, plus symlinks for its applets) and an /etc/os-release, layers on top, whiteout
 *   (`--whiteout`) and opaque (`--opaque`) layers.
 * - Layouts are also edited directly, for what umoci does not make: a layer crafted byte by byte (a
 *   tar that tries to leave the root), another platform's manifest, a multi-platform index.
 * - `skopeo copy` pushes a layout's tag (`--all` for an index), digests preserved; the digest is read
 *   back from the registry. `pushAsIs` pushes through the registry API where skopeo would change a layer.
 * - `umoci raw unpack --rootless` is the oracle an unpacked tree is compared with.
 */
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, closeSync, lutimesSync, mkdirSync, openSync, readFileSync, symlinkSync, utimesSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { type ImageRef, parseImageRef } from '../sdk/spec/imageRef';
import type { Registry } from './registry';

const run = promisify(execFile);

/** Busybox applets linked into test roots. */
export const BUSYBOX_APPLETS = ['sh', 'ls', 'cat', 'echo', 'env', 'pwd', 'true', 'false', 'id', 'sleep', 'head', 'wc', 'sha256sum', 'test', 'mkdir', 'touch'];

export type OciPlatform = { os: string; architecture: string; variant?: string };

/** A layout (an OCI image layout directory) and a tag in it. */
export type LayoutImage = { layout: string; tag: string };

export type PushedImage = LayoutImage & {
  /** Digest of what the registry serves for the tag (a manifest, or an index). */
  digest: string;
  ref: ImageRef;
  /** `127.0.0.1:PORT/repo:tag@sha256:…` */
  text: string;
};

export type ImageSetup = {
  env?: string[];
  workingDir?: string;
  entrypoint?: string[];
  cmd?: string[];
  user?: string;
};

/** Writes a busybox-static root into `dir`: /bin/busybox and its applets' links, /etc/os-release. */
export function busyboxRoot(dir: string, osRelease = 'NAME="Loom test image"\nID=loomtest\nVERSION_ID=1\n'): string {
  mkdirSync(join(dir, 'bin'), { recursive: true });
  mkdirSync(join(dir, 'etc'), { recursive: true });
  writeFileSync(join(dir, 'bin', 'busybox'), readFileSync('/bin/busybox'));
  chmodSync(join(dir, 'bin', 'busybox'), 0o755);
  for (const applet of BUSYBOX_APPLETS) symlinkSync('busybox', join(dir, 'bin', applet));
  writeFileSync(join(dir, 'etc', 'os-release'), osRelease);
  // Fixed times: the layer's tar records them, so two busybox roots made seconds apart (a loaded
  // machine) still give one layer digest, shared by the images built on them.
  for (const applet of BUSYBOX_APPLETS) lutimesSync(join(dir, 'bin', applet), FIXED_TIME, FIXED_TIME);
  for (const path of ['bin/busybox', 'etc/os-release', 'bin', 'etc', '.']) utimesSync(join(dir, path), FIXED_TIME, FIXED_TIME);
  return dir;
}

const FIXED_TIME = new Date('2024-01-01T00:00:00Z');

/** A new layout at `layout` with an empty image tagged `tag`. */
export async function newLayout(layout: string, tag: string): Promise<LayoutImage> {
  await run('umoci', ['init', '--layout', layout]);
  await run('umoci', ['new', '--image', `${layout}:${tag}`]);
  return { layout, tag };
}

/** Adds a layer with the contents of `source` placed at `target` (`opaque`: masking what lower layers have there). */
export async function insertLayer(img: LayoutImage, source: string, target: string, opts: { opaque?: boolean } = {}): Promise<void> {
  await run('umoci', ['insert', '--rootless', '--no-history', '--image', `${img.layout}:${img.tag}`, ...(opts.opaque ? ['--opaque'] : []), source, target]);
}

/** Adds a layer that deletes `target` (a whiteout). */
export async function whiteoutLayer(img: LayoutImage, target: string): Promise<void> {
  await run('umoci', ['insert', '--rootless', '--no-history', '--image', `${img.layout}:${img.tag}`, '--whiteout', target]);
}

/** Sets the config's Env, WorkingDir, Entrypoint, Cmd and User. */
export async function configure(img: LayoutImage, setup: ImageSetup): Promise<void> {
  const args = ['config', '--no-history', '--image', `${img.layout}:${img.tag}`];
  for (const e of setup.env ?? []) args.push('--config.env', e);
  if (setup.workingDir) args.push('--config.workingdir', setup.workingDir);
  for (const e of setup.entrypoint ?? []) args.push('--config.entrypoint', e);
  for (const c of setup.cmd ?? []) args.push('--config.cmd', c);
  if (setup.user) args.push('--config.user', setup.user);
  await run('umoci', args);
}

/** A busybox image in a new layout: one layer, or `extra` more from the given directories. */
export async function busyboxImage(workDir: string, tag: string, setup: ImageSetup = {}): Promise<LayoutImage> {
  const img = await newLayout(join(workDir, `layout-${tag}`), tag);
  await insertLayer(img, busyboxRoot(join(workDir, `root-${tag}`)), '/');
  await configure(img, setup);
  return img;
}

/** Reads a blob of a layout. */
export function readBlob(layout: string, digest: string): Buffer {
  return readFileSync(join(layout, 'blobs', 'sha256', digest.slice('sha256:'.length)));
}

/** Writes a blob into a layout; returns its descriptor. */
export function writeBlob(layout: string, mediaType: string, bytes: Buffer): { mediaType: string; digest: string; size: number } {
  const hex = createHash('sha256').update(bytes).digest('hex');
  writeFileSync(join(layout, 'blobs', 'sha256', hex), bytes);
  return { mediaType, digest: `sha256:${hex}`, size: bytes.length };
}

type IndexJson = { schemaVersion: 2; manifests: { mediaType: string; digest: string; size: number; annotations?: Record<string, string> }[] };

/** The descriptor `tag` names in the layout's index.json. */
export function tagDescriptor(img: LayoutImage): { mediaType: string; digest: string; size: number } {
  const index = JSON.parse(readFileSync(join(img.layout, 'index.json'), 'utf8')) as IndexJson;
  const d = index.manifests.find((m) => m.annotations?.['org.opencontainers.image.ref.name'] === img.tag);
  if (!d) throw new Error(`no tag ${img.tag} in ${img.layout}`);
  return d;
}

/** Points `tag` of the layout at `descriptor` (replacing the tag's entry). */
export function setTag(layout: string, tag: string, descriptor: { mediaType: string; digest: string; size: number }): LayoutImage {
  const path = join(layout, 'index.json');
  const index = JSON.parse(readFileSync(path, 'utf8')) as IndexJson;
  index.manifests = index.manifests.filter((m) => m.annotations?.['org.opencontainers.image.ref.name'] !== tag);
  index.manifests.push({ ...descriptor, annotations: { 'org.opencontainers.image.ref.name': tag } });
  writeFileSync(path, JSON.stringify(index));
  return { layout, tag };
}

type ManifestJson = { schemaVersion: 2; mediaType?: string; config: { mediaType: string; digest: string; size: number }; layers: { mediaType: string; digest: string; size: number }[] };

function manifestOf(img: LayoutImage): ManifestJson {
  return JSON.parse(readBlob(img.layout, tagDescriptor(img).digest).toString()) as ManifestJson;
}

/** Writes a new manifest (and config) derived from `img`'s, tagged `newTag`. */
function rewrite(img: LayoutImage, newTag: string, edit: (manifest: ManifestJson, config: Record<string, unknown>) => void): LayoutImage {
  const manifest = manifestOf(img);
  const config = JSON.parse(readBlob(img.layout, manifest.config.digest).toString()) as Record<string, unknown>;
  edit(manifest, config);
  manifest.config = writeBlob(img.layout, manifest.config.mediaType, Buffer.from(JSON.stringify(config)));
  const m = writeBlob(img.layout, 'application/vnd.oci.image.manifest.v1+json', Buffer.from(JSON.stringify(manifest)));
  return setTag(img.layout, newTag, m);
}

/**
 * Adds a layer made of `tar` (uncompressed tar bytes, crafted by the caller: tar-stream's pack makes
 * names umoci would never write) as `newTag`; gzip-compressed unless `gzip` is false; `mediaType`
 * overrides the layer's media type (to offer one the store does not read).
 */
export function appendTarLayer(img: LayoutImage, newTag: string, tar: Buffer, opts: { gzip?: boolean; mediaType?: string } = {}): LayoutImage {
  const gzip = opts.gzip ?? true;
  const mediaType = opts.mediaType ?? (gzip ? 'application/vnd.oci.image.layer.v1.tar+gzip' : 'application/vnd.oci.image.layer.v1.tar');
  const layer = writeBlob(img.layout, mediaType, gzip ? gzipSync(tar) : tar);
  const diffId = `sha256:${createHash('sha256').update(tar).digest('hex')}`;
  return rewrite(img, newTag, (manifest, config) => {
    manifest.layers.push(layer);
    (config.rootfs as { diff_ids: string[] }).diff_ids.push(diffId);
  });
}

/** The same image, its config saying another platform (the layers stay as they are), as `newTag`. */
export function asPlatform(img: LayoutImage, platform: OciPlatform, newTag: string): LayoutImage {
  return rewrite(img, newTag, (_manifest, config) => {
    config.os = platform.os;
    config.architecture = platform.architecture;
    if (platform.variant) config.variant = platform.variant;
    else delete config.variant;
  });
}

/** An image index (multi-platform image) over images of the same layout, as `newTag`. */
export function imageIndex(layout: string, entries: { image: LayoutImage; platform: OciPlatform }[], newTag: string): LayoutImage {
  const index = {
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    manifests: entries.map((e) => ({ ...tagDescriptor(e.image), annotations: undefined, platform: e.platform })),
  };
  const d = writeBlob(layout, 'application/vnd.oci.image.index.v1+json', Buffer.from(JSON.stringify(index)));
  return setTag(layout, newTag, d);
}

/** This host's platform in OCI's words (what an index entry for this machine says). */
export function hostOciPlatform(): OciPlatform {
  return process.arch === 'arm64' ? { os: 'linux', architecture: 'arm64', variant: 'v8' } : { os: 'linux', architecture: process.arch === 'x64' ? 'amd64' : process.arch };
}

/**
 * Writes `files` files of random bytes, `bytes` in all, under `dir` (incompressible: gzip cannot
 * shrink a benchmark image).
 */
export function randomFiles(dir: string, bytes: number, files: number): string {
  mkdirSync(dir, { recursive: true });
  const each = Math.ceil(bytes / files);
  for (let i = 0; i < files; i++) {
    const fd = openSync(join(dir, `data-${i}.bin`), 'w');
    for (let left = each; left > 0; left -= 1 << 20) writeSync(fd, randomBytes(Math.min(left, 1 << 20)));
    closeSync(fd);
  }
  return dir;
}

/** A busybox image with `bytes` of random data spread over `layers` layers (a large image for pulls and benchmarks). */
export async function bigImage(workDir: string, tag: string, bytes: number, layers = 3): Promise<LayoutImage> {
  const img = await busyboxImage(workDir, tag, { cmd: ['/bin/true'] });
  for (let i = 0; i < layers; i++) await insertLayer(img, randomFiles(join(workDir, `${tag}-data-${i}`), Math.ceil(bytes / layers), 8), `/data/${i}`);
  return img;
}

/** Pushes a layout's tag to `registry` as `repository:tag` (an index with every manifest it lists). */
export async function pushImage(registry: Registry, img: LayoutImage, repository: string): Promise<PushedImage> {
  const d = tagDescriptor(img);
  const all = d.mediaType.includes('index') ? ['--all'] : [];
  // A private registry's credentials go in an auth file (never on skopeo's command line).
  const creds: string[] = [];
  const headers: Record<string, string> = { accept: d.mediaType };
  if (registry.auth) {
    const basic = Buffer.from(`${registry.auth.username}:${registry.auth.password}`).toString('base64');
    const authfile = join(img.layout, '..', `auth-${randomBytes(4).toString('hex')}.json`);
    writeFileSync(authfile, JSON.stringify({ auths: { [registry.host]: { auth: basic } } }));
    creds.push('--dest-authfile', authfile);
    headers.authorization = `Basic ${basic}`;
  }
  await run('skopeo', ['copy', '--quiet', ...all, ...creds, '--dest-tls-verify=false', `oci:${img.layout}:${img.tag}`, `docker://${registry.host}/${repository}:${img.tag}`]);
  const res = await fetch(`${registry.url}/v2/${repository}/manifests/${img.tag}`, { method: 'HEAD', headers });
  const digest = res.headers.get('docker-content-digest');
  if (!digest) throw new Error(`the registry has no digest for ${repository}:${img.tag} after the push (HTTP ${res.status})`);
  const text = `${registry.host}/${repository}:${img.tag}@${digest}`;
  const parsed = parseImageRef(text);
  if (!parsed.ok) throw new Error(parsed.reason);
  return { ...img, digest, ref: parsed.ref, text };
}

/**
 * Pushes a layout's tag byte for byte through the registry API (blobs, then the manifest), where
 * skopeo would change it: skopeo compresses uncompressed layers and reads the compression of the ones
 * it copies. For uncompressed layers and media types the store refuses.
 */
export async function pushAsIs(registry: Registry, img: LayoutImage, repository: string): Promise<PushedImage> {
  const d = tagDescriptor(img);
  const manifest = JSON.parse(readBlob(img.layout, d.digest).toString()) as ManifestJson;
  for (const blob of [manifest.config, ...manifest.layers]) {
    const start = await fetch(`${registry.url}/v2/${repository}/blobs/uploads/`, { method: 'POST' });
    const location = new URL(start.headers.get('location')!, registry.url);
    location.searchParams.set('digest', blob.digest);
    const put = await fetch(location, { method: 'PUT', headers: { 'content-type': 'application/octet-stream' }, body: new Uint8Array(readBlob(img.layout, blob.digest)) });
    if (put.status !== 201) throw new Error(`uploading ${blob.digest} to ${repository}: HTTP ${put.status} ${await put.text()}`);
  }
  const res = await fetch(`${registry.url}/v2/${repository}/manifests/${img.tag}`, { method: 'PUT', headers: { 'content-type': d.mediaType }, body: new Uint8Array(readBlob(img.layout, d.digest)) });
  if (res.status !== 201) throw new Error(`pushing the manifest of ${repository}:${img.tag}: HTTP ${res.status} ${await res.text()}`);
  const text = `${registry.host}/${repository}:${img.tag}@${d.digest}`;
  const parsed = parseImageRef(text);
  if (!parsed.ok) throw new Error(parsed.reason);
  return { ...img, digest: d.digest, ref: parsed.ref, text };
}

/** `umoci raw unpack --rootless` of a layout's tag into `dest` (which must not exist): the oracle tree. */
export async function umociUnpack(img: LayoutImage, dest: string): Promise<string> {
  await run('umoci', ['raw', 'unpack', '--rootless', '--image', `${img.layout}:${img.tag}`, dest]);
  return dest;
}

/** The registry's file for a blob. */
export function registryBlobPath(registry: Registry, digest: string): string {
  const hex = digest.slice('sha256:'.length);
  return join(registry.storageDir, 'docker', 'registry', 'v2', 'blobs', 'sha256', hex.slice(0, 2), hex, 'data');
}

/**
 * Flips one byte in the middle of a blob the registry stores (same size, other content), so it no
 * longer matches its digest; returns a function that puts the byte back.
 */
export function corruptRegistryBlob(registry: Registry, digest: string): () => void {
  const path = registryBlobPath(registry, digest);
  const bytes = readFileSync(path);
  const at = bytes.length >> 1;
  const original = bytes[at]!;
  bytes[at] = original ^ 0xff;
  writeFileSync(path, bytes);
  return () => {
    const now = readFileSync(path);
    now[at] = original;
    writeFileSync(path, now);
  };
}

/** The layer digests of a layout's image (a manifest tag). */
export function layerDigests(img: LayoutImage): string[] {
  return manifestOf(img).layers.map((l) => l.digest);
}
