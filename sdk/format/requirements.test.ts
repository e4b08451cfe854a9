import { describe, expect, test } from 'vitest';
import { stringToHex } from 'viem';
import { decodeGpuModel, encodeGpuModel, formatHardware, formatMiB, formatRequirement } from './requirements';

describe('hardware and requirements', () => {
  test('default: memory in the unit people use', () => {
    expect(formatMiB(81_920)).toBe('80 GiB');
    expect(formatMiB(24_576)).toBe('24 GiB');
    expect(formatMiB(1536)).toBe('1.5 GiB');
    expect(formatMiB(512)).toBe('512 MiB');
    expect(formatMiB(4_294_967_295)).toBe('4096 TiB');
  });

  test('default: GPU models round-trip through bytes32', () => {
    const h100 = encodeGpuModel('NVIDIA H100 80GB HBM3');
    expect(h100).toMatch(/^0x[0-9a-f]{64}$/);
    expect(decodeGpuModel(h100)).toBe('NVIDIA H100 80GB HBM3');
    expect(decodeGpuModel(stringToHex('NVIDIA H100', { size: 32 }))).toBe('NVIDIA H100');
    expect(encodeGpuModel('  ')).toBe(`0x${'0'.repeat(64)}`);
    expect(decodeGpuModel(`0x${'0'.repeat(64)}`)).toBeNull();
  });

  test('error: a GPU model over 32 bytes is refused', () => {
    expect(() => encodeGpuModel('x'.repeat(33))).toThrow(/32 bytes/);
  });

  test('default: hardware and requirements read as sentences', () => {
    expect(formatHardware(2, 81_920, 'NVIDIA H100')).toBe('2 × NVIDIA H100 · 80 GiB');
    expect(formatHardware(0, 0, null)).toBe('CPU only');
    expect(formatRequirement(1, 40_960, null)).toBe('1 GPU · 40 GiB VRAM');
    expect(formatRequirement(2, 40_960, 'H100')).toBe('2 GPUs · 40 GiB VRAM · H100');
    expect(formatRequirement(0, 0, null)).toBe('No GPU needed');
  });
});
