import { describe, expect, test } from 'vitest';
import { resolveConfig } from './config';
import { ETH } from './strategy';

describe('config', () => {
  test('default: defaults, then the environment, then flags', () => {
    const d = resolveConfig({}, {});
    expect(d).toMatchObject({ apiUrl: 'http://127.0.0.1:42069', artifactUrl: 'http://127.0.0.1:42069', rpcUrl: 'http://127.0.0.1:8545', metricsPort: 9464, autoWithdraw: true, unsafeNoSandbox: false });
    expect(d.strategy).toMatchObject({ allowedTokens: [ETH], maxConcurrentJobs: 1, reserveSeconds: 120, modes: { claim: true, auction: true } });
    expect(d.stake).toBe(10n ** 17n);

    const env = { LOOM_API_URL: 'http://api:1/', LOOM_MAX_CONCURRENT_JOBS: '3', LOOM_METRICS_PORT: 'off', LOOM_AUTO_WITHDRAW: 'false', LOOM_ALLOWED_TOKENS: 'any' };
    const e = resolveConfig({}, env);
    expect(e).toMatchObject({ apiUrl: 'http://api:1', artifactUrl: 'http://api:1', metricsPort: null, autoWithdraw: false });
    expect(e.strategy).toMatchObject({ maxConcurrentJobs: 3, allowedTokens: 'any' });

    const f = resolveConfig({ 'max-concurrent-jobs': '2', 'unsafe-no-sandbox': true, 'no-auto-withdraw': true, 'min-price': 'eth=5,0x00000000000000000000000000000000000000AA=7', modes: 'auction' }, { ...env, LOOM_AUTO_WITHDRAW: 'true' });
    expect(f).toMatchObject({ unsafeNoSandbox: true, autoWithdraw: false });
    expect(f.strategy).toMatchObject({ maxConcurrentJobs: 2, minPricePerGpuHour: { [ETH]: 5n, '0x00000000000000000000000000000000000000aa': 7n }, modes: { claim: false, auction: true } });
  });

  test('error: invalid values are refused with the option named', () => {
    expect(() => resolveConfig({ 'max-concurrent-jobs': '0' }, {})).toThrow(/--max-concurrent-jobs must be an integer >= 1/);
    expect(() => resolveConfig({}, { LOOM_WORKER_STAKE: 'lots' })).toThrow(/--stake must be an amount of ETH/);
    expect(() => resolveConfig({ 'min-price': 'eth' }, {})).toThrow(/--min-price: "eth" is not token=amount/);
    expect(() => resolveConfig({ modes: 'lottery' }, {})).toThrow(/--modes/);
    expect(() => resolveConfig({ market: '0x123' }, {})).toThrow(/--market/);
    expect(() => resolveConfig({ 'submit-reserve-seconds': '200' }, {})).toThrow(/must not exceed --reserve-seconds/);
  });
});
