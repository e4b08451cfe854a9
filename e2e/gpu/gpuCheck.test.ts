/**
 * The GPU check's plumbing, run here as on a GPU machine: its image built by prepare.ts (umoci, gcc),
 * served from its OCI layout on loopback, pulled by the worker's image store and run in the sandbox.
 * This machine has no GPU, so the GPU checks must say "skipped" (and "failed" when a GPU is
 * required), while the CPU checks run for real: a job in the image sees the image's userspace and
 * no GPU, and so does a job in host mode.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { tempDir } from '../../testkit/tempDir';
import { runGpuCheck } from './gpuCheck';
import { buildCheckImage } from './prepare';

const hasGpu = existsSync('/dev/nvidia0');
let layoutDir: string;

beforeAll(async () => {
  layoutDir = join(tempDir('gpu-check'), 'image');
  await buildCheckImage(layoutDir);
}, 120_000);

describe('the GPU check', () => {
  test('runs the CPU checks in the image and on the host, and says what it skipped', async () => {
    const report = await runGpuCheck({ layoutDir, workDir: tempDir('gpu-check-work') });
    const status = Object.fromEntries(report.checks.map((c) => [c.name, c.status]));
    const gpuStatus = hasGpu ? 'passed' : 'skipped';
    expect(status).toEqual({ hardware: gpuStatus, 'host-gpu': gpuStatus, 'image-gpu': gpuStatus, 'image-cpu': 'passed', 'host-cpu': 'passed' });
    expect(report.ok).toBe(true);
    const imageCpu = report.checks.find((c) => c.name === 'image-cpu')!;
    expect(imageCpu.detail.inImage).toBe(true);
    expect((imageCpu.detail.run as { stdout: string }).stdout).toContain('no-gpu-visible');
  }, 180_000);

  test.runIf(!hasGpu)('fails where a GPU is required and there is none', async () => {
    const report = await runGpuCheck({ layoutDir, workDir: tempDir('gpu-check-work'), requireGpu: true });
    expect(report.ok).toBe(false);
    expect(report.checks.filter((c) => c.status === 'failed').map((c) => c.name)).toEqual(['hardware', 'host-gpu', 'image-gpu']);
  }, 180_000);
});
