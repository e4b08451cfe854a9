/**
 * One command's arguments, through node:util parseArgs in strict mode: an unknown flag, a missing
 * value or a wrong number of positionals is a USAGE error (exit 2) that carries the command's usage,
 * so every mistake is answered with what would have been right.
 */
import { parseArgs } from 'node:util';
import { CliError } from '../cliError';

export type OptionSpec = {
  type: 'string' | 'boolean';
  short?: string;
  /** The value's placeholder in the help ("<duration>"). */
  value?: string;
  help: string;
  /** The environment variable read when the flag is absent (shown in the help). */
  env?: string;
};

export type OptionTable = Record<string, OptionSpec>;

export type ParsedCommand = {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
  help: boolean;
};

/**
 * @example
 * const { values, positionals } = parseCommandLine(argv, { options, usage, positionals: [1, 1] });
 */
export function parseCommandLine(
  argv: string[],
  o: { options: OptionTable; usage: string; positionals: [min: number, max: number] },
): ParsedCommand {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = { help: { type: 'boolean', short: 'h' } };
  for (const [name, spec] of Object.entries(o.options)) options[name] = { type: spec.type, ...(spec.short ? { short: spec.short } : {}) };
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (err) {
    // Node's messages name the flag ("Unknown option '--budjet'"); drop its generic advice.
    const message = (err as Error).message.split('. To specify a positional')[0]!.replace(/\.$/, '');
    throw new CliError('USAGE', message, { details: o.usage });
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  if (values.help === true) return { values, positionals: parsed.positionals, help: true };
  const [min, max] = o.positionals;
  const n = parsed.positionals.length;
  if (n < min) throw new CliError('USAGE', 'missing argument', { details: o.usage });
  if (n > max) throw new CliError('USAGE', `unexpected argument "${parsed.positionals[max]}"`, { details: o.usage });
  return { values, positionals: parsed.positionals, help: false };
}

/** The options as help lines: "  --open-for <duration>   How long ... (LOOM_X)". */
export function optionsHelp(options: OptionTable): string {
  const rows = Object.entries(options).map(([name, s]) => {
    const flag = `${s.short ? `-${s.short}, ` : ''}--${name}${s.type === 'string' ? ` ${s.value ?? '<value>'}` : ''}`;
    return [flag, `${s.help}${s.env ? ` (${s.env})` : ''}`] as const;
  });
  const width = Math.min(34, Math.max(...rows.map(([f]) => f.length)) + 2);
  return rows.map(([flag, help]) => `  ${flag.padEnd(width)} ${help}`).join('\n');
}

/** Prints a command's usage for --help; returns the exit code (0). */
export function showHelp(usage: string): number {
  process.stdout.write(`${usage}\n`);
  return 0;
}
