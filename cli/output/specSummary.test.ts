import { describe, expect, it } from 'vitest';
import { runsIn, specSummary } from './specSummary';

const digest = `sha256:${'0123456789abcdef'.repeat(4)}`;

describe('specSummary', () => {
  it('default: the command, the script on one line, or the image\'s default command', () => {
    expect(specSummary({ version: 1, command: ['python', 'train.py'] }, '0x')).toBe('python train.py');
    expect(specSummary({ version: 1, script: 'set -e\n  echo hi > /out/a\n' }, '0x')).toBe('set -e echo hi > /out/a');
    expect(specSummary({ version: 1, image: `busybox@${digest}` }, '0x')).toBe("(the image's default command)");
    expect(specSummary({ version: 1, command: ['x'.repeat(100)] }, '0x')).toBe(`${'x'.repeat(79)}…`);
    expect(specSummary(null, '0xdeadbeef')).toBe('4 bytes (not JSON)');
  });

  it('runsIn: the image, canonical and with its digest shortened; the host without one; why workers refuse a bad one', () => {
    expect(runsIn({ version: 1, image: `pytorch/pytorch:2.4.0@${digest}`, command: ['python'] })).toBe('image docker.io/pytorch/pytorch:2.4.0@sha256:0123456789ab…');
    expect(runsIn({ version: 1, script: 'true' })).toBe("the worker's host (no image: its own read-only /usr)");
    expect(runsIn({ version: 1, image: 'loom/cuda', script: 'true' })).toMatch(/^image "loom\/cuda", which workers refuse: "loom\/cuda" is not pinned by digest/);
    expect(runsIn({ image: 7 })).toBe('an image that is not a string (workers refuse the spec)');
    expect(runsIn('x')).toBe('-');
  });
});
