import { createHash } from 'node:crypto';
import { privateKeyToAccount, generatePrivateKey } from 'viem/accounts';
import { createWalletClient, hexToBytes, http, verifyTypedData } from 'viem';
import { expect, test } from 'vitest';
import { artifactUploadTypedData } from '$sdk/artifactUpload';
import type { LoomReader } from '$sdk/reads';
import { MAX_INLINE_SEALED_BYTES, SEALING_KEY_MESSAGE, openSecrets, sealingKeyFromSignature } from '$sdk/sealing';
import { walletUploadSigner } from './artifacts';
import { readSecretsForm, sealForJob } from './sealForJob';

const JOB = `0x${'ab'.repeat(32)}` as const;
const MARKET = '0x5FbDB2315678afecb367f032d93F642f64180aa3';
/** For bundles that fit inline: the store is never asked, nor the wallet to sign. */
const noStore = {
  artifactUrl: 'http://store.example',
  market: MARKET,
  signer: { address: MARKET, signTypedData: () => Promise.reject(new Error('not asked')) },
  fetch: (() => Promise.reject(new Error('not asked'))) as typeof fetch,
} as const;

test('default: the form seals one bundle per worker, which only that worker opens', async () => {
  const worker = privateKeyToAccount(generatePrivateKey());
  const client = privateKeyToAccount(generatePrivateKey());
  const wk = sealingKeyFromSignature(await worker.signMessage({ message: SEALING_KEY_MESSAGE }));
  const reader = {
    query: async () => ({ job: { kind: 'SINGLE', worker: worker.address, assignee: { address: worker.address, encryptionKey: wk.publicKey }, slots: [], sealedBundles: [] } }),
  } as unknown as LoomReader;
  const secrets = readSecretsForm({ env: 'HF_TOKEN=hf_x=y\n', inputs: `data.csv https://d.example/d.csv ${'aa'.repeat(32)}`, header: 'Authorization: Bearer t' });
  const [b, ...rest] = await sealForJob({ reader, jobId: JOB, chainId: 31337, secrets, privateResult: true, sealingKey: async () => sealingKeyFromSignature(await client.signMessage({ message: SEALING_KEY_MESSAGE })), store: noStore });
  expect(rest).toEqual([]);
  expect(b!.delivery.uri).toBe('');
  expect(b!.worker).toBe(worker.address);
  const opened = openSecrets({ envelope: hexToBytes(b!.delivery.inlineBundle), secretKey: wk.secretKey, context: { chainId: 31337, jobId: JOB, recipient: worker.address } });
  expect(opened.env).toEqual({ HF_TOKEN: 'hf_x=y' });
  expect(opened.privateInputs).toEqual([{ name: 'data.csv', url: 'https://d.example/d.csv', sha256: 'aa'.repeat(32), headers: { Authorization: 'Bearer t' } }]);
  expect(opened.resultKey).toBe(sealingKeyFromSignature(await client.signMessage({ message: SEALING_KEY_MESSAGE })).publicKey);
});

test('behavior: a bundle over the inline cap is stored in the artifact store, signed by the wallet, and sent by its artifact:// URI', async () => {
  const worker = privateKeyToAccount(generatePrivateKey());
  const wk = sealingKeyFromSignature(await worker.signMessage({ message: SEALING_KEY_MESSAGE }));
  const reader = { query: async () => ({ job: { kind: 'SINGLE', worker: worker.address, assignee: { encryptionKey: wk.publicKey }, slots: [], sealedBundles: [] } }) } as unknown as LoomReader;
  // A local account signs in the client itself: nothing reaches the transport.
  const wallet = createWalletClient({ account: privateKeyToAccount(generatePrivateKey()), transport: http('http://127.0.0.1:9') });
  const puts: { url: string; headers: Record<string, string>; body: Uint8Array }[] = [];
  // The artifact store's answer to a signed PUT (api/artifacts/artifactRoutes.ts).
  const store = (async (url: string, init: RequestInit) => {
    const body = new Uint8Array(init.body as Uint8Array);
    puts.push({ url, headers: init.headers as Record<string, string>, body });
    const hex = createHash('sha256').update(body).digest('hex');
    return Response.json({ hash: `0x${hex}`, size: body.length, uri: `artifact://${hex}`, created: true }, { status: 201 });
  }) as unknown as typeof fetch;
  const secrets = readSecretsForm({ env: `BIG=${'x'.repeat(MAX_INLINE_SEALED_BYTES)}`, inputs: '', header: '' });
  const [b] = await sealForJob({ reader, jobId: JOB, chainId: 31337, secrets, privateResult: false, sealingKey: () => Promise.reject(new Error('not asked')), store: { artifactUrl: 'http://store.example/', market: MARKET, signer: walletUploadSigner(wallet), fetch: store } });

  expect(puts).toHaveLength(1);
  const put = puts[0]!;
  expect(put.body.length).toBeGreaterThan(MAX_INLINE_SEALED_BYTES);
  expect(b!.delivery).toEqual({ bundleHash: `0x${createHash('sha256').update(put.body).digest('hex')}`, inlineBundle: '0x', uri: `artifact://${b!.delivery.bundleHash.slice(2)}` });
  expect(put.url).toBe(`http://store.example/artifacts/${b!.delivery.bundleHash}`);
  // Signed by the wallet for this market as a client's input; the store holds only ciphertext, which the worker opens.
  expect(put.headers).toMatchObject({ 'x-loom-upload-signer': wallet.account.address, 'x-loom-upload-purpose': 'input', 'x-loom-upload-size': String(put.body.length) });
  const message = { sha256: b!.delivery.bundleHash, size: BigInt(put.body.length), purpose: 'input' as const, issuedAt: BigInt(put.headers['x-loom-upload-issued-at']!) };
  expect(await verifyTypedData({ ...artifactUploadTypedData({ chainId: 31337, market: MARKET, message }), address: wallet.account.address, signature: put.headers['x-loom-upload-signature'] as `0x${string}` })).toBe(true);
  expect(new TextDecoder().decode(put.body)).not.toContain('xxxx');
  expect(openSecrets({ envelope: put.body, secretKey: wk.secretKey, context: { chainId: 31337, jobId: JOB, recipient: worker.address } }).env.BIG).toHaveLength(MAX_INLINE_SEALED_BYTES);

  // A refusal of the store says what was being stored and what the store said.
  const refuse = (async () => Response.json({ error: { code: 'QUOTA_EXCEEDED', message: 'used its upload quota' } }, { status: 429, headers: { 'retry-after': '30' } })) as unknown as typeof fetch;
  await expect(sealForJob({ reader, jobId: JOB, chainId: 31337, secrets, privateResult: false, sealingKey: () => Promise.reject(new Error('not asked')), store: { artifactUrl: 'http://store.example', market: MARKET, signer: walletUploadSigner(wallet), fetch: refuse } })).rejects.toThrow(
    /^The sealed bundle \(\d+ bytes, over the 4096-byte inline cap\) could not be stored in the artifact store: used its upload quota$/,
  );
});

test('error: bad lines and a worker without a key are refused, naming no value', async () => {
  expect(() => readSecretsForm({ env: 's3cret', inputs: '', header: '' })).toThrow('Secret line 1: write NAME=value.');
  expect(() => readSecretsForm({ env: '', inputs: 'd.csv https://x', header: '' })).toThrow('Private input line 1: write name URL sha256.');
  const reader = { query: async () => ({ job: { kind: 'SINGLE', worker: JOB.slice(0, 42), assignee: { encryptionKey: null }, slots: [], sealedBundles: [] } }) } as unknown as LoomReader;
  await expect(sealForJob({ reader, jobId: JOB, chainId: 1, secrets: { env: {}, privateInputs: [], registryAuth: [] }, privateResult: false, sealingKey: () => Promise.reject(new Error('not asked')), store: noStore })).rejects.toThrow(/published no encryption key/);
});

test('behavior: a private image login is sealed for its registry, named as the SDK names it; a bad one is refused without its value', () => {
  const secrets = readSecretsForm({ env: '', inputs: '', header: '', registry: { host: 'Registry-1.Docker.io', username: ' me ', password: 'pw-val' } });
  expect(secrets.registryAuth).toEqual([{ registry: 'docker.io', username: 'me', password: 'pw-val' }]);
  expect(readSecretsForm({ env: '', inputs: '', header: '' }).registryAuth).toEqual([]);
  expect(() => readSecretsForm({ env: '', inputs: '', header: '', registry: { host: 'ghcr.io', username: '', password: 'pw-val' } })).toThrow('Registry login: write the username (without ":").');
  expect(() => readSecretsForm({ env: '', inputs: '', header: '', registry: { host: 'ghcr.io', username: 'me', password: '' } })).toThrow('Registry login: write the password or token.');
  expect(() => readSecretsForm({ env: '', inputs: '', header: '', registry: { host: '', username: 'me', password: 'pw-val' } })).toThrow('Registry: the image names no registry host.');
});
