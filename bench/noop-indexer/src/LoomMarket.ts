/**
 * The baseline of bench/indexer.ts: every LoomMarket event registered with a handler that writes
 * nothing. Ponder still fetches, stores, reads back and decodes every log and calls every handler,
 * so a replay of this root is what Ponder itself costs; Loom's indexer is measured against it.
 */
import { ponder } from 'ponder:registry';
import { loomMarketAbi } from '../../../abis/generated';

const noop = async () => {};
for (const item of loomMarketAbi) {
  // The names come from the ABI Ponder was configured with, so each one is a registered event.
  if (item.type === 'event') ponder.on(`LoomMarket:${item.name}` as Parameters<typeof ponder.on>[0], noop);
}
