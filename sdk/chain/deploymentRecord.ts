/**
 * The deployment record: what scripts/deploy.ts writes to deployments/<chainId>.json (tests write
 * theirs under .cache/) after deploying, and what every Node-side reader takes the contracts'
 * addresses and first blocks from (the chain connection, the indexer's configuration, the web UI's
 * server). Node only: it reads files.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Address, Hex } from 'viem';
import type { LoomContracts } from '../contracts';
import { coded } from '../errors';

/** A deployed contract: where it is and the block to index it from. */
export type DeployedContract = { address: Address; startBlock: number };

/** One deployment of the contract set on one chain, as the deploy script records it. */
export type Deployment = {
  chainId: number;
  /** Workers and their stake, locked and slashed by the markets. */
  LoomRegistry: DeployedContract;
  /** Single-worker jobs. */
  LoomMarket: DeployedContract;
  /** Jobs replicated on k of n workers. */
  LoomReplicatedMarket: DeployedContract;
  /** The model hub (created by LoomMarket): models, their fees per job, royalties. */
  LoomModels: DeployedContract;
  TestUSDC: DeployedContract;
  owner: Address;
  arbiter: Address;
  treasury: Address;
  /** The chain's block 1 hash: tells a fresh chain with the same id from the recorded one. */
  genesisHash: Hex;
};

/** The record's default place for a chain, relative to the repository root. */
export function deploymentPath(chainId: number): string {
  return `deployments/${chainId}.json`;
}

/** The deployment recorded at `path` (resolved from `cwd`), or undefined when there is none. */
export function readDeployment(path: string, cwd = process.cwd()): Deployment | undefined {
  const file = resolve(cwd, path);
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Deployment;
  } catch (err) {
    throw coded('CONFIG_INVALID', `${file} is not a deployment record: ${(err as Error).message}`, { cause: err });
  }
}

export type FindDeploymentOptions = {
  chainId: number;
  /** A record named by the user (LOOM_DEPLOYMENT_FILE, --deployment-file): it must exist. */
  file?: string;
  /** What named `file`, for the message when it is missing: "LOOM_DEPLOYMENT_FILE". */
  fileFrom?: string;
  /** Where `file` and the default places are resolved from (default: the working directory). */
  cwd?: string;
  /** Folders holding `deployments/` to look in, first found wins (default: `cwd` and its parent, so the UI finds it from ui/). */
  roots?: string[];
};

/**
 * The deployment record for a chain: the one named, else the first at a default place. Checks that
 * it is for that chain. Undefined when none is named and none exists.
 *
 * @throws LoomError (code CONFIG_INVALID) when the named record is missing, or a record is for another chain.
 * @example
 * const found = findDeployment({ chainId: 31337, file: process.env.LOOM_DEPLOYMENT_FILE });
 * found?.record.LoomMarket.address;
 */
export function findDeployment(o: FindDeploymentOptions): { path: string; record: Partial<Deployment> } | undefined {
  const cwd = o.cwd ?? process.cwd();
  const candidates = o.file ? [resolve(cwd, o.file)] : (o.roots ?? [cwd, resolve(cwd, '..')]).map((root) => resolve(cwd, root, deploymentPath(o.chainId)));
  for (const path of candidates) {
    const record = readDeployment(path) as Partial<Deployment> | undefined;
    if (!record) continue;
    if (record.chainId !== undefined && record.chainId !== o.chainId) throw coded('CONFIG_INVALID', `${path} is for chain ${record.chainId}, not ${o.chainId}`);
    return { path, record };
  }
  if (o.file) throw coded('CONFIG_INVALID', `${o.fileFrom ?? 'the deployment record'} not found: ${candidates[0]}`);
  return undefined;
}

/** The contract set's addresses in a deployment record. */
export function contractsOf(
  record: Pick<Deployment, 'LoomRegistry' | 'LoomMarket' | 'LoomReplicatedMarket'> & Partial<Pick<Deployment, 'LoomModels'>>,
): LoomContracts {
  return {
    registry: record.LoomRegistry.address,
    market: record.LoomMarket.address,
    replicated: record.LoomReplicatedMarket.address,
    ...(record.LoomModels ? { models: record.LoomModels.address } : {}),
  };
}
