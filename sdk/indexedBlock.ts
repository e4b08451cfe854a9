/**
 * Waiting for the indexer behind the Loom API to reach a block (Ponder's `GET /status`, served beside
 * the GraphQL endpoint), so that what a transaction did is readable through the API next: `loom pool
 * create` then `loom pool show`, a demo seeded then shown. For a job, waiting on the job's own
 * `updatedBlock` is finer (cli/session.ts `waitIndexed`).
 *
 * @example
 * await waitForIndexedBlock('http://127.0.0.1:42069', receipt.blockNumber, { timeoutMs: 30_000 });
 */

/** The block the indexer behind `apiUrl` has indexed (the lowest over its chains); undefined when it does not answer. */
export async function indexedBlock(apiUrl: string, fetchFn: typeof fetch = fetch): Promise<bigint | undefined> {
  try {
    const status = (await (await fetchFn(`${apiUrl.replace(/\/+$/, '')}/status`)).json()) as Record<string, { block: { number: number } }>;
    const blocks = Object.values(status).map((c) => BigInt(c.block.number));
    return blocks.length ? blocks.reduce((a, b) => (b < a ? b : a)) : undefined;
  } catch {
    return undefined;
  }
}

/** True once the indexer has `block`; false when it has not within `timeoutMs` (it may be restarting or behind). */
export async function waitForIndexedBlock(apiUrl: string, block: bigint, o: { timeoutMs?: number; intervalMs?: number; fetch?: typeof fetch } = {}): Promise<boolean> {
  const deadline = Date.now() + (o.timeoutMs ?? 30_000);
  for (;;) {
    const at = await indexedBlock(apiUrl, o.fetch);
    if (at !== undefined && at >= block) return true;
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, o.intervalMs ?? 200));
  }
}
