/**
 * A directory tree as a map (path -> type, mode, symlink target, content hash, inode), for comparing
 * an unpacked root with umoci's.
 */
import { createHash } from 'node:crypto';
import { lstatSync, readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';

export type TreeEntry = { type: 'file' | 'dir' | 'symlink' | 'other'; mode: number; target?: string; sha256?: string; ino: number };

export function fileTree(root: string): Map<string, TreeEntry> {
  const out = new Map<string, TreeEntry>();
  const walk = (rel: string) => {
    for (const name of readdirSync(join(root, rel)).sort()) {
      const path = rel ? `${rel}/${name}` : name;
      const abs = join(root, path);
      const st = lstatSync(abs);
      const mode = st.mode & 0o7777;
      if (st.isDirectory()) {
        out.set(path, { type: 'dir', mode, ino: st.ino });
        walk(path);
      } else if (st.isSymbolicLink()) out.set(path, { type: 'symlink', mode, target: readlinkSync(abs), ino: st.ino });
      else if (st.isFile()) out.set(path, { type: 'file', mode, sha256: createHash('sha256').update(readFileSync(abs)).digest('hex'), ino: st.ino });
      else out.set(path, { type: 'other', mode, ino: st.ino });
    }
  };
  walk('');
  return out;
}

/** Bytes of the regular files under `root`. */
export function treeBytes(root: string): number {
  let total = 0;
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(dir, e.name));
      else if (e.isFile()) total += lstatSync(join(dir, e.name)).size;
    }
  };
  walk(root);
  return total;
}
