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
import { type BwrapPlan, buildBwrapArgs, imageMountPoints, sandboxEnv } from './bwrapArgs';
import { type GpuHost, detectGpuHost, parseDriverVersion, parseLdconfig } from './gpuPassthrough';
import { planImageRoot } from './imageRoot';

const V = '550.54.15';
const OLD = '535.104.05';
const IMAGE = 'ghcr.io/loom/cuda@sha256:' + 'cd'.repeat(32);

const t = mkdtempSync(join(os.tmpdir(), 'loom-fake-driver-'));
const lib = join(t, 'usr/lib/x86_64-linux-gnu');
const lib32 = join(t, 'usr/lib/i386-linux-gnu');
const oldLib = join(t, 'opt/old-driver/lib');
const cudaLib = join(t, 'usr/local/cuda/lib64');
const root = join(t, 'image');
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
  // An image: /bin a link into /usr, an /etc without hosts, /usr with bin, lib and local.
  for (const d of ['etc', 'usr/bin', 'usr/lib', 'usr/local/bin', 'usr/local/share']) mkdirSync(join(root, d), { recursive: true });
  symlinkSync('usr/bin', join(root, 'bin'));
  writeFileSync(join(root, 'etc/os-release'), 'ID=fake\n');
  writeFileSync(join(root, 'usr/bin/sh'), '');
  host = await detectGpuHost({ devDir: join(t, 'dev'), ldconfig: [join(t, 'ldconfig')], driverVersionFile: join(t, 'version'), binDirs: [join(t, 'usr/bin')] });
});

afterAll(() => rmSync(t, { recursive: true, force: true }));

function spec(json: Record<string, unknown>): JobSpec {
  const r = parseSpec({ version: 1, ...json });
  if (!r.ok) throw new Error(r.reason);
  return r.spec;
}

function plan(s: JobSpec, gpuIndices: number[]): BwrapPlan {
  return {
    spec: s,
    inputs: [],
    outDir: '/jobs/j/out',
    etcDir: '/jobs/j/etc',
    layout: { rootEntries: [{ path: '/usr', kind: 'dir' }, { path: '/bin', kind: 'symlink', target: 'usr/bin' }], etcPaths: [] },
    gpuHost: host,
    gpuIndices,
    features: { disableUserns: true },
  };
}

const process = { argv: ['nvidia-smi', '-L'], env: { PATH: '/usr/bin:/bin', HOME: '/tmp', LD_LIBRARY_PATH: '/opt/lib' }, workdir: '/' };

/** The image job's plan, with the image's tree planned for its mount points as the runner does. */
async function imagePlan(gpuIndices: number[], proc = process): Promise<BwrapPlan> {
  const base = plan(spec({ image: IMAGE, resources: { gpus: gpuIndices.length } }), gpuIndices);
  const { tree, failed } = await planImageRoot(root, imageMountPoints(base, proc.workdir));
  expect(failed).toEqual([]);
  return { ...base, image: { tree, process: proc } };
}

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
  test('default: an image GPU job given GPU 1 gets exactly /dev/nvidia1, the control nodes, sysfs, the driver’s libraries and nvidia-smi', async () => {
    const p = await imagePlan([1]);
    expect(buildBwrapArgs(p)).toEqual([
      ...isolation,
      // The image, read-only; /etc and /usr/local rebuilt entry by entry, as the sandbox's hosts
      // file and the driver's directory go where the image has nothing.
      '--symlink', 'usr/bin', '/bin',
      '--perms', '0755', '--dir', '/etc',
      '--ro-bind', `${root}/etc/os-release`, '/etc/os-release',
      '--perms', '0755', '--dir', '/usr',
      '--ro-bind', `${root}/usr/bin`, '/usr/bin',
      '--ro-bind', `${root}/usr/lib`, '/usr/lib',
      '--perms', '0755', '--dir', '/usr/local',
      '--ro-bind', `${root}/usr/local/bin`, '/usr/local/bin',
      '--ro-bind', `${root}/usr/local/share`, '/usr/local/share',
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
    expect(imageMountPoints(p, '/').map((m) => `${m.kind} ${m.path}${m.optional ? ' (optional)' : ''}`)).toEqual([
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

  test('behavior: two GPUs, 0 and 2, get those two nodes only', async () => {
    const args = buildBwrapArgs(await imagePlan([0, 2])).join(' ');
    expect(args).toContain(`--dev-bind ${t}/dev/nvidia0 /dev/nvidia0 --dev-bind ${t}/dev/nvidia2 /dev/nvidia2 --dev-bind`);
    expect(args).not.toContain('/dev/nvidia1 ');
  });

  test('behavior: an image CPU job sees no device node, sysfs, driver library or nvidia-smi, and no driver path in its env', async () => {
    const p = await imagePlan([]);
    const args = buildBwrapArgs(p);
    expect(args.join(' ')).not.toMatch(/nvidia|\/sys/);
    expect(args.join(' ')).not.toContain(`${t}/dev`);
    expect(args.join(' ')).not.toContain(`${t}/usr/lib`);
    // The image's /usr is bound whole: nothing needs room there.
    expect(args).toContain(`${root}/usr`);
    expect(sandboxEnv(p)).toEqual({ PATH: '/usr/bin:/bin', HOME: '/tmp', LD_LIBRARY_PATH: '/opt/lib' });
    expect(imageMountPoints(p, '/').map((m) => m.path)).toEqual(['/etc/hosts', '/etc/hostname']);
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

  test('behavior: an image that already lists the driver’s directories keeps its order', async () => {
    const env = { PATH: '/usr/local/nvidia/bin:/usr/local/cuda/bin:/usr/bin', HOME: '/tmp', LD_LIBRARY_PATH: '/usr/local/nvidia/lib:/usr/local/nvidia/lib64' };
    expect(sandboxEnv(await imagePlan([0], { ...process, env }))).toEqual(env);
  });
});
