/**
 * The model hub and worker pools on a real chain, as their users drive them: creators publish models
 * (paid and free, ETH and TestUSDC, two versions of one line, a dataset, an image) and retire one;
 * an operator runs two pools (one open, one that needs approval), workers join, are approved, leave
 * (at once, and after their last pool job) and are removed; a client posts jobs with models (single
 * and replicated in ETH, completed; replicated in TestUSDC, cancelled: ./scenario.ts ends with
 * TestUSDC off the single-worker market's allow-list), and jobs restricted to a pool
 * (single POOL jobs and pooled replicated jobs) that complete, the pool's fee changing between them,
 * and some left open. Accounts 10 to 17 of the mnemonic, funded here, so that the actors of
 * ./scenario.ts keep their own record when both run on one chain.
 */
import { pad, parseEther, parseEventLogs, stringToHex, toHex, type Address, type Hex, zeroAddress } from 'viem';
import { loomModelsAbi, testUsdcAbi } from '../../abis/generated';
import { loomAbi } from '../../sdk/contracts';
import type { JobTerms } from '../../sdk/jobTerms';
import { resultCommitment } from '../../sdk/replication';
import type { ReplicatedJobTerms } from '../../sdk/writes';
import { addressOf as addr } from '../../testkit/accounts';
import type { Chain } from '../../testkit/chain';
import { hardwareClaim } from '../../testkit/jobs';
import { GOOD_RESULT, H100, JSON_SPEC } from './scenario';

const [creator, creator2, operator, d, e, f, client, g] = [10, 11, 12, 13, 14, 15, 16, 17] as const;

export type ModelsPoolsScenario = {
  usdc: Address;
  models: Address;
  actors: Record<'creator' | 'creator2' | 'operator' | 'd' | 'e' | 'f' | 'client' | 'g', Address>;
  /** m1 (weights v1, 0.01 ETH, retired), m2 (weights v2 after m1, 0.02 ETH), m3 (a free dataset), m4 (an image, 5 tUSDC). */
  modelIds: Record<'m1' | 'm2' | 'm3' | 'm4', number>;
  /** p1 open, 10% then 20%; p2 approval required, 5%. */
  poolIds: Record<'p1' | 'p2', bigint>;
  jobs: {
    /** ETH, models m2 and m3, claimed by f and released. */
    withModels: Hex;
    /** Replicated (2 of 2) in tUSDC, models m4 and m3, cancelled. */
    withModelsCancelled: Hex;
    /** Replicated (2 of 2) in ETH with m2: quorum reached. */
    replicatedWithModels: Hex;
    /** Pooled replicated (p1, 2 of 2): d and e, quorum reached, each paying 10%. */
    pooledReplicated: Hex;
    /** POOL job of p1 claimed by d at 10%, released. */
    pool1: Hex;
    /** POOL job of p1 claimed by e at 20%; e asked to leave while holding it, and left when it closed. */
    pool2: Hex;
    /** POOL job of p1, open. */
    poolOpen: Hex;
    /** Pooled replicated job of p2, open. */
    pool2Replicated: Hex;
    /** A CLAIM job offered to nobody, open. */
    open: Hex;
  };
  head: bigint;
};

/** Runs the scenario on `chain` (testkit's startChain). */
export async function runModelsPoolsScenario(chain: Chain): Promise<ModelsPoolsScenario> {
  const { send, usdc, writer } = chain;
  const models = chain.contracts.models!;
  for (const who of [creator, creator2, operator, d, e, f, client, g]) await chain.pub.setBalance({ address: addr(who), value: parseEther('100') });
  const mint = await chain.wallet(client).writeContract({ address: usdc, abi: testUsdcAbi, functionName: 'mint', args: [addr(client), 1_000_000_000n] });
  await chain.pub.waitForTransactionReceipt({ hash: mint });
  const approve = await chain.wallet(client).writeContract({ address: usdc, abi: testUsdcAbi, functionName: 'approve', args: [models, 2n ** 256n - 1n] });
  await chain.pub.waitForTransactionReceipt({ hash: approve });

  const spec = toHex(JSON.stringify(JSON_SPEC));
  const events = (receipt: { logs: Parameters<typeof parseEventLogs>[0]['logs'] }) => parseEventLogs({ abi: loomAbi, logs: receipt.logs });
  const idOf = async (receipt: Awaited<ReturnType<typeof send>>, name: 'ModelPublished' | 'PoolCreated') => {
    const log = events(receipt).find((l) => l.eventName === name) as { args: { modelId?: number; pool?: bigint } } | undefined;
    return (name === 'ModelPublished' ? log?.args.modelId : log?.args.pool) as never;
  };

  // ---- workers (H100s, 1 ETH of stake each) ----
  for (const who of [d, e, f, g]) await send(who, 'register', [hardwareClaim({ model: H100, metadataURI: `ipfs://worker-${who}` })], parseEther('1'));

  // ---- models ----
  const file = (n: number, path: string) => ({ sha256: pad(toHex(n), { size: 32 }), size: BigInt(n) * 1_000_000n, path });
  const publish = async (who: number, p: { name: string; version: string; kind: number; files?: ReturnType<typeof file>[]; image?: string; token?: Address; fee: bigint; previous?: number }) =>
    idOf(
      await send(who, 'publish', [{ files: [], image: '', licenseURI: 'https://license.example/apache-2.0', token: zeroAddress, previous: 0, ...p }]),
      'ModelPublished',
    ) as Promise<number>;
  const m1 = await publish(creator, { name: 'Llama Weights', version: '1.0', kind: 0, files: [file(1, 'model.safetensors'), file(2, 'tokenizer.json')], fee: parseEther('0.01') });
  const m2 = await publish(creator, { name: 'Llama Weights', version: '1.1', kind: 0, files: [file(3, 'model.safetensors')], fee: parseEther('0.02'), previous: m1 });
  const m3 = await publish(creator2, { name: 'ImageNet mini', version: '2024', kind: 1, files: [file(4, 'train.tar')], fee: 0n });
  const m4 = await publish(creator2, { name: 'vLLM server', version: '0.6', kind: 2, image: 'ghcr.io/vllm/vllm@sha256:' + 'ab'.repeat(32), token: usdc, fee: 5_000_000n });
  await send(creator, 'retire', [m1]);

  // ---- pools ----
  const p1 = (await idOf(await send(operator, 'createPool', ['GPU co-op', 'ipfs://pool-1', 1000, false]), 'PoolCreated')) as bigint;
  const p2 = (await idOf(await send(operator, 'createPool', ['Vetted H100s', 'ipfs://pool-2', 500, true]), 'PoolCreated')) as bigint;
  await send(d, 'joinPool', [p1]);
  await send(e, 'joinPool', [p1]);
  await send(f, 'joinPool', [p2]);
  await send(operator, 'approveMember', [p2, addr(f)]);
  await send(g, 'joinPool', [p1]);
  await send(operator, 'removeMember', [p1, addr(g)]);

  // ---- jobs ----
  const params = async (o: Partial<Record<string, unknown>> = {}) => ({
    ...(await chain.jobParams({ minGpuCount: 1, minVramMiB: 40_960, gpuModel: stringToHex(H100, { size: 32 }), openFor: 86_400 })),
    ...o,
  });
  const posted = (receipt: Awaited<ReturnType<typeof send>>) => {
    const log = events(receipt).find((l) => l.eventName === 'JobPosted' || l.eventName === 'ReplicatedJobPosted') as unknown as { args: { jobId: Hex; terms: never } };
    return { id: log.args.jobId, terms: log.args.terms };
  };
  const postSingle = async (p: Record<string, unknown>, modelIds: number[] = [], value = 0n) => {
    const full = await params(p);
    const receipt = modelIds.length
      ? await send(client, 'postJobWithModels', [full, spec, modelIds], (full.token === zeroAddress ? (full.budget as bigint) : 0n) + value)
      : await send(client, 'postJob', [full, spec], full.token === zeroAddress ? (full.budget as bigint) : undefined);
    return posted(receipt) as { id: Hex; terms: JobTerms };
  };
  const replicatedParams = async (o: { pool?: bigint; salt: bigint; token?: Address; price?: bigint }) => ({
    token: zeroAddress,
    price: parseEther('0.3'),
    collateral: parseEther('0.1'),
    replicas: 2,
    quorum: 2,
    openUntil: (await chain.now()) + 86_400,
    commitWindow: 3600,
    revealWindow: 3600,
    minGpuCount: 1,
    minVramMiB: 40_960,
    gpuModel: stringToHex(H100, { size: 32 }),
    pool: 0n,
    ...o,
  });
  const runReplicated = async (terms: ReplicatedJobTerms, id: Hex, workers: number[]) => {
    for (const who of workers) await writer(who).takeSlot(terms);
    for (const [slot, who] of workers.entries()) await writer(who).commitResult(terms, slot, resultCommitment(id, addr(who), GOOD_RESULT, toHex(slot + 1, { size: 32 })));
    for (const [slot, who] of workers.entries()) await writer(who).revealResult(terms, slot, GOOD_RESULT, toHex(slot + 1, { size: 32 }), `ipfs://${id.slice(-4)}-${slot}`);
    await writer(client).finalize(terms);
  };

  // With models: ETH (m2 paid, m3 free), released; tUSDC (m4 paid, m3 free), cancelled.
  const withModels = await postSingle({ budget: parseEther('1'), collateral: parseEther('0.1') }, [m2, m3], parseEther('0.02'));
  await send(f, 'claimJob', [withModels.terms]);
  await send(f, 'submitResult', [withModels.terms, toHex(1, { size: 32 }), 'ipfs://with-models']);
  await send(client, 'release', [withModels.terms]);

  const withModelsCancelled = posted(
    await send(client, 'postReplicatedJobWithModels', [chain.replicated, await replicatedParams({ salt: 200n, token: usdc, price: 25_000_000n }), spec, [m4, m3]]),
  ) as { id: Hex; terms: ReplicatedJobTerms };
  await writer(client).cancelReplicatedJob(withModelsCancelled.terms);

  // Replicated with m2 (2 of 2 in ETH): e and f agree.
  const replicated = posted(
    await send(client, 'postReplicatedJobWithModels', [chain.replicated, await replicatedParams({ salt: 201n }), spec, [m2]], parseEther('0.6') + parseEther('0.02')),
  ) as { id: Hex; terms: ReplicatedJobTerms };
  await runReplicated(replicated.terms, replicated.id, [e, f]);

  // Pooled replicated (p1 at 10%): d and e agree, each pays the operator.
  const pooled = await writer(client).postReplicatedJob({ terms: await replicatedParams({ pool: p1, salt: 202n }), spec: JSON_SPEC });
  await runReplicated(pooled.terms, pooled.jobId, [d, e]);

  // POOL jobs of p1: d at 10%; the fee goes to 20%; e at 20%, asks to leave while holding it, leaves at its close.
  const POOL = 3;
  const offeredTo = (pool: bigint) => pad(toHex(pool), { size: 20 });
  const pool1 = await postSingle({ mode: POOL, offeredTo: offeredTo(p1), budget: parseEther('1'), collateral: parseEther('0.1') });
  await send(d, 'claimJob', [pool1.terms]);
  await send(d, 'submitResult', [pool1.terms, toHex(2, { size: 32 }), 'ipfs://pool-1']);
  await send(client, 'release', [pool1.terms]);
  await send(operator, 'setPoolFee', [p1, 2000]);
  const pool2 = await postSingle({ mode: POOL, offeredTo: offeredTo(p1), budget: parseEther('0.5'), collateral: 0n });
  await send(e, 'claimJob', [pool2.terms]);
  await send(e, 'leavePool', []);
  await send(e, 'submitResult', [pool2.terms, toHex(3, { size: 32 }), 'ipfs://pool-2']);
  await send(client, 'release', [pool2.terms]);
  // e, out of p1, asks to join p2 (approval required): a request.
  await send(e, 'joinPool', [p2]);

  // Left open: a POOL job of p1, a pooled replicated job of p2, a job for anyone.
  const poolOpen = await postSingle({ mode: POOL, offeredTo: offeredTo(p1), budget: parseEther('0.4'), collateral: 0n });
  const pool2Replicated = await writer(client).postReplicatedJob({ terms: await replicatedParams({ pool: p2, salt: 203n }), spec: JSON_SPEC });
  const open = await postSingle({ budget: parseEther('0.2'), collateral: 0n });

  // The creator takes its ETH royalties out of LoomModels.
  const withdrawn = await chain.wallet(creator).writeContract({ address: models, abi: loomModelsAbi, functionName: 'withdraw', args: [zeroAddress, addr(creator)] });
  await chain.pub.waitForTransactionReceipt({ hash: withdrawn });

  return {
    usdc,
    models,
    actors: {
      creator: addr(creator),
      creator2: addr(creator2),
      operator: addr(operator),
      d: addr(d),
      e: addr(e),
      f: addr(f),
      client: addr(client),
      g: addr(g),
    },
    modelIds: { m1, m2, m3, m4 },
    poolIds: { p1, p2 },
    jobs: {
      withModels: withModels.id,
      withModelsCancelled: withModelsCancelled.id,
      replicatedWithModels: replicated.id,
      pooledReplicated: pooled.jobId,
      pool1: pool1.id,
      pool2: pool2.id,
      poolOpen: poolOpen.id,
      pool2Replicated: pool2Replicated.jobId,
      open: open.id,
    },
    head: await chain.pub.getBlockNumber({ cacheTime: 0 }),
  };
}
