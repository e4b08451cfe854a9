/**
 * One execution per item for every subscriber that asked the same thing.
 *
 * Thousands of subscribers hold a handful of distinct subscriptions (the UI's, the workers'), and the
 * change feed hands each of them the same item objects (api/feed/subscriptions.ts). graphql-js would
 * execute the selection set once per item per subscriber; this plugin executes it once per item and
 * subscription (document, operation, variables) and hands every such subscriber the same result
 * object, which the event stream (api/graphql/eventStream.ts) then serializes once.
 *
 * Sharing is sound because nothing a subscription returns depends on who asked: the schema has no
 * per-caller field (everything is chain state), and the context a result is executed with differs
 * between subscribers only in request bookkeeping. A subscriber that reads an item later than the
 * others may get a result executed a moment earlier (nested fields read the database when the first
 * subscriber reads the item): the state it shows is at or after the item, as before.
 *
 * The cache is bounded in time, not by a timer: two generations of a weak map keyed by the item,
 * rotated every `ttlMs` on use, so a result lives while subscribers read its item and at most two
 * generations after. Each item holds at most `maxKeysPerItem` distinct subscriptions' results;
 * beyond that (every subscriber with its own variables) items are executed per subscriber, as
 * graphql-js does.
 */
import * as graphqlModule from 'graphql';
import type { DocumentNode, ExecutionArgs, ExecutionResult } from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import * as graphqlCommonJs from './graphqlJs';
import { MappedResults } from './mapResults';

/**
 * The graphql-js copy `schema` was built with, to execute it: yoga's, which is graphql's ESM build
 * under Ponder's loader and its CommonJS build under vitest (api/graphql/graphqlJs.ts says why).
 * `instanceof`, not graphql's `isSchema`, which throws on a schema of the other copy.
 */
function graphqlOf(schema: unknown): typeof graphqlModule | undefined {
  return [graphqlModule, graphqlCommonJs].find((copy) => schema instanceof copy.GraphQLSchema);
}

type MaybePromise<T> = T | Promise<T>;

/** Counters for /api/metrics. */
export type SharedResultStats = { executed: number; shared: number };

export type SharedResultOptions = {
  ttlMs?: number;
  maxKeysPerItem?: number;
  now?: () => number;
  /** Told once if the schema is of neither graphql-js build (then nothing is shared). */
  onUnshareable?: () => void;
};

/** The two-generation cache: item -> subscription key -> result. */
export class SharedResults {
  readonly stats: SharedResultStats = { executed: 0, shared: 0 };
  private current = new WeakMap<object, Map<string, MaybePromise<ExecutionResult>>>();
  private previous = new WeakMap<object, Map<string, MaybePromise<ExecutionResult>>>();
  private rotatedAt: number;
  private readonly ttlMs: number;
  private readonly maxKeysPerItem: number;
  private readonly now: () => number;

  constructor(options: SharedResultOptions = {}) {
    this.ttlMs = options.ttlMs ?? 2_000;
    this.maxKeysPerItem = options.maxKeysPerItem ?? 64;
    this.now = options.now ?? Date.now;
    this.rotatedAt = this.now();
  }

  /** The result of `item` for subscription `key`: `run()`'s, or the one an earlier subscriber got. */
  resultOf(item: object, key: string, run: () => MaybePromise<ExecutionResult>): MaybePromise<ExecutionResult> {
    const now = this.now();
    if (now - this.rotatedAt >= this.ttlMs) {
      this.previous = this.current;
      this.current = new WeakMap();
      this.rotatedAt = now;
    }
    let results = this.current.get(item);
    if (!results) {
      results = this.previous.get(item) ?? new Map();
      this.current.set(item, results);
    }
    const known = results.get(key);
    if (known !== undefined) {
      this.stats.shared++;
      return known;
    }
    this.stats.executed++;
    const result = run();
    if (results.size >= this.maxKeysPerItem) return result;
    results.set(key, result);
    // Once settled, later subscribers get the value itself (no promise to wait on).
    if (result instanceof Promise) result.then((value) => results.get(key) === result && results.set(key, value), () => results.delete(key));
    return result;
  }
}

const documentIds = new WeakMap<DocumentNode, number>();
let nextDocumentId = 0;

/**
 * What makes two subscriptions' results equal: the parsed document (yoga caches it per query text,
 * so equal texts share it), the operation and the variables.
 */
function subscriptionKey(args: ExecutionArgs): string {
  let id = documentIds.get(args.document);
  if (id === undefined) documentIds.set(args.document, (id = nextDocumentId++));
  return `${id}|${args.operationName ?? ''}|${JSON.stringify(args.variableValues ?? null)}`;
}

/** The yoga plugin: subscriptions executed through `results`. */
export function useSharedSubscriptionResults(results: SharedResults, options: Pick<SharedResultOptions, 'onUnshareable'> = {}): Plugin {
  let warned = false;
  return {
    onSubscribe({ args, setSubscribeFn }) {
      const graphql = graphqlOf(args.schema);
      if (!graphql) {
        if (!warned) options.onUnshareable?.();
        warned = true;
        return;
      }
      const { createSourceEventStream, execute } = graphql;
      setSubscribeFn(async (subscribeArgs: ExecutionArgs) => {
        const source = await createSourceEventStream(subscribeArgs);
        if (!isAsyncIterable(source)) return source;
        const key = subscriptionKey(subscribeArgs);
        return new MappedResults(source, (item: unknown) => {
          const run = () => execute({ ...subscribeArgs, rootValue: item });
          return item !== null && typeof item === 'object' ? results.resultOf(item, key, run) : run();
        });
      });
    },
  };
}
