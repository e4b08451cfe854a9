import { describe, expect, test } from 'vitest';
import { encodeAbiParameters, keccak256, parseAbiParameters } from 'viem';
import { replicatedJobIdOf, toReplicatedTerms } from './replicatedTerms';

// The API's Job.replicatedTerms, as JSON (BigInt fields as decimal strings).
const apiTerms = {
  client: '0x70997970c51812dc3a010c7d01b50e0d17dc79c8',
  token: '0x0000000000000000000000000000000000000000',
  price: '10000000000000000',
  collateral: '50000000000000000',
  feeBps: 250,
  replicas: 3,
  quorum: 2,
  openUntil: '1700003600',
  commitWindow: 3600,
  revealWindow: 1800,
  minGpuCount: 1,
  minVramMiB: 4294967295,
  gpuModel: `0x${'00'.repeat(32)}`,
  specHash: `0x${'11'.repeat(32)}`,
  salt: '18446744073709551615',
} as const;

describe('replicated terms', () => {
  test("default: the API's terms become the contract's struct, field for field", () => {
    expect(toReplicatedTerms(apiTerms)).toEqual({
      ...apiTerms,
      price: 10n ** 16n,
      collateral: 5n * 10n ** 16n,
      openUntil: 1_700_003_600,
      salt: 2n ** 64n - 1n,
    });
  });

  test('default: the job id is keccak256(abi.encode(terms)), as LoomReplicatedMarket computes it', () => {
    const t = toReplicatedTerms(apiTerms);
    const encoded = encodeAbiParameters(
      parseAbiParameters(
        '(address client, address token, uint96 price, uint96 collateral, uint16 feeBps, uint8 replicas, uint8 quorum, uint40 openUntil, uint32 commitWindow, uint32 revealWindow, uint16 minGpuCount, uint32 minVramMiB, bytes32 gpuModel, bytes32 specHash, uint64 salt)',
      ),
      [t as never],
    );
    expect(replicatedJobIdOf(t)).toBe(keccak256(encoded));
    expect(replicatedJobIdOf({ ...t, quorum: 3 })).not.toBe(replicatedJobIdOf(t));
  });
});
