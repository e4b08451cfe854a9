/**
 * Posting a job over HTTP, paid with x402 (README: Paying over HTTP (x402)): the gateway answers
 * 402 with the order's payment requirements, the client signs an EIP-3009 transfer of the budget to
 * the order's deposit address (no transaction, no ETH: only the token), and the gateway posts the
 * job with the client as its client. Uses the x402 project's own client (@x402/fetch, @x402/evm).
 *
 * @example
 * const { jobId } = await postJobOverHttp({ gateway: 'http://127.0.0.1:4021', account, order: { spec, budget: 1_000_000n } });
 */
import { decodePaymentRequiredHeader, decodePaymentResponseHeader } from '@x402/core/http';
import { ExactEvmScheme, toClientEvmSigner } from '@x402/evm';
import { wrapFetchWithPayment, x402Client } from '@x402/fetch';
import type { Address, Hash, Hex, LocalAccount } from 'viem';
import { LoomError } from './errors';

/** The local gateway `npm start` runs (gateway/config.ts GATEWAY_DEFAULT_PORT). */
export const DEFAULT_GATEWAY_URL = 'http://127.0.0.1:4021';

/** The job, as `POST /x402/jobs` takes it: amounts in the token's smallest unit, durations in seconds. */
export type HttpJobOrder = {
  spec: Record<string, unknown> | string;
  budget: bigint;
  /** Default: the gateway's (the deployment's USDC). */
  token?: Address;
  openFor?: number;
  executionTimeout?: number;
  challengeWindow?: number;
  minGpuCount?: number;
  minVramMiB?: number;
  gpuModel?: string;
  collateral?: bigint;
};

/** A refusal by the gateway, with its HTTP status and, for payment problems, x402's reason. */
export class GatewayError extends LoomError {
  override name = 'GatewayError';
  constructor(
    readonly status: number,
    readonly reason: string | undefined,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Posts `order` through the x402 gateway at `gateway`, paid by `account` (it signs; it sends
 * nothing). `offerTo`: offer the job to that worker alone (a DIRECT job). Throws GatewayError with
 * the gateway's reason when it refuses.
 */
export async function postJobOverHttp(o: {
  gateway: string;
  account: LocalAccount;
  order: HttpJobOrder;
  offerTo?: Address;
  fetch?: typeof fetch;
}): Promise<{ jobId: Hex; transaction: Hash; payer: Address }> {
  const { order } = o;
  // x402's spend controls know only the mainnet stablecoins; Loom's tokens are allowed here, and the
  // policy is what keeps the client safe: it pays exactly the budget it asked for, in its token.
  const client = new x402Client()
    .register('eip155:*', new ExactEvmScheme(toClientEvmSigner(o.account)))
    .setSpendControls({ allowedAssets: true })
    .registerPolicy((_version, accepts) =>
      accepts.filter((r) => r.amount === order.budget.toString() && (!order.token || r.asset.toLowerCase() === order.token.toLowerCase())),
    );
  const pay = wrapFetchWithPayment(o.fetch ?? fetch, client);
  const body = {
    client: o.account.address,
    spec: order.spec,
    budget: order.budget.toString(),
    ...(order.token ? { token: order.token } : {}),
    ...(order.openFor !== undefined ? { openFor: order.openFor } : {}),
    ...(order.executionTimeout !== undefined ? { executionTimeout: order.executionTimeout } : {}),
    ...(order.challengeWindow !== undefined ? { challengeWindow: order.challengeWindow } : {}),
    ...(order.minGpuCount !== undefined ? { minGpuCount: order.minGpuCount } : {}),
    ...(order.minVramMiB !== undefined ? { minVramMiB: order.minVramMiB } : {}),
    ...(order.gpuModel !== undefined ? { gpuModel: order.gpuModel } : {}),
    ...(order.collateral !== undefined ? { collateral: order.collateral.toString() } : {}),
  };
  const base = o.gateway.replace(/\/+$/, '');
  const url = o.offerTo ? `${base}/x402/workers/${o.offerTo}/jobs` : `${base}/x402/jobs`;
  let res: Response;
  try {
    res = await pay(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause;
    throw new LoomError(`the x402 gateway at ${base} ${cause?.code === 'ECONNREFUSED' ? 'is not running (connection refused)' : `failed: ${(err as Error).message}`}`, { cause: err });
  }
  const answer = (await res.json().catch(() => undefined)) as { jobId?: Hex; transaction?: Hash; error?: string; reason?: string } | undefined;
  if (res.status === 201 && answer?.jobId && answer.transaction) {
    const settled = res.headers.get('PAYMENT-RESPONSE');
    const payer = (settled ? decodePaymentResponseHeader(settled).payer : undefined) ?? o.account.address;
    return { jobId: answer.jobId, transaction: answer.transaction, payer: payer as Address };
  }
  // A payment refused: x402 puts the reason in the fresh PAYMENT-REQUIRED header's `error`.
  const required = res.headers.get('PAYMENT-REQUIRED');
  let reason = answer?.reason;
  if (!reason && required) {
    try {
      reason = decodePaymentRequiredHeader(required).error?.split(':')[0];
    } catch {
      // No readable header: the body's error is all there is.
    }
  }
  throw new GatewayError(res.status, reason, `the x402 gateway refused the job (HTTP ${res.status}${reason ? `, ${reason}` : ''}): ${answer?.error ?? res.statusText}`);
}
