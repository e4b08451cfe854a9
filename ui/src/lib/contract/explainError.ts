/**
 * Why a transaction failed, in words: contract reverts by their Solidity error name with a plain
 * sentence (decoded by the SDK with the contract set's and the token's ABIs: sdk/revert.ts), a signature
 * the user declined, the wrong network, missing funds, an RPC that does not answer.
 */
import { BaseError, ChainMismatchError, InsufficientFundsError, UserRejectedRequestError } from 'viem';
import { decodeRevert } from '$sdk/revert';
import { formatDateTime } from '$lib/format';
import { formatEth, formatUnitsHuman } from '$sdk/format/amounts';
import type { TokenInfo } from '$sdk/format/tokens';

export type ErrorKind = 'rejected' | 'revert' | 'chain' | 'funds' | 'network' | 'unknown';

export type Explained = {
  kind: ErrorKind;
  /** Short: the Solidity error name for reverts ("NotClient"), else a few words. */
  title: string;
  /** A sentence for people. */
  message: string;
  /** The decoded revert, when it is one. */
  errorName?: string;
  args?: readonly unknown[];
};

export type ExplainContext = {
  /** The token of the job or transfer, to word ERC-20 amounts. */
  token?: TokenInfo;
};

const STATUS_WORDS = ['not posted', 'open', 'running', 'waiting for release', 'disputed', 'closed'];
const status = (n: unknown) => STATUS_WORDS[Number(n)] ?? `in status ${String(n)}`;
/** enum SlotState (contracts/src/interfaces/ILoomTypes.sol) in words. */
const SLOT_WORDS = ['empty', 'taken', 'committed', 'revealed'];
const slotState = (n: unknown) => SLOT_WORDS[Number(n)] ?? `in state ${String(n)}`;
const when = (t: unknown) => formatDateTime(Number(t));
const units = (raw: unknown, ctx: ExplainContext) =>
  ctx.token && !ctx.token.unknown ? `${formatUnitsHuman(raw as bigint, ctx.token.decimals)} ${ctx.token.symbol}` : `${String(raw)} units`;

/** A sentence for each of the market's and the token's errors; args as decoded (bigints, addresses). */
const MESSAGES: Record<string, (args: readonly unknown[], ctx: ExplainContext) => string> = {
  // A require string (none in the market; a token may have them): its own words.
  Error: ([reason]) => `The contract refused the call: ${String(reason)}`,
  JobNotFound: () => 'No job with these terms was ever posted.',
  JobExists: () => 'A job with exactly these terms exists already. Post again: a new salt makes the job unique.',
  UnexpectedStatus: ([, expected, actual]) => `The job is ${status(actual)}; this needs it to be ${status(expected)}.`,
  WrongMode: ([, mode]) =>
    Number(mode) === 0
      ? 'This is for auction jobs, and this job goes to the first worker who claims it.'
      : Number(mode) === 2
        ? 'This is for auction jobs, and this job is a direct offer to one worker.'
        : 'This is for first-claim jobs, and this job is an auction.',
  InvalidOffer: ([mode]) =>
    Number(mode) === 2 ? 'A direct offer must name the worker it is offered to.' : 'Only a direct offer names a worker: choose "Direct offer", or leave the worker out.',
  NotOfferedWorker: () => 'This job is a direct offer to another worker: only that worker can claim it.',
  NotClient: () => "Only the job's client can do this, and the connected account is not the client.",
  NotAssignedWorker: () => 'Only the worker assigned to this job can do this.',
  NotArbiter: () => "Only this job's arbiter can rule on its dispute.",
  NotParty: () => "Only the job's client or its worker can add evidence.",
  DeadlinePassed: ([, deadline]) => `Too late: the deadline for this step was ${when(deadline)}.`,
  DeadlineNotReached: ([, deadline]) => `Too early: this becomes possible after ${when(deadline)}.`,
  SpecTooLarge: ([length, max]) => `The job spec is ${length} bytes; the market accepts at most ${max}.`,
  ZeroBudget: () => 'The budget must be more than zero.',
  ValueMismatch: ([expected, sent]) => `The transaction sent ${formatEth(sent as bigint)}, and the call needs exactly ${formatEth(expected as bigint)}.`,
  TokenNotAllowed: () => 'The market does not accept payment in this token.',
  ArbiterNotAllowed: () => "This arbiter is not on the market's list of arbiters.",
  InvalidOpenUntil: () => 'The window for claims or bids must end in the future, and within 90 days.',
  InvalidExecutionTimeout: () => 'The execution timeout must be between 1 second and 30 days.',
  InvalidChallengeWindow: () => 'The challenge window can be at most 30 days.',
  TransferAmountMismatch: () => 'The token moved a different amount than requested: tokens that charge a fee on transfer are not accepted.',
  NotRegistered: () => 'This account is not a registered worker.',
  AlreadyRegistered: () => 'This account is registered as a worker already.',
  WorkerUnavailable: () => 'The worker is not open to new jobs.',
  RequirementsNotMet: () => "The worker's hardware does not meet the job's requirements.",
  InsufficientFreeStake: ([, free, required]) =>
    `The worker's free stake (${formatEth(free as bigint)}) does not cover the job's collateral (${formatEth(required as bigint)}).`,
  InvalidBidPrice: ([, budget], ctx) => `A bid must be more than zero and at most the budget (${units(budget, ctx)}).`,
  BidNotFound: () => 'This worker has no standing bid on the job (it may have withdrawn it).',
  StakeLocked: ([, locked]) => `The worker still has ${formatEth(locked as bigint)} of collateral locked in jobs.`,
  UnbondingNotReady: ([, , unlockAt]) => `No stake can be withdrawn yet: it unlocks ${when(unlockAt)}.`,
  MarketNotTrusted: () => 'The worker registry does not trust this market to lock stake.',
  LockNotHeld: () => 'This market holds no such collateral of the worker.',
  NoTrustChangePending: () => 'No change of trusted markets is pending for this market.',
  TrustChangeNotReady: ([, effectiveAt]) => `The change of trusted markets takes effect only ${when(effectiveAt)}.`,
  UnexpectedSender: () => 'Only the worker registry sends ETH to a market.',
  InvalidReplication: ([replicas, quorum]) =>
    `${String(replicas)} replicas with a quorum of ${String(quorum)} is not allowed: 2 to 7 replicas, and a quorum of more than half of them.`,
  InvalidWindow: () => 'The commit and reveal windows must each be between 1 second and 30 days.',
  BudgetOverflow: () => 'The price times the number of replicas is too large.',
  NoFreeSlot: () => 'Every slot of this job is taken.',
  SlotAlreadyHeld: () => 'This worker holds a slot of the job already: each replica needs a different worker.',
  NotSlotWorker: () => 'Only the worker holding this slot can do this.',
  UnexpectedSlotState: ([, , expected, actual]) => `The slot is ${slotState(actual)}; this needs it to be ${slotState(expected)}.`,
  ZeroCommitment: () => 'A commitment must not be zero.',
  CommitmentMismatch: () => 'The revealed result and salt do not match what the worker committed to.',
  RevealNotOpen: ([, commitDeadline]) => `Reveals open once every slot has committed, or after ${when(commitDeadline)}.`,
  FinalizeTooEarly: ([, deadline]) => `Too early to settle: reveals are still possible until ${when(deadline)}.`,
  JobAlreadyClosed: () => 'The job has been settled already.',
  SlotsTaken: ([, filled]) => `Workers have taken ${String(filled)} slot(s) of the job: it can no longer be cancelled.`,
  ZeroResultHash: () => 'A result hash must not be zero.',
  // Worker pools (LoomRegistry).
  PoolNotFound: ([pool]) => `No pool ${String(pool)} exists.`,
  NotPoolOperator: ([pool]) => `Only the operator of pool ${String(pool)} can do this.`,
  NotPoolMember: ([pool]) => `This worker is not a member of pool ${String(pool)} (nor asked to join it).`,
  PoolMembershipExists: ([, pool]) => `This worker is in pool ${String(pool)} already (or asked to join it): a worker is in one pool at a time; leave it first.`,
  PoolJobsActive: ([, count]) => `This worker still holds ${String(count)} pool job(s): it can join another pool once they are closed.`,
  NoJoinRequest: ([pool]) => `This worker has not asked to join pool ${String(pool)}.`,
  EmptyName: () => 'A name is needed.',
  // The model hub (LoomModels).
  ModelNotFound: ([id]) => `No model ${String(id)} exists.`,
  ModelIsRetired: ([id]) => `Model ${String(id)} is retired: its creator withdrew it from new jobs.`,
  NotModelCreator: ([id]) => `Only the creator of model ${String(id)} can do this.`,
  ModelTokenMismatch: ([id]) => `Model ${String(id)} charges its fee in another token than the job's: pay the job in the model's token, or leave the model out.`,
  InvalidModelCount: ([count, max]) => `A job uses from 1 to ${String(max)} models, not ${String(count)}.`,
  DuplicateModel: ([id]) => `Model ${String(id)} is listed twice.`,
  InvalidModelContent: () => 'A weights or dataset model lists its files (at most 64) and no image; an image model names its image and no files.',
  UntrustedMarket: () => 'The worker registry does not trust this replicated market.',
  TextTooLong: ([length, max]) => `The text is ${length} bytes long; at most ${max} bytes are accepted.`,
  SealedBundleTooLarge: ([length, max]) => `The sealed secrets are ${length} bytes; at most ${max} bytes travel on-chain: send fewer or shorter secrets.`,
  SealedBundleMissing: () => 'The sealed secrets are empty, or their hash is missing.',
  SealedBundleHashMismatch: () => 'The sealed secrets do not hash to the hash sent with them.',
  InvalidRuling: ([, price, , collateral]) =>
    `The ruling hands out more than the job holds: at most the price (${String(price)} units) to the worker and at most the collateral (${formatEth(collateral as bigint)}) slashed.`,
  NothingToWithdraw: () => 'There is nothing to withdraw in this token.',
  EthTransferFailed: () => 'Sending the ETH to the recipient failed; try another address.',
  FeeTooHigh: ([fee, max]) => `A fee of ${fee} basis points is above the maximum of ${max}.`,
  ZeroAddress: () => 'An address that must be set is empty.',
  DefaultArbiterRequired: () => 'The default arbiter cannot be removed; choose another default first.',
  OwnableUnauthorizedAccount: () => "Only the market's owner can do this.",
  OwnableInvalidOwner: () => 'That address cannot own the market.',
  ReentrancyGuardReentrantCall: () => 'The market refused a nested call.',
  SafeERC20FailedOperation: () => 'The token transfer failed.',
  ERC20InsufficientAllowance: ([, allowance, needed], ctx) =>
    `The market may spend only ${units(allowance, ctx)} of your tokens and needs ${units(needed, ctx)}: approve the amount first.`,
  ERC20InsufficientBalance: ([, balance, needed], ctx) => `Your balance (${units(balance, ctx)}) is less than the ${units(needed, ctx)} needed.`,
  ERC20InvalidApprover: () => 'The token refused the approval.',
  ERC20InvalidReceiver: () => 'The token refused the receiver.',
  ERC20InvalidSender: () => 'The token refused the sender.',
  ERC20InvalidSpender: () => 'The token refused the spender.',
  // Signed payments (posting on a client's behalf, EIP-3009; permits, EIP-2612).
  AuthorizationUnsupported: () => 'Paying by signature needs a token with EIP-3009 transfer authorizations (such as USDC); this one, or ETH, has none.',
  ERC3009InvalidSignature: () => 'The payment signature does not match: it was signed by another account, or for other terms (budget, fee, spec, salt) than these.',
  ERC3009InvalidAuthorizationTime: ([validAfter, validBefore]) =>
    `The payment authorization is valid only after ${formatDateTime(Number(validAfter))} and before ${formatDateTime(Number(validBefore))}.`,
  ERC3009UsedAuthorization: () => 'This payment authorization was used or cancelled already.',
  DepositShort: ([, received, budget], ctx) =>
    `The payment's deposit address holds ${units(received, ctx)}, less than the ${units(budget, ctx)} budget: the transfer was not made, or was of less. What it holds stays there until refunded.`,
  NothingDeposited: () => "Nothing was paid to this order's deposit address.",
  ERC2612ExpiredSignature: ([deadline]) => `The permit expired at ${formatDateTime(Number(deadline))}.`,
  ERC2612InvalidSigner: () => 'The permit was signed by another account than the owner.',
  InvalidAccountNonce: () => 'The permit was signed for another nonce (an older or a used one).',
  ECDSAInvalidSignature: () => 'The signature is not valid.',
  ECDSAInvalidSignatureLength: () => 'The signature has the wrong length.',
  ECDSAInvalidSignatureS: () => 'The signature is malleable (high s) and refused.',
  InvalidShortString: () => "The token's name is malformed.",
  StringTooLong: () => "The token's name is too long.",
  SafeCastOverflowedUintDowncast: () => 'A number is too large for the token.',
};

/** The plain sentence for a decoded revert. */
export function revertMessage(errorName: string, args: readonly unknown[] = [], ctx: ExplainContext = {}): string {
  const message = MESSAGES[errorName];
  return message ? message(args, ctx) : `The contract refused the call (${errorName}).`;
}

type Walkable = { cause?: unknown; data?: unknown; raw?: unknown; code?: unknown; shortMessage?: unknown; name?: unknown };

/** Every error in the cause chain, outermost first. */
function chain(err: unknown): Walkable[] {
  const out: Walkable[] = [];
  let e: unknown = err;
  for (let i = 0; e && typeof e === 'object' && i < 20; i++) {
    out.push(e as Walkable);
    e = (e as Walkable).cause;
  }
  return out;
}

/** Explains any error a transaction can end with. */
export function explainError(err: unknown, ctx: ExplainContext = {}): Explained {
  const links = chain(err);
  if (links.some((e) => e instanceof UserRejectedRequestError || e.code === 4001 || e.code === 'ACTION_REJECTED')) {
    return { kind: 'rejected', title: 'Signature declined', message: 'You declined the request in your wallet. Nothing was sent.' };
  }
  if (links.some((e) => e instanceof ChainMismatchError || e.name === 'WrongNetworkError')) {
    return {
      kind: 'chain',
      title: 'Wrong network',
      message: 'Your wallet is connected to another network. Switch to the network shown at the top and try again.',
    };
  }
  const revert = decodeRevert(err);
  if (revert) {
    return { kind: 'revert', title: revert.name, message: revertMessage(revert.name, revert.args, ctx), errorName: revert.name, args: revert.args };
  }
  if (links.some((e) => e instanceof InsufficientFundsError)) {
    return { kind: 'funds', title: 'Not enough ETH', message: 'The account does not hold enough ETH for this transaction and its gas.' };
  }
  if (links.some((e) => e.name === 'HttpRequestError' || e.name === 'TimeoutError' || (e instanceof TypeError && /fetch/i.test(String((e as Error).message))))) {
    return { kind: 'network', title: 'No answer', message: 'The chain did not answer. Check your connection and try again.' };
  }
  // viem's own words where there are some (the SDK's TxError wraps them: "postJob refused: ...").
  const viemError = links.find((e) => e instanceof BaseError) as BaseError | undefined;
  const short = viemError ? viemError.shortMessage : err instanceof Error ? err.message : String(err);
  return { kind: 'unknown', title: 'Something went wrong', message: short };
}
