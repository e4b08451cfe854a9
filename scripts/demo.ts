/**
 * Demo data for a local chain: a few jobs in every state, posted and worked by anvil's development
 * accounts, so that a fresh `npm start -- --demo` has something to look at.
 *
 *   accounts  1 and 2 are the clients, 6 and 7 two demo workers (8x H100 and 8x A100, never run:
 *             they act from this script), 8 the arbiter (the deployment's default). `npm start`
 *             keeps its local workers on accounts 4 and 5 when the demo is on.
 *   jobs      OPEN (a claim job, an auction with two bids, a direct offer to the A100 worker), ASSIGNED, SUBMITTED, DISPUTED, and
 *             CLOSED as completed (claim in ETH, auction in USDC), cancelled, expired, reclaimed and
 *             dispute resolved. Demo results are real bundles in the artifact store when `apiUrl` is
 *             given, so their downloads work.
 *   replicated  2-replica jobs (quorum 2: the two demo workers) in each outcome: quorum reached, no
 *             quorum (one worker never revealed: slashed), expired unfilled, cancelled, and one still
 *             running (both committed, one revealed).
 *   models    client 2 publishes a paid model (small real files in the artifact store when `apiUrl` is
 *             given), its second version at a new price (the first then retired) and a free dataset;
 *             client 1 posts a job that uses the paid model and the dataset (completed: the creator
 *             earns its fee) and one that uses the second version (cancelled: the fee refunded).
 *   pool      client 1 operates a pool (5% fee) that both demo workers join; client 2 posts a POOL
 *             job a member completes (the operator earns its fee) and a pooled replicated job both
 *             members agree on.
 *
 * Every demo job asks for 8 GPUs with 80 GiB each, so a local worker daemon (which claims this
 * machine's hardware) does not take the OPEN ones: the contract would refuse it, and its strategy
 * skips them without a transaction. The expired and reclaimed jobs need their deadlines to pass:
 * they get one-minute deadlines and the chain's clock is moved two minutes ahead, before anything
 * else is posted, so the jobs meant to stay open keep their full windows. An arbitration timeout
 * (7 days) is not reached: moving the chain a week ahead of the wall clock would break every client
 * that computes a deadline from its own clock.
 *
 * Seeded once per chain: when demo worker 6 is already registered, nothing is sent.
 *
 * By itself, against a running stack: `npx tsx scripts/demo.ts` (RPC_URL, default
 * http://127.0.0.1:8545; API_URL, default http://127.0.0.1:42069; the chain's deployment record in
 * deployments/).
 */
import { mkdtemp, readFile, rm, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createPublicClient,
  createWalletClient,
  http,
  parseEther,
  keccak256,
  stringToHex,
  toHex,
  zeroAddress,
  zeroHash,
  type Address,
  type Hex,
} from 'viem';
import { mnemonicToAccount } from 'viem/accounts';
import { foundry } from 'viem/chains';
import { loomMarketAbi, loomRegistryAbi } from '../sdk';
import { MODE, type CloseReason, type JobStatus } from '../sdk/enums';
import type { JobTerms } from '../sdk/jobTerms';
import { resultCommitment } from '../sdk/replication';
import { createMarketWriter, type MarketWriter, type ReplicatedJobTerms } from '../sdk/writes';
import { packOutputs } from '../sdk/node/packOutputs';
import { putArtifact, signArtifactUpload } from '../sdk/artifactUpload';
import { waitForIndexedBlock } from '../sdk/indexedBlock';
import { poolAddress } from '../sdk/jobParams';
import { buildModelParams, type ModelParamsInput } from '../sdk/modelParams';
import { sha256Of, uploadModelFiles } from '../sdk/modelUpload';
import { contractsOf, deploymentPath, readDeployment, type Deployment } from '../sdk/chain/deploymentRecord';

/** anvil's well-known development mnemonic: its keys guard nothing but a local chain. */
const ANVIL_MNEMONIC = 'test test test test test test test test test test test junk';
/** The demo's accounts (indexes of the mnemonic). */
export const DEMO_ACCOUNTS = { clients: [1, 2], workers: [6, 7], arbiter: 8, creator: 2, poolOperator: 1 } as const;
/** What every demo job requires: more than a local machine claims. */
export const DEMO_REQUIREMENTS = { minGpuCount: 8, minVramMiB: 81_920 } as const;
/** PyTorch's runtime image on Docker Hub, pinned by the digest public Dockerfiles pin it with. */
export const DEMO_IMAGE = 'pytorch/pytorch:2.7.1-cuda12.8-cudnn9-runtime@sha256:c16f4c749e2d9e96878875cdf6cc45cddda1d1a36fddd371dd6f2360f1b6e2a2';

export type DemoJob = {
  /** What the job shows, e.g. `open auction with bids`. */
  label: string;
  id: Hex;
  status: JobStatus;
  closeReason?: CloseReason;
  terms: JobTerms;
};

/** A replicated demo job and how it ended (`RUNNING` while it has not). */
export type DemoReplicatedJob = {
  label: string;
  id: Hex;
  outcome: 'RUNNING' | 'QUORUM_REACHED' | 'NO_QUORUM' | 'EXPIRED_UNFILLED' | 'CANCELLED';
  terms: ReplicatedJobTerms;
};

/** A demo model version. */
export type DemoModel = { label: string; id: number; fee: bigint; retired: boolean; previous: number };

export type DemoResult = {
  /** False when the chain already had the demo (nothing was sent). */
  seeded: boolean;
  jobs: DemoJob[];
  replicated: DemoReplicatedJob[];
  /** The models published (empty when nothing was seeded). */
  models: DemoModel[];
  /** The demo pool's id (0n when nothing was seeded). */
  pool: bigint;
  workers: Address[];
  /** The chain's head after seeding: wait for the indexer to reach it. */
  head: bigint;
};

export type DemoOptions = {
  rpcUrl: string;
  deployment: Pick<Deployment, 'LoomRegistry' | 'LoomMarket' | 'LoomReplicatedMarket' | 'LoomModels' | 'TestUSDC' | 'arbiter'>;
  /** The API, whose artifact store receives the demo results; omitted: results are not uploaded. */
  apiUrl?: string;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
};

const HOUR = 3600;
const DAY = 86_400;
const H100 = 'NVIDIA H100 80GB HBM3';
const A100 = 'NVIDIA A100-SXM4-80GB';

/**
 * Seeds the demo on the local chain at `rpcUrl`, unless it is already there.
 *
 * @example
 * const demo = await seedDemo({ rpcUrl: anvil.rpcUrl, deployment, apiUrl: ponder.url });
 * await ponder.waitForBlock(demo.head);
 */
export async function seedDemo(o: DemoOptions): Promise<DemoResult> {
  const log = o.log ?? (() => {});
  const transport = http(o.rpcUrl);
  const pub = createPublicClient({ chain: foundry, transport, pollingInterval: 20, cacheTime: 0 });
  const client = await pub.request({ method: 'web3_clientVersion' });
  const chainId = await pub.getChainId();
  // The demo signs with anvil's public keys: only ever on a local development chain.
  if (!/^anvil\//i.test(client) || chainId !== foundry.id) {
    throw new Error(`the demo only runs on a local anvil (chain ${foundry.id}); ${o.rpcUrl} is ${client}, chain ${chainId}`);
  }
  // One writer per account (sdk/writes.ts): every call is simulated first, so a step the contract
  // refuses fails with the contract's error name and sends nothing.
  const writer = (i: number) =>
    createMarketWriter({
      publicClient: pub,
      walletClient: createWalletClient({ account: mnemonicToAccount(ANVIL_MNEMONIC, { addressIndex: i }), chain: foundry, transport }),
      contracts: contractsOf(o.deployment),
      pollingIntervalMs: 20,
    });
  type Writer = MarketWriter;
  const [ada, grace] = DEMO_ACCOUNTS.clients.map(writer) as [Writer, Writer];
  const [w1, w2] = DEMO_ACCOUNTS.workers.map(writer) as [Writer, Writer];
  const arbiter = writer(DEMO_ACCOUNTS.arbiter);
  const market = o.deployment.LoomMarket.address;
  const usdc = o.deployment.TestUSDC.address;
  if (arbiter.address.toLowerCase() !== o.deployment.arbiter.toLowerCase()) {
    throw new Error(`the deployment's arbiter ${o.deployment.arbiter} is not anvil's account ${DEMO_ACCOUNTS.arbiter}: not a local deployment`);
  }

  const [, , , , registered] = await pub.readContract({ address: o.deployment.LoomRegistry.address, abi: loomRegistryAbi, functionName: 'workers', args: [w1.address] });
  if (registered) {
    log('demo data already on this chain: nothing sent');
    return { seeded: false, jobs: [], replicated: [], models: [], pool: 0n, workers: [w1.address, w2.address], head: await pub.getBlockNumber() };
  }

  const now = async () => Number((await pub.getBlock({ blockTag: 'latest' })).timestamp);

  const jobs: DemoJob[] = [];
  let salt = BigInt(Date.now());
  const post = async (
    from: Writer,
    label: string,
    p: {
      spec: Record<string, unknown>;
      budget: bigint;
      token?: Address;
      collateral?: bigint;
      auction?: boolean;
      offerTo?: Address;
      /** A POOL job: only this pool's members may claim it. */
      pool?: bigint;
      /** Posted through LoomModels with these models (their fees escrowed with the budget). */
      models?: number[];
      openFor: number;
      executionTimeout: number;
      challengeWindow?: number;
      gpuModel?: string;
    },
  ): Promise<DemoJob> => {
    const terms = {
      token: p.token ?? zeroAddress,
      arbiter: zeroAddress, // the deployment's default arbiter (account 8)
      budget: p.budget,
      collateral: p.collateral ?? 0n,
      mode: p.auction ? MODE.AUCTION : p.offerTo ? MODE.DIRECT : p.pool ? MODE.POOL : MODE.CLAIM,
      offeredTo: p.offerTo ?? (p.pool ? poolAddress(p.pool) : zeroAddress),
      openUntil: (await now()) + p.openFor,
      executionTimeout: p.executionTimeout,
      challengeWindow: p.challengeWindow ?? DAY,
      ...DEMO_REQUIREMENTS,
      gpuModel: p.gpuModel ? stringToHex(p.gpuModel, { size: 32 }) : zeroHash,
      salt: ++salt,
    };
    const posted = p.models ? await from.postJobWithModels({ terms, spec: p.spec, modelIds: p.models }) : await from.postJob({ terms, spec: p.spec });
    const job: DemoJob = { label, id: posted.jobId, status: 'OPEN', terms: posted.terms };
    jobs.push(job);
    return job;
  };

  // Results: small deterministic bundles, packed as a worker packs its outputs.
  const scratch = await mkdtemp(join(tmpdir(), 'loom-demo-'));
  let results = 0;
  // The store takes results from registered workers only, signed by them (sdk/artifactUpload.ts).
  const workerAccounts = new Map(
    DEMO_ACCOUNTS.workers.map((i) => {
      const account = mnemonicToAccount(ANVIL_MNEMONIC, { addressIndex: i });
      return [account.address.toLowerCase(), account] as const;
    }),
  );
  const result = async (worker: Writer, files: Record<string, string>): Promise<[Hex, string]> => {
    const outDir = join(scratch, `out-${++results}`);
    await mkdir(outDir);
    for (const [name, text] of Object.entries(files)) await writeFile(join(outDir, name), text);
    const packed = await packOutputs({ outDir, outputs: ['/out'], destination: `${outDir}.tar`, maxBytes: 1 << 20 });
    if (o.apiUrl) {
      const signer = workerAccounts.get(worker.address.toLowerCase());
      if (!signer) throw new Error(`demo: ${worker.address} is not a demo worker`);
      const body = await readFile(packed.path);
      const headers = await signArtifactUpload({ signer, chainId, market, sha256: packed.sha256, size: body.length, purpose: 'result' });
      await putArtifact({ baseUrl: o.apiUrl, body, sha256: packed.sha256, headers }).catch((err: Error) => {
        throw new Error(`demo: ${err.message}`);
      });
    }
    return [packed.resultHash, `artifact://${packed.sha256}`];
  };
  const submit = async (w: Writer, job: DemoJob, files: Record<string, string>) => {
    const [hash, uri] = await result(w, files);
    await w.submitResult(job.terms, hash, uri);
    job.status = 'SUBMITTED';
  };
  const assign = async (w: Writer, job: DemoJob) => {
    await w.claimJob(job.terms);
    job.status = 'ASSIGNED';
  };
  // Replicated jobs: two replicas, quorum two, the two demo workers in the slots.
  const replicated: DemoReplicatedJob[] = [];
  const postReplicated = async (label: string, p: { spec: Record<string, unknown>; price: bigint; collateral?: bigint; openFor: number; commitWindow: number; revealWindow: number; pool?: bigint }) => {
    const posted = await ada.postReplicatedJob({
      terms: {
        token: zeroAddress,
        price: p.price,
        collateral: p.collateral ?? 0n,
        replicas: 2,
        quorum: 2,
        openUntil: (await now()) + p.openFor,
        commitWindow: p.commitWindow,
        revealWindow: p.revealWindow,
        ...DEMO_REQUIREMENTS,
        gpuModel: zeroHash,
        salt: ++salt,
        pool: p.pool ?? 0n,
      },
      spec: p.spec,
    });
    const job: DemoReplicatedJob = { label, id: posted.jobId, outcome: 'RUNNING', terms: posted.terms };
    replicated.push(job);
    return job;
  };
  /** The demo's reveal salt: public, like every demo key (a real worker derives it from its key). */
  const demoSalt = (job: DemoReplicatedJob, w: Writer) => keccak256(stringToHex(`loom-demo:${job.id}:${w.address}`));
  /** Each worker takes a slot and commits to the bundle of `files[i]`; returns what each will reveal. */
  const commitAll = async (job: DemoReplicatedJob, files: Record<string, string>[]) => {
    const answers: [Hex, string][] = [];
    for (const w of [w1, w2]) await w.takeSlot(job.terms);
    for (const [slot, w] of [w1, w2].entries()) {
      const [hash, uri] = await result(w, files[slot]!);
      answers.push([hash, uri]);
      await w.commitResult(job.terms, slot, resultCommitment(job.id, w.address, hash, demoSalt(job, w)));
    }
    return answers;
  };
  const reveal = (job: DemoReplicatedJob, slot: number, [hash, uri]: [Hex, string]) => {
    const w = [w1, w2][slot]!;
    return w.revealResult(job.terms, slot, hash, demoSalt(job, w), uri);
  };

  const close = (job: DemoJob, reason: NonNullable<DemoJob['closeReason']>) => {
    job.status = 'CLOSED';
    job.closeReason = reason;
  };
  /** A claim (or pool) job run to the end: claimed by `w`, a result with `files`, released by `client`. */
  const complete = async (w: Writer, client: Writer, job: DemoJob, files: Record<string, string>) => {
    await assign(w, job);
    await submit(w, job, files);
    await client.release(job.terms);
    close(job, 'COMPLETED');
  };

  // Workers refuse an image named by tag alone, so the demo's is pinned by digest (the tag is for people).
  // These jobs never run here (they ask for 8 GPUs; the demo workers act from this script), so nothing pulls it.
  const spec = (name: string, gpus: number, timeoutSeconds: number, command: string[]) => ({
    version: 1,
    image: DEMO_IMAGE,
    command,
    env: { DEMO_JOB: name },
    resources: { gpus, vramMiB: 81_920, memoryMiB: 262_144, cpus: 32, timeoutSeconds },
  });

  const models: DemoModel[] = [];
  let pool = 0n;

  try {
    log('demo: registering two workers');
    const claim = (model: string, uri: string) => ({
      gpuModel: stringToHex(model, { size: 32 }),
      gpuCount: 8,
      vramMiB: 81_920,
      cpuCores: 128,
      ramMiB: 1_048_576,
      pricePerGpuHour: model === H100 ? 2_490_000n : 1_790_000n,
      metadataURI: uri,
    });
    await w1.register(claim(H100, 'https://example.com/loom-demo/worker-h100.json'), parseEther('2'));
    await w2.register(claim(A100, 'https://example.com/loom-demo/worker-a100.json'), parseEther('2'));
    // The store takes results from workers registered in the API's index: let it see them first.
    if (o.apiUrl) await waitForIndexed(o.apiUrl, await pub.getBlockNumber());

    // Jobs whose deadlines must pass, first: then one move of the clock covers both.
    log('demo: an expired and a reclaimed job (moving the chain 2 minutes ahead)');
    const expired = await post(grace, 'expired: nobody claimed it', {
      spec: spec('expired', 8, 60, ['python', 'sweep.py', '--trials', '64']),
      budget: parseEther('0.08'),
      openFor: 60,
      executionTimeout: HOUR,
    });
    const reclaimed = await post(ada, 'reclaimed: the worker missed its deadline', {
      spec: spec('reclaimed', 8, 60, ['python', 'embed.py', '--shard', '3']),
      budget: parseEther('0.05'),
      collateral: parseEther('0.1'),
      openFor: HOUR,
      executionTimeout: 60,
    });
    await assign(w2, reclaimed);
    const unfilled = await postReplicated('replicated, expired unfilled: one worker of two came', {
      spec: { ...spec('replicated-unfilled', 8, 60, ['python', 'hash_dataset.py']), deterministic: true },
      price: parseEther('0.02'),
      openFor: 60,
      commitWindow: 30,
      revealWindow: 30,
    });
    await w1.takeSlot(unfilled.terms);
    const noQuorum = await postReplicated('replicated, no quorum: a worker never revealed (slashed)', {
      spec: { ...spec('replicated-no-quorum', 8, 60, ['python', 'checksum.py']), deterministic: true },
      price: parseEther('0.02'),
      collateral: parseEther('0.05'),
      openFor: 60,
      commitWindow: 30,
      revealWindow: 30,
    });
    const [answer] = await commitAll(noQuorum, [{ 'sha256.txt': 'e3b0c442 data.tar\n' }, { 'sha256.txt': 'e3b0c442 data.tar\n' }]);
    await reveal(noQuorum, 0, answer!);
    await pub.request({ method: 'evm_increaseTime' as never, params: [toHex(120)] as never });
    await pub.request({ method: 'evm_mine' as never, params: [] as never });
    await grace.expire(expired.terms);
    close(expired, 'EXPIRED');
    await ada.reclaim(reclaimed.terms);
    close(reclaimed, 'RECLAIMED');
    await ada.finalize(unfilled.terms);
    unfilled.outcome = 'EXPIRED_UNFILLED';
    await ada.finalize(noQuorum.terms);
    noQuorum.outcome = 'NO_QUORUM';

    log('demo: replicated jobs (quorum reached, cancelled, running)');
    const agreed = await postReplicated('replicated, quorum reached: both workers agree', {
      spec: { ...spec('replicated-agreed', 8, HOUR, ['python', 'tokenize.py', '--vocab', '32k']), deterministic: true },
      price: parseEther('0.05'),
      collateral: parseEther('0.05'),
      openFor: DAY,
      commitWindow: DAY,
      revealWindow: DAY,
    });
    const same = { 'tokens.txt': 'vocab 32000, 1.2B tokens (demo)\n' };
    const agreedAnswers = await commitAll(agreed, [same, same]);
    await reveal(agreed, 0, agreedAnswers[0]!);
    await reveal(agreed, 1, agreedAnswers[1]!);
    await ada.finalize(agreed.terms);
    agreed.outcome = 'QUORUM_REACHED';
    const withdrawn = await postReplicated('replicated, cancelled before any slot was taken', {
      spec: { ...spec('replicated-cancelled', 8, HOUR, ['python', 'dedupe.py']), deterministic: true },
      price: parseEther('0.01'),
      openFor: DAY,
      commitWindow: DAY,
      revealWindow: DAY,
    });
    await ada.cancelReplicatedJob(withdrawn.terms);
    withdrawn.outcome = 'CANCELLED';
    const revealing = await postReplicated('replicated, revealing: both committed, one revealed', {
      spec: { ...spec('replicated-revealing', 8, HOUR, ['python', 'eval.py', '--seed', '0']), deterministic: true },
      price: parseEther('0.03'),
      collateral: parseEther('0.05'),
      openFor: DAY,
      commitWindow: DAY,
      revealWindow: 7 * DAY,
    });
    const revealingAnswers = await commitAll(revealing, [{ 'score.txt': '0.8123\n' }, { 'score.txt': '0.8123\n' }]);
    await reveal(revealing, 0, revealingAnswers[0]!);

    log('demo: completed, cancelled and disputed jobs');
    const completed = await post(ada, 'completed: claimed, run and released', {
      spec: spec('finetune', 8, 4 * HOUR, ['torchrun', '--nproc-per-node', '8', 'finetune.py', '--model', 'llama-3-8b']),
      budget: parseEther('0.4'),
      collateral: parseEther('0.2'),
      openFor: DAY,
      executionTimeout: 6 * HOUR,
      gpuModel: H100,
    });
    await complete(w1, ada, completed, { 'metrics.json': '{"epochs":3,"eval_loss":1.412}\n', 'adapter.txt': 'LoRA adapter (demo)\n' });

    const auctioned = await post(grace, 'completed: auction in USDC, bid accepted', {
      spec: spec('render', 8, 2 * HOUR, ['blender', '-b', 'scene.blend', '-a']),
      token: usdc,
      budget: 150_000_000n,
      auction: true,
      openFor: DAY,
      executionTimeout: 4 * HOUR,
    });
    await w1.placeBid(auctioned.terms, 140_000_000n);
    await w2.placeBid(auctioned.terms, 118_000_000n);
    await grace.acceptBid(auctioned.terms, w2.address);
    await submit(w2, auctioned, { 'frames.txt': 'frames 1-240 (demo)\n' });
    await grace.release(auctioned.terms);
    close(auctioned, 'COMPLETED');

    const cancelled = await post(ada, 'cancelled by the client', {
      spec: spec('cancelled', 8, HOUR, ['python', 'eval.py']),
      budget: parseEther('0.03'),
      openFor: DAY,
      executionTimeout: 2 * HOUR,
    });
    await ada.cancelJob(cancelled.terms);
    close(cancelled, 'CANCELLED');

    const resolved = await post(grace, 'dispute resolved: 60% to the worker', {
      spec: spec('resolved', 8, 2 * HOUR, ['python', 'train.py', '--steps', '20000']),
      budget: parseEther('0.25'),
      collateral: parseEther('0.1'),
      openFor: DAY,
      executionTimeout: 4 * HOUR,
    });
    await assign(w1, resolved);
    await submit(w1, resolved, { 'metrics.json': '{"steps":12000,"note":"stopped early"}\n' });
    await grace.dispute(resolved.terms, 'The run stopped at 12,000 of 20,000 steps.');
    await w1.submitEvidence(resolved.terms, 'https://example.com/loom-demo/evidence-oom.txt');
    await arbiter.resolveDispute(resolved.terms, parseEther('0.15'), 0n);
    close(resolved, 'DISPUTE_RESOLVED');

    log('demo: models (paid, a second version, free) and jobs that use them');
    // Small real files, uploaded as a creator uploads them (signed, purpose model) when there is a store.
    const creatorAccount = mnemonicToAccount(ANVIL_MNEMONIC, { addressIndex: DEMO_ACCOUNTS.creator });
    const modelFiles = async (files: Record<string, string>) => {
      const sources = Object.entries(files).map(([path, text]) => ({ path, body: new TextEncoder().encode(text) }));
      if (o.apiUrl) return uploadModelFiles({ files: sources, signer: creatorAccount, chainId, market, artifactUrl: o.apiUrl });
      return Promise.all(sources.map(async (f) => ({ path: f.path, sha256: await sha256Of(f.body), size: BigInt(f.body.length) })));
    };
    const publish = async (label: string, input: ModelParamsInput): Promise<DemoModel> => {
      const built = buildModelParams(input);
      if (!built.ok) throw new Error(`demo: ${label}: ${JSON.stringify(built.issues)}`);
      const published = await grace.publishModel(built.params);
      const model: DemoModel = { label, id: published.modelId, fee: built.params.fee, retired: false, previous: published.previous };
      models.push(model);
      return model;
    };
    const weights = await modelFiles({
      'model.safetensors': 'demo weights: a stand-in for a 7B model (not real weights)\n',
      'config.json': '{"architectures":["LlamaForCausalLM"],"hidden_size":4096,"num_hidden_layers":32}\n',
      'tokenizer/tokenizer.json': '{"version":"1.0","model":{"type":"BPE"}}\n',
    });
    const license = 'https://example.com/loom-demo/model-license.txt';
    const llamaV1 = await publish('paid weights, version 1 (retired)', { name: 'demo-llama-7b', version: '1.0', kind: 'WEIGHTS', files: weights, licenseURI: license, fee: parseEther('0.01') });
    const llamaV2 = await publish('paid weights, version 2 (a new price)', {
      name: 'demo-llama-7b',
      version: '1.1',
      kind: 'WEIGHTS',
      files: weights,
      licenseURI: license,
      fee: parseEther('0.008'),
      previous: llamaV1.id,
    });
    const dataset = await publish('free dataset', {
      name: 'demo-wikitext',
      version: '2024-06',
      kind: 'DATASET',
      files: await modelFiles({ 'train.jsonl': '{"text":"Loom is a GPU marketplace."}\n{"text":"Models earn their creators a fee."}\n' }),
      licenseURI: 'https://creativecommons.org/licenses/by-sa/4.0/',
    });
    const finetuned = await post(ada, 'completed: used a paid model and a free dataset', {
      spec: spec('finetune-with-models', 8, 2 * HOUR, ['python', 'finetune.py', '--model', '/models/demo-llama-7b', '--data', '/models/demo-wikitext']),
      budget: parseEther('0.2'),
      models: [llamaV1.id, dataset.id],
      openFor: DAY,
      executionTimeout: 4 * HOUR,
    });
    await complete(w1, ada, finetuned, { 'metrics.json': '{"eval_loss":1.38,"base":"demo-llama-7b 1.0"}\n' });
    // A newer version replaces the first: no new job may use version 1.
    await grace.retireModel(llamaV1.id);
    llamaV1.retired = true;
    const withdrawnModelJob = await post(ada, 'cancelled: used a paid model (its fee refunded)', {
      spec: spec('eval-with-model', 8, HOUR, ['python', 'eval.py', '--model', '/models/demo-llama-7b']),
      budget: parseEther('0.05'),
      models: [llamaV2.id],
      openFor: DAY,
      executionTimeout: 2 * HOUR,
    });
    await ada.cancelJob(withdrawnModelJob.terms);
    close(withdrawnModelJob, 'CANCELLED');

    log('demo: a worker pool with both demo workers, and jobs for its members');
    const operator = ada;
    ({ poolId: pool } = await operator.createPool({ name: 'Demo GPU pool', metadataURI: 'https://example.com/loom-demo/pool.json', feeBps: 500 }));
    await w1.joinPool(pool);
    await w2.joinPool(pool);
    const pooled = await post(grace, 'completed: a POOL job, run by a member', {
      spec: spec('pool-job', 8, HOUR, ['python', 'render.py', '--frames', '1-120']),
      budget: parseEther('0.1'),
      pool,
      openFor: DAY,
      executionTimeout: 2 * HOUR,
    });
    await complete(w2, grace, pooled, { 'frames.txt': 'frames 1-120 (demo)\n' });
    const pooledReplicated = await postReplicated('replicated in the pool, quorum reached', {
      spec: { ...spec('pool-replicated', 8, HOUR, ['python', 'hash.py']), deterministic: true },
      price: parseEther('0.02'),
      openFor: DAY,
      commitWindow: DAY,
      revealWindow: DAY,
      pool,
    });
    const pooledAnswers = await commitAll(pooledReplicated, [{ 'hash.txt': 'c0ffee (demo)\n' }, { 'hash.txt': 'c0ffee (demo)\n' }]);
    await reveal(pooledReplicated, 0, pooledAnswers[0]!);
    await reveal(pooledReplicated, 1, pooledAnswers[1]!);
    await grace.finalize(pooledReplicated.terms);
    pooledReplicated.outcome = 'QUORUM_REACHED';

    log('demo: jobs still in flight (open, assigned, submitted, disputed)');
    const disputed = await post(ada, 'disputed: waiting for the arbiter', {
      spec: spec('disputed', 8, 2 * HOUR, ['python', 'distill.py']),
      budget: parseEther('0.3'),
      collateral: parseEther('0.1'),
      openFor: DAY,
      executionTimeout: 4 * HOUR,
    });
    await assign(w2, disputed);
    await submit(w2, disputed, { 'student.txt': 'distilled weights (demo)\n' });
    await ada.dispute(disputed.terms, 'The accuracy is far below the spec.');
    await ada.submitEvidence(disputed.terms, 'https://example.com/loom-demo/eval-report.txt');
    disputed.status = 'DISPUTED';

    const submitted = await post(grace, 'submitted: in its challenge window', {
      spec: spec('submitted', 8, HOUR, ['python', 'benchmark.py', '--suite', 'mlperf']),
      budget: parseEther('0.12'),
      openFor: DAY,
      executionTimeout: 2 * HOUR,
      challengeWindow: 3 * DAY,
    });
    await assign(w1, submitted);
    await submit(w1, submitted, { 'results.csv': 'test,score\nresnet50,0.981\nbert,0.913\n' });

    const running = await post(ada, 'assigned: running', {
      spec: spec('assigned', 8, 20 * HOUR, ['torchrun', '--nproc-per-node', '8', 'pretrain.py']),
      budget: parseEther('1.5'),
      collateral: parseEther('0.5'),
      openFor: DAY,
      executionTimeout: DAY,
    });
    await assign(w2, running);

    const auction = await post(grace, 'open auction with bids', {
      spec: spec('auction', 8, 6 * HOUR, ['python', 'generate.py', '--samples', '100000']),
      token: usdc,
      budget: 400_000_000n,
      auction: true,
      openFor: 2 * DAY,
      executionTimeout: 8 * HOUR,
    });
    await w1.placeBid(auction.terms, 380_000_000n);
    await w2.placeBid(auction.terms, 365_000_000n);
    // A bid replaced by a lower one: the bid history shows both.
    await w1.placeBid(auction.terms, 350_000_000n);

    await post(ada, 'open: waiting for an 8x H100 worker', {
      spec: spec('open', 8, 3 * HOUR, ['python', 'train.py', '--config', 'vit-large.yaml']),
      budget: parseEther('0.6'),
      collateral: parseEther('0.2'),
      openFor: 7 * DAY,
      executionTimeout: 5 * HOUR,
      gpuModel: H100,
    });

    await post(grace, 'open: a direct offer to the 8x A100 worker', {
      spec: spec('direct', 8, 2 * HOUR, ['python', 'finetune.py', '--model', 'mistral-7b']),
      budget: parseEther('0.35'),
      offerTo: w2.address,
      openFor: 3 * DAY,
      executionTimeout: 4 * HOUR,
    });
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }

  const head = await pub.getBlockNumber();
  log(`demo: ${jobs.length} jobs seeded (up to block ${head})`);
  return { seeded: true, jobs, replicated, models, pool, workers: [w1.address, w2.address], head };
}

/** Resolves once the indexer behind `apiUrl` (Ponder's /status) has indexed `block`. */
export async function waitForIndexed(apiUrl: string, block: bigint, timeoutMs = 120_000): Promise<void> {
  if (!(await waitForIndexedBlock(apiUrl, block, { timeoutMs }))) throw new Error(`the indexer at ${apiUrl} did not reach block ${block} within ${timeoutMs / 1000} s`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const rpcUrl = process.env.RPC_URL ?? 'http://127.0.0.1:8545';
  const apiUrl = process.env.API_URL ?? 'http://127.0.0.1:42069';
  const run = async () => {
    const chainId = await createPublicClient({ transport: http(rpcUrl) }).getChainId();
    const deployment = readDeployment(deploymentPath(chainId), fileURLToPath(new URL('..', import.meta.url)));
    if (!deployment) throw new Error(`no ${deploymentPath(chainId)}: start the stack first (npm start)`);
    const demo = await seedDemo({ rpcUrl, deployment, apiUrl, log: console.log });
    if (demo.seeded) {
      await waitForIndexed(apiUrl, demo.head);
      for (const j of demo.jobs) console.log(`  ${j.status.padEnd(9)} ${j.id}  ${j.label}`);
    }
  };
  run().catch((err) => {
    console.error(`demo failed: ${err instanceof Error ? err.message : err}`);
    process.exit(1);
  });
}
