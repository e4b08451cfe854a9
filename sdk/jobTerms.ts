/**
 * A job's terms, the one shape every client needs: the API serves them (`Job.terms`, the contract's
 * `JobTerms` field for field, amounts as decimal strings) and every call after `postJob` passes them
 * back to the contract, which hashes them into the job id. Used by the worker, the web UI and tests.
 */
import { encodeAbiParameters, keccak256, type Address, type Hex } from 'viem';
import { loomMarketAbi } from '../abis/generated';
import { MODE, type JobMode } from './enums';

/** The contract's `JobTerms` struct, as viem encodes it. */
export type JobTerms = {
  client: Address;
  token: Address;
  arbiter: Address;
  budget: bigint;
  collateral: bigint;
  feeBps: number;
  mode: number;
  /** The worker a DIRECT job is offered to; the zero address otherwise. */
  offeredTo: Address;
  openUntil: number;
  executionTimeout: number;
  challengeWindow: number;
  minGpuCount: number;
  minVramMiB: number;
  gpuModel: Hex;
  specHash: Hex;
  salt: bigint;
};

/** `Job.terms` as the GraphQL API returns it (BigInt scalars as decimal strings, mode by name). */
export type ApiJobTerms = {
  client: string;
  token: string;
  arbiter: string;
  budget: string;
  collateral: string;
  feeBps: number;
  mode: JobMode;
  offeredTo: string;
  openUntil: string;
  executionTimeout: number;
  challengeWindow: number;
  minGpuCount: number;
  minVramMiB: number;
  gpuModel: string;
  specHash: string;
  salt: string;
};

/** The API's terms as the contract's struct. */
export function toContractTerms(t: ApiJobTerms): JobTerms {
  return {
    client: t.client as Address,
    token: t.token as Address,
    arbiter: t.arbiter as Address,
    budget: BigInt(t.budget),
    collateral: BigInt(t.collateral),
    feeBps: t.feeBps,
    mode: MODE[t.mode],
    offeredTo: t.offeredTo as Address,
    openUntil: Number(t.openUntil),
    executionTimeout: t.executionTimeout,
    challengeWindow: t.challengeWindow,
    minGpuCount: t.minGpuCount,
    minVramMiB: Number(t.minVramMiB),
    gpuModel: t.gpuModel as Hex,
    specHash: t.specHash as Hex,
    salt: BigInt(t.salt),
  };
}

/**
 * The id a market derives from a job's terms, keccak256(abi.encode(terms)), encoded with the
 * parameter of the market's own view function `name` (so the layout is the contract's).
 */
export function termsIdFrom<T>(abi: readonly { type: string; name?: string; inputs?: readonly unknown[] }[], name: string): (terms: T) => Hex {
  const fn = abi.find((x) => x.type === 'function' && x.name === name);
  if (!fn?.inputs) throw new Error(`${name} missing from the ABI`);
  const parameters = fn.inputs as Parameters<typeof encodeAbiParameters>[0];
  return (terms) => keccak256(encodeAbiParameters(parameters, [terms] as never));
}

/** keccak256(abi.encode(terms)): the job id the contract derives from the terms. */
export const jobIdOf: (terms: JobTerms) => Hex = termsIdFrom<JobTerms>(loomMarketAbi, 'jobIdOf');
