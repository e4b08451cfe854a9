/**
 * The gateway's side of the chain: where an order's payment goes (LoomDeposits.depositAddress of
 * its order id), and settlement, which is posting the job: LoomDeposits.postJob with the client's
 * authorization, simulated first (a refusal sends nothing), then sent from the gateway's key, which
 * pays the gas. Sends are serialized so that concurrent requests never race the key's nonces; the
 * receipts are awaited concurrently.
 */
import { type Account, type Address, type Hash, type Hex, type PublicClient, type TypedDataDomain, type WalletClient, BaseError } from 'viem';
import { depositsOf, orderDeposit, postFromDepositCall } from '../sdk/jobDeposits';
import { tokenDomain } from '../sdk/jobPayment';
import { receiptEvents } from '../sdk/receipts';
import { type DecodedRevert, decodeRevert, formatRevert } from '../sdk/revert';
import type { Order } from './buildOrder';
import type { Authorization } from './checkPayment';

export type GatewayChain = Awaited<ReturnType<typeof openGatewayChain>>;

/** A settlement the chain refused in simulation: nothing was sent. */
export class SettleRefused extends Error {
  constructor(
    readonly revert: DecodedRevert | undefined,
    message: string,
  ) {
    super(message);
  }
}

export async function openGatewayChain(o: { publicClient: PublicClient; walletClient: WalletClient; account: Account; market: Address; chainId: number }) {
  const { publicClient, walletClient, account } = o;
  const deposits = await depositsOf(publicClient, o.market);
  const domains = new Map<Address, Promise<TypedDataDomain>>();
  let queue: Promise<unknown> = Promise.resolve();
  const serialized = <T>(f: () => Promise<T>): Promise<T> => {
    const run = queue.then(f, f);
    queue = run.catch(() => undefined);
    return run;
  };

  /** The token's EIP-712 domain (read once per token; a failed read is retried next time). */
  function domainOf(token: Address): Promise<TypedDataDomain> {
    let d = domains.get(token);
    if (!d) {
      d = tokenDomain(publicClient, token);
      domains.set(token, d);
      d.catch(() => domains.delete(token));
    }
    return d;
  }

  /** The order's deposit address: the x402 payTo. */
  function payTo(order: Order): Promise<Address> {
    return orderDeposit(publicClient, deposits, order);
  }

  const chainNow = async () => Number((await publicClient.getBlock({ blockTag: 'latest' })).timestamp);

  /**
   * Posts the order's job with the client's authorization: simulated, then sent and mined. Throws
   * SettleRefused (nothing sent) when the simulation reverts.
   */
  async function postJob(order: Order, auth: Authorization, signature: Hex): Promise<{ jobId: Hex; transaction: Hash }> {
    const call = { ...postFromDepositCall(deposits, order, { validAfter: auth.validAfter, validBefore: auth.validBefore, nonce: auth.nonce, signature }), account };
    const hash = await serialized(async () => {
      try {
        const { request } = await publicClient.simulateContract(call);
        return await walletClient.writeContract({ ...request, account, chain: walletClient.chain });
      } catch (err) {
        const revert = decodeRevert(err);
        if (revert) throw new SettleRefused(revert, formatRevert(revert));
        throw new Error(`posting the job failed: ${err instanceof BaseError ? err.shortMessage : (err as Error).message}`, { cause: err });
      }
    });
    const receipt = await publicClient.waitForTransactionReceipt({ hash, pollingInterval: 50 });
    if (receipt.status !== 'success') throw new Error(`the posting transaction ${hash} reverted on-chain`);
    const [posted] = receiptEvents(receipt, 'JobPosted');
    if (!posted) throw new Error(`no JobPosted event in ${hash}`);
    return { jobId: posted.args.jobId, transaction: hash };
  }

  const balance = () => publicClient.getBalance({ address: account.address });

  return { deposits, address: account.address, chainId: o.chainId, domainOf, payTo, chainNow, postJob, balance };
}
