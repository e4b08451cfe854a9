/**
 * API-specific helpers for tests that talk to a real Ponder serving the API over HTTP (queries go
 * through testkit's `gql`).
 */
import { gql } from '../../testkit/indexer';
import { waitFor } from '../../testkit/waitFor';

type Ponder = { url: string };

// biome-ignore lint: responses are checked field by field.
export type Json = any;

export type EventNode = { id: string; blockHash: string; txHash: string; name: string; jobId: string | null; blockNumber: string };

/** Every event of Query.jobEvents (with `filter`), paged to the end. */
export async function allEvents(ponder: Ponder | string, filter?: Record<string, unknown>): Promise<EventNode[]> {
  const events: EventNode[] = [];
  let after: string | null = null;
  for (;;) {
    const data: Json = await gql(
      ponder,
      `query($after: String, $filter: JobEventFilter) { jobEvents(first: 100, after: $after, filter: $filter) {
        edges { node { id blockHash txHash name jobId blockNumber } } pageInfo { hasNextPage endCursor } } }`,
      { after, filter },
    );
    events.push(...data.jobEvents.edges.map((e: Json) => e.node));
    if (!data.jobEvents.pageInfo.hasNextPage) return events;
    after = data.jobEvents.pageInfo.endCursor;
  }
}

/** The API's subscription gauge (`loom_api_subscriptions`). */
export async function liveSubscriptions(ponder: Ponder | string): Promise<number> {
  const url = typeof ponder === 'string' ? ponder : ponder.url;
  const text = await (await fetch(`${url}/api/metrics`)).text();
  return Number(/^loom_api_subscriptions (\d+)$/m.exec(text)?.[1] ?? Number.NaN);
}

/** Waits until the server follows exactly `n` subscriptions. */
export async function waitForSubscriptions(ponder: Ponder | string, n: number, timeoutMs = 20_000): Promise<void> {
  await waitFor(
    `the server to follow ${n} subscriptions`,
    async () => {
      const now = await liveSubscriptions(ponder);
      if (now !== n) throw new Error(`it follows ${now}`);
      return true;
    },
    timeoutMs,
    25,
  );
}

/** The p-th percentile (0..100) of `values`. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
