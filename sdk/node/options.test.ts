import { describe, expect, it } from 'vitest';
import { LoomError } from '../errors';
import { UsageError, optionsHelp, parseCommandLine, resolveOptions } from './options';

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

  it('error: unknown flag, missing value, wrong positionals are USAGE errors carrying the usage', () => {
    const cases: [string[], RegExp][] = [
      [['spec.json', '--budjet', '1'], /Unknown option '--budjet'$/],
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
      expect(err).toBeInstanceOf(UsageError);
      expect((err as UsageError).code).toBe('USAGE');
      expect((err as UsageError).shortMessage).toMatch(message);
      expect((err as UsageError).usage).toBe(usage);
    }
  });

  it('behavior: a negatable boolean also takes --no-<name>', () => {
    const table = { 'auto-withdraw': { type: 'boolean' as const, negatable: true, help: 'Withdraw' } };
    expect(parseCommandLine(['--no-auto-withdraw'], { options: table, usage, positionals: [0, 0] }).values).toEqual({ 'no-auto-withdraw': true });
    expect(() => parseCommandLine(['--no-json'], { options, usage, positionals: [0, 0] })).toThrowError(UsageError);
  });
});

describe('resolveOptions', () => {
  const table = {
    'api-url': { type: 'string' as const, env: 'LOOM_API_URL', default: 'http://127.0.0.1:42069', help: 'The API' },
    market: { type: 'string' as const, env: 'LOOM_MARKET_ADDRESS', help: 'The market' },
    'max-open-bids': { type: 'string' as const, env: 'LOOM_MAX_OPEN_BIDS', default: '4', help: 'Bids', parse: (raw: string, flag: string) => {
      if (!/^\d+$/.test(raw)) throw new Error(`${flag} must be an integer, not "${raw}"`);
      return Number(raw);
    } },
    'auto-withdraw': { type: 'boolean' as const, env: 'LOOM_AUTO_WITHDRAW', default: 'true', negatable: true, help: 'Withdraw' },
    json: { type: 'boolean' as const, help: 'JSON' },
  };

  it('default: flags over the environment over the defaults, each through its parser', () => {
    expect(resolveOptions(table, {}, {})).toEqual({ 'api-url': 'http://127.0.0.1:42069', market: undefined, 'max-open-bids': 4, 'auto-withdraw': true, json: false });
    const env = { LOOM_API_URL: 'http://api', LOOM_MAX_OPEN_BIDS: '2', LOOM_AUTO_WITHDRAW: 'off' };
    expect(resolveOptions(table, {}, env)).toMatchObject({ 'api-url': 'http://api', 'max-open-bids': 2, 'auto-withdraw': false });
    const v = resolveOptions(table, { 'api-url': 'http://flag', 'max-open-bids': '7', 'auto-withdraw': true, json: true }, env);
    expect(v).toMatchObject({ 'api-url': 'http://flag', 'max-open-bids': 7, 'auto-withdraw': true, json: true });
    const bids: number = v['max-open-bids'];
    expect(bids).toBe(7);
  });

  it('behavior: an empty variable counts as unset; --no-<name> wins over everything', () => {
    expect(resolveOptions(table, {}, { LOOM_API_URL: '' })['api-url']).toBe('http://127.0.0.1:42069');
    expect(resolveOptions(table, { 'auto-withdraw': true, 'no-auto-withdraw': true }, { LOOM_AUTO_WITHDRAW: 'true' })['auto-withdraw']).toBe(false);
  });

  it('error: a bad value is refused with the flag named', () => {
    expect(() => resolveOptions(table, {}, { LOOM_MAX_OPEN_BIDS: 'many' })).toThrowError('--max-open-bids must be an integer, not "many"');
    expect(() => resolveOptions(table, {}, { LOOM_AUTO_WITHDRAW: 'maybe' })).toThrowError(LoomError);
    expect(() => resolveOptions(table, {}, { LOOM_AUTO_WITHDRAW: 'maybe' })).toThrowError(/--auto-withdraw must be true or false, not "maybe"/);
  });
});

describe('optionsHelp', () => {
  it('behavior: optionsHelp lists every flag with its placeholder', () => {
    const help = optionsHelp(options);
    expect(help).toContain('--budget <amount>');
    expect(help).toContain('--json');
  });

  it('behavior: the environment in parentheses or in a column of its own, and the default', () => {
    const table = {
      stake: { type: 'string' as const, env: 'LOOM_WORKER_STAKE', default: '0.1', help: 'ETH staked.' },
      'keep-job-dirs': { type: 'boolean' as const, help: 'Keep them.' },
    };
    expect(optionsHelp(table).split('\n')).toEqual(['  --stake <value>   ETH staked. (default 0.1) (LOOM_WORKER_STAKE)', '  --keep-job-dirs   Keep them.']);
    expect(optionsHelp(table, { envColumn: true }).split('\n')).toEqual([`  --stake <value>   ${'LOOM_WORKER_STAKE'.padEnd(32)} ETH staked. (default 0.1)`, '  --keep-job-dirs   Keep them.']);
  });
});
