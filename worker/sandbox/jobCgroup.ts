/**
 * Per-job resource limits with cgroups. bubblewrap sets none, so a job gets its own cgroup with
 * memory (swap included), process-count and CPU limits, and its processes join it before the job's
 * first instruction: the launcher (launchCommand.ts) writes its own pid into `cgroup.procs` and
 * only then execs bwrap, so every process of the job is born inside the limits.
 *
 * Both layouts are handled:
 * - cgroup v1 (one hierarchy per controller, e.g. /sys/fs/cgroup/{memory,pids,cpu}): the job's
 *   directory is created in each, under the worker's own cgroup of that controller.
 * - cgroup v2 (one unified hierarchy): the job's directory is created under the worker's own
 *   cgroup, after enabling the controllers there (which v2 allows only in a cgroup without
 *   processes, so the worker first moves itself into a `loom-worker` leaf if it has to).
 *
 * Job cgroups are nested under the worker's own, so whatever limits the worker runs under also
 * bound its jobs.
 */
import { mkdir, readFile, rmdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export type CgroupLimits = {
  memoryBytes: number;
  pids: number;
  /** CPU share in cores; 1.5 = one and a half cores of time per period. */
  cpus: number;
};

export type CgroupStats = {
  /** Processes the kernel OOM killer killed in this cgroup. */
  oomKills: number;
  /** Times an allocation hit the memory limit (reclaim, then OOM if reclaim failed). */
  memoryLimitHits: number;
  /** Times a fork or clone was refused by the pids limit. */
  pidsLimitHits: number;
  /** Highest memory use seen, when the kernel reports it. */
  peakMemoryBytes?: number;
};

export type CgroupSupport =
  | {
      ok: true;
      version: 1 | 2;
      parents: Record<Controller, string>;
      /** False when swap exists and the kernel cannot limit it (no swap accounting): swap can stretch the memory limit. */
      swapLimited: boolean;
    }
  | { ok: false; reason: string };

type Controller = 'memory' | 'pids' | 'cpu';
const controllers: Controller[] = ['memory', 'pids', 'cpu'];
const CPU_PERIOD_US = 100_000;

/** One job's cgroup. Create it with {@link JobCgroup.create}; always {@link JobCgroup.destroy} it. */
export class JobCgroup {
  /** Whether swap is limited too (memsw on v1, memory.swap.max on v2); false when the kernel has no swap accounting. */
  swapLimited = false;

  private constructor(
    readonly version: 1 | 2,
    /** The job's directory in each controller (all the same path on v2). */
    readonly dirs: Record<Controller, string>,
  ) {}

  /** A handle on an existing job cgroup (a killed run's, see daemon/sweepJobCgroups.ts). */
  static attach(version: 1 | 2, dirs: Record<Controller, string>): JobCgroup {
    return new JobCgroup(version, dirs);
  }

  /** The files the launcher writes its pid into, one per distinct directory. */
  get procsFiles(): string[] {
    return [...new Set(Object.values(this.dirs))].map((d) => join(d, 'cgroup.procs'));
  }

  /** Creates the job's cgroup under the worker's own and writes the limits. */
  static async create(support: Extract<CgroupSupport, { ok: true }>, name: string, limits: CgroupLimits): Promise<JobCgroup> {
    if (!/^[A-Za-z0-9._-]{1,100}$/.test(name)) throw new Error(`invalid cgroup name ${name}`);
    const dirs = Object.fromEntries(controllers.map((c) => [c, join(support.parents[c], name)])) as Record<Controller, string>;
    const cg = new JobCgroup(support.version, dirs);
    try {
      for (const dir of new Set(Object.values(dirs))) await mkdir(dir, { recursive: true });
      await cg.writeLimits(limits);
    } catch (err) {
      await cg.destroy().catch(() => {});
      throw err;
    }
    return cg;
  }

  private async writeLimits(l: CgroupLimits): Promise<void> {
    const memory = String(Math.floor(l.memoryBytes));
    const quota = Math.max(1000, Math.round(l.cpus * CPU_PERIOD_US));
    if (this.version === 1) {
      await writeFile(join(this.dirs.memory, 'memory.limit_in_bytes'), memory);
      // memsw = memory + swap: the same value means no swap at all, so swap cannot stretch the limit.
      this.swapLimited = await writeIfPresent(join(this.dirs.memory, 'memory.memsw.limit_in_bytes'), memory);
      await writeFile(join(this.dirs.pids, 'pids.max'), String(l.pids));
      await writeFile(join(this.dirs.cpu, 'cpu.cfs_period_us'), String(CPU_PERIOD_US));
      await writeFile(join(this.dirs.cpu, 'cpu.cfs_quota_us'), String(quota));
    } else {
      const dir = this.dirs.memory;
      await writeFile(join(dir, 'memory.max'), memory);
      this.swapLimited = await writeIfPresent(join(dir, 'memory.swap.max'), '0');
      // Without this the OOM killer may kill one process of the job and leave the rest running.
      await writeFile(join(dir, 'memory.oom.group'), '1').catch(() => {});
      await writeFile(join(dir, 'pids.max'), String(l.pids));
      await writeFile(join(dir, 'cpu.max'), `${quota} ${CPU_PERIOD_US}`);
    }
  }

  /** What the kernel counted for this job; read before {@link destroy}. */
  async stats(): Promise<CgroupStats> {
    if (this.version === 1) {
      const oom = keyed(await readOr(join(this.dirs.memory, 'memory.oom_control')));
      const peak = Number(await readOr(join(this.dirs.memory, 'memory.max_usage_in_bytes')));
      return {
        oomKills: oom.oom_kill ?? 0,
        memoryLimitHits: Number(await readOr(join(this.dirs.memory, 'memory.failcnt'), '0')),
        pidsLimitHits: keyed(await readOr(join(this.dirs.pids, 'pids.events'))).max ?? 0,
        ...(Number.isFinite(peak) && peak > 0 ? { peakMemoryBytes: peak } : {}),
      };
    }
    const events = keyed(await readOr(join(this.dirs.memory, 'memory.events')));
    const peak = Number(await readOr(join(this.dirs.memory, 'memory.peak')));
    return {
      oomKills: events.oom_kill ?? 0,
      memoryLimitHits: events.max ?? 0,
      pidsLimitHits: keyed(await readOr(join(this.dirs.pids, 'pids.events'))).max ?? 0,
      ...(Number.isFinite(peak) && peak > 0 ? { peakMemoryBytes: peak } : {}),
    };
  }

  /** The pids still in the job's cgroup (the pids controller sees every task). */
  async pids(): Promise<number[]> {
    const text = await readOr(join(this.dirs.pids, 'cgroup.procs'));
    return text
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map(Number);
  }

  /**
   * Kills every process in the job's cgroup and waits until it is empty. On v2 `cgroup.kill` does it
   * atomically; otherwise each pass SIGKILLs what is listed, and the pids limit bounds how many a
   * fork loop can make between passes.
   */
  async killAll(timeoutMs = 10_000): Promise<boolean> {
    if (this.version === 2) await writeFile(join(this.dirs.pids, 'cgroup.kill'), '1').catch(() => {});
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const pids = await this.pids();
      if (pids.length === 0) return true;
      if (Date.now() > deadline) return false;
      for (const pid of pids) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
      await sleep(20);
    }
  }

  /** Kills what is left and removes the directories. */
  async destroy(): Promise<void> {
    await this.killAll().catch(() => false);
    for (const dir of new Set(Object.values(this.dirs))) {
      // A cgroup whose last task just died can stay busy for a moment.
      for (let i = 0; i < 50; i++) {
        try {
          await rmdir(dir);
          break;
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code;
          if (code === 'ENOENT') break;
          if (code !== 'EBUSY' || i === 49) throw err;
          await sleep(20);
        }
      }
    }
  }
}

/**
 * Finds where this process may create job cgroups, and checks it can (creates and removes a probe
 * group). `parent` overrides the location: a path relative to the cgroup mount (each controller's
 * mount on v1), e.g. a directory the operator created and handed to an unprivileged worker
 * (`mkdir /sys/fs/cgroup/memory/loom && chown -R worker /sys/fs/cgroup/memory/loom`, likewise
 * for pids and cpu: parent "/loom").
 */
export async function detectCgroupSupport(options: { parent?: string } = {}): Promise<CgroupSupport> {
  let mounts: Mount[];
  let own: Map<string, string>;
  try {
    mounts = parseMountinfo(await readFile('/proc/self/mountinfo', 'utf8'));
    own = parseProcCgroup(await readFile('/proc/self/cgroup', 'utf8'));
  } catch (err) {
    return { ok: false, reason: `cannot read /proc/self/mountinfo or /proc/self/cgroup: ${(err as Error).message}` };
  }

  const v1 = Object.fromEntries(controllers.map((c) => [c, mounts.find((m) => m.fstype === 'cgroup' && m.superOptions.split(',').includes(c))]));
  const v2 = mounts.find((m) => m.fstype === 'cgroup2');
  let support: CgroupSupport;
  if (controllers.every((c) => v1[c] !== undefined)) {
    const parents = {} as Record<Controller, string>;
    for (const c of controllers) {
      const m = v1[c]!;
      parents[c] = join(m.mountPoint, options.parent ?? join(relativeTo(m.root, own.get(c) ?? '/'), 'loom'));
    }
    support = { ok: true, version: 1, parents, swapLimited: true };
  } else if (v2 !== undefined) {
    const base = join(v2.mountPoint, options.parent ?? relativeTo(v2.root, own.get('') ?? '/'));
    const enabled = await enableV2Controllers(base);
    if (!enabled.ok) return enabled;
    support = { ok: true, version: 2, parents: { memory: base, pids: base, cpu: base }, swapLimited: true };
  } else {
    return { ok: false, reason: 'no cgroup hierarchy with the memory, pids and cpu controllers is mounted' };
  }

  // Prove it: create a probe group, set limits, remove it.
  try {
    const probe = await JobCgroup.create(support, `probe-${process.pid}`, { memoryBytes: 64 * 2 ** 20, pids: 16, cpus: 1 });
    await probe.destroy();
    support.swapLimited = probe.swapLimited || (await noSwap());
  } catch (err) {
    const dirs = [...new Set(Object.values(support.parents))].join(', ');
    return { ok: false, reason: `cannot create job cgroups under ${dirs}: ${(err as Error).message}` };
  }
  return support;
}

async function enableV2Controllers(base: string): Promise<{ ok: true } | { ok: false; reason: string }> {
  const want = async () => {
    const available = (await readOr(join(base, 'cgroup.controllers'))).split(/\s+/);
    const missing = controllers.filter((c) => !available.includes(c));
    if (missing.length > 0) return `the cgroup ${base} does not offer ${missing.join(', ')}`;
    const enabled = (await readOr(join(base, 'cgroup.subtree_control'))).split(/\s+/);
    const toEnable = controllers.filter((c) => !enabled.includes(c));
    if (toEnable.length > 0) await writeFile(join(base, 'cgroup.subtree_control'), toEnable.map((c) => `+${c}`).join(' '));
    return undefined;
  };
  try {
    const problem = await want();
    return problem === undefined ? { ok: true } : { ok: false, reason: problem };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EBUSY') return { ok: false, reason: `cannot enable cgroup controllers in ${base}: ${(err as Error).message}` };
  }
  // v2's "no internal processes" rule: move the worker's processes into a leaf, then retry.
  try {
    const leaf = join(base, 'loom-worker');
    await mkdir(leaf, { recursive: true });
    for (const pid of (await readOr(join(base, 'cgroup.procs'))).split('\n').filter(Boolean)) {
      await writeFile(join(leaf, 'cgroup.procs'), pid).catch(() => {});
    }
    const problem = await want();
    return problem === undefined ? { ok: true } : { ok: false, reason: problem };
  } catch (err) {
    return { ok: false, reason: `cannot enable cgroup controllers in ${base} (it has processes that cannot be moved): ${(err as Error).message}` };
  }
}

/** True when the machine has no swap, so a missing swap limit does not matter. */
async function noSwap(): Promise<boolean> {
  return (await readOr('/proc/swaps')).trim().split('\n').length <= 1;
}

type Mount = { root: string; mountPoint: string; fstype: string; superOptions: string };

/** /proc/self/mountinfo: "id parent maj:min root mountpoint opts [optional...] - fstype source superopts". */
function parseMountinfo(text: string): Mount[] {
  const mounts: Mount[] = [];
  for (const line of text.split('\n')) {
    const dash = line.indexOf(' - ');
    if (dash < 0) continue;
    const left = line.slice(0, dash).split(' ');
    const right = line.slice(dash + 3).split(' ');
    mounts.push({ root: unescapeMount(left[3] ?? '/'), mountPoint: unescapeMount(left[4] ?? ''), fstype: right[0] ?? '', superOptions: right[2] ?? '' });
  }
  return mounts;
}

function unescapeMount(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
}

/** /proc/self/cgroup: "id:controllers:path"; v2 is "0::path" (key ''). */
function parseProcCgroup(text: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^\d+:([^:]*):(.*)$/.exec(line);
    if (!m) continue;
    map.set(m[1]!, m[2]!);
    for (const c of m[1]!.split(',')) if (c !== '') map.set(c, m[2]!);
  }
  return map;
}

/** A cgroup path as seen inside a mount whose root is `root` (inside a cgroup namespace or bind mount). */
function relativeTo(root: string, path: string): string {
  if (root === '/' || root === '') return path;
  return path.startsWith(root) ? path.slice(root.length) || '/' : path;
}

/** Writes a control file; false when the kernel does not have it. */
async function writeIfPresent(path: string, value: string): Promise<boolean> {
  try {
    await writeFile(path, value);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}

async function readOr(path: string, fallback = ''): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return fallback;
  }
}

/** "key value" lines (memory.oom_control, memory.events, pids.events) as numbers. */
function keyed(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const [k, v] = line.trim().split(/\s+/);
    if (k && v !== undefined && /^\d+$/.test(v)) out[k] = Number(v);
  }
  return out;
}
