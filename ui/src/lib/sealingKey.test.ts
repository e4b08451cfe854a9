import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { describe, expect, test } from 'vitest';
import { SEALING_KEY_MESSAGE, sealingKeyFromSignature } from '$sdk/sealing';
import { SealingKeys } from './sealingKey.svelte';

function counted(account = privateKeyToAccount(generatePrivateKey())) {
  const asked: string[] = [];
  return { account, asked, signer: { address: account.address, signMessage: (message: string) => (asked.push(message), account.signMessage({ message })) } };
}

describe('SealingKeys', () => {
  test('behavior: the key is the SDK derivation of the wallet signature, asked once per session (concurrent callers share one prompt), per address', async () => {
    const keys = new SealingKeys();
    const a = counted();
    expect(keys.held(a.account.address)).toBeUndefined();
    const [k1, k2] = await Promise.all([keys.get(a.signer), keys.get(a.signer)]);
    const k3 = await keys.get(a.signer);
    expect(a.asked).toEqual([SEALING_KEY_MESSAGE]);
    expect(k1.publicKey).toBe(sealingKeyFromSignature(await a.account.signMessage({ message: SEALING_KEY_MESSAGE })).publicKey);
    expect(k2).toBe(k1);
    expect(k3).toBe(k1);
    expect(keys.held(a.account.address.toLowerCase())).toBe(k1);

    const b = counted();
    expect((await keys.get(b.signer)).publicKey).not.toBe(k1.publicKey);
    keys.forget();
    expect(keys.held(a.account.address)).toBeUndefined();
  });

  test('error: a declined signature is not kept; the next call asks again', async () => {
    const keys = new SealingKeys();
    const a = counted();
    let decline = true;
    const signer = { address: a.account.address, signMessage: (m: string) => (decline ? Promise.reject(new Error('User rejected the request.')) : a.signer.signMessage(m)) };
    await expect(keys.get(signer)).rejects.toThrow(/rejected/);
    expect(keys.held(a.account.address)).toBeUndefined();
    decline = false;
    await expect(keys.get(signer)).resolves.toMatchObject({ publicKey: expect.stringMatching(/^0x[0-9a-f]{64}$/) });
  });
});
