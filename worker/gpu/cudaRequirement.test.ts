import { describe, expect, test } from 'vitest';
import { checkCudaRequirement, compareVersions } from './cudaRequirement';

// As nvidia/cuda:12.4.1-runtime-ubuntu22.04 sets it.
const CUDA_12_4 =
  'NVIDIA_REQUIRE_CUDA=cuda>=12.4 brand=tesla,driver>=470,driver<471 brand=unknown,driver>=470,driver<471 brand=nvidia,driver>=470,driver<471 brand=geforce,driver>=535,driver<536';

describe('checkCudaRequirement', () => {
  test('default: a driver that supports the CUDA version the image asks for', () => {
    expect(checkCudaRequirement(['PATH=/usr/bin', CUDA_12_4], '12.4')).toEqual({ ok: true });
    expect(checkCudaRequirement([CUDA_12_4], '12.8')).toEqual({ ok: true });
    expect(checkCudaRequirement([], undefined)).toEqual({ ok: true });
  });

  test('error: a driver older than the image’s CUDA is refused, brand alternatives do not rescue it', () => {
    const r = checkCudaRequirement([CUDA_12_4], '12.2', { driverVersion: '470.82.01' });
    expect(r).toEqual({ ok: false, reason: expect.stringContaining('this driver supports CUDA 12.2: unsatisfied: cuda >= 12.4') });
    expect((r as { reason: string }).reason).toMatch(/^the image requires cuda>=12.4 brand=tesla/);
    expect(checkCudaRequirement(['NVIDIA_REQUIRE_CUDA=cuda>=12.4'], '12.2')).toEqual({
      ok: false,
      reason: 'the image requires cuda>=12.4 (NVIDIA_REQUIRE_CUDA); this driver supports CUDA 12.2: unsatisfied: cuda >= 12.4',
    });
  });

  test('error: an unknown driver CUDA version does not satisfy a requirement', () => {
    expect(checkCudaRequirement(['NVIDIA_REQUIRE_CUDA=cuda>=11.0'], undefined)).toEqual({
      ok: false,
      reason: 'the image requires cuda>=11.0 (NVIDIA_REQUIRE_CUDA); the CUDA version this driver supports is unknown: unsatisfied: cuda >= 11.0',
    });
  });

  test('behavior: groups are alternatives, commas within a group must all hold; driver rules use the driver version', () => {
    expect(checkCudaRequirement(['NVIDIA_REQUIRE_CUDA=cuda>=13.0 driver>=550,driver<551'], '12.4', { driverVersion: '550.54.15' })).toEqual({ ok: true });
    expect(checkCudaRequirement(['NVIDIA_REQUIRE_CUDA=cuda>=13.0 driver>=550,driver<551'], '12.4', { driverVersion: '560.28.03' })).toMatchObject({ ok: false });
    expect(checkCudaRequirement(['NVIDIA_REQUIRE_CUDA=cuda>=12.0,driver>=560'], '12.4', { driverVersion: '550.54.15' })).toMatchObject({ ok: false });
  });

  test('behavior: every NVIDIA_REQUIRE_* must hold, except JETPACK; the last value of a name counts', () => {
    expect(checkCudaRequirement(['NVIDIA_REQUIRE_CUDA=cuda>=12.0', 'NVIDIA_REQUIRE_DRIVER=driver>=560'], '12.4', { driverVersion: '550.54.15' })).toMatchObject({
      ok: false,
      reason: expect.stringContaining('(NVIDIA_REQUIRE_DRIVER)'),
    });
    expect(checkCudaRequirement(['NVIDIA_REQUIRE_CUDA=cuda>=12.0', 'NVIDIA_REQUIRE_JETPACK=csv-mounts=all'], '12.4')).toEqual({ ok: true });
    expect(checkCudaRequirement(['NVIDIA_REQUIRE_CUDA=cuda>=13.0', 'NVIDIA_REQUIRE_CUDA=cuda>=12.0'], '12.4')).toEqual({ ok: true });
  });

  test('behavior: NVIDIA_DISABLE_REQUIRE=true turns the checks off; other values do not', () => {
    expect(checkCudaRequirement([CUDA_12_4, 'NVIDIA_DISABLE_REQUIRE=1'], '11.0')).toEqual({ ok: true });
    expect(checkCudaRequirement([CUDA_12_4, 'NVIDIA_DISABLE_REQUIRE=true'], '11.0')).toEqual({ ok: true });
    expect(checkCudaRequirement([CUDA_12_4, 'NVIDIA_DISABLE_REQUIRE=yes'], '11.0')).toMatchObject({ ok: false });
    expect(checkCudaRequirement([CUDA_12_4, 'NVIDIA_DISABLE_REQUIRE=0'], '11.0')).toMatchObject({ ok: false });
  });

  test('behavior: a legacy image (CUDA_VERSION, no NVIDIA_REQUIRE_CUDA) requires its major.minor', () => {
    expect(checkCudaRequirement(['CUDA_VERSION=12.4.1'], '12.4')).toEqual({ ok: true });
    expect(checkCudaRequirement(['CUDA_VERSION=12.4.1'], '12.3')).toEqual({
      ok: false,
      reason: 'the image requires cuda>=12.4 (CUDA_VERSION); this driver supports CUDA 12.3: unsatisfied: cuda >= 12.4',
    });
    expect(checkCudaRequirement(['CUDA_VERSION=12.4.1', 'NVIDIA_REQUIRE_CUDA=cuda>=12.0'], '12.3')).toEqual({ ok: true });
    expect(checkCudaRequirement(['CUDA_VERSION=banana'], '12.3')).toMatchObject({ ok: false, reason: expect.stringContaining('is not a version') });
  });

  test('error: a requirement in another language is refused with the reason', () => {
    expect(checkCudaRequirement(['NVIDIA_REQUIRE_CUDA=cuda~12'], '12.4')).toEqual({ ok: false, reason: 'the image\'s NVIDIA_REQUIRE_CUDA is not a requirement this worker can read: "cuda~12"' });
    expect(checkCudaRequirement(['NVIDIA_REQUIRE_CUDA=gpus>=2'], '12.4')).toMatchObject({ ok: false });
    expect(checkCudaRequirement(['NVIDIA_REQUIRE_CUDA=cuda>=12.x'], '12.4')).toMatchObject({ ok: false });
  });
});

describe('compareVersions', () => {
  test('default: numeric parts, trailing zeros ignored', () => {
    expect(compareVersions('12.10', '12.9')).toBe(1);
    expect(compareVersions('12.4', '12.4.0')).toBe(0);
    expect(compareVersions('550.54.15', '550.100')).toBe(-1);
  });
});
