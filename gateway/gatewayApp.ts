/**
 * The x402 gateway's HTTP app: `POST /x402/jobs` and `POST /x402/workers/<address>/jobs` (a direct
 * offer to that worker). Without a payment, 402 with the order's payment requirements in the
 * PAYMENT-REQUIRED header (x402 v2). With a PAYMENT-SIGNATURE, the payment is checked against the
 * order rebuilt from the body and the quote's `extra`, posting is simulated, and only then sent:
 * 201 `{ jobId, transaction }` with a PAYMENT-RESPONSE header. Bad input is a 400, a payment that
 * does not pay this order a 402 with the reason in the header's `error` (and in the body): in both,
 * nothing is sent. There is no facilitator: settling the payment is posting the job, which the
 * gateway does itself.
 */
import { Hono, type Context } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import { decodePaymentSignatureHeader, encodePaymentRequiredHeader, encodePaymentResponseHeader } from '@x402/core/http';
import type { PaymentPayload, PaymentRequirements } from '@x402/core/types';
import { type Address, isAddress } from 'viem';
import { formatAmount } from '../sdk/format/amounts';
import { ETH_TOKEN } from '../sdk/format/tokens';
import { MAX_OPEN_PERIOD } from '../sdk/marketRules';
import { buildOrder, readQuoted } from './buildOrder';
import { paymentRequired, paymentRequirements } from './paymentRequirements';
import { rateLimiter } from './rateLimit';
import { type GatewayChain, SettleRefused } from './gatewayChain';
import { checkPayment } from './checkPayment';

export type GatewayOptions = {
  chain: GatewayChain;
  /** The token a body without `token` pays in (the deployment's USDC). */
  defaultToken: Address;
  /** Below this balance (wei) the gateway cannot pay gas: it refuses work with 503. */
  minBalance: bigint;
  /** Requests per minute per IP and per client address. */
  ratePerIp: number;
  ratePerClient: number;
  /** Errors the gateway cannot attribute to the request (the RPC failed): logged, answered 502. */
  log?: (message: string) => void;
};

/** Why a paid request was refused, by revert name: the reason x402 clients read. */
const REVERT_REASONS: Record<string, string> = {
  ERC3009UsedAuthorization: 'nonce_already_used',
  ERC3009InvalidAuthorizationTime: 'authorization_expired',
  ERC3009InvalidSignature: 'invalid_signature',
  ERC20InsufficientBalance: 'insufficient_funds',
  AuthorizationUnsupported: 'unsupported_asset',
  DepositShort: 'insufficient_funds',
};

export function gatewayApp(o: GatewayOptions) {
  const app = new Hono();
  const perIp = rateLimiter(o.ratePerIp);
  const perClient = rateLimiter(o.ratePerClient);
  const { chain } = o;

  const limited = (c: Context, what: string, retryAfterSeconds: number) => {
    c.header('Retry-After', String(retryAfterSeconds));
    return c.json({ error: `too many requests from this ${what}: try again in ${retryAfterSeconds} s` }, 429);
  };

  async function handle(c: Context, offerTo?: string) {
    const ip = getConnInfo(c).remote.address ?? 'unknown';
    const ipTake = perIp.take(ip);
    if (!ipTake.ok) return limited(c, 'address (IP)', ipTake.retryAfterSeconds);
    if (offerTo !== undefined && !isAddress(offerTo, { strict: false })) return c.json({ error: `"${offerTo}" is not a worker's address` }, 400);

    const body = await c.req.json().catch(() => undefined);
    if (body === undefined) return c.json({ error: 'the body must be JSON: { client, spec, budget, ... }' }, 400);
    const client = typeof body?.client === 'string' ? body.client.toLowerCase() : '';
    if (client) {
      const clientTake = perClient.take(client);
      if (!clientTake.ok) return limited(c, 'client', clientTake.retryAfterSeconds);
    }

    const balance = await chain.balance();
    if (balance < o.minBalance) {
      return c.json({ error: `the gateway cannot pay gas: its account ${chain.address} holds ${formatAmount(balance, ETH_TOKEN)}, below its minimum ${formatAmount(o.minBalance, ETH_TOKEN)}` }, 503);
    }

    const header = c.req.header('PAYMENT-SIGNATURE');
    const resource = c.req.url;
    const now = await chain.chainNow();
    const requirementsFor = async (order: Extract<ReturnType<typeof buildOrder>, { ok: true }>['order']): Promise<PaymentRequirements> => {
      const [payTo, domain] = await Promise.all([chain.payTo(order), chain.domainOf(order.params.token)]);
      return paymentRequirements(order, { chainId: chain.chainId, payTo, domain });
    };

    if (!header) {
      const built = buildOrder(body, { now, defaultToken: o.defaultToken, ...(offerTo ? { offerTo } : {}) });
      if (!built.ok) return c.json({ error: built.error, ...(built.issues ? { issues: built.issues } : {}) }, 400);
      let requirements: PaymentRequirements;
      try {
        requirements = await requirementsFor(built.order);
      } catch (err) {
        return c.json({ error: `the token ${built.order.params.token} cannot be paid over x402: ${(err as Error).message}` }, 400);
      }
      const required = paymentRequired(resource, [requirements]);
      c.header('PAYMENT-REQUIRED', encodePaymentRequiredHeader(required));
      return c.json({ ...required, error: 'payment required: sign the accepted requirements and repeat the request with a PAYMENT-SIGNATURE header' }, 402);
    }

    let payment: PaymentPayload;
    try {
      payment = decodePaymentSignatureHeader(header);
    } catch (err) {
      return c.json({ error: `the PAYMENT-SIGNATURE header is not an x402 payment: ${(err as Error).message}` }, 400);
    }
    if (!payment?.accepted || typeof payment.payload !== 'object') return c.json({ error: 'the PAYMENT-SIGNATURE header has no `accepted` requirements or no `payload`' }, 400);
    const quoted = readQuoted(payment.accepted.extra);
    if (typeof quoted === 'string') return c.json({ error: quoted }, 400);
    const built = buildOrder(body, { now, defaultToken: o.defaultToken, quoted, ...(offerTo ? { offerTo } : {}) });
    if (!built.ok) return c.json({ error: built.error, ...(built.issues ? { issues: built.issues } : {}) }, 400);
    const { order } = built;
    let expected: PaymentRequirements;
    try {
      expected = await requirementsFor(order);
    } catch (err) {
      return c.json({ error: `the token ${order.params.token} cannot be paid over x402: ${(err as Error).message}` }, 400);
    }
    /** A payment that does not pay this order: 402 with a fresh quote and the reason (x402's error format). */
    const refuse = (reason: string, message: string) => {
      c.header('PAYMENT-REQUIRED', encodePaymentRequiredHeader(paymentRequired(resource, [expected], `${reason}: ${message}`)));
      return c.json({ error: message, reason }, 402);
    };
    if (order.params.openUntil <= now) return refuse('quote_expired', `the quote's open deadline ${order.params.openUntil} has passed (chain time ${now}): request a new quote`);
    // A made-up extra.openUntil: the market would refuse it; say so before simulating.
    if (order.params.openUntil > now + MAX_OPEN_PERIOD) return c.json({ error: `accepted.extra.openUntil ${order.params.openUntil} is more than ${MAX_OPEN_PERIOD} s ahead (chain time ${now}): pay the quote this gateway made` }, 400);

    const checked = await checkPayment(payment, { expected, client: order.client, domain: await chain.domainOf(order.params.token), now });
    if (!checked.ok) return refuse(checked.reason, checked.message);

    let posted: { jobId: string; transaction: string };
    try {
      posted = await chain.postJob(order, checked.authorization, checked.signature);
    } catch (err) {
      if (err instanceof SettleRefused) {
        const name = err.revert?.name ?? '';
        return refuse(REVERT_REASONS[name] ?? 'settlement_refused', `posting the job was refused in simulation, nothing sent: ${err.message}`);
      }
      o.log?.(`x402: posting failed: ${(err as Error).message}`);
      return c.json({ error: (err as Error).message }, 502);
    }
    o.log?.(`x402: posted ${posted.jobId} for ${order.client} (${order.params.budget} of ${order.params.token}) in ${posted.transaction}`);
    c.header(
      'PAYMENT-RESPONSE',
      encodePaymentResponseHeader({ success: true, transaction: posted.transaction, network: expected.network, payer: order.client }),
    );
    return c.json({ jobId: posted.jobId, transaction: posted.transaction }, 201);
  }

  app.post('/x402/jobs', (c) => handle(c));
  app.post('/x402/workers/:worker/jobs', (c) => handle(c, c.req.param('worker')));
  app.get('/health', async (c) => c.json({ ok: true, gateway: chain.address, balance: (await chain.balance()).toString() }));
  app.onError((err, c) => {
    o.log?.(`x402: ${err.message}`);
    return c.json({ error: `the gateway failed: ${err.message}` }, 502);
  });
  return app;
}
