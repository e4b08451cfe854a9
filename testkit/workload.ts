/**
 * A random market workload on a real chain, for the subscription, reorg and replay tests and the
 * benchmarks: actors by role, transactions that are simulated first (an action the contract would
 * refuse is skipped, not sent), and a random lifecycle from a seeded PRNG, so that a failure
 * reproduces from its seed.
 *
 * The workload keeps a light model (the jobs it posted and their terms) and lets the contract decide
 * what is valid: each step draws an action and its arguments, simulates it, and sends the first one
 * that would succeed.
 */
import { parseEther, parseEventLogs, toHex, type Address, type Hex, type TransactionReceipt } from 'viem';
import { testUsdcAbi } from '../abis/generated';
import { abiOf, contractFor, loomAbi } from '../sdk/contracts';
import type { JobTerms } from '../sdk/jobTerms';
import { ROLES } from './accounts';
import type { Chain } from './chain';
import { ETH, hardwareClaim } from './jobs';

/** A small, fast, seedable PRNG (mulberry32). */
export function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  return { next, int, pick };
}

export type PostedJob = { id: Hex; terms: JobTerms };

/** A mined transaction: what the tests match deliveries against. */
export type Sent = { name: string; receipt: TransactionReceipt; minedAt: number };

export type Market = ReturnType<typeof connectMarket>;

/** The defaults of the workload's jobs: GPU work, long enough to be disputed. */
export const WORKLOAD_JOB_DEFAULTS = { executionTimeout: 7200, challengeWindow: 86_400, minGpuCount: 1, minVramMiB: 40_960 };

/** Actors by role on `chain` (testkit/chain.ts), and the calls the workload makes. */
export function connectMarket(chain: Chain) {
  const { pub, market, usdc, rpc, now, warp } = chain;
  const wallets = Array.from({ length: 10 }, (_, i) => chain.wallet(i));
  type Wallet = (typeof wallets)[number];
  const roles = {
    owner: wallets[ROLES.deployer]!,
    clients: ROLES.clients.map((i) => wallets[i]!),
    stranger: wallets[ROLES.stranger]!,
    workers: ROLES.workers.map((i) => wallets[i]!),
    arbiter: wallets[ROLES.arbiter]!,
  };

  /** Simulates, then sends; undefined (nothing sent) when the contract would revert. */
  const tryCall = async (w: Wallet, functionName: string, args: readonly unknown[] = [], value?: bigint): Promise<Sent | undefined> => {
    try {
      const to = contractFor(functionName);
      await pub.simulateContract({ address: chain.contracts[to], abi: abiOf[to], functionName, args, value, account: w.account } as never);
    } catch {
      return undefined;
    }
    return send(w, functionName, args, value);
  };

  /** Sends (no simulation); throws on revert. */
  const send = async (w: Wallet, functionName: string, args: readonly unknown[] = [], value?: bigint): Promise<Sent> => {
    const receipt = await chain.send(wallets.indexOf(w), functionName, args, value);
    return { name: functionName, receipt, minedAt: Date.now() };
  };

  const hardware = (model: string, gpuCount: number, vramMiB: number, uri: string) => hardwareClaim({ model, gpuCount, vramMiB, metadataURI: uri });

  const post = async (
    client: Wallet,
    p: { token?: Address; budget: bigint; collateral: bigint; mode?: 0 | 1; openFor?: number; executionTimeout?: number; challengeWindow?: number },
  ): Promise<{ job: PostedJob; sent: Sent }> => {
    const spec = { version: 1, image: 'loom/test', salt: (chain.salt + 1n).toString() };
    const { id, terms, receipt } = await chain.post({ ...WORKLOAD_JOB_DEFAULTS, ...p, client: wallets.indexOf(client), spec });
    return { job: { id, terms }, sent: { name: 'postJob', receipt, minedAt: Date.now() } };
  };

  /** Workers registered with stake, clients approved for USDC: what every workload starts from. */
  const setup = async (): Promise<Sent[]> => {
    const sent: Sent[] = [];
    const models: [string, number, number][] = [
      ['NVIDIA H100 80GB HBM3', 2, 81_920],
      ['NVIDIA H100 80GB HBM3', 1, 81_920],
      ['NVIDIA A100 40GB', 4, 40_960],
    ];
    for (const [i, w] of roles.workers.entries()) {
      const [model, count, vram] = models[i]!;
      sent.push(await send(w, 'register', [hardware(model, count, vram, `ipfs://worker-${i}`)], parseEther('5')));
    }
    for (const c of roles.clients) {
      const hash = await c.writeContract({ address: usdc, abi: testUsdcAbi, functionName: 'approve', args: [market, 2n ** 256n - 1n] });
      await pub.waitForTransactionReceipt({ hash, pollingInterval: 10 });
    }
    return sent;
  };

  return { pub, wallets, roles, market, usdc, send, tryCall, post, warp, now, rpc, hardware, setup };
}

/**
 * A random lifecycle workload: `steps` actions drawn from `seed` (posts in both modes and tokens,
 * claims, bids, withdrawals, accepts, submits, releases, disputes, evidence, rulings, cancels,
 * expiries, reclaims, timeouts, withdrawals of credit, stake changes, time warps). It follows each
 * job's status from the events mined, and draws actions that fit it (the contract still decides:
 * each one is simulated first). Returns what was mined, in order. Jobs posted by earlier calls can
 * be passed in `jobs` to keep them in play; `paceMs` spaces the steps (a realistic rate, for latency
 * measurements).
 */
export async function randomWorkload(
  m: Market,
  seed: number,
  steps: number,
  jobs: PostedJob[] = [],
  options: { paceMs?: number } = {},
): Promise<{ sent: Sent[]; jobs: PostedJob[]; log: string[] }> {
  const r = prng(seed);
  const sent: Sent[] = [];
  const log: string[] = [];
  const { roles } = m;
  type Wallet = (typeof roles.workers)[number];
  type Status = 'OPEN' | 'ASSIGNED' | 'SUBMITTED' | 'DISPUTED' | 'CLOSED';
  const status = new Map<string, Status>(jobs.map((j) => [j.id, 'OPEN']));
  const assigned = new Map<string, string>();
  const bidders = new Map<string, Set<string>>();
  const byAddress = (a: string) => m.wallets.find((w) => w.account.address.toLowerCase() === a.toLowerCase())!;

  const record = (label: string, s: Sent | undefined) => {
    if (!s) return false;
    sent.push(s);
    log.push(label);
    for (const e of parseEventLogs({ abi: loomAbi, logs: s.receipt.logs })) {
      const args = e.args as Record<string, unknown>;
      const id = args.jobId as string | undefined;
      if (!id) continue;
      if (e.eventName === 'JobPosted') status.set(id, 'OPEN');
      if (e.eventName === 'BidPlaced') bidders.set(id, new Set([...(bidders.get(id) ?? []), String(args.worker)]));
      if (e.eventName === 'BidWithdrawn') bidders.get(id)?.delete(String(args.worker));
      if (e.eventName === 'JobAssigned') {
        status.set(id, 'ASSIGNED');
        assigned.set(id, String(args.worker));
      }
      if (e.eventName === 'ResultSubmitted') status.set(id, 'SUBMITTED');
      if (e.eventName === 'JobDisputed') status.set(id, 'DISPUTED');
      if (e.eventName === 'JobClosed') status.set(id, 'CLOSED');
    }
    return true;
  };
  const clientOf = (j: PostedJob) => byAddress(j.terms.client);
  const workerOf = (j: PostedJob) => byAddress(assigned.get(j.id) ?? roles.workers[0]!.account.address);
  const anyWorker = () => r.pick(roles.workers);
  const call = (label: string, w: Wallet, fn: string, args: readonly unknown[], value?: bigint) =>
    m.tryCall(w, fn, args, value).then((s) => record(label, s));

  type Choice = [weight: number, run: () => Promise<boolean>];
  const weighted = async (choices: Choice[]) => {
    const usable = choices.filter(([w]) => w > 0);
    const total = usable.reduce((t, [w]) => t + w, 0);
    let x = r.next() * total;
    for (const [w, run] of usable) if ((x -= w) < 0) return run();
    return false;
  };

  const jobActions = (j: PostedJob): Choice[] => {
    const auction = j.terms.mode === 1;
    const open = (bidders.get(j.id) ?? new Set()).size;
    switch (status.get(j.id)) {
      case 'OPEN':
        return [
          [auction ? 0 : 6, () => call('claim', anyWorker(), 'claimJob', [j.terms])],
          [auction ? 5 : 0, () => call('bid', anyWorker(), 'placeBid', [j.terms, (j.terms.budget * BigInt(r.int(50, 100))) / 100n])],
          [auction && open ? 1 : 0, () => call('withdraw bid', byAddress(r.pick([...bidders.get(j.id)!])), 'withdrawBid', [j.terms])],
          [auction && open ? 4 : 0, () => call('accept', clientOf(j), 'acceptBid', [j.terms, r.pick([...bidders.get(j.id)!])])],
          [1, () => call('cancel', clientOf(j), 'cancelJob', [j.terms])],
          [1, () => call('expire', roles.stranger, 'expire', [j.terms])],
        ];
      case 'ASSIGNED':
        return [
          [6, () => call('submit', workerOf(j), 'submitResult', [j.terms, toHex(r.int(1, 1e9), { size: 32 }), `ipfs://result-${r.int(1, 1e6)}`])],
          [1, () => call('reclaim', roles.stranger, 'reclaim', [j.terms])],
        ];
      case 'SUBMITTED':
        return [
          [4, () => call('release', clientOf(j), 'release', [j.terms])],
          [2, () => call('dispute', clientOf(j), 'dispute', [j.terms, `reason ${r.int(1, 99)}`])],
        ];
      case 'DISPUTED': {
        const toWorker = (j.terms.budget * BigInt(r.int(0, 100))) / 100n;
        const slash = (j.terms.collateral * BigInt(r.int(0, 100))) / 100n;
        return [
          [4, async () => (await call('resolve', roles.arbiter, 'resolveDispute', [j.terms, toWorker, slash])) || call('resolve', roles.arbiter, 'resolveDispute', [j.terms, 0n, 0n])],
          [1, () => call('evidence', r.next() < 0.5 ? clientOf(j) : workerOf(j), 'submitEvidence', [j.terms, `ipfs://evidence-${r.int(1, 1e6)}`])],
          [1, () => call('settle timeout', roles.stranger, 'settleTimedOutDispute', [j.terms])],
        ];
      }
      default:
        return [];
    }
  };

  const post = async () => {
    const auction = r.next() < 0.4;
    const usdc = r.next() < 0.3;
    const { job: j, sent: s } = await m.post(r.pick(roles.clients), {
      token: usdc ? m.usdc : ETH,
      budget: usdc ? BigInt(r.int(10, 500)) * 1_000_000n : parseEther(String(r.int(1, 20) / 10)),
      collateral: parseEther(String(r.int(0, 5) / 10)),
      mode: auction ? 1 : 0,
      openFor: r.int(600, 4 * 3600),
      executionTimeout: r.int(1800, 6 * 3600),
      challengeWindow: r.int(600, 86_400),
    });
    jobs.push(j);
    return record(`post ${auction ? 'auction' : 'claim'} ${usdc ? 'usdc' : 'eth'}`, s);
  };

  const globalActions = (live: number): Choice[] => [
    [live < 4 ? 10 : live < 12 ? 4 : 1, post],
    [2, async () => {
      await m.warp(r.pick([600, 3600, 4 * 3600, 26 * 3600, 3 * 86_400]));
      log.push('warp');
      return true;
    }],
    [1, () => {
      const who = r.pick([...roles.workers, ...roles.clients, m.wallets[9]!]);
      return call('withdraw', who, 'withdraw', [r.next() < 0.5 ? ETH : m.usdc, who.account.address]);
    }],
    [1, () => call('add stake', anyWorker(), 'addStake', [], parseEther(String(r.int(1, 10) / 10)))],
    [1, () => call('availability', anyWorker(), 'setAvailability', [r.next() < 0.8])],
  ];

  for (let i = 0; i < steps; i++) {
    if (options.paceMs && i > 0) await new Promise((resolve) => setTimeout(resolve, options.paceMs));
    for (let attempt = 0; attempt < 12; attempt++) {
      const live = jobs.filter((j) => status.get(j.id) !== 'CLOSED');
      const done = live.length > 0 && r.next() < 0.75 ? await weighted(jobActions(r.pick(live))) : await weighted(globalActions(live.length));
      if (done) break;
    }
  }
  return { sent, jobs, log };
}
