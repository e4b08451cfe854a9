import { privateKeyToAccount, generatePrivateKey } from 'viem/accounts';
import { hexToBytes } from 'viem';
import { expect, test } from 'vitest';
import type { LoomReader } from '$sdk/reads';
import { SEALING_KEY_MESSAGE, openSecrets, sealingKeyFromSignature } from '$sdk/sealing';
import { readSecretsForm, sealForJob } from './sealForJob';

const JOB = `0x${'ab'.repeat(32)}` as const;

test('default: the form seals one bundle per worker, which only that worker opens', async () => {
  const worker = privateKeyToAccount(generatePrivateKey());
  const client = privateKeyToAccount(generatePrivateKey());
  const wk = sealingKeyFromSignature(await worker.signMessage({ message: SEALING_KEY_MESSAGE }));
  const reader = {
    query: async () => ({ job: { kind: 'SINGLE', worker: worker.address, assignee: { address: worker.address, encryptionKey: wk.publicKey }, slots: [], sealedBundles: [] } }),
  } as unknown as LoomReader;
  const secrets = readSecretsForm({ env: 'HF_TOKEN=hf_x=y\n', inputs: `data.csv https://d.example/d.csv ${'aa'.repeat(32)}`, header: 'Authorization: Bearer t' });
  const [b, ...rest] = await sealForJob({ reader, jobId: JOB, chainId: 31337, secrets, privateResult: true, sealingKey: async () => sealingKeyFromSignature(await client.signMessage({ message: SEALING_KEY_MESSAGE })) });
  expect(rest).toEqual([]);
  expect(b!.worker).toBe(worker.address);
  const opened = openSecrets({ envelope: hexToBytes(b!.delivery.inlineBundle), secretKey: wk.secretKey, context: { chainId: 31337, jobId: JOB, recipient: worker.address } });
  expect(opened.env).toEqual({ HF_TOKEN: 'hf_x=y' });
  expect(opened.privateInputs).toEqual([{ name: 'data.csv', url: 'https://d.example/d.csv', sha256: 'aa'.repeat(32), headers: { Authorization: 'Bearer t' } }]);
  expect(opened.resultKey).toBe(sealingKeyFromSignature(await client.signMessage({ message: SEALING_KEY_MESSAGE })).publicKey);
});

test('error: bad lines and a worker without a key are refused, naming no value', async () => {
  expect(() => readSecretsForm({ env: 's3cret', inputs: '', header: '' })).toThrow('Secret line 1: write NAME=value.');
  expect(() => readSecretsForm({ env: '', inputs: 'd.csv https://x', header: '' })).toThrow('Private input line 1: write name URL sha256.');
  const reader = { query: async () => ({ job: { kind: 'SINGLE', worker: JOB.slice(0, 42), assignee: { encryptionKey: null }, slots: [], sealedBundles: [] } }) } as unknown as LoomReader;
  await expect(sealForJob({ reader, jobId: JOB, chainId: 1, secrets: { env: {}, privateInputs: [], registryAuth: [] }, privateResult: false, sealingKey: () => Promise.reject(new Error('not asked')) })).rejects.toThrow(/published no encryption key/);
});

test('behavior: a private image login is sealed for its registry, named as the SDK names it; a bad one is refused without its value', () => {
  const secrets = readSecretsForm({ env: '', inputs: '', header: '', registry: { host: 'Registry-1.Docker.io', username: ' me ', password: 'pw-val' } });
  expect(secrets.registryAuth).toEqual([{ registry: 'docker.io', username: 'me', password: 'pw-val' }]);
  expect(readSecretsForm({ env: '', inputs: '', header: '' }).registryAuth).toEqual([]);
  expect(() => readSecretsForm({ env: '', inputs: '', header: '', registry: { host: 'ghcr.io', username: '', password: 'pw-val' } })).toThrow('Registry login: write the username (without ":").');
  expect(() => readSecretsForm({ env: '', inputs: '', header: '', registry: { host: 'ghcr.io', username: 'me', password: '' } })).toThrow('Registry login: write the password or token.');
  expect(() => readSecretsForm({ env: '', inputs: '', header: '', registry: { host: '', username: 'me', password: 'pw-val' } })).toThrow('Registry: the image names no registry host.');
});
