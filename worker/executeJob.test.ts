import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { executeJob } from './executeJob';
import type { RunRequest, SandboxResult } from './sandbox/sandboxRunner';
import { SandboxRunner } from './sandbox/sandboxRunner';
import { parseSpec, type JobSpec } from '../sdk/spec/jobSpec';
import { GOOD, type InputServer, sha256, startInputServer } from './test/inputServer';
import { skipSandboxTests } from './test/sandboxAvailability';

const root = mkdtempSync(join(os.tmpdir(), 'loom-execute-'));
chmodSync(root, 0o711);
let server: InputServer;
beforeAll(async () => {
  server = await startInputServer();
});
afterAll(async () => {
  await server.close();
  rmSync(root, { recursive: true, force: true });
});

const jobId = (i: number) => `0x${i.toString(16).padStart(64, '0')}` as const;
const local = { allowPrivateNetwork: true };

function spec(path: string, hash: string): JobSpec {
  const r = parseSpec({
    version: 1,
    script: 'tr a-z A-Z < /in/data.txt > /out/upper.txt && mkdir -p /out/logs && echo done > /out/logs/run.log',
    inputs: [{ name: 'data.txt', uri: `${server.url}${path}`, sha256: hash }],
    resources: { memoryMiB: 128, timeoutSeconds: 30 },
  });
  if (!r.ok) throw new Error(r.reason);
  return r.spec;
}

describe('executeJob', () => {
  test('error: an input that does not match its hash refuses the job before anything runs', async () => {
    const runs: RunRequest[] = [];
    const sandbox = { run: async (req: RunRequest): Promise<SandboxResult> => (runs.push(req), Promise.reject(new Error('must not run'))) };
    const outcome = await executeJob({ jobId: jobId(1), spec: spec('/tampered.txt', sha256(GOOD)), workDir: root, sandbox, inputs: local });
    expect(outcome).toMatchObject({ ok: false, stage: 'inputs' });
    expect(!outcome.ok && outcome.reason).toBe(`input "data.txt" (${server.url}/tampered.txt): sha256 mismatch: expected ${sha256(GOOD)}, got ${sha256('hello l00m\n')}`);
    expect(runs).toEqual([]);
    expect(existsSync(join(outcome.jobDir, 'out'))).toBe(false);
  });

  test.skipIf(skipSandboxTests)('default: inputs, sandbox and packing give the same result hash on every run', async () => {
    const sandbox = await SandboxRunner.create({ workDir: root });
    const a = await executeJob({ jobId: jobId(2), spec: spec('/good.txt', sha256(GOOD)), workDir: root, sandbox, inputs: local });
    const b = await executeJob({ jobId: jobId(3), spec: spec('/good.txt', sha256(GOOD)), workDir: root, sandbox, inputs: local });
    if (!a.ok || !b.ok) throw new Error(`job failed: ${JSON.stringify(a.ok ? b : a)}`);
    expect(a.result.resultHash).toBe(b.result.resultHash);
    expect(a.result.entries).toEqual(['logs/', 'logs/run.log', 'upper.txt']);
    expect(execFileSync('tar', ['-xOf', a.result.path, 'upper.txt'], { encoding: 'utf8' })).toBe(GOOD.toUpperCase());
  });
});
