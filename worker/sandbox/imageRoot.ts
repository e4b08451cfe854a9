/**
 * An unpacked image's root as the sandbox builds it: which of its entries are bound read-only
 * whole, and which directories are rebuilt entry by entry so that a mount point can be made in them.
 *
 * The sandbox's / stays bwrap's own tmpfs; each top-level entry of the image's root is mirrored
 * into it read-only (a directory or file bound, a symbolic link recreated), except the names the
 * sandbox provides itself (/proc, /dev, /sys, /tmp, /out and /in). So /in, /out and mount points
 * outside the image's entries are made on the tmpfs.
 *
 * A bind whose target lies inside one of the image's directories (/usr/local/nvidia/lib64/
 * libcuda.so.1, /etc/hosts, an input under /data, a working directory) needs that target to exist,
 * and a read-only bind cannot be written. Where the target is missing, the directories on its way
 * are "expanded": made on the tmpfs (with the image's modes), their entries bound one by one, down
 * to the deepest one the image has; bwrap then makes the rest of the path on the tmpfs. The
 * unpacked root, the worker's shared cache, is never written, so jobs of one image can run at once
 * and a CPU job sees exactly the image (no mount point a GPU job needed). The image is untrusted:
 * the walk never follows a symbolic link (a link on the way refuses that mount point), so nothing
 * outside the root is looked at or shown.
 */
import { lstat, readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';

/** One step of building the image's tree in the sandbox, in order (parents before children). */
export type ImageTreeOp =
  | { op: 'bind'; source: string; path: string }
  | { op: 'symlink'; target: string; path: string }
  /** An expanded directory: made on the tmpfs with the image's mode; its entries follow. */
  | { op: 'dir'; path: string; mode: number };

/** Top-level names the sandbox provides itself: the image's own are not shown. */
export const SANDBOX_PROVIDED = new Set(['proc', 'dev', 'sys', 'tmp', 'out', 'in']);

export type MountPoint = {
  /** Absolute, clean path in the sandbox. */
  path: string;
  kind: 'file' | 'dir';
  /** What it is for, in the refusal reason ("the input mounted at /data/x", "the working directory"). */
  purpose: string;
  /** When it cannot be made, go on without it (the caller leaves its bind out) rather than refuse the job. */
  optional?: boolean;
  /** Only a symbolic link on the way is tolerated (a working directory: chdir follows it inside the sandbox). */
  linkOk?: boolean;
};

export type MountPointFailure = { point: MountPoint; reason: string; /** A symbolic link was on the way. */ link: boolean };

export type ImageRootPlan = { tree: ImageTreeOp[]; failed: MountPointFailure[] };

/** The failures that refuse the job: those of points that are neither optional nor reachable through a link. */
export function fatalFailures(failed: MountPointFailure[]): MountPointFailure[] {
  return failed.filter((f) => !f.point.optional && !(f.point.linkOk && f.link));
}

/** Whether a sandbox path lies under one of the image's top-level entries (not one the sandbox provides). */
export function inImage(path: string, topLevelNames: Iterable<string>): boolean {
  const top = path.split('/')[1] ?? '';
  return !SANDBOX_PROVIDED.has(top) && new Set(topLevelNames).has(top);
}

/**
 * Plans the image's tree for a job: the root's top-level entries, with the directories on the way
 * to each missing mount point expanded. Mount points outside the image's entries need nothing here.
 *
 * @example
 * const { tree, failed } = await planImageRoot(image.rootDir, [{ path: '/usr/local/nvidia/lib64/libcuda.so.1', kind: 'file', purpose: 'the driver library libcuda.so.1' }]);
 */
export async function planImageRoot(rootDir: string, points: MountPoint[]): Promise<ImageRootPlan> {
  const top = (await readdir(rootDir)).filter((n) => !SANDBOX_PROVIDED.has(n));
  const expand = new Set<string>();
  const failed: MountPointFailure[] = [];
  for (const point of points) {
    if (!inImage(point.path, top)) continue;
    const r = await expansionFor(rootDir, point);
    if ('reason' in r) failed.push({ point, ...r });
    else for (const dir of r.expand) expand.add(dir);
  }
  const tree: ImageTreeOp[] = [];
  await mirror(rootDir, '', top, expand, tree);
  return { tree, failed };
}

/** The image directories to expand so that `point` can be made: none when it exists already. */
async function expansionFor(rootDir: string, point: MountPoint): Promise<{ expand: string[] } | { reason: string; link: boolean }> {
  const parts = point.path.split('/').filter((p) => p !== '');
  if (parts.length === 0 || parts.some((p) => p === '.' || p === '..')) return { reason: `${point.purpose}: ${point.path} is not a clean absolute path`, link: false };
  const ancestors: string[] = [];
  for (const [i, part] of parts.entries()) {
    const shown = `/${parts.slice(0, i + 1).join('/')}`;
    const last = i === parts.length - 1;
    const st = await lstat(join(rootDir, shown)).catch(() => undefined);
    // Missing: every directory above it is rebuilt on the tmpfs, where bwrap makes the rest.
    if (st === undefined) return { expand: ancestors };
    if (st.isSymbolicLink()) return { reason: `${point.purpose}: ${shown} is a symbolic link in the image, so ${point.path} cannot be mounted there`, link: true };
    if (!last && !st.isDirectory()) return { reason: `${point.purpose}: ${shown} is not a directory in the image, so ${point.path} cannot be made`, link: false };
    if (last && point.kind === 'dir' && !st.isDirectory()) return { reason: `${point.purpose}: ${shown} is not a directory in the image`, link: false };
    if (last && point.kind === 'file' && !st.isFile()) return { reason: `${point.purpose}: ${shown} is a directory (or another non-file) in the image, so a file cannot be mounted there`, link: false };
    ancestors.push(shown);
  }
  // It exists as it should: bound over (a file) or used as it is (a directory).
  return { expand: [] };
}

/** Appends the ops that show `names` of the image directory `dir` (sandbox path; '' for the root). */
async function mirror(rootDir: string, dir: string, names: string[], expand: Set<string>, tree: ImageTreeOp[]): Promise<void> {
  for (const name of [...names].sort()) {
    const path = `${dir}/${name}`;
    const source = join(rootDir, path);
    const st = await lstat(source).catch(() => undefined);
    if (st === undefined) continue;
    if (st.isSymbolicLink()) tree.push({ op: 'symlink', target: await readlink(source), path });
    else if (st.isDirectory() && expand.has(path)) {
      // setuid/setgid/sticky bits mean nothing on a read-only tmpfs directory.
      tree.push({ op: 'dir', path, mode: st.mode & 0o777 });
      await mirror(rootDir, path, await readdir(source), expand, tree);
    } else if (st.isDirectory() || st.isFile()) tree.push({ op: 'bind', source, path });
    // Device nodes, sockets and fifos are not shown (the image store drops device nodes anyway).
  }
}
