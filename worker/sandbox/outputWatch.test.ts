import { mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { measureOutput, watchOutput } from './outputWatch';

const root = mkdtempSync(join(os.tmpdir(), 'loom-outwatch-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const dirWith = (files: Record<string, number>) => {
  const dir = mkdtempSync(join(root, `d${n++}-`));
  for (const [path, size] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), Buffer.alloc(size));
  }
  return dir;
};
const wide = { maxBytes: 1e12, maxEntries: 1e9 };

describe('measureOutput', () => {
  test('default: counts every entry and the bytes of regular files, nested', async () => {
    const dir = dirWith({ a: 1000, 'sub/b': 3000, 'sub/deeper/c': 5000 });
    // a, sub, sub/b, sub/deeper, sub/deeper/c; each file at least its length
    const usage = await measureOutput(dir, wide);
    expect(usage.entries).toBe(5);
    expect(usage.bytes).toBeGreaterThanOrEqual(9000);
    expect(usage.over).toBeNull();
  });

  test('behavior: a link counts as an entry and is not followed', async () => {
    const outside = dirWith({ big: 50_000 });
    const dir = dirWith({ a: 10 });
    symlinkSync(outside, join(dir, 'link'));
    const usage = await measureOutput(dir, wide);
    expect(usage.entries).toBe(2);
    expect(usage.bytes).toBeLessThan(50_000);
  });

  test('behavior: a sparse file counts at its length', async () => {
    const dir = dirWith({});
    writeFileSync(join(dir, 'sparse'), '');
    truncateSync(join(dir, 'sparse'), 10 * 2 ** 20);
    expect((await measureOutput(dir, { maxBytes: 2 ** 20, maxEntries: 10 })).over).toBe('bytes');
  });

  test('behavior: stops at the first limit passed', async () => {
    const dir = dirWith(Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`f${i}`, 10])));
    expect(await measureOutput(dir, { maxBytes: 1e9, maxEntries: 20 })).toMatchObject({ over: 'entries', entries: 21 });
    expect((await measureOutput(dir, { maxBytes: 100, maxEntries: 1e9 })).over).toBe('bytes');
    expect(await measureOutput(join(dir, 'missing'), wide)).toEqual({ bytes: 0, entries: 0, over: null });
  });
});

describe('watchOutput', () => {
  test('behavior: reports once, when the directory passes a limit, and not after stop', async () => {
    const dir = dirWith({ a: 100 });
    const seen: unknown[] = [];
    const stop = watchOutput(dir, { maxBytes: 5000, maxEntries: 1e9 }, (u) => seen.push(u), 20);
    await new Promise((r) => setTimeout(r, 100));
    expect(seen).toEqual([]);
    writeFileSync(join(dir, 'b'), Buffer.alloc(10_000));
    await new Promise((r) => setTimeout(r, 150));
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ over: 'bytes' });
    stop();

    const quiet = dirWith({});
    const none: unknown[] = [];
    const stopQuiet = watchOutput(quiet, { maxBytes: 10, maxEntries: 1e9 }, (u) => none.push(u), 20);
    stopQuiet();
    writeFileSync(join(quiet, 'late'), Buffer.alloc(1000));
    await new Promise((r) => setTimeout(r, 100));
    expect(none).toEqual([]);
  });
});
