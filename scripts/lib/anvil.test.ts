import { expect, test } from 'vitest';
import { startBareChain } from '../../testkit/chain';
import { INDEXER_FINALITY_BLOCKS, mineBeyondFinality } from './anvil';

test('behavior: a chain shorter than the finality depth is mined past it, once; a longer one is left alone', async () => {
  const anvil = await startBareChain();
  const head = async () => Number(await anvil.pub.getBlockNumber());
  expect(await head()).toBe(0);
  expect(await mineBeyondFinality(anvil.rpcUrl)).toBe(INDEXER_FINALITY_BLOCKS + 1);
  expect(await head()).toBe(INDEXER_FINALITY_BLOCKS + 1);
  expect(await mineBeyondFinality(anvil.rpcUrl)).toBe(0);
  expect(await head()).toBe(INDEXER_FINALITY_BLOCKS + 1);
});
