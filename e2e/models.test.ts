/**
 * Models end to end: anvil, the indexer serving the API, the artifact store, and a worker daemon
 * (`loom-worker start`, running jobs in its bubblewrap sandbox).
 *
 * A creator uploads a model's weights (a file of a few MB) to the artifact store and publishes the
 * model on LoomModels with a fee. A client posts a job that uses it (`postJobWithModels`: budget +
 * fee escrowed); the worker fetches the weights by sha256 before claiming, mounts them read-only at
 * /models/<name>/<path>, runs the job (which hashes the file it sees) and is paid on release; the
 * creator is credited the fee (RoyaltyPaid) and withdraws it. The same model in a job the client
 * cancels pays the creator nothing: the fee goes back to the client (RoyaltyRefunded).
 *
 * Needs bubblewrap (the worker runs the job); CI installs it.
 */
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Hex, parseEther, parseEventLogs, zeroAddress } from 'viem';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loomMarketAbi, loomModelsAbi } from '../abis/generated';
import { buildModelParams } from '../sdk/modelParams';
import { uploadModelFiles } from '../sdk/modelUpload';
import { ROLES, accountOf } from '../testkit/accounts';
import { scriptSpec } from '../testkit/jobs';
import { type Stack, startStack } from '../testkit/stack';
import { tempDir } from '../testkit/tempDir';
import type { WorkerProcess } from '../testkit/workers';
import { skipSandboxTests } from '../worker/test/sandboxAvailability';

const CLIENT = ROLES.clients[0];
const CREATOR = ROLES.clients[1];
const BUDGET = parseEther('0.01');
const FEE = parseEther('0.002');
const NAME = 'tiny-llm';
const PATH = 'weights/model.bin';
/** A few MB of weights, the same bytes on every run. */
const WEIGHTS = new Uint8Array(4 * 2 ** 20).map((_, i) => (i * 31 + (i >> 12)) % 251);
const WEIGHTS_SHA = createHash('sha256').update(WEIGHTS).digest('hex');

let m: Stack;
let worker: WorkerProcess;
let modelId: number;

const models = () => m.contracts.models!;
const modelCredits = (account: Hex) => m.pub.readContract({ address: models(), abi: loomModelsAbi, functionName: 'credits', args: [zeroAddress, account] });
const marketCredits = (account: Hex) => m.pub.readContract({ address: m.market, abi: loomMarketAbi, functionName: 'credits', args: [zeroAddress, account] });
const balance = (account: Hex) => m.pub.getBalance({ address: account });
const gasOf = (r: { gasUsed: bigint; effectiveGasPrice: bigint }) => r.gasUsed * r.effectiveGasPrice;
/** The job's models as the API has them: each fee, and the royalty paid once it closed. */
const apiModels = async (id: Hex) => (await m.gql('query($id: ID!) { job(id: $id) { models { fee royaltyPaid model { id } } } }', { id })).job.models;

/** Posts a job that uses the model through LoomModels, paying its budget and the model's fee. */
async function postWithModel(spec: Record<string, unknown>, overrides: Parameters<Stack['jobParams']>[0] = {}) {
  const posted = await m.writer(CLIENT).postJobWithModels({ terms: await m.jobParams({ budget: BUDGET, ...overrides }), spec, modelIds: [modelId] });
  expect(posted).toMatchObject({ modelIds: [modelId], fees: [FEE] });
  return { id: posted.jobId, terms: posted.terms, receipt: posted.receipt };
}

beforeAll(async () => {
  if (skipSandboxTests) return;
  m = await startStack({ name: 'models', indexer: true, artifacts: true, workers: 1, jobDefaults: { executionTimeout: 300, challengeWindow: 3600 } });
  [worker] = m.workers as [WorkerProcess];

  // The creator uploads the weights (signed, purpose "model") and publishes the model.
  const files = await uploadModelFiles({ files: [{ path: PATH, body: WEIGHTS }], signer: accountOf(CREATOR), chainId: m.deployment.chainId, market: m.market, artifactUrl: m.artifactUrl });
  expect(files).toEqual([{ path: PATH, sha256: `0x${WEIGHTS_SHA}`, size: BigInt(WEIGHTS.length) }]);
  const params = buildModelParams({ name: NAME, version: '1.0', kind: 'WEIGHTS', files, licenseURI: 'https://example.org/license', fee: FEE });
  if (!params.ok) throw new Error(JSON.stringify(params.issues));
  ({ modelId } = await m.writer(CREATOR).publishModel(params.params));
}, 300_000);

afterAll(async () => {
  await m?.stop();
});

describe.skipIf(skipSandboxTests)('models', () => {
  test('default: the worker fetches the model by hash, runs the job with it mounted and is paid; the creator is credited the fee and withdraws it', async () => {
    const clientBefore = await balance(m.address(CLIENT));
    const creatorCreditsBefore = await modelCredits(m.address(CREATOR));
    const spec = scriptSpec(`sha256sum /models/${NAME}/${PATH} | cut -c1-64 > /out/weights.sha256; (echo x > /models/${NAME}/${PATH}) 2>/dev/null || echo read-only > /out/mount.txt`);
    const job = await postWithModel(spec);
    // The client paid the budget and the fee (and the gas).
    expect(await balance(m.address(CLIENT))).toBe(clientBefore - BUDGET - FEE - gasOf(job.receipt));

    const submitted = await m.jobIn(job.id, 'SUBMITTED', 120_000);
    expect(submitted.worker).toBe(worker.address);
    expect(worker.lines.some((l) => l.msg === 'model files ready (verified by sha256)' && l.jobId === job.id && l.bytes === WEIGHTS.length)).toBe(true);

    // The job saw the weights' exact bytes, read-only.
    const bundle = join(tempDir('models-result'), 'result.tar');
    const res = await fetch(`${m.artifactUrl}/artifacts/${submitted.resultHash}`);
    writeFileSync(bundle, Buffer.from(await res.arrayBuffer()));
    expect(execFileSync('tar', ['-xOf', bundle, 'weights.sha256'], { encoding: 'utf8' }).trim()).toBe(WEIGHTS_SHA);
    expect(execFileSync('tar', ['-xOf', bundle, 'mount.txt'], { encoding: 'utf8' })).toBe('read-only\n');

    // Released: the worker is paid the price net of the protocol fee; the creator is credited the whole fee.
    const released = await m.send(CLIENT, 'release', [job.terms]);
    const fee = (BUDGET * BigInt(job.terms.feeBps)) / 10_000n;
    const closed = await m.jobIn(job.id, 'CLOSED');
    expect(closed).toMatchObject({ closeReason: 'COMPLETED', worker: worker.address, workerPayout: (BUDGET - fee).toString(), clientRefund: '0' });
    const [royalty] = parseEventLogs({ abi: loomModelsAbi, logs: released.logs, eventName: 'RoyaltyPaid' });
    expect(royalty?.args).toMatchObject({ market: m.market, jobId: job.id, modelId, creator: m.address(CREATOR), token: zeroAddress, amount: FEE });
    expect(parseEventLogs({ abi: loomModelsAbi, logs: released.logs, eventName: 'RoyaltyRefunded' })).toEqual([]);
    expect(await modelCredits(m.address(CREATOR))).toBe(creatorCreditsBefore + FEE);
    await m.synced();
    expect(await apiModels(job.id)).toEqual([{ fee: FEE.toString(), royaltyPaid: FEE.toString(), model: { id: String(modelId) } }]);

    // The creator withdraws the royalty from LoomModels.
    const before = await balance(m.address(CREATOR));
    const { receipt: withdrawn } = await m.writer(CREATOR).withdraw(zeroAddress, m.address(CREATOR), 'models');
    expect(parseEventLogs({ abi: loomModelsAbi, logs: withdrawn.logs, eventName: 'Withdrawn' })[0]?.args).toMatchObject({ account: m.address(CREATOR), token: zeroAddress, amount: creatorCreditsBefore + FEE });
    expect(await balance(m.address(CREATOR))).toBe(before + creatorCreditsBefore + FEE - gasOf(withdrawn));
    expect(await modelCredits(m.address(CREATOR))).toBe(0n);
  });

  test('behavior: the same model in a job the client cancels pays the creator nothing; the client gets the budget and the fee back', async () => {
    const creatorBefore = await modelCredits(m.address(CREATOR));
    const clientFeesBefore = await modelCredits(m.address(CLIENT));
    const clientBudgetBefore = await marketCredits(m.address(CLIENT));
    // A job no worker here can take (8 GPUs): it stays open until the client cancels it.
    const job = await postWithModel(scriptSpec('true'), { minGpuCount: 8 });
    const cancelled = await m.send(CLIENT, 'cancelJob', [job.terms]);
    expect(await m.jobIn(job.id, 'CLOSED')).toMatchObject({ closeReason: 'CANCELLED', worker: null, workerPayout: '0', clientRefund: BUDGET.toString() });
    expect(parseEventLogs({ abi: loomModelsAbi, logs: cancelled.logs, eventName: 'RoyaltyPaid' })).toEqual([]);
    const [refunded] = parseEventLogs({ abi: loomModelsAbi, logs: cancelled.logs, eventName: 'RoyaltyRefunded' });
    expect(refunded?.args).toMatchObject({ market: m.market, jobId: job.id, client: m.address(CLIENT), token: zeroAddress, amount: FEE });
    expect(await modelCredits(m.address(CREATOR))).toBe(creatorBefore);
    await m.synced();
    expect(await apiModels(job.id)).toEqual([{ fee: FEE.toString(), royaltyPaid: '0', model: { id: String(modelId) } }]);
    expect(await modelCredits(m.address(CLIENT))).toBe(clientFeesBefore + FEE);
    expect(await marketCredits(m.address(CLIENT))).toBe(clientBudgetBefore + BUDGET);
  });
});
