/**
 * Removes the cgroups a crashed worker left for a job it is about to run again. The sandbox names a
 * job's cgroup `job-<first 16 hex digits of the job id>-<random>`; only those of the given jobs are
 * touched, so other workers sharing the parent cgroup keep theirs. (bwrap dies with the worker, so
 * these groups are normally empty; any process left in one is killed.)
 *
 * `leaveBusy`: remove only empty groups. For a replicated job, which several workers on one machine
 * may each run (a slot each), a group with processes in it may be another worker's run.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type CgroupSupport, JobCgroup } from '../sandbox/jobCgroup';

export async function sweepJobCgroups(support: CgroupSupport, jobId: string, options: { leaveBusy?: boolean } = {}): Promise<string[]> {
  if (!support.ok) return [];
  const prefix = `job-${jobId.replace(/^0x/, '').slice(0, 16)}-`;
  const parents = support.parents;
  const names = new Set<string>();
  for (const parent of new Set(Object.values(parents))) {
    for (const e of await readdir(parent, { withFileTypes: true }).catch(() => [])) if (e.isDirectory() && e.name.startsWith(prefix)) names.add(e.name);
  }
  const removed: string[] = [];
  for (const name of names) {
    const dirs = Object.fromEntries(Object.entries(parents).map(([c, p]) => [c, join(p, name)])) as typeof parents;
    const group = JobCgroup.attach(support.version, dirs);
    if (options.leaveBusy && (await group.pids()).length > 0) continue;
    await group.destroy();
    removed.push(name);
  }
  return removed;
}
