/**
 * Image mode, for real: jobs run through the runner in an unpacked image made here from
 * busybox-static (no registry: the image store is tested on its own), and a GPU job gets the
 * driver of a fake driver tree (device nodes are plain files here; the real ones need a GPU machine).
 */
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parseSpec } from '../../sdk/spec/jobSpec';
import type { ImageConfig } from '../image/imageTypes';
import { skipSandboxTests } from '../test/sandboxAvailability';
import { detectGpuHost } from './gpuPassthrough';
import { type RunRequest, SandboxRunner, type SandboxResult } from './sandboxRunner';

const IMAGE = 'ghcr.io/loom/busybox@sha256:' + 'ef'.repeat(32);
const V = '550.54.15';

const base = mkdtempSync(join(os.tmpdir(), 'loom-image-mode-'));
// When the tests run as root, bwrap runs as nobody and must reach the image, the jobs and the driver.
chmodSync(base, 0o755);
const rootDir = join(base, 'rootfs');
const driver = join(base, 'driver');
let runner: SandboxRunner;

/** A busybox userspace: /bin/busybox and its applets, an /etc of its own, /app, /data, /usr/lib, a link /link -> etc. */
function makeImageRoot(): void {
  for (const d of ['bin', 'etc', 'app', 'data', 'usr/lib']) mkdirSync(join(rootDir, d), { recursive: true, mode: 0o755 });
  copyFileSync('/bin/busybox', join(rootDir, 'bin/busybox'));
  chmodSync(join(rootDir, 'bin/busybox'), 0o755);
  for (const applet of ['sh', 'cat', 'echo', 'ls', 'id', 'pwd', 'touch', 'grep', 'wc', 'cut', 'tail', 'tr', 'sort', 'wget', 'false', 'test']) symlinkSync('busybox', join(rootDir, 'bin', applet));
  writeFileSync(join(rootDir, 'etc/os-release'), 'NAME="Loom test image"\nID=loomtest\n');
  writeFileSync(join(rootDir, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\n');
  writeFileSync(join(rootDir, 'app/marker'), 'from the image\n');
  symlinkSync('etc', join(rootDir, 'link'));
}

/** A driver tree: three GPUs' nodes, the control nodes, the running driver's libcuda and NVML, nvidia-smi. */
async function makeDriver() {
  const lib = join(driver, 'lib');
  mkdirSync(join(driver, 'dev'), { recursive: true });
  mkdirSync(lib, { recursive: true });
  mkdirSync(join(driver, 'bin'), { recursive: true });
  for (const n of ['nvidia0', 'nvidia1', 'nvidia2', 'nvidiactl', 'nvidia-uvm', 'nvidia-uvm-tools']) writeFileSync(join(driver, 'dev', n), `node ${n}\n`);
  for (const l of ['libcuda', 'libnvidia-ml']) {
    writeFileSync(join(lib, `${l}.so.${V}`), `${l} ${V}\n`);
    symlinkSync(`${l}.so.${V}`, join(lib, `${l}.so.1`));
  }
  const ldconfigP = [`\tlibcuda.so.1 (libc6,x86-64) => ${lib}/libcuda.so.1`, `\tlibnvidia-ml.so.1 (libc6,x86-64) => ${lib}/libnvidia-ml.so.1`].join('\n');
  writeFileSync(join(driver, 'ldconfig'), `#!/bin/sh\ncat <<'EOF'\n${ldconfigP}\nEOF\n`, { mode: 0o755 });
  writeFileSync(join(driver, 'bin/nvidia-smi'), '#!/bin/sh\necho "GPU 1: Fake GPU (UUID: GPU-fake)"\n', { mode: 0o755 });
  writeFileSync(join(driver, 'version'), `NVRM version: NVIDIA UNIX x86_64 Kernel Module  ${V}  Tue Mar  5 22:23:56 UTC 2024\n`);
  return detectGpuHost({ devDir: join(driver, 'dev'), ldconfig: [join(driver, 'ldconfig')], driverVersionFile: join(driver, 'version'), binDirs: [join(driver, 'bin')] });
}

/** Every file and directory under the image root: the runs must leave it as it was. */
function listRoot(dir = rootDir, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = `${prefix}/${d.name}`;
    return d.isDirectory() ? [p, ...listRoot(join(dir, d.name), p)] : [p];
  });
}

let before: string[];

beforeAll(async () => {
  if (skipSandboxTests) return;
  makeImageRoot();
  before = listRoot().sort();
  runner = await SandboxRunner.create({ workDir: join(base, 'jobs'), gpuHost: await makeDriver() });
});

afterAll(() => rmSync(base, { recursive: true, force: true }));

let n = 0;
/** Runs a spec (image and version implied) in the busybox image with `config`. */
async function job(spec: Record<string, unknown>, config: ImageConfig, extra: Partial<RunRequest> = {}): Promise<SandboxResult> {
  const parsed = parseSpec({ version: 1, image: IMAGE, ...spec });
  if (!parsed.ok) throw new Error(parsed.reason);
  mkdirSync(join(base, 'jobs'), { recursive: true, mode: 0o755 });
  const jobDir = mkdtempSync(join(base, 'jobs', `job${n++}-`));
  return runner.run({ name: `image${n}`, spec: parsed.spec, jobDir, inputs: [], image: { rootDir, config }, ...extra });
}

const shell: ImageConfig = { env: ['PATH=/bin'], entrypoint: ['/bin/sh', '-c'] };

describe.skipIf(skipSandboxTests)('image mode', () => {
  test('default: the job sees the image’s files and binaries, its Env under the spec’s, its WorkingDir and Entrypoint + Cmd', async () => {
    const config: ImageConfig = {
      env: ['PATH=/bin', 'GREETING=from-image', 'MODE=image'],
      workingDir: '/app',
      entrypoint: ['/bin/sh', '-c'],
      cmd: ['cat /etc/os-release; echo "$GREETING $MODE $HOME"; pwd; id -u; cat marker; ls /usr; test -e /usr/bin/env || echo "no host /usr"'],
    };
    const r = await job({ env: { MODE: 'spec' } }, config);
    expect(r).toMatchObject({ ok: true, exitCode: 0, reason: null });
    expect(r.enforced).toEqual({ sandbox: true, memory: true, swap: true, pids: true, cpu: true });
    expect(r.stdoutTail).toBe('NAME="Loom test image"\nID=loomtest\nfrom-image spec /tmp\n/app\n1000\nfrom the image\nlib\nno host /usr\n');
  });

  test('behavior: the spec’s command replaces Cmd after Entrypoint; a script ignores both; neither runs the default', async () => {
    const config: ImageConfig = { env: [], entrypoint: ['/bin/echo', 'entry'], cmd: ['default'] };
    expect((await job({}, config)).stdoutTail).toBe('entry default\n');
    expect((await job({ command: ['from-spec'] }, config)).stdoutTail).toBe('entry from-spec\n');
    expect((await job({ script: 'echo "script, PATH=$PATH"' }, config)).stdoutTail).toBe('script, PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n');
  });

  test('probe: / and the image are read-only, /out and /tmp writable, no network but loopback', async () => {
    const script = [
      'for p in / /etc /app /usr/lib /bin; do touch $p/x 2>/dev/null && echo "wrote $p"; done',
      'echo ok > /out/r && echo out',
      'echo t > /tmp/t && echo tmp',
      'tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d " "',
      'wget -q -T 2 -O- http://1.1.1.1/ 2>/dev/null && echo network',
      'true',
    ].join('; ');
    const r = await job({ script }, shell);
    expect(r).toMatchObject({ ok: true, stdoutTail: 'out\ntmp\nlo\n' });
    expect(readFileSync(join(r.outDir, 'r'), 'utf8')).toBe('ok\n');
    expect(listRoot().sort()).toEqual(before);
  });

  test('behavior: inputs are mounted read-only, also inside the image’s directories; a missing WorkingDir is made', async () => {
    const jobDir = mkdtempSync(join(base, 'jobs', 'inputs-'));
    writeFileSync(join(jobDir, 'a.txt'), 'input a\n');
    const inputs = [
      { hostPath: join(jobDir, 'a.txt'), mountPath: '/data/a.txt' },
      { hostPath: join(jobDir, 'a.txt'), mountPath: '/in/a.txt' },
    ];
    const parsed = parseSpec({ version: 1, image: IMAGE, script: 'cat /data/a.txt /in/a.txt; echo x > /data/a.txt 2>/dev/null && echo wrote; pwd; ls /data', workdir: '/srv/work' });
    if (!parsed.ok) throw new Error(parsed.reason);
    const r = await runner.run({ name: 'inputs', spec: parsed.spec, jobDir, inputs, image: { rootDir, config: shell } });
    expect(r).toMatchObject({ ok: true, stdoutTail: 'input a\ninput a\n/srv/work\na.txt\n' });
    expect(listRoot().sort()).toEqual(before);
  });

  test('behavior: model files are mounted read-only under /models/<name>/ beside the image’s own files', async () => {
    const jobDir = mkdtempSync(join(base, 'jobs', 'models-'));
    chmodSync(jobDir, 0o711);
    writeFileSync(join(jobDir, 'config'), '{"layers": 2}\n');
    writeFileSync(join(jobDir, 'shard'), 'weights\n');
    const models = [
      { hostPath: join(jobDir, 'config'), mountPath: '/models/llama/config.json' },
      { hostPath: join(jobDir, 'shard'), mountPath: '/models/llama/shards/model-0001.bin' },
    ];
    const script = 'cat /models/llama/config.json /models/llama/shards/model-0001.bin; echo x > /models/llama/config.json 2>/dev/null && echo wrote; touch /models/new 2>/dev/null && echo made; cat /app/marker';
    const r = await job({ script }, shell, { models });
    expect(r).toMatchObject({ ok: true, stdoutTail: '{"layers": 2}\nweights\nfrom the image\n' });
    expect(readFileSync(join(jobDir, 'config'), 'utf8')).toBe('{"layers": 2}\n');
    expect(listRoot().sort()).toEqual(before);
  });

  test('behavior: a GPU job gets its own GPU’s node, the control nodes, the driver under /usr/local/nvidia and its paths; a CPU job none of it', async () => {
    const script = 'ls /dev | grep nvidia; cat /usr/local/nvidia/lib64/libcuda.so.1 /dev/nvidia1; nvidia-smi; echo "$PATH|$LD_LIBRARY_PATH"; ls /usr';
    const gpu = await job({ script, resources: { gpus: 1 } }, shell, { gpuIndices: [1] });
    expect(gpu).toMatchObject({ ok: true, stderrTail: '' });
    expect(gpu.stdoutTail).toBe(
      ['nvidia-uvm', 'nvidia-uvm-tools', 'nvidia1', 'nvidiactl', `libcuda ${V}`, 'node nvidia1', 'GPU 1: Fake GPU (UUID: GPU-fake)', '/usr/local/nvidia/bin:/bin|/usr/local/nvidia/lib64', 'lib', 'local', ''].join('\n'),
    );
    const cpu = await job({ script: 'test -e /usr/local/nvidia && echo nvidia; ls /dev | grep -c nvidia; ls /usr; echo "$LD_LIBRARY_PATH"; true' }, shell);
    expect(cpu).toMatchObject({ ok: true, stdoutTail: '0\nlib\n\n' });
    expect(listRoot().sort()).toEqual(before);
  });

  test('error: a mount point through a link in the image, or an image with nothing to run, is refused with the reason', async () => {
    const jobDir = mkdtempSync(join(base, 'jobs', 'link-'));
    writeFileSync(join(jobDir, 'a.txt'), 'a\n');
    const parsed = parseSpec({ version: 1, image: IMAGE, command: ['true'] });
    if (!parsed.ok) throw new Error(parsed.reason);
    await expect(runner.run({ name: 'link', spec: parsed.spec, jobDir, inputs: [{ hostPath: join(jobDir, 'a.txt'), mountPath: '/link/a.txt' }], image: { rootDir, config: shell } })).rejects.toThrow(
      'SANDBOX_SETUP_FAILED: the input mounted at /link/a.txt: /link is a symbolic link in the image, so /link/a.txt cannot be mounted there',
    );
    await expect(job({}, { env: [] })).rejects.toThrow('IMAGE_REJECTED: the image has no Entrypoint or Cmd and the spec no command');
    expect(existsSync(join(rootDir, 'etc/a.txt'))).toBe(false);
  });
});
