/**
 * The baseline of bench/indexer.ts: every event of the four contracts Loom's indexer indexes,
 * registered with a handler that writes nothing. Ponder still fetches, stores, reads back and decodes
 * every log and calls every handler, so a replay of this root is what Ponder itself costs; Loom's
 * indexer is measured against it.
 */
import { ponder } from 'ponder:registry';
import { loomMarketAbi, loomModelsAbi, loomRegistryAbi, loomReplicatedMarketAbi } from '../../../abis/generated';

const noop = async () => {};
const contracts = { LoomRegistry: loomRegistryAbi, LoomMarket: loomMarketAbi, LoomReplicatedMarket: loomReplicatedMarketAbi, LoomModels: loomModelsAbi };
for (const [contract, abi] of Object.entries(contracts)) {
  for (const item of abi) {
    // The names come from the ABIs Ponder was configured with, so each one is a registered event.
    if (item.type === 'event') ponder.on(`${contract}:${item.name}` as Parameters<typeof ponder.on>[0], noop);
  }
}
