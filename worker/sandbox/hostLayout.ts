/**
 * The parts of the host's root filesystem a sandbox mirrors, read-only: /usr, the top-level
 * /bin, /lib, /lib64, /sbin entries (symbolic links into /usr on merged-/usr systems, real
 * directories elsewhere), and the few /etc files that programs need to start (the dynamic
 * linker's cache, the alternatives links Debian puts commands behind, the time zone). Nothing
 * else of /etc: users, groups and hosts are the sandbox's own (see sandboxEtc.ts).
 */
import { lstat, readlink } from 'node:fs/promises';

export type RootEntry = { path: string; kind: 'symlink'; target: string } | { path: string; kind: 'dir' };

export type HostLayout = {
  /** Mirrored top-level entries; /usr first. */
  rootEntries: RootEntry[];
  /** Host /etc paths bound read-only when present. */
  etcPaths: string[];
};

const topLevel = ['/usr', '/bin', '/sbin', '/lib', '/lib64', '/lib32', '/libx32'];

const etcPaths = ['/etc/ld.so.cache', '/etc/ld.so.conf', '/etc/ld.so.conf.d', '/etc/alternatives', '/etc/localtime', '/etc/nsswitch.conf', '/etc/ssl/certs'];

/** Reads how this host lays out its root. */
export async function detectHostLayout(): Promise<HostLayout> {
  const rootEntries: RootEntry[] = [];
  for (const path of topLevel) {
    const st = await lstat(path).catch(() => undefined);
    if (st === undefined) continue;
    if (st.isSymbolicLink()) rootEntries.push({ path, kind: 'symlink', target: await readlink(path) });
    else if (st.isDirectory()) rootEntries.push({ path, kind: 'dir' });
  }
  const present: string[] = [];
  for (const path of etcPaths) if (await lstat(path).catch(() => undefined)) present.push(path);
  return { rootEntries, etcPaths: present };
}
