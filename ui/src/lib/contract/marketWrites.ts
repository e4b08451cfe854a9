/**
 * Every transaction the UI sends, in one place, through the SDK's writer (sdk/writes.ts): calls typed
 * from the ABI, each simulated first (so a revert is explained by its Solidity error before the user
 * signs anything), then signed in the user's wallet. They resolve with the hash once signed: the
 * transaction flow (txFlow.svelte.ts) follows the block and the indexer itself. The chain's RPC is
 * used only to prepare and follow these transactions.
 */
import { erc20Abi, zeroAddress, type Address, type Hex } from 'viem';
import type { WalletState } from '$lib/wallet/walletState.svelte';
import type { JobParams, ReplicatedJobParams, ReplicatedJobTerms } from '$sdk/writes';
import type { ModelParams } from '$sdk/modelWrites';
import { jobIdOf, type JobTerms as ContractTerms } from '$sdk/jobTerms';
import { replicatedJobIdOf } from '$sdk/replicatedTerms';
import { createMarketWriter } from '$sdk/writes';

/**
 * The contract a credit lives in, or an approval goes to: LoomMarket (single-worker jobs),
 * LoomReplicatedMarket, or LoomModels (royalties and unearned model fees; it also takes the budget and
 * the fees of a job that uses models).
 */
export type MarketName = 'market' | 'replicated' | 'models';

/** A writer for the connected account (the wallet's network is checked first, every time). */
async function writer(wallet: WalletState) {
  const walletClient = await wallet.walletClient();
  return createMarketWriter({
    publicClient: wallet.publicClient,
    walletClient,
    contracts: {
      market: wallet.config.market,
      registry: wallet.config.registry,
      ...(wallet.config.replicated ? { replicated: wallet.config.replicated } : {}),
      ...(wallet.config.models ? { models: wallet.config.models } : {}),
    },
    chain: wallet.chain,
  });
}

/** Refuses terms that do not hash to the job's id (they would revert with JobNotFound anyway). */
function checked(terms: ContractTerms, jobId?: Hex): ContractTerms {
  if (jobId && jobIdOf(terms).toLowerCase() !== jobId.toLowerCase()) throw new Error("The job's terms do not hash to its id.");
  return terms;
}

/** The same check for a replicated job's terms. */
function checkedReplicated(terms: ReplicatedJobTerms, jobId?: Hex): ReplicatedJobTerms {
  if (jobId && replicatedJobIdOf(terms).toLowerCase() !== jobId.toLowerCase()) throw new Error("The job's terms do not hash to its id.");
  return terms;
}

/** The address of a market; a clear error when the deployment has no replicated market. */
function marketAddress(wallet: WalletState, market: MarketName): Address {
  if (market === 'market') return wallet.config.market;
  if (market === 'models') {
    if (!wallet.config.models) throw new Error('This deployment has no model hub (PUBLIC_MODELS_ADDRESS, or a deployment record with LoomModels).');
    return wallet.config.models;
  }
  if (!wallet.config.replicated) throw new Error('This deployment has no replicated market (PUBLIC_REPLICATED_MARKET_ADDRESS, or a deployment record with one).');
  return wallet.config.replicated;
}

export const marketWrites = {
  /** Delivers a sealed secrets bundle (sdk/sealedDelivery.ts prepares the arguments) through the registry. */
  sendSealed: async (wallet: WalletState, jobId: Hex, worker: Address, d: { bundleHash: Hex; inlineBundle: Hex; uri: string }) =>
    (await writer(wallet)).write('sendSealed', [jobId, worker, d.bundleHash, d.inlineBundle, d.uri]),
  postJob: async (wallet: WalletState, params: JobParams, spec: Hex) =>
    (await writer(wallet)).write('postJob', [params, spec], params.token === zeroAddress ? { value: params.budget } : {}),
  acceptBid: async (wallet: WalletState, terms: ContractTerms, worker: Address, jobId?: Hex) =>
    (await writer(wallet)).write('acceptBid', [checked(terms, jobId), worker]),
  cancelJob: async (wallet: WalletState, terms: ContractTerms, jobId?: Hex) => (await writer(wallet)).write('cancelJob', [checked(terms, jobId)]),
  release: async (wallet: WalletState, terms: ContractTerms, jobId?: Hex) => (await writer(wallet)).write('release', [checked(terms, jobId)]),
  dispute: async (wallet: WalletState, terms: ContractTerms, reason: string, jobId?: Hex) =>
    (await writer(wallet)).write('dispute', [checked(terms, jobId), reason]),
  submitEvidence: async (wallet: WalletState, terms: ContractTerms, evidence: string, jobId?: Hex) =>
    (await writer(wallet)).write('submitEvidence', [checked(terms, jobId), evidence]),
  resolveDispute: async (wallet: WalletState, terms: ContractTerms, workerAmount: bigint, slash: bigint, jobId?: Hex) =>
    (await writer(wallet)).write('resolveDispute', [checked(terms, jobId), workerAmount, slash]),
  settleTimedOutDispute: async (wallet: WalletState, terms: ContractTerms, jobId?: Hex) =>
    (await writer(wallet)).write('settleTimedOutDispute', [checked(terms, jobId)]),
  expire: async (wallet: WalletState, terms: ContractTerms, jobId?: Hex) => (await writer(wallet)).write('expire', [checked(terms, jobId)]),
  reclaim: async (wallet: WalletState, terms: ContractTerms, jobId?: Hex) => (await writer(wallet)).write('reclaim', [checked(terms, jobId)]),
  /** Withdraws the account's credit of `token` held by one market (each keeps its own). */
  withdraw: async (wallet: WalletState, token: Address, to: Address, from: MarketName = 'market') =>
    (await writer(wallet)).write('withdraw', [token, to], { to: from }),

  /** Posts a replicated job, escrowing `price * replicas` (sent as ETH, or approved first for an ERC-20). */
  postReplicatedJob: async (wallet: WalletState, params: ReplicatedJobParams, spec: Hex) =>
    (await writer(wallet)).write('postReplicatedJob', [params, spec], params.token === zeroAddress ? { value: params.price * BigInt(params.replicas) } : {}),
  cancelReplicatedJob: async (wallet: WalletState, terms: ReplicatedJobTerms, jobId?: Hex) =>
    (await writer(wallet)).write('cancelReplicatedJob', [checkedReplicated(terms, jobId)]),
  /** Settles a replicated job (anyone, once reveals are over or every slot revealed). */
  finalize: async (wallet: WalletState, terms: ReplicatedJobTerms, jobId?: Hex) => (await writer(wallet)).write('finalize', [checkedReplicated(terms, jobId)]),

  // The model hub (LoomModels).
  /** Publishes a model version (its files already in the artifact store, by sha256). */
  publishModel: async (wallet: WalletState, model: ModelParams) => (await writer(wallet)).write('publish', [model]),
  retireModel: async (wallet: WalletState, modelId: number) => (await writer(wallet)).write('retire', [modelId]),
  /**
   * Posts a job that uses models through LoomModels, which escrows the budget in the market and the
   * fees itself: ETH sends budget + fees, an ERC-20 is approved to LoomModels for both first.
   */
  postJobWithModels: async (wallet: WalletState, params: JobParams, spec: Hex, modelIds: readonly number[], fees: bigint) =>
    (await writer(wallet)).write('postJobWithModels', [params, spec, modelIds], params.token === zeroAddress ? { value: params.budget + fees } : {}),
  /** The same for a replicated job (its budget is price × replicas). */
  postReplicatedJobWithModels: async (wallet: WalletState, params: ReplicatedJobParams, spec: Hex, modelIds: readonly number[], fees: bigint) =>
    (await writer(wallet)).write(
      'postReplicatedJobWithModels',
      [marketAddress(wallet, 'replicated'), params, spec, modelIds],
      params.token === zeroAddress ? { value: params.price * BigInt(params.replicas) + fees } : {},
    ),

  // Worker pools (LoomRegistry).
  createPool: async (wallet: WalletState, name: string, metadataURI: string, feeBps: number, approvalRequired: boolean) =>
    (await writer(wallet)).write('createPool', [name, metadataURI, feeBps, approvalRequired]),
  setPoolFee: async (wallet: WalletState, pool: bigint, feeBps: number) => (await writer(wallet)).write('setPoolFee', [pool, feeBps]),
  joinPool: async (wallet: WalletState, pool: bigint) => (await writer(wallet)).write('joinPool', [pool]),
  leavePool: async (wallet: WalletState) => (await writer(wallet)).write('leavePool', []),
  approveMember: async (wallet: WalletState, pool: bigint, worker: Address) => (await writer(wallet)).write('approveMember', [pool, worker]),
  removeMember: async (wallet: WalletState, pool: bigint, worker: Address) => (await writer(wallet)).write('removeMember', [pool, worker]),

  /** ERC-20 approval of a market (default: the single-worker one), the step before posting a job paid in a token. */
  approve: async (wallet: WalletState, token: Address, amount: bigint, spender: MarketName = 'market') =>
    (await writer(wallet)).writeApprove(token, amount, marketAddress(wallet, spender)),

  /** How much of `token` a market may spend for `owner` (read to decide whether to approve; no wallet needed). */
  allowance: (wallet: WalletState, token: Address, owner: Address, spender: MarketName = 'market') =>
    wallet.publicClient.readContract({ address: token, abi: erc20Abi, functionName: 'allowance', args: [owner, marketAddress(wallet, spender)] }),

  /** The owner's balance of `token` (zero address: ETH), to warn before posting. */
  balance: (wallet: WalletState, token: Address, owner: Address) =>
    token === zeroAddress
      ? wallet.publicClient.getBalance({ address: owner })
      : wallet.publicClient.readContract({ address: token, abi: erc20Abi, functionName: 'balanceOf', args: [owner] }),
};
