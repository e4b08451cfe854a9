/**
 * Image jobs' start-up cost (`LOOM_BENCH_WORKER=image` runs only this half of the worker bench).
 *
 * A busybox image with ~120 MB of incompressible data in 3 layers is built here and pushed to a
 * local registry (Debian's docker-registry on loopback). Then, alternately, ROUNDS times each:
 * - cold: a fresh image store pulls it by digest, unpacks it and runs `/bin/true` in it in the
 *   sandbox (what the worker does for a job whose image it has never seen);
 * - floor: the two-step way with the field's tools, `skopeo copy` to an OCI layout then
 *   `umoci raw unpack --rootless` (no job run: the floor is only the pull and the unpack).
 * coldRatio = median cold / median floor; goal <= 1.0 (layers download while earlier ones unpack).
 * Then the warm start, the same job with the image cached, against a host-mode `/bin/true` in the
 * same sandbox measured alongside (the median of the paired ratios): warmRatio goal <= 1.2.
 */
import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseSpec } from '../sdk/spec/jobSpec.ts';
import { bigImage, pushImage } from '../testkit/images.ts';
import { startRegistry } from '../testkit/registry.ts';
import { ImageStore } from '../worker/image/imageStore.ts';
import { SandboxRunner } from '../worker/sandbox/sandboxRunner.ts';

const execFileAsync = promisify(execFile);
const IMAGE_BYTES = Number(process.env.LOOM_BENCH_IMAGE_MB ?? 120) * 1e6;
const ROUNDS = Number(process.env.LOOM_BENCH_IMAGE_ROUNDS ?? 3);
const WARM_RUNS = 31;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;

export async function imageBench(): Promise<Record<string, number>> {
  const root = join(os.tmpdir(), `loom-bench-image-${process.pid}`);
  mkdirSync(root, { recursive: true });
  chmodSync(root, 0o711);
  const registry = await startRegistry();
  try {
    const image = await pushImage(registry, await bigImage(join(root, 'build'), 'bench', IMAGE_BYTES, 3), 'loom/bench');
    const sandbox = await SandboxRunner.create({ workDir: root });
    let jobs = 0;
    const run = async (withImage?: { rootDir: string; config: import('../worker/image/imageTypes.ts').ImageConfig }) => {
      const parsed = parseSpec({ version: 1, ...(withImage ? { image: image.text } : {}), command: ['/bin/true'], resources: { memoryMiB: 256, cpus: 1, timeoutSeconds: 120, outputMiB: 1 } });
      if (!parsed.ok) throw new Error(parsed.reason);
      const r = await sandbox.run({ name: `img${jobs}`, spec: parsed.spec, jobDir: mkdtempSync(join(root, `job${jobs++}-`)), inputs: [], ...(withImage ? { image: withImage } : {}) });
      if (!r.ok) throw new Error(`the bench job failed: ${r.reason} ${r.stderrTail}`);
    };
    const storeOptions = (dir: string) => ({ dir, cacheBytes: 8 * 2 ** 30, maxImageBytes: 4 * 2 ** 30, allowedRegistries: [registry.host] });

    const cold: number[] = [];
    const prepareOnly: number[] = [];
    const floor: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const dir = join(root, `store-${i}`);
      const started = performance.now();
      const store = await ImageStore.open(storeOptions(dir));
      const prepared = await store.prepare(image.ref);
      prepareOnly.push(performance.now() - started);
      await run({ rootDir: prepared.rootDir, config: prepared.config });
      cold.push(performance.now() - started);
      await prepared.release();
      rmSync(dir, { recursive: true, force: true });

      const layout = join(root, `floor-${i}`);
      const t0 = performance.now();
      await execFileAsync('skopeo', ['copy', '--quiet', '--src-tls-verify=false', `docker://${registry.host}/loom/bench@${image.digest}`, `oci:${layout}:bench`]);
      await execFileAsync('umoci', ['raw', 'unpack', '--rootless', '--image', `${layout}:bench`, join(layout, 'rootfs')]);
      floor.push(performance.now() - t0);
      rmSync(layout, { recursive: true, force: true });
    }

    // Warm: the image cached; host-mode /bin/true alternated with it as the baseline.
    const store = await ImageStore.open(storeOptions(join(root, 'store-warm')));
    const first = await store.prepare(image.ref);
    const unpackedBytes = Number((await execFileAsync('du', ['-sb', '--apparent-size', first.rootDir])).stdout.split('\t')[0]);
    await first.release();
    // A cached image was unpacked long before the job that finds it: let the kernel write the
    // fresh tree back first, as it would have (a read-only bind over dirty pages costs more).
    await execFileAsync('sync');
    const warm: number[] = [];
    const host: number[] = [];
    for (let i = 0; i < WARM_RUNS; i++) {
      const t0 = performance.now();
      const prepared = await store.prepare(image.ref);
      await run({ rootDir: prepared.rootDir, config: prepared.config });
      await prepared.release();
      warm.push(performance.now() - t0);
      const t1 = performance.now();
      await run();
      host.push(performance.now() - t1);
    }

    const coldMs = median(cold);
    const floorMs = median(floor);
    return {
      'worker.image.bytes': unpackedBytes,
      'worker.image.coldStartMs': Math.round(coldMs),
      'worker.image.floorMs': Math.round(floorMs),
      'worker.image.coldRatio': round(coldMs / floorMs, 3),
      'worker.image.unpackMBps': round(unpackedBytes / 1e6 / (median(prepareOnly) / 1000)),
      'worker.image.warmStartMs': round(median(warm)),
      'worker.image.hostStartMs': round(median(host)),
      // The median of the paired ratios: each warm start against the host-mode start right after it.
      'worker.image.warmRatio': round(median(warm.map((w, i) => w / host[i]!)), 3),
    };
  } finally {
    await registry.stop();
    rmSync(root, { recursive: true, force: true });
  }
}
