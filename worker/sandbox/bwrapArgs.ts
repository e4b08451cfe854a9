/**
 * The bubblewrap arguments for one job: a pure function of the spec, the job's directories and
 * what the host has, so tests can read exactly what a job will and will not see.
 *
 * What the job gets:
 * - new user, pid, network, ipc, uts and cgroup namespaces (`--unshare-all --unshare-user`): no
 *   network at all (only its own loopback), no view of the host's processes;
 * - no capabilities, its own session (no terminal injection), death with the worker, and a
 *   seccomp filter refusing system calls no job needs (seccompFilter.ts);
 * - the host's /usr (and the /bin, /lib... links) and a few /etc files, read-only; its own
 *   passwd, group and hosts;
 * - its inputs read-only, /out read-write (the job's output directory on the host), a private /tmp
 *   and /dev/shm;
 * - a read-only root and /dev everywhere else;
 * - GPU device nodes, /sys and the driver libraries only when it asks for GPUs; a CPU job finds
 *   the driver libraries masked by an empty file.
 */
import { dirname } from 'node:path';
import type { JobSpec } from '../../sdk/spec/jobSpec';
import type { GpuHost } from './gpuPassthrough';
import type { HostLayout } from './hostLayout';
import { SANDBOX_GID, SANDBOX_UID } from './sandboxEtc';

export type BwrapFeatures = {
  /** bwrap >= 0.8: `--disable-userns` (no nested user namespaces, a large kernel attack surface). */
  disableUserns: boolean;
};

export type BwrapPlan = {
  spec: JobSpec;
  /** Fetched inputs: host file -> mount path in the sandbox. */
  inputs: { hostPath: string; mountPath: string }[];
  /** Host directory bound read-write at /out. */
  outDir: string;
  /** Host directory with the sandbox's passwd, group, hosts and the empty mask file (sandboxEtc.ts). */
  etcDir: string;
  layout: HostLayout;
  gpuHost: GpuHost;
  /** Which GPUs (indices into gpuHost.gpuNodes) the job gets; empty for a CPU job. */
  gpuIndices: number[];
  features: BwrapFeatures;
  /** The fd bwrap reads the seccomp filter from (seccompFilter.ts); none: no filter. */
  seccompFd?: number;
};

/** Top-level directories that are the system's: a workdir under them must already exist. */
const systemRoots = new Set(['usr', 'bin', 'sbin', 'lib', 'lib64', 'lib32', 'libx32', 'etc', 'proc', 'dev', 'sys']);

/** Paths the read-only /usr bind covers, where a mask file can be bound. */
function underBoundTree(path: string, layout: HostLayout): boolean {
  return layout.rootEntries.some((e) => e.kind === 'dir' && (path === e.path || path.startsWith(`${e.path}/`)));
}

/** Builds bwrap's arguments, up to and including `--`; append the job's argv. */
export function buildBwrapArgs(plan: BwrapPlan): string[] {
  const { spec, layout, gpuHost } = plan;
  const args: string[] = [
    '--unshare-all',
    '--unshare-user',
    ...(plan.features.disableUserns ? ['--disable-userns'] : []),
    '--uid', String(SANDBOX_UID),
    '--gid', String(SANDBOX_GID),
    '--hostname', 'loom',
    '--die-with-parent',
    '--new-session',
    '--cap-drop', 'ALL',
    ...(plan.seccompFd === undefined ? [] : ['--seccomp', String(plan.seccompFd)]),
  ];

  for (const e of layout.rootEntries) {
    if (e.kind === 'dir') args.push('--ro-bind', e.path, e.path);
    else args.push('--symlink', e.target, e.path);
  }
  for (const p of layout.etcPaths) args.push('--ro-bind', p, p);
  for (const name of ['passwd', 'group', 'hosts', 'hostname']) args.push('--ro-bind', `${plan.etcDir}/${name}`, `/etc/${name}`);

  // /dev/shm is its own tmpfs so it stays writable (POSIX shared memory, e.g. PyTorch's data
  // loaders) once /dev is made read-only below. Both tmpfs count against the memory limit.
  args.push('--proc', '/proc', '--dev', '/dev', '--tmpfs', '/dev/shm', '--tmpfs', '/tmp');

  if (plan.gpuIndices.length > 0) {
    for (const i of plan.gpuIndices) args.push('--dev-bind', gpuHost.gpuNodes[i]!, gpuHost.gpuNodes[i]!);
    for (const node of gpuHost.controlNodes) args.push('--dev-bind', node, node);
    // NVML and the CUDA driver read the PCI topology from sysfs.
    args.push('--ro-bind', '/sys', '/sys');
    for (const lib of gpuHost.libraries) {
      if (!underBoundTree(lib.realPath, layout)) args.push('--ro-bind', lib.realPath, lib.path);
    }
  } else {
    const masked = new Set(gpuHost.libraries.map((l) => l.realPath).filter((p) => underBoundTree(p, layout)));
    for (const p of [...masked].sort()) args.push('--ro-bind', `${plan.etcDir}/empty`, p);
  }

  args.push('--dir', '/in');
  for (const input of plan.inputs) args.push('--ro-bind', input.hostPath, input.mountPath);
  args.push('--bind', plan.outDir, '/out');

  const workdir = spec.workdir ?? '/';
  if (workdir !== '/' && !systemRoots.has(workdir.split('/')[1] ?? '')) args.push('--dir', workdir);
  // The root and /dev are tmpfs bwrap built: read-only once everything is in place. (Device nodes
  // stay usable on a read-only mount; only creating files there is refused.)
  args.push('--remount-ro', '/dev', '--remount-ro', '/');
  args.push('--chdir', workdir);
  args.push('--');
  return args;
}

/**
 * The environment a job starts with: PATH, HOME and LANG set by the worker, the spec's own
 * variables (non-secret by construction: the spec is public), and for a GPU job whose driver
 * libraries live outside /usr, LD_LIBRARY_PATH to find them. Nothing from the worker's environment.
 */
export function sandboxEnv(plan: Pick<BwrapPlan, 'spec' | 'gpuHost' | 'gpuIndices' | 'layout'>): Record<string, string> {
  const env: Record<string, string> = {
    PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    HOME: '/tmp',
    LANG: 'C.UTF-8',
    ...plan.spec.env,
  };
  if (plan.gpuIndices.length > 0) {
    const dirs = [...new Set(plan.gpuHost.libraries.filter((l) => !underBoundTree(l.realPath, plan.layout)).map((l) => dirname(l.path)))];
    if (dirs.length > 0) env.LD_LIBRARY_PATH = [...(env.LD_LIBRARY_PATH ? [env.LD_LIBRARY_PATH] : []), ...dirs].join(':');
  }
  return env;
}
