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
 * - its inputs read-only, its models' files read-only under /models/<name>/ (../models/), /out
 *   read-write (the job's output directory on the host), a private /tmp and /dev/shm;
 * - a read-only root and /dev everywhere else;
 * - GPU device nodes, /sys and the driver libraries only when it asks for GPUs; a CPU job finds
 *   the driver libraries masked by an empty file.
 *
 * Image mode (`plan.image`): everything above but the host's /usr and /etc. The image root's
 * entries are mirrored read-only into bwrap's tmpfs root as imageRoot.ts plans it, so the image's
 * /usr, /etc, /opt... are the job's; /proc, /dev, /sys, /tmp, /in and /out are the sandbox's as in
 * host mode. /etc/passwd and /etc/group are the image's own: its programs may expect their users
 * (a job runs as uid 1000 whatever the image's USER says, and that uid may have no name there).
 * /etc/hosts and /etc/hostname are the sandbox's (localhost and the hostname "loom" resolve as the
 * sandbox's network namespace has them), unless the image's are something other than a file.
 * A GPU job gets its device nodes, /sys, and the driver's compute and utility libraries under
 * /usr/local/nvidia/lib64 with nvidia-smi under /usr/local/nvidia/bin, as NVIDIA's container
 * toolkit gives them (gpuPassthrough.ts); a CPU job gets none of it.
 */
import { dirname } from 'node:path';
import type { JobSpec } from '../../sdk/spec/jobSpec';
import type { ImageProcess } from '../image/imageProcess';
import type { GpuHost } from './gpuPassthrough';
import type { HostLayout } from './hostLayout';
import type { ImageTreeOp, MountPoint } from './imageRoot';
import { SANDBOX_GID, SANDBOX_UID } from './sandboxEtc';
import { MODELS_DIR } from '../models/jobModels';

export type BwrapFeatures = {
  /** bwrap >= 0.8: `--disable-userns` (no nested user namespaces, a large kernel attack surface). */
  disableUserns: boolean;
};

export type BwrapPlan = {
  spec: JobSpec;
  /** Fetched inputs: host file -> mount path in the sandbox. */
  inputs: { hostPath: string; mountPath: string }[];
  /** The job's model files (../models/modelStore.ts): cached host file -> `/models/<name>/<path>`, read-only. */
  models?: { hostPath: string; mountPath: string }[];
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
  /** Image mode: the unpacked image is the job's root; absent: host mode. */
  image?: ImagePlan;
};

export type ImagePlan = {
  /** The image's tree as the sandbox builds it (planImageRoot). */
  tree: ImageTreeOp[];
  /** How the job starts (imageProcess). */
  process: ImageProcess;
  /**
   * Mount points that could not be made in the image and that the job goes without: optional ones
   * (their binds are left out) and a working directory reached through a link (left to chdir).
   */
  unavailable?: string[];
};

/** Where a GPU job in an image finds the driver, as NVIDIA's CUDA images expect it. */
export const NVIDIA_LIB_DIR = '/usr/local/nvidia/lib64';
export const NVIDIA_BIN_DIR = '/usr/local/nvidia/bin';

/** Top-level directories that are the system's: a workdir under them must already exist. */
const systemRoots = new Set(['usr', 'bin', 'sbin', 'lib', 'lib64', 'lib32', 'libx32', 'etc', 'proc', 'dev', 'sys']);

/** Paths the read-only /usr bind covers, where a mask file can be bound. */
function underBoundTree(path: string, layout: HostLayout): boolean {
  return layout.rootEntries.some((e) => e.kind === 'dir' && (path === e.path || path.startsWith(`${e.path}/`)));
}

/** Builds bwrap's arguments, up to and including `--`; append the job's argv. */
export function buildBwrapArgs(plan: BwrapPlan): string[] {
  return plan.image ? imageModeArgs(plan, plan.image) : hostModeArgs(plan);
}

/** Namespaces, identity, capabilities and the seccomp filter: the same in both modes. */
function isolationArgs(plan: BwrapPlan): string[] {
  return [
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
}

/** The job's own GPU nodes and the control nodes, and sysfs, which NVML and the CUDA driver read. */
function gpuDeviceArgs(plan: BwrapPlan): string[] {
  const args: string[] = [];
  for (const i of plan.gpuIndices) args.push('--dev-bind', plan.gpuHost.gpuNodes[i]!.hostPath, plan.gpuHost.gpuNodes[i]!.path);
  for (const node of plan.gpuHost.controlNodes) args.push('--dev-bind', node.hostPath, node.path);
  args.push('--ro-bind', '/sys', '/sys');
  return args;
}

/** The job's data: inputs under /in (or their mount paths) and models under /models, read-only; /out read-write. */
function dataMountArgs(plan: BwrapPlan): string[] {
  const args = ['--dir', '/in'];
  for (const input of plan.inputs) args.push('--ro-bind', input.hostPath, input.mountPath);
  const models = plan.models ?? [];
  if (models.length > 0) args.push('--dir', MODELS_DIR);
  for (const file of models) args.push('--ro-bind', file.hostPath, file.mountPath);
  args.push('--bind', plan.outDir, '/out');
  return args;
}

function hostModeArgs(plan: BwrapPlan): string[] {
  const { spec, layout, gpuHost } = plan;
  const args = isolationArgs(plan);
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
    args.push(...gpuDeviceArgs(plan));
    for (const lib of gpuHost.libraries) {
      if (!underBoundTree(lib.realPath, layout)) args.push('--ro-bind', lib.realPath, lib.path);
    }
  } else {
    const masked = new Set(gpuHost.libraries.map((l) => l.realPath).filter((p) => underBoundTree(p, layout)));
    for (const p of [...masked].sort()) args.push('--ro-bind', `${plan.etcDir}/empty`, p);
  }

  args.push(...dataMountArgs(plan));

  const workdir = spec.workdir ?? '/';
  if (workdir !== '/' && !systemRoots.has(workdir.split('/')[1] ?? '')) args.push('--dir', workdir);
  // The root and /dev are tmpfs bwrap built: read-only once everything is in place. (Device nodes
  // stay usable on a read-only mount; only creating files there is refused.)
  args.push('--remount-ro', '/dev', '--remount-ro', '/');
  args.push('--chdir', workdir);
  args.push('--');
  return args;
}

/** The sandbox's own /etc files in image mode (see the top of the file). */
const imageEtcFiles = ['hosts', 'hostname'];

function imageModeArgs(plan: BwrapPlan, image: ImagePlan): string[] {
  const args = isolationArgs(plan);
  const unavailable = new Set(image.unavailable ?? []);
  for (const t of image.tree) {
    if (t.op === 'symlink') args.push('--symlink', t.target, t.path);
    else if (t.op === 'dir') args.push('--perms', t.mode.toString(8).padStart(4, '0'), '--dir', t.path);
    else args.push('--ro-bind', t.source, t.path);
  }
  for (const name of imageEtcFiles) if (!unavailable.has(`/etc/${name}`)) args.push('--ro-bind', `${plan.etcDir}/${name}`, `/etc/${name}`);
  args.push('--proc', '/proc', '--dev', '/dev', '--tmpfs', '/dev/shm', '--tmpfs', '/tmp');

  if (plan.gpuIndices.length > 0) {
    args.push(...gpuDeviceArgs(plan));
    for (const lib of plan.gpuHost.containerLibraries) args.push('--ro-bind', lib.realPath, `${NVIDIA_LIB_DIR}/${lib.soname}`);
    if (plan.gpuHost.nvidiaSmi) args.push('--ro-bind', plan.gpuHost.nvidiaSmi, `${NVIDIA_BIN_DIR}/nvidia-smi`);
  }

  args.push(...dataMountArgs(plan));

  const { workdir } = image.process;
  // Made on the tmpfs where the image lacks it (its parents were expanded: planImageRoot), a no-op
  // where it exists. Never through a link in the image: bwrap would follow it on the host's side.
  if (workdir !== '/' && !unavailable.has(workdir)) args.push('--dir', workdir);
  args.push('--remount-ro', '/dev', '--remount-ro', '/');
  args.push('--chdir', workdir);
  args.push('--');
  return args;
}

/**
 * Every bind target and the working directory of an image job: planImageRoot makes room for those
 * that fall inside the image's own directories.
 */
export function imageMountPoints(plan: Pick<BwrapPlan, 'gpuHost' | 'gpuIndices' | 'inputs' | 'models'>, workdir: string): MountPoint[] {
  const points: MountPoint[] = [];
  const add = (p: MountPoint) => points.push(p);
  for (const name of imageEtcFiles) add({ path: `/etc/${name}`, kind: 'file', purpose: `the sandbox's /etc/${name}`, optional: true });
  if (plan.gpuIndices.length > 0) {
    for (const lib of plan.gpuHost.containerLibraries) add({ path: `${NVIDIA_LIB_DIR}/${lib.soname}`, kind: 'file', purpose: `the driver library ${lib.soname}` });
    if (plan.gpuHost.nvidiaSmi) add({ path: `${NVIDIA_BIN_DIR}/nvidia-smi`, kind: 'file', purpose: 'nvidia-smi' });
  }
  for (const input of plan.inputs) add({ path: input.mountPath, kind: 'file', purpose: `the input mounted at ${input.mountPath}` });
  for (const file of plan.models ?? []) add({ path: file.mountPath, kind: 'file', purpose: `the model file mounted at ${file.mountPath}` });
  // A working directory reached through a link in the image is left to chdir, which follows it
  // inside the sandbox; one that does not exist there fails the job with bwrap's reason.
  if (workdir !== '/') add({ path: workdir, kind: 'dir', purpose: 'the working directory', linkOk: true });
  return points;
}

/**
 * The environment a job starts with: PATH, HOME and LANG set by the worker, the spec's own
 * variables (non-secret by construction: the spec is public), and for a GPU job whose driver
 * libraries live outside /usr, LD_LIBRARY_PATH to find them. Nothing from the worker's environment.
 */
export function sandboxEnv(plan: Pick<BwrapPlan, 'spec' | 'gpuHost' | 'gpuIndices' | 'layout' | 'image'>): Record<string, string> {
  if (plan.image) return imageEnv(plan.image.process.env, plan.gpuIndices.length > 0);
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

/**
 * Image mode: the process's environment (imageProcess: defaults, the image's Env, the spec's), and
 * for a GPU job the driver's directories as NVIDIA's CUDA images set them (PATH starts with
 * /usr/local/nvidia/bin, LD_LIBRARY_PATH has /usr/local/nvidia/lib64), added first where the image
 * does not already list them: the driver's libcuda must be the one loaded, whatever else the image has.
 */
export function imageEnv(env: Record<string, string>, gpu: boolean): Record<string, string> {
  const out = { ...env };
  if (!gpu) return out;
  const prepend = (name: string, dir: string) => {
    const list = (out[name] ?? '').split(':').filter(Boolean);
    if (!list.includes(dir)) out[name] = [dir, ...list].join(':');
  };
  prepend('PATH', NVIDIA_BIN_DIR);
  prepend('LD_LIBRARY_PATH', NVIDIA_LIB_DIR);
  return out;
}
