import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { skipSandboxTests } from '../test/sandboxAvailability';
import { type CgroupSupport, JobCgroup, detectCgroupSupport } from './jobCgroup';

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
});
