import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { privateKeyToAccount } from 'viem/accounts';
import { encryptKeystore } from '../sdk/node/keys';
import { loadClientKey } from './clientKey';

const KEY = '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d';
const ADDRESS = privateKeyToAccount(KEY).address;

describe('loadClientKey', () => {
  it('default: LOOM_CLIENT_KEY, removed from the environment once read', async () => {
    const env: NodeJS.ProcessEnv = { LOOM_CLIENT_KEY: KEY, LOOM_CLIENT_KEYSTORE_PASSWORD: 'x' };
    const key = await loadClientKey({ env });
    expect(key.account.address).toBe(ADDRESS);
    expect(key.source).toBe('env');
    expect(env).toEqual({});
  });

  it('behavior: a V3 keystore with its password from the environment', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'loom-key-'));
    const path = join(dir, 'client.json');
    writeFileSync(path, JSON.stringify(await encryptKeystore(KEY, 'secret', { n: 1024 })));
    const key = await loadClientKey({ keystore: path, env: { LOOM_CLIENT_KEYSTORE_PASSWORD: 'secret' } });
    expect(key.account.address).toBe(ADDRESS);
    expect(key.source).toBe('keystore');
    await expect(loadClientKey({ keystore: path, env: { LOOM_CLIENT_KEYSTORE_PASSWORD: 'wrong' } })).rejects.toThrowError(/wrong keystore password/);
  });

  it("error: no key, a malformed key (never echoed), and the worker's key is not the client's", async () => {
    await expect(loadClientKey({ env: { LOOM_WORKER_KEY: KEY } })).rejects.toThrowError(/no client key: set LOOM_CLIENT_KEY/);
    const err = await loadClientKey({ env: { LOOM_CLIENT_KEY: `${KEY.slice(0, 60)}zz` } }).catch((e: Error) => e);
    expect((err as Error).message).toMatch(/must be 32 bytes of hex/);
    expect((err as Error).message).not.toContain(KEY.slice(2, 20));
  });
});
