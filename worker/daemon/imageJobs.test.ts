/**
 * Image jobs end to end, through worker daemons as operators run them (`loom-worker start`, child
 * processes): a real anvil with the contracts, a real Ponder serving the API, the artifact store, a
 * real docker-registry on loopback seeded with images built here from busybox-static, and bubblewrap.
 *
 * - An image job is claimed, pulled, run in the image (its /etc/os-release, Env under the spec's env,
 *   WorkingDir, Entrypoint with the spec's command in place of Cmd) and submitted; the bundle in the
 *   artifact store hashes to the on-chain result and names the image and its manifest digest
 *   (`.loom/run.json`). A second job of the image (its default Cmd) comes from the cache: not one
 *   registry request.
 * - Refused before any transaction, each logged with its reason, each job left OPEN: a registry off
 *   the allow-list, an image over --max-image-gib, an unknown digest, an index with no manifest for
 *   this platform, a job without an image on a worker with host mode off.
 * - A layer the registry serves corrupted: the job is claimed (its manifest and config are fine), the
 *   pull fails, the failure report (stage `image`, the digest mismatch) is the result, nothing of
 *   the image is cached.
 * - Two jobs of one image taken at once (two slots): each layer is downloaded once.
 * - A command the image does not have: the job fails (its report is the result, exit status 127);
 *   the worker does not take it for its own error and leave the job to its deadline.
 * - A worker killed (SIGKILL) mid-pull of a ~100 MB image: the restart, on the same data directory,
 *   pulls it again and completes the job.
 *
 * One stack and one registry for the file. Worker A (account 4) runs every case but the last: image
 * jobs only (host mode off), images up to 0.01 GiB, two slots. Worker K (account 6, default image size)
 * is the one killed; A refuses its big image meanwhile. The cases run in order and share A's cache.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Hex } from 'viem';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { scriptSpec } from '../../testkit/jobs';
import {
  type PushedImage,
  asPlatform,
  bigImage,
  busyboxImage,
  corruptRegistryBlob,
  imageIndex,
  insertLayer,
  layerDigests,
  pushImage,
  randomFiles,
} from '../../testkit/images';
import { type Registry, startRegistry } from '../../testkit/registry';
import { type Stack, startStack } from '../../testkit/stack';
import { tempDir } from '../../testkit/tempDir';
import { step, waitFor } from '../../testkit/waitFor';
import { type WorkerProcess, startWorker } from '../../testkit/workers';
import { skipSandboxTests } from '../test/sandboxAvailability';

const WORKER_A = 4;
const WORKER_K = 6;
const CLIENT = 1;
const OTHER_CLIENT = 2;
const MiB = 1 << 20;
/** What every image job here may use (reserve seconds are 10 in the test workers' environment). */
const RESOURCES = { memoryMiB: 256, timeoutSeconds: 30, outputMiB: 16 };
const OS_RELEASE = 'NAME="Loom test image"\nID=loomtest\nVERSION_ID=1\n';

let m: Stack;
let registry: Registry;
let work: string;
/** busybox with Env, WorkingDir, Entrypoint and Cmd set. */
let busy: PushedImage;
/** An index whose only manifests are for other platforms. */
let foreign: PushedImage;
/** busybox and 2 MiB of random data (its second layer is corrupted in the registry by its test). */
let corrupt: PushedImage;
/** busybox and two layers of random data, for the two jobs taken at once. */
let shared: PushedImage;
/** ~96 MiB in three layers of random data (the kill test's; too large for worker A). */
let big: PushedImage;
let a: WorkerProcess;
let aDataDir: string;

const target = () => ({ apiUrl: m.ponder.url, rpcUrl: m.rpcUrl, deploymentPath: m.deploymentPath, artifactUrl: m.artifactUrl, usdc: m.usdc });

/** A worker's data directory (kept across its restarts). */
function dataDirFor(name: string): string {
  const dir = mkdtempSync(join(m.workDir, `${name}-`));
  chmodSync(dir, 0o711); // the sandbox user must reach the job directories
  return dir;
}

/** Worker env for image jobs from the test registry (a loopback registry needs the private-inputs flag). */
const imageEnv = (extra: Record<string, string> = {}) => ({ LOOM_ALLOWED_REGISTRIES: registry.host, LOOM_ALLOW_PRIVATE_INPUTS: 'true', ...extra });

beforeAll(async () => {
  if (skipSandboxTests) return;
  work = tempDir('image-jobs');
  // The chain and indexer start while the images are built and pushed.
  const stack = step('anvil, deployment and Ponder', 150_000, () =>
    startStack({ name: 'worker-image-jobs', indexer: true, artifacts: true, jobDefaults: { executionTimeout: 300, challengeWindow: 3600 } }),
  );
  const images = step('images built and pushed', 150_000, async () => {
    registry = await startRegistry();
    const busyLayout = await busyboxImage(work, 'busy', {
      env: ['PATH=/bin', 'GREETING=hello from the image', 'WHO=the image'],
      workingDir: '/etc',
      entrypoint: ['/bin/sh', '-c'],
      cmd: ['echo "$GREETING, by default" > /out/cmd.txt'],
    });
    busy = await pushImage(registry, busyLayout, 'loom/busybox');
    const s390x = asPlatform(busyLayout, { os: 'linux', architecture: 's390x' }, 'busy-s390x');
    const ppc = asPlatform(busyLayout, { os: 'linux', architecture: 'ppc64le' }, 'busy-ppc64le');
    foreign = await pushImage(
      registry,
      imageIndex(busyLayout.layout, [
        { image: s390x, platform: { os: 'linux', architecture: 's390x' } },
        { image: ppc, platform: { os: 'linux', architecture: 'ppc64le' } },
      ], 'foreign'),
      'loom/foreign',
    );
    const corruptLayout = await busyboxImage(work, 'corrupt', { env: ['PATH=/bin'] });
    await insertLayer(corruptLayout, randomFiles(join(work, 'corrupt-data'), 2 * MiB, 2), '/data');
    corrupt = await pushImage(registry, corruptLayout, 'loom/corrupt');
    const sharedLayout = await busyboxImage(work, 'shared', { env: ['PATH=/bin'] });
    for (const i of [0, 1]) await insertLayer(sharedLayout, randomFiles(join(work, `shared-data-${i}`), MiB, 2), `/data/${i}`);
    shared = await pushImage(registry, sharedLayout, 'loom/shared');
    big = await pushImage(registry, await bigImage(work, 'big', 96 * MiB, 3), 'loom/big');
  });
  [m] = await Promise.all([stack, images]);
  aDataDir = dataDirFor('worker-a');
  // Image jobs only, images up to 0.01 GiB (~10.7 MB: the big image is over it), two jobs at once.
  a = await step('worker A starting', 100_000, () =>
    startWorker(target(), WORKER_A, { dataDir: aDataDir, env: imageEnv({ LOOM_HOST_MODE: 'false', LOOM_MAX_IMAGE_GIB: '0.01', LOOM_MAX_CONCURRENT_JOBS: '2' }) }),
  );
}, 300_000);

afterAll(async () => {
  await m?.stop();
});

const logged = (w: WorkerProcess, msg: string, jobId?: Hex) => w.lines.filter((l) => l.msg === msg && (jobId === undefined || l.jobId === jobId));

const submitted = (id: Hex, timeoutMs = 90_000) => m.jobIn(id, 'SUBMITTED', timeoutMs);

/** Downloads a result from the artifact store, checks it against the hash on-chain, and unpacks it; returns a reader of its files. */
async function bundleOf(job: { resultHash: Hex; resultURI: string }): Promise<{ names: string[]; read: (name: string) => string }> {
  expect(job.resultURI).toBe(`artifact://${job.resultHash.slice(2)}`);
  const res = await fetch(`${m.artifactUrl}/artifacts/${job.resultHash}`);
  expect(res.status).toBe(200);
  const bytes = Buffer.from(await res.arrayBuffer());
  expect(`0x${createHash('sha256').update(bytes).digest('hex')}`).toBe(job.resultHash);
  const dir = mkdtempSync(join(work, 'result-'));
  writeFileSync(join(dir, 'bundle.tar'), bytes);
  const names = execFileSync('tar', ['-tf', join(dir, 'bundle.tar')], { encoding: 'utf8' }).split('\n').filter(Boolean);
  execFileSync('tar', ['-xf', join(dir, 'bundle.tar'), '-C', dir]);
  return { names, read: (name) => readFileSync(join(dir, name), 'utf8') };
}

/** Every request the registry has logged (its access log): manifests, blobs, tokens, pings. */
const registryRequests = () => registry.logs().split('\n').filter((l) => /"(GET|HEAD|POST|PUT|PATCH|DELETE) \/v2\//.test(l)).length;

/** Where a worker keeps a verified blob. */
const blobPath = (dataDir: string, digest: string) => join(dataDir, 'images', 'blobs', 'sha256', digest.slice('sha256:'.length));

/** Blob GETs per digest, as the registry logged them. */
const blobGetsOf = (digests: string[]) => Object.fromEntries(digests.map((d) => [d, registry.blobGets(d)]));

const imageSpec = (image: PushedImage | string, extra: Record<string, unknown> = {}) => ({ version: 1, image: typeof image === 'string' ? image : image.text, resources: RESOURCES, ...extra });

const pulledLines = (w: WorkerProcess, image: PushedImage) => w.lines.filter((l) => l.msg === 'image pulled and unpacked' && l.image === image.text);

describe.skipIf(skipSandboxTests)('worker daemon, image jobs', () => {
  test('default: an image job is claimed, pulled and run in the image; the bundle in the store is the hash on-chain and names the image and its manifest', async () => {
    const job = await m.post({
      client: CLIENT,
      spec: imageSpec(busy, {
        // The image's Entrypoint (/bin/sh -c) runs this in place of its Cmd.
        command: [
          [
            'echo "$GREETING, $WHO" > /out/greeting.txt',
            'cat os-release > /out/os-release', // relative: the image's WorkingDir (/etc)
            'pwd > /out/pwd.txt',
            'echo "$PATH" > /out/path.txt',
            'if [ -e /usr/bin/node ]; then echo "the host /usr is visible"; else echo "no host /usr"; fi > /out/host.txt',
          ].join('; '),
        ],
        env: { WHO: 'the spec' },
      }),
      budget: 10n ** 16n,
    });
    const j = await submitted(job.id);
    expect(j.worker).toBe(a.address);
    const bundle = await bundleOf(j);
    expect(bundle.read('greeting.txt')).toBe('hello from the image, the spec\n');
    expect(bundle.read('os-release')).toBe(OS_RELEASE);
    expect(bundle.read('pwd.txt')).toBe('/etc\n');
    expect(bundle.read('path.txt')).toBe('/bin\n');
    expect(bundle.read('host.txt')).toBe('no host /usr\n');
    expect(bundle.names).not.toContain('cmd.txt');
    expect(JSON.parse(bundle.read('.loom/run.json'))).toEqual({ loom: 'job-run', version: 1, image: { reference: busy.text, manifestDigest: busy.digest }, gpus: [] });

    // Pulled once, with every layer downloaded, and the root cached under its manifest digest.
    expect(pulledLines(a, busy)).toHaveLength(1);
    for (const layer of layerDigests(busy)) expect(registry.blobGets(layer)).toBe(1);
    expect(existsSync(join(aDataDir, 'images', 'roots', busy.digest.slice('sha256:'.length), 'rootfs', 'etc', 'os-release'))).toBe(true);
    expect(await m.events(job.id)).toEqual(['JobPosted', 'JobAssigned', 'ResultSubmitted']);
  });

  test('behavior: a second job of the same image runs from the cache, with not one registry request; with no command it runs Entrypoint + Cmd', async () => {
    const requests = registryRequests();
    const job = await m.post({ client: CLIENT, spec: imageSpec(busy), budget: 10n ** 16n });
    const j = await submitted(job.id);
    expect(j.worker).toBe(a.address);
    const bundle = await bundleOf(j);
    expect(bundle.read('cmd.txt')).toBe('hello from the image, by default\n');
    expect(JSON.parse(bundle.read('.loom/run.json')).image).toEqual({ reference: busy.text, manifestDigest: busy.digest });
    // The check before the claim read the manifest and config from the cache, and the run the root.
    expect(registryRequests()).toBe(requests);
    expect(pulledLines(a, busy)).toHaveLength(1);
  });

  test('error: refused before any transaction, with the reason: a registry off the allow-list, an image too large, an unknown digest, no manifest for this platform, a job without an image with host mode off', async () => {
    const nonce = await m.pub.getTransactionCount({ address: a.address });
    const logFrom = registry.logs().length;
    const unknown = `${registry.host}/loom/busybox@sha256:${createHash('sha256').update('no such image').digest('hex')}`;
    const cases = [
      { spec: imageSpec(`ghcr.io/loom/busybox:v1@${busy.digest}`), reason: 'image_registry_not_allowed', detail: /the registry ghcr\.io is not on this worker's allow-list/ },
      { spec: imageSpec(big), reason: 'image_too_large', detail: /compressed, over this worker's limit of 10737418 bytes/ },
      { spec: imageSpec(unknown), reason: 'image_not_found', detail: /the registry has no manifest/ },
      { spec: imageSpec(foreign), reason: 'image_platform', detail: /no manifest for this worker's platform linux\/.*; it is built for linux\/s390x, linux\/ppc64le/ },
      { spec: scriptSpec('echo host > /out/host.txt'), reason: 'host_mode_off', detail: /the job has no image and this worker runs image jobs only/ },
    ];
    const jobs: Awaited<ReturnType<Stack['post']>>[] = [];
    for (const c of cases) jobs.push(await m.post({ client: CLIENT, spec: c.spec, budget: 10n ** 16n }));
    const refusals = await waitFor('every job refused', () => {
      const found = jobs.map((j) => logged(a, 'job refused', j.id)[0]);
      return found.every(Boolean) && found;
    });
    for (const [i, c] of cases.entries()) {
      expect(refusals[i]!.reason, `case ${i}`).toBe(c.reason);
      expect(String(refusals[i]!.detail), `case ${i}`).toMatch(c.detail);
    }
    // Not one transaction, and every job still open for another worker.
    expect(await m.pub.getTransactionCount({ address: a.address })).toBe(nonce);
    await m.synced();
    for (const j of jobs) expect((await m.job(j.id)).status).toBe('OPEN');
    // The allow-list and host mode were decided without the registry; the others asked it for manifests and configs only.
    const layers = new Set([...layerDigests(big), ...layerDigests(busy)]);
    const asked = () => registry.logs().slice(logFrom).split('\n').filter((l) => /"(GET|HEAD) \/v2\//.test(l));
    await waitFor("the registry's access log of the checks", () => asked().some((l) => l.includes('/loom/foreign/manifests/')));
    expect(asked().filter((l) => [...layers].some((d) => l.includes(`/blobs/${d} `)))).toEqual([]);
    // Out of the way of the next cases (and of worker K).
    for (const j of jobs) await m.send(CLIENT, 'cancelJob', [j.terms]);
  });

  test('error: a layer served corrupted: the job is claimed, its pull fails, the failure report (stage image, digest mismatch) is the result, and nothing of the image is cached', async () => {
    const bad = layerDigests(corrupt)[1]!;
    const restore = corruptRegistryBlob(registry, bad);
    try {
      const job = await m.post({ client: CLIENT, spec: imageSpec(corrupt, { command: ['echo ran > /out/ran.txt'] }), budget: 10n ** 16n });
      const j = await submitted(job.id);
      expect(j.worker).toBe(a.address);
      const bundle = await bundleOf(j);
      const report = JSON.parse(bundle.read('loom-failure.json'));
      expect(report).toMatchObject({ loom: 'job-failure', version: 1, jobId: job.id, stage: 'image' });
      expect(report.reason).toContain(`${bad} does not match its digest`);
      expect(bundle.names).not.toContain('ran.txt');
      // The record names the image, without a manifest digest: nothing was pulled.
      expect(JSON.parse(bundle.read('.loom/run.json'))).toEqual({ loom: 'job-run', version: 1, image: { reference: corrupt.text }, gpus: [] });
      expect(logged(a, 'job failed; posting its failure report as the result', job.id)[0]).toMatchObject({ stage: 'image' });

      const images = join(aDataDir, 'images');
      expect(existsSync(blobPath(aDataDir, bad))).toBe(false);
      expect(readdirSync(join(images, 'roots'))).toEqual([busy.digest.slice('sha256:'.length)]);
      expect(readdirSync(join(images, 'tmp'))).toEqual([]);
      expect(pulledLines(a, corrupt)).toHaveLength(0);
    } finally {
      restore();
    }
  });

  test('behavior: two jobs of one image taken at once pull it once: each layer is downloaded once', async () => {
    const layers = layerDigests(shared);
    const before = blobGetsOf(layers);
    // Layers worker A holds already (the busybox base of an image it ran) are shared, not fetched.
    const cachedBefore = new Set(layers.filter((d) => existsSync(blobPath(aDataDir, d))));
    expect(layers.length - cachedBefore.size).toBeGreaterThanOrEqual(2); // the two data layers at least
    const spec = (n: number) => imageSpec(shared, { command: ['/bin/sh', '-c', `ls /data/0 /data/1 > /out/files.txt; echo ${n} > /out/n.txt`] });
    // Posted in one block (two clients, mined together): the worker learns of both at once and takes both (two slots).
    await m.rpc('evm_setAutomine', [false]);
    let posted: Awaited<ReturnType<Stack['post']>>[];
    try {
      const posting = Promise.all([m.post({ client: CLIENT, spec: spec(1), budget: 10n ** 16n }), m.post({ client: OTHER_CLIENT, spec: spec(2), budget: 10n ** 16n })]);
      posting.catch(() => {});
      await waitFor('both posts pending', async () => Number((await m.rpc<{ pending: string }>('txpool_status')).pending) >= 2);
      await m.rpc('evm_mine');
      posted = await posting;
    } finally {
      await m.rpc('evm_setAutomine', [true]);
    }
    const [one, two] = posted as [Awaited<ReturnType<Stack['post']>>, Awaited<ReturnType<Stack['post']>>];
    expect(one.receipt.blockNumber).toBe(two.receipt.blockNumber);
    const done = [await submitted(one.id), await submitted(two.id)];
    for (const [i, j] of done.entries()) {
      expect(j.worker).toBe(a.address);
      const bundle = await bundleOf(j);
      expect(bundle.read('n.txt')).toBe(`${i + 1}\n`);
      expect(bundle.read('files.txt')).toBe('/data/0:\ndata-0.bin\ndata-1.bin\n\n/data/1:\ndata-0.bin\ndata-1.bin\n');
      expect(JSON.parse(bundle.read('.loom/run.json')).image).toEqual({ reference: shared.text, manifestDigest: shared.digest });
    }
    const after = blobGetsOf(layers);
    for (const d of layers) expect({ layer: d, gets: after[d]! - before[d]! }).toEqual({ layer: d, gets: cachedBefore.has(d) ? 0 : 1 });
    expect(pulledLines(a, shared)).toHaveLength(1);
    expect(logged(a, 'claimed').filter((l) => l.jobId === one.id || l.jobId === two.id)).toHaveLength(2);
  });

  test("error: a command the image does not have: the job's failure report (stage run, exit status 127) is the result, not a worker-side error left to the deadline", async () => {
    // The shared image has no Entrypoint: the command is the argv itself, and there is no python in it.
    const job = await m.post({ client: CLIENT, spec: imageSpec(shared, { command: ['/usr/bin/python3', 'train.py'] }), budget: 10n ** 16n });
    const j = await submitted(job.id);
    expect(j.worker).toBe(a.address);
    const bundle = await bundleOf(j);
    const report = JSON.parse(bundle.read('loom-failure.json'));
    expect(report).toMatchObject({ loom: 'job-failure', version: 1, jobId: job.id, stage: 'run', exitCode: 127, signal: null, timedOut: false });
    expect(report.reason).toBe("the job's program could not be started: /usr/bin/python3: No such file or directory");
    expect(JSON.parse(bundle.read('.loom/run.json')).image).toEqual({ reference: shared.text, manifestDigest: shared.digest });
    expect(logged(a, 'worker-side error while running the job; retrying', job.id)).toEqual([]);
  });

  test('behavior: a worker killed (SIGKILL) mid-pull of a big image restarts on the same data directory, pulls it again and completes the job', async () => {
    const dataDir = dataDirFor('worker-k');
    const env = imageEnv();
    let k = await startWorker(target(), WORKER_K, { dataDir, env });
    const job = await m.post({
      client: CLIENT,
      spec: imageSpec(big, { command: ['/bin/sh', '-c', 'ls /data/0 | wc -l > /out/count.txt; sha256sum /data/2/data-7.bin > /out/sum.txt'] }),
      budget: 10n ** 16n,
    });
    // Killed the moment one of the ~32 MiB data layers is being downloaded (the pull starts with the claim).
    const layers = layerDigests(big);
    const dataLayers = layers.slice(1).map((d) => `blob-${d.slice('sha256:'.length)}-`);
    const tmp = join(dataDir, 'images', 'tmp');
    await waitFor('a data layer download under way', () => existsSync(tmp) && readdirSync(tmp).some((n) => dataLayers.some((p) => n.startsWith(p))), 60_000, 2);
    k.child.kill('SIGKILL');
    await k.exited;
    expect(pulledLines(k, big)).toHaveLength(0);
    expect(readdirSync(join(dataDir, 'images', 'roots'))).toEqual([]);
    // Mid-pull: some layers are not in the cache (the one being downloaded at least lies in tmp/, unfinished).
    const missing = layers.filter((d) => !existsSync(blobPath(dataDir, d)));
    expect(missing.length).toBeGreaterThan(0);
    await m.synced();
    expect(await m.job(job.id)).toMatchObject({ status: 'ASSIGNED', worker: k.address });
    const getsAtKill = blobGetsOf(missing);

    k = await startWorker(target(), WORKER_K, { dataDir, env });
    expect(logged(k, 'found an assigned job without a result on-chain; taking it up', job.id)).toHaveLength(1);
    const j = await submitted(job.id, 120_000);
    const bundle = await bundleOf(j);
    expect(bundle.read('count.txt')).toBe('8\n');
    const want = createHash('sha256').update(readFileSync(join(work, 'big-data-2', 'data-7.bin'))).digest('hex');
    expect(bundle.read('sum.txt')).toBe(`${want}  /data/2/data-7.bin\n`);
    expect(JSON.parse(bundle.read('.loom/run.json')).image).toEqual({ reference: big.text, manifestDigest: big.digest });
    // The restart pulled again what the killed pull had not stored, and left nothing half-made behind.
    expect(pulledLines(k, big)).toHaveLength(1);
    for (const d of missing) expect({ layer: d, fetchedAgain: registry.blobGets(d) > getsAtKill[d]! }).toEqual({ layer: d, fetchedAgain: true });
    for (const d of layers) expect(existsSync(blobPath(dataDir, d))).toBe(true);
    expect(readdirSync(tmp)).toEqual([]);
    expect(await m.events(job.id)).toEqual(['JobPosted', 'JobAssigned', 'ResultSubmitted']);
    // Worker A, meanwhile, refused the big image without a transaction.
    expect(await waitFor('worker A refusing the big image', () => logged(a, 'job refused', job.id)[0])).toMatchObject({ reason: 'image_too_large' });
    await k.stop();
  }, 240_000);
});
