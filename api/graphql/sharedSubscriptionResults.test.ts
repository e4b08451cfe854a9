/**
 * The shared results cache on its own (the end-to-end sharing is in api/feed/subscriptions.test.ts):
 * what is shared, for how long, and how much.
 */
import { describe, expect, test } from 'vitest';
import { SharedResults } from './sharedSubscriptionResults';

function counting() {
  let runs = 0;
  const run = () => ({ data: { n: ++runs } });
  return { run, runs: () => runs };
}

describe('SharedResults', () => {
  test('default: one item and subscription run once; another subscription or item runs its own', () => {
    const cache = new SharedResults();
    const { run, runs } = counting();
    const item = {};
    const first = cache.resultOf(item, 'a', run);
    expect(cache.resultOf(item, 'a', run)).toBe(first);
    expect(cache.resultOf(item, 'b', run)).not.toBe(first);
    expect(cache.resultOf({}, 'a', run)).not.toBe(first);
    expect(runs()).toBe(3);
    expect(cache.stats).toEqual({ executed: 3, shared: 1 });
  });

  test('behavior: a result outlives one turnover of the cache and is gone after two', () => {
    let now = 0;
    const cache = new SharedResults({ ttlMs: 1_000, now: () => now });
    const { run, runs } = counting();
    const item = {};
    const first = cache.resultOf(item, 'a', run);
    now = 1_500; // one turnover: found in the previous generation, and kept
    expect(cache.resultOf(item, 'a', run)).toBe(first);
    now = 2_600; // one more: still found, as it was used in the last generation
    expect(cache.resultOf(item, 'a', run)).toBe(first);
    now = 3_600; // a turnover without use (another item's lookup turns it over)
    cache.resultOf({}, 'x', run);
    now = 4_700; // and a second: gone
    expect(cache.resultOf(item, 'a', run)).not.toBe(first);
    expect(runs()).toBe(3);
  });

  test('behavior: past maxKeysPerItem distinct subscriptions, an item is executed per subscriber', () => {
    const cache = new SharedResults({ maxKeysPerItem: 2 });
    const { run, runs } = counting();
    const item = {};
    for (const key of ['a', 'b', 'c', 'c', 'a']) cache.resultOf(item, key, run);
    // a and b are kept, c is not: a is shared once, c runs twice.
    expect(runs()).toBe(4);
    expect(cache.stats).toEqual({ executed: 4, shared: 1 });
  });

  test('behavior: a pending result is shared as the promise, then as its value; a failed one is not kept', async () => {
    const cache = new SharedResults();
    const item = {};
    let resolve!: (v: { data: Record<string, unknown> }) => void;
    const pending = new Promise<{ data: Record<string, unknown> }>((r) => (resolve = r));
    expect(cache.resultOf(item, 'a', () => pending)).toBe(pending);
    expect(cache.resultOf(item, 'a', () => ({ data: { n: 0 } }))).toBe(pending);
    const value = { data: { n: 1 } };
    resolve(value);
    await pending;
    expect(cache.resultOf(item, 'a', () => ({ data: { n: 0 } }))).toBe(value);

    const failing = Promise.reject(new Error('database down'));
    cache.resultOf(item, 'b', () => failing);
    await failing.catch(() => {});
    const again = { data: { n: 2 } };
    expect(cache.resultOf(item, 'b', () => again)).toBe(again);
  });
});
