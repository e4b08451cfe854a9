import { join } from 'node:path';
import { expect, test } from 'vitest';
import { startBareChain } from '../testkit/chain';
import { tempDir } from '../testkit/tempDir';
import { deploy } from './deploy.ts';

const dir = tempDir('deploy-test');
const file = '.cache/deployments/deploy-test.json';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('behavior: a persisted chain keeps its deployment across restarts; a fresh chain gets a new one', async () => {
  const stateFile = join(dir, 'anvil-state.json');
  let anvil = await startBareChain({ stateFile });
  const first = await deploy(anvil.rpcUrl, { quiet: true, file });
  expect(first.deployed).toBe(true);
  await anvil.stop();

  // anvil re-creates block 0 with the current time on reload: let the clock move past a second.
  await sleep(1_100);
  anvil = await startBareChain({ stateFile });
  const again = await deploy(anvil.rpcUrl, { quiet: true, file });
  expect(again.deployed).toBe(false);
  expect(again.LoomMarket.address).toBe(first.LoomMarket.address);
  expect(again.genesisHash).toBe(first.genesisHash);
  await anvil.stop();

  await sleep(1_100);
  anvil = await startBareChain();
  const fresh = await deploy(anvil.rpcUrl, { quiet: true, file });
  expect(fresh.deployed).toBe(true);
  expect(fresh.genesisHash).not.toBe(first.genesisHash);
});
