import { createHash } from 'node:crypto';
import { createWalletClient, http, verifyTypedData } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { describe, expect, test } from 'vitest';
import { artifactUploadTypedData } from '$sdk/artifactUpload';
import { SEALING_KEY_MESSAGE, sealResult, sealingKeyFromSignature } from '$sdk/sealing';
import { downloadAndVerify, downloadOpenAndVerify, downloadUrlOf, formatBytes, sha256Hex, uploadInput } from './artifacts';

const bytes = new TextEncoder().encode('hello from Loom\n');
const hash = `0x${createHash('sha256').update(bytes).digest('hex')}`;

describe('results', () => {
  test('behavior: a private result opens with the wallet that derives the client key, and is checked as plaintext', async () => {
    const client = privateKeyToAccount(generatePrivateKey());
    const jobId = `0x${'ab'.repeat(32)}` as const;
    const { publicKey } = sealingKeyFromSignature(await client.signMessage({ message: SEALING_KEY_MESSAGE }));
    const sealed = sealResult({ bundle: bytes, to: publicKey, context: { chainId: 31337, jobId, recipient: client.address } });
    const fetchSealed = (async () => new Response(sealed as BufferSource)) as typeof fetch;
    const signerOf = (a: typeof client) => ({ client: client.address, sealingKey: async () => sealingKeyFromSignature(await a.signMessage({ message: SEALING_KEY_MESSAGE })) });
    const ok = await downloadOpenAndVerify({ url: 'http://x', expected: hash, jobId, chainId: 31337, ...signerOf(client), fetchImpl: fetchSealed });
    expect(ok).toMatchObject({ ok: true, actual: hash, size: bytes.length });
    await expect(downloadOpenAndVerify({ url: 'http://x', expected: hash, jobId, chainId: 31337, ...signerOf(privateKeyToAccount(generatePrivateKey())), fetchImpl: fetchSealed })).rejects.toThrow(/does not open/);
  });

  test('default: artifact:// URIs download from the artifact store; http(s) as they are', () => {
    expect(downloadUrlOf(`artifact://${'AB'.repeat(32)}`, 'http://127.0.0.1:42069/')).toBe(`http://127.0.0.1:42069/artifacts/0x${'ab'.repeat(32)}`);
    expect(downloadUrlOf('https://results.example/r.tar', 'http://x')).toBe('https://results.example/r.tar');
    expect(downloadUrlOf('ipfs://bafy', 'http://x')).toBeUndefined();
    expect(downloadUrlOf('artifact://short', 'http://x')).toBeUndefined();
  });

  test('default: sha256 in the browser’s form (crypto.subtle)', async () => {
    expect(await sha256Hex(bytes)).toBe(hash);
  });

  test('behavior: a download that hashes to the on-chain hash is verified; another is not', async () => {
    const fetchOk = (async () => new Response(bytes)) as typeof fetch;
    const ok = await downloadAndVerify('http://x', hash.toUpperCase().replace('0X', '0x'), fetchOk);
    expect(ok).toMatchObject({ ok: true, actual: hash, size: bytes.length });
    const bad = await downloadAndVerify('http://x', `0x${'00'.repeat(32)}`, fetchOk);
    expect(bad.ok).toBe(false);
  });

  test('error: a failed download says how', async () => {
    const missing = (async () => new Response('nope', { status: 404, statusText: 'Not Found' })) as typeof fetch;
    await expect(downloadAndVerify('http://x', hash, missing)).rejects.toThrow('the artifact store answered 404 Not Found');
  });

  test('default: sizes', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(5 * 1024 ** 3)).toBe('5 GiB');
  });
});

describe('inputs', () => {
  const market = '0x5FbDB2315678afecb367f032d93F642f64180aa3';
  const config = { artifactUrl: 'http://store.example/', chainId: 31337, market } as const;
  // A local account signs in the client itself: nothing reaches the transport.
  const wallet = createWalletClient({ account: privateKeyToAccount(generatePrivateKey()), transport: http('http://127.0.0.1:9') });

  test('default: a file is PUT under its sha256 with the wallet’s typed-data signature for this market', async () => {
    const sent: { url: string; init: RequestInit }[] = [];
    const fetchImpl = (async (url: string, init: RequestInit) => {
      sent.push({ url, init });
      return Response.json({ hash, size: bytes.length, uri: `artifact://${hash.slice(2)}`, created: true }, { status: 201 });
    }) as unknown as typeof fetch;
    const result = await uploadInput({ file: new Blob([bytes]), sha256: hash, wallet, config, fetchImpl });
    expect(result).toEqual({ hash, uri: `artifact://${hash.slice(2)}`, created: true });
    expect(sent).toHaveLength(1);
    expect(sent[0]!.url).toBe(`http://store.example/artifacts/${hash}`);
    expect(sent[0]!.init.method).toBe('PUT');
    const h = sent[0]!.init.headers as Record<string, string>;
    expect(h).toMatchObject({ 'x-loom-upload-signer': wallet.account.address, 'x-loom-upload-purpose': 'input', 'x-loom-upload-size': String(bytes.length) });
    const message = { sha256: hash as `0x${string}`, size: BigInt(bytes.length), purpose: 'input' as const, issuedAt: BigInt(h['x-loom-upload-issued-at']!) };
    const typed = artifactUploadTypedData({ chainId: 31337, market, message });
    expect(await verifyTypedData({ ...typed, address: wallet.account.address, signature: h['x-loom-upload-signature'] as `0x${string}` })).toBe(true);
  });

  test('error: a refusal says what the store said', async () => {
    const refuse = (async () => Response.json({ error: { code: 'QUOTA_EXCEEDED', message: 'used its upload quota' } }, { status: 429, headers: { 'retry-after': '30' } })) as unknown as typeof fetch;
    await expect(uploadInput({ file: new Blob([bytes]), sha256: hash, wallet, config, fetchImpl: refuse })).rejects.toThrow(
      'the artifact store refused the upload: 429 QUOTA_EXCEEDED: used its upload quota',
    );
  });
});
