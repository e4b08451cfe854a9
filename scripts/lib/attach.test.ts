import { spawnSync } from 'node:child_process';
import { beforeAll, expect, test } from 'vitest';
import { freePort } from '../../indexer/run/freePort.ts';
import { type Chain, deployChain, startBareChain } from '../../testkit/chain';
import { root } from '../../testkit/root';
import { checkAttachTarget } from './attach.ts';

let chain: Chain;
let anvil: Chain['anvil'];
let d: Chain['deployment'];
const rpc = (method: string, params: unknown[] = []) => chain.rpc(method, params);

beforeAll(async () => {
  const bare = await startBareChain();
  // Blocks before the deployment, so that "where the code appeared" is not simply block 1.
  for (let i = 0; i < 5; i++) await bare.rpc('evm_mine');
  chain = await deployChain(bare, { name: 'attach-test' });
  ({ anvil, deployment: d } = chain);
});

test('default: the registry the market names, and the block it (deployed first) was deployed in', async () => {
  const t = await checkAttachTarget({ rpcUrl: anvil.rpcUrl, chainId: '31337', market: d.LoomMarket.address.toLowerCase(), replicated: d.LoomReplicatedMarket.address });
  expect(t.market).toBe(d.LoomMarket.address);
  expect(t.registry).toBe(d.LoomRegistry.address);
  expect(t.startBlockFound).toBe(true);
  expect(await rpc('eth_getCode', [d.LoomRegistry.address, `0x${t.startBlock.toString(16)}`])).not.toBe('0x');
  expect(await rpc('eth_getCode', [d.LoomRegistry.address, `0x${(t.startBlock - 1).toString(16)}`])).toBe('0x');
  // Nothing of the set is older than its registry: indexing from there misses no event.
  expect(await rpc('eth_getCode', [d.LoomMarket.address, `0x${(t.startBlock - 1).toString(16)}`])).toBe('0x');
  expect(t.startBlock).toBeGreaterThan(5);
});

test('behavior: a given start block is kept', async () => {
  const t = await checkAttachTarget({ rpcUrl: anvil.rpcUrl, chainId: '31337', market: d.LoomMarket.address, replicated: d.LoomReplicatedMarket.address, startBlock: '3' });
  expect(t).toMatchObject({ startBlock: 3, startBlockFound: false });
});

test('error: each wrong setting is named', async () => {
  const ok = { rpcUrl: anvil.rpcUrl, chainId: '31337', market: d.LoomMarket.address, replicated: d.LoomReplicatedMarket.address };
  await expect(checkAttachTarget({ ...ok, chainId: undefined })).rejects.toThrow(/LOOM_CHAIN_ID.*required/);
  await expect(checkAttachTarget({ ...ok, market: undefined })).rejects.toThrow(/LOOM_MARKET_ADDRESS.*required/);
  await expect(checkAttachTarget({ ...ok, market: '0x1234' })).rejects.toThrow(/not an address/);
  await expect(checkAttachTarget({ ...ok, replicated: undefined })).rejects.toThrow(/LOOM_REPLICATED_MARKET_ADDRESS.*required/);
  await expect(checkAttachTarget({ ...ok, replicated: d.LoomMarket.address })).rejects.toThrow(/does not answer as a LoomReplicatedMarket/);
  await expect(checkAttachTarget({ ...ok, startBlock: '-1' })).rejects.toThrow(/LOOM_START_BLOCK/);
  await expect(checkAttachTarget({ ...ok, chainId: '8453' })).rejects.toThrow(/is chain 31337, not 8453/);
  await expect(checkAttachTarget({ ...ok, market: '0x000000000000000000000000000000000000dEaD' })).rejects.toThrow(/no contract at/);
  await expect(checkAttachTarget({ ...ok, market: d.TestUSDC.address })).rejects.toThrow(/does not answer as a LoomMarket/);
  await expect(checkAttachTarget({ ...ok, rpcUrl: 'http://127.0.0.1:9' })).rejects.toThrow(/no JSON-RPC answer/);
});

test('error: npm start attached to the wrong chain exits 1 with the reason, starting nothing', async () => {
  const ports = { API_PORT: String(await freePort()), UI_PORT: String(await freePort()) };
  const run = spawnSync(process.execPath, [
    '--import',
    'tsx',
    'scripts/start.ts',
    '--rpc-url',
    anvil.rpcUrl,
    '--chain-id',
    '1',
    '--market',
    d.LoomMarket.address,
    '--replicated-market',
    d.LoomReplicatedMarket.address,
  ], {
    cwd: root,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, ...ports },
  });
  expect(run.status).toBe(1);
  expect(run.stderr).toContain(`${anvil.rpcUrl} is chain 31337, not 1 (LOOM_CHAIN_ID)`);
  expect(run.stdout).not.toContain('Loom is up');
});
