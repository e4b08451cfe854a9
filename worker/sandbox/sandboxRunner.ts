/**
 * Runs one job in a sandbox and says how it ended.
 *
 * `SandboxRunner.create` finds bubblewrap, the cgroup hierarchy, the GPU devices and the host's
 * layout once, and proves them by running a trivial job the same way real jobs run. Without a
 * working sandbox it refuses to start (SANDBOX_UNAVAILABLE, with the reason) unless the operator
 * passed `unsafe: true`, which runs jobs directly on the host: for development only.
 *
 * A run: the job's cgroup is created with the spec's limits, the launcher joins it and execs bwrap
 * under `env -i` (see launchCommand.ts and bwrapArgs.ts), a wall-clock timer kills the whole
 * sandbox when it runs out, /out is measured every second (outputWatch.ts: the job is stopped once it
 * holds more than `resources.outputMiB`), and afterwards the cgroup's counters say whether the kernel OOM-killed
 * it or refused it processes. The cgroup is emptied and removed before `run` returns, so every
 * process of the job is gone when the outputs are packed.
 *
 * A run with `image` (image mode) runs the job in an unpacked OCI image instead of the host's /usr:
 * the image's root read-only as the job's /, its config deciding argv, env and workdir
 * (imageProcess.ts), room made on the sandbox's side for the mount points it needs (imageRoot.ts), and
 * everything else as in host mode (bwrapArgs.ts). The self-test stays in host mode.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { constants as fsConstants } from 'node:fs';
import { access, chmod, chown, mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { WorkerError } from '../errors';
import type { JobSpec } from '../../sdk/spec/jobSpec';
import { imageProcess } from '../image/imageProcess';
import type { ImageConfig } from '../image/imageTypes';
import { type BwrapFeatures, type BwrapPlan, type ImagePlan, buildBwrapArgs, imageMountPoints, sandboxEnv } from './bwrapArgs';
import { type GpuHost, detectGpuHost } from './gpuPassthrough';
import { type HostLayout, detectHostLayout } from './hostLayout';
import { fatalFailures, planImageRoot } from './imageRoot';
import { type CgroupStats, type CgroupSupport, JobCgroup, detectCgroupSupport } from './jobCgroup';
import { CGROUP_JOIN_FAILED, buildLaunchCommand } from './launchCommand';
import { writeSandboxEtc } from './sandboxEtc';
import { type OutputLimits, type OutputUsage, watchOutput } from './outputWatch';
import { seccompProgram } from './seccompFilter';
import { TailBuffer } from './tailBuffer';

export type SandboxRunnerOptions = {
  /** Where probe jobs are made (default: the OS temp dir). Use the worker's job directory. */
  workDir?: string;
  /** Run jobs without bubblewrap and/or without resource limits when they are unavailable. Development only. */
  unsafe?: boolean;
  /** The bwrap binary (default: /usr/bin/bwrap, /usr/local/bin/bwrap, then PATH). */
  bwrapPath?: string;
  /** When the worker runs as root: the unprivileged uid/gid bwrap runs as (default 65534, nobody). */
  sandboxUser?: { uid: number; gid: number };
  /** Where job cgroups go (see detectCgroupSupport); default: under the worker's own cgroup. */
  cgroupParent?: string;
  /** Bytes of stdout and of stderr kept per run (default 64 KiB each). */
  tailBytes?: number;
  /** Entries (files, directories, links) a job may create in /out (default 100,000): inodes are disk too. */
  maxOutputEntries?: number;
  /** How often /out is measured while a job runs (default 1,000 ms; see outputWatch.ts). */
  outputWatchMs?: number;
  /** Override what is detected (tests). */
  gpuHost?: GpuHost;
};

export type SandboxCapabilities = {
  /** bwrap in use, or why not. */
  bwrap: { ok: true; path: string; version: string; features: BwrapFeatures } | { ok: false; reason: string };
  cgroups: CgroupSupport;
  /** Set when the worker is root: bwrap is started as this unprivileged user. */
  dropTo?: { uid: number; gid: number; setpriv: string };
  gpuHost: GpuHost;
  /** The seccomp filter bwrap installs for every job (seccompFilter.ts), or why there is none. */
  seccomp: { ok: true; arch: string } | { ok: false; reason: string };
  /** Why jobs run with less isolation than intended (only ever non-empty with `unsafe`, or without a seccomp table for this CPU). */
  warnings: string[];
};

export type RunRequest = {
  /** A short name for logs and the cgroup, e.g. the job id's first bytes. */
  name: string;
  spec: JobSpec;
  /** The job's directory: the output directory (out/) and the sandbox's /etc files are made in it. */
  jobDir: string;
  /** Fetched inputs (see fetchInputs.ts). */
  inputs: { hostPath: string; mountPath: string }[];
  /** The job's model files, cached and verified (../models/modelStore.ts), mounted read-only at `/models/<name>/<path>`. */
  models?: { hostPath: string; mountPath: string }[];
  /** Which GPUs the job gets (indices of /dev/nvidiaN); default: the first `resources.gpus`. */
  gpuIndices?: number[];
  /** Aborting kills the job (e.g. the job was reclaimed or the worker is stopping). */
  signal?: AbortSignal;
  /**
   * Image mode: the unpacked image (PreparedImage's rootDir and config), whose root is the job's
   * read-only /. Absent: host mode. The root is only read, so jobs of one image may run at once.
   */
  image?: { rootDir: string; config: ImageConfig };
  /**
   * Secret variables from the job's sealed bundle, added to this job's environment only (after the
   * spec's and the image's). Never logged or written: they reach the sandbox through its launcher.
   */
  secretEnv?: Record<string, string>;
  /** Called with the job's output as it comes (the live log, worker/logs/liveLog.ts); must not block. */
  onOutput?: (stream: 'stdout' | 'stderr', bytes: Buffer) => void;
};

export type SandboxResult = {
  /** True when the job exited 0 within its limits. */
  ok: boolean;
  /** The job's exit status; 128+N when signal N killed it (as a shell reports it); null when it was killed from outside. */
  exitCode: number | null;
  /** The signal that ended the job, when one did. */
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  oomKilled: boolean;
  /** A fork or clone was refused by the process limit at least once. */
  pidsLimitHit: boolean;
  /** /out grew past `resources.outputMiB` (or the worker's entry limit) while the job ran: it was stopped. */
  outputLimitHit: boolean;
  cancelled: boolean;
  durationMs: number;
  stdoutTail: string;
  stderrTail: string;
  stdoutBytes: number;
  stderrBytes: number;
  peakMemoryBytes?: number;
  /** Why the job failed, in words; null when it succeeded. */
  reason: string | null;
  /** What was enforced: false fields only ever happen in unsafe mode. */
  enforced: { sandbox: boolean; memory: boolean; swap: boolean; pids: boolean; cpu: boolean };
  /** The host directory that was /out. */
  outDir: string;
};

export class SandboxRunner {
  private constructor(
    readonly capabilities: SandboxCapabilities,
    private readonly layout: HostLayout,
    private readonly options: SandboxRunnerOptions,
    /** The seccomp program handed to bwrap for every sandboxed job; null without a table for this CPU. */
    private readonly seccomp: Buffer | null,
  ) {}

  private get maxOutputEntries(): number {
    return this.options.maxOutputEntries ?? 100_000;
  }

  /**
   * Detects and proves the sandbox. Throws SANDBOX_UNAVAILABLE with the reason when jobs cannot be
   * isolated and limited, unless `unsafe` is set.
   *
   * @example
   * const sandbox = await SandboxRunner.create({ workDir: '/var/lib/loom/jobs' });
   * const result = await sandbox.run({ name: jobId.slice(2, 14), spec, jobDir, inputs });
   */
  static async create(options: SandboxRunnerOptions = {}): Promise<SandboxRunner> {
    const [layout, gpuHost, cgroups] = await Promise.all([detectHostLayout(), options.gpuHost ?? detectGpuHost(), detectCgroupSupport(options.cgroupParent ? { parent: options.cgroupParent } : {})]);
    const warnings: string[] = [];
    const isRoot = process.getuid?.() === 0;

    let bwrap: SandboxCapabilities['bwrap'];
    let dropTo: SandboxCapabilities['dropTo'];
    const bwrapPath = await findExecutable(options.bwrapPath ? [options.bwrapPath] : ['/usr/bin/bwrap', '/usr/local/bin/bwrap', ...pathCandidates('bwrap')]);
    if (bwrapPath === undefined) {
      bwrap = { ok: false, reason: 'bubblewrap (bwrap) is not installed; install it (e.g. apt-get install bubblewrap)' };
    } else {
      const version = await capture(bwrapPath, ['--version']);
      const help = await capture(bwrapPath, ['--help']);
      bwrap = { ok: true, path: bwrapPath, version: version.stdout.trim(), features: { disableUserns: help.stdout.includes('--disable-userns') } };
      if (isRoot) {
        const setpriv = await findExecutable(['/usr/bin/setpriv', '/bin/setpriv', ...pathCandidates('setpriv')]);
        const user = options.sandboxUser ?? { uid: 65534, gid: 65534 };
        if (setpriv === undefined) bwrap = { ok: false, reason: 'the worker runs as root and setpriv (util-linux) is missing, so it cannot start bwrap as an unprivileged user' };
        else dropTo = { ...user, setpriv };
      }
    }

    const filter = seccompProgram();
    const seccomp: SandboxCapabilities['seccomp'] = filter
      ? { ok: true, arch: process.arch }
      : { ok: false, reason: `no seccomp table for ${process.arch}: jobs run without a system-call filter` };
    if (!seccomp.ok && bwrap.ok) warnings.push(seccomp.reason);
    const capabilities: SandboxCapabilities = { bwrap, cgroups, ...(dropTo ? { dropTo } : {}), gpuHost, seccomp, warnings };
    const runner = new SandboxRunner(capabilities, layout, options, filter);

    // Prove the sandbox with the same code path as a real job.
    if (bwrap.ok) {
      const failure = await runner.selfTest();
      if (failure !== undefined) capabilities.bwrap = { ok: false, reason: failure };
    }

    const problems: string[] = [];
    if (!capabilities.bwrap.ok) problems.push(`no sandbox: ${capabilities.bwrap.reason}`);
    if (!cgroups.ok) problems.push(`no resource limits: ${cgroups.reason}`);
    if (problems.length > 0 && !options.unsafe) {
      throw new WorkerError('SANDBOX_UNAVAILABLE', `refusing to run jobs: ${problems.join('; ')}. Fix this, or start the worker with the unsafe flag to run jobs without isolation (development only).`);
    }
    warnings.push(...problems.map((p) => `unsafe mode: ${p}`));
    if (cgroups.ok && !cgroups.swapLimited) warnings.push('swap is not accounted by this kernel: a job can exceed its memory limit by swapping');
    return runner;
  }

  /** Runs `true` in a sandbox like a job's; undefined when it worked, else why not. */
  private async selfTest(): Promise<string | undefined> {
    const base = this.options.workDir ?? os.tmpdir();
    await mkdir(base, { recursive: true });
    const jobDir = await mkdtemp(join(base, 'probe-'));
    try {
      const spec: JobSpec = {
        version: 1,
        argv: ['/bin/sh', '-c', 'test -w /out && ! test -w /usr'],
        workdir: '/in',
        deterministic: false,
        env: {},
        inputs: [],
        outputs: ['/out'],
        resources: { gpus: 0, vramMiB: 0, memoryMiB: 256, cpus: 1, pids: 64, timeoutSeconds: 60, outputMiB: 1 },
      };
      const result = await this.run({ name: 'probe', spec, jobDir, inputs: [] });
      return result.ok ? undefined : `a probe job failed in the sandbox: ${result.reason} ${result.stderrTail.trim()}`.trim();
    } catch (err) {
      if (!(err instanceof WorkerError)) return (err as Error).message;
      // bwrap itself refused: the usual cause is a kernel without unprivileged user namespaces.
      const bwrapSaid = /^bwrap: /m.test(err.shortMessage);
      return bwrapSaid
        ? `bubblewrap cannot build a sandbox here: ${err.shortMessage} (are unprivileged user namespaces disabled? check sysctl user.max_user_namespaces and kernel.unprivileged_userns_clone)`
        : err.shortMessage;
    } finally {
      await rm(jobDir, { recursive: true, force: true });
    }
  }

  /**
   * Runs a job. Resolves with how it ended (a failing job is a result, not an error); throws
   * SANDBOX_SETUP_FAILED when the sandbox itself could not be built for this job.
   */
  async run(req: RunRequest): Promise<SandboxResult> {
    const { spec } = req;
    const caps = this.capabilities;
    const sandboxed = caps.bwrap.ok;
    const gpuIndices = req.gpuIndices ?? Array.from({ length: spec.resources.gpus }, (_, i) => i);
    if (gpuIndices.length !== spec.resources.gpus) throw new WorkerError('SANDBOX_SETUP_FAILED', `the job asks for ${spec.resources.gpus} GPUs but ${gpuIndices.length} were assigned`);
    const missing = gpuIndices.filter((i) => caps.gpuHost.gpuNodes[i] === undefined);
    if (missing.length > 0) throw new WorkerError('SANDBOX_SETUP_FAILED', `the job asks for ${spec.resources.gpus} GPUs; this machine has ${caps.gpuHost.gpuNodes.length}`);
    if (req.image && !sandboxed) throw new WorkerError('SANDBOX_SETUP_FAILED', `an image job needs the sandbox, and there is none: ${caps.bwrap.ok ? '' : caps.bwrap.reason}`);
    if (req.image && gpuIndices.length > 0 && !caps.gpuHost.containerLibraries.some((l) => l.soname.startsWith('libcuda.so'))) {
      const version = caps.gpuHost.driverVersion === undefined ? 'the driver version is unknown' : `driver ${caps.gpuHost.driverVersion}`;
      throw new WorkerError('SANDBOX_SETUP_FAILED', `a GPU job in an image needs the driver's libcuda, and ldconfig lists none of the running driver's (${version})`);
    }

    const outDir = join(req.jobDir, 'out');
    const etcDir = join(req.jobDir, 'sandbox-etc');
    await mkdir(outDir, { recursive: true, mode: 0o755 });
    await writeSandboxEtc(etcDir);
    if (caps.dropTo) await this.grantSandboxUser(req.jobDir, outDir, caps.dropTo);
    if (caps.dropTo && req.image) await assertReachable(req.image.rootDir, caps.dropTo, 'the image');

    let cgroup: JobCgroup | undefined;
    if (caps.cgroups.ok) {
      const name = `job-${req.name.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 40)}-${randomBytes(4).toString('hex')}`;
      try {
        cgroup = await JobCgroup.create(caps.cgroups, name, { memoryBytes: spec.resources.memoryMiB * 2 ** 20, pids: spec.resources.pids, cpus: spec.resources.cpus });
      } catch (err) {
        throw new WorkerError('SANDBOX_SETUP_FAILED', `cannot create the job's cgroup: ${(err as Error).message}`, { cause: err });
      }
    }

    try {
      const filter = sandboxed ? this.seccomp : null;
      const plan: BwrapPlan = {
        spec,
        inputs: req.inputs,
        ...(req.models?.length ? { models: req.models } : {}),
        outDir,
        etcDir,
        layout: this.layout,
        gpuHost: caps.gpuHost,
        gpuIndices,
        features: sandboxed ? caps.bwrap.features : { disableUserns: false },
        ...(filter ? { seccompFd: SECCOMP_FD } : {}),
        ...(req.image ? { image: await prepareImagePlan(req.image, { spec, inputs: req.inputs, ...(req.models?.length ? { models: req.models } : {}), gpuIndices, gpuHost: caps.gpuHost }) } : {}),
      };
      const env = { ...sandboxEnv(plan), ...req.secretEnv };
      const argv = plan.image ? plan.image.process.argv : spec.argv;
      const launch = caps.bwrap.ok
        ? buildLaunchCommand({
            cgroupProcs: cgroup?.procsFiles ?? [],
            ...(caps.dropTo ? { dropTo: caps.dropTo } : {}),
            env,
            program: caps.bwrap.path,
            args: ['--json-status-fd', '3', ...buildBwrapArgs(plan), ...argv],
          })
        : // Unsafe mode without bubblewrap: the job runs on the host, in its output directory.
          buildLaunchCommand({ cgroupProcs: cgroup?.procsFiles ?? [], env, program: spec.argv[0]!, args: spec.argv.slice(1) });

      const outputLimits = { maxBytes: spec.resources.outputMiB * 2 ** 20, maxEntries: this.maxOutputEntries };
      const run = await this.spawnAndWait(launch, sandboxed ? '/' : outDir, spec.resources.timeoutSeconds * 1000, req.signal, cgroup, { dir: outDir, limits: outputLimits }, filter, req.onOutput);
      // Nothing of the job may outlive run(): the outputs are packed next.
      if (cgroup && !(await cgroup.killAll())) throw new WorkerError('SANDBOX_SETUP_FAILED', 'job processes survived SIGKILL');
      const stats = cgroup ? await cgroup.stats() : undefined;
      return this.describe(run, stats, { sandboxed, cgroup, spec, outDir });
    } finally {
      await cgroup?.destroy();
    }
  }

  /** Lets the unprivileged sandbox user reach the job's files, and write /out. */
  private async grantSandboxUser(jobDir: string, outDir: string, user: { uid: number; gid: number }): Promise<void> {
    await chmod(jobDir, 0o711);
    await chown(outDir, user.uid, user.gid);
    await assertReachable(jobDir, user, 'the job directory');
  }

  private spawnAndWait(
    launch: { file: string; args: string[]; env: Record<string, string> },
    cwd: string,
    timeoutMs: number,
    signal: AbortSignal | undefined,
    cgroup: JobCgroup | undefined,
    output: { dir: string; limits: OutputLimits },
    seccomp: Buffer | null,
    onOutput?: RunRequest['onOutput'],
  ): Promise<RawRun> {
    const tailBytes = this.options.tailBytes ?? 64 * 1024;
    const stdout = new TailBuffer(tailBytes);
    const stderr = new TailBuffer(tailBytes);
    let status = '';
    const started = performance.now();
    // The job's own environment and nothing of ours (launchCommand.ts).
    // fd 3: bwrap's JSON status; fd 4 (SECCOMP_FD): the seccomp filter, which bwrap reads to its end.
    const stdio: ('ignore' | 'pipe')[] = ['ignore', 'pipe', 'pipe', 'pipe', ...(seccomp ? ['pipe' as const] : [])];
    const child: ChildProcess = spawn(launch.file, launch.args, { cwd, env: launch.env, detached: true, stdio });
    if (seccomp) {
      const fd = child.stdio[SECCOMP_FD] as NodeJS.WritableStream;
      // A sandbox that dies before reading it closes the pipe: its own failure is what is reported.
      (fd as unknown as NodeJS.EventEmitter).on('error', () => {});
      fd.end(seccomp);
    }
    child.stdout!.on('data', (c: Buffer) => {
      stdout.push(c);
      onOutput?.('stdout', c);
    });
    child.stderr!.on('data', (c: Buffer) => {
      stderr.push(c);
      onOutput?.('stderr', c);
    });
    (child.stdio[3] as NodeJS.ReadableStream).on('data', (c: Buffer) => (status += c.toString('utf8')));

    let timedOut = false;
    let cancelled = false;
    const kill = () => {
      // The launcher's process group is bwrap's outer process; --die-with-parent and the pid
      // namespace take the job with it. The cgroup pass catches anything else.
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // Already gone.
      }
      void cgroup?.killAll();
    };
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, timeoutMs);
    const onAbort = () => {
      cancelled = true;
      kill();
    };
    let outputOver: OutputUsage | undefined;
    const stopWatch = watchOutput(
      output.dir,
      output.limits,
      (usage) => {
        outputOver = usage;
        kill();
      },
      this.options.outputWatchMs,
    );
    signal?.addEventListener('abort', onAbort, { once: true });
    if (signal?.aborted) onAbort();

    return new Promise((resolve, reject) => {
      child.once('error', (err) => {
        clearTimeout(timer);
        stopWatch();
        signal?.removeEventListener('abort', onAbort);
        reject(new WorkerError('SANDBOX_SETUP_FAILED', `cannot start the sandbox: ${err.message}`, { cause: err }));
      });
      child.once('close', (code, sig) => {
        clearTimeout(timer);
        stopWatch();
        signal?.removeEventListener('abort', onAbort);
        resolve({ code, signal: sig, status: parseStatus(status), timedOut, cancelled, outputOver, durationMs: Math.round(performance.now() - started), stdout, stderr });
      });
    });
  }

  private describe(run: RawRun, stats: CgroupStats | undefined, ctx: { sandboxed: boolean; cgroup: JobCgroup | undefined; spec: JobSpec; outDir: string }): SandboxResult {
    const { spec } = ctx;
    const oomKilled = (stats?.oomKills ?? 0) > 0;
    const pidsLimitHit = (stats?.pidsLimitHits ?? 0) > 0;

    let exitCode: number | null;
    let signal: NodeJS.Signals | null = null;
    let notStarted: string | undefined;
    if (ctx.sandboxed) {
      exitCode = run.status.exitCode ?? null;
      if (exitCode === null && !run.timedOut && !run.cancelled && !run.outputOver && !oomKilled) {
        // The sandbox was built (bwrap reported the child) but the job's program could not be
        // executed: not in its root, not executable. The job's own failure, reported with the exit
        // status a shell gives it (127 not found, 126 not executable), not the worker's.
        const exec = run.status.childPid === undefined ? null : execFailure(run.stderr.text());
        if (!exec) {
          // bwrap never reported the job's exit: it failed before starting it.
          const why = run.code === CGROUP_JOIN_FAILED ? `could not join the job's cgroup: ${run.stderr.text().trim()}` : run.stderr.text().trim() || `bwrap exited with ${run.code ?? run.signal}`;
          throw new WorkerError('SANDBOX_SETUP_FAILED', why);
        }
        exitCode = exec.exitCode;
        notStarted = exec.reason;
      }
      if (exitCode !== null && exitCode > 128 && exitCode <= 128 + 64) signal = signalName(exitCode - 128);
      if (exitCode === null) signal = 'SIGKILL';
    } else {
      exitCode = run.code ?? (run.signal ? 128 + (os.constants.signals[run.signal] ?? 0) : null);
      signal = run.signal;
    }

    const limit = (mib: number) => `${mib} MiB`;
    let reason: string | null = null;
    if (run.timedOut) reason = `timed out: still running after ${spec.resources.timeoutSeconds} s (the spec's timeoutSeconds); killed`;
    else if (run.cancelled) reason = 'cancelled: the worker stopped the job';
    else if (run.outputOver?.over === 'bytes') reason = `output too large: /out held more than its ${limit(spec.resources.outputMiB)} (resources.outputMiB) while the job ran; killed`;
    else if (run.outputOver) reason = `too many outputs: /out held more than ${this.maxOutputEntries} files and directories while the job ran; killed`;
    else if (oomKilled) reason = `out of memory: the kernel killed the job at its ${limit(spec.resources.memoryMiB)} limit (resources.memoryMiB)`;
    else if (notStarted) reason = notStarted;
    else if (exitCode !== 0) reason = signal ? `killed by ${signal} (exit status ${exitCode})` : `exited with code ${exitCode}`;
    if (reason !== null && pidsLimitHit) reason += `; it reached its process limit of ${spec.resources.pids} (resources.pids)`;

    const cg = ctx.cgroup;
    return {
      ok: reason === null,
      exitCode,
      signal,
      timedOut: run.timedOut,
      oomKilled,
      pidsLimitHit,
      outputLimitHit: run.outputOver !== undefined,
      cancelled: run.cancelled,
      durationMs: run.durationMs,
      stdoutTail: run.stdout.text(),
      stderrTail: run.stderr.text(),
      stdoutBytes: run.stdout.total,
      stderrBytes: run.stderr.total,
      ...(stats?.peakMemoryBytes === undefined ? {} : { peakMemoryBytes: stats.peakMemoryBytes }),
      reason,
      enforced: { sandbox: ctx.sandboxed, memory: cg !== undefined, swap: cg?.swapLimited ?? false, pids: cg !== undefined, cpu: cg !== undefined },
      outDir: ctx.outDir,
    };
  }
}

/** bwrap opens the bind sources as the sandbox user: every directory above `path` must be searchable by it. */
async function assertReachable(path: string, user: { uid: number; gid: number }, what: string): Promise<void> {
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    const st = await stat(dir);
    const searchable = (st.mode & 0o001) !== 0 || (st.uid === user.uid && (st.mode & 0o100) !== 0) || (st.gid === user.gid && (st.mode & 0o010) !== 0);
    if (!searchable) {
      throw new WorkerError('SANDBOX_SETUP_FAILED', `the sandbox user (uid ${user.uid}) cannot reach ${what} ${path}: make ${dir} searchable (chmod o+x) or use a work directory under one that is`);
    }
    if (dir === dirname(dir)) break;
  }
}

/**
 * Image mode's part of the plan: how the job starts (imageProcess) and the image's tree with room
 * for the job's mount points; a job whose mount points cannot be made is refused with the reasons.
 */
async function prepareImagePlan(image: { rootDir: string; config: ImageConfig }, base: Pick<BwrapPlan, 'spec' | 'inputs' | 'models' | 'gpuIndices' | 'gpuHost'>): Promise<ImagePlan> {
  const proc = imageProcess(base.spec, image.config);
  if ('error' in proc) throw new WorkerError('IMAGE_REJECTED', proc.error);
  let planned: Awaited<ReturnType<typeof planImageRoot>>;
  try {
    planned = await planImageRoot(image.rootDir, imageMountPoints(base, proc.workdir));
  } catch (err) {
    throw new WorkerError('SANDBOX_SETUP_FAILED', `cannot read the image's root ${image.rootDir}: ${(err as Error).message}`, { cause: err });
  }
  const fatal = fatalFailures(planned.failed);
  if (fatal.length > 0) throw new WorkerError('SANDBOX_SETUP_FAILED', fatal.map((f) => f.reason).join('; '));
  const unavailable = planned.failed.map((f) => f.point.path);
  return { tree: planned.tree, process: proc, ...(unavailable.length > 0 ? { unavailable } : {}) };
}

type RawRun = {
  code: number | null;
  signal: NodeJS.Signals | null;
  status: { childPid?: number; exitCode?: number };
  timedOut: boolean;
  cancelled: boolean;
  /** The measure of /out that passed a limit, when one did. */
  outputOver?: OutputUsage;
  durationMs: number;
  stdout: TailBuffer;
  stderr: TailBuffer;
};

/**
 * bwrap's last word when the job's program cannot be executed (`bwrap: execvp <program>: <error>`,
 * its final step once the sandbox is built): the reason and the exit status a shell would give.
 */
function execFailure(stderr: string): { exitCode: number; reason: string } | null {
  const m = /^bwrap: execvp (.*): ([^\n]*)\s*$/.exec(stderr.trimEnd().split('\n').at(-1) ?? '');
  if (!m) return null;
  return { exitCode: /No such file or directory/.test(m[2]!) ? 127 : 126, reason: `the job's program could not be started: ${m[1]}: ${m[2]}` };
}

/** The child's fd that carries the seccomp filter to bwrap. */
const SECCOMP_FD = 4;

/** bwrap's --json-status-fd output: one JSON object per line ("child-pid", then "exit-code"). */
function parseStatus(text: string): RawRun['status'] {
  const status: RawRun['status'] = {};
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const o = JSON.parse(line) as Record<string, unknown>;
      if (typeof o['child-pid'] === 'number') status.childPid = o['child-pid'];
      if (typeof o['exit-code'] === 'number') status.exitCode = o['exit-code'];
    } catch {
      // Ignore a torn line: the exit code is then unknown, which reads as a setup failure.
    }
  }
  return status;
}

function signalName(n: number): NodeJS.Signals | null {
  const entry = Object.entries(os.constants.signals).find(([, v]) => v === n);
  return (entry?.[0] as NodeJS.Signals | undefined) ?? null;
}

function pathCandidates(name: string): string[] {
  return (process.env.PATH ?? '').split(':').filter(Boolean).map((d) => join(d, name));
}

async function findExecutable(candidates: string[]): Promise<string | undefined> {
  for (const c of candidates) {
    try {
      await access(c, fsConstants.X_OK);
      return c;
    } catch {
      // Next.
    }
  }
  return undefined;
}

function capture(file: string, args: string[]): Promise<{ stdout: string; code: number | null }> {
  return new Promise((resolve) => {
    const child = spawn(file, args, { env: {}, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', () => {});
    child.on('error', () => resolve({ stdout: '', code: null }));
    child.on('close', (code) => resolve({ stdout, code }));
  });
}
