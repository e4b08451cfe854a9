/**
 * Typed event payloads. The API serves each event's arguments as JSON (integers wider than 48 bits
 * as decimal strings, smaller ones as numbers, addresses and bytes as lowercase hex: see the
 * indexer's `argsToJson`); every client turns them back into the values viem decodes from a log,
 * typed from the ABI, in one place: `JobAssigned.args.price` is a `bigint` wherever it is read.
 *
 * @example
 * const event = typedEvent(node); // node from JobEventsQuery / JobEventsSubscription
 * if (event.name === 'JobAssigned') event.args.price; // bigint
 */
import type { AbiParameter, ContractEventName, GetEventArgs, Hex } from 'viem';
import { loomAbi } from './contracts';

export type MarketEventName = ContractEventName<typeof loomAbi>;

/** The arguments of one event of the contract set (registry, markets), as viem decodes them from the log. */
export type MarketEventArgs<N extends MarketEventName> = GetEventArgs<typeof loomAbi, N, { EnableUnion: false; IndexedOnly: false; Required: true }>;

/** An event of the contract set with its arguments typed: a union discriminated by `name`. */
export type MarketEvent = { [N in MarketEventName]: { name: N; args: MarketEventArgs<N> } }[MarketEventName];

/** Where an event stands in the chain, as the API serves it with its arguments. */
export type EventNode = {
  name: string;
  args: unknown;
};

const eventInputs = new Map<string, readonly AbiParameter[]>(
  loomAbi.filter((item) => item.type === 'event').map((item) => [item.name, item.inputs as readonly AbiParameter[]]),
);

/** The event names of the ABI, for a check that an API event is one this client knows. */
export const marketEventNames: readonly MarketEventName[] = [...eventInputs.keys()] as MarketEventName[];

/**
 * An API event with its arguments typed from the ABI. Throws on an event the ABI does not have
 * (a client older than the contract it reads should say so, not guess).
 * @example typedEvent({ name: 'BidPlaced', args: { jobId: '0x…', worker: '0x…', price: '1000' } }).args.price // 1000n
 */
export function typedEvent<T extends EventNode>(node: T): MarketEvent & Omit<T, 'name' | 'args'> {
  const inputs = eventInputs.get(node.name);
  if (!inputs) throw new Error(`unknown Loom event ${node.name}`);
  return { ...node, args: argsFromJson(inputs, node.args) } as MarketEvent & Omit<T, 'name' | 'args'>;
}

/** Narrows a typed event to one name. */
export function isEvent<N extends MarketEventName>(event: MarketEvent, name: N): event is Extract<MarketEvent, { name: N }> {
  return event.name === name;
}

function argsFromJson(inputs: readonly AbiParameter[], json: unknown): Record<string, unknown> {
  const source = (json ?? {}) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  inputs.forEach((input, i) => {
    const key = input.name ?? String(i);
    out[key] = valueFromJson(input, source[key]);
  });
  return out;
}

function valueFromJson(param: AbiParameter, value: unknown): unknown {
  const { type } = param;
  if (type.endsWith(']')) {
    const inner = { ...param, type: type.slice(0, type.lastIndexOf('[')) } as AbiParameter;
    return ((value ?? []) as unknown[]).map((v) => valueFromJson(inner, v));
  }
  if (type === 'tuple') return argsFromJson((param as { components: readonly AbiParameter[] }).components, value);
  const int = /^u?int(\d*)$/.exec(type);
  if (int) {
    // viem decodes integers of more than 48 bits as bigint, smaller ones as number.
    const bits = Number(int[1] || 256);
    if (value === null || value === undefined) return bits > 48 ? 0n : 0;
    return bits > 48 ? BigInt(value as string | number) : Number(value);
  }
  if (type === 'address' || type.startsWith('bytes')) return (value ?? '0x') as Hex;
  return value;
}
