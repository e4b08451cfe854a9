/**
 * The gateway's configuration from the environment: defaults, and each bad value named without
 * echoing the key.
 */
import { describe, expect, test } from 'vitest';
import { parseEther } from 'viem';
import { GATEWAY_DEFAULT_PORT, readGatewayConfig } from './config';
import { rateLimiter } from './rateLimit';

const KEY = `0x${'ab'.repeat(32)}`;

describe('readGatewayConfig', () => {
  test('default: only the key is needed', () => {
    expect(readGatewayConfig({ LOOM_GATEWAY_KEY: KEY })).toEqual({
      key: KEY,
      rpcUrl: 'http://127.0.0.1:8545',
      port: GATEWAY_DEFAULT_PORT,
      host: '127.0.0.1',
      minBalance: parseEther('0.01'),
      ratePerIp: 1200,
      ratePerClient: 600,
    });
  });

  test('error: a missing or malformed key, never echoed', () => {
    expect(() => readGatewayConfig({})).toThrow(/LOOM_GATEWAY_KEY is not set/);
    const bad = `0x${'zz'.repeat(32)}`;
    expect(() => readGatewayConfig({ LOOM_GATEWAY_KEY: bad })).toThrow(/not a private key/);
    try {
      readGatewayConfig({ LOOM_GATEWAY_KEY: bad });
    } catch (err) {
      expect((err as Error).message).not.toContain(bad);
    }
  });

  test('error: bad numbers and addresses are named', () => {
    expect(() => readGatewayConfig({ LOOM_GATEWAY_KEY: KEY, GATEWAY_PORT: '70000' })).toThrow(/GATEWAY_PORT/);
    expect(() => readGatewayConfig({ LOOM_GATEWAY_KEY: KEY, GATEWAY_RATE_PER_IP: '0' })).toThrow(/GATEWAY_RATE_PER_IP must be a positive whole number/);
    expect(() => readGatewayConfig({ LOOM_GATEWAY_KEY: KEY, GATEWAY_MIN_BALANCE_ETH: 'lots' })).toThrow(/GATEWAY_MIN_BALANCE_ETH/);
    expect(() => readGatewayConfig({ LOOM_GATEWAY_KEY: KEY, LOOM_MARKET_ADDRESS: 'market' })).toThrow(/LOOM_MARKET_ADDRESS is not an address/);
  });
});

describe('rateLimiter', () => {
  test('behavior: a key gets its count per minute, then waits for its window to end', () => {
    const limit = rateLimiter(2);
    expect(limit.take('a', 0)).toEqual({ ok: true });
    expect(limit.take('a', 1_000)).toEqual({ ok: true });
    expect(limit.take('a', 20_000)).toEqual({ ok: false, retryAfterSeconds: 40 });
    expect(limit.take('b', 20_000)).toEqual({ ok: true });
    expect(limit.take('a', 60_000)).toEqual({ ok: true });
  });
});
