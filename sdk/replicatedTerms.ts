/**
 * A replicated job's terms, as the API serves them (`Job.replicatedTerms`: LoomReplicatedMarket's
 * `ReplicatedTerms` field for field, 64-bit and wider integers as decimal strings) and as the
 * contract takes them back: every call after `postReplicatedJob` passes them, and the contract
 * hashes them into the job id. The single-worker job's counterpart is jobTerms.ts.
 */
import type { Address, Hex } from 'viem';
import { termsIdFrom } from './jobTerms';
import { loomReplicatedMarketAbi } from '../abis/generated';
import type { ReplicatedJobTerms } from './writes';

/** `Job.replicatedTerms` as the GraphQL API returns it (BigInt scalars as decimal strings). */
export type ApiReplicatedTerms = {
  client: string;
  token: string;
  price: string;
  collateral: string;
  feeBps: number;
  replicas: number;
  quorum: number;
  openUntil: string;
  commitWindow: number;
  revealWindow: number;
  minGpuCount: number;
  minVramMiB: number | string;
  gpuModel: string;
  specHash: string;
  salt: string;
};

/** The API's replicated terms as the contract's struct. */
export function toReplicatedTerms(t: ApiReplicatedTerms): ReplicatedJobTerms {
  return {
    client: t.client as Address,
    token: t.token as Address,
    price: BigInt(t.price),
    collateral: BigInt(t.collateral),
    feeBps: t.feeBps,
    replicas: t.replicas,
    quorum: t.quorum,
    openUntil: Number(t.openUntil),
    commitWindow: t.commitWindow,
    revealWindow: t.revealWindow,
    minGpuCount: t.minGpuCount,
    minVramMiB: Number(t.minVramMiB),
    gpuModel: t.gpuModel as Hex,
    specHash: t.specHash as Hex,
    salt: BigInt(t.salt),
  };
}

/** keccak256(abi.encode(terms)): the id LoomReplicatedMarket derives from a replicated job's terms. */
export const replicatedJobIdOf: (terms: ReplicatedJobTerms) => Hex = termsIdFrom<ReplicatedJobTerms>(loomReplicatedMarketAbi, 'replicatedJobIdOf');
