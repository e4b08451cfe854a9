/**
 * Every transaction the UI sends, in one place. Each is simulated first (so a revert is explained
 * by its Solidity error before the user signs anything), then signed in the user's wallet. The
 * chain's RPC is used only to prepare and follow these transactions.
 */
import { erc20Abi, zeroAddress, type Address, type Hex } from 'viem';
import { loomMarketAbi } from '$abis/generated';
import type { WalletState } from '$lib/wallet/walletState.svelte';
import type { JobParams } from '$lib/jobParams';
import { jobIdOf, type JobTerms as ContractTerms } from '$sdk/jobTerms';

type MarketFunction =
  | 'postJob'
  | 'acceptBid'
  | 'cancelJob'
  | 'release'
  | 'dispute'
  | 'submitEvidence'
  | 'resolveDispute'
  | 'settleTimedOutDispute'
  | 'expire'
  | 'reclaim'
  | 'withdraw';

async function sendMarket(wallet: WalletState, functionName: MarketFunction, args: readonly unknown[], value?: bigint): Promise<Hex> {
  const client = await wallet.walletClient();
  const { request } = await wallet.publicClient.simulateContract({
    address: wallet.config.market,
    abi: loomMarketAbi,
    functionName,
    args,
    account: client.account,
    ...(value ? { value } : {}),
  } as never);
  return client.writeContract({ ...(request as object), account: client.account, chain: wallet.chain } as never);
}

/** Refuses terms that do not hash to the job's id (they would revert with JobNotFound anyway). */
function checked(terms: ContractTerms, jobId?: Hex): ContractTerms {
  if (jobId && jobIdOf(terms).toLowerCase() !== jobId.toLowerCase()) throw new Error("The job's terms do not hash to its id.");
  return terms;
}

export const marketWrites = {
  postJob: (wallet: WalletState, params: JobParams, spec: Hex) =>
    sendMarket(wallet, 'postJob', [params, spec], params.token === zeroAddress ? params.budget : undefined),
  acceptBid: (wallet: WalletState, terms: ContractTerms, worker: Address, jobId?: Hex) => sendMarket(wallet, 'acceptBid', [checked(terms, jobId), worker]),
  cancelJob: (wallet: WalletState, terms: ContractTerms, jobId?: Hex) => sendMarket(wallet, 'cancelJob', [checked(terms, jobId)]),
  release: (wallet: WalletState, terms: ContractTerms, jobId?: Hex) => sendMarket(wallet, 'release', [checked(terms, jobId)]),
  dispute: (wallet: WalletState, terms: ContractTerms, reason: string, jobId?: Hex) => sendMarket(wallet, 'dispute', [checked(terms, jobId), reason]),
  submitEvidence: (wallet: WalletState, terms: ContractTerms, evidence: string, jobId?: Hex) =>
    sendMarket(wallet, 'submitEvidence', [checked(terms, jobId), evidence]),
  resolveDispute: (wallet: WalletState, terms: ContractTerms, workerAmount: bigint, slash: bigint, jobId?: Hex) =>
    sendMarket(wallet, 'resolveDispute', [checked(terms, jobId), workerAmount, slash]),
  settleTimedOutDispute: (wallet: WalletState, terms: ContractTerms, jobId?: Hex) => sendMarket(wallet, 'settleTimedOutDispute', [checked(terms, jobId)]),
  expire: (wallet: WalletState, terms: ContractTerms, jobId?: Hex) => sendMarket(wallet, 'expire', [checked(terms, jobId)]),
  reclaim: (wallet: WalletState, terms: ContractTerms, jobId?: Hex) => sendMarket(wallet, 'reclaim', [checked(terms, jobId)]),
  withdraw: (wallet: WalletState, token: Address, to: Address) => sendMarket(wallet, 'withdraw', [token, to]),

  /** ERC-20 approval of the market, the step before posting a job paid in a token. */
  async approve(wallet: WalletState, token: Address, amount: bigint): Promise<Hex> {
    const client = await wallet.walletClient();
    const { request } = await wallet.publicClient.simulateContract({
      address: token,
      abi: erc20Abi,
      functionName: 'approve',
      args: [wallet.config.market, amount],
      account: client.account,
    });
    return client.writeContract({ ...request, account: client.account, chain: wallet.chain } as never);
  },

  /** How much of `token` the market may spend for `owner` (read to decide whether to approve). */
  allowance: (wallet: WalletState, token: Address, owner: Address) =>
    wallet.publicClient.readContract({ address: token, abi: erc20Abi, functionName: 'allowance', args: [owner, wallet.config.market] }),

  /** The owner's balance of `token` (zero address: ETH), to warn before posting. */
  balance: (wallet: WalletState, token: Address, owner: Address) =>
    token === zeroAddress
      ? wallet.publicClient.getBalance({ address: owner })
      : wallet.publicClient.readContract({ address: token, abi: erc20Abi, functionName: 'balanceOf', args: [owner] }),
};
