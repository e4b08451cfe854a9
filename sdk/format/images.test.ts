import { describe, expect, it } from 'vitest';
import { parseImageRef } from '../spec/imageRef';
import { shortDigest, shortImageRef } from './images';

describe('image formatting', () => {
  const digest = `sha256:${'0123456789abcdef'.repeat(4)}`;
  it('shortens a digest to its algorithm and 12 hex digits', () => {
    expect(shortDigest(digest)).toBe('sha256:0123456789ab…');
    expect(shortDigest('sha256:0123')).toBe('sha256:0123');
  });
  it('keeps the name and tag of a reference', () => {
    const r = parseImageRef(`localhost:5000/loom/test:1@${digest}`);
    expect(r.ok && shortImageRef(r.ref)).toBe('localhost:5000/loom/test:1@sha256:0123456789ab…');
  });
});
