/**
 * The worker's record of a run, packed into the result bundle as `.loom/run.json`: the image the
 * job ran in (its reference and the manifest digest pulled for this platform) and the GPUs it was
 * given (index on the host, UUID, name, from hardware detection). It says what the job ran on; a
 * client checking a result, or disputing it, reads it there.
 *
 * A job that printed something (and ran with its log kept: executeJob's `log`) has its output in
 * `.loom/logs/` and listed here under `logs` (path, bytes, sha256 per stream).
 *
 * A CPU job in host mode that printed nothing has nothing to record, so its bundle is exactly the packed outputs, as
 * before images existed (the same outputs give the same result hash). The record holds only facts
 * of the run (no times, no host names): the same outputs and the same record give the same bytes.
 * GPU UUIDs differ between machines, so a GPU job's bundle names the worker's own GPUs; a replicated
 * job's does not (executeJob's `recordGpus`), since its replicas must agree byte for byte.
 */
import type { Gpu } from './hardware';
import type { LogRecord } from './logs/liveLog';

export const RUN_RECORD_PATH = '.loom/run.json';

export type GpuRecord = { index: number; uuid?: string; name: string };

export type RunRecord = {
  /** The job's image: absent in host mode; `manifestDigest` once it is known (after the pull). */
  image?: { reference: string; manifestDigest?: string };
  gpus: GpuRecord[];
  /** The job's output, kept in the bundle (`.loom/logs/`, worker/logs/liveLog.ts): each file's size and sha256. */
  logs?: LogRecord;
};

/**
 * The GPUs given to a job, as detection lists them, by the indices assigned.
 * @example
 * gpusGiven(hardware.gpus, [1]) // [{ index: 1, uuid: 'GPU-5c2e…', name: 'NVIDIA H100 80GB HBM3' }]
 */
export function gpusGiven(gpus: Gpu[], indices: number[]): GpuRecord[] {
  return indices.map((index) => {
    const g = gpus.find((x) => x.index === index);
    return { index, ...(g?.uuid ? { uuid: g.uuid } : {}), name: g?.name ?? '' };
  });
}

/** The record as a file to pack, or undefined when there is nothing to record (a CPU job in host mode). */
export function runRecordFile(r: RunRecord): { path: string; content: string } | undefined {
  if (r.image === undefined && r.gpus.length === 0 && r.logs === undefined) return undefined;
  const record = {
    loom: 'job-run',
    version: 1,
    ...(r.image ? { image: { reference: r.image.reference, ...(r.image.manifestDigest ? { manifestDigest: r.image.manifestDigest } : {}) } } : {}),
    gpus: r.gpus.map((g) => ({ index: g.index, ...(g.uuid ? { uuid: g.uuid } : {}), name: g.name })),
    ...(r.logs ? { logs: r.logs } : {}),
  };
  return { path: RUN_RECORD_PATH, content: `${JSON.stringify(record, null, 2)}\n` };
}
