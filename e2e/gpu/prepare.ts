/**
 * `npm run gpu:check`: prepares the GPU check to travel to a GPU machine, and runs it here.
 *
 * A GPU machine lent to this project has no network, maybe no Node, and takes at most 64 MiB of
 * files per call. So everything the check needs goes into one directory, `.cache/gpu-check/`:
 * - `check.mjs`   gpuCheck.ts and the worker code it runs, bundled by esbuild;
 * - `node.xz`     this machine's Node binary, xz-compressed (run.sh unpacks it with xz, or with
 *                 Python's lzma where xz is missing; a Node >= 20 already there is used instead);
 * - `image/`      the check's image as an OCI layout: busybox, Debian's glibc and cuda-probe
 *                 (cudaProbe.c, built here with gcc) — a userspace that is not the GPU host's;
 * - `run.sh`      the entry point: `sh .cache/gpu-check/run.sh <report.json> --require-gpu`
 *                 (without --require-gpu, a machine without a GPU skips the GPU checks).
 *
 * Then it runs the check here (on a machine without a GPU the GPU checks are skipped) unless
 * `--prepare-only` is given, and prints the command for a GPU machine.
 */
import { execFile, spawnSync } from 'node:child_process';
import { chmod, copyFile, mkdir, mkdtemp, readFile, realpath, rm, stat, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));
export const CARRY_DIR = '.cache/gpu-check';

/** What the check image holds besides cuda-probe: a shell and the C library nvidia-smi and libcuda load against. */
const BUSYBOX_APPLETS = ['sh', 'ls', 'cat', 'head', 'grep', 'echo', 'test', '[', 'env', 'id', 'uname', 'true'];
const GLIBC = ['ld-linux-x86-64.so.2', 'libc.so.6', 'libm.so.6', 'libdl.so.2', 'libpthread.so.0', 'librt.so.1'];

/**
 * Builds the check's image as an OCI layout in `layoutDir` (tag `gpu-check`) with umoci, from files
 * on this machine; returns its manifest digest.
 */
export async function buildCheckImage(layoutDir: string): Promise<string> {
  const scratch = await mkdtemp(join(os.tmpdir(), 'loom-gpu-image-'));
  try {
    const bundle = join(scratch, 'bundle');
    await rm(layoutDir, { recursive: true, force: true });
    await run('umoci', ['init', '--layout', layoutDir]);
    await run('umoci', ['new', '--image', `${layoutDir}:gpu-check`]);
    await run('umoci', ['unpack', '--rootless', '--image', `${layoutDir}:gpu-check`, bundle]);
    const rootfs = join(bundle, 'rootfs');
    for (const d of ['bin', 'usr/bin', 'lib/x86_64-linux-gnu', 'lib64', 'etc', 'tmp']) await mkdir(join(rootfs, d), { recursive: true });
    await copyFile(await realpath('/bin/busybox'), join(rootfs, 'bin/busybox'));
    for (const applet of BUSYBOX_APPLETS) await symlink('busybox', join(rootfs, 'bin', applet));
    for (const lib of GLIBC) await copyFile(await realpath(`/lib/x86_64-linux-gnu/${lib}`), join(rootfs, 'lib/x86_64-linux-gnu', lib));
    await symlink('/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2', join(rootfs, 'lib64/ld-linux-x86-64.so.2'));
    await run('gcc', ['-O2', '-o', join(rootfs, 'usr/bin/cuda-probe'), join(root, 'e2e/gpu/cudaProbe.c'), '-ldl']);
    await writeFile(join(rootfs, 'etc/os-release'), 'PRETTY_NAME="Loom GPU check image (Debian 12 glibc, busybox)"\nNAME="loom-gpu-check"\nID=loom-gpu-check\n');
    await run('umoci', ['repack', '--image', `${layoutDir}:gpu-check`, bundle]);
    await run('umoci', ['config', '--image', `${layoutDir}:gpu-check`, '--config.env', 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', '--config.cmd', '/bin/sh', '--config.workingdir', '/tmp']);
    await run('umoci', ['gc', '--layout', layoutDir]);
    const index = JSON.parse(await readFile(join(layoutDir, 'index.json'), 'utf8')) as { manifests: { digest: string }[] };
    if (index.manifests.length !== 1) throw new Error(`expected one manifest in ${layoutDir}, found ${index.manifests.length}`);
    return index.manifests[0]!.digest;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

const RUN_SH = `#!/bin/sh
# The GPU check's entry point on a GPU machine: sh run.sh <report.json> [--require-gpu]. See e2e/gpu/prepare.ts.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
report=\${1:-$here/report.json}
[ $# -gt 0 ] && shift
node=$(command -v node || true)
if [ -z "$node" ] || ! "$node" -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)' 2>/dev/null; then
  # Unpacked outside the carried directory, which must stay small enough to travel.
  node=\${TMPDIR:-/tmp}/loom-gpu-check-node-$(cat "$here/node.version")
  if [ ! -x "$node" ]; then
    if command -v xz >/dev/null 2>&1; then xz -dc "$here/node.xz" > "$node.part"
    else python3 -c 'import lzma, shutil, sys; shutil.copyfileobj(lzma.open(sys.argv[1]), open(sys.argv[2], "wb"))' "$here/node.xz" "$node.part"
    fi
    chmod +x "$node.part" && mv "$node.part" "$node"
  fi
fi
exec "$node" "$here/check.mjs" --layout "$here/image" --report "$report" "$@"
`;

/** Writes the carry directory; returns its path and size. */
export async function prepareGpuCheck(o: { withNode?: boolean } = {}): Promise<{ dir: string; bytes: number }> {
  const dir = join(root, CARRY_DIR);
  await mkdir(dir, { recursive: true });
  const { build } = await import('esbuild');
  await build({
    entryPoints: [join(root, 'e2e/gpu/gpuCheck.ts')],
    outfile: join(dir, 'check.mjs'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // Some dependencies still call require(); give the ESM bundle one.
    banner: { js: "import { createRequire as __loomRequire } from 'node:module'; const require = __loomRequire(import.meta.url);" },
    logLevel: 'warning',
  });
  await buildCheckImage(join(dir, 'image'));
  await writeFile(join(dir, 'run.sh'), RUN_SH);
  await chmod(join(dir, 'run.sh'), 0o755);
  if (o.withNode !== false) {
    const marker = join(dir, 'node.version');
    const have = await readFile(marker, 'utf8').catch(() => '');
    if (have !== process.version || !(await stat(join(dir, 'node.xz')).catch(() => undefined))) {
      await run('sh', ['-c', `xz -T0 -6 -c "${process.execPath}" > "${join(dir, 'node.xz.part')}" && mv "${join(dir, 'node.xz.part')}" "${join(dir, 'node.xz')}"`]);
      await writeFile(marker, process.version);
    }
  }
  const { stdout } = await execFileAsync('du', ['-sb', dir]);
  return { dir, bytes: Number(stdout.split('\t')[0]) };
}

async function run(file: string, args: string[]): Promise<void> {
  try {
    await execFileAsync(file, args, { maxBuffer: 16 * 2 ** 20 });
  } catch (err) {
    const e = err as Error & { stderr?: string };
    throw new Error(`${file} ${args.join(' ')} failed: ${(e.stderr ?? e.message).trim()}`);
  }
}

async function main(): Promise<void> {
  const prepareOnly = process.argv.includes('--prepare-only');
  const { dir, bytes } = await prepareGpuCheck();
  console.log(`prepared ${dir} (${(bytes / 2 ** 20).toFixed(1)} MiB; a GPU machine takes at most 64 MiB)`);
  console.log(`on a GPU machine: sh ${CARRY_DIR}/run.sh <report.json> --require-gpu   (carry ${CARRY_DIR})`);
  if (prepareOnly) return;
  // Beside the carried directory, not in it: it travels as it is.
  const report = join(root, '.cache', 'gpu-check-report.json');
  const r = spawnSync('sh', [join(dir, 'run.sh'), report], { stdio: 'inherit' });
  console.log(`report: ${report}`);
  process.exit(r.status ?? 1);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
