/**
 * A graphql-sse client subscription for tests ("distinct connections" mode, the client urql's
 * subscriptionExchange is given): collects what arrives, with arrival times, and can wait for it.
 */
import { createClient } from 'graphql-sse';
import { waitFor } from '../../testkit/waitFor';

export type Received<T> = { value: T; at: number };

export type TestSubscription<T> = {
  received: Received<T>[];
  errors: unknown[];
  completed: boolean;
  /** Resolves once `predicate(received)` holds (rejects after `timeoutMs`, or when the stream failed). */
  until: (predicate: (received: Received<T>[]) => boolean, timeoutMs?: number) => Promise<void>;
  /** Unsubscribes (the server sees the connection close). */
  dispose: () => void;
};

/**
 * Subscribes to `query` at `url`. `fetchFn` lets a test route requests to an in-process app.
 *
 * @example
 * const sub = subscribe<{ jobEvents: { cursor: string } }>(`${url}/graphql`, 'subscription { jobEvents { cursor } }');
 * await sub.until((r) => r.length >= 3);
 */
export function subscribe<T = Record<string, any>>(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  fetchFn?: typeof fetch,
): TestSubscription<T> {
  const client = createClient({ url, retryAttempts: 0, ...(fetchFn && { fetchFn }) });
  const sub: TestSubscription<T> = {
    received: [],
    errors: [],
    completed: false,
    until: async (predicate, timeoutMs = 30_000) => {
      const outcome = await waitFor(
        'the subscription condition',
        () => {
          if (predicate(sub.received)) return 'met';
          if (sub.errors.length > 0) return 'failed';
          throw new Error(`${sub.received.length} received, completed: ${sub.completed}`);
        },
        timeoutMs,
        10,
      );
      if (outcome === 'failed') throw new Error(`subscription failed: ${JSON.stringify(sub.errors)}`);
    },
    dispose: () => {
      unsubscribe();
      client.dispose();
    },
  };
  const unsubscribe = client.subscribe<T>(
    { query, variables },
    {
      next: (result) => {
        if (result.errors?.length) sub.errors.push(...result.errors);
        if (result.data) sub.received.push({ value: result.data as T, at: Date.now() });
      },
      error: (error) => sub.errors.push(error),
      complete: () => {
        sub.completed = true;
      },
    },
  );
  return sub;
}
