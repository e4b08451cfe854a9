/**
 * The model hub's writes (LoomModels): publishing and retiring a model version, and posting a job
 * that uses models. A job that uses models is posted THROUGH LoomModels, which escrows the models'
 * fees beside the job's budget: ETH is sent as value (budget + fees), an ERC-20 is approved to
 * LoomModels (not the market) for budget + fees. The fees are read from the chain
 * (`LoomModels.models(id)`), never taken from the caller, and the contract's own rules (a model that
 * exists, is not retired, is paid in the job's token; no duplicates; 1 to 8 models) are checked
 * before anything is signed, so that a post the contract would refuse costs no approval either.
 *
 * Part of the one writer (sdk/writes.ts `createMarketWriter`): `writer.publishModel(...)`,
 * `writer.postJobWithModels(...)`.
 *
 * @example
 * const { modelId } = await writer.publishModel({ name: 'llama-3-8b', version: '1', kind: MODEL_KIND.WEIGHTS, files, image: '',
 *   licenseURI: 'https://…/LICENSE', token: zeroAddress, fee: parseEther('0.01'), previous: 0 });
 * const { jobId, fees } = await writer.postJobWithModels({ terms, spec, modelIds: [modelId] });
 */
import { type Address, type Hex, zeroAddress } from 'viem';
import { loomModelsAbi } from '../abis/generated';
import { LoomError } from './errors';
import type { JobTerms } from './jobTerms';
import { type ModelTerms, checkModelsForJob } from './modelCost';
import { receiptEvents } from './receipts';
import {
  TxError,
  specBytes,
  type JobParams,
  type MarketFunctionArgs,
  type MarketWriterCore,
  type PostedJob,
  type PostedReplicatedJob,
  type ReplicatedJobParams,
  type ReplicatedJobTerms,
  type Sent,
  type SpecInput,
} from './writeTypes';

/** What a creator publishes (the contract's `ModelParams`). */
export type ModelParams = MarketFunctionArgs<'publish'>[0];
/** One file of a model (the contract's `ModelFile`): its sha256 (its address in the artifact store), size and path under /models/<name>. */
export type ModelFile = ModelParams['files'][number];

export type PublishedModel = Sent & { modelId: number; creator: Address; previous: number; model: ModelParams };

/** What a post with models adds to the post: the models' fees as escrowed (`ModelsUsed`). */
export type ModelsEscrow = { modelIds: number[]; fees: bigint[] };

/** The models a job uses, as `LoomModels.models(id)` stores them; a model that does not exist has the zero creator. */
export async function readModelTerms(core: Pick<MarketWriterCore, 'publicClient' | 'addressOf'>, modelIds: readonly number[]): Promise<ModelTerms[]> {
  const at = core.addressOf('models');
  return Promise.all(
    modelIds.map(async (id) => {
      const [creator, fee, token, retired] = await core.publicClient.readContract({ address: at, abi: loomModelsAbi, functionName: 'models', args: [id] });
      return { id, creator, fee, token, retired };
    }),
  );
}

export function modelWrites(core: MarketWriterCore) {
  const { send, allowance, approve, address } = core;

  /**
   * Escrows `budget` plus the models' fees in `token` with LoomModels: an ERC-20 approved first when
   * the allowance is short (nothing sent when the models break a rule of the contract), ETH as value.
   */
  async function escrowFor(functionName: string, token: Address, budget: bigint, modelIds: readonly number[]) {
    const models = await readModelTerms(core, modelIds);
    const refused = checkModelsForJob(models, token);
    if (refused) throw new TxError(functionName, `${functionName} refused: ${refused.name}(${refused.args.join(', ')})`, { revert: refused });
    const total = budget + models.reduce((sum, m) => sum + m.fee, 0n);
    const spender = core.addressOf('models');
    let approval: Sent | undefined;
    if (token !== zeroAddress && (await allowance(token, address, spender)) < total) approval = await approve(token, total, spender);
    return { total, value: token === zeroAddress ? total : undefined, approval };
  }

  const escrowed = (sent: Sent, functionName: string): ModelsEscrow => {
    const [used] = receiptEvents(sent.receipt, 'ModelsUsed');
    if (!used) throw new LoomError(`${functionName}: no ModelsUsed event in ${sent.hash}`);
    return { modelIds: [...used.args.modelIds], fees: [...used.args.fees] };
  };

  return {
    /** The models as LoomModels stores them (creator, fee, token, retired), in the order given: what a post with them costs. */
    readModels: (modelIds: readonly number[]) => readModelTerms(core, modelIds),

    /** Publishes a model version; resolves with its id (from `ModelPublished`). */
    async publishModel(model: ModelParams): Promise<PublishedModel> {
      const sent = await send('publish', [model]);
      const [published] = receiptEvents(sent.receipt, 'ModelPublished');
      if (!published) throw new LoomError(`publish: no ModelPublished event in ${sent.hash}`);
      return { ...sent, modelId: published.args.modelId, creator: published.args.creator, previous: published.args.previous, model: published.args.model as ModelParams };
    },

    /** Retires a version (its creator): no new job may use it; jobs that use it are unaffected. */
    retireModel: (modelId: number) => send('retire', [modelId]),

    /**
     * Posts a single-worker job that uses `modelIds`, through LoomModels: the budget and the models'
     * fees (read from the chain) are escrowed. Resolves with the job, its completed terms and the fees.
     */
    async postJobWithModels({ terms, spec, modelIds }: { terms: JobParams; spec: SpecInput; modelIds: readonly number[] }): Promise<PostedJob & ModelsEscrow> {
      const { value, approval } = await escrowFor('postJobWithModels', terms.token, terms.budget, modelIds);
      const sent = await send('postJobWithModels', [terms, specBytes(spec), [...modelIds]], value === undefined ? {} : { value });
      const [posted] = receiptEvents(sent.receipt, 'JobPosted');
      if (!posted) throw new LoomError(`postJobWithModels: no JobPosted event in ${sent.hash}`);
      return { ...sent, jobId: posted.args.jobId, terms: posted.args.terms as JobTerms, ...escrowed(sent, 'postJobWithModels'), ...(approval ? { approval } : {}) };
    },

    /** As `postJobWithModels`, for a replicated job on the configured replicated market (escrow: price * replicas + fees). */
    async postReplicatedJobWithModels({ terms, spec, modelIds }: { terms: ReplicatedJobParams; spec: SpecInput; modelIds: readonly number[] }): Promise<PostedReplicatedJob & ModelsEscrow> {
      const replicated = core.addressOf('replicated');
      const { value, approval } = await escrowFor('postReplicatedJobWithModels', terms.token, terms.price * BigInt(terms.replicas), modelIds);
      const sent = await send('postReplicatedJobWithModels', [replicated, terms, specBytes(spec), [...modelIds]], value === undefined ? {} : { value });
      const [posted] = receiptEvents(sent.receipt, 'ReplicatedJobPosted');
      if (!posted) throw new LoomError(`postReplicatedJobWithModels: no ReplicatedJobPosted event in ${sent.hash}`);
      return {
        ...sent,
        jobId: posted.args.jobId as Hex,
        terms: posted.args.terms as ReplicatedJobTerms,
        ...escrowed(sent, 'postReplicatedJobWithModels'),
        ...(approval ? { approval } : {}),
      };
    },
  };
}
