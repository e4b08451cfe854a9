import { type Account, type Hex, keccak256, stringToHex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { describe, expect, test } from 'vitest';
import { revealSalt } from '../../sdk/node/revealSalt';
import { REVEAL_SECRET_MESSAGE, revealSecret } from './revealSecret';

const KEY = `0x${'4c'.repeat(32)}` as Hex;

describe('revealSecret', () => {
  test('default: the same key gives the same secret in another process (a new account from the key), so salts survive a restart', async () => {
    const before = await revealSecret(privateKeyToAccount(KEY));
    const after = await revealSecret(privateKeyToAccount(KEY));
    expect(after).toBe(before);
    expect(before).toMatch(/^0x[0-9a-f]{64}$/);
    const job = keccak256(stringToHex('job'));
    expect(revealSalt(after, job)).toBe(revealSalt(before, job));
  });

  test('behavior: another key gives another secret; the secret is not the key, nor a plain hash of it', async () => {
    const secret = await revealSecret(privateKeyToAccount(KEY));
    expect(await revealSecret(privateKeyToAccount(`0x${'4d'.repeat(32)}`))).not.toBe(secret);
    expect(secret).not.toContain(KEY.slice(2));
    expect(secret).not.toBe(keccak256(KEY));
    // It is the hash of the account's signature of the domain-tagged message, which is never sent anywhere.
    expect(secret).toBe(keccak256(await privateKeyToAccount(KEY).signMessage({ message: REVEAL_SECRET_MESSAGE })));
  });

  test('error: an account that signs with fresh randomness, or cannot sign messages, is refused', async () => {
    const account = privateKeyToAccount(KEY);
    let n = 0;
    const random = { ...account, signMessage: async () => `0x${(n++).toString(16).padStart(130, '0')}` as Hex } as Account;
    await expect(revealSecret(random)).rejects.toMatchObject({ code: 'KEY_UNAVAILABLE', shortMessage: expect.stringMatching(/non-deterministically/) });
    await expect(revealSecret({ address: account.address, type: 'json-rpc' } as Account)).rejects.toMatchObject({ code: 'KEY_UNAVAILABLE' });
  });
});
