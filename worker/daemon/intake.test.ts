/**
 * Intake of image jobs: the image is checked with the registry (here a stand-in for the image store,
 * worker/image/imageStore.ts) after the strategy and before any transaction, and pulled early once
 * the bid stands. The writer records what would have been sent; the daemon's end-to-end tests
 * (workerDaemon.test.ts) take jobs through a real chain and API.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { type Hex, encodeAbiParameters, encodeEventTopics, keccak256, toHex, zeroHash } from 'viem';
import { loomReplicatedMarketAbi } from '../../abis/generated';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ApiJobTerms } from '../../sdk/jobTerms';
import { jobIdOf, toContractTerms } from '../../sdk/jobTerms';
import type { ImageRef } from '../../sdk/spec/imageRef';
import { claimFor } from '../hardware';
import type { ImageCheck, PreparedImage } from '../image/imageTypes';
import { resolveConfig } from './config';
import type { MarketWriter } from './createWorkerWriter';
import type { DaemonContext } from './daemonContext';
import { DaemonState } from './daemonState';
import { InputCache } from './inputCache';
import { Intake } from './intake';
import { JobImages } from './jobImages';
import type { ApiJob } from './loomApi';
import { WorkerMetrics } from './metrics';
import type { ReplicatedJobView } from './replicatedJob';
import type { JobRunner } from './run';
import type { PoolMembership } from './strategy';
import type { JobModel } from '../models/jobModels';
import { ModelStore } from '../models/modelStore';
import { type ArtifactServer, startArtifactServer } from '../../testkit/artifacts';

const dataDir = mkdtempSync(join(os.tmpdir(), 'loom-intake-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const digest = `sha256:${'ab'.repeat(32)}`;
const image = `127.0.0.1:5000/loom/cuda@${digest}`;
const okCheck = (env: string[] = ['PATH=/usr/bin']): ImageCheck => ({
  ok: true,
  manifestDigest: `sha256:${'cd'.repeat(32)}`,
  platform: { os: 'linux', architecture: 'amd64' },
  compressedBytes: 1_000_000,
  layers: 2,
  config: { env },
});

let salt = 0n;
function apiJob(spec: unknown, mode: 'CLAIM' | 'AUCTION' | 'POOL' = 'CLAIM', over: { offeredTo?: Hex; models?: JobModel[] } = {}): ApiJob {
  const hex = toHex(JSON.stringify(spec));
  const terms: ApiJobTerms = {
    client: '0x0000000000000000000000000000000000000001',
    token: '0x0000000000000000000000000000000000000000',
    arbiter: '0x0000000000000000000000000000000000000002',
    budget: String(10n ** 16n),
    collateral: String(10n ** 16n),
    feeBps: 100,
    mode,
    offeredTo: over.offeredTo ?? '0x0000000000000000000000000000000000000000',
    openUntil: '2000',
    executionTimeout: 3600,
    challengeWindow: 3600,
    minGpuCount: 0,
    minVramMiB: 0,
    gpuModel: zeroHash,
    specHash: keccak256(hex),
    salt: String(++salt),
  };
  const models = (over.models ?? []).map((model) => ({ model, fee: '0', royaltyPaid: null }));
  return { id: jobIdOf(toContractTerms(terms)), status: 'OPEN', terms, spec: hex, models } as unknown as ApiJob;
}

/** An intake around a stand-in store and writer; `events` says what happened, in order. */
function setup(o: { check?: (ref: ImageRef) => ImageCheck; hostMode?: boolean; saltOf?: boolean; models?: ModelStore; membership?: PoolMembership | null } = {}) {
  const events: string[] = [];
  const logs: Record<string, unknown>[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void logs.push(JSON.parse(line)) });
  const metrics = new WorkerMetrics();
  let released = 0;
  const store = {
    check: async (ref: ImageRef): Promise<ImageCheck> => (events.push(`check ${ref.text}`), (o.check ?? (() => okCheck()))(ref)),
    prepare: async (ref: ImageRef, opts: { signal?: AbortSignal; deadline?: number } = {}): Promise<PreparedImage> => {
      events.push(`prepare ${ref.text}${opts.deadline === undefined ? '' : ' with a deadline'}`);
      return { ref, manifestDigest: `sha256:${'cd'.repeat(32)}`, rootDir: '/images/cd', config: { env: [] }, pulled: true, release: async () => void released++ };
    },
  };
  const writer = {
    claimJob: async () => (events.push('claimJob'), { hash: '0x01', receipt: { logs: [] } }),
    placeBid: async (_t: unknown, price: bigint) => (events.push(`placeBid ${price}`), { hash: '0x02', receipt: { logs: [] } }),
    takeSlot: async (terms: { specHash: Hex }) => (events.push('takeSlot'), { hash: '0x03', receipt: { logs: [slotTakenLog(terms.specHash, 1)] } }),
  } as unknown as MarketWriter;
  const assigned: string[] = [];
  const runner = {
    onAssigned: (job: ApiJob) => void assigned.push(job.id),
    runSlot: (job: ReplicatedJobView, slot: number, deadline: number) => void assigned.push(`${job.id} slot ${slot} until ${deadline}`),
  } as unknown as JobRunner;
  const config = resolveConfig({ 'data-dir': dataDir, 'allowed-registries': '127.0.0.1:5000', 'allow-private-inputs': true, ...(o.hostMode === false ? { 'no-host-mode': true } : {}) }, {});
  const images = new JobImages(store, {
    logger,
    metrics,
    driverCuda: '12.4',
    // A stand-in for ../gpu/cudaRequirement.ts: an image asking for CUDA 13 is more than this driver.
    checkCuda: (env, driver) => (env.includes('NVIDIA_REQUIRE_CUDA=cuda>=13.0') ? { ok: false, reason: `the image requires cuda>=13.0; the driver supports CUDA ${driver}` } : { ok: true }),
  });
  const state = new DaemonState();
  state.noteWorker({ claim: { gpuModel: zeroHash, gpuCount: 1, vramMiB: 81559 }, freeStake: String(10n ** 18n) });
  const inputCache = new InputCache(join(dataDir, 'inputs'), {});
  const ctx = {
    config,
    logger,
    metrics,
    state,
    writer,
    hardware: { claim: claimFor([{ index: 0, uuid: 'GPU-00000000-0000-0000-0000-000000000000', name: 'NVIDIA H100 80GB HBM3', memoryMiB: 81559 }], { cpuCores: 8, ramMiB: 16_384 }), gpus: [] },
    inputCache,
    images,
    chainNow: async () => 1000,
    poolMembership: async () => (events.push('memberships'), o.membership ?? null),
    models: o.models ?? { prepare: async () => ({ ok: true, files: [] }), release: () => {} },
    saltOf: o.saltOf === false ? undefined : () => `0x${'11'.repeat(32)}`,
    track: () => {},
    updateGauges: () => {},
    dropPrepared: (id: Hex) => {
      void images.drop(id);
      o.models?.release(id);
    },
  } as unknown as DaemonContext;
  return { intake: new Intake(ctx, runner), events, logs, metrics, state, assigned, released: () => released };
}

const refusals = (logs: Record<string, unknown>[]) => logs.filter((l) => l.msg === 'job refused').map((l) => ({ reason: l.reason, detail: l.detail }));

describe('intake of image jobs', () => {
  test('error: an image the store refuses costs no transaction; the refusal is logged and counted with its reason', async () => {
    const reason = 'the image is 31.2 GiB unpacked, over this worker\'s 20 GiB limit (--max-image-gib)';
    const t = setup({ check: () => ({ ok: false, code: 'too_large', reason }) });
    const job = apiJob({ version: 1, image, script: 'true', resources: { timeoutSeconds: 600 } });
    await t.intake.consider(job, Date.now());
    expect(t.events).toEqual([`check ${image}`]);
    expect(refusals(t.logs)).toEqual([{ reason: 'image_too_large', detail: reason }]);
    expect(t.metrics.decisions.get({ decision: 'skip', reason: 'image_too_large' })).toBe(1);
    expect(t.state.claiming.size + t.state.bids.size).toBe(0);
  });

  test("error: a GPU job whose image asks for a newer CUDA than the driver's is refused before any transaction; a CPU job of that image is not", async () => {
    const t = setup({ check: () => okCheck(['PATH=/usr/bin', 'NVIDIA_REQUIRE_CUDA=cuda>=13.0']) });
    await t.intake.consider(apiJob({ version: 1, image, script: 'nvidia-smi', resources: { gpus: 1, vramMiB: 1024, timeoutSeconds: 600 } }), Date.now());
    expect(refusals(t.logs)).toEqual([{ reason: 'image_cuda', detail: 'the image requires cuda>=13.0; the driver supports CUDA 12.4' }]);
    expect(t.events).toEqual([`check ${image}`]);

    const cpu = apiJob({ version: 1, image, script: 'true', resources: { timeoutSeconds: 600 } });
    await t.intake.consider(cpu, Date.now());
    expect(t.events).toEqual([`check ${image}`, `check ${image}`, 'claimJob', `prepare ${image}`]);
    expect(t.assigned).toEqual([cpu.id]);
  });

  test('default: an image job is checked, bid for, and its image pulled while the bid stands; a bid not chosen lets the image go', async () => {
    const t = setup();
    const job = apiJob({ version: 1, image, resources: { timeoutSeconds: 600 } }, 'AUCTION');
    await t.intake.consider(job, Date.now());
    expect(t.events).toEqual([`check ${image}`, 'placeBid 1', `prepare ${image}`]);
    expect(t.metrics.decisions.get({ decision: 'bid', reason: 'accepted' })).toBe(1);
    await new Promise((r) => setImmediate(r));
    expect(t.metrics.imagePrepares.get({ source: 'registry' })).toBe(1);
    t.intake.notChosen(job.id.toLowerCase() as Hex, '0x0000000000000000000000000000000000000009');
    await new Promise((r) => setImmediate(r));
    expect(t.released()).toBe(1);
  });

  test('behavior: with host mode off, a job without an image is refused by the strategy and never reaches the registry', async () => {
    const t = setup({ hostMode: false });
    await t.intake.consider(apiJob({ version: 1, script: 'true', resources: { timeoutSeconds: 600 } }), Date.now());
    expect(t.events).toEqual([]);
    expect(refusals(t.logs)).toEqual([{ reason: 'host_mode_off', detail: 'the job has no image and this worker runs image jobs only (host mode is off)' }]);
    expect(t.metrics.decisions.get({ decision: 'skip', reason: 'host_mode_off' })).toBe(1);
  });
});

/** A SlotTaken log for the job (its id stood in for by the spec hash: the writer here sees only terms). */
function slotTakenLog(jobId: Hex, slot: number) {
  return {
    address: '0x0000000000000000000000000000000000000003',
    topics: encodeEventTopics({ abi: loomReplicatedMarketAbi, eventName: 'SlotTaken', args: { jobId, worker: '0x0000000000000000000000000000000000000004' } }),
    data: encodeAbiParameters([{ type: 'uint8' }, { type: 'uint8' }], [slot, slot + 1]),
    blockNumber: 1n,
    blockHash: zeroHash,
    logIndex: 0,
    transactionHash: zeroHash,
    transactionIndex: 0,
    removed: false,
  };
}

function replicatedJob(spec: unknown, over: Partial<ReplicatedJobView['terms']> = {}): ReplicatedJobView {
  const hex = toHex(JSON.stringify(spec));
  return {
    id: keccak256(toHex(`replicated ${++salt}`)),
    terms: {
      client: '0x0000000000000000000000000000000000000001',
      token: '0x0000000000000000000000000000000000000000',
      price: 10n ** 16n,
      collateral: 10n ** 16n,
      feeBps: 100,
      replicas: 3,
      quorum: 2,
      openUntil: 2000,
      commitWindow: 600,
      revealWindow: 600,
      minGpuCount: 0,
      minVramMiB: 0,
      gpuModel: zeroHash,
      specHash: keccak256(hex),
      salt,
      ...over,
    },
    spec: hex,
    status: 'OPEN',
    filled: 0,
    committed: 0,
    revealed: 0,
    revealDeadline: 3200,
    slots: [],
  };
}

describe('intake of replicated jobs', () => {
  test('default: a fitting job: image checked, a slot taken, and that slot run until the commit deadline', async () => {
    const t = setup();
    const job = replicatedJob({ version: 1, image, script: 'true', resources: { timeoutSeconds: 600 } });
    await t.intake.considerReplicated(job, Date.now());
    expect(t.events).toEqual([`check ${image}`, 'takeSlot', `prepare ${image}`]);
    expect(t.assigned).toEqual([`${job.id} slot 1 until 2600`]);
    expect(t.metrics.decisions.get({ decision: 'take', reason: 'accepted' })).toBe(1);
    expect(t.metrics.replicatedSteps.get({ step: 'take' })).toBe(1);
    expect(t.state.claiming.size).toBe(0);
    // Considered once: the same job from the scan and the event log is taken once.
    await t.intake.considerReplicated(job, Date.now());
    expect(t.events.filter((e) => e === 'takeSlot')).toHaveLength(1);
  });

  test('error: a job it would refuse costs no transaction: a run that cannot fit before the commit deadline, a refused image, a key without reveal salts', async () => {
    const t = setup({ check: () => ({ ok: false, code: 'not_found', reason: 'no such manifest' }) });
    await t.intake.considerReplicated(replicatedJob({ version: 1, script: 'true', resources: { timeoutSeconds: 600 } }, { openUntil: 1100, commitWindow: 100 }), Date.now());
    await t.intake.considerReplicated(replicatedJob({ version: 1, image, script: 'true', resources: { timeoutSeconds: 600 } }), Date.now());
    expect(refusals(t.logs).map((r) => r.reason)).toEqual(['timeout', 'image_not_found']);
    const u = setup({ saltOf: false });
    await u.intake.considerReplicated(replicatedJob({ version: 1, script: 'true', resources: { timeoutSeconds: 600 } }), Date.now());
    expect(refusals(u.logs)).toEqual([{ reason: 'reveal_salt', detail: "this worker's key cannot derive reveal salts that survive a restart (revealSecret.ts)" }]);
    expect([...t.events, ...u.events].filter((e) => e === 'takeSlot')).toEqual([]);
    expect(t.assigned).toEqual([]);
  });
});

describe('intake of jobs with models, and of pool jobs', () => {
  let artifacts: ArtifactServer;
  const WEIGHTS = 'w'.repeat(4096);
  const sha = (b: string) => createHash('sha256').update(b).digest('hex');
  beforeAll(async () => {
    artifacts = await startArtifactServer({ dir: join(dataDir, 'artifacts'), allowAnonymous: true });
    await artifacts.store.put(new TextEncoder().encode(WEIGHTS));
  });
  afterAll(() => artifacts.stop());
  const models = () => ModelStore.open({ dir: join(dataDir, `models-${++salt}`), artifactBaseUrl: artifacts.url, cacheBytes: 2 ** 30 });
  const weights = (bytes: string): JobModel => ({ id: '1', name: 'tiny', kind: 'WEIGHTS', files: [{ sha256: `0x${sha(bytes)}`, size: String(bytes.length), path: 'w.bin' }], image: null });
  const hostSpec = { version: 1, script: 'true', resources: { timeoutSeconds: 600 } };

  test("default: a job's model files are fetched and verified before the claim, and held for its run", async () => {
    const store = await models();
    const t = setup({ models: store });
    const job = apiJob(hostSpec, 'CLAIM', { models: [weights(WEIGHTS)] });
    await t.intake.consider(job, Date.now());
    expect(t.events).toEqual(['claimJob']);
    expect(t.assigned).toEqual([job.id]);
    expect(store.size).toBe(WEIGHTS.length);
  });

  test('error: a model file the artifact store does not have, or models that cannot be mounted, cost no transaction; the refusal says why', async () => {
    const t = setup({ models: await models() });
    await t.intake.consider(apiJob(hostSpec, 'CLAIM', { models: [weights('not in the store')] }), Date.now());
    await t.intake.consider(apiJob(hostSpec, 'CLAIM', { models: [{ ...weights(WEIGHTS), name: '..' }] }), Date.now());
    expect(refusals(t.logs)).toEqual([
      { reason: 'models', detail: `model 1 "tiny", file /models/tiny/w.bin (artifact://${sha('not in the store')}): HTTP 404 from ${artifacts.url}` },
      { reason: 'models', detail: 'model 1 "..": its name ".." is not a directory name, so it cannot be mounted at /models/<name>' },
    ]);
    expect(t.metrics.decisions.get({ decision: 'skip', reason: 'models' })).toBe(2);
    expect(t.events).toEqual([]);
    expect(t.state.claiming.size).toBe(0);
  });

  test("behavior: an IMAGE model is the image checked for a spec without one; a spec naming another image is refused before the registry is asked", async () => {
    const t = setup();
    const modelImage = `127.0.0.1:5000/loom/runner@${digest}`;
    const imageModel: JobModel = { id: '2', name: 'runner', kind: 'IMAGE', files: [], image: modelImage };
    await t.intake.consider(apiJob(hostSpec, 'CLAIM', { models: [imageModel] }), Date.now());
    expect(t.events).toEqual([`check ${modelImage}`, 'claimJob', `prepare ${modelImage}`]);
    await t.intake.consider(apiJob({ ...hostSpec, image }, 'CLAIM', { models: [imageModel] }), Date.now());
    expect(refusals(t.logs)).toEqual([{ reason: 'models', detail: `model 2 "runner" is the image ${modelImage}, and the spec names ${image}: a job runs in one image` }]);
    expect(t.events.filter((e) => e === 'claimJob')).toHaveLength(1);
  });

  test('behavior: a pool job is claimed by a member of its pool and refused by anyone else before any transaction; a job open to all asks nothing of the registry', async () => {
    const pool = (id: number) => `0x${id.toString(16).padStart(40, '0')}` as Hex;
    const outsider = setup({ membership: null });
    await outsider.intake.consider(apiJob(hostSpec, 'POOL', { offeredTo: pool(1) }), Date.now());
    const requested = setup({ membership: { pool: 1n, state: 'REQUESTED' } });
    await requested.intake.consider(apiJob(hostSpec, 'POOL', { offeredTo: pool(1) }), Date.now());
    expect([...refusals(outsider.logs), ...refusals(requested.logs)]).toEqual([
      { reason: 'not_pool_member', detail: 'restricted to pool 1; this worker is in no pool' },
      { reason: 'not_pool_member', detail: 'restricted to pool 1; this worker is waiting for approval to join pool 1' },
    ]);
    expect([...outsider.events, ...requested.events]).toEqual(['memberships', 'memberships']);
    expect(outsider.metrics.decisions.get({ decision: 'skip', reason: 'not_pool_member' })).toBe(1);

    const member = setup({ membership: { pool: 1n, state: 'MEMBER' } });
    const job = apiJob(hostSpec, 'POOL', { offeredTo: pool(1) });
    await member.intake.consider(job, Date.now());
    await member.intake.consider(apiJob(hostSpec, 'POOL', { offeredTo: pool(2) }), Date.now());
    expect(member.events).toEqual(['memberships', 'claimJob', 'memberships']);
    expect(member.assigned).toEqual([job.id]);
    expect(refusals(member.logs)).toEqual([{ reason: 'not_pool_member', detail: 'restricted to pool 2; this worker is a member of pool 1' }]);

    const open = setup();
    await open.intake.consider(apiJob(hostSpec), Date.now());
    expect(open.events).toEqual(['claimJob']);
  });

  test('behavior: a pooled replicated job: a slot taken by a member, refused to others without a transaction', async () => {
    const outsider = setup({ membership: { pool: 3n, state: 'MEMBER' } });
    await outsider.intake.considerReplicated({ ...replicatedJob(hostSpec), pool: 4n }, Date.now());
    expect(refusals(outsider.logs)).toEqual([{ reason: 'not_pool_member', detail: 'restricted to pool 4; this worker is a member of pool 3' }]);
    const member = setup({ membership: { pool: 4n, state: 'MEMBER' } });
    await member.intake.considerReplicated({ ...replicatedJob(hostSpec), pool: 4n }, Date.now());
    expect([...outsider.events, ...member.events]).toEqual(['memberships', 'memberships', 'takeSlot']);
  });
});
