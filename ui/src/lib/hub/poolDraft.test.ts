import { describe, expect, test } from 'vitest';
import { draftPool, parseFeePercent } from './poolDraft';
import { parsePoolId } from './poolId';

describe('pool settings', () => {
  test('default: a fee in percent as basis points; a pool id as typed', () => {
    expect(parseFeePercent('2.5')).toEqual({ ok: true, feeBps: 250 });
    expect(parseFeePercent('20 %')).toEqual({ ok: true, feeBps: 2000 });
    expect(draftPool({ name: ' GPU co-op ', metadataURI: '', feePercent: '0', approvalRequired: true })).toEqual({
      ok: true,
      pool: { name: 'GPU co-op', metadataURI: '', feeBps: 0, approvalRequired: true },
    });
    expect(parsePoolId(' 7 ')).toEqual({ ok: true, pool: 7n });
  });

  test('error: a fee above 20%, a fee not in percent, an empty or long name', () => {
    expect(parseFeePercent('20.01')).toEqual({ ok: false, message: "20.01% is above the registry's maximum of 20%" });
    expect(parseFeePercent('five')).toMatchObject({ ok: false, message: expect.stringMatching(/^enter the fee in percent/) });
    const r = draftPool({ name: '', metadataURI: '', feePercent: '1', approvalRequired: false });
    expect(!r.ok && r.issues).toEqual([{ field: 'name', message: 'the pool needs a name' }]);
    const long = draftPool({ name: 'p'.repeat(65), metadataURI: '', feePercent: '1', approvalRequired: false });
    expect(!long.ok && long.issues[0]!.message).toBe('the name is 65 bytes; at most 64');
    expect(parsePoolId(String(2n ** 64n))).toEqual({ ok: false, message: `pool ${2n ** 64n} cannot exist: pool ids run from 1` });
  });
});
