/**
 * An unpacked image's root as the sandbox mirrors it, and the mount points a job needs inside it.
 *
 * The sandbox's / stays bwrap's own tmpfs; each top-level entry of the image's root is mirrored
 * into it read-only (a directory or file bound, a symbolic link recreated), except the names the
 * sandbox provides itself (/proc, /dev, /sys, /tmp, /out and /in). So /in, /out and mount points
 * outside the image's own directories are made on the tmpfs, and the image's files are never
 * written by a job.
 *
 * A bind whose target lies inside one of the image's directories (/usr/local/nvidia/lib64/
 * libcuda.so.1, /etc/hosts, an input under /data, a working directory) needs that target to exist,
 * and a read-only bind cannot be written: `ensureMountPoints` makes the missing ones (empty files,
 * directories) in the unpacked root before the run. The root is the worker's own cache, seen by
 * jobs read-only, so this is safe; making them is idempotent and safe with jobs of the same image
 * running at once (an existing one is used). The image is untrusted: the walk never follows a
 * symbolic link (a link on the way refuses that mount point), so nothing is made outside the root.
 */
import { chmod, lstat, mkdir, open, readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';

export type ImageRootEntry = { name: string; kind: 'dir' | 'file' } | { name: string; kind: 'symlink'; target: string };

/** Top-level names the sandbox provides itself: the image's own are not shown. */
export const SANDBOX_PROVIDED = new Set(['proc', 'dev', 'sys', 'tmp', 'out', 'in']);

/** The image root's top-level entries to mirror, sorted by name (device nodes, sockets and fifos are left out). */
export async function readImageRoot(rootDir: string): Promise<ImageRootEntry[]> {
  const entries: ImageRootEntry[] = [];
  for (const d of await readdir(rootDir, { withFileTypes: true })) {
    if (SANDBOX_PROVIDED.has(d.name)) continue;
    if (d.isDirectory()) entries.push({ name: d.name, kind: 'dir' });
    else if (d.isFile()) entries.push({ name: d.name, kind: 'file' });
    else if (d.isSymbolicLink()) entries.push({ name: d.name, kind: 'symlink', target: await readlink(join(rootDir, d.name)) });
  }
  return entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export type MountPoint = {
  /** Absolute, clean path in the sandbox. */
  path: string;
  kind: 'file' | 'dir';
  /** What it is for, in the refusal reason ("input data.bin", "the working directory"). */
  purpose: string;
  /** When it cannot be made, go on without it (the caller leaves its bind out) rather than refuse the job. */
  optional?: boolean;
  /** Only a symbolic link on the way is tolerated (a working directory: chdir follows it inside the sandbox). */
  linkOk?: boolean;
};

export type MountPointFailure = { point: MountPoint; reason: string; /** A symbolic link was on the way. */ link: boolean };

export type MountPointResult = { made: MountPoint[]; failed: MountPointFailure[] };

/** The failures that refuse the job: those of points that are neither optional nor reachable through a link. */
export function fatalFailures(result: MountPointResult): MountPointFailure[] {
  return result.failed.filter((f) => !f.point.optional && !(f.point.linkOk && f.link));
}

/**
 * Makes each mount point that is missing in `rootDir` (parent directories 0755, files empty 0444),
 * without following symbolic links. Reports the points that could not be made, with reasons.
 *
 * @example
 * const { failed } = await ensureMountPoints(image.rootDir, [{ path: '/usr/local/nvidia/lib64/libcuda.so.1', kind: 'file', purpose: 'the driver library libcuda.so.1' }]);
 */
export async function ensureMountPoints(rootDir: string, points: MountPoint[]): Promise<MountPointResult> {
  const result: MountPointResult = { made: [], failed: [] };
  for (const point of points) {
    const failure = await ensureOne(rootDir, point);
    if (failure === undefined) result.made.push(point);
    else result.failed.push({ point, ...failure });
  }
  return result;
}

async function ensureOne(rootDir: string, point: MountPoint): Promise<{ reason: string; link: boolean } | undefined> {
  const reason = await walk(rootDir, point);
  return reason === undefined ? undefined : typeof reason === 'string' ? { reason, link: false } : reason;
}

async function walk(rootDir: string, point: MountPoint): Promise<string | { reason: string; link: true } | undefined> {
  const parts = point.path.split('/').filter((p) => p !== '');
  if (parts.length === 0 || parts.some((p) => p === '.' || p === '..')) return `${point.purpose}: ${point.path} is not a clean absolute path`;
  let dir = rootDir;
  let shown = '';
  for (const [i, part] of parts.entries()) {
    const last = i === parts.length - 1;
    const path = join(dir, part);
    shown += `/${part}`;
    const want = last ? point.kind : 'dir';
    let st = await lstat(path).catch(() => undefined);
    if (st === undefined) {
      try {
        if (want === 'dir') await mkdir(path, { mode: 0o755 });
        else await (await open(path, 'wx', 0o444)).close();
        // Whatever the worker's umask: the unprivileged sandbox user must reach it.
        await chmod(path, want === 'dir' ? 0o755 : 0o444);
      } catch (err) {
        // Another job of the same image made it first: check what is there now.
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') return `${point.purpose}: cannot make ${shown} in the image: ${(err as Error).message}`;
      }
      st = await lstat(path).catch(() => undefined);
    }
    if (st === undefined) return `${point.purpose}: ${shown} vanished from the image while it was being made`;
    if (st.isSymbolicLink()) return { reason: `${point.purpose}: ${shown} is a symbolic link in the image, so ${point.path} cannot be mounted there`, link: true };
    if (want === 'dir' && !st.isDirectory()) return `${point.purpose}: ${shown} is not a directory in the image, so ${point.path} cannot be ${last ? 'used' : 'mounted'}`;
    if (want === 'file' && !st.isFile()) return `${point.purpose}: ${shown} is a directory (or other non-file) in the image, so a file cannot be mounted there`;
    dir = path;
  }
  return undefined;
}
