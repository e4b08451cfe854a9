/**
 * Which posted jobs the worker takes, and at what price: a pure function of the job, the worker's
 * options and its situation, so every decision can be explained and tested without a chain.
 *
 * The checks, in order (the first that fails is the reason given):
 *  1. open      the job is OPEN and `openUntil` has not passed (chain time); a direct offer is
 *               offered to this worker (`terms.offeredTo`): the contract refuses anyone else's
 *               claim, so another worker's offer never costs a transaction; a job restricted to a
 *               pool (POOL mode, or a pooled replicated job) is taken only by a MEMBER of that pool
 *               (`not_pool_member`).
 *  2. spec      keccak256(spec) equals the terms' `specHash`, and the spec is a valid v1 spec
 *               (`parseSpec`, in resolveJob): a job whose spec the worker cannot run is never taken. Then its
 *               models (../models/jobModels.ts): mountable, one image, within `maxModelBytes`
 *               (`models`); an IMAGE model is the job's image from here on.
 *  3. mode      claim, auction and/or replicated jobs, as configured (a direct offer and a pool
 *               job are claimed: they count as claim jobs); a job without an image (host mode)
 *               only while host mode is on (`host_mode_off` otherwise). Whether an image job's
 *               image can be used is asked of the registry after this (intake.ts), as it is not pure.
 *  4. token     the payment token is allowed (default: ETH only).
 *  5. hardware  the registered claim meets the terms (minGpuCount, minVramMiB, gpuModel: what the
 *               contract checks) and the machine meets the spec (GPUs, VRAM per GPU, memory, CPUs).
 *  6. timeout   the spec's `timeoutSeconds` plus `reserveSeconds` (inputs, packing, upload, the
 *               submit transaction) fit within the terms' `executionTimeout`; for a replicated job,
 *               within the time left before its commit deadline (`openUntil + commitWindow`).
 *  7. price     the price per GPU-hour is at least the minimum configured for the token:
 *               price * 3600 / (max(1, gpus) * timeoutSeconds), where gpus is the larger of the
 *               spec's and the terms' GPU count; a CPU job counts as one GPU. The time is the spec's
 *               timeout: the longest the job can hold this machine.
 *               Claim mode: the price is the budget; replicated: the price of one replica.
 *               Auction: the bid is the minimum total price,
 *               raised by `bidMarkupBps`, at most the budget (skip when the minimum is above it).
 *  8. collateral the terms' collateral is at most `maxCollateral` (when set) and the free stake
 *               left after the claims and bids in flight.
 *  9. capacity  claim mode and replicated slots: fewer than `maxConcurrentJobs` jobs held (running,
 *               queued, claims and slots being taken). Auction: fewer than `maxOpenBids` standing bids (a bid holds no slot: an
 *               accepted bid beyond the slots waits in the queue for one).
 */
import { type Address, type Hex, hexToBytes, keccak256, zeroHash } from 'viem';
import type { JobSpec } from '../../sdk/spec/jobSpec';
import type { JobTerms } from '../../sdk/jobTerms';
import { MODE } from '../../sdk/enums';
import type { ReplicatedJobTerms } from '../../sdk/writes';
import { type JobModel, type ModelFileMount, resolveJob } from '../models/jobModels';

export const ETH: Address = '0x0000000000000000000000000000000000000000';

export type StrategyOptions = {
  /** Tokens accepted (lowercase addresses; the zero address is ETH), or 'any'. Default: ETH only. */
  allowedTokens: 'any' | Address[];
  /** Minimum price per GPU-hour in each token's smallest unit, by lowercase token address; a token not listed has no minimum. */
  minPricePerGpuHour: Record<string, bigint>;
  /** Jobs held at once: running, waiting for a slot, or being claimed (default 1). */
  maxConcurrentJobs: number;
  /** Standing bids at once (default 4). */
  maxOpenBids: number;
  /** How far above its minimum price the worker bids, in basis points (default 0: bid the minimum). */
  bidMarkupBps: number;
  /** Largest collateral the worker will lock for one job (wei); undefined: no limit but the free stake. */
  maxCollateral?: bigint;
  /** Seconds kept between the spec's timeout and the execution timeout (default 120). */
  reserveSeconds: number;
  /** Which kinds of job to take (default all): claim and auction jobs of LoomMarket, slots of LoomReplicatedMarket's jobs. */
  modes: { claim: boolean; auction: boolean; replicated: boolean };
  /** Take jobs without an image, run against the machine's own read-only root (default true). */
  hostMode: boolean;
  /** Largest total of one job's model files, bytes (default 100 GiB). */
  maxModelBytes: number;
};

export const defaultStrategy: StrategyOptions = {
  allowedTokens: [ETH],
  minPricePerGpuHour: {},
  maxConcurrentJobs: 1,
  maxOpenBids: 4,
  bidMarkupBps: 0,
  reserveSeconds: 120,
  modes: { claim: true, auction: true, replicated: true },
  hostMode: true,
  maxModelBytes: 100 * 2 ** 30,
};

/** What the worker is, and holds, when it decides. */
export type StrategyContext = {
  /** The worker's address: the only one that may claim a direct offer made to it. */
  self: Address;
  /** Chain time (unix seconds). */
  now: number;
  /** The hardware claim registered on-chain (what the contract checks). */
  claim: { gpuModel: Hex; gpuCount: number; vramMiB: number };
  /** The machine itself (what the spec needs). */
  machine: { gpus: number; vramMiB: number; cpuCores: number; ramMiB: number };
  /** Free stake (wei) minus the collateral of claims and bids in flight. */
  freeStake: bigint;
  /** Jobs held: running, waiting for a slot, or being claimed. */
  heldJobs: number;
  openBids: number;
  /** False while the GPU probe fails: no job that needs a GPU is taken. */
  gpusHealthy?: boolean;
  /** The worker's pool membership (the registry's `memberships`); read only for a pool job, null when in none. */
  pool?: PoolMembership | null;
};

/** Where a worker stands with a pool (the registry's PoolMemberState, without None). */
export type PoolMembership = { pool: bigint; state: 'REQUESTED' | 'MEMBER' | 'LEAVING' };

export type JobToDecide = {
  status: string;
  terms: JobTerms;
  /** The spec bytes as posted (0x hex). */
  spec: Hex;
  /** The models the job was posted with (the API's `Job.models`); none by default. */
  models?: readonly JobModel[];
};

const skipReasons = ['not_open', 'not_offered', 'not_pool_member', 'spec_hash', 'spec_invalid', 'models', 'mode', 'host_mode_off', 'token', 'hardware', 'timeout', 'price', 'collateral', 'capacity', 'gpu_unhealthy'] as const;
export type SkipReason = (typeof skipReasons)[number];

/**
 * `spec` is the job's spec as it runs (an IMAGE model's image in it), `models` its model files to
 * fetch and mount.
 */
export type Decision =
  | { action: 'claim'; price: bigint; spec: JobSpec; models: ModelFileMount[] }
  | { action: 'bid'; price: bigint; spec: JobSpec; models: ModelFileMount[] }
  | { action: 'skip'; reason: SkipReason; detail: string };

const skip = (reason: SkipReason, detail: string) => ({ action: 'skip' as const, reason, detail });

/**
 * @example
 * const d = decide({ status: 'OPEN', terms, spec }, ctx, options);
 * if (d.action === 'claim') await writer.claimJob(terms);
 */
export function decide(job: JobToDecide, ctx: StrategyContext, o: StrategyOptions = defaultStrategy): Decision {
  const t = job.terms;
  const auction = t.mode === MODE.AUCTION;
  const decision = check(
    {
      status: job.status,
      mode: auction ? 'auction' : 'claim',
      offeredTo: t.mode === MODE.DIRECT ? t.offeredTo : undefined,
      // A pool job's `offeredTo` is its pool's id as an address.
      pool: t.mode === MODE.POOL ? BigInt(t.offeredTo) : undefined,
      openUntil: t.openUntil,
      token: t.token,
      pays: t.budget,
      collateral: t.collateral,
      requirements: t,
      specHash: t.specHash,
      spec: job.spec,
      models: job.models ?? [],
      runSeconds: { seconds: t.executionTimeout, what: 'the execution timeout' },
    },
    ctx,
    o,
  );
  if (decision.action === 'skip') return decision;
  return { action: auction ? 'bid' : 'claim', price: decision.price, spec: decision.spec, models: decision.models };
}

/** A replicated job as the strategy sees it: OPEN while a slot is free. */
export type ReplicatedJobToDecide = {
  status: string;
  terms: ReplicatedJobTerms;
  /** The spec bytes as posted (0x hex). */
  spec: Hex;
  models?: readonly JobModel[];
  /** The pool whose members alone may take its slots (`ReplicatedJobPooled`); undefined: any worker. */
  pool?: bigint;
};

export type ReplicatedDecision = { action: 'take'; price: bigint; spec: JobSpec; models: ModelFileMount[] } | { action: 'skip'; reason: SkipReason; detail: string };

/**
 * The same checks for a slot of a replicated job: the price is one replica's, and the run (with the
 * reserve) must fit between now and the commit deadline (`openUntil + commitWindow`), the latest a
 * result can be committed. A slot holds the machine like a claim (`maxConcurrentJobs`).
 *
 * @example
 * const d = decideReplicated({ status: 'OPEN', terms, spec }, ctx, options);
 * if (d.action === 'take') await writer.takeSlot(terms);
 */
export function decideReplicated(job: ReplicatedJobToDecide, ctx: StrategyContext, o: StrategyOptions = defaultStrategy): ReplicatedDecision {
  const t = job.terms;
  const commitDeadline = t.openUntil + t.commitWindow;
  const decision = check(
    {
      status: job.status,
      mode: 'replicated',
      ...(job.pool === undefined ? {} : { pool: job.pool }),
      openUntil: t.openUntil,
      token: t.token,
      pays: t.price,
      collateral: t.collateral,
      requirements: t,
      specHash: t.specHash,
      spec: job.spec,
      models: job.models ?? [],
      runSeconds: { seconds: Math.max(0, commitDeadline - ctx.now), what: `the time left before the commit deadline (${commitDeadline})` },
    },
    ctx,
    o,
  );
  if (decision.action === 'skip') return decision;
  return { action: 'take', price: decision.price, spec: decision.spec, models: decision.models };
}

type Mode = 'claim' | 'auction' | 'replicated';

/** What the checks read of a job of either market. */
type Offer = {
  status: string;
  mode: Mode;
  /** The one worker a direct offer may go to; undefined when anyone may take the job. */
  offeredTo?: Address;
  /** The pool whose members alone may take the job; undefined when it is not restricted to one. */
  pool?: bigint;
  openUntil: number;
  token: Address;
  /** What the job pays this worker at most: a claim's budget, an auction's ceiling, one replica's price. */
  pays: bigint;
  collateral: bigint;
  /** What the contract checks against the registered claim. */
  requirements: { minGpuCount: number; minVramMiB: number; gpuModel: Hex };
  specHash: Hex;
  spec: Hex;
  models: readonly JobModel[];
  /** The longest the run may take from now, and what bounds it (for the refusal's words). */
  runSeconds: { seconds: number; what: string };
};

function check(job: Offer, ctx: StrategyContext, o: StrategyOptions): { action: 'ok'; price: bigint; spec: JobSpec; models: ModelFileMount[] } | { action: 'skip'; reason: SkipReason; detail: string } {
  const t = job.requirements;
  const auction = job.mode === 'auction';

  // 1. open
  if (job.status !== 'OPEN') return skip('not_open', `the job is ${job.status}`);
  if (ctx.now > job.openUntil) return skip('not_open', `open until ${job.openUntil}, it is ${ctx.now}`);
  if (job.offeredTo !== undefined && job.offeredTo.toLowerCase() !== ctx.self.toLowerCase()) return skip('not_offered', `offered to ${job.offeredTo}, not to this worker`);
  if (job.pool !== undefined && (ctx.pool?.pool !== job.pool || ctx.pool.state !== 'MEMBER')) {
    const p = ctx.pool;
    const standing = !p ? 'in no pool' : p.state === 'MEMBER' ? `a member of pool ${p.pool}` : p.state === 'REQUESTED' ? `waiting for approval to join pool ${p.pool}` : `leaving pool ${p.pool}`;
    return skip('not_pool_member', `restricted to pool ${job.pool}; this worker is ${standing}`);
  }

  // 2. spec, and the models it runs with
  if (keccak256(job.spec) !== job.specHash) return skip('spec_hash', `keccak256(spec) ${keccak256(job.spec)} is not the terms' specHash ${job.specHash}`);
  const resolved = resolveJob(hexToBytes(job.spec), job.models, { maxModelBytes: o.maxModelBytes });
  if (!resolved.ok) return skip(resolved.stage === 'spec' ? 'spec_invalid' : 'models', resolved.reason);
  const spec = resolved.spec;
  const r = spec.resources;

  // 3. mode, 4. token
  if (!o.modes[job.mode]) return skip('mode', `${job.mode} jobs are not taken`);
  if (spec.image === undefined && !o.hostMode) return skip('host_mode_off', 'the job has no image and this worker runs image jobs only (host mode is off)');
  const token = job.token.toLowerCase() as Address;
  if (o.allowedTokens !== 'any' && !o.allowedTokens.some((a) => a.toLowerCase() === token)) return skip('token', `token ${token} is not allowed`);

  // 5. hardware: the terms against the registered claim, the spec against the machine, and the GPUs answering.
  if (ctx.gpusHealthy === false && (t.minGpuCount > 0 || r.gpus > 0)) return skip('gpu_unhealthy', 'the GPU probe fails: no GPU jobs until it passes again');
  if (t.minGpuCount > ctx.claim.gpuCount) return skip('hardware', `the terms need ${t.minGpuCount} GPUs, the claim has ${ctx.claim.gpuCount}`);
  if (t.minVramMiB > ctx.claim.vramMiB) return skip('hardware', `the terms need ${t.minVramMiB} MiB of VRAM per GPU, the claim has ${ctx.claim.vramMiB}`);
  if (t.gpuModel !== zeroHash && t.gpuModel.toLowerCase() !== ctx.claim.gpuModel.toLowerCase()) return skip('hardware', 'the terms name another GPU model');
  if (r.gpus > ctx.machine.gpus) return skip('hardware', `the spec needs ${r.gpus} GPUs, this machine has ${ctx.machine.gpus}`);
  if (r.gpus > 0 && r.vramMiB > ctx.machine.vramMiB) return skip('hardware', `the spec needs ${r.vramMiB} MiB of VRAM per GPU, this machine has ${ctx.machine.vramMiB}`);
  if (r.memoryMiB > ctx.machine.ramMiB) return skip('hardware', `the spec needs ${r.memoryMiB} MiB of memory, this machine has ${ctx.machine.ramMiB}`);
  if (r.cpus > ctx.machine.cpuCores) return skip('hardware', `the spec needs ${r.cpus} CPUs, this machine has ${ctx.machine.cpuCores}`);

  // 6. timeout
  if (r.timeoutSeconds + o.reserveSeconds > job.runSeconds.seconds) {
    return skip('timeout', `the spec's timeout (${r.timeoutSeconds} s) plus ${o.reserveSeconds} s of reserve exceeds ${job.runSeconds.what} (${job.runSeconds.seconds} s)`);
  }

  // 7. price
  const units = BigInt(Math.max(1, r.gpus, t.minGpuCount));
  const seconds = BigInt(r.timeoutSeconds);
  const minPerHour = o.minPricePerGpuHour[token] ?? 0n;
  const minTotal = ceilDiv(minPerHour * units * seconds, 3600n);
  let price: bigint;
  if (!auction) {
    if (job.pays < minTotal) return skip('price', `the ${job.mode === 'replicated' ? 'price per replica' : 'budget'} ${job.pays} is below this worker's minimum ${minTotal} (${minPerHour} per GPU-hour)`);
    price = job.pays;
  } else {
    const floor = minTotal > 0n ? minTotal : 1n;
    if (floor > job.pays) return skip('price', `the budget ${job.pays} is below this worker's minimum ${floor} (${minPerHour} per GPU-hour)`);
    const marked = ceilDiv(floor * BigInt(10_000 + o.bidMarkupBps), 10_000n);
    price = marked > job.pays ? job.pays : marked;
  }

  // 8. collateral
  if (o.maxCollateral !== undefined && job.collateral > o.maxCollateral) return skip('collateral', `collateral ${job.collateral} is over this worker's limit ${o.maxCollateral}`);
  if (job.collateral > ctx.freeStake) return skip('collateral', `collateral ${job.collateral} is more than the free stake ${ctx.freeStake}`);

  // 9. capacity
  if (!auction && ctx.heldJobs >= o.maxConcurrentJobs) return skip('capacity', `holding ${ctx.heldJobs} of ${o.maxConcurrentJobs} jobs`);
  if (auction && ctx.openBids >= o.maxOpenBids) return skip('capacity', `${ctx.openBids} of ${o.maxOpenBids} bids standing`);

  return { action: 'ok', price, spec, models: resolved.models };
}

function ceilDiv(a: bigint, b: bigint): bigint {
  return (a + b - 1n) / b;
}
