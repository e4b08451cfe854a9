/**
 * What a job that uses models costs its client: the market's escrow (the budget, or price × replicas)
 * plus every model's fee, all in the job's token, escrowed together by LoomModels when the job is
 * posted. The contract's rules are checked here first so the form says why before anything is signed:
 * at most MAX_MODELS_PER_JOB models, none twice, none retired, and a model with a fee only in a job
 * paid in the fee's token (ModelTokenMismatch otherwise). A free model fits any job.
 */
import type { TokenInfo } from '$sdk/format/tokens';

/** LoomModels.MAX_MODELS_PER_JOB. */
export const MAX_MODELS_PER_JOB = 8;

/** A model as the picker holds it (ModelCardFields). */
export type PickedModel = { id: string; name: string; version: string; creator: string; token: string; fee: string; retired: boolean };

/** A model of the API (ModelFields) as the picker keeps it. */
export const pickedOf = (m: PickedModel): PickedModel => ({ id: m.id, name: m.name, version: m.version, creator: m.creator, token: m.token, fee: m.fee, retired: m.retired });

export type ModelIssue = { modelId: string | undefined; message: string };

export type ModelCost =
  | { ok: true; fees: bigint; total: bigint; modelIds: number[] }
  | { ok: false; fees: bigint; total: bigint; issues: ModelIssue[] };

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/**
 * The fees of `models` for a job paid in `token` escrowing `escrow`, and the total the client pays
 * (escrow + fees), or the rules broken, each in words. `symbolOf` names a token for the message.
 */
export function modelCost(escrow: bigint, models: readonly PickedModel[], token: TokenInfo, symbolOf: (token: string) => string): ModelCost {
  const issues: ModelIssue[] = [];
  if (models.length > MAX_MODELS_PER_JOB) issues.push({ modelId: undefined, message: `A job uses at most ${MAX_MODELS_PER_JOB} models; remove ${models.length - MAX_MODELS_PER_JOB}.` });
  let fees = 0n;
  const seen = new Set<string>();
  for (const m of models) {
    const label = `${m.name} ${m.version} (#${m.id})`;
    if (seen.has(m.id)) issues.push({ modelId: m.id, message: `${label} is listed twice.` });
    seen.add(m.id);
    if (m.retired) issues.push({ modelId: m.id, message: `${label} is retired: its creator withdrew it from new jobs.` });
    const fee = BigInt(m.fee);
    if (fee > 0n && !same(m.token, token.address)) {
      issues.push({
        modelId: m.id,
        message: `${label} charges its fee in ${symbolOf(m.token)}, and this job pays in ${token.symbol}: pay the job in ${symbolOf(m.token)}, or leave the model out.`,
      });
    } else {
      fees += fee;
    }
  }
  const total = escrow + fees;
  if (issues.length) return { ok: false, fees, total, issues };
  return { ok: true, fees, total, modelIds: models.map((m) => Number(m.id)) };
}
