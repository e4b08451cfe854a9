/**
 * A job's terms as the contract takes them back (every call after `postJob` passes them as
 * calldata), converted from the API's form and checked against the job id they must hash to.
 */
import { type Address, type Hex, encodeAbiParameters, keccak256 } from 'viem';
import { loomMarketAbi } from '../../abis/generated';
import type { ApiTerms } from './loomApi';

/** The contract's `JobTerms` struct, as viem encodes it. */
export type JobTerms = {
  client: Address;
  token: Address;
  arbiter: Address;
  budget: bigint;
  collateral: bigint;
  feeBps: number;
  mode: number;
  openUntil: number;
  executionTimeout: number;
  challengeWindow: number;
  minGpuCount: number;
  minVramMiB: number;
  gpuModel: Hex;
  specHash: Hex;
  salt: bigint;
};

export const MODE = { CLAIM: 0, AUCTION: 1 } as const;

/** The API's terms as the contract's struct. */
export function toContractTerms(t: ApiTerms): JobTerms {
  return {
    client: t.client,
    token: t.token,
    arbiter: t.arbiter,
    budget: BigInt(t.budget),
    collateral: BigInt(t.collateral),
    feeBps: t.feeBps,
    mode: MODE[t.mode],
    openUntil: Number(t.openUntil),
    executionTimeout: t.executionTimeout,
    challengeWindow: t.challengeWindow,
    minGpuCount: t.minGpuCount,
    minVramMiB: Number(t.minVramMiB),
    gpuModel: t.gpuModel,
    specHash: t.specHash,
    salt: BigInt(t.salt),
  };
}

const termsParameter = (() => {
  const fn = loomMarketAbi.find((x) => x.type === 'function' && x.name === 'jobIdOf');
  if (!fn || fn.type !== 'function') throw new Error('jobIdOf missing from the ABI');
  return fn.inputs;
})();

/** keccak256(abi.encode(terms)): the job id the contract derives from the terms. */
export function jobIdOf(terms: JobTerms): Hex {
  return keccak256(encodeAbiParameters(termsParameter, [terms]));
}
