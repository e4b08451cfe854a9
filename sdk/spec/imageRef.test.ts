import { describe, expect, it } from 'vitest';
import { parseImageRef, registryEndpoint } from './imageRef';

const d = `sha256:${'ab'.repeat(32)}`;

describe('parseImageRef', () => {
  it.each([
    [`busybox@${d}`, { registry: 'docker.io', repository: 'library/busybox', digest: d, text: `docker.io/library/busybox@${d}` }],
    [`busybox:1.36@${d}`, { registry: 'docker.io', repository: 'library/busybox', tag: '1.36', digest: d, text: `docker.io/library/busybox:1.36@${d}` }],
    [`nvcr.io/nvidia/pytorch:24.05-py3@${d}`, { registry: 'nvcr.io', repository: 'nvidia/pytorch', tag: '24.05-py3', digest: d, text: `nvcr.io/nvidia/pytorch:24.05-py3@${d}` }],
    [`127.0.0.1:5000/loom/test@${d}`, { registry: '127.0.0.1:5000', repository: 'loom/test', digest: d, text: `127.0.0.1:5000/loom/test@${d}` }],
    [`localhost/x@${d}`, { registry: 'localhost', repository: 'x', digest: d, text: `localhost/x@${d}` }],
    [`index.docker.io/user/app@${d}`, { registry: 'docker.io', repository: 'user/app', digest: d, text: `docker.io/user/app@${d}` }],
    [`GHCR.io/org/a.b__c-d@${d}`, { registry: 'ghcr.io', repository: 'org/a.b__c-d', digest: d, text: `ghcr.io/org/a.b__c-d@${d}` }],
  ])('reads %s', (input, ref) => {
    expect(parseImageRef(input)).toEqual({ ok: true, ref });
  });

  it('refuses a tag alone, saying why', () => {
    const r = parseImageRef('nvidia/cuda:12.4.1-base-ubuntu22.04');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toMatch(/not pinned by digest: a tag can point to other content/);
    expect(!r.ok && r.reason).toContain('nvidia/cuda:12.4.1-base-ubuntu22.04@sha256:<64 hex>');
  });

  it.each([
    ['', /empty/],
    ['busybox', /a bare name/],
    [`busybox@sha256:${'AB'.repeat(32)}`, /lowercase hex/],
    [`busybox@sha512:${'ab'.repeat(64)}`, /only sha256/],
    [`busybox@sha256:${'ab'.repeat(31)}`, /64 lowercase hex/],
    [`Busybox@${d}`, /invalid repository/],
    [`a//b@${d}`, /invalid repository/],
    [`busybox:.bad@${d}`, /invalid tag/],
    [`bad_host.io:99x/a@${d}`, /invalid registry/],
    [`bus box@${d}`, /spaces/],
    [`${'a'.repeat(250)}@${d}`, /over the 256-character limit/],
  ])('refuses %j', (input, reason) => {
    const r = parseImageRef(input);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toMatch(reason);
  });

  it("knows Docker Hub's API host", () => {
    expect(registryEndpoint('docker.io')).toBe('registry-1.docker.io');
    expect(registryEndpoint('ghcr.io')).toBe('ghcr.io');
  });
});
