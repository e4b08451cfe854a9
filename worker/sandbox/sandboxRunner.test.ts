/**
 * Sandbox probes: each is a real job, run through the runner the way the daemon runs jobs, that
 * tries something a job must not be able to do, and must fail the expected way with a reason.
 */
import { chmodSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parseSpec } from '../../sdk/spec/jobSpec';
import { skipSandboxTests } from '../test/sandboxAvailability';
import { SandboxRunner, type SandboxResult } from './sandboxRunner';
import { DENIED_SYSCALLS } from './seccompFilter';

// The worker's secret, as the daemon would hold it: no job may find it.
const SECRET = `0x${'5ec7e7'.repeat(10)}abcd`;

const root = mkdtempSync(join(os.tmpdir(), 'loom-sandbox-'));
// When the tests run as root, bwrap runs as nobody and must be able to reach the job directories.
chmodSync(root, 0o711);
let runner: SandboxRunner;
let server: Server;
let serverHits = 0;
let port = 0;

beforeAll(async () => {
  if (skipSandboxTests) return;
  process.env.LOOM_WORKER_KEY = SECRET;
  runner = await SandboxRunner.create({ workDir: root });
  server = createServer((_req, res) => {
    serverHits++;
    res.end('reachable');
  });
  // On every interface, so neither loopback nor the machine's own address is reachable from a job.
  await new Promise<void>((resolve) => server.listen(0, '0.0.0.0', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  delete process.env.LOOM_WORKER_KEY;
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  rmSync(root, { recursive: true, force: true });
});

let n = 0;
/** Runs a spec (version 1 implied) as a job. */
async function job(spec: Record<string, unknown>): Promise<SandboxResult & { jobDir: string }> {
  const parsed = parseSpec({ version: 1, ...spec });
  if (!parsed.ok) throw new Error(parsed.reason);
  const jobDir = mkdtempSync(join(root, `job${n++}-`));
  const result = await runner.run({ name: `probe${n}`, spec: parsed.spec, jobDir, inputs: [] });
  return { ...result, jobDir };
}

/**
 * This file's job cgroups still present under the worker's (none may outlive their job). Only
 * `probe*` jobs count: other test files run daemons beside this one, with jobs of their own.
 */
function leftoverCgroups(): string[] {
  const caps = runner.capabilities;
  if (!caps.cgroups.ok) return [];
  return [...new Set(Object.values(caps.cgroups.parents))].flatMap((p) => (existsSync(p) ? readdirSync(p).filter((d) => d.startsWith('job-probe')) : []));
}

describe.skipIf(skipSandboxTests)('sandbox', () => {
  test('default: a job runs isolated, within limits, and writes /out', async () => {
    expect(runner.capabilities.warnings).toEqual([]);
    const r = await job({ script: 'id -u; echo "$GREETING" > /out/hello.txt', env: { GREETING: 'hi from the sandbox' }, resources: { memoryMiB: 128, pids: 32, timeoutSeconds: 30 } });
    expect(r).toMatchObject({ ok: true, exitCode: 0, signal: null, timedOut: false, oomKilled: false, reason: null });
    expect(r.enforced).toEqual({ sandbox: true, memory: true, swap: true, pids: true, cpu: true });
    expect(r.stdoutTail).toBe('1000\n');
    expect(readFileSync(join(r.outDir, 'hello.txt'), 'utf8')).toBe('hi from the sandbox\n');
  });

  test('probe: the network is unreachable, loopback and the host’s own addresses alike', async () => {
    const hostAddresses = Object.values(os.networkInterfaces())
      .flat()
      .filter((a) => a && a.family === 'IPv4')
      .map((a) => a!.address);
    const targets = [...new Set(['127.0.0.1', ...hostAddresses])];
    // bash's /dev/tcp opens a TCP connection; the job fails (exit 1) when none connects.
    const script = `for h in ${targets.join(' ')}; do if bash -c "exec 3<>/dev/tcp/$h/${port}" 2>/dev/null; then echo "CONNECTED $h"; exit 0; fi; done; echo "no route"; exit 1`;
    const r = await job({ script, resources: { timeoutSeconds: 30 } });
    expect(r.stdoutTail).not.toContain('CONNECTED');
    expect(r).toMatchObject({ ok: false, exitCode: 1, reason: 'exited with code 1' });
    expect(serverHits).toBe(0);
    // The job's network namespace has nothing but its own loopback.
    const ifaces = await job({ script: 'tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d " "' });
    expect(ifaces.stdoutTail.trim().split('\n')).toEqual(['lo']);
  });

  test('probe: writing outside /out fails; /out works', async () => {
    const r = await job({ script: 'echo x > /usr/evil' });
    expect(r).toMatchObject({ ok: false, exitCode: 2, reason: 'exited with code 2' });
    expect(r.stderrTail).toMatch(/cannot create \/usr\/evil: Read-only file system/);

    const attempts = ['/usr/evil', '/etc/evil', '/evil', '/in/evil', '/bin/evil', '/proc/sys/kernel/hostname', '/dev/evil', '/home/evil', '/sys/evil'];
    const probe = await job({ script: `for p in ${attempts.join(' ')}; do (echo x > $p) 2>/dev/null && echo "WROTE $p"; done; echo ok > /out/ok; echo scratch > /tmp/scratch && echo x > /dev/shm/x && echo x > /dev/null && echo scratch-ok` });
    expect(probe.ok).toBe(true);
    expect(probe.stdoutTail).toBe('scratch-ok\n');
    expect(readFileSync(join(probe.outDir, 'ok'), 'utf8')).toBe('ok\n');
    // /tmp is the job's own: nothing of it reaches the host.
    expect(readdirSync(probe.jobDir).sort()).toEqual(['out', 'sandbox-etc']);
  });

  test('probe: the worker’s secret is not in the job’s environment, /proc/1/environ or any /proc/*/environ', async () => {
    expect(process.env.LOOM_WORKER_KEY).toBe(SECRET);
    const needle = SECRET.slice(2, 20);
    // The job searches everywhere it can look and fails (exit 3) when it finds nothing.
    // The needle is split so that the script itself (in /proc/1/cmdline) does not contain it.
    const script = `a=${needle.slice(0, 9)}; b=${needle.slice(9)}; { env; cat /proc/1/environ /proc/*/environ /proc/1/cmdline /proc/*/cmdline; } 2>/dev/null | tr '\\0' '\\n' > /tmp/seen; grep -q "$a$b" /tmp/seen && { echo FOUND; exit 0; }; grep -x 'VISIBLE=yes' /tmp/seen | head -n 1; exit 3`;
    const r = await job({ script, env: { VISIBLE: 'yes' } });
    expect(r.stdoutTail).not.toContain('FOUND');
    expect(r.stdoutTail + r.stderrTail).not.toContain(needle);
    expect(r).toMatchObject({ ok: false, exitCode: 3, reason: 'exited with code 3' });
    // It did read environments: its own allowed variable is there.
    expect(r.stdoutTail).toContain('VISIBLE=yes');
  });

  test('probe: unbounded forking is stopped by the pids limit, and the worker stays healthy', async () => {
    // A fork loop: the shell's fork fails at the limit and it exits with an error.
    const loop = await job({ script: 'i=0; while [ $i -lt 500 ]; do sleep 30 & i=$((i+1)); done; echo "forked all"', resources: { pids: 32, timeoutSeconds: 30 } });
    expect(loop.stdoutTail).not.toContain('forked all');
    expect(loop).toMatchObject({ ok: false, pidsLimitHit: true, timedOut: false });
    expect(loop.reason).toMatch(/^exited with code 2; it reached its process limit of 32 \(resources\.pids\)$/);

    // A real fork bomb: held at the limit until its timeout, then killed whole.
    const bomb = await job({ script: 'b() { b | b & }; b; sleep 60', resources: { pids: 32, timeoutSeconds: 2 } });
    expect(bomb).toMatchObject({ ok: false, timedOut: true, pidsLimitHit: true });
    expect(bomb.reason).toBe('timed out: still running after 2 s (the spec\'s timeoutSeconds); killed; it reached its process limit of 32 (resources.pids)');
    expect(bomb.durationMs).toBeLessThan(10_000);

    // Nothing of either job is left, and the next job runs normally.
    expect(leftoverCgroups()).toEqual([]);
    const after = await job({ script: 'echo alive' });
    expect(after).toMatchObject({ ok: true, stdoutTail: 'alive\n' });
  });

  test('probe: allocating past the memory limit is OOM-killed and reported as such', async () => {
    // The shell holds 300 MB in a variable; the limit is 64 MiB.
    const r = await job({ script: "x=$(head -c 300000000 /dev/zero | tr '\\0' x); echo survived", resources: { memoryMiB: 64, timeoutSeconds: 60 } });
    expect(r.stdoutTail).not.toContain('survived');
    expect(r).toMatchObject({ ok: false, oomKilled: true, timedOut: false });
    expect(r.reason).toBe('out of memory: the kernel killed the job at its 64 MiB limit (resources.memoryMiB)');
    expect(r.peakMemoryBytes).toBeLessThanOrEqual(64 * 2 ** 20);
  });

  test('probe: running past the timeout is killed and reported as timed out', async () => {
    const started = Date.now();
    const r = await job({ script: 'echo started; sleep 60; echo finished', resources: { timeoutSeconds: 1 } });
    expect(r).toMatchObject({ ok: false, timedOut: true, exitCode: null, signal: 'SIGKILL', stdoutTail: 'started\n' });
    expect(r.reason).toBe("timed out: still running after 1 s (the spec's timeoutSeconds); killed");
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(leftoverCgroups()).toEqual([]);
  });

  test('probe: system calls no job needs are refused with EPERM by the seccomp filter; others work', async () => {
    if (process.arch !== 'x64' && process.arch !== 'arm64') return;
    expect(runner.capabilities.seccomp).toMatchObject({ ok: true });
    const nr = (name: string) => DENIED_SYSCALLS[name]![process.arch as 'x64' | 'arm64']!;
    // Without the filter these answer EINVAL, EFAULT or a descriptor (a host check: keyctl 22,
    // io_uring_setup 14, bpf 22, userfaultfd a fd, perf_event_open 14): only the filter says EPERM (1).
    const denied = ['keyctl', 'io_uring_setup', 'bpf', 'userfaultfd', 'perf_event_open', 'add_key', 'unshare'].map(nr);
    const getpid = process.arch === 'x64' ? 39 : 172;
    const perl = `perl -e 'for my $n (@ARGV) { local $! = 0; my $r = syscall($n, 0, 0, 0, 0, 0); print "$n:", ($r == -1 ? $!+0 : "ok"), "\\n" }'`;
    const r = await job({ script: `${perl} ${[...denied, getpid].join(' ')}` });
    expect(r.ok).toBe(true);
    expect(r.stdoutTail).toBe([...denied.map((n) => `${n}:1`), `${getpid}:ok`].join('\n') + '\n');

    if (process.arch === 'x64') {
      // getpid through the x32 ABI: another ABI's numbering is not filtered, so the process dies.
      const x32 = await job({ script: `perl -e 'syscall(${0x40000000 + 39}); print "alive\\n"'; echo "status $?"` });
      expect(x32.stdoutTail).toBe('status 159\n'); // 128 + SIGSYS
    }
  });

  test('probe: filling /out past resources.outputMiB stops the job then, not at its timeout', async () => {
    const started = Date.now();
    // 1 MiB a write, forever: the limit is 2 MiB, the timeout a minute.
    const r = await job({ script: 'i=0; while :; do head -c 1048576 /dev/zero > /out/part$i; i=$((i+1)); done', resources: { outputMiB: 2, timeoutSeconds: 60 } });
    expect(r).toMatchObject({ ok: false, outputLimitHit: true, timedOut: false, exitCode: null, signal: 'SIGKILL' });
    expect(r.reason).toBe('output too large: /out held more than its 2 MiB (resources.outputMiB) while the job ran; killed');
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(leftoverCgroups()).toEqual([]);
  });

  test('probe: creating files in /out without end is stopped at the entry limit', async () => {
    const small = await SandboxRunner.create({ workDir: root, maxOutputEntries: 500 });
    const parsed = parseSpec({ version: 1, script: 'i=0; while :; do : > /out/f$i; i=$((i+1)); done', resources: { timeoutSeconds: 60 } });
    if (!parsed.ok) throw new Error(parsed.reason);
    const r = await small.run({ name: 'entries', spec: parsed.spec, jobDir: mkdtempSync(join(root, 'entries-')), inputs: [] });
    expect(r).toMatchObject({ ok: false, outputLimitHit: true, timedOut: false });
    expect(r.reason).toBe('too many outputs: /out held more than 500 files and directories while the job ran; killed');
  });

  test('behavior: a job that stays within resources.outputMiB is not stopped', async () => {
    const r = await job({ script: 'head -c 1048576 /dev/zero > /out/a; sleep 2.5; echo done', resources: { outputMiB: 2 } });
    expect(r).toMatchObject({ ok: true, outputLimitHit: false, stdoutTail: 'done\n' });
  });

  test('behavior: aborting the signal cancels a running job', async () => {
    const parsed = parseSpec({ version: 1, script: 'sleep 60' });
    if (!parsed.ok) throw new Error(parsed.reason);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const r = await runner.run({ name: 'cancel', spec: parsed.spec, jobDir: mkdtempSync(join(root, 'cancel-')), inputs: [], signal: controller.signal });
    expect(r).toMatchObject({ ok: false, cancelled: true, reason: 'cancelled: the worker stopped the job' });
  });

  test('behavior: a CPU job finds the GPU driver libraries masked', async () => {
    // A stand-in "driver library" that exists on every host: the job must see it empty.
    const fakeGpuHost = { gpuNodes: [], controlNodes: [], libraries: [{ path: '/usr/bin/env', realPath: '/usr/bin/env' }], containerLibraries: [] };
    const masked = await SandboxRunner.create({ workDir: root, gpuHost: fakeGpuHost });
    const parsed = parseSpec({ version: 1, script: 'test -s /usr/bin/env && echo visible || echo masked; ls /dev | grep -c nvidia' });
    if (!parsed.ok) throw new Error(parsed.reason);
    const r = await masked.run({ name: 'mask', spec: parsed.spec, jobDir: mkdtempSync(join(root, 'mask-')), inputs: [] });
    expect(r.stdoutTail).toBe('masked\n0\n');
    const gpuJob = parseSpec({ version: 1, command: ['true'], resources: { gpus: 1 } });
    if (!gpuJob.ok) throw new Error(gpuJob.reason);
    await expect(masked.run({ name: 'gpu', spec: gpuJob.spec, jobDir: mkdtempSync(join(root, 'gpu-')), inputs: [] })).rejects.toThrow('the job asks for 1 GPUs; this machine has 0');
  });

  test('error: without bubblewrap the worker refuses to run jobs unless unsafe', async () => {
    await expect(SandboxRunner.create({ workDir: root, bwrapPath: join(root, 'no-bwrap') })).rejects.toThrow(
      'SANDBOX_UNAVAILABLE: refusing to run jobs: no sandbox: bubblewrap (bwrap) is not installed; install it (e.g. apt-get install bubblewrap). Fix this, or start the worker with the unsafe flag',
    );
    const unsafe = await SandboxRunner.create({ workDir: root, bwrapPath: join(root, 'no-bwrap'), unsafe: true });
    expect(unsafe.capabilities.warnings[0]).toMatch(/^unsafe mode: no sandbox: bubblewrap \(bwrap\) is not installed/);
    const parsed = parseSpec({ version: 1, script: 'echo unsandboxed > result.txt; env | grep -c LOOM_ || true' });
    if (!parsed.ok) throw new Error(parsed.reason);
    const r = await unsafe.run({ name: 'unsafe', spec: parsed.spec, jobDir: mkdtempSync(join(root, 'unsafe-')), inputs: [] });
    expect(r).toMatchObject({ ok: true, stdoutTail: '0\n' });
    expect(r.enforced.sandbox).toBe(false);
    expect(readFileSync(join(r.outDir, 'result.txt'), 'utf8')).toBe('unsandboxed\n');
  });
});
