import { describe, expect, it } from 'vitest';
import { CliError } from './cliError';
import { resolveClientConfig } from './config';

describe('resolveClientConfig', () => {
  it('default: local defaults, the artifact store on the API', () => {
    const c = resolveClientConfig({}, {});
    expect(c).toEqual({ apiUrl: 'http://127.0.0.1:42069', artifactUrl: 'http://127.0.0.1:42069', rpcUrl: 'http://127.0.0.1:8545', json: false });
  });

  it("behavior: the worker's environment names, flags over environment", () => {
    const env = {
      LOOM_API_URL: 'http://api.example:42069/',
      LOOM_RPC_URL: 'http://rpc.example',
      LOOM_MARKET_ADDRESS: '0x5fbdb2315678afecb367f032d93f642f64180aa3',
      LOOM_CHAIN_ID: '84532',
      LOOM_ARTIFACT_URL: 'http://store.example',
      LOOM_REPLICATED_MARKET_ADDRESS: '0xe7f1725e7734ce288f8367e1bb143e90bb3f0512',
    };
    const c = resolveClientConfig({ 'rpc-url': 'http://other.example', json: true }, env);
    expect(c.apiUrl).toBe('http://api.example:42069');
    expect(c.rpcUrl).toBe('http://other.example');
    expect(c.market).toBe('0x5FbDB2315678afecb367f032d93F642f64180aa3');
    expect(c.replicated).toBe('0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512');
    expect(c.chainId).toBe(84532);
    expect(c.artifactUrl).toBe('http://store.example');
    expect(c.json).toBe(true);
  });

  it('behavior: an empty variable counts as unset', () => {
    expect(resolveClientConfig({}, { LOOM_API_URL: '' }).apiUrl).toBe('http://127.0.0.1:42069');
  });

  it('error: bad addresses, URLs and chain ids are named', () => {
    expect(() => resolveClientConfig({ market: '0x123' }, {})).toThrowError('--market: "0x123" is not an address');
    expect(() => resolveClientConfig({}, { LOOM_REPLICATED_MARKET_ADDRESS: 'nope' })).toThrowError('--replicated-market: "nope" is not an address');
    expect(() => resolveClientConfig({ 'api-url': 'ftp://x' }, {})).toThrowError(CliError);
    expect(() => resolveClientConfig({}, { LOOM_CHAIN_ID: 'mainnet' })).toThrowError(/--chain-id/);
  });
});
