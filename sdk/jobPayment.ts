/**
 * Paying for a job by signature (gasless posting, LoomMarket.postJobFor): the client signs an
 * EIP-3009 `ReceiveWithAuthorization` of the budget, from itself to the market, whose nonce is the id
 * of the job it posts; whoever submits it (a relayer, the x402 gateway) pays the gas. The id is the
 * hash of the terms the market completes from the parameters, so the client completes them here the
 * same way (the current fee and default arbiter read from the market). Browser-safe: the web UI, the
 * CLI and the gateway use it.
 */
import type { Account, Address, Hex, PublicClient, TypedDataDomain, WalletClient } from 'viem';
import { keccak256 } from 'viem';
import { loomMarketAbi } from '../abis/generated';
import { LoomError } from './errors';
import { type JobTerms, jobIdOf } from './jobTerms';
import type { JobParams, PaymentAuthorization } from './writes';


/** The full EIP-3009 message the client signs, as the token checks it. */
export type ReceiveAuthorization = { from: Address; to: Address; value: bigint; validAfter: bigint; validBefore: bigint; nonce: Hex };

/** A signed payment for one job: what `postJobFor` takes, with the job it is bound to. */
export type SignedJobPayment = { client: Address; jobId: Hex; terms: JobTerms; authorization: ReceiveAuthorization; payment: PaymentAuthorization };

/** How long a payment signature stays valid by default: long enough for a relayer, short enough to be harmless if it leaks. */
export const DEFAULT_PAYMENT_VALIDITY_SECONDS = 600;

export const RECEIVE_WITH_AUTHORIZATION_TYPES = {
  ReceiveWithAuthorization: [
    { name: 'from', type: 'address' },
    { name: 'to', type: 'address' },
    { name: 'value', type: 'uint256' },
    { name: 'validAfter', type: 'uint256' },
    { name: 'validBefore', type: 'uint256' },
    { name: 'nonce', type: 'bytes32' },
  ],
} as const;

/** EIP-3009's transfer-authorization: what an x402 "exact" payment signs (to LoomDeposits' deposit address). */
export const TRANSFER_WITH_AUTHORIZATION_TYPES = {
  TransferWithAuthorization: RECEIVE_WITH_AUTHORIZATION_TYPES.ReceiveWithAuthorization,
} as const;

/**
 * The token's EIP-712 domain, read from its EIP-5267 `eip712Domain()` (OpenZeppelin tokens have
 * it); for a token without it, pass `name` and `version` (Circle's USDC: "USD Coin", "2").
 */
export async function tokenDomain(publicClient: PublicClient, token: Address, known?: { name: string; version: string }): Promise<TypedDataDomain> {
  if (known) return { name: known.name, version: known.version, chainId: await publicClient.getChainId(), verifyingContract: token };
  try {
    // `fields` says which members the domain uses (EIP-5267); an unused salt must stay out of the hash.
    const { domain, fields } = await publicClient.getEip712Domain({ address: token });
    const { salt, ...rest } = domain;
    return (Number(fields) & 0x10) !== 0 ? domain : rest;
  } catch (err) {
    throw new LoomError(`the token ${token} does not publish its EIP-712 domain (EIP-5267 eip712Domain()): give its name and version`, { cause: err });
  }
}

/** The terms the market completes `params` into when `client` posts `spec` (LoomMarket._complete). */
export function completeJobTerms(params: JobParams, o: { client: Address; spec: Hex; feeBps: number; defaultArbiter: Address }): JobTerms {
  return {
    client: o.client,
    token: params.token,
    arbiter: /^0x0{40}$/i.test(params.arbiter) ? o.defaultArbiter : params.arbiter,
    budget: params.budget,
    collateral: params.collateral,
    feeBps: o.feeBps,
    mode: params.mode,
    offeredTo: params.offeredTo,
    openUntil: params.openUntil,
    executionTimeout: params.executionTimeout,
    challengeWindow: params.challengeWindow,
    minGpuCount: params.minGpuCount,
    minVramMiB: params.minVramMiB,
    gpuModel: params.gpuModel,
    specHash: keccak256(o.spec),
    salt: params.salt,
  };
}

/** The market's current fee and default arbiter: what a job posted now gets in its terms. */
export async function postingRules(publicClient: PublicClient, market: Address): Promise<{ feeBps: number; defaultArbiter: Address }> {
  const [feeBps, defaultArbiter] = await Promise.all([
    publicClient.readContract({ address: market, abi: loomMarketAbi, functionName: 'feeBps' }),
    publicClient.readContract({ address: market, abi: loomMarketAbi, functionName: 'defaultArbiter' }),
  ]);
  return { feeBps: Number(feeBps), defaultArbiter };
}

/**
 * Signs the payment for the job `params` + `spec` with `account` as its client: the authorization's
 * nonce is that job's id, its value the budget, its payee the market.
 *
 * @example
 * const paid = await signJobPayment({ publicClient, walletClient, market, params, spec: specBytes(spec) });
 * await relayer.postJobFor({ terms: params, spec, client: paid.client, payment: paid.payment });
 */
export async function signJobPayment(o: {
  publicClient: PublicClient;
  walletClient: WalletClient;
  account?: Account | Address;
  market: Address;
  params: JobParams;
  spec: Hex;
  validForSeconds?: number;
  /** The token's EIP-712 name and version, when it has no eip712Domain(). */
  tokenName?: { name: string; version: string };
  /** Seconds since the epoch to count the window from (default: the latest block's time). */
  now?: number;
}): Promise<SignedJobPayment> {
  const account = o.account ?? o.walletClient.account;
  if (!account) throw new LoomError('signJobPayment: no account (pass `account`, or a wallet client with one)');
  const client: Address = typeof account === 'string' ? account : account.address;
  if (/^0x0{40}$/i.test(o.params.token)) throw new LoomError('paying by signature needs a token with EIP-3009 (such as USDC), not ETH');
  const [rules, domain, now] = await Promise.all([
    postingRules(o.publicClient, o.market),
    tokenDomain(o.publicClient, o.params.token, o.tokenName),
    o.now ?? o.publicClient.getBlock({ blockTag: 'latest' }).then((b) => Number(b.timestamp)),
  ]);
  const terms = completeJobTerms(o.params, { client, spec: o.spec, ...rules });
  const jobId = jobIdOf(terms);
  const authorization: ReceiveAuthorization = {
    from: client,
    to: o.market,
    value: o.params.budget,
    validAfter: 0n,
    validBefore: BigInt(now + (o.validForSeconds ?? DEFAULT_PAYMENT_VALIDITY_SECONDS)),
    nonce: jobId,
  };
  const signature = await o.walletClient.signTypedData({ account, domain, types: RECEIVE_WITH_AUTHORIZATION_TYPES, primaryType: 'ReceiveWithAuthorization', message: authorization });
  return { client, jobId, terms, authorization, payment: { validAfter: authorization.validAfter, validBefore: authorization.validBefore, signature } };
}
