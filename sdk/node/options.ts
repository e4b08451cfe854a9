/**
 * Command-line options from one table, for every Loom command line (`loom`, `loom-worker`): each
 * option has a flag, optionally an environment variable, a default and a parser, and the same table
 * parses the arguments, resolves flags over the environment over the defaults, and writes the help.
 *
 * Parsing goes through node:util parseArgs in strict mode: an unknown flag, a missing value or a
 * wrong number of positionals is a UsageError that carries the command's usage, so every mistake
 * is answered with what would have been right. Values are checked by the table's parsers, which
 * throw the caller's own errors (they name the flag they were given).
 */
import { parseArgs } from 'node:util';
import { LoomError, coded } from '../errors';

export type OptionSpec<T = unknown> = {
  type: 'string' | 'boolean';
  short?: string;
  /** The value's placeholder in the help ("<duration>"; default "<value>"). */
  value?: string;
  help: string;
  /** The environment variable read when the flag is absent; an empty variable counts as unset. */
  env?: string;
  /** The value when neither the flag nor the environment gives one (shown in the help). */
  default?: string;
  /** A string flag that may be given several times: its value is then the list (`--secret A=1 --secret B=2`). */
  multiple?: boolean;
  /** A boolean that `--no-<name>` turns off (one that is on by default, or from the environment). */
  negatable?: boolean;
  /** The value from its text; `flag` ("--max-open-bids") is for the error message. */
  parse?: (raw: string, flag: string) => T;
};

export type OptionTable = Record<string, OptionSpec>;

type Parsed<S extends OptionSpec> = S extends { parse: (raw: string, flag: string) => infer R } ? R : S['type'] extends 'boolean' ? boolean : string;

/** What resolveOptions gives for a table: parsed values; undefined only where no source and no default gave one. */
export type OptionValues<T extends OptionTable> = {
  [K in keyof T]: T[K] extends { default: string } ? Parsed<T[K]> : T[K]['type'] extends 'boolean' ? Parsed<T[K]> : Parsed<T[K]> | undefined;
};

/** Flags as parseCommandLine returns them, by option name (`{ 'api-url': 'http://…', json: true }`); a `multiple` flag's value is a string[] at run time. */
export type Flags = Record<string, string | boolean | undefined>;

export type ParsedCommand = {
  values: Flags;
  positionals: string[];
  help: boolean;
};

/** A command line that is wrong in itself (nothing was attempted); `usage` says what would be right. */
export class UsageError extends LoomError {
  override name = 'UsageError';
  declare readonly code: 'USAGE';
  readonly usage: string;

  constructor(shortMessage: string, usage: string) {
    super(shortMessage, { code: 'USAGE' });
    this.usage = usage;
  }
}

/**
 * One command's arguments. `--help` (`-h`) is always accepted and wins over missing arguments.
 *
 * @example
 * const { values, positionals, help } = parseCommandLine(argv, { options, usage, positionals: [1, 1] });
 */
export function parseCommandLine(argv: string[], o: { options: OptionTable; usage: string; positionals: [min: number, max: number] }): ParsedCommand {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = { help: { type: 'boolean', short: 'h' } };
  for (const [name, spec] of Object.entries(o.options)) {
    options[name] = { type: spec.type, ...(spec.short ? { short: spec.short } : {}), ...(spec.multiple ? { multiple: true } : {}) };
    if (spec.negatable) options[`no-${name}`] = { type: 'boolean' };
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (err) {
    // Node's messages name the flag ("Unknown option '--budjet'"); drop its generic advice.
    const message = (err as Error).message.split('. To specify a positional')[0]!.replace(/\.$/, '');
    throw new UsageError(message, o.usage);
  }
  const values = parsed.values as Flags;
  if (values.help === true) return { values, positionals: parsed.positionals, help: true };
  const [min, max] = o.positionals;
  const n = parsed.positionals.length;
  if (n < min) throw new UsageError('missing argument', o.usage);
  if (n > max) throw new UsageError(`unexpected argument "${parsed.positionals[max]}"`, o.usage);
  return { values, positionals: parsed.positionals, help: false };
}

/** "1/true/yes/on" or "0/false/no/off" (any case), as environment variables spell booleans. */
function parseBoolean(raw: string, flag: string): boolean {
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off|)$/i.test(raw)) return false;
  throw coded('CONFIG_INVALID', `${flag} must be true or false, not "${raw}"`);
}

/**
 * The table's values from the flags (as parseCommandLine gives them) over the environment over the
 * defaults, each through its parser. A negatable boolean's `--no-<name>` wins over everything.
 *
 * @example
 * const v = resolveOptions(options, { 'max-open-bids': '2' }, process.env);
 * v['max-open-bids']; // 2, a number when its parser says so
 */
export function resolveOptions<T extends OptionTable>(table: T, flags: Flags, env: NodeJS.ProcessEnv = process.env): OptionValues<T> {
  const values: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(table)) {
    const flag = flags[name];
    const fromEnv = spec.env === undefined ? undefined : env[spec.env];
    let raw: string | undefined;
    if (spec.negatable && flags[`no-${name}`] === true) raw = 'false';
    else if (flag !== undefined) raw = String(flag);
    else if (fromEnv !== undefined && fromEnv !== '') raw = fromEnv;
    else raw = spec.default;
    if (raw === undefined) values[name] = spec.type === 'boolean' ? false : undefined;
    else if (spec.parse) values[name] = spec.parse(raw, `--${name}`);
    else values[name] = spec.type === 'boolean' ? parseBoolean(raw, `--${name}`) : raw;
  }
  return values as OptionValues<T>;
}

/**
 * The options as help lines, one per option: the flag with its placeholder, then either its
 * environment variable in a column of its own (`envColumn`, for commands configured mostly by the
 * environment) or in parentheses after the help, and its default.
 *
 *   --open-for <duration>   How long it can be claimed (default 1h) (LOOM_OPEN_FOR)
 *   --stake <value>         LOOM_WORKER_STAKE   ETH staked when registering. (default 0.1)
 */
export function optionsHelp(options: OptionTable, o: { envColumn?: boolean } = {}): string {
  const rows = Object.entries(options).map(([name, s]) => {
    const flag = `${s.short ? `-${s.short}, ` : ''}--${name}${s.type === 'string' ? ` ${s.value ?? '<value>'}` : ''}`;
    const help = `${s.help}${s.default ? ` (default ${s.default})` : ''}`;
    if (o.envColumn) return [flag, s.env ? `${s.env.padEnd(32)} ${help}` : help] as const;
    return [flag, `${help}${s.env ? ` (${s.env})` : ''}`] as const;
  });
  const width = Math.min(34, Math.max(...rows.map(([f]) => f.length)) + 2);
  return rows.map(([flag, help]) => `  ${flag.padEnd(width)} ${help}`).join('\n');
}

/** Prints a command's usage for --help; returns the exit code (0). */
export function showHelp(usage: string): number {
  process.stdout.write(`${usage}\n`);
  return 0;
}
