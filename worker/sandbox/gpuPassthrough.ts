/**
 * What a GPU job needs from the host: the NVIDIA device nodes and the driver's user-space
 * libraries. The sandbox gives them to jobs that ask for GPUs and to no other: a CPU job gets
 * no /dev/nvidia* node, and the driver libraries under the bound /usr are masked (an empty file
 * bound over each), so it cannot load them either.
 */
import { execFile } from 'node:child_process';
import { readdir, realpath } from 'node:fs/promises';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

export type GpuHost = {
  /** Per-GPU nodes (/dev/nvidia0, /dev/nvidia1, ...), by index. */
  gpuNodes: string[];
  /** Nodes every GPU job needs: /dev/nvidiactl, /dev/nvidia-uvm, /dev/nvidia-uvm-tools, /dev/nvidia-modeset, /dev/nvidia-caps/*. */
  controlNodes: string[];
  /** Driver libraries (libcuda, libnvidia-*) as ldconfig lists them, with the files they resolve to. */
  libraries: { path: string; realPath: string }[];
};

/** Finds the NVIDIA device nodes and driver libraries on this host (none on a CPU-only machine). */
export async function detectGpuHost(): Promise<GpuHost> {
  const dev = await readdir('/dev').catch(() => [] as string[]);
  const gpuNodes = dev
    .filter((n) => /^nvidia\d+$/.test(n))
    .sort((a, b) => Number(a.slice(6)) - Number(b.slice(6)))
    .map((n) => `/dev/${n}`);
  const controlNodes = dev.filter((n) => /^nvidia(ctl|-uvm|-uvm-tools|-modeset)$/.test(n)).map((n) => `/dev/${n}`);
  const caps = await readdir('/dev/nvidia-caps').catch(() => [] as string[]);
  controlNodes.push(...caps.map((n) => `/dev/nvidia-caps/${n}`));
  return { gpuNodes, controlNodes: controlNodes.sort(), libraries: await driverLibraries() };
}

/** `ldconfig -p` lines such as "\tlibcuda.so.1 (libc6,x86-64) => /usr/lib/x86_64-linux-gnu/libcuda.so.1". */
export function parseLdconfig(output: string): string[] {
  const paths: string[] = [];
  for (const line of output.split('\n')) {
    const m = /^\s*(\S+)\s+\(.*\)\s+=>\s+(\S+)\s*$/.exec(line);
    // The driver's libraries only: libcudart and the rest of the CUDA toolkit are ordinary libraries.
    if (m && /^lib(cuda\.so|cudadebugger\.so|nvidia-|nvcuvid\.so|nvoptix\.so)/.test(m[1]!)) paths.push(m[2]!);
  }
  return [...new Set(paths)];
}

async function driverLibraries(): Promise<GpuHost['libraries']> {
  let stdout = '';
  for (const ldconfig of ['/sbin/ldconfig', '/usr/sbin/ldconfig', 'ldconfig']) {
    try {
      ({ stdout } = await execFileAsync(ldconfig, ['-p'], { timeout: 10_000, env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin' }, maxBuffer: 16 * 2 ** 20 }));
      break;
    } catch {
      // Try the next location.
    }
  }
  const libraries: GpuHost['libraries'] = [];
  for (const path of parseLdconfig(stdout)) {
    const realPath = await realpath(path).catch(() => undefined);
    if (realPath !== undefined) libraries.push({ path, realPath });
  }
  return libraries;
}
