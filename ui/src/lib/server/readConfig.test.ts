import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { readConfig } from './readConfig';

const MARKET = '0x5FbDB2315678afecb367f032d93F642f64180aa3';
const USDC = '0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512';
const REGISTRY = '0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0';
const REPLICATED = '0xCf7Ed3AccA5a467e9e704C703E8D87F634fB0Fc9';
const MODELS = '0xDc64a140Aa3E981100a9becA4E685f962f0cF6C9';

function repoWithDeployment(record: object, chainId = 31337): string {
  const root = mkdtempSync(join(tmpdir(), 'loom-ui-config-'));
  mkdirSync(join(root, 'deployments'));
  writeFileSync(join(root, 'deployments', `${chainId}.json`), JSON.stringify(record));
  return root;
}

describe('readConfig', () => {
  test('default: local defaults, addresses from deployments/<chainId>.json (found from ui/ too)', () => {
    const root = repoWithDeployment({
      chainId: 31337,
      LoomRegistry: { address: REGISTRY },
      LoomMarket: { address: MARKET.toLowerCase() },
      LoomReplicatedMarket: { address: REPLICATED },
      LoomModels: { address: MODELS },
      TestUSDC: { address: USDC },
    });
    const expected = {
      apiUrl: 'http://127.0.0.1:42069',
      graphqlUrl: 'http://127.0.0.1:42069/graphql',
      artifactUrl: 'http://127.0.0.1:42069',
      rpcUrl: 'http://127.0.0.1:8545',
      chainId: 31337,
      chainName: 'Local chain (anvil)',
      market: MARKET,
      registry: REGISTRY,
      replicated: REPLICATED,
      models: MODELS,
      usdc: USDC,
      localChain: true,
      explorerUrl: undefined,
    };
    expect(readConfig({}, root)).toEqual(expected);
    mkdirSync(join(root, 'ui'));
    expect(readConfig({}, join(root, 'ui'))).toEqual(expected);
  });

  test('behavior: PUBLIC_* variables win, and no deployment file is needed then', () => {
    const c = readConfig(
      {
        PUBLIC_API_URL: 'https://api.loom.example/',
        PUBLIC_RPC_URL: 'https://sepolia.base.org',
        PUBLIC_CHAIN_ID: '84532',
        PUBLIC_MARKET_ADDRESS: MARKET,
        PUBLIC_REGISTRY_ADDRESS: REGISTRY,
        PUBLIC_REPLICATED_MARKET_ADDRESS: '',
        PUBLIC_USDC_ADDRESS: USDC,
        PUBLIC_EXPLORER_URL: 'https://sepolia.basescan.org/',
      },
      mkdtempSync(join(tmpdir(), 'loom-ui-empty-')),
    );
    expect(c).toMatchObject({
      apiUrl: 'https://api.loom.example',
      graphqlUrl: 'https://api.loom.example/graphql',
      chainId: 84532,
      chainName: 'Base Sepolia',
      localChain: false,
      explorerUrl: 'https://sepolia.basescan.org',
      registry: REGISTRY,
      replicated: undefined,
      models: undefined,
    });
  });

  test('behavior: LOOM_DEPLOYMENT_FILE names the record', () => {
    const root = repoWithDeployment({ chainId: 31337, LoomRegistry: { address: REGISTRY }, LoomMarket: { address: MARKET } });
    writeFileSync(join(root, 'other.json'), JSON.stringify({ chainId: 31337, LoomRegistry: { address: REGISTRY }, LoomMarket: { address: USDC } }));
    expect(readConfig({ LOOM_DEPLOYMENT_FILE: 'other.json' }, root).market).toBe(USDC);
  });

  test('error: nothing to find the market with, a record of another chain, a bad address', () => {
    const empty = mkdtempSync(join(tmpdir(), 'loom-ui-empty-'));
    expect(() => readConfig({}, empty)).toThrow(/no LoomMarket address: set PUBLIC_MARKET_ADDRESS/);
    const other = repoWithDeployment({ chainId: 1, LoomMarket: { address: MARKET } });
    expect(() => readConfig({}, other)).toThrow(/is for chain 1, not 31337/);
    expect(() => readConfig({ PUBLIC_MARKET_ADDRESS: '0x123', PUBLIC_USDC_ADDRESS: '' }, empty)).toThrow(/not an address/);
    expect(() => readConfig({ PUBLIC_MARKET_ADDRESS: MARKET, PUBLIC_USDC_ADDRESS: '' }, empty)).toThrow(/no LoomRegistry address: set PUBLIC_REGISTRY_ADDRESS/);
    expect(() => readConfig({ PUBLIC_CHAIN_ID: 'base' }, empty)).toThrow(/not a chain id/);
    expect(() => readConfig({ LOOM_DEPLOYMENT_FILE: 'missing.json' }, empty)).toThrow(/LOOM_DEPLOYMENT_FILE not found/);
  });
});
