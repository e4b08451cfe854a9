/**
 * GPU mounts as golden tests against a fake driver tree: device nodes (plain files: only the
 * arguments are built here), the driver's libraries with version suffixes, a library of an older
 * driver and a CUDA toolkit library that must not be picked, a 32-bit copy, a fake `ldconfig -p`
 * and a fake nvidia-smi. The exact bwrap arguments say which files a job sees.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type JobSpec, parseSpec } from '../../sdk/spec/jobSpec';
import { type BwrapPlan, type ImagePlan, buildBwrapArgs, imageMountPoints, sandboxEnv } from './bwrapArgs';
import { type GpuHost, detectGpuHost, parseDriverVersion, parseLdconfig } from './gpuPassthrough';

const V = '550.54.15';
const OLD = '535.104.05';
const IMAGE = 'ghcr.io/loom/cuda@sha256:' + 'cd'.repeat(32);

const t = mkdtempSync(join(os.tmpdir(), 'loom-fake-driver-'));
const lib = join(t, 'usr/lib/x86_64-linux-gnu');
const lib32 = join(t, 'usr/lib/i386-linux-gnu');
const oldLib = join(t, 'opt/old-driver/lib');
const cudaLib = join(t, 'usr/local/cuda/lib64');
let host: GpuHost;

/** A library file and its links, as the driver's installer and ldconfig leave them. */
function library(dir: string, file: string, ...links: string[]): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, file), `fake ${file}\n`);
  for (const l of links) symlinkSync(file, join(dir, l));
}

beforeAll(async () => {
  mkdirSync(join(t, 'dev/nvidia-caps'), { recursive: true });
  for (const n of ['nvidia0', 'nvidia1', 'nvidia2', 'nvidiactl', 'nvidia-uvm', 'nvidia-uvm-tools', 'nvidia-modeset', 'nvidia-caps/nvidia-cap1', 'null']) writeFileSync(join(t, 'dev', n), '');
  library(lib, `libcuda.so.${V}`, 'libcuda.so.1', 'libcuda.so');
  library(lib, `libnvidia-ml.so.${V}`, 'libnvidia-ml.so.1');
  library(lib, `libnvidia-ptxjitcompiler.so.${V}`, 'libnvidia-ptxjitcompiler.so.1');
  library(lib, `libnvidia-nvvm.so.${V}`, 'libnvidia-nvvm.so.4');
  library(lib, `libnvidia-gpucomp.so.${V}`);
  // A graphics library of the running driver: not in the compute and utility sets.
  library(lib, `libnvidia-glcore.so.${V}`);
  library(lib32, `libcuda.so.${V}`, 'libcuda.so.1');
  // Left behind by an older driver: another version, never given to a job.
  library(oldLib, `libnvidia-ml.so.${OLD}`, 'libnvidia-ml.so.1');
  library(oldLib, `libnvidia-opencl.so.${OLD}`, 'libnvidia-opencl.so.1');
  // The CUDA toolkit's runtime: an ordinary library, the image brings its own.
  library(cudaLib, 'libcudart.so.12.4.127', 'libcudart.so.12');
  const ldconfigP = [
    '1234 libs found in cache `/etc/ld.so.cache\'',
    `\tlibnvidia-ptxjitcompiler.so.1 (libc6,x86-64) => ${lib}/libnvidia-ptxjitcompiler.so.1`,
    `\tlibnvidia-nvvm.so.4 (libc6,x86-64) => ${lib}/libnvidia-nvvm.so.4`,
    `\tlibnvidia-ml.so.1 (libc6,x86-64) => ${lib}/libnvidia-ml.so.1`,
    `\tlibnvidia-ml.so.1 (libc6,x86-64) => ${oldLib}/libnvidia-ml.so.1`,
    `\tlibnvidia-opencl.so.1 (libc6,x86-64) => ${oldLib}/libnvidia-opencl.so.1`,
    `\tlibnvidia-gpucomp.so.${V} (libc6,x86-64) => ${lib}/libnvidia-gpucomp.so.${V}`,
    `\tlibnvidia-glcore.so.${V} (libc6,x86-64) => ${lib}/libnvidia-glcore.so.${V}`,
    `\tlibcudart.so.12 (libc6,x86-64) => ${cudaLib}/libcudart.so.12`,
    `\tlibcuda.so.1 (libc6,x86-64) => ${lib}/libcuda.so.1`,
    `\tlibcuda.so.1 (libc6) => ${lib32}/libcuda.so.1`,
    `\tlibcuda.so (libc6,x86-64) => ${lib}/libcuda.so`,
    '\tlibc.so.6 (libc6,x86-64, OS ABI: Linux 3.2.0) => /lib/x86_64-linux-gnu/libc.so.6',
  ].join('\n');
  writeFileSync(join(t, 'ldconfig'), `#!/bin/sh\n[ "$1" = "-p" ] || exit 2\ncat <<'EOF'\n${ldconfigP}\nEOF\n`);
  chmodSync(join(t, 'ldconfig'), 0o755);
  mkdirSync(join(t, 'usr/bin'), { recursive: true });
  writeFileSync(join(t, 'usr/bin/nvidia-smi'), '#!/bin/sh\necho "GPU 0: Fake"\n');
  chmodSync(join(t, 'usr/bin/nvidia-smi'), 0o755);
  writeFileSync(join(t, 'version'), `NVRM version: NVIDIA UNIX x86_64 Kernel Module  ${V}  Tue Mar  5 22:23:56 UTC 2024\nGCC version:  gcc version 12.2.0 (Debian 12.2.0-14)\n`);
  host = await detectGpuHost({ devDir: join(t, 'dev'), ldconfig: [join(t, 'ldconfig')], driverVersionFile: join(t, 'version'), binDirs: [join(t, 'usr/bin')] });
});

afterAll(() => rmSync(t, { recursive: true, force: true }));

function spec(json: Record<string, unknown>): JobSpec {
  const r = parseSpec({ version: 1, ...json });
  if (!r.ok) throw new Error(r.reason);
  return r.spec;
}

function plan(s: JobSpec, gpuIndices: number[], image?: ImagePlan): BwrapPlan {
  return {
    spec: s,
    inputs: [],
    outDir: '/jobs/j/out',
    etcDir: '/jobs/j/etc',
    layout: { rootEntries: [{ path: '/usr', kind: 'dir' }, { path: '/bin', kind: 'symlink', target: 'usr/bin' }], etcPaths: [] },
    gpuHost: host,
    gpuIndices,
    features: { disableUserns: true },
    ...(image ? { image } : {}),
  };
}

const image: ImagePlan = {
  rootDir: '/cache/images/abc/rootfs',
  entries: [
    { name: 'bin', kind: 'symlink', target: 'usr/bin' },
    { name: 'etc', kind: 'dir' },
    { name: 'usr', kind: 'dir' },
  ],
  process: { argv: ['nvidia-smi', '-L'], env: { PATH: '/usr/bin:/bin', HOME: '/tmp', LD_LIBRARY_PATH: '/opt/lib' }, workdir: '/' },
};

const isolation = ['--unshare-all', '--unshare-user', '--disable-userns', '--uid', '1000', '--gid', '1000', '--hostname', 'loom', '--die-with-parent', '--new-session', '--cap-drop', 'ALL'];

describe('detectGpuHost (fake driver tree)', () => {
  test('default: nodes, the driver version, its compute and utility libraries by soname, nvidia-smi', () => {
    const dev = (n: string) => ({ hostPath: join(t, 'dev', n), path: `/dev/${n}` });
    expect(host).toEqual({
      gpuNodes: [dev('nvidia0'), dev('nvidia1'), dev('nvidia2')],
      controlNodes: [dev('nvidia-caps/nvidia-cap1'), dev('nvidia-modeset'), dev('nvidia-uvm'), dev('nvidia-uvm-tools'), dev('nvidiactl')],
      libraries: [
        { path: `${lib}/libnvidia-ptxjitcompiler.so.1`, realPath: `${lib}/libnvidia-ptxjitcompiler.so.${V}` },
        { path: `${lib}/libnvidia-nvvm.so.4`, realPath: `${lib}/libnvidia-nvvm.so.${V}` },
        { path: `${lib}/libnvidia-ml.so.1`, realPath: `${lib}/libnvidia-ml.so.${V}` },
        { path: `${oldLib}/libnvidia-ml.so.1`, realPath: `${oldLib}/libnvidia-ml.so.${OLD}` },
        { path: `${oldLib}/libnvidia-opencl.so.1`, realPath: `${oldLib}/libnvidia-opencl.so.${OLD}` },
        { path: `${lib}/libnvidia-gpucomp.so.${V}`, realPath: `${lib}/libnvidia-gpucomp.so.${V}` },
        { path: `${lib}/libnvidia-glcore.so.${V}`, realPath: `${lib}/libnvidia-glcore.so.${V}` },
        { path: `${lib}/libcuda.so.1`, realPath: `${lib}/libcuda.so.${V}` },
        { path: `${lib32}/libcuda.so.1`, realPath: `${lib32}/libcuda.so.${V}` },
        { path: `${lib}/libcuda.so`, realPath: `${lib}/libcuda.so.${V}` },
      ],
      driverVersion: V,
      containerLibraries: [
        { soname: 'libcuda.so.1', realPath: `${lib}/libcuda.so.${V}` },
        { soname: `libnvidia-gpucomp.so.${V}`, realPath: `${lib}/libnvidia-gpucomp.so.${V}` },
        { soname: 'libnvidia-ml.so.1', realPath: `${lib}/libnvidia-ml.so.${V}` },
        { soname: 'libnvidia-nvvm.so.4', realPath: `${lib}/libnvidia-nvvm.so.${V}` },
        { soname: 'libnvidia-ptxjitcompiler.so.1', realPath: `${lib}/libnvidia-ptxjitcompiler.so.${V}` },
      ],
      nvidiaSmi: join(t, 'usr/bin/nvidia-smi'),
    });
  });

  test('behavior: without the kernel module’s version file, the version comes from libcuda’s file name', async () => {
    const h = await detectGpuHost({ devDir: join(t, 'dev'), ldconfig: [join(t, 'ldconfig')], driverVersionFile: join(t, 'missing'), binDirs: [join(t, 'usr/bin')] });
    expect(h.driverVersion).toBe(V);
    expect(h.containerLibraries).toEqual(host.containerLibraries);
  });

  test('behavior: a CPU-only machine has nothing', async () => {
    const h = await detectGpuHost({ devDir: join(t, 'no-dev'), ldconfig: [join(t, 'no-ldconfig')], driverVersionFile: join(t, 'missing'), binDirs: [join(t, 'no-bin')] });
    expect(h).toEqual({ gpuNodes: [], controlNodes: [], libraries: [], containerLibraries: [] });
  });

  test('default: the kernel module’s version, proprietary and open', () => {
    expect(parseDriverVersion(`NVRM version: NVIDIA UNIX Open Kernel Module for x86_64  ${V}  Release Build  (dvs-builder@U16-I3-B03-4-3)  Tue Mar  5 22:19:34 UTC 2024\n`)).toBe(V);
    expect(parseDriverVersion('')).toBeUndefined();
    expect(parseLdconfig('')).toEqual([]);
  });
});

describe('GPU mounts (golden)', () => {
  test('default: an image GPU job given GPU 1 gets exactly /dev/nvidia1, the control nodes, sysfs, the driver’s libraries and nvidia-smi', () => {
    const p = plan(spec({ image: IMAGE, command: ['-L'], resources: { gpus: 1 } }), [1], image);
    expect(buildBwrapArgs(p)).toEqual([
      ...isolation,
      '--symlink', 'usr/bin', '/bin',
      '--ro-bind', '/cache/images/abc/rootfs/etc', '/etc',
      '--ro-bind', '/cache/images/abc/rootfs/usr', '/usr',
      '--ro-bind', '/jobs/j/etc/hosts', '/etc/hosts',
      '--ro-bind', '/jobs/j/etc/hostname', '/etc/hostname',
      '--proc', '/proc', '--dev', '/dev', '--tmpfs', '/dev/shm', '--tmpfs', '/tmp',
      '--dev-bind', `${t}/dev/nvidia1`, '/dev/nvidia1',
      '--dev-bind', `${t}/dev/nvidia-caps/nvidia-cap1`, '/dev/nvidia-caps/nvidia-cap1',
      '--dev-bind', `${t}/dev/nvidia-modeset`, '/dev/nvidia-modeset',
      '--dev-bind', `${t}/dev/nvidia-uvm`, '/dev/nvidia-uvm',
      '--dev-bind', `${t}/dev/nvidia-uvm-tools`, '/dev/nvidia-uvm-tools',
      '--dev-bind', `${t}/dev/nvidiactl`, '/dev/nvidiactl',
      '--ro-bind', '/sys', '/sys',
      '--ro-bind', `${lib}/libcuda.so.${V}`, '/usr/local/nvidia/lib64/libcuda.so.1',
      '--ro-bind', `${lib}/libnvidia-gpucomp.so.${V}`, `/usr/local/nvidia/lib64/libnvidia-gpucomp.so.${V}`,
      '--ro-bind', `${lib}/libnvidia-ml.so.${V}`, '/usr/local/nvidia/lib64/libnvidia-ml.so.1',
      '--ro-bind', `${lib}/libnvidia-nvvm.so.${V}`, '/usr/local/nvidia/lib64/libnvidia-nvvm.so.4',
      '--ro-bind', `${lib}/libnvidia-ptxjitcompiler.so.${V}`, '/usr/local/nvidia/lib64/libnvidia-ptxjitcompiler.so.1',
      '--ro-bind', `${t}/usr/bin/nvidia-smi`, '/usr/local/nvidia/bin/nvidia-smi',
      '--dir', '/in',
      '--bind', '/jobs/j/out', '/out',
      '--remount-ro', '/dev', '--remount-ro', '/',
      '--chdir', '/',
      '--',
    ]);
    expect(sandboxEnv(p)).toEqual({ PATH: '/usr/local/nvidia/bin:/usr/bin:/bin', HOME: '/tmp', LD_LIBRARY_PATH: '/usr/local/nvidia/lib64:/opt/lib' });
    // The libraries' and nvidia-smi's mount points are made in the image's /usr first; /etc's optionally.
    expect(imageMountPoints(p as BwrapPlan & { image: ImagePlan }).map((m) => `${m.kind} ${m.path}${m.optional ? ' (optional)' : ''}`)).toEqual([
      'file /etc/hosts (optional)',
      'file /etc/hostname (optional)',
      'file /usr/local/nvidia/lib64/libcuda.so.1',
      `file /usr/local/nvidia/lib64/libnvidia-gpucomp.so.${V}`,
      'file /usr/local/nvidia/lib64/libnvidia-ml.so.1',
      'file /usr/local/nvidia/lib64/libnvidia-nvvm.so.4',
      'file /usr/local/nvidia/lib64/libnvidia-ptxjitcompiler.so.1',
      'file /usr/local/nvidia/bin/nvidia-smi',
    ]);
  });

  test('behavior: two GPUs, 0 and 2, get those two nodes only', () => {
    const args = buildBwrapArgs(plan(spec({ image: IMAGE, resources: { gpus: 2 } }), [0, 2], image)).join(' ');
    expect(args).toContain(`--dev-bind ${t}/dev/nvidia0 /dev/nvidia0 --dev-bind ${t}/dev/nvidia2 /dev/nvidia2 --dev-bind`);
    expect(args).not.toContain('/dev/nvidia1 ');
  });

  test('behavior: an image CPU job sees no device node, sysfs, driver library or nvidia-smi, and no driver path in its env', () => {
    const p = plan(spec({ image: IMAGE, command: ['-L'] }), [], image);
    const args = buildBwrapArgs(p).join(' ');
    expect(args).not.toMatch(/nvidia|\/sys|fake-driver/);
    expect(sandboxEnv(p)).toEqual({ PATH: '/usr/bin:/bin', HOME: '/tmp', LD_LIBRARY_PATH: '/opt/lib' });
    expect(imageMountPoints(p as BwrapPlan & { image: ImagePlan }).map((m) => m.path)).toEqual(['/etc/hosts', '/etc/hostname']);
  });

  test('behavior: host mode keeps binding every driver library where ldconfig lists it, only for GPU jobs', () => {
    const gpu = buildBwrapArgs(plan(spec({ command: ['nvidia-smi'], resources: { gpus: 1 } }), [1])).join(' ');
    expect(gpu).toContain(`--dev-bind ${t}/dev/nvidia1 /dev/nvidia1 --dev-bind ${t}/dev/nvidia-caps/nvidia-cap1 /dev/nvidia-caps/nvidia-cap1`);
    expect(gpu).not.toContain('/dev/nvidia0');
    expect(gpu).toContain(`--ro-bind ${lib}/libcuda.so.${V} ${lib}/libcuda.so.1 `);
    expect(gpu).not.toContain('/usr/local/nvidia');
    const cpu = buildBwrapArgs(plan(spec({ command: ['true'] }), [])).join(' ');
    expect(cpu).not.toMatch(/\/dev\/nvidia|\/sys/);
  });

  test('behavior: an image that already lists the driver’s directories keeps its order', () => {
    const own: ImagePlan = { ...image, process: { ...image.process, env: { PATH: '/usr/local/nvidia/bin:/usr/local/cuda/bin:/usr/bin', HOME: '/tmp', LD_LIBRARY_PATH: '/usr/local/nvidia/lib:/usr/local/nvidia/lib64' } } };
    expect(sandboxEnv(plan(spec({ image: IMAGE, resources: { gpus: 1 } }), [0], own))).toEqual(own.process.env);
  });
});
