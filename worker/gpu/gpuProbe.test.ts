import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parseGpuProbe, probeGpus } from './gpuProbe';

/** A stand-in nvidia-smi: a real script that prints `output`, or fails, or hangs. */
function fakeSmi(body: string): string {
  const dir = mkdtempSync(join(os.tmpdir(), 'loom-smi-'));
  const path = join(dir, 'nvidia-smi');
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

describe('GPU probe', () => {
  test('default: parses each GPU, [N/A] as null, a name with a comma whole', () => {
    expect(parseGpuProbe('0, GPU-a, NVIDIA H100 80GB HBM3, 37, 1024, 81559, 41, 0\n1, GPU-b, Tesla, V100, [N/A], 10, 16384, 38, [N/A]\n')).toEqual([
      { index: 0, uuid: 'GPU-a', name: 'NVIDIA H100 80GB HBM3', utilizationPct: 37, memoryUsedMiB: 1024, memoryTotalMiB: 81559, temperatureC: 41, uncorrectedErrors: 0 },
      { index: 1, uuid: 'GPU-b', name: 'Tesla, V100', utilizationPct: null, memoryUsedMiB: 10, memoryTotalMiB: 16384, temperatureC: 38, uncorrectedErrors: null },
    ]);
  });

  test('behavior: a CPU-only worker is not probed ("none"); a healthy GPU passes', async () => {
    expect(await probeGpus({ nvidiaSmi: '/nonexistent', timeoutMs: 1000, expectedGpus: 0 })).toEqual({ status: 'none' });
    const ok = await probeGpus({ nvidiaSmi: fakeSmi("echo '0, GPU-a, NVIDIA H100, 5, 10, 81559, 30, 0'"), timeoutMs: 5000, expectedGpus: 1 });
    expect(ok).toMatchObject({ status: 'ok', gpus: [{ index: 0, utilizationPct: 5 }] });
  });

  test('error: a failing, hanging, shrunken or erroring GPU fails the probe, saying why', async () => {
    const failing = await probeGpus({ nvidiaSmi: fakeSmi("echo 'Unable to determine the device handle for GPU0000:01:00.0: Unknown Error' >&2; exit 15"), timeoutMs: 5000, expectedGpus: 1 });
    expect(failing).toEqual({ status: 'failed', error: expect.stringContaining('Unknown Error') });
    const hanging = await probeGpus({ nvidiaSmi: fakeSmi('sleep 30'), timeoutMs: 300, expectedGpus: 1 });
    expect(hanging).toEqual({ status: 'failed', error: expect.stringContaining('did not answer') });
    const lost = await probeGpus({ nvidiaSmi: fakeSmi("echo '0, GPU-a, NVIDIA H100, 5, 10, 81559, 30, 0'"), timeoutMs: 5000, expectedGpus: 2 });
    expect(lost).toEqual({ status: 'failed', error: 'nvidia-smi lists 1 GPUs, the worker started with 2' });
    const ecc = await probeGpus({ nvidiaSmi: fakeSmi("echo '0, GPU-a, NVIDIA H100, 5, 10, 81559, 30, 3'"), timeoutMs: 5000, expectedGpus: 1 });
    expect(ecc).toEqual({ status: 'failed', error: 'uncorrected ECC errors on GPU 0 (3)' });
  });
});
