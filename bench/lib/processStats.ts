/** What Linux says about a process of the bench's (`/proc`): CPU time and resident memory. */
import { readFileSync } from 'node:fs';

/**
 * A process's CPU time so far in ms, or with `mainThread` its main thread's alone (utime + stime at
 * USER_HZ = 100; NaN where /proc cannot say).
 */
export function cpuMsOf(pid: number | undefined, mainThread = false): number {
  try {
    const fields = readFileSync(mainThread ? `/proc/${pid}/task/${pid}/stat` : `/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return NaN;
  }
}

/** A process's resident memory in bytes (VmRSS). */
export function rssOf(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`no VmRSS for process ${pid}`);
  return Number(match[1]) * 1024;
}
