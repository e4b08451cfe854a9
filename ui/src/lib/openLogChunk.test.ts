import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { describe, expect, test } from 'vitest';
import { SEALING_KEY_MESSAGE, seal, sealingKeyFromSignature } from '$sdk/sealing';
import { openLogChunk } from './openLogChunk';

const jobId = `0x${'cd'.repeat(32)}` as const;
const keyOf = async (a: ReturnType<typeof privateKeyToAccount>) => sealingKeyFromSignature(await a.signMessage({ message: SEALING_KEY_MESSAGE }));

describe('openLogChunk', () => {
  test('behavior: a chunk the worker sealed to the client opens with the key the client wallet derives; any other key, job or purpose does not', async () => {
    const client = privateKeyToAccount(generatePrivateKey());
    const key = await keyOf(client);
    const context = { chainId: 31337, jobId, recipient: client.address };
    const data = seal({ plaintext: new TextEncoder().encode('rows: 2\n'), to: key.publicKey, purpose: 'log', context });
    expect(new TextDecoder().decode(data)).not.toContain('rows');
    expect(openLogChunk({ data, key, chainId: 31337, jobId, client: client.address })).toBe('rows: 2\n');

    expect(openLogChunk({ data, key: await keyOf(privateKeyToAccount(generatePrivateKey())), chainId: 31337, jobId, client: client.address })).toBeUndefined();
    expect(openLogChunk({ data, key, chainId: 31337, jobId: `0x${'ef'.repeat(32)}`, client: client.address })).toBeUndefined();
    const asResult = seal({ plaintext: new TextEncoder().encode('x'), to: key.publicKey, purpose: 'result', context });
    expect(openLogChunk({ data: asResult, key, chainId: 31337, jobId, client: client.address })).toBeUndefined();
    expect(openLogChunk({ data: new Uint8Array(3), key, chainId: 31337, jobId, client: client.address })).toBeUndefined();
  });
});
