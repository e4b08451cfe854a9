/**
 * What a job that uses models costs, and whether the contract would take its models: the same
 * rules as LoomModels' escrow (contracts/src/LoomModels.sol `_escrow`), so that the CLI and the web
 * form say what is wrong, and what will leave the wallet, before anything is signed.
 *
 * A model's fee is fixed by its version and paid in its own token; a job may use a model with a fee
 * only when the job is paid in that token (a free model goes with any job).
 *
 * @example
 * const cost = modelJobCost({ token: zeroAddress, budget: parseEther('0.5'), models });
 * cost.total; // budget + every fee, in the job's token: what is sent (ETH) or approved (ERC-20)
 */
import { type Address, zeroAddress } from 'viem';
import type { DecodedRevert } from './revert';

/** LoomModels.MAX_MODELS_PER_JOB: the most models one job may use. */
export const MAX_MODELS_PER_JOB = 8;

/** A model as LoomModels stores it (`models(id)`); a model that does not exist has the zero creator. */
export type ModelTerms = { id: number; creator: Address; fee: bigint; token: Address; retired: boolean };

/** An amount of one token (what the API calls a TokenAmount, as bigint). */
export type TokenTotal = { token: Address; amount: bigint };

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/**
 * The error LoomModels would revert with for a job in `token` that uses `models` (in the order
 * given), or undefined when it would take them. Named and shaped as the contract's custom errors.
 */
export function checkModelsForJob(models: readonly ModelTerms[], token: Address): DecodedRevert | undefined {
  if (models.length === 0 || models.length > MAX_MODELS_PER_JOB) return { name: 'InvalidModelCount', args: [BigInt(models.length), BigInt(MAX_MODELS_PER_JOB)] };
  for (const [i, m] of models.entries()) {
    if (same(m.creator, zeroAddress)) return { name: 'ModelNotFound', args: [m.id] };
    if (m.retired) return { name: 'ModelIsRetired', args: [m.id] };
    if (m.fee !== 0n && !same(m.token, token)) return { name: 'ModelTokenMismatch', args: [m.id, m.token, token] };
    if (models.slice(0, i).some((o) => o.id === m.id)) return { name: 'DuplicateModel', args: [m.id] };
  }
  return undefined;
}

export type ModelJobCost = {
  /** The job's token. */
  token: Address;
  /** What the worker side is paid from: a single job's budget, or a replicated job's price * replicas. */
  budget: bigint;
  /** Each model's fee, in the order given. */
  fees: { modelId: number; fee: bigint; token: Address }[];
  /** The sum of the fees paid in the job's token. */
  modelFees: bigint;
  /** budget + modelFees: what is escrowed (sent as ETH, or approved to LoomModels). */
  total: bigint;
  /** Everything per token (the job's first); more than one token means a fee the contract refuses. */
  perToken: TokenTotal[];
};

/**
 * What posting costs with `models`: the budget plus every fee, per token.
 *
 * @example
 * modelJobCost({ token: zeroAddress, budget: 10n, models: [{ id: 1, fee: 2n, token: zeroAddress, … }] }).total // 12n
 */
export function modelJobCost(o: { token: Address; budget: bigint; models: readonly Pick<ModelTerms, 'id' | 'fee' | 'token'>[] }): ModelJobCost {
  const perToken: TokenTotal[] = [{ token: o.token, amount: o.budget }];
  const fees = o.models.map((m) => ({ modelId: m.id, fee: m.fee, token: m.fee === 0n ? o.token : m.token }));
  for (const f of fees) {
    if (f.fee === 0n) continue;
    const entry = perToken.find((t) => same(t.token, f.token));
    if (entry) entry.amount += f.fee;
    else perToken.push({ token: f.token, amount: f.fee });
  }
  const total = perToken[0]!.amount;
  return { token: o.token, budget: o.budget, fees, modelFees: total - o.budget, total, perToken };
}
