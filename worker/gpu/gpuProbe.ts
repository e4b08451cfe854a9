/**
 * The GPU health probe behind each heartbeat: `nvidia-smi --query-gpu=... --format=csv` under a
 * timeout (a hung driver is killed with its process group, as at start: hardware.ts runBounded).
 * A machine without GPUs is not probed: its report is `none`. On a GPU machine the probe fails when
 * nvidia-smi fails, hangs, lists fewer GPUs than the worker started with, or reports uncorrected
 * ECC errors; the daemon then takes no GPU jobs and marks itself unavailable on-chain until it passes
 * (heartbeat.ts).
 */
import type { GpuReport, GpuState } from '../../sdk/node/workerHeartbeat';
import { runBounded } from '../hardware';

export const GPU_PROBE_QUERY = [
  '--query-gpu=index,uuid,name,utilization.gpu,memory.used,memory.total,temperature.gpu,ecc.errors.uncorrected.volatile.total',
  '--format=csv,noheader,nounits',
];

const figure = (v: string | undefined): number | null => (v !== undefined && /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : null);

/**
 * Parses the probe's CSV: one line per GPU, "<index>, <uuid>, <name>, <util %>, <MiB used>,
 * <MiB total>, <°C>, <uncorrected ECC errors>". "[N/A]" (or anything not a number) reads as null.
 *
 * @example
 * parseGpuProbe('0, GPU-8c2f, NVIDIA H100 80GB HBM3, 37, 1024, 81559, 41, 0\n')
 * // [{ index: 0, uuid: 'GPU-8c2f', name: 'NVIDIA H100 80GB HBM3', utilizationPct: 37, memoryUsedMiB: 1024, memoryTotalMiB: 81559, temperatureC: 41, uncorrectedErrors: 0 }]
 */
export function parseGpuProbe(output: string): GpuState[] {
  const gpus: GpuState[] = [];
  for (const line of output.split(/\r?\n/)) {
    if (line.trim() === '') continue;
    const f = line.split(',').map((x) => x.trim());
    if (f.length < 8) throw new Error(`unexpected nvidia-smi line: "${line.slice(0, 200)}"`);
    // The name is the only field that may hold a comma: whatever lies between the uuid and the five figures.
    const tail = f.slice(-5);
    gpus.push({
      index: /^\d+$/.test(f[0]!) ? Number(f[0]) : gpus.length,
      uuid: f[1]!,
      name: f.slice(2, -5).join(', '),
      utilizationPct: figure(tail[0]),
      memoryUsedMiB: figure(tail[1]),
      memoryTotalMiB: figure(tail[2]),
      temperatureC: figure(tail[3]),
      uncorrectedErrors: figure(tail[4]),
    });
  }
  return gpus;
}

export type GpuProbeOptions = {
  /** nvidia-smi's path (default: from PATH). */
  nvidiaSmi?: string;
  /** How long nvidia-smi may take (ms). */
  timeoutMs: number;
  /** GPUs found at start: 0 means a CPU-only worker, never probed. */
  expectedGpus: number;
};

/** Probes the GPUs once; never throws (a failure is a `failed` report saying why). */
export async function probeGpus(o: GpuProbeOptions): Promise<GpuReport> {
  if (o.expectedGpus === 0) return { status: 'none' };
  let gpus: GpuState[];
  try {
    gpus = parseGpuProbe(await runBounded(o.nvidiaSmi ?? 'nvidia-smi', GPU_PROBE_QUERY, o.timeoutMs));
  } catch (err) {
    const e = err as Error & { stderr?: string };
    return { status: 'failed', error: `nvidia-smi: ${(e.stderr?.trim() || e.message).slice(0, 500)}` };
  }
  if (gpus.length < o.expectedGpus) return { status: 'failed', error: `nvidia-smi lists ${gpus.length} GPUs, the worker started with ${o.expectedGpus}` };
  const bad = gpus.filter((g) => (g.uncorrectedErrors ?? 0) > 0);
  if (bad.length > 0) return { status: 'failed', error: `uncorrected ECC errors on GPU ${bad.map((g) => `${g.index} (${g.uncorrectedErrors})`).join(', ')}` };
  return { status: 'ok', gpus };
}
