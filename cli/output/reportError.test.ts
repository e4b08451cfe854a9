import { describe, expect, it } from 'vitest';
import { UsageError } from '../../sdk/node/options';
import { LoomApiError } from '../../sdk/reads';
import { TxError } from '../../sdk/writes';
import { CliError } from '../cliError';
import { describeRevert, reportError, toCliError } from './reportError';

const id = `0x${'12'.repeat(32)}`;
const sink = () => {
  const chunks: string[] = [];
  return { chunks, write: (s: string) => (chunks.push(s), true) } as unknown as NodeJS.WritableStream & { chunks: string[] };
};

describe('reportError', () => {
  it('describeRevert names the enums of the market errors', () => {
    expect(describeRevert({ name: 'UnexpectedStatus', args: [id, 1, 5] })).toBe(`UnexpectedStatus(${id}, Open, Closed)`);
    expect(describeRevert({ name: 'WrongMode', args: [id, 1] })).toBe(`WrongMode(${id}, Auction)`);
    expect(describeRevert({ name: 'InvalidBidPrice', args: [0n, 10n] })).toBe('InvalidBidPrice(0, 10)');
  });

  it("describeRevert says what the model hub's and the pools' errors mean", () => {
    const a = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';
    expect(describeRevert({ name: 'ModelIsRetired', args: [3] })).toBe('ModelIsRetired(3): model 3 is retired: no new job may use it (its creator may have published a newer version)');
    expect(describeRevert({ name: 'ModelTokenMismatch', args: [3, a, '0x0000000000000000000000000000000000000000'] })).toMatch(/^ModelTokenMismatch\(3, 0x.*\): model 3's fee is paid in 0x7099.* and the job in 0x0{40}: post the job in the model's token$/);
    expect(describeRevert({ name: 'InvalidModelContent', args: [2, 1n, 0n] })).toMatch(/^InvalidModelContent\(Image, 1, 0\): /);
    expect(describeRevert({ name: 'NotPoolOperator', args: [1n, a] })).toBe(`NotPoolOperator(1, ${a}): ${a} does not operate pool 1`);
    expect(describeRevert({ name: 'EmptyName', args: [] })).toBe('EmptyName(): the name must not be empty');
  });

  it('default: a refused transaction is TX_FAILED with its revert, said to have sent nothing', () => {
    const e = toCliError(new TxError('cancelJob', 'cancelJob refused: UnexpectedStatus(…)', { revert: { name: 'UnexpectedStatus', args: [id, 1, 5] } }));
    expect(e.code).toBe('TX_FAILED');
    expect(e.shortMessage).toBe(`cancelJob refused (nothing was sent): UnexpectedStatus(${id}, Open, Closed)`);
    expect(e.revert?.name).toBe('UnexpectedStatus');
    const mined = toCliError(new TxError('release', 'x', { mined: true, hash: `0x${'ab'.repeat(32)}` }));
    expect(mined.shortMessage).toMatch(/^release reverted on-chain in 0x(ab){32}/);
  });

  it('behavior: API errors keep their code in the message; unknown errors become API errors', () => {
    expect(toCliError(new LoomApiError('UNREACHABLE', 'down')).shortMessage).toBe('UNREACHABLE: down');
    expect(toCliError(new Error('boom')).code).toBe('API');
  });

  it('behavior: RATE_LIMITED says the client is rate limited and when to retry', () => {
    const limited = new LoomApiError('RATE_LIMITED', 'Too many requests from this client; retry in 3 s', { operationName: 'Jobs', retryAfterSeconds: 3 });
    const e = toCliError(limited);
    expect(e.code).toBe('API');
    expect(e.shortMessage).toBe('the Loom API is rate limiting this client: retry in 3 s. RATE_LIMITED: Jobs: Too many requests from this client; retry in 3 s');
  });

  it('behavior: stderr always, a JSON error on stdout with --json, exit 1 or 2', () => {
    const err = sink();
    const out = sink();
    expect(reportError(new CliError('BAD_INPUT', '--budget: bad'), { json: true, stderr: err, stdout: out })).toBe(1);
    expect(err.chunks.join('')).toBe('loom: --budget: bad\n');
    expect(JSON.parse(out.chunks.join(''))).toEqual({ error: { code: 'BAD_INPUT', message: '--budget: bad' } });
    const out2 = sink();
    expect(reportError(new CliError('USAGE', 'missing argument', { details: 'Usage: x' }), { json: true, stderr: sink(), stdout: out2 })).toBe(2);
    expect(out2.chunks).toEqual([]);
  });

  it("behavior: a command line the option table refuses is USAGE (exit 2) with the command's usage", () => {
    const e = toCliError(new UsageError("Unknown option '--budjet'", 'Usage: loom job post <spec.json> [options]'));
    expect(e).toBeInstanceOf(CliError);
    expect(e.code).toBe('USAGE');
    expect(e.exitCode).toBe(2);
    expect(e.shortMessage).toBe("Unknown option '--budjet'");
    expect(e.details).toBe('Usage: loom job post <spec.json> [options]');
  });
});
