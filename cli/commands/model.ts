/**
 * `loom model …`: the model hub (LoomModels). Publish a version (its files uploaded to the artifact
 * store first) and retire it as its creator; list and show models through the API. Jobs use models
 * with `loom job post --model <id>`. One file per subcommand under model/.
 */
import { type OptionTable, optionsHelp, parseCommandLine, showHelp } from '../../sdk/node/options';
import { runCommandGroup } from '../commandGroup';
import { connectionOptions, resolveClientConfig } from '../config';
import { toJson } from '../output/format';
import { createProgress } from '../output/progress';
import { parseModelId } from '../parse/parseIds';
import { noWaitOption, sendStep } from '../sendStep';
import { runModelPublish } from './model/publish';
import { runModelList, runModelShow } from './model/read';

export const MODEL_USAGE = `Usage: loom model <command> [options]    (loom model <command> --help for its options)

  publish --name … --version … --kind weights|dataset|image (--file PATH[:DEST] … | --image REF)
          --license URI [--fee AMOUNT --token T] [--previous ID]
                          Publish a model version (files uploaded to the artifact store first)
  retire <id>             Retire a version you published: no new job may use it
  list                    Models (--kind, --creator, --token, --search, --order newest|uses|earnings)
  show <id>               One model: its files, versions, uses and earnings

Jobs use models with: loom job post <spec> --model <id> [--model <id> …] (their fees are added to
what you escrow, and paid to their creators when the worker is paid).`;

const retireOptions: OptionTable = { ...noWaitOption, ...connectionOptions };
const RETIRE_USAGE = `Usage: loom model retire <id> [options]

Retires a model version you published: no new job may use it (jobs that use it are unaffected).

Options:
${optionsHelp(retireOptions)}`;

async function runModelRetire(argv: string[]): Promise<number> {
  const { values, positionals, help } = parseCommandLine(argv, { options: retireOptions, usage: RETIRE_USAGE, positionals: [1, 1] });
  if (help) return showHelp(RETIRE_USAGE);
  const config = resolveClientConfig(values);
  const modelId = parseModelId(positionals[0]);
  const { result, indexed } = await sendStep(config, createProgress(), { what: `retiring model ${modelId}`, noWait: values['no-wait'] === true, send: (s) => s.writer.retireModel(modelId) });
  if (config.json) process.stdout.write(toJson({ modelId, retired: true, txHash: result.hash, blockNumber: result.receipt.blockNumber, indexed }));
  else process.stdout.write(`retired model ${modelId}\ntx ${result.hash} (block ${result.receipt.blockNumber})\n`);
  return 0;
}

const SUBCOMMANDS: Record<string, (argv: string[]) => Promise<number>> = {
  publish: runModelPublish,
  retire: runModelRetire,
  list: runModelList,
  show: runModelShow,
};

export function runModel(argv: string[]): Promise<number> {
  return runCommandGroup('model', MODEL_USAGE, SUBCOMMANDS, argv);
}
