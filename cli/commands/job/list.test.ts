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

  it('behavior: a price range is read in its token\'s unit', () => {
    const usdc = { address: '0x5fbdb2315678afecb367f032d93f642f64180aa3', symbol: 'tUSDC', decimals: 6 };
    expect(listVariables({ token: usdc.address, 'min-price': '0.5', 'max-price': '2' }, usdc).filter).toEqual({
      token: '0x5FbDB2315678afecb367f032d93F642f64180aa3',
      minPrice: '500000',
      maxPrice: '2000000',
    });
    expect(listVariables({ token: 'eth', 'max-price': '.25' }, { address: '0x0000000000000000000000000000000000000000', symbol: 'ETH', decimals: 18 }).filter).toEqual({
      token: '0x0000000000000000000000000000000000000000',
      maxPrice: '250000000000000000',
    });
  });

  it('behavior: a token named by its symbol is filtered by the address it resolved to', () => {
    const usdc = { address: '0x5fbdb2315678afecb367f032d93f642f64180aa3', symbol: 'tUSDC', decimals: 6 };
    expect(listVariables({ token: 'usdc', 'max-price': '5' }, usdc).filter).toEqual({ token: '0x5FbDB2315678afecb367f032d93F642f64180aa3', maxPrice: '5000000' });
    expect(() => listVariables({ token: 'usdc' })).toThrowError('--token: "usdc" is not an address');
  });

  it('error: a price range without its token, or in too many decimals, is refused', () => {
    expect(() => listVariables({ 'min-price': '1' })).toThrowError('--min-price and --max-price are amounts of one token: give --token as well');
    const usdc = { address: '0x5fbdb2315678afecb367f032d93f642f64180aa3', symbol: 'tUSDC', decimals: 6 };
    expect(() => listVariables({ token: usdc.address, 'min-price': '0.0000001' }, usdc)).toThrowError('--min-price: "0.0000001" has 7 decimals; tUSDC has 6');
    expect(() => listVariables({ token: usdc.address, 'max-price': 'cheap' }, usdc)).toThrowError('--max-price: "cheap" is not an amount of tUSDC (e.g. 0.5)');
    expect(() => listVariables({ token: usdc.address, 'max-price': '1' })).toThrowError(/its decimals could not be read/);
  });

  it('error: bad values are named', () => {
    expect(() => listVariables({ status: 'done' })).toThrowError(/--status: "DONE" is not one of/);
    expect(() => listVariables({ client: 'me' })).toThrowError('--client: "me" is not an address');
    expect(() => listVariables({ order: 'random' })).toThrowError(CliError);
    expect(() => listVariables({ first: '0' })).toThrowError(/--first/);
    expect(() => listVariables({ first: '101' })).toThrowError(/--first/);
  });

  it('behavior: direct offers: --mode direct, --offered-to a worker, --takable-by a worker', () => {
    const worker = '0x90f79bf6eb2c4f870365e785982e1f101e93b906';
    expect(listVariables({ mode: 'Direct', 'offered-to': worker }).filter).toEqual({ mode: 'DIRECT', offeredTo: '0x90F79bf6EB2c4f870365E785982E1f101E93b906' });
    expect(listVariables({ status: 'open', 'takable-by': worker }).filter).toEqual({ status: ['OPEN'], takableBy: '0x90F79bf6EB2c4f870365E785982E1f101E93b906' });
    expect(() => listVariables({ 'offered-to': 'bob' })).toThrowError('--offered-to: "bob" is not an address');
    expect(() => listVariables({ 'takable-by': '0x12' })).toThrowError('--takable-by: "0x12" is not an address');
    expect(() => listVariables({ mode: 'bid' })).toThrowError('--mode must be one of claim, auction, direct, pool, not "bid"');
  });

  it('behavior: --kind picks single-worker or replicated jobs', () => {
    expect(listVariables({ kind: 'Replicated' }).filter).toEqual({ kind: 'REPLICATED' });
    expect(listVariables({ kind: 'single' }).filter).toEqual({ kind: 'SINGLE' });
    expect(() => listVariables({ kind: 'both' })).toThrowError('--kind must be single or replicated, not "both"');
  });

  it('statusText: how a job ended, a single job by its close reason, a replicated one by its outcome', () => {
    expect(statusText({ status: 'CLOSED', closeReason: 'COMPLETED', outcome: null })).toBe('CLOSED (COMPLETED)');
    expect(statusText({ status: 'CLOSED', closeReason: null, outcome: 'NO_QUORUM' })).toBe('CLOSED (NO_QUORUM)');
    expect(statusText({ status: 'OPEN', closeReason: null, outcome: null })).toBe('OPEN');
  });
});
