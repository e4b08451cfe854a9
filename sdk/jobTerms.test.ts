import { describe, expect, test } from 'vitest';
import { encodeAbiParameters, keccak256, parseAbiParameters } from 'viem';
import { jobIdOf, toContractTerms } from './jobTerms.ts';

// The API's Job.terms, as JSON (BigInt fields as decimal strings, mode as its enum name).
const apiTerms = {
  client: '0x70997970c51812dc3a010c7d01b50e0d17dc79c8',
  token: '0x0000000000000000000000000000000000000000',
  arbiter: '0x23618e81e3f5cdf7f54c3d65f7fbc0abf5b21e8f',
  budget: '1000000000000000000',
  collateral: '100000000000000000',
  feeBps: 100,
  mode: 'DIRECT',
  offeredTo: '0x90f79bf6eb2c4f870365e785982e1f101e93b906',
  openUntil: '1700003600',
  executionTimeout: 7200,
  challengeWindow: 86400,
  minGpuCount: 1,
  minVramMiB: 4294967295,
  gpuModel: `0x${'00'.repeat(32)}`,
  specHash: `0x${'11'.repeat(32)}`,
  salt: '18446744073709551615',
} as const;

describe('job terms', () => {
  test('default: the API’s terms become the contract’s struct, field for field', () => {
    expect(toContractTerms(apiTerms)).toEqual({
      ...apiTerms,
      budget: 10n ** 18n,
      collateral: 10n ** 17n,
      mode: 2,
      openUntil: 1_700_003_600,
      salt: 2n ** 64n - 1n,
    });
  });

  test('default: the job id is keccak256(abi.encode(terms)), as the contract computes it', () => {
    const t = toContractTerms(apiTerms);
    const encoded = encodeAbiParameters(
      parseAbiParameters(
        '(address client, address token, address arbiter, uint96 budget, uint96 collateral, uint16 feeBps, uint8 mode, address offeredTo, uint40 openUntil, uint32 executionTimeout, uint32 challengeWindow, uint16 minGpuCount, uint32 minVramMiB, bytes32 gpuModel, bytes32 specHash, uint64 salt)',
      ),
      [t as never],
    );
    expect(jobIdOf(t)).toBe(keccak256(encoded));
    expect(jobIdOf({ ...t, salt: 1n })).not.toBe(jobIdOf(t));
  });
});
