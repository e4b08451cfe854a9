/**
 * A group of subcommands (`loom job …`, `loom model …`, `loom pool …`): its usage for --help or a
 * missing command, a usage error for an unknown one, and the subcommand run with the rest.
 */
import { CliError } from './cliError';

export async function runCommandGroup(group: string, usage: string, subcommands: Record<string, (argv: string[]) => Promise<number>>, argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined) throw new CliError('USAGE', `missing the ${group} command`, { details: usage });
  if (sub === '--help' || sub === '-h' || sub === 'help') {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  const run = Object.hasOwn(subcommands, sub) ? subcommands[sub] : undefined;
  if (!run) throw new CliError('USAGE', `unknown ${group} command "${sub}"`, { details: usage });
  return run(rest);
}
