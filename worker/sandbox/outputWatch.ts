/**
 * Watches a job's output directory while the job runs. /out is a directory on the worker's own disk,
 * and `resources.outputMiB` is otherwise only checked when the outputs are packed, after the job: a
 * job could fill the disk (or its inodes) for as long as its timeout lets it. The watch measures
 * /out every interval and reports the first measure over a limit, so the runner stops the job then.
 *
 * What counts: every entry (file, directory, link) towards `maxEntries`, and each regular file's
 * larger of its length and its allocated blocks towards `maxBytes` (a sparse file would pack at its
 * length; a preallocated one takes its blocks of disk). Links are not followed. The walk stops as
 * soon as a limit is passed, so a measure costs at most `maxEntries` lstat calls. Between two
 * measures a job can still write what its disk bandwidth allows in one interval. A directory the
 * walk cannot read is skipped: with a root worker the job runs as another user and cannot hide one;
 * a worker running as an ordinary user shares its uid with the job, which could.
 */
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';

export type OutputLimits = { maxBytes: number; maxEntries: number };
export type OutputUsage = { bytes: number; entries: number; over: 'bytes' | 'entries' | null };

/** Measures `dir`, stopping at the first limit passed. Entries that vanish or cannot be read are skipped. */
export async function measureOutput(dir: string, limits: OutputLimits): Promise<OutputUsage> {
  const usage: OutputUsage = { bytes: 0, entries: 0, over: null };
  const pending = [dir];
  while (pending.length > 0 && usage.over === null) {
    const current = pending.pop()!;
    let names: string[];
    try {
      names = await readdir(current);
    } catch {
      continue; // removed meanwhile, or not readable: the pack reads what is there afterwards
    }
    for (const name of names) {
      const path = join(current, name);
      let st;
      try {
        st = await lstat(path);
      } catch {
        continue;
      }
      usage.entries++;
      if (st.isDirectory()) pending.push(path);
      else if (st.isFile()) usage.bytes += Math.max(st.size, st.blocks * 512);
      if (usage.entries > limits.maxEntries) usage.over = 'entries';
      else if (usage.bytes > limits.maxBytes) usage.over = 'bytes';
      if (usage.over !== null) break;
    }
  }
  return usage;
}

/**
 * Measures `dir` every `everyMs` until stopped; calls `onOver` once, with the measure, when a limit
 * is passed. A measure that is still running when the next is due is not doubled up. Returns stop.
 */
export function watchOutput(dir: string, limits: OutputLimits, onOver: (usage: OutputUsage) => void, everyMs = 1000): () => void {
  let stopped = false;
  let busy = false;
  const timer = setInterval(() => {
    if (busy || stopped) return;
    busy = true;
    measureOutput(dir, limits)
      .then((usage) => {
        if (usage.over !== null && !stopped) {
          stopped = true;
          clearInterval(timer);
          onOver(usage);
        }
      })
      .catch(() => {})
      .finally(() => {
        busy = false;
      });
  }, everyMs);
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}
