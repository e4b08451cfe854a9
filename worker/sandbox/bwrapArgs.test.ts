import { describe, expect, test } from 'vitest';
import { parseSpec, type JobSpec } from '../../sdk/spec/jobSpec';
import { type BwrapPlan, buildBwrapArgs, sandboxEnv } from './bwrapArgs';
import type { GpuHost } from './gpuPassthrough';
import { parseLdconfig } from './gpuPassthrough';
import { buildLaunchCommand } from './launchCommand';

const gpuHost: GpuHost = {
  gpuNodes: [
    { hostPath: '/dev/nvidia0', path: '/dev/nvidia0' },
    { hostPath: '/dev/nvidia1', path: '/dev/nvidia1' },
  ],
  controlNodes: [
    { hostPath: '/dev/nvidia-uvm', path: '/dev/nvidia-uvm' },
    { hostPath: '/dev/nvidiactl', path: '/dev/nvidiactl' },
  ],
  libraries: [
    { path: '/usr/lib/x86_64-linux-gnu/libcuda.so.1', realPath: '/usr/lib/x86_64-linux-gnu/libcuda.so.550.54.15' },
    { path: '/usr/local/nvidia/lib64/libnvidia-ml.so.1', realPath: '/usr/local/nvidia/lib64/libnvidia-ml.so.550.54.15' },
    { path: '/opt/nvidia/lib/libnvidia-ptxjitcompiler.so.1', realPath: '/opt/nvidia/lib/libnvidia-ptxjitcompiler.so.550.54.15' },
  ],
  driverVersion: '550.54.15',
  containerLibraries: [{ soname: 'libcuda.so.1', realPath: '/usr/lib/x86_64-linux-gnu/libcuda.so.550.54.15' }],
  nvidiaSmi: '/usr/bin/nvidia-smi',
};

function spec(json: Record<string, unknown>): JobSpec {
  const r = parseSpec({ version: 1, ...json });
  if (!r.ok) throw new Error(r.reason);
  return r.spec;
}

function plan(s: JobSpec, gpuIndices: number[] = []): BwrapPlan {
  return {
    spec: s,
    inputs: [{ hostPath: '/jobs/j/in/data.bin', mountPath: '/in/data.bin' }],
    outDir: '/jobs/j/out',
    etcDir: '/jobs/j/sandbox-etc',
    layout: {
      rootEntries: [
        { path: '/usr', kind: 'dir' },
        { path: '/bin', kind: 'symlink', target: 'usr/bin' },
        { path: '/lib', kind: 'symlink', target: 'usr/lib' },
      ],
      etcPaths: ['/etc/ld.so.cache'],
    },
    gpuHost,
    gpuIndices,
    features: { disableUserns: true },
  };
}

/** The pairs/triples of args, for readable assertions. */
const joined = (args: string[]) => args.join(' ');

describe('buildBwrapArgs', () => {
  test('default: a CPU job is isolated and sees no GPU device, sysfs or driver library', () => {
    const args = buildBwrapArgs(plan(spec({ command: ['python', 'train.py'] })));
    const s = joined(args);
    expect(s.startsWith('--unshare-all --unshare-user --disable-userns --uid 1000 --gid 1000 --hostname loom --die-with-parent --new-session --cap-drop ALL ')).toBe(true);
    expect(s).toContain('--ro-bind /usr /usr --symlink usr/bin /bin --symlink usr/lib /lib --ro-bind /etc/ld.so.cache /etc/ld.so.cache');
    expect(s).toContain('--ro-bind /jobs/j/in/data.bin /in/data.bin --bind /jobs/j/out /out');
    expect(s).not.toMatch(/\/dev\/nvidia/);
    expect(s).not.toContain('/sys');
    // The driver library under /usr is masked; the others are not bound at all.
    expect(s).toContain('--ro-bind /jobs/j/sandbox-etc/empty /usr/lib/x86_64-linux-gnu/libcuda.so.550.54.15');
    expect(s).toContain('--ro-bind /jobs/j/sandbox-etc/empty /usr/local/nvidia/lib64/libnvidia-ml.so.550.54.15');
    expect(s).not.toContain('/opt/nvidia');
    expect(s.endsWith('--remount-ro /dev --remount-ro / --chdir /in --')).toBe(true);
    expect(sandboxEnv(plan(spec({ command: ['true'], env: { SEED: '7' } })))).toEqual({
      PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
      HOME: '/tmp',
      LANG: 'C.UTF-8',
      SEED: '7',
    });
  });

  test('behavior: a GPU job gets exactly its GPUs, the control nodes, sysfs and the driver libraries', () => {
    const p = plan(spec({ command: ['nvidia-smi'], resources: { gpus: 1 } }), [1]);
    const s = joined(buildBwrapArgs(p));
    expect(s).toContain('--dev-bind /dev/nvidia1 /dev/nvidia1 --dev-bind /dev/nvidia-uvm /dev/nvidia-uvm --dev-bind /dev/nvidiactl /dev/nvidiactl --ro-bind /sys /sys');
    expect(s).not.toContain('/dev/nvidia0');
    expect(s).not.toContain('sandbox-etc/empty');
    // Libraries outside /usr are bound where ldconfig lists them, and found through LD_LIBRARY_PATH.
    expect(s).toContain('--ro-bind /opt/nvidia/lib/libnvidia-ptxjitcompiler.so.550.54.15 /opt/nvidia/lib/libnvidia-ptxjitcompiler.so.1');
    expect(sandboxEnv(p).LD_LIBRARY_PATH).toBe('/opt/nvidia/lib');
  });

  test('behavior: with a seccomp fd, bwrap loads the filter from it; without, there is no filter', () => {
    const with4 = joined(buildBwrapArgs({ ...plan(spec({ command: ['true'] })), seccompFd: 4 }));
    expect(with4).toContain('--cap-drop ALL --seccomp 4 ');
    expect(joined(buildBwrapArgs(plan(spec({ command: ['true'] }))))).not.toContain('--seccomp');
  });

  test('behavior: the workdir is created unless it is a system directory', () => {
    expect(joined(buildBwrapArgs(plan(spec({ command: ['true'], workdir: '/work/src' }))))).toContain('--dir /work/src --remount-ro /dev --remount-ro / --chdir /work/src --');
    expect(joined(buildBwrapArgs(plan(spec({ command: ['true'], workdir: '/usr/share' }))))).not.toContain('--dir /usr/share');
  });
});

describe('buildLaunchCommand', () => {
  test('default: joins the cgroup, drops root, and starts bwrap with the job environment, never on its command line', () => {
    const { file, args, env } = buildLaunchCommand({
      cgroupProcs: ['/cg/memory/job/cgroup.procs', '/cg/pids/job/cgroup.procs'],
      dropTo: { uid: 65534, gid: 65534, setpriv: '/usr/bin/setpriv' },
      env: { PATH: '/usr/bin', HOME: '/tmp', HF_TOKEN: 'secret' },
      program: '/usr/bin/bwrap',
      args: ['--unshare-all', '--', 'true'],
    });
    expect(file).toBe('/bin/sh');
    expect(args.slice(2)).toEqual([
      'loom-launch', '2', '/cg/memory/job/cgroup.procs', '/cg/pids/job/cgroup.procs',
      '/usr/bin/setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', '--no-new-privs',
      '/usr/bin/bwrap', '--unshare-all', '--', 'true',
    ]);
    expect(env).toEqual({ PATH: '/usr/bin', HOME: '/tmp', HF_TOKEN: 'secret' });
    expect(args.join(' ')).not.toContain('secret');
  });
});

describe('parseLdconfig', () => {
  test('default: driver libraries only, not the CUDA toolkit', () => {
    const out = [
      '1234 libs found in cache `/etc/ld.so.cache\'',
      '\tlibnvidia-ml.so.1 (libc6,x86-64) => /usr/lib/x86_64-linux-gnu/libnvidia-ml.so.1',
      '\tlibcudart.so.12 (libc6,x86-64) => /usr/local/cuda/lib64/libcudart.so.12',
      '\tlibcuda.so.1 (libc6,x86-64) => /usr/lib/x86_64-linux-gnu/libcuda.so.1',
      '\tlibcuda.so (libc6,x86-64) => /usr/lib/x86_64-linux-gnu/libcuda.so',
      '\tlibc.so.6 (libc6,x86-64, OS ABI: Linux 3.2.0) => /lib/x86_64-linux-gnu/libc.so.6',
    ].join('\n');
    expect(parseLdconfig(out)).toEqual([
      '/usr/lib/x86_64-linux-gnu/libnvidia-ml.so.1',
      '/usr/lib/x86_64-linux-gnu/libcuda.so.1',
      '/usr/lib/x86_64-linux-gnu/libcuda.so',
    ]);
  });
});
