import { describe, expect, test } from 'vitest';
import { getAddress, zeroAddress } from 'viem';
import { createTokenRegistry, ETH_TOKEN } from '$sdk/format/tokens';
import { defaultPublishDraft, draftModelParams, type PublishDraft } from './publishDraft';

const usdc = '0xe7f1725e7734ce288f8367e1bb143e90bb3f0512' as const;
const USDC = createTokenRegistry(usdc).get(usdc);
const SHA = `0x${'ab'.repeat(32)}`;
const DIGEST = `sha256:${'cd'.repeat(32)}`;
const draft = (patch: Partial<PublishDraft> = {}): PublishDraft => ({ ...defaultPublishDraft(), name: 'tiny-llm', files: [{ path: 'weights.bin', sha256: SHA, size: 1024 }], ...patch });
const issuesOf = (r: ReturnType<typeof draftModelParams>) => (r.ok ? {} : Object.fromEntries(r.issues.map((i) => [i.field, i.message])));

describe('draftModelParams', () => {
  test("default: weights with their files by sha256, free, as the contract's ModelParams", () => {
    expect(draftModelParams(draft({ licenseURI: ' MIT ' }), ETH_TOKEN)).toEqual({
      ok: true,
      params: { name: 'tiny-llm', version: '1.0', kind: 0, files: [{ sha256: SHA, size: 1024n, path: 'weights.bin' }], image: '', licenseURI: 'MIT', token: zeroAddress, fee: 0n, previous: 0 },
    });
  });

  test('behavior: an image pinned by digest, a fee in tUSDC, a new version of model 4', () => {
    const r = draftModelParams(draft({ kind: 'IMAGE', image: `ghcr.io/org/llm@${DIGEST}`, token: usdc, fee: '2.5', previous: '4' }), USDC);
    expect(r.ok && r.params).toMatchObject({ kind: 2, files: [], image: `ghcr.io/org/llm@${DIGEST}`, token: getAddress(usdc), fee: 2_500_000n, previous: 4 });
  });

  test('error: every rule in words on its field', () => {
    expect(issuesOf(draftModelParams(draft({ name: ' ', version: '' }), ETH_TOKEN))).toMatchObject({ name: 'the name must not be empty', version: 'name the version, e.g. 1.0' });
    expect(issuesOf(draftModelParams(draft({ name: 'org/llm' }), ETH_TOKEN)).name).toBe('the name names the directory under /models: no "/", not "." or ".."');
    expect(issuesOf(draftModelParams(draft({ files: [] }), ETH_TOKEN)).files).toBe('the files are needed for a WEIGHTS model');
    expect(issuesOf(draftModelParams(draft({ files: [{ path: '../x', sha256: SHA, size: 1 }] }), ETH_TOKEN)).files).toMatch(/^"\.\.\/x" must stay inside the model's directory/);
    expect(issuesOf(draftModelParams(draft({ files: [{ path: 'a', sha256: '0x12', size: 1 }] }), ETH_TOKEN)).files).toBe('"a": sha256 must be 64 hex digits');
    const twice = draft({ files: [{ path: 'a', sha256: SHA, size: 1 }, { path: 'a', sha256: SHA, size: 1 }] });
    expect(issuesOf(draftModelParams(twice, ETH_TOKEN)).files).toBe('"a" is named twice');
    expect(issuesOf(draftModelParams(draft({ kind: 'IMAGE', image: 'ghcr.io/org/llm:latest' }), ETH_TOKEN)).image).toMatch(/digest/);
    expect(issuesOf(draftModelParams(draft({ fee: 'a lot' }), ETH_TOKEN)).fee).toBe('enter the fee per job in ETH, e.g. 0.01 (or leave it empty: free)');
    expect(issuesOf(draftModelParams(draft({ previous: 'v1' }), ETH_TOKEN)).previous).toBe('"v1" is not a model id');
    expect(issuesOf(draftModelParams(draft({ name: 'x'.repeat(257) }), ETH_TOKEN)).name).toBe('the name is over 256 bytes');
  });
});
