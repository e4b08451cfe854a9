import { describe, expect, it } from 'vitest';
import { CliError } from '../../cliError';
import { listVariables, statusText } from './list';

describe('job list flags', () => {
  it('default: newest first, 20', () => {
    expect(listVariables({})).toEqual({ orderBy: 'POSTED_AT_DESC', first: 20 });
  });

  it('behavior: the flags as the API filter', () => {
    expect(
      listVariables({ status: 'open, Assigned', client: '0x70997970c51812dc3a010c7d01b50e0d17dc79c8', mode: 'auction', token: 'eth', order: 'budget-asc', first: '5', after: 'c1' }),
    ).toEqual({
      filter: { status: ['OPEN', 'ASSIGNED'], client: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8', mode: 'AUCTION', token: '0x0000000000000000000000000000000000000000' },
      orderBy: 'BUDGET_ASC',
      first: 5,
      after: 'c1',
    });
  });

  it('error: bad values are named', () => {
    expect(() => listVariables({ status: 'done' })).toThrowError(/--status: "DONE" is not one of/);
    expect(() => listVariables({ client: 'me' })).toThrowError('--client: "me" is not an address');
    expect(() => listVariables({ order: 'random' })).toThrowError(CliError);
    expect(() => listVariables({ first: '0' })).toThrowError(/--first/);
    expect(() => listVariables({ first: '101' })).toThrowError(/--first/);
  });

  it('statusText', () => {
    expect(statusText({ status: 'CLOSED', closeReason: 'COMPLETED' })).toBe('CLOSED (COMPLETED)');
    expect(statusText({ status: 'OPEN', closeReason: null })).toBe('OPEN');
  });
});
