/**
 * Checks an x402 "exact" payment against the order it claims to pay, off-chain, before anything is
 * sent: the scheme, network, asset, amount and payee of what was accepted; the EIP-3009 authorization
 * (from the body's client, to the order's deposit address, for the budget, valid now on the chain's
 * clock); and its EIP-712 signature by that client. Each failure is named (an x402 `invalidReason`)
 * and explained.
 */
import type { PaymentPayload, PaymentRequirements } from '@x402/core/types';
import { type Address, type Hex, type TypedDataDomain, getAddress, isAddress, isHex, verifyTypedData } from 'viem';
import { TRANSFER_WITH_AUTHORIZATION_TYPES } from '../sdk/jobPayment';

/** Seconds an authorization must still be valid for when checked: time to mine the transaction. */
export const VALIDITY_MARGIN_SECONDS = 6;

export type Authorization = { from: Address; to: Address; value: bigint; validAfter: bigint; validBefore: bigint; nonce: Hex };

export type PaymentCheck = { ok: true; authorization: Authorization; signature: Hex } | { ok: false; reason: string; message: string };

const fail = (reason: string, message: string): PaymentCheck => ({ ok: false, reason, message });

/** The authorization in an exact EIP-3009 payload, or why it is not one. */
function readAuthorization(payload: Record<string, unknown>): { authorization: Authorization; signature: Hex } | string {
  const a = payload.authorization as Record<string, unknown> | undefined;
  const signature = payload.signature;
  if (!a || typeof a !== 'object') return 'payload.authorization is missing: this gateway takes EIP-3009 payments (the exact scheme)';
  if (typeof signature !== 'string' || !isHex(signature)) return 'payload.signature is missing or not hex';
  for (const f of ['from', 'to'] as const) if (typeof a[f] !== 'string' || !isAddress(a[f] as string, { strict: false })) return `authorization.${f} is not an address`;
  for (const f of ['value', 'validAfter', 'validBefore'] as const) if (typeof a[f] !== 'string' || !/^\d{1,78}$/.test(a[f] as string)) return `authorization.${f} is not a decimal string`;
  if (typeof a.nonce !== 'string' || !/^0x[0-9a-fA-F]{64}$/.test(a.nonce)) return 'authorization.nonce is not 32 bytes of hex';
  return {
    authorization: {
      from: getAddress(a.from as string),
      to: getAddress(a.to as string),
      value: BigInt(a.value as string),
      validAfter: BigInt(a.validAfter as string),
      validBefore: BigInt(a.validBefore as string),
      nonce: a.nonce as Hex,
    },
    signature,
  };
}

/**
 * Whether `payment` pays `expected` (the requirements the gateway quotes for the rebuilt order) on
 * behalf of `client`, at chain time `now`.
 */
export async function checkPayment(payment: PaymentPayload, o: { expected: PaymentRequirements; client: Address; domain: TypedDataDomain; now: number }): Promise<PaymentCheck> {
  const { expected } = o;
  const accepted = payment.accepted;
  if (payment.x402Version !== 2) return fail('invalid_x402_version', `x402Version ${payment.x402Version}: this gateway speaks version 2`);
  if (accepted.scheme !== 'exact') return fail('unsupported_scheme', `scheme "${accepted.scheme}": this gateway takes "exact"`);
  if (accepted.network !== expected.network) return fail('invalid_network', `network ${accepted.network}: the job is posted on ${expected.network}`);
  if (!isAddress(accepted.asset, { strict: false }) || getAddress(accepted.asset) !== getAddress(expected.asset)) return fail('invalid_asset', `asset ${accepted.asset}: the order is paid in ${expected.asset}`);
  if (accepted.amount !== expected.amount) return fail('invalid_amount', `amount ${accepted.amount}: the order's budget is ${expected.amount}`);
  if (!isAddress(accepted.payTo, { strict: false }) || getAddress(accepted.payTo) !== getAddress(expected.payTo)) {
    return fail('invalid_pay_to', `payTo ${accepted.payTo} is not this order's deposit address ${expected.payTo}: the body does not match the quote, or the quote was altered`);
  }

  const read = readAuthorization(payment.payload);
  if (typeof read === 'string') return fail('invalid_payload', read);
  const { authorization: auth, signature } = read;
  if (auth.from !== o.client) return fail('invalid_payer', `the authorization is from ${auth.from}, but the body's client is ${o.client}`);
  if (auth.to !== getAddress(expected.payTo)) return fail('invalid_recipient', `the authorization pays ${auth.to}, not this order's deposit address ${expected.payTo}`);
  if (auth.value !== BigInt(expected.amount)) return fail('invalid_amount', `the authorization moves ${auth.value}, not the budget ${expected.amount}`);
  if (auth.validAfter > BigInt(o.now)) return fail('authorization_not_yet_valid', `the authorization is valid only after ${auth.validAfter} (chain time ${o.now})`);
  if (auth.validBefore <= BigInt(o.now + VALIDITY_MARGIN_SECONDS)) return fail('authorization_expired', `the authorization expired at ${auth.validBefore} (chain time ${o.now}; it must hold ${VALIDITY_MARGIN_SECONDS} s more to be mined)`);

  const valid = await verifyTypedData({
    address: o.client,
    domain: o.domain,
    types: TRANSFER_WITH_AUTHORIZATION_TYPES,
    primaryType: 'TransferWithAuthorization',
    message: auth,
    signature,
  }).catch(() => false);
  if (!valid) return fail('invalid_signature', `the signature is not ${o.client}'s over this authorization (EIP-712 TransferWithAuthorization, token domain ${o.domain.name} ${o.domain.version})`);
  return { ok: true, authorization: auth, signature };
}
