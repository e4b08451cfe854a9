import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { hexToString, zeroHash } from 'viem';
import { afterAll, describe, expect, test } from 'vitest';
import { claimFor, detectHardware, gpuModelToBytes32, parseNvidiaSmi } from './hardware';

const host = { cpuCores: 16, ramMiB: 128_000 };

describe('parseNvidiaSmi', () => {
  test('default: one H100', () => {
    expect(parseNvidiaSmi('NVIDIA H100 80GB HBM3, 81559\n')).toEqual([{ index: 0, name: 'NVIDIA H100 80GB HBM3', memoryMiB: 81559 }]);
  });

  test('behavior: eight GPUs, CRLF and blank lines', () => {
    const out = Array.from({ length: 8 }, () => 'NVIDIA A100-SXM4-80GB, 81920').join('\r\n') + '\r\n\r\n';
    const gpus = parseNvidiaSmi(out);
    expect(gpus).toHaveLength(8);
    expect(gpus[7]).toEqual({ index: 7, name: 'NVIDIA A100-SXM4-80GB', memoryMiB: 81920 });
  });

  test('behavior: unreadable memory counts as 0 MiB', () => {
    expect(parseNvidiaSmi('NVIDIA GeForce RTX 4090, [N/A]\nTesla T4\n')).toEqual([
      { index: 0, name: 'NVIDIA GeForce RTX 4090', memoryMiB: 0 },
      { index: 1, name: 'Tesla T4', memoryMiB: 0 },
    ]);
    expect(parseNvidiaSmi('')).toEqual([]);
  });
});

describe('claimFor', () => {
  test('default: a homogeneous machine', () => {
    const claim = claimFor(parseNvidiaSmi('NVIDIA H100 80GB HBM3, 81559\nNVIDIA H100 80GB HBM3, 81559\n'), host, { pricePerGpuHour: 2_000_000n, metadataURI: 'https://w.example' });
    expect(claim).toEqual({ gpuModel: gpuModelToBytes32('NVIDIA H100 80GB HBM3'), gpuCount: 2, vramMiB: 81559, cpuCores: 16, ramMiB: 128_000, pricePerGpuHour: 2_000_000n, metadataURI: 'https://w.example' });
    expect(hexToString(claim.gpuModel, { size: 32 })).toBe('NVIDIA H100 80GB HBM3');
  });

  test('behavior: a mixed machine claims its largest group at that group’s smallest VRAM', () => {
    const claim = claimFor(parseNvidiaSmi('Tesla T4, 15360\nNVIDIA L4, 23034\nNVIDIA L4, 22000\n'), host);
    expect(claim).toMatchObject({ gpuModel: gpuModelToBytes32('NVIDIA L4'), gpuCount: 2, vramMiB: 22000 });
  });

  test('behavior: CPU-only machines claim no GPU', () => {
    expect(claimFor([], host)).toMatchObject({ gpuModel: zeroHash, gpuCount: 0, vramMiB: 0, cpuCores: 16 });
  });

  test('behavior: long model names are cut to 32 bytes', () => {
    const hex = gpuModelToBytes32('NVIDIA GeForce RTX 4090 Laptop GPU');
    expect(hex).toHaveLength(66);
    expect(hexToString(hex, { size: 32 })).toBe('NVIDIA GeForce RTX 4090 Laptop G');
  });
});

describe('detectHardware', () => {
  const dir = mkdtempSync(join(os.tmpdir(), 'loom-hw-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('default: without nvidia-smi the machine is CPU-only', async () => {
    const hw = await detectHardware({ nvidiaSmi: join(dir, 'no-such-nvidia-smi') });
    expect(hw.gpus).toEqual([]);
    expect(hw.warning).toBeUndefined();
    expect(hw.claim).toMatchObject({ gpuModel: zeroHash, gpuCount: 0, cpuCores: os.availableParallelism(), ramMiB: Math.floor(os.totalmem() / 2 ** 20) });
  });

  test('behavior: reads a (fake) nvidia-smi', async () => {
    const fake = join(dir, 'nvidia-smi');
    writeFileSync(fake, '#!/bin/sh\n[ "$1" = "--query-gpu=name,memory.total" ] || exit 9\necho "NVIDIA H200, 143771"\n');
    chmodSync(fake, 0o755);
    const hw = await detectHardware({ nvidiaSmi: fake });
    expect(hw.claim).toMatchObject({ gpuModel: gpuModelToBytes32('NVIDIA H200'), gpuCount: 1, vramMiB: 143771 });
  });

  test('error: a failing nvidia-smi is CPU-only, with a warning', async () => {
    const broken = join(dir, 'broken-smi');
    writeFileSync(broken, '#!/bin/sh\necho "NVIDIA-SMI has failed because it couldn\'t communicate with the NVIDIA driver" >&2\nexit 9\n');
    chmodSync(broken, 0o755);
    const hw = await detectHardware({ nvidiaSmi: broken });
    expect(hw.claim.gpuCount).toBe(0);
    expect(hw.warning).toMatch(/couldn't communicate with the NVIDIA driver/);
  });
});
