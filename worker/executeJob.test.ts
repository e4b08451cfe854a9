import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { packOutputs } from '../sdk/node/packOutputs';
import type { ImageRef } from '../sdk/spec/imageRef';
import { WorkerError } from './errors';
import { executeJob } from './executeJob';
import { LiveLog } from './logs/liveLog';
import type { Gpu } from './hardware';
import type { PreparedImage } from './image/imageTypes';
import type { RunRequest, SandboxResult } from './sandbox/sandboxRunner';
import { SandboxRunner } from './sandbox/sandboxRunner';
import { parseSpec, type JobSpec } from '../sdk/spec/jobSpec';
import { GOOD, type InputServer, sha256, startInputServer } from './test/inputServer';
import { skipSandboxTests } from './test/sandboxAvailability';
import { type ArtifactServer, startArtifactServer } from '../testkit/artifacts';
import type { ModelFileMount } from './models/jobModels';
import { ModelStore } from './models/modelStore';

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

  // Image mode, with a stand-in for the image store (worker/image/imageStore.ts) and a sandbox that
  // writes the job's outputs as a run would: these check what executeJob hands each and packs. Real
  // pulls and real image runs are the image store's and the sandbox's tests, and the daemon's end to end.
  const digest = `sha256:${'ab'.repeat(32)}`;
  const manifestDigest = `sha256:${'cd'.repeat(32)}`;
  const imageSpec = (over: Record<string, unknown> = {}) => {
    const r = parseSpec({ version: 1, image: `127.0.0.1:5000/loom/busybox:1.36@${digest}`, script: 'echo hi > /out/hello.txt', resources: { memoryMiB: 128, timeoutSeconds: 30 }, ...over });
    if (!r.ok) throw new Error(r.reason);
    return r.spec;
  };

  /** A sandbox that writes /out/hello.txt, records each request, and checks the image is held while it runs. */
  function writingSandbox(held: () => boolean = () => true) {
    const runs: RunRequest[] = [];
    return {
      runs,
      run: async (req: RunRequest): Promise<SandboxResult> => {
        runs.push(req);
        if (!held()) throw new Error('the image was released before the run');
        const outDir = join(req.jobDir, 'out');
        await mkdir(outDir, { recursive: true });
        await writeFile(join(outDir, 'hello.txt'), 'hi\n');
        return {
          ok: true, exitCode: 0, signal: null, timedOut: false, oomKilled: false, pidsLimitHit: false, outputLimitHit: false, cancelled: false, durationMs: 5,
          stdoutTail: '', stderrTail: '', stdoutBytes: 0, stderrBytes: 0, reason: null, enforced: { sandbox: true, memory: true, swap: true, pids: true, cpu: true }, outDir,
        };
      },
    };
  }

  function fakeStore(fail?: Error) {
    const calls: { ref: ImageRef; deadline?: number; signal?: AbortSignal }[] = [];
    let released = 0;
    const store = {
      calls,
      get released() {
        return released;
      },
      prepare: async (ref: ImageRef, o: { signal?: AbortSignal; deadline?: number } = {}): Promise<PreparedImage> => {
        calls.push({ ref, ...o });
        if (fail) throw fail;
        return { ref, manifestDigest, rootDir: '/var/lib/loom/images/roots/cd', config: { env: ['PATH=/bin'], workingDir: '/work', cmd: ['sh'] }, pulled: true, release: async () => void released++ };
      },
    };
    return store;
  }

  const gpus: (Gpu & { uuid: string })[] = [
    { index: 0, name: 'NVIDIA H100 80GB HBM3', memoryMiB: 81559, uuid: 'GPU-00000000-1111-2222-3333-444444444444' },
    { index: 1, name: 'NVIDIA H100 80GB HBM3', memoryMiB: 81559, uuid: 'GPU-55555555-6666-7777-8888-999999999999' },
  ];

  test('behavior: an image job runs in its prepared image, held until the run ends; the bundle carries the run record (image, manifest digest, the GPUs given)', async () => {
    const store = fakeStore();
    const sandbox = writingSandbox(() => store.released === 0);
    const spec = imageSpec({ resources: { gpus: 1, memoryMiB: 128, timeoutSeconds: 30 } });
    const deadline = Date.now() + 60_000;
    const a = await executeJob({ jobId: jobId(10), spec, workDir: root, sandbox, images: store, imageDeadline: deadline, gpuIndices: [1], machineGpus: gpus });
    if (!a.ok) throw new Error(`job failed: ${a.reason}`);
    expect(store.calls).toEqual([{ ref: spec.image, deadline }]);
    expect(store.released).toBe(1);
    expect(sandbox.runs[0]).toMatchObject({ gpuIndices: [1], image: { rootDir: '/var/lib/loom/images/roots/cd', config: { env: ['PATH=/bin'], workingDir: '/work', cmd: ['sh'] } } });
    expect(a.result.entries).toEqual(['.loom/', '.loom/run.json', 'hello.txt']);
    expect(JSON.parse(execFileSync('tar', ['-xOf', a.result.path, '.loom/run.json'], { encoding: 'utf8' }))).toEqual({
      loom: 'job-run',
      version: 1,
      image: { reference: `127.0.0.1:5000/loom/busybox:1.36@${digest}`, manifestDigest },
      gpus: [{ index: 1, uuid: 'GPU-55555555-6666-7777-8888-999999999999', name: 'NVIDIA H100 80GB HBM3' }],
    });
    // The same outputs and the same record: the same bytes, whatever the job's id.
    const b = await executeJob({ jobId: jobId(11), spec, workDir: root, sandbox: writingSandbox(), images: fakeStore(), gpuIndices: [1], machineGpus: gpus });
    expect(b.ok && b.result.resultHash).toBe(a.result.resultHash);
  });

  test("behavior: a replicated job's run record leaves the GPUs out, so the same outputs on other GPUs are the same bytes", async () => {
    const spec = imageSpec({ resources: { gpus: 1, memoryMiB: 128, timeoutSeconds: 30 } });
    const other = gpus.map((g) => ({ ...g, uuid: g.uuid.replace(/\d/g, '7') }));
    const a = await executeJob({ jobId: jobId(16), spec, workDir: root, sandbox: writingSandbox(), images: fakeStore(), gpuIndices: [1], machineGpus: gpus, recordGpus: false });
    const b = await executeJob({ jobId: jobId(17), spec, workDir: root, sandbox: writingSandbox(), images: fakeStore(), gpuIndices: [0], machineGpus: other, recordGpus: false });
    expect(JSON.parse(execFileSync('tar', ['-xOf', a.result.path, '.loom/run.json'], { encoding: 'utf8' }))).toEqual({
      loom: 'job-run',
      version: 1,
      image: { reference: `127.0.0.1:5000/loom/busybox:1.36@${digest}`, manifestDigest },
      gpus: [],
    });
    expect(b.result.resultHash).toBe(a.result.resultHash);
    // With the GPUs recorded (a single job), the two machines' bundles differ.
    const c = await executeJob({ jobId: jobId(18), spec, workDir: root, sandbox: writingSandbox(), images: fakeStore(), gpuIndices: [0], machineGpus: other });
    expect(c.result.resultHash).not.toBe(a.result.resultHash);
  });

  test.skipIf(skipSandboxTests)('behavior: with a log, what the job printed is kept whole in the bundle, also in a failure report, listed in the run record', async () => {
    const sandbox = await SandboxRunner.create({ workDir: root });
    const r = parseSpec({ version: 1, script: 'seq 1 3; echo oops >&2; exit 3', resources: { memoryMiB: 128, timeoutSeconds: 30 } });
    if (!r.ok) throw new Error(r.reason);
    const outcome = await executeJob({ jobId: jobId(30), spec: r.spec, workDir: root, sandbox, log: new LiveLog({ jobId: jobId(30) }) });
    expect(outcome).toMatchObject({ ok: false, stage: 'run', reason: 'exited with code 3' });
    expect(outcome.result.entries).toEqual(['.loom/', '.loom/logs/', '.loom/logs/stderr.log', '.loom/logs/stdout.log', '.loom/run.json', 'loom-failure.json', 'stderr.txt', 'stdout.txt']);
    const read = (f: string) => execFileSync('tar', ['-xOf', outcome.result.path, f], { encoding: 'utf8' });
    expect(read('.loom/logs/stdout.log')).toBe('1\n2\n3\n');
    expect(read('.loom/logs/stderr.log')).toBe('oops\n');
    expect(JSON.parse(read('.loom/run.json')).logs).toEqual({
      stdout: { path: '.loom/logs/stdout.log', bytes: 6, sha256: sha256('1\n2\n3\n') },
      stderr: { path: '.loom/logs/stderr.log', bytes: 5, sha256: sha256('oops\n') },
    });
  });

  test('behavior: a CPU job in host mode packs exactly its outputs, with no record, as before images', async () => {
    const r = parseSpec({ version: 1, script: 'echo hi > /out/hello.txt', resources: { memoryMiB: 128, timeoutSeconds: 30 } });
    if (!r.ok) throw new Error(r.reason);
    const store = fakeStore();
    const outcome = await executeJob({ jobId: jobId(12), spec: r.spec, workDir: root, sandbox: writingSandbox(), images: store });
    if (!outcome.ok) throw new Error(outcome.reason);
    expect(store.calls).toEqual([]);
    expect(outcome.result.entries).toEqual(['hello.txt']);
    const plain = await packOutputs({ outDir: outcome.run.outDir, outputs: ['/out'], destination: join(root, 'plain.tar'), maxBytes: 2 ** 20 });
    expect(readFileSync(outcome.result.path).equals(readFileSync(plain.path))).toBe(true);
  });

  test('error: an image that cannot be pulled fails at stage image with its reason, before anything runs; the report names the image', async () => {
    const reason = `blob sha256:${'ef'.repeat(32)} of 127.0.0.1:5000/loom/busybox does not match its digest (got sha256:${'01'.repeat(32)})`;
    const store = fakeStore(new WorkerError('IMAGE_REJECTED', reason));
    const sandbox = writingSandbox();
    const outcome = await executeJob({ jobId: jobId(13), spec: imageSpec(), workDir: root, sandbox, images: store });
    expect(outcome).toMatchObject({ ok: false, stage: 'image', reason });
    expect(sandbox.runs).toEqual([]);
    expect(outcome.result.entries).toEqual(['.loom/', '.loom/run.json', 'loom-failure.json']);
    expect(JSON.parse(execFileSync('tar', ['-xOf', outcome.result.path, 'loom-failure.json'], { encoding: 'utf8' }))).toMatchObject({ stage: 'image', reason });
    expect(JSON.parse(execFileSync('tar', ['-xOf', outcome.result.path, '.loom/run.json'], { encoding: 'utf8' }))).toEqual({
      loom: 'job-run',
      version: 1,
      image: { reference: `127.0.0.1:5000/loom/busybox:1.36@${digest}` },
      gpus: [],
    });

    // The worker's own trouble (a full disk) is thrown, not reported as the job's failure.
    await expect(executeJob({ jobId: jobId(14), spec: imageSpec(), workDir: root, sandbox, images: fakeStore(new Error('ENOSPC: no space left on device')) })).rejects.toThrow('ENOSPC');
    await expect(executeJob({ jobId: jobId(15), spec: imageSpec(), workDir: root, sandbox })).rejects.toThrow(/no image store/);
  });
});

// Models, for real: the artifact store over HTTP, the model cache, the sandbox.
describe('executeJob with models', () => {
  let artifacts: ArtifactServer;
  let models: ModelStore;
  const CONFIG = '{"hidden_size": 8}\n';
  const SHARD = 'weights '.repeat(1000);
  beforeAll(async () => {
    artifacts = await startArtifactServer({ dir: join(root, 'artifacts'), allowAnonymous: true });
    for (const b of [CONFIG, SHARD]) await artifacts.store.put(new TextEncoder().encode(b));
    models = await ModelStore.open({ dir: join(root, 'models'), artifactBaseUrl: artifacts.url, cacheBytes: 2 ** 30 });
  });
  afterAll(() => artifacts.stop());

  const mounts = (extra: ModelFileMount[] = []): ModelFileMount[] => [
    { model: '1 "tiny"', sha256: sha256(CONFIG), size: CONFIG.length, mountPath: '/models/tiny/config.json' },
    { model: '1 "tiny"', sha256: sha256(SHARD), size: SHARD.length, mountPath: '/models/tiny/shards/0.bin' },
    ...extra,
  ];
  const readingSpec = () => {
    const r = parseSpec({ version: 1, script: 'cat /models/tiny/config.json > /out/config.json; wc -c < /models/tiny/shards/0.bin > /out/size; (echo x > /models/tiny/config.json) 2>/dev/null || echo read-only > /out/ro', resources: { memoryMiB: 128, timeoutSeconds: 30 } });
    if (!r.ok) throw new Error(r.reason);
    return r.spec;
  };

  test.skipIf(skipSandboxTests)('default: the model files are fetched by hash and mounted read-only at /models/<name>/<path>', async () => {
    const sandbox = await SandboxRunner.create({ workDir: root });
    const outcome = await executeJob({ jobId: jobId(40), spec: readingSpec(), workDir: root, sandbox, models: mounts(), modelStore: models });
    if (!outcome.ok) throw new Error(`job failed: ${outcome.reason}`);
    const read = (f: string) => execFileSync('tar', ['-xOf', outcome.result.path, f], { encoding: 'utf8' });
    expect(outcome.result.entries).toEqual(['config.json', 'ro', 'size']);
    expect([read('config.json'), read('size').trim(), read('ro')]).toEqual([CONFIG, String(SHARD.length), 'read-only\n']);
  });

  test('error: a model file the store does not have fails the job at stage models, before anything runs', async () => {
    const sandbox = { run: async (): Promise<SandboxResult> => Promise.reject(new Error('must not run')) };
    const gone = { model: '1 "tiny"', sha256: sha256('gone'), size: 4, mountPath: '/models/tiny/gone' };
    const outcome = await executeJob({ jobId: jobId(41), spec: readingSpec(), workDir: root, sandbox, models: mounts([gone]), modelStore: models });
    expect(outcome).toMatchObject({ ok: false, stage: 'models', reason: `model 1 "tiny", file /models/tiny/gone (artifact://${sha256('gone')}): HTTP 404 from ${artifacts.url}` });
    expect(JSON.parse(execFileSync('tar', ['-xOf', outcome.result.path, 'loom-failure.json'], { encoding: 'utf8' }))).toMatchObject({ stage: 'models' });
    await expect(executeJob({ jobId: jobId(42), spec: readingSpec(), workDir: root, sandbox, models: mounts() })).rejects.toThrow(/no model store/);
  });
});
