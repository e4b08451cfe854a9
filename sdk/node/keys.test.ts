import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { afterAll, describe, expect, test } from 'vitest';
import { decryptKeystore, encryptKeystore, loadWorkerKey } from './keys';

const dir = mkdtempSync(join(tmpdir(), 'loom-keys-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Cheap scrypt so the suite stays fast; the format is the same at any cost. */
const cheap = { n: 1024, r: 8, p: 1 };

describe('decryptKeystore', () => {
  test('default: decrypts a keystore made with a known password', async () => {
    const key = generatePrivateKey();
    const ks = await encryptKeystore(key, 'correct horse', cheap);
    expect(ks.address).toBe(privateKeyToAccount(key).address.slice(2).toLowerCase());
    expect(await decryptKeystore(JSON.parse(JSON.stringify(ks)), 'correct horse')).toBe(key);
  });

  test('behavior: reads the Web3 Secret Storage pbkdf2 test vector', async () => {
    // From the Web3 Secret Storage Definition (ethereum.org): proves the MAC and cipher match other wallets.
    const vector = {
      crypto: {
        cipher: 'aes-128-ctr',
        cipherparams: { iv: '6087dab2f9fdbbfaddc31a909735c1e6' },
        ciphertext: '5318b4d5bcd28de64ee5559e671353e16f075ecae9f99c7a79a38af5f869aa46',
        kdf: 'pbkdf2',
        kdfparams: { c: 262144, dklen: 32, prf: 'hmac-sha256', salt: 'ae3cd4e7013836a3df6bd7241b12db061dbe2c6785853cce422d148a624ce0bd' },
        mac: '517ead924a9d0dc3124507e3393d175ce3ff7c1e96529c6c555ce9e51205e9b2',
      },
      id: '3198bc9c-6672-5ab3-d995-4942343ae5b6',
      version: 3,
    };
    expect(await decryptKeystore(vector, 'testpassword')).toBe('0x7a28b5ba57c53603b0b07b56bba752f7784bf506fa95edc395f5cf6c7514fe9d');
  });

  test('error: wrong password, tampered or unsupported keystores', async () => {
    const ks = await encryptKeystore(generatePrivateKey(), 'right', cheap);
    await expect(decryptKeystore(ks, 'wrong')).rejects.toThrow('KEY_UNAVAILABLE: wrong keystore password (the MAC does not match)');
    const flipped = ks.crypto.ciphertext.replace(/^./, (c) => (c === '0' ? '1' : '0'));
    await expect(decryptKeystore({ ...ks, crypto: { ...ks.crypto, ciphertext: flipped } }, 'right')).rejects.toThrow('the MAC does not match');
    await expect(decryptKeystore({ ...ks, version: 1 }, 'right')).rejects.toThrow('not a version 3 keystore');
    await expect(decryptKeystore({ ...ks, crypto: { ...ks.crypto, kdfparams: { ...ks.crypto.kdfparams, n: 2 ** 30 } } }, 'right')).rejects.toThrow('unsupported keystore scrypt parameters');
    await expect(decryptKeystore({ ...ks, crypto: { ...ks.crypto, cipher: 'aes-128-cbc' } }, 'right')).rejects.toThrow('unsupported keystore cipher aes-128-cbc');
  });
});

describe('loadWorkerKey', () => {
  test('default: from a keystore file, and the password variable is removed once read', async () => {
    const key = generatePrivateKey();
    const path = join(dir, 'worker.json');
    writeFileSync(path, JSON.stringify(await encryptKeystore(key, 'pw', cheap)));
    const env: NodeJS.ProcessEnv = { LOOM_KEYSTORE: path, LOOM_KEYSTORE_PASSWORD: 'pw' };
    const loaded = await loadWorkerKey({ env });
    expect(loaded.address).toBe(privateKeyToAccount(key).address);
    expect(loaded.source).toBe('keystore');
    expect(env).toEqual({ LOOM_KEYSTORE: path });
  });

  test('behavior: LOOM_WORKER_KEY wins, and the prompt is used when no password is set', async () => {
    const key = generatePrivateKey();
    const env: NodeJS.ProcessEnv = { LOOM_WORKER_KEY: key };
    expect((await loadWorkerKey({ env })).address).toBe(privateKeyToAccount(key).address);
    expect(env.LOOM_WORKER_KEY).toBeUndefined();

    const path = join(dir, 'prompted.json');
    writeFileSync(path, JSON.stringify(await encryptKeystore(key, 'typed', cheap)));
    const asked: string[] = [];
    const k = await loadWorkerKey({ env: {}, keystorePath: path, prompt: async (q) => (asked.push(q), 'typed') });
    expect(k.address).toBe(privateKeyToAccount(key).address);
    expect(asked).toEqual([`Password for ${path}: `]);
  });

  test('error: clear messages that never echo the key', async () => {
    await expect(loadWorkerKey({ env: {} })).rejects.toThrow('no worker key: set LOOM_KEYSTORE to a V3 keystore file (or LOOM_WORKER_KEY)');
    const bad = `0x${'ab'.repeat(31)}`;
    const err = await loadWorkerKey({ env: { LOOM_WORKER_KEY: bad } }).catch((e: Error) => e);
    expect(String(err)).toBe('LoomError: KEY_UNAVAILABLE: LOOM_WORKER_KEY must be 32 bytes of hex (0x + 64 hex digits)');
    const path = join(dir, 'wrong.json');
    writeFileSync(path, JSON.stringify(await encryptKeystore(generatePrivateKey(), 'pw', cheap)));
    await expect(loadWorkerKey({ env: { LOOM_KEYSTORE: path, LOOM_KEYSTORE_PASSWORD: 'nope' } })).rejects.toThrow('wrong keystore password');
    await expect(loadWorkerKey({ env: { LOOM_KEYSTORE: join(dir, 'missing.json'), LOOM_KEYSTORE_PASSWORD: 'x' } })).rejects.toThrow(/cannot read the keystore .*missing\.json/);
  });
});
