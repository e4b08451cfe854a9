import { describe, expect, it } from 'vitest';
import { createProgress } from './progress';

const stream = (isTTY: boolean) => {
  const chunks: string[] = [];
  return { isTTY, columns: 80, chunks, write: (s: string) => (chunks.push(s), true) };
};

describe('createProgress', () => {
  it('behavior: writes nothing at all when the stream is not a terminal', () => {
    const s = stream(false);
    const p = createProgress(s);
    p.update('waiting');
    p.done('mined');
    p.fail('reverted');
    expect(s.chunks).toEqual([]);
  });

  it('default: on a terminal, a redrawn line, then a final line kept on screen', () => {
    const s = stream(true);
    const p = createProgress(s);
    p.update('waiting for the transaction');
    p.update('waiting for the indexer');
    p.done('indexed');
    const out = s.chunks.join('');
    expect(out).toContain('waiting for the transaction');
    expect(out).toContain('\r\x1b[2K');
    expect(out.endsWith('indexed\n')).toBe(true);
    expect(out).toContain('✔');
  });

  it('behavior: clear leaves no line behind', () => {
    const s = stream(true);
    const p = createProgress(s);
    p.update('downloading');
    p.clear();
    expect(s.chunks.at(-1)).toBe('\r\x1b[2K');
    p.done();
    expect(s.chunks.at(-1)).toBe('\r\x1b[2K');
  });
});
