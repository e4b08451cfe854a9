/**
 * What a GPU job needs from the host: the NVIDIA device nodes and the driver's user-space
 * libraries. The sandbox gives them to jobs that ask for GPUs and to no other: a CPU job gets
 * no /dev/nvidia* node, and (host mode) the driver libraries under the bound /usr are masked (an
 * empty file bound over each), so it cannot load them either.
 *
 * Host mode binds every driver library where ldconfig lists it (`libraries`). Image mode gives what
 * NVIDIA's container toolkit (libnvidia-container) gives a container (`containerLibraries`): the
 * compute and utility libraries whose file is the running driver's version (libcuda.so.550.54.15
 * for driver 550.54.15: a library of another version left behind by an upgrade does not match the
 * kernel module and is not given), each under its soname (libcuda.so.1, libnvidia-nvvm.so.4, ...),
 * plus nvidia-smi. The toolkit's own lists are in libnvidia-container's src/nvc_info.c
 * (`utility_libs`, `compute_libs`, `utility_bins`).
 */
import { execFile } from 'node:child_process';
import { readFile, readdir, realpath } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** A device node: where it is on the host, and where the sandbox shows it. */
export type DeviceNode = { hostPath: string; path: string };

export type GpuHost = {
  /** Per-GPU nodes (/dev/nvidia0, /dev/nvidia1, ...), by index. */
  gpuNodes: DeviceNode[];
  /** Nodes every GPU job needs: /dev/nvidiactl, /dev/nvidia-uvm, /dev/nvidia-uvm-tools, /dev/nvidia-modeset, /dev/nvidia-caps/*. */
  controlNodes: DeviceNode[];
  /** Host mode: driver libraries (libcuda, libnvidia-*) as ldconfig lists them, with the files they resolve to. */
  libraries: { path: string; realPath: string }[];
  /** The running driver's version (e.g. 550.54.15), when known. */
  driverVersion?: string;
  /** Image mode: the compute and utility libraries of the running driver, by soname (bound under /usr/local/nvidia/lib64). */
  containerLibraries: { soname: string; realPath: string }[];
  /** Image mode: the host's nvidia-smi (its real path), bound at /usr/local/nvidia/bin/nvidia-smi. */
  nvidiaSmi?: string;
};

/** libnvidia-container's `utility_libs`: NVML and friends (nvidia-smi needs libnvidia-ml). */
export const UTILITY_LIBRARIES = ['libnvidia-ml', 'libnvidia-cfg', 'libnvidia-nscq'] as const;

/** libnvidia-container's `compute_libs`: the CUDA driver and what it loads. */
export const COMPUTE_LIBRARIES = [
  'libcuda',
  'libcudadebugger',
  'libnvidia-opencl',
  'libnvidia-gpucomp',
  'libnvidia-ptxjitcompiler',
  'libnvidia-fatbinaryloader',
  'libnvidia-allocator',
  'libnvidia-compiler',
  'libnvidia-pkcs11',
  'libnvidia-pkcs11-openssl3',
  'libnvidia-nvvm',
  'libnvidia-tileiras',
] as const;

export type DetectGpuHostOptions = {
  /** Where the device nodes are (default /dev); the sandbox shows them under /dev. */
  devDir?: string;
  /** The ldconfig programs to try for `ldconfig -p` (default /sbin/ldconfig, /usr/sbin/ldconfig, ldconfig). */
  ldconfig?: string[];
  /** The kernel module's version file (default /proc/driver/nvidia/version). */
  driverVersionFile?: string;
  /** Directories searched for nvidia-smi (default /usr/bin, /usr/local/bin, /usr/sbin, /bin, /usr/local/nvidia/bin). */
  binDirs?: string[];
};

/**
 * Finds the NVIDIA device nodes, driver libraries and driver version on this host (none on a
 * CPU-only machine). Tests point the options at a fake driver tree.
 */
export async function detectGpuHost(options: DetectGpuHostOptions = {}): Promise<GpuHost> {
  const devDir = options.devDir ?? '/dev';
  const node = (name: string): DeviceNode => ({ hostPath: join(devDir, name), path: `/dev/${name}` });
  const dev = await readdir(devDir).catch(() => [] as string[]);
  const gpuNodes = dev
    .filter((n) => /^nvidia\d+$/.test(n))
    .sort((a, b) => Number(a.slice(6)) - Number(b.slice(6)))
    .map(node);
  const control = dev.filter((n) => /^nvidia(ctl|-uvm|-uvm-tools|-modeset)$/.test(n));
  const caps = await readdir(join(devDir, 'nvidia-caps')).catch(() => [] as string[]);
  control.push(...caps.map((n) => `nvidia-caps/${n}`));
  const controlNodes = control.sort().map(node);

  const entries = parseLdconfigEntries(await ldconfigOutput(options.ldconfig ?? ['/sbin/ldconfig', '/usr/sbin/ldconfig', 'ldconfig']));
  const resolved: (LdconfigEntry & { realPath: string })[] = [];
  for (const e of entries) {
    if (!isDriverLibrary(e.name)) continue;
    const realPath = await realpath(e.path).catch(() => undefined);
    if (realPath !== undefined) resolved.push({ ...e, realPath });
  }
  const libraries = dedupe(resolved.map((e) => ({ path: e.path, realPath: e.realPath })), (l) => l.path);

  const versionText = await readFile(options.driverVersionFile ?? '/proc/driver/nvidia/version', 'utf8').catch(() => '');
  const driverVersion = parseDriverVersion(versionText) ?? driverVersionFromLibcuda(resolved);
  const containerLibraries = driverVersion === undefined ? [] : selectContainerLibraries(resolved, driverVersion);

  let nvidiaSmi: string | undefined;
  for (const dir of options.binDirs ?? ['/usr/bin', '/usr/local/bin', '/usr/sbin', '/bin', '/usr/local/nvidia/bin']) {
    nvidiaSmi = await realpath(join(dir, 'nvidia-smi')).catch(() => undefined);
    if (nvidiaSmi !== undefined) break;
  }
  return {
    gpuNodes,
    controlNodes,
    libraries,
    ...(driverVersion === undefined ? {} : { driverVersion }),
    containerLibraries,
    ...(nvidiaSmi === undefined || gpuNodes.length === 0 ? {} : { nvidiaSmi }),
  };
}

/** One `ldconfig -p` line: "\tlibcuda.so.1 (libc6,x86-64) => /usr/lib/x86_64-linux-gnu/libcuda.so.1". */
export type LdconfigEntry = { name: string; flags: string; path: string };

export function parseLdconfigEntries(output: string): LdconfigEntry[] {
  const entries: LdconfigEntry[] = [];
  for (const line of output.split('\n')) {
    const m = /^\s*(\S+)\s+\((.*)\)\s+=>\s+(\S+)\s*$/.exec(line);
    if (m) entries.push({ name: m[1]!, flags: m[2]!, path: m[3]! });
  }
  return entries;
}

/** Host mode: the paths of the driver's libraries in `ldconfig -p` output. */
export function parseLdconfig(output: string): string[] {
  return [...new Set(parseLdconfigEntries(output).filter((e) => isDriverLibrary(e.name)).map((e) => e.path))];
}

/** The driver's libraries only: libcudart and the rest of the CUDA toolkit are ordinary libraries. */
function isDriverLibrary(name: string): boolean {
  return /^lib(cuda\.so|cudadebugger\.so|nvidia-|nvcuvid\.so|nvoptix\.so)/.test(name);
}

/** "NVRM version: NVIDIA UNIX x86_64 Kernel Module  550.54.15  Tue Mar  5 ..." (also the open kernel module's wording). */
export function parseDriverVersion(procVersion: string): string | undefined {
  return /^NVRM version:.*?\s(\d+\.\d+(?:\.\d+)?)\s/m.exec(procVersion)?.[1];
}

function driverVersionFromLibcuda(libs: { name: string; realPath: string }[]): string | undefined {
  for (const l of libs) {
    const m = /^libcuda\.so\.(\d+\.\d+(?:\.\d+)?)$/.exec(basename(l.realPath));
    if (l.name.startsWith('libcuda.so') && m) return m[1];
  }
  return undefined;
}

/**
 * Image mode's library set: of the 64-bit entries of the compute and utility libraries, those
 * whose file carries the driver's version, each under its soname (the shortest versioned name
 * ldconfig lists for that file; the file's own name when ldconfig lists none). ldconfig's order is
 * the loader's preference, so the first file of a soname wins.
 */
export function selectContainerLibraries(entries: (LdconfigEntry & { realPath: string })[], driverVersion: string): GpuHost['containerLibraries'] {
  const wanted = new Set<string>([...COMPUTE_LIBRARIES, ...UTILITY_LIBRARIES]);
  const names = new Map<string, string[]>();
  for (const e of entries) {
    if (!/x86-64|AArch64|64bit/.test(e.flags)) continue;
    const stem = e.name.slice(0, e.name.indexOf('.so'));
    const file = basename(e.realPath);
    if (!wanted.has(stem) || !e.name.startsWith(`${stem}.so`) || file !== `${stem}.so.${driverVersion}`) continue;
    names.set(e.realPath, [...(names.get(e.realPath) ?? []), e.name]);
  }
  const out: GpuHost['containerLibraries'] = [];
  const sonames = new Set<string>();
  for (const [realPath, list] of names) {
    const versioned = list.filter((n) => /\.so\.\d/.test(n)).sort((a, b) => a.length - b.length || a.localeCompare(b));
    const soname = versioned[0] ?? basename(realPath);
    if (sonames.has(soname)) continue;
    sonames.add(soname);
    out.push({ soname, realPath });
  }
  return out.sort((a, b) => a.soname.localeCompare(b.soname));
}

function dedupe<T>(items: T[], key: (t: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((t) => (seen.has(key(t)) ? false : (seen.add(key(t)), true)));
}

async function ldconfigOutput(programs: string[]): Promise<string> {
  for (const ldconfig of programs) {
    try {
      const { stdout } = await execFileAsync(ldconfig, ['-p'], { timeout: 10_000, killSignal: 'SIGKILL', env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin' }, maxBuffer: 16 * 2 ** 20 });
      return stdout;
    } catch {
      // Try the next location.
    }
  }
  return '';
}
