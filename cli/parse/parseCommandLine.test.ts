import { describe, expect, it } from 'vitest';
import { CliError } from '../cliError';
import { optionsHelp, parseCommandLine } from './parseCommandLine';

const options = {
  budget: { type: 'string' as const, value: '<amount>', help: 'The budget' },
  json: { type: 'boolean' as const, help: 'JSON' },
};
const usage = 'Usage: loom job post <spec.json> [options]';

describe('parseCommandLine', () => {
  it('default', () => {
    const p = parseCommandLine(['spec.json', '--budget', '0.5', '--json'], { options, usage, positionals: [1, 1] });
    expect(p).toEqual({ values: { budget: '0.5', json: true }, positionals: ['spec.json'], help: false });
  });

  it('behavior: --help wins over missing arguments', () => {
    expect(parseCommandLine(['--help'], { options, usage, positionals: [1, 1] }).help).toBe(true);
  });

  it('error: unknown flag, missing value, wrong positionals are USAGE errors carrying the usage (exit 2)', () => {
    const cases: [string[], RegExp][] = [
      [['spec.json', '--budjet', '1'], /Unknown option '--budjet'/],
      [['spec.json', '--budget'], /--budget/],
      [[], /missing argument/],
      [['a.json', 'b.json'], /unexpected argument "b.json"/],
    ];
    for (const [argv, message] of cases) {
      let err: unknown;
      try {
        parseCommandLine(argv, { options, usage, positionals: [1, 1] });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(CliError);
      expect((err as CliError).code).toBe('USAGE');
      expect((err as CliError).exitCode).toBe(2);
      expect((err as CliError).message).toMatch(message);
      expect((err as CliError).details).toBe(usage);
    }
  });

  it('behavior: optionsHelp lists every flag with its placeholder', () => {
    const help = optionsHelp(options);
    expect(help).toContain('--budget <amount>');
    expect(help).toContain('--json');
  });
});
