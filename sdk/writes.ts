/**
 * Writes to the contract set (LoomRegistry, LoomMarket, LoomReplicatedMarket): typed contract calls
 * (function names and arguments from the generated ABIs), each sent to the contract that has it
 * (sdk/contracts.ts) and simulated before it is signed.
 *
 * - A transaction the contract would refuse is never sent: the simulation's revert is decoded into
 *   its Solidity error (sdk/revert.ts) and thrown as a TxError with `revert` set and `mined: false`;
 *   no nonce, no gas, no signature prompt.
 * - Sends are serialized (simulate, sign, broadcast one at a time), so nonces never race when a
 *   program fires several at once; receipts are awaited concurrently.
 * - A transaction mined but reverted (the state changed between simulation and block) is a TxError
 *   with `mined: true`, its revert decoded by replaying the call (best effort).
 * - A failure of the RPC itself (no answer, an HTTP error, an answer that is not JSON) is a TxError
 *   with `rpc` set: "not sent" before the signed transaction went out, `maybeSent` while it did (the
 *   node may have taken it and lost only its answer).
 *
 * The typed helpers (`postJob`, `claimJob`, `release`, ...) take a job's terms either as the
 * contract's struct (`JobTerms`) or as the API returns them (`Job.terms`): the latter are converted.
 *
 * @example
 * const writer = createMarketWriter({ publicClient, walletClient, contracts });
 * const { jobId } = await writer.postJob({ terms: { token: zeroAddress, budget: parseEther('0.1'), ... }, spec });
 * await writer.cancelJob(terms); // throws TxError, revert.name 'UnexpectedStatus', when it is no longer open
 */
import { type Account, type Address, type Chain, type Hash, type Hex, type PublicClient, type WalletClient, BaseError, erc20Abi, zeroAddress } from 'viem';
import { type LoomContractName, type LoomContracts, abiOf, contractFor } from './contracts';
import { receiptEvents } from './receipts';
import { LoomError, coded } from './errors';
import { type ApiJobTerms, type JobTerms, toContractTerms } from './jobTerms';
import { modelWrites } from './modelWrites';
import { poolWrites } from './poolWrites';
import { type DecodedRevert, decodeRevert, formatRevert } from './revert';
import { describeRpcFailure, rpcFailure } from './rpcFailure';
import {
  type JobParams,
  type MarketFunctionArgs,
  type MarketFunctionName,
  type MarketWriterCore,
  type PaymentAuthorization,
  type PostedJob,
  type PostedReplicatedJob,
  type ReplicatedJobParams,
  type ReplicatedJobTerms,
  type HardwareClaim,
  type SendOptions,
  type Sent,
  type SpecInput,
  type TermsInput,
  type TxOutcome,
  TxError,
  specBytes,
} from './writeTypes';

export {
  type HardwareClaim,
  type JobParams,
  type MarketFunctionArgs,
  type MarketFunctionName,
  type MarketWriterCore,
  type PaymentAuthorization,
  type PostedJob,
  type PostedReplicatedJob,
  type ReplicatedJobParams,
  type ReplicatedJobTerms,
  type SendOptions,
  type Sent,
  type SpecInput,
  type TermsInput,
  type TxOutcome,
  TxError,
  specBytes,
};

export type MarketWriterOptions = {
  /** Reads: simulations, receipts, allowances. */
  publicClient: PublicClient;
  /** Signs and sends: a local account, or a wallet over EIP-1193. */
  walletClient: WalletClient;
  /** Where the contract set is (sdk/chain/connectChain.ts finds it). */
  contracts: LoomContracts;
  /** Default: the wallet client's account. */
  account?: Account | Address;
  /** Default: the wallet client's chain, else the public client's. */
  chain?: Chain;
  /** Receipt wait limit (default 120 s). */
  receiptTimeoutMs?: number;
  /** Receipt polling interval (default: the public client's). */
  pollingIntervalMs?: number;
  /** Called once per transaction with how it ended (refused in simulation, mined, reverted). */
  onOutcome?: (outcome: TxOutcome) => void;
};

/** The contracts that keep credits, each its own: the two markets and the model hub. */
export type CreditHolder = 'market' | 'replicated' | 'models';

export type MarketWriter = ReturnType<typeof createMarketWriter>;

/**
 * A writer for LoomMarket at `market`, signing with `walletClient`'s account.
 *
 * @example
 * const writer = createMarketWriter({ publicClient, walletClient, contracts });
 * await writer.send('withdraw', [zeroAddress, writer.address]);
 */
export function createMarketWriter(options: MarketWriterOptions) {
  const { publicClient, walletClient, contracts } = options;
  const market = contracts.market;
  const addressOf = (name: LoomContractName): Address => {
    const at = contracts[name];
    if (!at) {
      const what = name === 'replicated' ? 'replicated market address is configured (LOOM_REPLICATED_MARKET_ADDRESS' : `${name === 'models' ? 'model hub (LoomModels)' : name} address is configured (`;
      throw coded('CONFIG_INVALID', `no ${what}, or a deployment record that has one)`);
    }
    return at;
  };
  const account = options.account ?? walletClient.account;
  if (!account) throw new LoomError('createMarketWriter: no account (pass `account`, or a wallet client with one)');
  const address: Address = typeof account === 'string' ? account : account.address;
  const chain = options.chain ?? walletClient.chain ?? publicClient.chain;
  let queue: Promise<unknown> = Promise.resolve();

  /** Runs `fn` after every earlier send has been broadcast (or failed). */
  function serialized<T>(fn: () => Promise<T>): Promise<T> {
    const run = queue.then(fn, fn);
    queue = run.catch(() => {});
    return run;
  }

  type Call = { address: Address; abi: readonly unknown[]; functionName: string; args: readonly unknown[]; value?: bigint };

  function simulate(call: Call) {
    return publicClient.simulateContract({ ...call, account, ...(call.value !== undefined ? { value: call.value } : {}) } as never);
  }

  /** Simulates, then signs and broadcasts; throws TxError (nothing sent) when the simulation reverts. */
  function broadcast(call: Call): Promise<Hash> {
    return serialized(async () => {
      try {
        const { request } = await simulate(call);
        const gas = await publicClient.estimateContractGas({ ...call, account, ...(call.value !== undefined ? { value: call.value } : {}) } as never);
        return await walletClient.writeContract({ ...(request as object), account, chain, gas: withGasMargin(gas) } as never);
      } catch (err) {
        const revert = decodeRevert(err);
        const rpc = revert ? undefined : rpcFailure(err);
        // The node may have taken the transaction before its answer was lost: not "refused".
        if (rpc && (rpc.method === 'eth_sendRawTransaction' || rpc.method === 'eth_sendTransaction')) {
          options.onOutcome?.({ functionName: call.functionName, outcome: 'unknown' });
          throw new TxError(call.functionName, `${call.functionName} may have been sent: ${describeRpcFailure(rpc)}`, { rpc, maybeSent: true, cause: err });
        }
        options.onOutcome?.({ functionName: call.functionName, outcome: 'refused', ...(revert ? { revert } : {}) });
        if (rpc) throw new TxError(call.functionName, `${call.functionName} not sent: ${describeRpcFailure(rpc)}`, { rpc, cause: err });
        const why = revert ? formatRevert(revert) : err instanceof BaseError ? err.shortMessage : (err as Error).message;
        throw new TxError(call.functionName, `${call.functionName} refused: ${why}`, { revert, cause: err });
      }
    });
  }

  /** Waits for the receipt; a reverted transaction is replayed to learn why, then thrown. */
  async function confirm(call: Call, hash: Hash): Promise<Sent> {
    const receipt = await publicClient.waitForTransactionReceipt({
      hash,
      timeout: options.receiptTimeoutMs ?? 120_000,
      ...(options.pollingIntervalMs !== undefined ? { pollingInterval: options.pollingIntervalMs } : {}),
    });
    if (receipt.status === 'success') {
      options.onOutcome?.({ functionName: call.functionName, outcome: 'mined' });
      return { hash, receipt };
    }
    // Best effort: the state may have moved on since the block that reverted it.
    let revert: DecodedRevert | undefined;
    try {
      await simulate(call);
    } catch (err) {
      revert = decodeRevert(err);
    }
    options.onOutcome?.({ functionName: call.functionName, outcome: 'reverted', ...(revert ? { revert } : {}) });
    throw new TxError(call.functionName, `${call.functionName} reverted on-chain in ${hash}${revert ? `: ${formatRevert(revert)}` : ''}`, { revert, mined: true, hash });
  }

  const marketCall = (functionName: string, args: readonly unknown[], value?: bigint, to: LoomContractName = contractFor(functionName)): Call => ({
    address: addressOf(to),
    abi: abiOf[to],
    functionName,
    args,
    ...(value !== undefined ? { value } : {}),
  });
  const approveCall = (token: Address, amount: bigint, spender: Address): Call => ({ address: token, abi: erc20Abi, functionName: 'approve', args: [spender, amount] });

  /**
   * Simulates `functionName(...args)`, then signs, sends, and waits until it is mined.
   * Throws TxError when the simulation or the transaction reverts.
   */
  async function send<const F extends MarketFunctionName>(functionName: F, args: MarketFunctionArgs<F>, opts: SendOptions = {}): Promise<Sent> {
    const call = marketCall(functionName, args as readonly unknown[], opts.value, opts.to);
    return confirm(call, await broadcast(call));
  }

  /**
   * Simulates, signs and sends, and resolves with the hash without waiting: for wallet UIs that
   * follow the transaction themselves. Throws TxError (nothing sent) when the simulation reverts.
   */
  function write<const F extends MarketFunctionName>(functionName: F, args: MarketFunctionArgs<F>, opts: SendOptions = {}): Promise<Hash> {
    return broadcast(marketCall(functionName, args as readonly unknown[], opts.value, opts.to));
  }

  /** How much of `token` a market (default: the single-worker one) may spend for `owner` (default: this account). */
  function allowance(token: Address, owner: Address = address, spender: Address = market): Promise<bigint> {
    return publicClient.readContract({ address: token, abi: erc20Abi, functionName: 'allowance', args: [owner, spender] });
  }

  /** `owner`'s balance of `token` (the zero address: ETH). */
  function balanceOf(token: Address, owner: Address = address): Promise<bigint> {
    return token === zeroAddress
      ? publicClient.getBalance({ address: owner })
      : publicClient.readContract({ address: token, abi: erc20Abi, functionName: 'balanceOf', args: [owner] });
  }

  /** Lets a market (default: the single-worker one) spend `amount` of `token` (the step before posting a job paid in it). */
  async function approve(token: Address, amount: bigint, spender: Address = market): Promise<Sent> {
    const call = approveCall(token, amount, spender);
    return confirm(call, await broadcast(call));
  }

  /** `approve` without waiting for the block (see `write`). */
  function writeApprove(token: Address, amount: bigint, spender: Address = market): Promise<Hash> {
    return broadcast(approveCall(token, amount, spender));
  }

  /**
   * Posts a job: escrows the budget (sent as ETH, or, for an ERC-20, approved first when the
   * allowance is short) and emits the spec. Resolves with the job id and the completed terms.
   */
  async function postJob({ terms, spec }: { terms: JobParams; spec: SpecInput }): Promise<PostedJob> {
    const eth = terms.token === zeroAddress;
    let approval: Sent | undefined;
    if (!eth && (await allowance(terms.token)) < terms.budget) approval = await approve(terms.token, terms.budget);
    const sent = await send('postJob', [terms, specBytes(spec)], eth ? { value: terms.budget } : {});
    const [posted] = receiptEvents(sent.receipt, 'JobPosted');
    if (!posted) throw new LoomError(`postJob: no JobPosted event in ${sent.hash}`);
    return { ...sent, jobId: posted.args.jobId, terms: posted.args.terms as JobTerms, ...(approval ? { approval } : {}) };
  }

  /**
   * Posts a job on behalf of `client`, who paid its budget by signature (sdk/jobPayment.ts
   * `signJobPayment`): this account sends the transaction and pays the gas, nothing else.
   */
  async function postJobFor({ terms, spec, client, payment }: { terms: JobParams; spec: SpecInput; client: Address; payment: PaymentAuthorization }): Promise<PostedJob> {
    const sent = await send('postJobFor', [terms, specBytes(spec), client, payment]);
    const [posted] = receiptEvents(sent.receipt, 'JobPosted');
    if (!posted) throw new LoomError(`postJobFor: no JobPosted event in ${sent.hash}`);
    return { ...sent, jobId: posted.args.jobId, terms: posted.args.terms as JobTerms };
  }

  /**
   * Posts a replicated job: escrows `price * replicas` (ETH, or an ERC-20 approved first when the
   * allowance is short) and emits the spec. Resolves with the job id and the completed terms.
   */
  async function postReplicatedJob({ terms, spec }: { terms: ReplicatedJobParams; spec: SpecInput }): Promise<PostedReplicatedJob> {
    const budget = terms.price * BigInt(terms.replicas);
    const eth = terms.token === zeroAddress;
    const spender = addressOf('replicated');
    let approval: Sent | undefined;
    if (!eth && (await allowance(terms.token, address, spender)) < budget) approval = await approve(terms.token, budget, spender);
    const sent = await send('postReplicatedJob', [terms, specBytes(spec)], eth ? { value: budget } : {});
    const [posted] = receiptEvents(sent.receipt, 'ReplicatedJobPosted');
    if (!posted) throw new LoomError(`postReplicatedJob: no ReplicatedJobPosted event in ${sent.hash}`);
    return { ...sent, jobId: posted.args.jobId, terms: posted.args.terms as ReplicatedJobTerms, ...(approval ? { approval } : {}) };
  }

  /** What the model and pool writes send through (sdk/modelWrites.ts, sdk/poolWrites.ts). */
  const core: MarketWriterCore = { address, publicClient, addressOf, send, allowance, approve };

  const t = (terms: TermsInput): JobTerms => (typeof terms.budget === 'string' ? toContractTerms(terms as ApiJobTerms) : (terms as JobTerms));

  return {
    /** The signing account's address. */
    address,
    market,
    contracts,
    send,
    write,
    allowance,
    balanceOf,
    approve,
    writeApprove,
    postJob,
    postJobFor,
    postReplicatedJob,
    ...modelWrites(core),
    ...poolWrites(core),

    // The client's steps.
    /** Accepts `worker`'s bid on an auction job (its open window must have ended). */
    acceptBid: (terms: TermsInput, worker: Address) => send('acceptBid', [t(terms), worker]),
    /** Cancels a job nobody was assigned yet; the budget is credited back. */
    cancelJob: (terms: TermsInput) => send('cancelJob', [t(terms)]),
    /** Pays the worker for a submitted result (the client at any time; anyone after the challenge window). */
    release: (terms: TermsInput) => send('release', [t(terms)]),
    /** Disputes a submitted result within the challenge window. */
    dispute: (terms: TermsInput, reason: string) => send('dispute', [t(terms), reason]),
    /** Adds evidence to a dispute (the client or the worker). */
    submitEvidence: (terms: TermsInput, evidence: string) => send('submitEvidence', [t(terms), evidence]),
    /** The arbiter's ruling: `workerAmount` of the price to the worker, `slash` of its collateral to the client. */
    resolveDispute: (terms: TermsInput, workerAmount: bigint, slash: bigint) => send('resolveDispute', [t(terms), workerAmount, slash]),
    /** Settles a dispute the arbiter did not rule on in time (anyone). */
    settleTimedOutDispute: (terms: TermsInput) => send('settleTimedOutDispute', [t(terms)]),
    /** Refunds a job whose worker missed the execution deadline, slashing its collateral (anyone). */
    reclaim: (terms: TermsInput) => send('reclaim', [t(terms)]),
    /** Closes a job nobody took in time (anyone). */
    expire: (terms: TermsInput) => send('expire', [t(terms)]),
    /**
     * Withdraws this account's credited balance of `token` (the zero address: ETH) in one contract
     * (default: the single-worker market; each market, and the model hub with its royalties and fee
     * refunds, keeps its own credits) to `to` (default: itself).
     */
    withdraw: (token: Address, to: Address = address, from: CreditHolder = 'market') => send('withdraw', [token, to], { to: from }),
    /** Cancels a replicated job no worker has taken a slot of; the budget is credited back. */
    cancelReplicatedJob: (terms: ReplicatedJobTerms) => send('cancelReplicatedJob', [terms]),
    /** Settles a replicated job once reveals are over (anyone; see LoomReplicatedMarket.finalize). */
    finalize: (terms: ReplicatedJobTerms) => send('finalize', [terms]),

    // The worker's steps.
    /** Registers as a worker with a hardware claim and an ETH stake. */
    register: (claim: HardwareClaim, stake: bigint) => send('register', [claim], { value: stake }),
    updateClaim: (claim: HardwareClaim) => send('updateClaim', [claim]),
    setAvailability: (available: boolean) => send('setAvailability', [available]),
    addStake: (amount: bigint) => send('addStake', [], { value: amount }),
    /** Starts unbonding free stake (withdrawable after the cooldown with `withdrawStake`). */
    requestUnstake: (amount: bigint) => send('requestUnstake', [amount]),
    withdrawStake: (to: Address = address) => send('withdrawStake', [to]),
    deregister: () => send('deregister', []),
    /** Takes a claim-mode job at its budget. */
    claimJob: (terms: TermsInput) => send('claimJob', [t(terms)]),
    /** Bids `price` (at most the budget) on an auction job; a second bid replaces the first. */
    placeBid: (terms: TermsInput, price: bigint) => send('placeBid', [t(terms), price]),
    withdrawBid: (terms: TermsInput) => send('withdrawBid', [t(terms)]),
    /** Publishes the public key clients seal job secrets to. */
    setEncryptionKey: (key: Hex) => send('setEncryptionKey', [key]),
    /** Delivers a sealed secrets bundle for a job to one of its workers (sdk/sealedDelivery.ts prepares the arguments). */
    sendSealed: (jobId: Hex, worker: Address, bundleHash: Hex, inlineBundle: Hex, uri: string) => send('sendSealed', [jobId, worker, bundleHash, inlineBundle, uri]),
    /** Takes the next free slot of a replicated job. */
    takeSlot: (terms: ReplicatedJobTerms) => send('takeSlot', [terms]),
    /** Commits to a result for a slot (see `resultCommitment`). */
    commitResult: (terms: ReplicatedJobTerms, slot: number, commitment: Hex) => send('commitResult', [terms, slot, commitment]),
    /** Reveals what the slot committed to, once the reveal phase is open. */
    revealResult: (terms: ReplicatedJobTerms, slot: number, resultHash: Hex, salt: Hex, resultURI: string) =>
      send('revealResult', [terms, slot, resultHash, salt, resultURI]),
    /**
     * Hands an assigned job back before its execution deadline (e.g. its sealed inputs never arrived or
     * do not open): the client gets the price back, the collateral is unlocked unslashed, the job closes
     * as RETURNED and counts in the worker's public `jobsReturned`.
     */
    returnJob: (terms: TermsInput) => send('returnJob', [t(terms)]),
    /** Posts the result's hash and where to fetch it, before the execution deadline. */
    submitResult: (terms: TermsInput, resultHash: Hex, resultURI: string) => send('submitResult', [t(terms), resultHash, resultURI]),

    /** Transactions of this account sent but not yet mined (nonce 'pending' minus nonce 'latest'). */
    async pendingCount(): Promise<number> {
      const [pending, latest] = await Promise.all([
        publicClient.getTransactionCount({ address, blockTag: 'pending' }),
        publicClient.getTransactionCount({ address, blockTag: 'latest' }),
      ]);
      return pending - latest;
    },
  };
}

/**
 * The gas limit sent for an estimate: a quarter more. The estimate is exact for the state it ran on,
 * and a call may cost more by the time it is mined when others' transactions land first: a replicated
 * job's `takeSlot` checks one more taken slot, its last `commitResult` also opens the reveal phase.
 * Sent with the exact estimate, such a transaction runs out of gas and its fee is lost.
 */
export function withGasMargin(estimate: bigint): bigint {
  return estimate + estimate / 4n;
}
