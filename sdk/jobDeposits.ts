/**
 * LoomDeposits, where x402 payments become jobs: each order (the job's params, its spec hash and
 * the client) has its own CREATE2 deposit address, the x402 `payTo`, which only LoomDeposits can
 * empty: into that job (`postJob`, with the client's EIP-3009 authorization to it) or back to the
 * client (`refund`). An x402 "exact" payment carries a nonce the client picked, so it cannot name
 * the job; its payee does. Browser-safe.
 *
 * @example
 * const deposits = await depositsOf(publicClient, market);
 * const payTo = await orderDeposit(publicClient, deposits, { params, specHash, client });
 */
import type { Address, Hex, PublicClient } from 'viem';
import { loomDepositsAbi, loomMarketAbi } from '../abis/generated';
import type { JobParams } from './writes';

/** An order: what a deposit address is derived from. */
export type JobOrder = { params: JobParams; specHash: Hex; client: Address };

/** The EIP-3009 authorization (client -> the order's deposit) `postJob` submits; an empty signature: already paid in. */
export type DepositPayment = { validAfter: bigint; validBefore: bigint; nonce: Hex; signature: Hex };

/** The market's LoomDeposits (created by the market's constructor). */
export function depositsOf(publicClient: PublicClient, market: Address): Promise<Address> {
  return publicClient.readContract({ address: market, abi: loomMarketAbi, functionName: 'deposits' });
}

/** The order's id (keccak256(abi.encode(params, specHash, client)), as the contract computes it). */
export function orderIdOf(publicClient: PublicClient, deposits: Address, order: JobOrder): Promise<Hex> {
  return publicClient.readContract({ address: deposits, abi: loomDepositsAbi, functionName: 'orderId', args: [order.params, order.specHash, order.client] });
}

/** The order's deposit address for its token: where its payment goes. */
export async function orderDeposit(publicClient: PublicClient, deposits: Address, order: JobOrder): Promise<Address> {
  const id = await orderIdOf(publicClient, deposits, order);
  return publicClient.readContract({ address: deposits, abi: loomDepositsAbi, functionName: 'depositAddress', args: [id, order.params.token] });
}

/**
 * The call that posts the order's job from its deposit (for viem's simulateContract/writeContract):
 * it submits the authorization, empties the deposit and posts with `client` as the job's client; the
 * sender pays only gas.
 */
export function postFromDepositCall(deposits: Address, order: JobOrder & { spec: Hex }, payment: DepositPayment) {
  return { address: deposits, abi: loomDepositsAbi, functionName: 'postJob', args: [order.params, order.spec, order.client, payment] } as const;
}
