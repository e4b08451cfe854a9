/**
 * `loom index digest`: the API's state digest, one sha256 over the event log and every state table
 * (`stateDigest`, specified in api/README.md), with a digest per table.
 */
import { StateDigestQuery } from '../../../sdk/documents';
import type { ResultOf } from '../../../sdk/graphql';
import { createLoomReader } from '../../../sdk/reads';
import { CliError } from '../../cliError';
import { connectionOptions, resolveClientConfig } from '../../config';
import { toJson } from '../../output/format';
import { createProgress } from '../../output/progress';
import { renderFields, renderTable } from '../../output/table';
import { type OptionTable, optionsHelp, parseCommandLine, showHelp } from '../../../sdk/node/options';

export type Digest = ResultOf<typeof StateDigestQuery>['stateDigest'];

const digestOptions: OptionTable = {
  'at-block': { type: 'string', value: '<n>', help: 'Only the event log up to this block (scope EVENTS)' },
  ...connectionOptions,
};

const DIGEST_USAGE = `Usage: loom index digest [options]\n\nThe API's state digest.\n\nOptions:\n${optionsHelp(digestOptions)}`;

export async function runDigest(argv: string[]): Promise<number> {
  const { values, help } = parseCommandLine(argv, { options: digestOptions, usage: DIGEST_USAGE, positionals: [0, 0] });
  if (help) return showHelp(DIGEST_USAGE);
  const config = resolveClientConfig(values);
  const atBlock = values['at-block'];
  if (typeof atBlock === 'string' && !/^\d+$/.test(atBlock)) throw new CliError('BAD_INPUT', `--at-block: "${atBlock}" is not a block number`);
  const progress = createProgress();
  progress.update(`computing the state digest at ${config.apiUrl}`);
  const { stateDigest } = await createLoomReader({ url: config.apiUrl, timeoutMs: 120_000 }).query(StateDigestQuery, atBlock === undefined ? {} : { atBlock: atBlock as string });
  progress.clear();
  printDigest(stateDigest, 'digest', config.json);
  return 0;
}

/** A digest as a table (the digest, its scope and block, then one line per table), or as JSON. */
export function printDigest(d: Digest, title: string, json: boolean): void {
  if (json) return void process.stdout.write(toJson(d));
  process.stdout.write(
    renderFields([
      [title, d.digest],
      ['scope', `${d.scope} at block ${d.atBlock} (head ${d.headBlock}), version ${d.version}`],
    ]),
  );
  process.stdout.write(
    renderTable(
      d.tables,
      [
        { header: 'TABLE', value: (t) => t.name },
        { header: 'ROWS', value: (t) => String(t.rows), align: 'right' },
        { header: 'SHA256', value: (t) => t.sha256, shrink: true, minWidth: 20 },
      ],
      process.stdout.isTTY ? { maxWidth: process.stdout.columns } : {},
    ),
  );
}
