import { afterAll, expect, test } from 'vitest';
import { INDEXER_FINALITY_BLOCKS, mineBeyondFinality, startAnvil, type Anvil } from './anvil';
import { rpc } from './rpc';

let anvil: Anvil | undefined;
afterAll(async () => {
  await anvil?.stop();
});

const head = async (rpcUrl: string) => Number(await rpc<string>(rpcUrl, 'eth_blockNumber'));

test('behavior: a chain shorter than the finality depth is mined past it, once; a longer one is left alone', async () => {
  anvil = await startAnvil();
  expect(await head(anvil.rpcUrl)).toBe(0);
  expect(await mineBeyondFinality(anvil.rpcUrl)).toBe(INDEXER_FINALITY_BLOCKS + 1);
  expect(await head(anvil.rpcUrl)).toBe(INDEXER_FINALITY_BLOCKS + 1);
  expect(await mineBeyondFinality(anvil.rpcUrl)).toBe(0);
  expect(await head(anvil.rpcUrl)).toBe(INDEXER_FINALITY_BLOCKS + 1);
});
