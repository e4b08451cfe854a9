/**
 * The GPU check: what the worker does with GPUs, proven on a machine that has them. It runs the
 * worker's own code (hardware detection, the sandbox, the image store), not a copy, and writes a
 * JSON report. prepare.ts bundles it with Node and the check's image for a GPU machine that has no
 * network and maybe no Node; on a machine without a GPU the GPU checks say "skipped" and the
 * CPU-side checks still run (the test in gpuCheck.test.ts runs it that way here).
 *
 * The checks:
 * 1. hardware   detectHardware's model, count and VRAM against PyTorch's view of the same GPUs;
 * 2. host-gpu   a host-mode GPU job in the sandbox runs a CUDA matrix product with PyTorch;
 * 3. image-gpu  an image-mode GPU job, in an image whose userspace is not the host's (Debian's
 *               glibc and busybox, see prepare.ts), runs `nvidia-smi -L` and a CUDA driver call
 *               (cuda-probe) through the driver libraries the worker injects;
 * 4. image-cpu  a CPU job in the same image sees no GPU device and no driver library;
 * 5. host-cpu   a CPU job in host mode sees no GPU device, and CUDA is unavailable to it.
 *
 * Usage: node check.mjs --layout <oci layout dir> --report <file.json> [--work <dir>] [--require-gpu]
 */
import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { parseSpec, type JobSpec } from '../../sdk/spec/jobSpec';
import { parseImageRef } from '../../sdk/spec/imageRef';
import { detectHardware } from '../../worker/hardware';
import { ImageStore } from '../../worker/image/imageStore';
import type { PreparedImage } from '../../worker/image/imageTypes';
import { SandboxRunner, type SandboxResult } from '../../worker/sandbox/sandboxRunner';
import { serveLayout } from './layoutRegistry';

const execFileAsync = promisify(execFile);

export type CheckResult = { name: string; status: 'passed' | 'failed' | 'skipped'; detail: Record<string, unknown> };
export type GpuCheckReport = { ok: boolean; startedAt: string; host: Record<string, unknown>; checks: CheckResult[] };

/** The repository name the check's image is served under by the layout registry. */
export const CHECK_IMAGE_REPOSITORY = 'loom/gpu-check';

/** Runs every check; never throws for a failing check (it is in the report). */
export async function runGpuCheck(o: { layoutDir: string; workDir?: string; requireGpu?: boolean }): Promise<GpuCheckReport> {
  const startedAt = new Date().toISOString();
  const base = o.workDir ?? os.tmpdir();
  await mkdir(base, { recursive: true });
  const work = await mkdtemp(join(base, 'loom-gpu-check-'));
  // When the check runs as root, jobs run as an unprivileged user who must reach job directories.
  await chmod(work, 0o755);
  const checks: CheckResult[] = [];
  const registry = await serveLayout(o.layoutDir);
  let prepared: PreparedImage | undefined;
  try {
    const hardware = await detectHardware();
    const gpus = hardware.gpus;
    const host = { hostname: os.hostname(), osRelease: await osRelease(), kernel: os.release(), gpus, driverVersion: hardware.driverVersion, cudaVersion: hardware.cudaVersion, warning: hardware.warning };
    const hasGpu = gpus.length > 0;
    // On the GPU machine a missing GPU is a failure (--require-gpu), not a skip.
    const noGpu = (name: string): CheckResult => ({ name, status: o.requireGpu ? 'failed' : 'skipped', detail: { reason: hardware.warning ?? 'no NVIDIA GPU on this machine (nvidia-smi lists none)' } });

    // 1. hardware
    if (!hasGpu) checks.push(noGpu('hardware'));
    else checks.push(await step('hardware', async () => {
      const torch = await torchView();
      const claim = hardware.claim;
      const sameCount = torch.length === gpus.length;
      const sameModel = torch.every((t) => gpus.some((g) => g.name === t.name));
      // PyTorch reports the memory CUDA can use, a little below nvidia-smi's total: within 5%.
      const vramClose = torch.every((t) => Math.abs(t.memoryMiB - claim.vramMiB) / t.memoryMiB < 0.05);
      return { ok: sameCount && sameModel && vramClose, detail: { detected: { gpus, claim: { gpuCount: claim.gpuCount, vramMiB: claim.vramMiB } }, torch, sameCount, sameModel, vramClose } };
    }));

    const sandbox = await SandboxRunner.create({ workDir: join(work, 'probe') });
    const store = await ImageStore.open({ dir: join(work, 'images'), cacheBytes: 8 * 2 ** 30, maxImageBytes: 4 * 2 ** 30, allowedRegistries: [registry.host] });
    const index = JSON.parse(await readFile(join(o.layoutDir, 'index.json'), 'utf8')) as { manifests: { digest: string }[] };
    const ref = parseImageRef(`${registry.host}/${CHECK_IMAGE_REPOSITORY}@${index.manifests[0]!.digest}`);
    if (!ref.ok) throw new Error(ref.reason);
    prepared = await store.prepare(ref.ref);
    const image = { rootDir: prepared.rootDir, config: prepared.config };
    const run = (name: string, spec: JobSpec, withImage: boolean) => sandbox.run({ name, spec, jobDir: join(work, name), inputs: [], ...(withImage ? { image } : {}) });

    // 2. host-gpu
    if (!hasGpu) checks.push(noGpu('host-gpu'));
    else checks.push(await step('host-gpu', async () => {
      const r = await run('host-gpu', spec({ command: ['python3', '-c', MATMUL], gpus: 1 }), false);
      const out = lastJson(r.stdoutTail);
      return { ok: r.ok && out?.ok === true, detail: { run: summary(r), output: out } };
    }));

    // 3. image-gpu
    if (!hasGpu) checks.push(noGpu('image-gpu'));
    else checks.push(await step('image-gpu', async () => {
      const r = await run('image-gpu', spec({ image: ref.ref.text, script: 'cat /etc/os-release | head -1; nvidia-smi -L && cuda-probe', gpus: 1 }), true);
      const probe = lastJson(r.stdoutTail);
      const listed = (r.stdoutTail.match(/^GPU \d+: /gm) ?? []).length;
      return { ok: r.ok && probe?.ok === true && listed === 1, detail: { run: summary(r), nvidiaSmiListed: listed, cudaProbe: probe } };
    }));

    // 4. image-cpu
    checks.push(await step('image-cpu', async () => {
      const r = await run('image-cpu', spec({ image: ref.ref.text, script: `grep ^ID= /etc/os-release; ${SEES_NO_GPU}` }), true);
      // It ran in the image's userspace, not the host's.
      const inImage = r.stdoutTail.includes('ID=loom-gpu-check');
      return { ok: r.ok && inImage, detail: { run: summary(r), inImage } };
    }));

    // 5. host-cpu
    checks.push(await step('host-cpu', async () => {
      const hasTorch = await execFileAsync('python3', ['-c', 'import torch']).then(() => true, () => false);
      const script = hasTorch ? `${SEES_NO_GPU} && python3 -c "import torch, sys; sys.exit(1 if torch.cuda.is_available() else 0)"` : SEES_NO_GPU;
      const r = await run('host-cpu', spec({ script }), false);
      return { ok: r.ok, detail: { run: summary(r), torchChecked: hasTorch } };
    }));

    const ok = checks.every((c) => c.status !== 'failed');
    return { ok, startedAt, host, checks };
  } finally {
    await prepared?.release();
    await registry.stop();
    await rm(work, { recursive: true, force: true }).catch(() => {});
  }
}

/** A CPU job's view: no /dev/nvidia* node, no injected driver directory. */
const SEES_NO_GPU = 'if ls /dev | grep -q nvidia; then echo "sees /dev/nvidia*"; exit 1; fi; if [ -e /usr/local/nvidia/lib64 ] && ls /usr/local/nvidia/lib64 | grep -q .; then echo "sees driver libraries"; exit 1; fi; echo no-gpu-visible';

/** A 4096x4096 float32 product on the GPU, checked against the same product on the CPU. */
const MATMUL = [
  'import json, torch',
  'torch.manual_seed(0)',
  'a = torch.randn(4096, 4096)',
  'b = torch.randn(4096, 4096)',
  'g = (a.cuda() @ b.cuda()).cpu()',
  'c = a @ b',
  'err = ((g - c).abs().max() / c.abs().max()).item()',
  'print(json.dumps({"ok": err < 1e-3, "device": torch.cuda.get_device_name(0), "relativeError": err, "cuda": torch.version.cuda}))',
].join('\n');

function spec(o: { command?: string[]; script?: string; image?: string; gpus?: number }): JobSpec {
  const parsed = parseSpec({
    version: 1,
    ...(o.image ? { image: o.image } : {}),
    ...(o.command ? { command: o.command } : {}),
    ...(o.script ? { script: o.script } : {}),
    workdir: '/tmp',
    resources: { gpus: o.gpus ?? 0, memoryMiB: 16384, cpus: 2, pids: 4096, timeoutSeconds: 600, outputMiB: 16 },
  });
  if (!parsed.ok) throw new Error(`the check's own spec is invalid: ${parsed.reason}`);
  return parsed.spec;
}

async function step(name: string, f: () => Promise<{ ok: boolean; detail: Record<string, unknown> }>): Promise<CheckResult> {
  try {
    const { ok, detail } = await f();
    return { name, status: ok ? 'passed' : 'failed', detail };
  } catch (err) {
    return { name, status: 'failed', detail: { error: (err as Error).message } };
  }
}

function summary(r: SandboxResult): Record<string, unknown> {
  return { ok: r.ok, reason: r.reason, exitCode: r.exitCode, durationMs: r.durationMs, stdout: r.stdoutTail.slice(-4000), stderr: r.stderrTail.slice(-4000) };
}

function lastJson(text: string): Record<string, unknown> | undefined {
  const line = text.trim().split('\n').reverse().find((l) => l.startsWith('{'));
  try {
    return line ? (JSON.parse(line) as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

async function torchView(): Promise<{ name: string; memoryMiB: number }[]> {
  const code = 'import json, torch; print(json.dumps([{"name": torch.cuda.get_device_name(i), "memoryMiB": torch.cuda.get_device_properties(i).total_memory // 2**20} for i in range(torch.cuda.device_count())]))';
  const { stdout } = await execFileAsync('python3', ['-c', code], { timeout: 120_000 });
  return JSON.parse(stdout.trim().split('\n').pop()!) as { name: string; memoryMiB: number }[];
}

async function osRelease(): Promise<string | undefined> {
  const text = await readFile('/etc/os-release', 'utf8').catch(() => '');
  return /^PRETTY_NAME="?([^"\n]*)"?/m.exec(text)?.[1];
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { layout: { type: 'string' }, report: { type: 'string' }, work: { type: 'string' }, 'require-gpu': { type: 'boolean' } } });
  if (!values.layout || !values.report) {
    console.error('usage: check --layout <oci layout dir> --report <report.json> [--work <dir>] [--require-gpu]');
    process.exit(2);
  }
  const report = await runGpuCheck({ layoutDir: resolve(values.layout), requireGpu: values['require-gpu'] === true, ...(values.work ? { workDir: values.work } : {}) });
  await writeFile(values.report, `${JSON.stringify(report, null, 2)}\n`);
  for (const c of report.checks) console.log(`${c.status.padEnd(7)} ${c.name}`);
  console.log(report.ok ? 'GPU check passed' : 'GPU check FAILED');
  process.exit(report.ok ? 0 : 1);
}

// Bundled by prepare.ts with this module as the entry point; imported by the test.
if (process.argv[1] && /(gpuCheck\.ts|check\.mjs)$/.test(process.argv[1])) await main();
