import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { expect, test } from 'vitest';
import { SEALING_KEY_MESSAGE, sealingKeyFromSignature } from '../../../sdk/sealing';
import { readSealFlags, sealAndSend } from './seal';

const JOB = `0x${'ab'.repeat(32)}` as const;

const expectSecrets = { env: ['HF_TOKEN'], privateInputs: [], privateResult: false };

test('default: --secret NAME=@file reads the file, NAME=value takes the value', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'loom-seal-'));
  writeFileSync(join(dir, 'token'), 'hf_from_file\n');
  expect((await readSealFlags({ secret: [`HF_TOKEN=@${join(dir, 'token')}`] }, expectSecrets)).env).toEqual({ HF_TOKEN: 'hf_from_file' });
  expect((await readSealFlags({ secret: ['HF_TOKEN=a=b'] }, expectSecrets)).env).toEqual({ HF_TOKEN: 'a=b' });
});

test("error: flags that do not match the spec's sealed field, and never the value in the message", async () => {
  await expect(readSealFlags({ secret: ['HF_TOKEN=v4lue'] }, undefined)).rejects.toThrow(/the spec has no "sealed" field/);
  await expect(readSealFlags({}, expectSecrets)).rejects.toThrow(/expects the secret variables HF_TOKEN/);
  await expect(readSealFlags({ secret: ['OTHER=v4lue'] }, expectSecrets)).rejects.toThrow(/--secret OTHER: the spec's sealed.env does not name it/);
  await expect(readSealFlags({ secret: ['HF_TOKEN=@/nonexistent/t'] }, expectSecrets)).rejects.toThrow(/cannot read \/nonexistent\/t: ENOENT/);
  await expect(readSealFlags({ secret: ['novalue'] }, expectSecrets)).rejects.toThrow(/NAME=@file or NAME=value/);
  await expect(readSealFlags({ secret: ['HF_TOKEN=x'] }, { ...expectSecrets, privateInputs: ['d.csv'] })).rejects.toThrow(/expects the private inputs d.csv/);
  await expect(readSealFlags({ secret: ['HF_TOKEN=x'], 'private-input': ['d.csv=ftp://x'] }, { ...expectSecrets, privateInputs: ['d.csv'] })).rejects.toThrow(/not an http\(s\) URL/);
  const err = await readSealFlags({ secret: ['OTHER=v4lue'] }, expectSecrets).catch((e: Error) => e);
  expect(String(err)).not.toContain('v4lue');
});

test('behavior: --registry-login host=user:@file seals the private image registry credential; bad or stray ones are refused by name', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'loom-seal-'));
  writeFileSync(join(dir, 'pw'), 'registry-password\n');
  const expectAuth = { env: [], privateInputs: [], privateResult: false, registryAuth: true };
  expect((await readSealFlags({ 'registry-login': `GHCR.io=me:@${join(dir, 'pw')}` }, expectAuth, 'ghcr.io')).registryAuth).toEqual([{ registry: 'ghcr.io', username: 'me', password: 'registry-password' }]);
  expect((await readSealFlags({ 'registry-login': 'index.docker.io=me:tok:en' }, expectAuth, 'docker.io')).registryAuth).toEqual([{ registry: 'docker.io', username: 'me', password: 'tok:en' }]);
  await expect(readSealFlags({}, expectAuth, 'ghcr.io')).rejects.toThrow(/image is private \(sealed.registryAuth\): give its registry's credentials with --registry-login ghcr.io=user:@passwordfile/);
  await expect(readSealFlags({ 'registry-login': 'quay.io=me:pw' }, expectAuth, 'ghcr.io')).rejects.toThrow(/--registry-login quay.io: the job's image is on ghcr.io/);
  await expect(readSealFlags({ 'registry-login': 'ghcr.io=me' }, expectAuth, 'ghcr.io')).rejects.toThrow(/takes host=user:@passwordfile/);
  await expect(readSealFlags({ 'registry-login': 'ghcr.io=me:pw' }, { ...expectAuth, registryAuth: false }, 'ghcr.io')).rejects.toThrow(/does not say its image is private/);
  const err = await readSealFlags({ 'registry-login': 'quay.io=me:hunter2-secret' }, expectAuth, 'ghcr.io').catch((e: Error) => e);
  expect(String((err as Error).message)).not.toContain('hunter2-secret');
});

test('behavior: each slot holder of a replicated job is sealed to as soon as it holds its slot, each once, until every slot is taken', async () => {
  const client = privateKeyToAccount(generatePrivateKey());
  const holders = await Promise.all(
    [1, 2, 3].map(async () => {
      const a = privateKeyToAccount(generatePrivateKey());
      return { worker: a.address, holder: { encryptionKey: sealingKeyFromSignature(await a.signMessage({ message: SEALING_KEY_MESSAGE })).publicKey } };
    }),
  );
  // The API's view as slots are taken one by one: OPEN with one, then two, then every slot (ASSIGNED).
  const view = (n: number, status = n < 3 ? 'OPEN' : 'ASSIGNED') => ({ id: JOB, kind: 'REPLICATED', status, terms: { client: client.address, openUntil: '1000' }, replicatedTerms: { replicas: 3 }, slots: holders.slice(0, n), worker: null, assignee: null, sealedBundles: [] });
  const run = async (views: ReturnType<typeof view>[], chainTimes: bigint[]) => {
    let reads = 0;
    const sends: { worker: string; afterRead: number; inline: string; uri: string }[] = [];
    const sent = await sealAndSend({
      reader: { query: async () => ({ job: views[Math.min(reads++, views.length - 1)] }) } as never,
      session: {
        chainId: 31337,
        account: client,
        publicClient: { getBlock: async () => ({ timestamp: chainTimes[Math.min(reads, chainTimes.length) - 1]! }) },
        writer: { sendSealed: async (_id: string, worker: string, _h: string, inline: string, uri: string) => (sends.push({ worker, afterRead: reads, inline, uri }), { hash: '0x01' }) },
      } as never,
      jobId: JOB,
      secrets: { env: { HF_TOKEN: 'x' }, privateInputs: [], registryAuth: [] },
      privateResult: false,
      waitMs: 10_000,
      progress: { update: () => {} } as never,
      artifactUrl: 'http://127.0.0.1:1',
    });
    return { sent, sends };
  };

  const { sent, sends } = await run([view(1), view(2), view(3)], [900n]);
  expect(sent.map((s) => s.worker)).toEqual(holders.map((h) => h.worker));
  // The first holder got its bundle on the first read, before the other slots were taken; small bundles travel inline.
  expect(sends.map((s) => s.afterRead)).toEqual([1, 2, 3]);
  expect(sends.every((s) => s.inline !== '0x' && s.uri === '')).toBe(true);

  // A status ahead of the slots read (ASSIGNED with two): the sealing goes on until the third holder has its bundle.
  const ahead = await run([view(2, 'ASSIGNED'), view(3)], [900n]);
  expect(ahead.sent.map((s) => s.worker)).toEqual(holders.map((h) => h.worker));

  // Two of three slots taken, then openUntil long passed (30 s for the API to catch up): nobody else
  // can take one, so it ends with those two.
  const partial = await run([view(1), view(2)], [900n, 1031n]);
  expect(partial.sent.map((s) => s.worker)).toEqual(holders.slice(0, 2).map((h) => h.worker));
  await expect(run([view(0)], [1031n])).rejects.toThrow(/no slot was taken before its openUntil/);
});
