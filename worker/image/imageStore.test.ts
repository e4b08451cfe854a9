/**
 * The image store against a real registry (Debian's docker-registry on 127.0.0.1), with images built
 * here from busybox-static by umoci and pushed by skopeo; unpacked trees are compared with
 * `umoci raw unpack --rootless` of the same layout.
 */
import { chmodSync, existsSync, linkSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pack } from 'tar-stream';
import { beforeAll, describe, expect, test } from 'vitest';
import { parseImageRef } from '../../sdk/spec/imageRef';
import {
  type LayoutImage,
  type PushedImage,
  appendTarLayer,
  asPlatform,
  busyboxImage,
  busyboxRoot,
  configure,
  corruptRegistryBlob,
  hostOciPlatform,
  imageIndex,
  insertLayer,
  layerDigests,
  newLayout,
  pushAsIs,
  pushImage,
  randomFiles,
  umociUnpack,
  whiteoutLayer,
} from '../../testkit/images';
import { type Registry, startRegistry } from '../../testkit/registry';
import { tempDir } from '../../testkit/tempDir';
import { WorkerError } from '../errors';
import { ImageStore, type ImageStoreOptions } from './imageStore';
import { unpackedDirMode, unpackedFileMode } from './layerUnpacker';
import { fileTree, treeBytes } from './test/fileTree';

let registry: Registry;
let work: string;
let multi: PushedImage;
let multiLayout: LayoutImage;
let single: PushedImage;

const MiB = 1 << 20;

async function openStore(name: string, o: Partial<ImageStoreOptions> = {}): Promise<ImageStore> {
  return ImageStore.open({ dir: join(work, `store-${name}`), cacheBytes: 512 * MiB, maxImageBytes: 512 * MiB, allowedRegistries: [registry.host], ...o });
}

/** Tar bytes made entry by entry (names umoci would never write). */
async function tarOf(entries: { name: string; type?: 'file' | 'symlink' | 'link' | 'directory' | 'character-device' | 'fifo'; linkname?: string; content?: string; mode?: number }[]): Promise<Buffer> {
  const p = pack();
  const chunks: Buffer[] = [];
  p.on('data', (c) => chunks.push(c as Buffer));
  const ended = new Promise<void>((r) => p.on('end', () => r()));
  for (const e of entries) {
    const type = e.type ?? 'file';
    await new Promise<void>((resolve, reject) => {
      const done = (err?: Error | null) => (err ? reject(err) : resolve());
      const header = { name: e.name, type, linkname: e.linkname, mode: e.mode ?? (type === 'directory' ? 0o755 : 0o644), devmajor: 1, devminor: 3 };
      if (type === 'file') p.entry(header, e.content ?? 'x', done);
      else p.entry(header, done);
    });
  }
  p.finalize();
  await ended;
  return Buffer.concat(chunks);
}

beforeAll(async () => {
  registry = await startRegistry();
  work = tempDir('image-store');

  // The multi-layer image: a base with odd modes and hard links, then whiteouts, an opaque directory
  // and a replaced file.
  const base = busyboxRoot(join(work, 'multi-base'));
  mkdirSync(join(base, 'opt/old'), { recursive: true });
  writeFileSync(join(base, 'opt/old/a'), 'old a');
  writeFileSync(join(base, 'opt/old/b'), 'old b');
  mkdirSync(join(base, 'data/dir/deep'), { recursive: true });
  writeFileSync(join(base, 'data/keep'), 'kept');
  writeFileSync(join(base, 'data/gone'), 'whited out');
  writeFileSync(join(base, 'data/dir/deep/x'), 'whited out with its directory');
  writeFileSync(join(base, 'data/suid'), '#!/bin/sh\n');
  chmodSync(join(base, 'data/suid'), 0o4755);
  writeFileSync(join(base, 'data/secret'), 'owner only');
  chmodSync(join(base, 'data/secret'), 0o600);
  mkdirSync(join(base, 'data/private'));
  writeFileSync(join(base, 'data/private/inside'), 'in a 0700 directory');
  chmodSync(join(base, 'data/private'), 0o700);
  mkdirSync(join(base, 'tmp'));
  chmodSync(join(base, 'tmp'), 0o1777);
  writeFileSync(join(base, 'data/hl1'), 'one inode, two names');
  linkSync(join(base, 'data/hl1'), join(base, 'data/hl2'));
  multiLayout = await newLayout(join(work, 'layout-multi'), 'multi');
  await insertLayer(multiLayout, base, '/');
  await whiteoutLayer(multiLayout, '/data/gone');
  await whiteoutLayer(multiLayout, '/data/dir');
  const newOpt = join(work, 'multi-opt');
  mkdirSync(newOpt);
  writeFileSync(join(newOpt, 'c'), 'only c after the opaque layer');
  await insertLayer(multiLayout, newOpt, '/opt/old', { opaque: true });
  const replaced = join(work, 'multi-etc');
  mkdirSync(replaced);
  writeFileSync(join(replaced, 'os-release'), 'ID=loomtest\nVERSION_ID=2\n');
  await insertLayer(multiLayout, replaced, '/etc');
  await configure(multiLayout, { env: ['PATH=/bin', 'GREETING=hello'], workingDir: '/data', entrypoint: ['/bin/sh', '-c'], cmd: ['echo $GREETING'], user: '1000' });
  multi = await pushImage(registry, multiLayout, 'loom/multi');

  single = await pushImage(registry, await busyboxImage(work, 'single', { cmd: ['/bin/sh'] }), 'loom/single');
}, 120_000);

describe('pull and unpack', () => {
  test('default: a multi-layer image unpacks as umoci unpacks it (whiteouts, opaque directory, modes under the rootless rule, hard links)', async () => {
    const store = await openStore('tree');
    const checked = await store.check(multi.ref);
    expect(checked).toMatchObject({ ok: true, manifestDigest: multi.digest, layers: 5, platform: { os: 'linux' } });
    const image = await store.prepare(multi.ref);
    expect(image.pulled).toBe(true);
    expect(image.manifestDigest).toBe(multi.digest);
    expect(image.config).toEqual({ env: ['PATH=/bin', 'GREETING=hello'], workingDir: '/data', entrypoint: ['/bin/sh', '-c'], cmd: ['echo $GREETING'], user: '1000' });

    const ours = fileTree(image.rootDir);
    const theirs = fileTree(await umociUnpack(multiLayout, join(work, 'umoci-multi')));
    expect([...ours.keys()].sort()).toEqual([...theirs.keys()].sort());
    for (const [path, t] of theirs) {
      const o = ours.get(path)!;
      expect({ path, type: o.type, target: o.target, sha256: o.sha256 }).toEqual({ path, type: t.type, target: t.target, sha256: t.sha256 });
      if (t.type === 'file') expect({ path, mode: o.mode.toString(8) }).toEqual({ path, mode: unpackedFileMode(t.mode).toString(8) });
      if (t.type === 'dir') expect({ path, mode: o.mode.toString(8) }).toEqual({ path, mode: unpackedDirMode(t.mode).toString(8) });
    }
    // The layers did what they say.
    expect(ours.has('data/gone')).toBe(false);
    expect(ours.has('data/dir')).toBe(false);
    expect([...ours.keys()].filter((p) => p.startsWith('opt/old/'))).toEqual(['opt/old/c']);
    expect(readFileSync(join(image.rootDir, 'etc/os-release'), 'utf8')).toContain('VERSION_ID=2');
    expect(ours.get('data/suid')!.mode).toBe(0o755);
    expect(ours.get('data/secret')!.mode).toBe(0o644);
    expect(ours.get('data/private')!.mode).toBe(0o755);
    expect(ours.get('tmp')!.mode).toBe(0o755);
    expect(ours.get('data/hl1')!.ino).toBe(ours.get('data/hl2')!.ino);
    expect([...ours.values()].some((e) => e.type === 'other')).toBe(false);
    await image.release();
  });

  test('behavior: a second prepare of the same image makes no registry request, in this store or a new one on the same directory', async () => {
    const store = await openStore('cached');
    const first = await store.prepare(single.ref);
    await first.release();
    const before = store.requestCount;
    expect(before).toBeGreaterThan(0);
    const second = await store.prepare(single.ref);
    expect(second.pulled).toBe(false);
    expect(second.rootDir).toBe(first.rootDir);
    expect(store.requestCount).toBe(before);
    await second.release();

    const reopened = await openStore('cached');
    const third = await reopened.prepare(single.ref);
    expect(third).toMatchObject({ pulled: false, config: { cmd: ['/bin/sh'] } });
    expect(readFileSync(join(third.rootDir, 'etc/os-release'), 'utf8')).toContain('ID=loomtest');
    expect(reopened.requestCount).toBe(0);
    await third.release();
  });

  test('behavior: an image index resolves to the host platform (and to another platform for a store told so)', async () => {
    const host = hostOciPlatform();
    const other = host.architecture === 'arm64' ? { os: 'linux', architecture: 'amd64' } : { os: 'linux', architecture: 'arm64', variant: 'v8' };
    const img = await busyboxImage(work, 'plat');
    const mine = asPlatform(img, host, 'plat-host');
    const theirs = asPlatform(img, other, 'plat-other');
    const index = await pushImage(registry, imageIndex(img.layout, [{ image: theirs, platform: other }, { image: mine, platform: host }], 'plat-index'), 'loom/plat');

    const store = await openStore('platform');
    const checked = await store.check(index.ref);
    expect(checked.ok && checked.manifestDigest).not.toBe(index.digest);
    const image = await store.prepare(index.ref);
    expect(image.manifestDigest).toBe(checked.ok && checked.manifestDigest);
    expect(existsSync(join(image.rootDir, 'bin/busybox'))).toBe(true);
    const requests = store.requestCount;
    await (await store.prepare(index.ref)).release();
    expect(store.requestCount).toBe(requests);
    await image.release();

    const foreign = await openStore('platform-other', { platform: other });
    const otherCheck = await foreign.check(index.ref);
    expect(otherCheck).toMatchObject({ ok: true, platform: other });
    expect(otherCheck.ok && otherCheck.manifestDigest).not.toBe(checked.ok && checked.manifestDigest);
  });

  test('error: an index with other platforms only is refused, naming the platforms it has', async () => {
    const img = await busyboxImage(work, 'foreign');
    const arm = { os: 'linux', architecture: hostOciPlatform().architecture === 's390x' ? 'ppc64le' : 's390x' };
    const riscv = { os: 'linux', architecture: 'riscv64' };
    const index = await pushImage(
      registry,
      imageIndex(img.layout, [{ image: asPlatform(img, arm, 'f1'), platform: arm }, { image: asPlatform(img, riscv, 'f2'), platform: riscv }], 'foreign-index'),
      'loom/foreign',
    );
    const store = await openStore('foreign');
    const checked = await store.check(index.ref);
    expect(checked).toMatchObject({ ok: false, code: 'platform' });
    expect(!checked.ok && checked.reason).toContain(`${arm.os}/${arm.architecture}, linux/riscv64`);
    await expect(store.prepare(index.ref)).rejects.toMatchObject({ code: 'IMAGE_REJECTED', shortMessage: expect.stringContaining('linux/riscv64') });

    // A single manifest whose config says another platform is refused the same way.
    const lone = await pushImage(registry, asPlatform(img, riscv, 'lone'), 'loom/foreign');
    expect(await store.check(lone.ref)).toMatchObject({ ok: false, code: 'platform', reason: expect.stringContaining('linux/riscv64') });
  });
  test('behavior: an uncompressed layer applies on top: hard link to a lower file, a file replacing a lower directory, devices and fifos dropped', async () => {
    const base = await busyboxImage(work, 'plain');
    const tar = await tarOf([
      { name: 'bin/busybox-again', type: 'link', linkname: 'bin/busybox' },
      { name: 'etc', type: 'directory', mode: 0o2750 },
      { name: 'etc/os-release', content: 'ID=plain\n', mode: 0o4700 },
      { name: 'bin/sh', content: 'no longer a symlink' },
      { name: 'dev/null', type: 'character-device' },
      { name: 'run/pipe', type: 'fifo' },
    ]);
    const pushed = await pushAsIs(registry, appendTarLayer(base, 'plain-layer', tar, { gzip: false }), 'loom/plain');
    expect(pushed.ref.digest).toBe(pushed.digest);
    const store = await openStore('plain');
    const image = await store.prepare(pushed.ref);
    const tree = fileTree(image.rootDir);
    expect(tree.get('bin/busybox-again')!.ino).toBe(tree.get('bin/busybox')!.ino);
    expect(tree.get('bin/sh')).toMatchObject({ type: 'file' });
    expect(tree.get('etc')!.mode).toBe(0o755);
    expect(tree.get('etc/os-release')!.mode).toBe(0o755);
    expect(readFileSync(join(image.rootDir, 'etc/os-release'), 'utf8')).toBe('ID=plain\n');
    expect(tree.has('dev/null')).toBe(false);
    expect(tree.has('run/pipe')).toBe(false);
    await image.release();
  });

  test('error: a zstd-compressed layer is refused before anything is downloaded, with the reason', async () => {
    const base = await busyboxImage(work, 'zstd');
    const pushed = await pushAsIs(registry, appendTarLayer(base, 'zstd-layer', await tarOf([{ name: 'a' }]), { gzip: false, mediaType: 'application/vnd.oci.image.layer.v1.tar+zstd' }), 'loom/zstd');
    const store = await openStore('zstd');
    expect(await store.check(pushed.ref)).toMatchObject({ ok: false, code: 'invalid', reason: expect.stringContaining('zstd') });
  });
});

describe('refusals before a claim', () => {
  test('error: a registry off the allow-list is refused without any request', async () => {
    const store = await openStore('allow', { allowedRegistries: ['docker.io', 'ghcr.io'] });
    const checked = await store.check(single.ref);
    expect(checked).toMatchObject({ ok: false, code: 'registry_not_allowed' });
    expect(!checked.ok && checked.reason).toMatch(/docker\.io, ghcr\.io.*--allowed-registries/);
    await expect(store.prepare(single.ref)).rejects.toMatchObject({ code: 'IMAGE_REJECTED' });
    expect(store.requestCount).toBe(0);
  });

  test('error: an image over the size limit is refused by check()', async () => {
    const store = await openStore('oversize', { maxImageBytes: 100_000 });
    const checked = await store.check(single.ref);
    expect(checked).toMatchObject({ ok: false, code: 'too_large', reason: expect.stringContaining('--max-image-gib') });
  });

  test('error: an unknown digest is not_found', async () => {
    const store = await openStore('unknown');
    const ref = parseImageRef(`${registry.host}/loom/single@sha256:${'0'.repeat(64)}`);
    if (!ref.ok) throw new Error(ref.reason);
    expect(await store.check(ref.ref)).toMatchObject({ ok: false, code: 'not_found', reason: expect.stringContaining('MANIFEST_UNKNOWN') });
    const noRepo = parseImageRef(`${registry.host}/loom/nothing-here@${single.digest}`);
    if (!noRepo.ok) throw new Error(noRepo.reason);
    expect(await store.check(noRepo.ref)).toMatchObject({ ok: false, code: 'not_found' });
  });

  test('error: an unreachable registry is refused as such', async () => {
    const ref = parseImageRef(`127.0.0.1:9/loom/single@${single.digest}`);
    if (!ref.ok) throw new Error(ref.reason);
    const store = await openStore('unreachable', { allowedRegistries: ['127.0.0.1:9'] });
    expect(await store.check(ref.ref)).toMatchObject({ ok: false, code: 'unreachable' });
  });
});

describe('refusals while pulling', () => {
  test('error: a corrupted blob is refused and not cached; once the registry serves the right bytes, it pulls', async () => {
    const img = await busyboxImage(work, 'corrupt');
    await insertLayer(img, randomFiles(join(work, 'corrupt-data'), 2 * MiB, 2), '/data');
    const pushed = await pushImage(registry, img, 'loom/corrupt');
    const bad = layerDigests(img)[1]!;
    const restore = corruptRegistryBlob(registry, bad);
    const store = await openStore('corrupt');
    await expect(store.prepare(pushed.ref)).rejects.toMatchObject({ code: 'IMAGE_REJECTED', shortMessage: expect.stringContaining(`${bad} does not match its digest`) });
    const dir = join(work, 'store-corrupt');
    expect(existsSync(join(dir, 'blobs/sha256', bad.slice(7)))).toBe(false);
    expect(readdirSync(join(dir, 'roots'))).toEqual([]);
    expect(readdirSync(join(dir, 'tmp'))).toEqual([]);
    restore();
    const image = await store.prepare(pushed.ref);
    expect(existsSync(join(dir, 'blobs/sha256', bad.slice(7)))).toBe(true);
    expect(readdirSync(join(image.rootDir, 'data'))).toHaveLength(2);
    await image.release();
  });

  test('error: layers that leave the root are refused (.., absolute names, a path through a symlink, a hard link outside)', async () => {
    const store = await openStore('escape');
    const outside = join(work, 'store-escape');
    const cases: [string, Buffer][] = [
      ['dotdot', await tarOf([{ name: 'etc/../../escaped-dotdot', content: 'out' }])],
      ['absolute', await tarOf([{ name: `${outside}/escaped-absolute`, content: 'out' }])],
      ['symlink', await tarOf([{ name: 'link', type: 'symlink', linkname: outside }, { name: 'link/escaped-symlink', content: 'out' }])],
      ['hardlink', await tarOf([{ name: 'etc/passwd-link', type: 'link', linkname: '../../../../etc/passwd' }])],
    ];
    const base = await busyboxImage(work, 'escape');
    for (const [name, tar] of cases) {
      const pushed = await pushImage(registry, appendTarLayer(base, `escape-${name}`, tar), 'loom/escape');
      expect(await store.check(pushed.ref)).toMatchObject({ ok: true });
      const failed = await store.prepare(pushed.ref).then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(failed, name).toBeInstanceOf(WorkerError);
      expect((failed as WorkerError).code).toBe('IMAGE_REJECTED');
      expect((failed as WorkerError).shortMessage).toMatch(/"\.\." segment|absolute path|through the symlink/);
    }
    expect(readdirSync(join(outside, 'roots'))).toEqual([]);
    expect(readdirSync(join(outside, 'tmp'))).toEqual([]);
    expect(existsSync(join(outside, 'escaped-symlink'))).toBe(false);
    expect(existsSync(join(outside, 'escaped-absolute'))).toBe(false);
  });

  test('error: a pull past its deadline fails with a reason that says so', async () => {
    const store = await openStore('deadline');
    await expect(store.prepare(multi.ref, { deadline: Date.now() - 1 })).rejects.toMatchObject({ code: 'IMAGE_REJECTED', shortMessage: expect.stringContaining('did not finish in time') });
  });
});

describe('sharing and eviction', () => {
  test('behavior: two concurrent prepares of one image download each blob once', async () => {
    const img = await busyboxImage(work, 'twice');
    await insertLayer(img, randomFiles(join(work, 'twice-data'), 4 * MiB, 4), '/data');
    const pushed = await pushImage(registry, img, 'loom/twice');
    const store = await openStore('twice');
    const before = layerDigests(img).map((layer) => registry.blobGets(layer));
    const [a, b] = await Promise.all([store.prepare(pushed.ref), store.prepare(pushed.ref)]);
    expect(a.rootDir).toBe(b.rootDir);
    layerDigests(img).forEach((layer, i) => expect({ layer, gets: registry.blobGets(layer) - before[i]! }).toEqual({ layer, gets: 1 }));
    await a.release();
    await b.release();
  });

  test('behavior: eviction keeps the unpacked roots under the cap, least recently used first, and never a held root', async () => {
    const images: PushedImage[] = [];
    for (const name of ['ev-a', 'ev-b', 'ev-c', 'ev-d']) {
      const img = await busyboxImage(work, name);
      await insertLayer(img, randomFiles(join(work, `${name}-data`), 2 * MiB, 1), '/data');
      images.push(await pushImage(registry, img, 'loom/evict'));
    }
    const probe = await openStore('evict-probe');
    const sized = await probe.prepare(images[0]!.ref);
    const rootBytes = treeBytes(sized.rootDir);
    const cap = Math.floor(rootBytes * 2.5);
    const store = await openStore('evict', { cacheBytes: cap });
    const dir = join(work, 'store-evict');
    const rootsBytes = () => treeBytes(join(dir, 'roots'));

    const held = await store.prepare(images[0]!.ref);
    const roots: string[] = [held.rootDir];
    for (const img of images.slice(1)) {
      const image = await store.prepare(img.ref);
      roots.push(image.rootDir);
      await image.release();
      expect(rootsBytes()).toBeLessThanOrEqual(cap);
    }
    // The held root stayed although it is the least recently used; the newest one is there too.
    expect(existsSync(held.rootDir)).toBe(true);
    expect(existsSync(roots[3]!)).toBe(true);
    expect(existsSync(roots[1]!)).toBe(false);
    // The evicted images' own layers went with them; the shared busybox layer stayed.
    const layers = (img: PushedImage) => layerDigests(img).map((d) => join(dir, 'blobs/sha256', d.slice(7)));
    expect(existsSync(layers(images[1]!)[1]!)).toBe(false);
    expect(existsSync(layers(images[1]!)[0]!)).toBe(true);

    // A held root is kept even when it alone is over the cap; released, it goes.
    const tight = await openStore('evict', { cacheBytes: 1 });
    expect(readdirSync(join(dir, 'roots')).length).toBe(0);
    const big = await tight.prepare(images[2]!.ref);
    expect(existsSync(big.rootDir)).toBe(true);
    await big.release();
    expect(existsSync(big.rootDir)).toBe(false);
    await held.release();
    await sized.release();
  });
});

