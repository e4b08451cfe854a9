/**
 * What the writer's parts share (sdk/writes.ts and the model and pool writes beside it): the calls'
 * types from the generated ABIs, the error a refused or reverted transaction throws, what a post
 * resolves with, how a spec becomes the contract's bytes, and the core every part sends through.
 * Kept apart from the writer itself so that its parts depend on it and not on one another.
 */
import type { Address, ContractFunctionArgs, ContractFunctionName, Hash, Hex, PublicClient, TransactionReceipt } from 'viem';
import { bytesToHex, isHex, stringToHex } from 'viem';
import type { LoomAbi, LoomContractName } from './contracts';
import { LoomError } from './errors';
import type { ApiJobTerms, JobTerms } from './jobTerms';
import type { DecodedRevert } from './revert';
import type { RpcFailure } from './rpcFailure';

/** The state-changing functions of the contract set. */
export type MarketFunctionName = ContractFunctionName<LoomAbi, 'nonpayable' | 'payable'>;

/** The arguments of `functionName`, as viem encodes them. */
export type MarketFunctionArgs<F extends MarketFunctionName> = ContractFunctionArgs<LoomAbi, 'nonpayable' | 'payable', F>;

/** What a client states when posting a job (the contract's `JobParams`; it adds client and fee). */
export type JobParams = MarketFunctionArgs<'postJob'>[0];

/** The contract's `PaymentAuthorization` (`postJobFor`): a signed EIP-3009 payment's window and signature (sdk/jobPayment.ts). */
export type PaymentAuthorization = MarketFunctionArgs<'postJobFor'>[3];

/** What a client states when posting a replicated job (the contract's `ReplicatedParams`). */
export type ReplicatedJobParams = MarketFunctionArgs<'postReplicatedJob'>[0];

/** A replicated job's terms (the contract's `ReplicatedTerms`), as `ReplicatedJobPosted` emits them. */
export type ReplicatedJobTerms = MarketFunctionArgs<'takeSlot'>[0];

/** A worker's hardware claim (the contract's `HardwareClaim`). */
export type HardwareClaim = MarketFunctionArgs<'register'>[0];

/** A job's terms as the contract takes them, or as the API returns them (`Job.terms`). */
export type TermsInput = JobTerms | ApiJobTerms;

/** A job spec: its bytes, or a JSON value (sent as UTF-8 JSON). */
export type SpecInput = Hex | Uint8Array | Record<string, unknown>;

/** A mined, successful transaction. */
export type Sent = { hash: Hash; receipt: TransactionReceipt };

/** A transaction the contract refused in simulation (`mined: false`: nothing was sent) or reverted on-chain. */
export class TxError extends LoomError {
  override name = 'TxError';
  readonly functionName: string;
  /** The contract's error, when the failure is a revert. */
  readonly revert: DecodedRevert | undefined;
  /** True when the transaction was mined and reverted (its nonce and gas are spent). */
  readonly mined: boolean;
  /** The transaction, when one was sent. */
  readonly hash: Hash | undefined;
  /** The RPC failed (no answer, an HTTP error, an answer that is not JSON) rather than the contract refusing. */
  readonly rpc: RpcFailure | undefined;
  /**
   * The RPC failed while the signed transaction was being sent: the node may have taken it (its
   * answer was lost). Check the chain before sending it again.
   */
  readonly maybeSent: boolean;

  constructor(
    functionName: string,
    shortMessage: string,
    options: { revert?: DecodedRevert; mined?: boolean; hash?: Hash; cause?: unknown; rpc?: RpcFailure; maybeSent?: boolean } = {},
  ) {
    super(shortMessage, { cause: options.cause });
    this.functionName = functionName;
    this.revert = options.revert;
    this.mined = options.mined ?? false;
    this.hash = options.hash;
    this.rpc = options.rpc;
    this.maybeSent = options.maybeSent ?? false;
  }
}

/** What happened to a transaction, for metrics and logs (`unknown`: the RPC failed while it was being sent). */
export type TxOutcome = { functionName: string; outcome: 'refused' | 'mined' | 'reverted' | 'unknown'; revert?: DecodedRevert };

export type PostedReplicatedJob = Sent & {
  jobId: Hex;
  /** The terms the contract completed (client, fee): pass them to every later call. */
  terms: ReplicatedJobTerms;
  approval?: Sent;
};

export type PostedJob = Sent & {
  jobId: Hex;
  /** The terms the contract completed (client, fee): pass them to every later call. */
  terms: JobTerms;
  /** The ERC-20 approval sent first, when the allowance was short. */
  approval?: Sent;
};

/** `value`: ETH sent along; `to`: the contract, for a function two of them have (default: contractFor). */
export type SendOptions = { value?: bigint; to?: LoomContractName };

/** What the writer's parts send and read through: one account, one serialized queue of transactions. */
export type MarketWriterCore = {
  /** The signing account's address. */
  address: Address;
  publicClient: PublicClient;
  /** The address of a contract of the set; a clear error when the configuration has none. */
  addressOf: (name: LoomContractName) => Address;
  /** Simulates, signs, sends and waits (see createMarketWriter's `send`). */
  send: <const F extends MarketFunctionName>(functionName: F, args: MarketFunctionArgs<F>, opts?: SendOptions) => Promise<Sent>;
  allowance: (token: Address, owner?: Address, spender?: Address) => Promise<bigint>;
  approve: (token: Address, amount: bigint, spender?: Address) => Promise<Sent>;
};

/** A spec as the bytes the contract takes. */
export function specBytes(spec: SpecInput): Hex {
  if (typeof spec === 'string') {
    if (!isHex(spec)) throw new LoomError('spec: a string spec must be 0x-prefixed hex bytes (pass a JSON spec as an object)');
    return spec;
  }
  if (spec instanceof Uint8Array) return bytesToHex(spec);
  return stringToHex(JSON.stringify(spec));
}
