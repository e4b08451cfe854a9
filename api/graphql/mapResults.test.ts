/**
 * MappedResults behaves as mapAsyncIterator did for subscriptions: values mapped in order (at once
 * or through a promise), `return` reaching the source, and a failing `map` closing the source.
 */
import { expect, test } from 'vitest';
import { MappedResults } from './mapResults';

/** A source of `values` that records whether it was closed. */
function source<T>(values: T[]) {
  const state = { closed: false };
  async function* generate() {
    try {
      for (const value of values) yield value;
    } finally {
      state.closed = true;
    }
  }
  return { iterable: generate(), state };
}

test('behavior: values are mapped in order, whether map answers at once or later; then done', async () => {
  const sync = new MappedResults(source([1, 2, 3]).iterable, (n) => n * 10);
  const later = new MappedResults(source([1, 2, 3]).iterable, async (n) => `#${n}`);
  const read = async <U>(it: AsyncIterable<U>) => {
    const out: U[] = [];
    for await (const v of it) out.push(v);
    return out;
  };
  expect(await read(sync)).toEqual([10, 20, 30]);
  expect(await read(later)).toEqual(['#1', '#2', '#3']);
  expect(await sync.next()).toEqual({ value: undefined, done: true });
});

test('behavior: return() closes the source and ends the results', async () => {
  const { iterable, state } = source([1, 2, 3]);
  const results = new MappedResults(iterable, (n) => n);
  expect(await results.next()).toEqual({ value: 1, done: false });
  expect(await results.return()).toEqual({ value: undefined, done: true });
  expect(state.closed).toBe(true);
  expect(await results.next()).toEqual({ value: undefined, done: true });
});

test('error: a map that throws, or rejects, closes the source and fails the read with its error', async () => {
  for (const map of [
    (n: number) => {
      if (n === 2) throw new Error('bad item');
      return n;
    },
    async (n: number) => {
      if (n === 2) throw new Error('bad item');
      return n;
    },
  ]) {
    const { iterable, state } = source([1, 2, 3]);
    const results = new MappedResults(iterable, map);
    expect(await results.next()).toEqual({ value: 1, done: false });
    await expect(results.next()).rejects.toThrow('bad item');
    expect(state.closed).toBe(true);
  }
});
