import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { keccak256, stringToHex } from 'viem';
import { CliError } from './cliError';
import { checkImageFlag, readSpecFile, specFromImage, specFromText } from './jobSpecFile';

const digest = `sha256:${'0123456789abcdef'.repeat(4)}`;

describe('readSpecFile', () => {
  it('default: compact JSON bytes, hashed as the contract does', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'loom-spec-'));
    const path = join(dir, 'spec.json');
    writeFileSync(path, '{\n  "version": 1,\n  "script": "echo hi > /out/hi"\n}\n');
    const s = await readSpecFile(path);
    const compact = '{"version":1,"script":"echo hi > /out/hi"}';
    expect(s.bytes).toBe(stringToHex(compact));
    expect(s.specHash).toBe(keccak256(stringToHex(compact)));
    expect(s.spec.argv).toEqual(['/bin/sh', '-c', 'echo hi > /out/hi']);
  });

  it("error: missing file, not JSON, not a valid spec (the worker's own reasons), too large", async () => {
    await expect(readSpecFile('/nonexistent/spec.json')).rejects.toThrowError('spec file /nonexistent/spec.json: no such file');
    expect(() => specFromText('{', 'a.json')).toThrowError(/a.json is not JSON/);
    expect(() => specFromText('{"version":2,"script":"x"}', 'a.json')).toThrowError(/not a valid job spec: unknown spec version 2/);
    expect(() => specFromText('{"version":1,"script":"x","gpus":1}', 'a.json')).toThrowError(/unknown field: gpus/);
    expect(() => specFromText(JSON.stringify({ version: 1, script: 'x', env: { A: 'y'.repeat(9000) } }), 'a.json')).toThrowError(CliError);
  });

  it('behavior: --image replaces the file\'s image, posted as written; without command or script the image\'s default runs', () => {
    const image = `nvcr.io/nvidia/pytorch:24.05-py3@${digest}`;
    const s = specFromText(JSON.stringify({ version: 1, image: 'old', command: ['python', 'train.py'] }), 'a.json', { image });
    expect(s.value).toEqual({ version: 1, image, command: ['python', 'train.py'] });
    expect(s.bytes).toBe(stringToHex(JSON.stringify({ version: 1, image, command: ['python', 'train.py'] })));
    expect(s.spec.image).toMatchObject({ registry: 'nvcr.io', repository: 'nvidia/pytorch', tag: '24.05-py3', digest });
    expect(s.spec.argv).toEqual(['python', 'train.py']);

    const bare = specFromText('{"version":1,"resources":{"gpus":1}}', 'b.json', { image: `busybox@${digest}` });
    expect(bare.spec).toMatchObject({ argv: [], image: { text: `docker.io/library/busybox@${digest}` }, resources: { gpus: 1 } });
    expect(bare.spec.workdir).toBeUndefined();

    // No spec file at all: version 1 and the image.
    const alone = specFromImage(`busybox:1.36@${digest}`);
    expect(alone.value).toEqual({ version: 1, image: `busybox:1.36@${digest}` });
    expect(alone.specHash).toBe(keccak256(stringToHex(`{"version":1,"image":"busybox:1.36@${digest}"}`)));
    expect(alone.spec).toMatchObject({ argv: [], resources: { gpus: 0, timeoutSeconds: 3600 } });
  });

  it("error: a bad --image is refused with parseImageRef's reason, before the file is read", async () => {
    expect(() => specFromImage('pytorch/pytorch:2.4.0')).toThrowError(/^--image: "pytorch\/pytorch:2.4.0" is not pinned by digest: a tag can point to other content/);
    expect(() => checkImageFlag('busybox')).toThrowError(/^--image: "busybox" is not pinned by digest: a bare name/);
    expect(() => checkImageFlag(`busybox@sha256:${'AB'.repeat(32)}`)).toThrowError('--image: the digest must be sha256: followed by 64 lowercase hex digits');
    expect(() => checkImageFlag(`Busybox@${digest}`)).toThrowError(/--image: invalid repository "Busybox"/);
    // The image is checked first: a missing file is not even opened.
    await expect(readSpecFile('/nonexistent/spec.json', { image: 'busybox:1.36' })).rejects.toMatchObject({ code: 'BAD_INPUT', message: expect.stringMatching(/^--image: /) });
    expect(checkImageFlag(`localhost:5000/loom/test@${digest}`)).toMatchObject({ registry: 'localhost:5000', repository: 'loom/test' });
    // A spec that is not an object keeps its shape: the parser says what is wrong.
    expect(() => specFromText('[1]', 'a.json', { image: `busybox@${digest}` })).toThrowError(/a.json is not a valid job spec: the spec must be a JSON object/);
  });
});
