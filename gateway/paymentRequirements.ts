/**
 * The x402 version 2 payment requirements for an order (scheme "exact", EIP-3009): the token as the
 * asset, the budget as the amount, the order's own deposit address as `payTo` (Loom binds a payment
 * to a job by its payee, since the client picks the authorization's nonce), the token's EIP-712 name
 * and version, and what the gateway needs to rebuild the order from the paid request: its salt and
 * open deadline.
 */
import type { PaymentRequired, PaymentRequirements } from '@x402/core/types';
import type { Address, TypedDataDomain } from 'viem';
import type { Order } from './buildOrder';

export const X402_VERSION = 2;

/** How long a client has to sign and send the payment; also the authorization's validity in @x402/fetch. */
export const MAX_TIMEOUT_SECONDS = 300;

export function paymentRequirements(order: Order, o: { chainId: number; payTo: Address; domain: TypedDataDomain }): PaymentRequirements {
  return {
    scheme: 'exact',
    network: `eip155:${o.chainId}`,
    asset: order.params.token,
    amount: order.params.budget.toString(),
    payTo: o.payTo,
    maxTimeoutSeconds: MAX_TIMEOUT_SECONDS,
    extra: { name: o.domain.name, version: o.domain.version, salt: order.params.salt.toString(), openUntil: order.params.openUntil },
  };
}

export function paymentRequired(resource: string, accepts: PaymentRequirements[], error?: string): PaymentRequired {
  return {
    x402Version: X402_VERSION,
    ...(error ? { error } : {}),
    resource: { url: resource, description: 'Post a Loom job: the payment is the job’s escrowed budget', mimeType: 'application/json' },
    accepts,
  };
}
