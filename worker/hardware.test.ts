import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { hexToString, zeroHash } from 'viem';
import { afterAll, describe, expect, test } from 'vitest';
import { waitFor } from '../testkit/waitFor';
import { claimFor, detectHardware, gpuModelToBytes32, parseCudaVersion, parseNvidiaSmi } from './hardware';

const host = { cpuCores: 16, ramMiB: 128_000 };

const UUID0 = 'GPU-8c2f5e4a-1b7d-4c3e-9f0a-2d6b8e1c4a70';
const UUID1 = 'GPU-1f0e9d8c-7b6a-5948-3726-15f4e3d2c1b0';
/** One line of `nvidia-smi --query-gpu=index,uuid,name,memory.total,driver_version --format=csv,noheader,nounits`. */
const line = (i: number, uuid: string, name: string, mib: string | number, driver = '550.54.15') => `${i}, ${uuid}, ${name}, ${mib}, ${driver}`;
const gpus = (out: string) => parseNvidiaSmi(out).gpus;

describe('parseNvidiaSmi', () => {
  test('default: one H100, with its UUID and the driver version', () => {
    expect(parseNvidiaSmi(`${line(0, UUID0, 'NVIDIA H100 80GB HBM3', 81559)}\n`)).toEqual({
      gpus: [{ index: 0, uuid: UUID0, name: 'NVIDIA H100 80GB HBM3', memoryMiB: 81559 }],
      driverVersion: '550.54.15',
    });
  });

  test('behavior: eight GPUs, CRLF and blank lines', () => {
    const out = Array.from({ length: 8 }, (_, i) => line(i, `GPU-${i}`, 'NVIDIA A100-SXM4-80GB', 81920)).join('\r\n') + '\r\n\r\n';
    expect(gpus(out)).toHaveLength(8);
    expect(gpus(out)[7]).toEqual({ index: 7, uuid: 'GPU-7', name: 'NVIDIA A100-SXM4-80GB', memoryMiB: 81920 });
  });

  test('behavior: unreadable memory counts as 0 MiB; a name with a comma still parses; the index is nvidia-smi’s', () => {
    expect(gpus(`${line(1, UUID1, 'NVIDIA GeForce RTX 4090', '[N/A]')}\n${line(3, UUID0, 'Tesla T4, rev 2', 15360)}\n`)).toEqual([
      { index: 1, uuid: UUID1, name: 'NVIDIA GeForce RTX 4090', memoryMiB: 0 },
      { index: 3, uuid: UUID0, name: 'Tesla T4, rev 2', memoryMiB: 15360 },
    ]);
    expect(parseNvidiaSmi('')).toEqual({ gpus: [] });
    expect(parseNvidiaSmi(line(0, UUID0, 'X', 1, '[N/A]'))).toEqual({ gpus: [{ index: 0, uuid: UUID0, name: 'X', memoryMiB: 1 }] });
  });
});

describe('parseCudaVersion', () => {
  test('default: nvidia-smi’s header and its -q output', () => {
    expect(parseCudaVersion('| NVIDIA-SMI 550.54.15              Driver Version: 550.54.15      CUDA Version: 12.4     |\n')).toBe('12.4');
    expect(parseCudaVersion('Driver Version                            : 550.54.15\nCUDA Version                              : 12.4\n')).toBe('12.4');
    expect(parseCudaVersion('No devices were found')).toBeUndefined();
  });
});

describe('claimFor', () => {
  test('default: a homogeneous machine', () => {
    const claim = claimFor(gpus(`${line(0, UUID0, 'NVIDIA H100 80GB HBM3', 81559)}\n${line(1, UUID1, 'NVIDIA H100 80GB HBM3', 81559)}\n`), host, { pricePerGpuHour: 2_000_000n, metadataURI: 'https://w.example' });
    expect(claim).toEqual({ gpuModel: gpuModelToBytes32('NVIDIA H100 80GB HBM3'), gpuCount: 2, vramMiB: 81559, cpuCores: 16, ramMiB: 128_000, pricePerGpuHour: 2_000_000n, metadataURI: 'https://w.example' });
    expect(hexToString(claim.gpuModel, { size: 32 })).toBe('NVIDIA H100 80GB HBM3');
  });

  test('behavior: a mixed machine claims its largest group at that group’s smallest VRAM', () => {
    const claim = claimFor(gpus([line(0, 'a', 'Tesla T4', 15360), line(1, 'b', 'NVIDIA L4', 23034), line(2, 'c', 'NVIDIA L4', 22000)].join('\n')), host);
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

  test('behavior: reads a (fake) nvidia-smi: GPUs with UUIDs, the driver and its CUDA version', async () => {
    const fake = join(dir, 'nvidia-smi');
    writeFileSync(
      fake,
      [
        '#!/bin/sh',
        'if [ "$#" = 0 ]; then echo "| NVIDIA-SMI 550.54.15    Driver Version: 550.54.15    CUDA Version: 12.4 |"; exit 0; fi',
        '[ "$1" = "--query-gpu=index,uuid,name,memory.total,driver_version" ] && [ "$2" = "--format=csv,noheader,nounits" ] || exit 9',
        `echo "${line(0, UUID0, 'NVIDIA H200', 143771)}"`,
        `echo "${line(1, UUID1, 'NVIDIA H200', 143771)}"`,
      ].join('\n') + '\n',
    );
    chmodSync(fake, 0o755);
    const hw = await detectHardware({ nvidiaSmi: fake });
    expect(hw.claim).toMatchObject({ gpuModel: gpuModelToBytes32('NVIDIA H200'), gpuCount: 2, vramMiB: 143771 });
    expect(hw.gpus.map((g) => `${g.index} ${g.uuid}`)).toEqual([`0 ${UUID0}`, `1 ${UUID1}`]);
    expect(hw).toMatchObject({ driverVersion: '550.54.15', cudaVersion: '12.4' });
    expect(hw.warning).toBeUndefined();
  });

  test('error: a hung nvidia-smi is killed, with everything it started, and the machine is CPU-only with a warning', async () => {
    const hung = join(dir, 'hung-smi');
    const pidFile = join(dir, 'hung.pid');
    // Stuck like a driver that does not answer; its child holds the output pipe open too.
    writeFileSync(hung, `#!/bin/sh\nsleep 600 &\necho $! > ${pidFile}\nwait\n`);
    chmodSync(hung, 0o755);
    const hw = await detectHardware({ nvidiaSmi: hung, timeoutMs: 1000 });
    expect(hw.gpus).toEqual([]);
    expect(hw.claim.gpuCount).toBe(0);
    expect(hw.warning).toBe(`nvidia-smi failed, treating this machine as CPU-only: ${hung} did not answer within 1 s (a hung driver?); it was killed`);
    const sleeper = readFileSync(pidFile, 'utf8').trim();
    // Gone, or a zombie waiting for its new parent to reap it: either way no longer running.
    await waitFor('the hung child to be killed', () => !existsSync(`/proc/${sleeper}`) || / Z /.test(readFileSync(`/proc/${sleeper}/stat`, 'utf8')), 10_000);
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
