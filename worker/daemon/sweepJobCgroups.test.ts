import { spawn } from 'node:child_process';
import { existsSync, rmdirSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { JobCgroup, detectCgroupSupport } from '../sandbox/jobCgroup';
import { skipSandboxTests } from '../test/sandboxAvailability';
import { sweepJobCgroups } from './sweepJobCgroups';

// Cgroup limits come with the sandbox: the same machines (and CI) must have both.
describe.skipIf(skipSandboxTests)('sweepJobCgroups', () => {
  test('behavior: the job group a killed run left is killed and removed before the job runs again; other jobs keep theirs', async () => {
    // A parent of its own, so the sweep cannot touch another test run's jobs.
    const support = await detectCgroupSupport({ parent: `/loom-sweep-test-${process.pid}` });
    if (!support.ok) throw new Error(support.reason);
    const jobId = `0x${process.pid.toString(16).padStart(16, '0')}${'ab'.repeat(24)}`;
    const limits = { memoryBytes: 64 * 2 ** 20, pids: 16, cpus: 1 };
    // Named as the sandbox names a job's group: job-<first 16 hex digits of the id>-<random>.
    const stale = await JobCgroup.create(support, `job-${jobId.slice(2, 18)}-0badc0de`, limits);
    const other = await JobCgroup.create(support, `job-${'f'.repeat(16)}-0badc0de`, limits);
    try {
      // A process left running in it, as after a crash.
      const sleeper = spawn('/bin/sh', ['-c', `for f in ${stale.procsFiles.join(' ')}; do echo $$ > $f; done; exec sleep 600`], { stdio: 'ignore' });
      const exited = new Promise((resolve) => sleeper.once('exit', resolve));
      for (let i = 0; i < 100 && (await stale.pids()).length === 0; i++) await new Promise((r) => setTimeout(r, 10));
      expect(await stale.pids()).toEqual([sleeper.pid]);
      expect(await sweepJobCgroups(support, jobId)).toEqual([`job-${jobId.slice(2, 18)}-0badc0de`]);
      await exited;
      expect(Object.values(stale.dirs).some((d) => existsSync(d))).toBe(false);
      expect(Object.values(other.dirs).every((d) => existsSync(d))).toBe(true);
    } finally {
      await other.destroy();
      await stale.destroy().catch(() => {});
      for (const parent of new Set(Object.values(support.parents))) rmdirSync(parent);
    }
  });

  test('behavior: leaveBusy removes an empty group of the job and keeps one with processes in it (another worker\'s run of a replicated job)', async () => {
    const support = await detectCgroupSupport({ parent: `/loom-sweep-test-busy-${process.pid}` });
    if (!support.ok) throw new Error(support.reason);
    const jobId = `0x${process.pid.toString(16).padStart(16, '1')}${'cd'.repeat(24)}`;
    const limits = { memoryBytes: 64 * 2 ** 20, pids: 16, cpus: 1 };
    const empty = await JobCgroup.create(support, `job-${jobId.slice(2, 18)}-00000001`, limits);
    const busy = await JobCgroup.create(support, `job-${jobId.slice(2, 18)}-00000002`, limits);
    const sleeper = spawn('/bin/sh', ['-c', `for f in ${busy.procsFiles.join(' ')}; do echo $$ > $f; done; exec sleep 600`], { stdio: 'ignore' });
    try {
      for (let i = 0; i < 100 && (await busy.pids()).length === 0; i++) await new Promise((r) => setTimeout(r, 10));
      expect(await sweepJobCgroups(support, jobId, { leaveBusy: true })).toEqual([`job-${jobId.slice(2, 18)}-00000001`]);
      expect(Object.values(empty.dirs).some((d) => existsSync(d))).toBe(false);
      expect(await busy.pids()).toEqual([sleeper.pid]);
    } finally {
      await busy.destroy().catch(() => {});
      await empty.destroy().catch(() => {});
      for (const parent of new Set(Object.values(support.parents))) rmdirSync(parent);
    }
  });
});
