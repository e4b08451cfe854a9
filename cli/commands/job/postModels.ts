/**
 * `job post --model <id> …`: the models' fees read from the chain (LoomModels, through the SDK), the
 * models checked as the contract checks them, and the total (budget + fees) said on stderr before
 * anything is sent, as the replicated escrow is; then the lines and JSON that describe them.
 */
import type { Address } from 'viem';
import { formatAmount } from '../../../sdk/format/amounts';
import type { TokenInfo } from '../../../sdk/format/tokens';
import { checkModelsForJob, modelJobCost, type ModelJobCost } from '../../../sdk/modelCost';
import type { MarketWriter } from '../../../sdk/writes';
import { CliError } from '../../cliError';
import { TABLE_AMOUNTS } from '../../output/format';
import type { Progress } from '../../output/progress';
import { describeRevert } from '../../output/reportError';

export type ModelsPost = { cost: ModelJobCost; json: (fees: readonly bigint[]) => { modelIds: number[]; fees: bigint[]; modelFees: bigint; total: bigint } };

/** Reads the models, refuses what the contract would (nothing sent), and prints the total. */
export async function announceModelCost(writer: MarketWriter, modelIds: number[], jobToken: Address, budget: bigint, token: TokenInfo, progress: Progress): Promise<ModelsPost> {
  progress.update(`reading model${modelIds.length === 1 ? '' : 's'} ${modelIds.join(', ')}`);
  const models = await writer.readModels(modelIds);
  const refused = checkModelsForJob(models, jobToken);
  if (refused) {
    progress.fail('the job was not posted');
    throw new CliError('BAD_INPUT', `--model: ${describeRevert(refused)} (nothing was sent)`, { revert: refused });
  }
  const cost = modelJobCost({ token: jobToken, budget, models });
  const fees = cost.fees.map((f) => `model ${f.modelId} ${f.fee === 0n ? 'free' : formatAmount(f.fee, token, TABLE_AMOUNTS)}`).join(', ');
  progress.clear();
  process.stderr.write(
    `loom: escrowing ${formatAmount(cost.total, token, TABLE_AMOUNTS)} (budget ${formatAmount(budget, token, TABLE_AMOUNTS)} + model fees ${formatAmount(cost.modelFees, token, TABLE_AMOUNTS)}: ${fees})\n`,
  );
  return { cost, json: (f) => ({ modelIds, fees: [...f], modelFees: cost.modelFees, total: cost.total }) };
}

/** The post's lines about its models: each fee as escrowed, and the total. */
export function modelFields(m: ModelsPost, fees: readonly bigint[], token: TokenInfo): [string, string][] {
  return [
    ...m.cost.fees.map((f, i) => ['model', `${f.modelId}: fee ${fees[i] === 0n ? 'none (free)' : formatAmount(fees[i]!, token, TABLE_AMOUNTS)}`] as [string, string]),
    ['total cost', `${formatAmount(m.cost.total, token, TABLE_AMOUNTS)} (budget + model fees)`],
  ];
}
