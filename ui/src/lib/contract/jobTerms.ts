/**
 * A job's terms as the API returns them (`Job.terms`, the contract's `JobTerms` field for field) in
 * the shape the contract takes back, checked against the job id before anything is sent.
 */
import { encodeAbiParameters, keccak256, type Address, type Hex } from 'viem';
import { loomMarketAbi } from '$abis/generated';
import type { JobTermsResult } from '$lib/graphql/documents';

export type ContractTerms = {
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

export function toContractTerms(t: JobTermsResult): ContractTerms {
  return {
    client: t.client,
    token: t.token,
    arbiter: t.arbiter,
    budget: BigInt(t.budget),
    collateral: BigInt(t.collateral),
    feeBps: t.feeBps,
    mode: t.mode === 'AUCTION' ? 1 : 0,
    openUntil: Number(t.openUntil),
    executionTimeout: t.executionTimeout,
    challengeWindow: t.challengeWindow,
    minGpuCount: t.minGpuCount,
    minVramMiB: t.minVramMiB,
    gpuModel: t.gpuModel,
    specHash: t.specHash,
    salt: BigInt(t.salt),
  };
}

const termsComponents = (() => {
  const postJob = loomMarketAbi.find((i) => i.type === 'event' && i.name === 'JobPosted');
  const input = postJob && 'inputs' in postJob ? postJob.inputs.find((i) => i.name === 'terms') : undefined;
  if (!input) throw new Error('JobPosted(terms) missing from the ABI');
  return input;
})();

/** The job id of these terms: keccak256(abi.encode(terms)), as the contract computes it. */
export function jobIdOf(terms: ContractTerms): Hex {
  return keccak256(encodeAbiParameters([termsComponents] as never, [terms] as never));
}
