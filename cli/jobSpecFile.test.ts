import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { keccak256, stringToHex } from 'viem';
import { CliError } from './cliError';
import { readSpecFile, specFromText } from './jobSpecFile';

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
});
