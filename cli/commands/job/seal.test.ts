import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { readSealFlags } from './seal';

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
