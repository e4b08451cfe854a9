import { describe, expect, test } from 'vitest';
import { creatorIssue, defaultModelFilters, filtersFromQuery, modelFilterOf, queryFromFilters } from './modelFilters';

const creator = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';

describe('model filters', () => {
  test('default: nothing in the URL is the newest versions that are not retired', () => {
    const f = filtersFromQuery(new URLSearchParams(''));
    expect(f).toEqual(defaultModelFilters());
    expect(queryFromFilters(f)).toBe('');
    expect(modelFilterOf(f)).toEqual({ retired: false });
  });

  test('behavior: the URL round-trips search, kind, creator, token, retired and order into the API filter', () => {
    const f = filtersFromQuery(new URLSearchParams(`q=llama&kind=DATASET&creator=${creator}&token=0x0000000000000000000000000000000000000000&retired=1&order=EARNINGS_DESC`));
    expect(f).toMatchObject({ search: 'llama', kind: 'DATASET', creator, retired: true, order: 'EARNINGS_DESC' });
    expect(filtersFromQuery(new URLSearchParams(queryFromFilters(f).slice(1)))).toEqual(f);
    expect(modelFilterOf(f)).toEqual({ search: 'llama', kind: 'DATASET', creator: creator.toLowerCase(), token: '0x0000000000000000000000000000000000000000' });
  });

  test('error: unknown kinds and orders fall back to the defaults; a creator that is not an address is said and left out', () => {
    const f = filtersFromQuery(new URLSearchParams('kind=MODEL&order=BEST&token=eth&creator=0x12'));
    expect(f).toMatchObject({ kind: '', order: 'NEWEST', token: '', creator: '0x12' });
    expect(creatorIssue(f)).toBe('"0x12" is not an address');
    expect(modelFilterOf(f)).toEqual({ retired: false });
  });
});
