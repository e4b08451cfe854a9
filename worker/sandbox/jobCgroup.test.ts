import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { skipSandboxTests } from '../test/sandboxAvailability';
import { type CgroupSupport, JobCgroup, detectCgroupSupport, sweepStaleJobCgroups } from './jobCgroup';

let support: CgroupSupport;
beforeAll(async () => {
  support = await detectCgroupSupport();
});

/** Reads a control file of the job's cgroup. */
const read = (dir: string, file: string) => readFileSync(join(dir, file), 'utf8').trim();

// Cgroup limits come with the sandbox: the same machines (and CI) must have both.
describe.skipIf(skipSandboxTests)('JobCgroup', () => {
  test('default: memory (swap included), pids and CPU limits are written, and destroy removes the group', async () => {
    if (!support.ok) throw new Error(support.reason);
    const cg = await JobCgroup.create(support, `job-unit-${process.pid}`, { memoryBytes: 96 * 2 ** 20, pids: 40, cpus: 0.5 });
    try {
      if (cg.version === 1) {
        expect(read(cg.dirs.memory, 'memory.limit_in_bytes')).toBe(String(96 * 2 ** 20));
        if (cg.swapLimited) expect(read(cg.dirs.memory, 'memory.memsw.limit_in_bytes')).toBe(String(96 * 2 ** 20));
        expect(read(cg.dirs.pids, 'pids.max')).toBe('40');
        expect(read(cg.dirs.cpu, 'cpu.cfs_quota_us')).toBe('50000');
        expect(read(cg.dirs.cpu, 'cpu.cfs_period_us')).toBe('100000');
      } else {
        expect(read(cg.dirs.memory, 'memory.max')).toBe(String(96 * 2 ** 20));
        expect(read(cg.dirs.pids, 'pids.max')).toBe('40');
        expect(read(cg.dirs.cpu, 'cpu.max')).toBe('50000 100000');
      }
      expect(await cg.stats()).toMatchObject({ oomKills: 0, memoryLimitHits: 0, pidsLimitHits: 0 });
    } finally {
      await cg.destroy();
    }
    expect(Object.values(cg.dirs).some((d) => existsSync(d))).toBe(false);
  });

  test('behavior: stale job groups from a crashed worker are killed and removed at start', async () => {
    // A parent of its own, so the sweep cannot touch another test run's jobs.
    const own = await detectCgroupSupport({ parent: `/loom-sweep-test-${process.pid}` });
    if (!own.ok) throw new Error(own.reason);
    const support = own;
    const cg = await JobCgroup.create(support, `job-stale-${process.pid}`, { memoryBytes: 64 * 2 ** 20, pids: 16, cpus: 1 });
    // A process left running in it, as after a crash.
    const sleeper = spawn('/bin/sh', ['-c', `for f in ${cg.procsFiles.join(' ')}; do echo $$ > $f; done; exec sleep 600`], { stdio: 'ignore' });
    const exited = new Promise((resolve) => sleeper.once('exit', resolve));
    for (let i = 0; i < 100 && (await cg.pids()).length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(await cg.pids()).toEqual([sleeper.pid]);
    expect(await sweepStaleJobCgroups(support)).toContain(`job-stale-${process.pid}`);
    await exited;
    expect(Object.values(cg.dirs).some((d) => existsSync(d))).toBe(false);
    for (const parent of new Set(Object.values(own.parents))) rmdirSync(parent);
  });
});
