/**
 * The SDK's model writes against a real anvil with the contracts deployed (and the artifact store
 * for a model's files): publishing (paid, free, an image, a second version), retiring, posting
 * single and replicated jobs through LoomModels with the fees read from the chain (ETH as value,
 * tUSDC approved to LoomModels), royalties on release, withdrawing them, and every refusal named by
 * the contract's error, before anything is sent.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { erc20Abi, parseEther, zeroAddress, type Address, type Hex } from 'viem';
import { loomModelsAbi } from '../abis/generated';
import { accountOf } from '../testkit/accounts';
import { type Stack, startStack } from '../testkit/stack';
import { MAX_MODELS_PER_JOB, modelJobCost } from './modelCost';
import { MAX_MODEL_FILES, MAX_MODEL_TEXT_BYTES, buildModelParams, type ModelParamsInput } from './modelParams';
import { sha256Of, uploadModelFiles } from './modelUpload';
import { buildReplicatedParams } from './replicatedParams';
import { receiptEvents } from './receipts';
import { TxError, type MarketWriter } from './writes';

let m: Stack;
let creator: MarketWriter;
let client: MarketWriter;
let worker: MarketWriter;
let stranger: MarketWriter;
const spec = { version: 1, image: 'loom/sdk-test', command: ['true'] };
const IMAGE = `registry.example.com/loom/llm@sha256:${'ab'.repeat(32)}`;
const sha = (n: number) => `0x${n.toString(16).padStart(64, '0')}` as Hex;

const models = () => m.contracts.models!;
const credits = (token: Address, account: Address) => m.publicClient.readContract({ address: models(), abi: loomModelsAbi, functionName: 'credits', args: [token, account] });
const nonce = (address: Address) => m.publicClient.getTransactionCount({ address, blockTag: 'pending' });

/** Publishes through the SDK's parameters (so they are checked as every client checks them). */
async function publish(input: Partial<ModelParamsInput> = {}, from: MarketWriter = creator) {
  const built = buildModelParams({ name: 'llama', version: '1', kind: 'WEIGHTS', files: [{ path: 'model.bin', sha256: sha(1), size: 10 }], licenseURI: 'https://example.com/LICENSE', ...input });
  if (!built.ok) throw new Error(JSON.stringify(built.issues));
  return from.publishModel(built.params);
}

beforeAll(async () => {
  m = await startStack({ name: 'sdk-models-test', artifacts: true, jobDefaults: { budget: parseEther('0.1'), executionTimeout: 3600, challengeWindow: 600 } });
  creator = m.writer(2);
  client = m.writer(1);
  stranger = m.writer(3);
  worker = m.writer(4);
  await worker.register(m.claim(), parseEther('1'));
}, 180_000);

afterAll(async () => {
  await m?.stop();
});

describe("the contract's own constants", () => {
  test('MAX_MODELS_PER_JOB, MAX_MODEL_FILES and MAX_TEXT_BYTES are the contract constants', async () => {
    const read = (functionName: 'MAX_MODELS_PER_JOB' | 'MAX_MODEL_FILES' | 'MAX_TEXT_BYTES') => m.publicClient.readContract({ address: models(), abi: loomModelsAbi, functionName });
    expect(await read('MAX_MODELS_PER_JOB')).toBe(BigInt(MAX_MODELS_PER_JOB));
    expect(await read('MAX_MODEL_FILES')).toBe(BigInt(MAX_MODEL_FILES));
    expect(await read('MAX_TEXT_BYTES')).toBe(BigInt(MAX_MODEL_TEXT_BYTES));
  });
});

describe('publishModel and retireModel', () => {
  test('default: a paid model is published with its id; a second version follows it; retired, it refuses a second retire', async () => {
    const first = await publish({ fee: parseEther('0.01') });
    expect(first.modelId).toBeGreaterThan(0);
    expect(first).toMatchObject({ creator: m.address(2), previous: 0, model: { name: 'llama', fee: parseEther('0.01'), token: zeroAddress } });
    const second = await publish({ version: '2', fee: parseEther('0.02'), previous: first.modelId });
    expect(second).toMatchObject({ modelId: first.modelId + 1, previous: first.modelId });
    await creator.retireModel(first.modelId);
    const [, , , retired] = await m.publicClient.readContract({ address: models(), abi: loomModelsAbi, functionName: 'models', args: [first.modelId] });
    expect(retired).toBe(true);
    await expect(creator.retireModel(first.modelId)).rejects.toMatchObject({ mined: false, revert: { name: 'ModelIsRetired', args: [first.modelId] } });
  });

  test('behavior: an image model and a free dataset', async () => {
    const image = await publish({ kind: 'IMAGE', files: [], image: IMAGE, name: 'vllm' });
    expect(image.model).toMatchObject({ kind: 2, image: IMAGE, files: [] });
    const dataset = await publish({ kind: 'DATASET', name: 'wiki', files: [{ path: 'shards/00.parquet', sha256: sha(2), size: 5n }] });
    expect(dataset.model).toMatchObject({ kind: 1, fee: 0n, files: [{ path: 'shards/00.parquet', sha256: sha(2), size: 5n }] });
  });

  test('error: the contract refuses an empty name, content that does not fit the kind, a version of another creator, a stranger retiring; nothing is sent', async () => {
    const own = await publish();
    const before = await nonce(m.address(3));
    const base = { name: 'x', version: '1', kind: 0, files: [], image: '', licenseURI: '', token: zeroAddress, fee: 0n, previous: 0 };
    await expect(stranger.publishModel({ ...base, name: '' , files: [{ path: 'a', sha256: sha(1), size: 1n }] })).rejects.toMatchObject({ revert: { name: 'EmptyName' } });
    await expect(stranger.publishModel(base)).rejects.toMatchObject({ revert: { name: 'InvalidModelContent', args: [0, 0n, 0n] } });
    await expect(stranger.publishModel({ ...base, files: [{ path: 'a', sha256: sha(1), size: 1n }], previous: own.modelId })).rejects.toMatchObject({
      revert: { name: 'NotModelCreator', args: [own.modelId, m.address(3)] },
    });
    await expect(stranger.retireModel(own.modelId)).rejects.toMatchObject({ revert: { name: 'NotModelCreator' } });
    await expect(stranger.retireModel(999_999)).rejects.toMatchObject({ revert: { name: 'ModelNotFound', args: [999_999] } });
    expect(await nonce(m.address(3))).toBe(before);
  });
});

describe('buildModelParams', () => {
  test('error: every rule, on its field, before anything is signed', () => {
    const issues = (input: Partial<ModelParamsInput>) => {
      const r = buildModelParams({ name: 'n', version: '1', kind: 'WEIGHTS', files: [{ path: 'a', sha256: sha(1), size: 1 }], licenseURI: 'l', ...input });
      return r.ok ? {} : Object.fromEntries(r.issues.map((i) => [i.field, i.message]));
    };
    expect(issues({})).toEqual({});
    expect(issues({ name: ' ' }).name).toBe('must not be empty');
    expect(issues({ name: 'a/b' }).name).toMatch(/no "\/"/);
    expect(issues({ version: 'v'.repeat(257) }).version).toBe('is over 256 bytes');
    expect(issues({ files: [] }).files).toBe('are needed for a WEIGHTS model');
    expect(issues({ files: [{ path: '../x', sha256: sha(1), size: 1 }] }).files).toMatch(/inside the model's directory/);
    expect(issues({ files: [{ path: '/x', sha256: sha(1), size: 1 }] }).files).toMatch(/relative/);
    expect(issues({ files: [{ path: 'a', sha256: sha(1), size: 1 }, { path: 'a', sha256: sha(2), size: 1 }] }).files).toBe('"a" is named twice');
    expect(issues({ files: [{ path: 'a', sha256: '0x12', size: 1 }] }).files).toMatch(/64 hex digits/);
    expect(issues({ image: IMAGE }).image).toBe('is for IMAGE models, not WEIGHTS');
    expect(issues({ kind: 'IMAGE', files: [] }).image).toMatch(/is needed for an IMAGE model/);
    expect(issues({ kind: 'IMAGE', files: [], image: 'busybox:latest' }).image).toMatch(/not pinned by digest/);
    expect(issues({ kind: 'IMAGE', image: IMAGE }).files).toMatch(/an IMAGE model is its image/);
    expect(issues({ fee: -1n }).fee).toMatch(/from 0/);
    expect(issues({ token: 'usdc' }).token).toBe('"usdc" is not an address');
    expect(issues({ kind: 'MODEL' as never }).kind).toBe('must be one of weights, dataset, image, not "MODEL"');
  });
});

describe('postJobWithModels', () => {
  test('default: in ETH, the budget plus the fees read from the chain as value; ModelsUsed; release pays the creator, who withdraws', async () => {
    const paid = await publish({ fee: parseEther('0.01') });
    const free = await publish({ name: 'tokenizer' });
    const params = await m.jobParams();
    const hubBefore = await m.publicClient.getBalance({ address: models() });
    const posted = await client.postJobWithModels({ terms: params, spec, modelIds: [paid.modelId, free.modelId] });
    expect(posted.terms.client).toBe(m.address(1));
    expect(posted).toMatchObject({ modelIds: [paid.modelId, free.modelId], fees: [parseEther('0.01'), 0n] });
    expect(posted.approval).toBeUndefined();
    // The fees stay with LoomModels; the budget went on to the market.
    expect((await m.publicClient.getBalance({ address: models() })) - hubBefore).toBe(parseEther('0.01'));
    const tx = await m.publicClient.getTransaction({ hash: posted.hash });
    expect(tx.value).toBe(params.budget + parseEther('0.01'));

    await worker.claimJob(posted.terms);
    await worker.submitResult(posted.terms, sha(9), 'artifact://r');
    const released = await client.release(posted.terms);
    const [royalty] = receiptEvents(released.receipt, 'RoyaltyPaid');
    expect(royalty?.args).toMatchObject({ jobId: posted.jobId, modelId: paid.modelId, creator: m.address(2), amount: parseEther('0.01') });
    expect(await credits(zeroAddress, m.address(2))).toBeGreaterThanOrEqual(parseEther('0.01'));
    const withdrawn = await creator.withdraw(zeroAddress, creator.address, 'models');
    expect(receiptEvents(withdrawn.receipt, 'Withdrawn')[0]?.args.amount).toBeGreaterThanOrEqual(parseEther('0.01'));
    expect(await credits(zeroAddress, m.address(2))).toBe(0n);
  });

  test('behavior: in tUSDC, LoomModels is approved for the budget plus the fees; a cancelled job refunds the fees to the client', async () => {
    const paid = await publish({ fee: 3_000_000n, token: m.usdc });
    const budget = 20_000_000n;
    const posted = await client.postJobWithModels({ terms: await m.jobParams({ token: m.usdc, budget }), spec, modelIds: [paid.modelId] });
    expect(posted.approval?.receipt.status).toBe('success');
    expect(await client.allowance(m.usdc, client.address, models())).toBe(0n);
    expect(await m.publicClient.readContract({ address: m.usdc, abi: erc20Abi, functionName: 'balanceOf', args: [models()] })).toBeGreaterThanOrEqual(3_000_000n);
    const cancelled = await client.cancelJob(posted.terms);
    expect(receiptEvents(cancelled.receipt, 'RoyaltyRefunded')[0]?.args).toMatchObject({ client: m.address(1), amount: 3_000_000n });
    expect(await credits(m.usdc, m.address(1))).toBe(3_000_000n);
  });

  test('behavior: a replicated job with models escrows price * replicas plus the fees', async () => {
    const paid = await publish({ fee: parseEther('0.005') });
    const built = buildReplicatedParams({ token: zeroAddress, price: parseEther('0.01'), replicas: 2, openFor: 3600, commitWindow: 3600, revealWindow: 3600 }, undefined, { now: await m.now() });
    if (!built.ok) throw new Error(JSON.stringify(built.issues));
    const posted = await client.postReplicatedJobWithModels({ terms: built.params, spec, modelIds: [paid.modelId] });
    expect(posted).toMatchObject({ modelIds: [paid.modelId], fees: [parseEther('0.005')] });
    expect(posted.terms.client).toBe(m.address(1));
    expect((await m.publicClient.getTransaction({ hash: posted.hash })).value).toBe(parseEther('0.025'));
  });

  test('error: a missing, retired, duplicated or wrongly paid model, or none, is refused as the contract would, sending nothing (not even an approval)', async () => {
    const usdcModel = await publish({ fee: 1_000_000n, token: m.usdc });
    const retired = await publish();
    await creator.retireModel(retired.modelId);
    const eth = await m.jobParams();
    const before = await nonce(m.address(1));
    const refused = (modelIds: number[], terms = eth) => client.postJobWithModels({ terms, spec, modelIds }).catch((e: unknown) => e as TxError);
    expect(await refused([999_999])).toMatchObject({ mined: false, revert: { name: 'ModelNotFound', args: [999_999] } });
    expect(await refused([retired.modelId])).toMatchObject({ revert: { name: 'ModelIsRetired', args: [retired.modelId] } });
    expect(await refused([usdcModel.modelId])).toMatchObject({ revert: { name: 'ModelTokenMismatch', args: [usdcModel.modelId, m.usdc, zeroAddress] } });
    expect(await refused([usdcModel.modelId, usdcModel.modelId], await m.jobParams({ token: m.usdc, budget: 1_000_000n }))).toMatchObject({ revert: { name: 'DuplicateModel' } });
    expect(await refused([])).toMatchObject({ revert: { name: 'InvalidModelCount', args: [0n, 8n] } });
    const err = await refused([retired.modelId]);
    expect(err).toBeInstanceOf(TxError);
    expect((err as TxError).message).toContain(`ModelIsRetired(${retired.modelId})`);
    expect(await nonce(m.address(1))).toBe(before);
  });
});

describe('modelJobCost', () => {
  test('default: the budget plus the fees in the job token; a fee in another token listed apart', () => {
    const usdc = '0x0000000000000000000000000000000000000abc' as Address;
    const cost = modelJobCost({ token: zeroAddress, budget: 100n, models: [{ id: 1, fee: 5n, token: zeroAddress }, { id: 2, fee: 0n, token: usdc }] });
    expect(cost).toMatchObject({ modelFees: 5n, total: 105n, perToken: [{ token: zeroAddress, amount: 105n }] });
    expect(modelJobCost({ token: zeroAddress, budget: 1n, models: [{ id: 3, fee: 7n, token: usdc }] }).perToken).toEqual([
      { token: zeroAddress, amount: 1n },
      { token: usdc, amount: 7n },
    ]);
  });
});

describe('uploadModelFiles', () => {
  test('default: each file hashed, uploaded signed as a model artifact, and returned as a ModelFile that publishes', async () => {
    const bytes = new TextEncoder().encode('weights (test)\n');
    const blob = new Blob(['{"vocab":3}\n']);
    const files = await uploadModelFiles({
      files: [
        { path: 'model.bin', body: bytes },
        { path: 'tokenizer/tokenizer.json', body: blob },
      ],
      signer: accountOf(2),
      chainId: m.deployment.chainId,
      market: m.market,
      artifactUrl: m.artifactUrl,
    });
    expect(files).toEqual([
      { path: 'model.bin', sha256: await sha256Of(bytes), size: BigInt(bytes.length) },
      { path: 'tokenizer/tokenizer.json', sha256: await sha256Of(blob), size: BigInt(blob.size) },
    ]);
    const res = await fetch(`${m.artifactUrl}/artifacts/${files[0]!.sha256}`);
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(bytes);
    const published = await publish({ files });
    expect(published.model.files).toEqual(files);
  });

  test('error: a path outside the model is refused before anything is signed', async () => {
    await expect(
      uploadModelFiles({ files: [{ path: '../escape', body: new Uint8Array(1) }], signer: accountOf(2), chainId: m.deployment.chainId, market: m.market, artifactUrl: m.artifactUrl }),
    ).rejects.toThrow(/inside the model's directory/);
  });
});
