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
