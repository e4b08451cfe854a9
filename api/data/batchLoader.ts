/**
 * A per-request batch loader (the DataLoader pattern, in a few lines): every `load` issued while
 * graphql-js resolves one level of a response is answered by one call of `batch`, so a page of 50
 * jobs with their bids costs one query for the bids, not 50.
 */

export type BatchLoader<K, V> = {
  load: (key: K) => Promise<V>;
  /** Caches a value already in hand (e.g. rows of a page), so nested fields do not fetch it again. */
  prime: (key: K, value: V) => void;
  /** The value for `key` if it is loaded already (its promise settled), else undefined. */
  peek: (key: K) => V | undefined;
};

/**
 * Creates a loader. `batch` receives distinct keys and returns one value per key, in order.
 *
 * @example
 * const workerByAddress = createBatchLoader(async (addresses: string[]) => {
 *   const rows = await db.select().from(worker).where(inArray(worker.address, addresses));
 *   return addresses.map((a) => rows.find((r) => r.address === a));
 * });
 */
export function createBatchLoader<K extends string, V>(batch: (keys: K[]) => Promise<V[]>): BatchLoader<K, V> {
  const cache = new Map<K, Promise<V>>();
  const loaded = new Map<K, V>();
  let pending: { key: K; resolve: (v: V) => void; reject: (e: unknown) => void }[] = [];

  const dispatch = () => {
    const jobs = pending;
    pending = [];
    const keys = jobs.map((j) => j.key);
    batch(keys).then(
      (values) => {
        if (values.length !== keys.length) throw new Error(`batch returned ${values.length} values for ${keys.length} keys`);
        jobs.forEach((j, i) => {
          loaded.set(j.key, values[i]!);
          j.resolve(values[i]!);
        });
      },
      (error) => jobs.forEach((j) => j.reject(error)),
    ).catch((error) => jobs.forEach((j) => j.reject(error)));
  };

  return {
    load(key) {
      const cached = cache.get(key);
      if (cached) return cached;
      const promise = new Promise<V>((resolve, reject) => {
        pending.push({ key, resolve, reject });
        // Like DataLoader: wait until the promise jobs of the current tick (sibling resolvers) ran.
        if (pending.length === 1) Promise.resolve().then(() => process.nextTick(dispatch));
      });
      cache.set(key, promise);
      return promise;
    },
    prime(key, value) {
      if (cache.has(key)) return;
      cache.set(key, Promise.resolve(value));
      loaded.set(key, value);
    },
    peek: (key) => loaded.get(key),
  };
}

/** Loaders that share their arguments (page size, cursor...) are grouped: one loader per distinct group. */
export function createLoaderGroup<A, K extends string, V>(
  make: (args: A) => BatchLoader<K, V>,
  groupKey: (args: A) => string,
): (args: A) => BatchLoader<K, V> {
  const loaders = new Map<string, BatchLoader<K, V>>();
  return (args) => {
    const key = groupKey(args);
    let loader = loaders.get(key);
    if (!loader) loaders.set(key, (loader = make(args)));
    return loader;
  };
}
