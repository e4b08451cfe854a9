/**
 * `loom index digest|replay`: checks that an indexer holds what the chain says. One file per
 * subcommand under index/.
 */
import { CliError } from '../cliError';
import { showHelp } from '../../sdk/node/options';
import { runDigest } from './index/digest';
import { runReplay } from './index/replay';

export const INDEX_USAGE = `Usage: loom index <digest|replay> [options]    (loom index <command> --help for its options)

  digest    The API's state digest (sha256 of the indexed state), per table too
  replay    Replay the chain from genesis into a new schema with a fresh indexer and print its
            digest (--compare: check it against the API's, exit 1 when they differ)`;

export async function runIndex(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined) throw new CliError('USAGE', 'missing the index command', { details: INDEX_USAGE });
  if (sub === '--help' || sub === '-h' || sub === 'help') return showHelp(INDEX_USAGE);
  if (sub === 'digest') return runDigest(rest);
  if (sub === 'replay') return runReplay(rest);
  throw new CliError('USAGE', `unknown index command "${sub}"`, { details: INDEX_USAGE });
}
