/**
 * The sandbox's own /etc/passwd, /etc/group and /etc/hosts: enough for programs that look up the
 * current user or localhost, without showing the job the host's accounts.
 */
import { chmod, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The uid and gid a job runs as inside its sandbox, the same on every worker. */
export const SANDBOX_UID = 1000;
export const SANDBOX_GID = 1000;

/** Writes the files into `dir` (readable by anyone, as the sandbox may run under another uid). */
export async function writeSandboxEtc(dir: string): Promise<void> {
  // Fresh every run: the files are read-only once written.
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true, mode: 0o755 });
  const files: Record<string, string> = {
    passwd: `root:x:0:0:root:/root:/bin/sh\nloom:x:${SANDBOX_UID}:${SANDBOX_GID}:Loom job:/tmp:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n`,
    group: `root:x:0:\nloom:x:${SANDBOX_GID}:\nnogroup:x:65534:\n`,
    hosts: '127.0.0.1 localhost loom\n::1 localhost ip6-localhost ip6-loopback\n',
    hostname: 'loom\n',
    // Bound over driver libraries a CPU job must not load.
    empty: '',
  };
  for (const [name, body] of Object.entries(files)) {
    await writeFile(join(dir, name), body, { mode: 0o444 });
    await chmod(join(dir, name), 0o444);
  }
  await chmod(dir, 0o755);
}
