import { join, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { resolveConfig } from './config';
import { ETH } from './strategy';

describe('config', () => {
  test('default: defaults, then the environment, then flags', () => {
    const d = resolveConfig({}, {});
    expect(d).toMatchObject({ apiUrl: 'http://127.0.0.1:42069', artifactUrl: 'http://127.0.0.1:42069', rpcUrl: 'http://127.0.0.1:8545', metricsPort: 9464, autoWithdraw: true, unsafeNoSandbox: false });
    expect(d.strategy).toMatchObject({ allowedTokens: [ETH], maxConcurrentJobs: 1, reserveSeconds: 120, modes: { claim: true, auction: true, replicated: true } });
    expect(d.stake).toBe(10n ** 17n);

    const env = { LOOM_API_URL: 'http://api:1/', LOOM_MAX_CONCURRENT_JOBS: '3', LOOM_METRICS_PORT: 'off', LOOM_AUTO_WITHDRAW: 'false', LOOM_ALLOWED_TOKENS: 'any' };
    const e = resolveConfig({}, env);
    expect(e).toMatchObject({ apiUrl: 'http://api:1', artifactUrl: 'http://api:1', metricsPort: null, autoWithdraw: false });
    expect(e.strategy).toMatchObject({ maxConcurrentJobs: 3, allowedTokens: 'any' });

    const f = resolveConfig({ 'max-concurrent-jobs': '2', 'unsafe-no-sandbox': true, 'no-auto-withdraw': true, 'min-price': 'eth=5,0x00000000000000000000000000000000000000AA=7', modes: 'auction' }, { ...env, LOOM_AUTO_WITHDRAW: 'true' });
    expect(f).toMatchObject({ unsafeNoSandbox: true, autoWithdraw: false });
    expect(f.strategy).toMatchObject({ maxConcurrentJobs: 2, minPricePerGpuHour: { [ETH]: 5n, '0x00000000000000000000000000000000000000aa': 7n }, modes: { claim: false, auction: true, replicated: false } });
  });

  test('behavior: image options: host mode, registries, sizes and the cache under the data dir', () => {
    const d = resolveConfig({}, {});
    expect(d.hostMode).toBe(true);
    expect(d.strategy.hostMode).toBe(true);
    expect(d.images).toEqual({ allowedRegistries: ['docker.io', 'ghcr.io', 'nvcr.io'], maxImageBytes: 20 * 2 ** 30, cacheBytes: 50 * 2 ** 30, dir: join(resolve('.data/worker'), 'images') });

    const e = resolveConfig({ 'no-host-mode': true, 'data-dir': '/var/loom' }, { LOOM_ALLOWED_REGISTRIES: 'GHCR.io, registry-1.docker.io,ghcr.io', LOOM_MAX_IMAGE_GIB: '0.5', LOOM_IMAGE_CACHE_GIB: '8' });
    expect(e.hostMode).toBe(false);
    expect(e.strategy.hostMode).toBe(false);
    expect(e.images).toEqual({ allowedRegistries: ['ghcr.io', 'docker.io'], maxImageBytes: 2 ** 29, cacheBytes: 8 * 2 ** 30, dir: '/var/loom/images' });

    // A local registry (tests, private deployments) comes with --allow-private-inputs.
    for (const local of ['127.0.0.1:5000', 'localhost:5000', '[::1]:5000', '10.1.2.3', '192.168.1.20:443']) {
      expect(resolveConfig({ 'allowed-registries': local, 'allow-private-inputs': true }, {}).images.allowedRegistries).toEqual([local]);
    }
    expect(resolveConfig({ 'allowed-registries': 'none' }, {}).images.allowedRegistries).toEqual([]);
  });

  test('error: image options that cannot work are refused with the reason', () => {
    expect(() => resolveConfig({ 'allowed-registries': 'ghcr.io,127.0.0.1:5000' }, {})).toThrow(
      '--allowed-registries: 127.0.0.1:5000 is a loopback or private registry, taken only with --allow-private-inputs (tests, private deployments)',
    );
    expect(() => resolveConfig({}, { LOOM_ALLOWED_REGISTRIES: 'localhost:5000' })).toThrow(/only with --allow-private-inputs/);
    expect(() => resolveConfig({ 'allowed-registries': 'https://ghcr.io' }, {})).toThrow('--allowed-registries: "https://ghcr.io" is not a registry host[:port] (e.g. ghcr.io, 127.0.0.1:5000)');
    expect(() => resolveConfig({ 'allowed-registries': ',' }, {})).toThrow(/must list registries/);
    expect(() => resolveConfig({ 'max-image-gib': '0' }, {})).toThrow('--max-image-gib must be a positive number of GiB, not "0"');
    expect(() => resolveConfig({ 'image-cache-gib': 'lots' }, {})).toThrow(/--image-cache-gib must be a positive number of GiB/);
    expect(() => resolveConfig({ 'max-image-gib': '60' }, {})).toThrow('--max-image-gib must not exceed --image-cache-gib (an image must fit the cache)');
    expect(() => resolveConfig({ 'no-host-mode': true, 'allowed-registries': 'none' }, {})).toThrow(/leaves no job this worker could run/);
  });

  test('behavior: models: a size limit per job, a cache under the data dir; a pool to join', () => {
    const d = resolveConfig({}, {});
    expect(d.models).toEqual({ cacheBytes: 200 * 2 ** 30, dir: join(resolve('.data/worker'), 'models') });
    expect(d.strategy.maxModelBytes).toBe(100 * 2 ** 30);
    expect(d.pool).toBeUndefined();

    const e = resolveConfig({ 'data-dir': '/var/loom', pool: '7' }, { LOOM_MAX_MODEL_GIB: '2', LOOM_MODEL_CACHE_GIB: '4', LOOM_POOL: '3' });
    expect(e.models).toEqual({ cacheBytes: 4 * 2 ** 30, dir: '/var/loom/models' });
    expect(e.strategy.maxModelBytes).toBe(2 * 2 ** 30);
    expect(e.pool).toBe(7n);
    expect(resolveConfig({}, { LOOM_POOL: '3' }).pool).toBe(3n);

    expect(() => resolveConfig({ 'max-model-gib': '300' }, {})).toThrow("--max-model-gib must not exceed --model-cache-gib (a job's models must fit the cache)");
    for (const bad of ['0', '-1', 'one', '18446744073709551616']) expect(() => resolveConfig({ pool: bad }, {})).toThrow(`--pool must be a pool id (a positive integer), not "${bad}"`);
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
