/**
 * What a job that uses models costs its client, as the job form shows it: the SDK's `modelJobCost`
 * (the market's escrow, the budget or price × replicas, plus every fee in the job's token, escrowed
 * together by LoomModels) and its `checkModelsForJob` (LoomModels' own rules: at most 8 models, none
 * twice, none retired, a model with a fee only in a job paid in the fee's token), each refusal said
 * on the model it concerns, before anything is signed. A free model fits any job.
 */
import type { Address } from 'viem';
import type { TokenInfo } from '$sdk/format/tokens';
import { MAX_MODELS_PER_JOB, checkModelsForJob, modelJobCost, type ModelTerms } from '$sdk/modelCost';
import { revertMessage } from '$lib/contract/explainError';

export { MAX_MODELS_PER_JOB };

/** A model as the picker holds it (ModelCardFields). */
export type PickedModel = { id: string; name: string; version: string; creator: string; token: string; fee: string; retired: boolean };

export type ModelIssue = { modelId: string | undefined; message: string };

export type ModelCost =
  | { ok: true; fees: bigint; total: bigint; modelIds: number[] }
  | { ok: false; fees: bigint; total: bigint; issues: ModelIssue[] };

/** A model of the API (ModelFields) as the picker keeps it. */
export const pickedOf = (m: PickedModel): PickedModel => ({ id: m.id, name: m.name, version: m.version, creator: m.creator, token: m.token, fee: m.fee, retired: m.retired });

const termsOf = (m: PickedModel): ModelTerms => ({ id: Number(m.id), creator: m.creator as Address, fee: BigInt(m.fee), token: m.token as Address, retired: m.retired });

/**
 * The fees of `models` for a job paid in `token` escrowing `escrow`, and the total the client pays
 * (escrow + fees), or the rules broken, each in words. `symbolOf` names a token for the message.
 */
export function modelCost(escrow: bigint, models: readonly PickedModel[], token: TokenInfo, symbolOf: (token: string) => string): ModelCost {
  const jobToken = token.address as Address;
  const cost = modelJobCost({ token: jobToken, budget: escrow, models: models.map(termsOf) });
  const issues: ModelIssue[] = [];
  // Each model against the job; then the list itself (how many, none twice).
  for (const m of models) {
    const refused = checkModelsForJob([termsOf(m)], jobToken);
    if (!refused) continue;
    const label = `${m.name} ${m.version} (#${m.id})`;
    issues.push({
      modelId: m.id,
      message:
        refused.name === 'ModelTokenMismatch'
          ? `${label} charges its fee in ${symbolOf(m.token)}, and this job pays in ${token.symbol}: pay the job in ${symbolOf(m.token)}, or leave the model out.`
          : revertMessage(refused.name, refused.args),
    });
  }
  const list = models.length ? checkModelsForJob(models.map(termsOf), jobToken) : undefined;
  if (list && (list.name === 'InvalidModelCount' || list.name === 'DuplicateModel')) issues.push({ modelId: undefined, message: revertMessage(list.name, list.args) });
  if (issues.length) return { ok: false, fees: cost.modelFees, total: cost.total, issues };
  return { ok: true, fees: cost.modelFees, total: cost.total, modelIds: models.map((m) => Number(m.id)) };
}
