/**
 * The contract set as one: LoomRegistry (workers, stake, pools), LoomMarket (single-worker jobs),
 * LoomReplicatedMarket (jobs replicated on k of n workers) and LoomModels (the model hub). Clients decode every event and revert with
 * `loomAbi`, and send each call to the contract that has it (`contractFor`), so that no client keeps its
 * own table of which function lives where.
 *
 * @example
 * contractFor('register'); // 'registry'
 * contractFor('takeSlot'); // 'replicated'
 */
import type { Abi, Address } from 'viem';
import { loomMarketAbi, loomModelsAbi, loomRegistryAbi, loomReplicatedMarketAbi } from '../abis/generated';

/** Where the contract set is deployed. */
export type LoomContracts = {
  registry: Address;
  market: Address;
  /** Absent when a deployment has no replicated market configured: replicated calls then fail clearly. */
  replicated?: Address;
  /** The model hub (LoomModels, created by the market); absent when not configured: model calls then fail clearly. */
  models?: Address;
};

export type LoomContractName = keyof LoomContracts;

const itemKey = (item: Abi[number]) =>
  `${item.type}:${'name' in item ? item.name : ''}(${('inputs' in item ? item.inputs : []).map((i) => i.type).join(',')})`;

function union<const T extends readonly Abi[number][]>(abi: T): T {
  const seen = new Set<string>();
  return abi.filter((item) => {
    const key = itemKey(item);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  }) as unknown as T;
}

/**
 * Every function, event and error of the set, each once (the markets share the owner's settings,
 * `withdraw` and `Withdrawn`; the errors are one list): for decoding anything any of them emits.
 */
export const loomAbi = union([...loomMarketAbi, ...loomRegistryAbi, ...loomReplicatedMarketAbi, ...loomModelsAbi] as const);
export type LoomAbi = typeof loomAbi;

export const abiOf = {
  registry: loomRegistryAbi,
  market: loomMarketAbi,
  replicated: loomReplicatedMarketAbi,
  models: loomModelsAbi,
} as const satisfies Record<LoomContractName, Abi>;

const functionNames = (abi: Abi) => new Set(abi.flatMap((item) => (item.type === 'function' ? [item.name] : [])));
const inMarket = functionNames(loomMarketAbi);
const inRegistry = functionNames(loomRegistryAbi);
const inModels = functionNames(loomModelsAbi);

/**
 * The contract a call goes to. A function two contracts share (the owner's settings, `withdraw`) goes
 * to the single-worker market unless the caller names another.
 */
export function contractFor(functionName: string): LoomContractName {
  if (inMarket.has(functionName)) return 'market';
  if (inRegistry.has(functionName)) return 'registry';
  if (inModels.has(functionName) && !functionNames(loomReplicatedMarketAbi).has(functionName)) return 'models';
  return 'replicated';
}
