import { readFileSync } from 'node:fs';
import { stringToHex } from 'viem';
import { describe, expect, test } from 'vitest';
import { MAX_SPEC_BYTES, parseSpec } from './jobSpec';

const sha = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';
const digest = `sha256:${'ab'.repeat(32)}`;

/** parseSpec's reason for a spec that must be refused. */
function reason(input: unknown): string {
  const r = parseSpec(input);
  if (r.ok) throw new Error(`expected a refusal, got ${JSON.stringify(r.spec)}`);
  return r.reason;
}

describe('parseSpec', () => {
  test('default', () => {
    // The shape the indexer and API tests already post.
    const r = parseSpec(
      '{"version":1,"command":["python","train.py"],"inputs":[{"uri":"https://example.org/data/train.py","sha256":"' +
        sha.toUpperCase() +
        '"}],"outputs":["/out"],"resources":{"gpus":1}}',
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.spec).toEqual({
      version: 1,
      argv: ['python', 'train.py'],
      command: ['python', 'train.py'],
      workdir: '/in',
      env: {},
      inputs: [{ name: 'train.py', uri: 'https://example.org/data/train.py', sha256: sha, mountPath: '/in/train.py' }],
      outputs: ['/out'],
      resources: { gpus: 1, vramMiB: 0, memoryMiB: 4096, cpus: 1, pids: 512, timeoutSeconds: 3600, outputMiB: 1024 },
      deterministic: false,
    });
  });

  test('behavior: a spec may state that it is deterministic; anything but a boolean is refused', () => {
    const r = parseSpec({ version: 1, command: ['true'], deterministic: true });
    expect(r.ok && r.spec.deterministic).toBe(true);
    expect(parseSpec({ version: 1, command: ['true'], deterministic: 'yes' })).toMatchObject({ ok: false, reason: expect.stringContaining('deterministic') });
  });

  test('behavior: reads bytes, 0x-hex and parsed JSON alike', () => {
    const json = { version: 1, script: 'echo hi > /out/hi', env: { SEED: '1' } };
    const text = JSON.stringify(json);
    const a = parseSpec(new TextEncoder().encode(text));
    const b = parseSpec(stringToHex(text));
    const c = parseSpec(json);
    expect(a).toEqual(b);
    expect(a).toEqual(c);
    expect(a.ok && a.spec.argv).toEqual(['/bin/sh', '-c', 'echo hi > /out/hi']);
  });

  test('behavior: input names default to the sha256 when the URL has no usable file name', () => {
    const r = parseSpec({ version: 1, command: ['true'], inputs: [{ uri: 'https://example.org/', sha256: `0x${sha}` }, { uri: `artifact://${sha}`, sha256: sha, name: 'again', mountPath: '/data/again' }] });
    expect(r.ok && r.spec.inputs.map((i) => [i.name, i.mountPath])).toEqual([
      [sha, `/in/${sha}`],
      ['again', '/data/again'],
    ]);
  });

  test('behavior: an image spec keeps its reference, and may leave command and workdir to the image', () => {
    const r = parseSpec({ version: 1, image: `pytorch/pytorch:2.4.0@${digest}` });
    expect(r.ok && r.spec).toMatchObject({ image: { registry: 'docker.io', repository: 'pytorch/pytorch', tag: '2.4.0', digest, text: `docker.io/pytorch/pytorch:2.4.0@${digest}` }, argv: [] });
    expect(r.ok && 'workdir' in r.spec).toBe(false);
    const w = parseSpec({ version: 1, image: `busybox@${digest}`, command: ['ls'], workdir: '/srv' });
    expect(w.ok && [w.spec.argv, w.spec.workdir]).toEqual([['ls'], '/srv']);
  });

  test('error: an image named by tag alone', () => {
    expect(reason({ version: 1, image: 'pytorch/pytorch:2.4.0', command: ['python'] })).toMatch(/^image: "pytorch\/pytorch:2.4.0" is not pinned by digest: a tag can point to other content/);
  });

  test('error: invalid JSON', () => {
    expect(reason('{"version":1,')).toMatch(/^invalid JSON: /);
    expect(reason(new Uint8Array([0x7b, 0xff, 0x7d]))).toBe('invalid JSON: the spec is not valid UTF-8');
    expect(reason('[1,2]')).toBe('the spec must be a JSON object');
    expect(reason('x'.repeat(MAX_SPEC_BYTES + 1))).toMatch(/over the 8192-byte limit/);
  });

  test('error: unknown or missing version', () => {
    expect(reason({ version: 2, command: ['true'] })).toBe('unknown spec version 2 (this worker understands 1)');
    expect(reason({ version: '1', command: ['true'] })).toBe('unknown spec version "1" (this worker understands 1)');
    expect(reason({ command: ['true'] })).toBe('missing field: version');
  });

  test('error: missing fields', () => {
    expect(reason({ version: 1 })).toBe('command: one of command and script is required (or an image, whose default command runs)');
    expect(reason({ version: 1, command: ['a'], script: 'b' })).toBe('command: at most one of command and script');
    expect(reason({ version: 1, command: ['true'], inputs: [{ uri: 'https://example.org/a' }] })).toBe('missing field: inputs.0.sha256');
  });

  test('error: invalid fields', () => {
    expect(reason({ version: 1, command: ['true'], resources: { gpus: '1' } })).toMatch(/^resources\.gpus: /);
    expect(reason({ version: 1, command: ['true'], resources: { gpus: 1, mem: 1 } })).toBe('unknown field: resources.mem');
    expect(reason({ version: 1, command: ['true'], network: true })).toBe('unknown field: network');
    expect(reason({ version: 1, command: ['true'], env: { PATH: '/evil' } })).toBe('env.PATH: is set by the worker');
    expect(reason({ version: 1, command: ['true'], env: { LOOM_WORKER_KEY: 'x' } })).toBe('env.LOOM_WORKER_KEY: LOOM_ names are reserved for the worker');
    expect(reason({ version: 1, command: ['true'], env: { 'A-B': 'x' } })).toMatch(/^env\.A-B: /);
    expect(reason({ version: 1, command: ['true'], outputs: ['/etc/passwd'] })).toBe('outputs.0: must be /out or a path under /out');
    expect(reason({ version: 1, command: ['true'], outputs: ['/out/../etc'] })).toMatch(/^outputs\.0: must be a clean absolute path/);
    expect(reason({ version: 1, command: ['true'], inputs: [{ uri: 'file:///etc/passwd', sha256: sha }] })).toBe('inputs.0.uri: must be an http(s) URL or artifact://<sha256>');
    expect(reason({ version: 1, command: ['true'], inputs: [{ uri: 'https://u:p@example.org/a', sha256: sha }] })).toBe('inputs.0.uri: must be an http(s) URL or artifact://<sha256>');
    expect(reason({ version: 1, command: ['true'], inputs: [{ uri: 'https://example.org/a', sha256: sha, mountPath: '/usr/bin/python' }] })).toBe(
      'inputs.0.mountPath: must not be under a system directory or /out, /tmp',
    );
    expect(reason({ version: 1, command: ['true'], inputs: [{ uri: `artifact://${'0'.repeat(64)}`, sha256: sha }] })).toBe(
      "inputs.0.uri: an artifact:// URI must name the input's own sha256",
    );
    expect(reason({ version: 1, command: ['true'], inputs: [{ uri: 'https://a.org/x', sha256: sha }, { uri: 'https://b.org/x', sha256: sha }] })).toBe(
      'inputs.1.name: duplicate input name "x"',
    );
    expect(reason({ version: 1, command: ['true'], inputs: [{ uri: 'https://a.org/x', sha256: sha, mountPath: '/data' }, { uri: 'https://b.org/y', sha256: sha, mountPath: '/data/y' }] })).toBe(
      'inputs.1.mountPath: "/data/y" overlaps "/data"',
    );
  });

  test('behavior: the JSON Schema documents the same fields as the validator', () => {
    // The JSON Schema is what integrators read; drift between it and zod would mislead them.
    const schema = JSON.parse(readFileSync(new URL('./job-spec.v1.schema.json', import.meta.url), 'utf8'));
    expect(Object.keys(schema.properties).sort()).toEqual(['command', 'deterministic', 'env', 'image', 'inputs', 'outputs', 'resources', 'script', 'sealed', 'version', 'workdir']);
    expect(Object.keys(schema.properties.inputs.items.properties).sort()).toEqual(['mountPath', 'name', 'sha256', 'size', 'uri']);
    const sealed = parseSpec({ version: 1, command: ['true'], sealed: {} });
    expect(sealed.ok && Object.keys(sealed.spec.sealed!).sort()).toEqual(Object.keys(schema.properties.sealed.properties).sort());
    const r = parseSpec({ version: 1, command: ['true'] });
    expect(r.ok && Object.keys(r.spec.resources).sort()).toEqual(Object.keys(schema.properties.resources.properties).sort());
    for (const [key, prop] of Object.entries<{ default: unknown; description: string }>(schema.properties.resources.properties)) {
      expect(prop.description.length).toBeGreaterThan(10);
      expect(r.ok && r.spec.resources[key as keyof typeof r.spec.resources]).toBe(prop.default);
    }
  });

  test('behavior: a spec that expects sealed secrets names them; values never appear', () => {
    const r = parseSpec({ version: 1, script: 'echo', inputs: [{ name: 'a', uri: 'https://x.example/a', sha256: 'aa'.repeat(32) }], sealed: { env: ['HF_TOKEN'], privateInputs: ['data.csv'], privateResult: true } });
    expect(r.ok && r.spec.sealed).toEqual({ env: ['HF_TOKEN'], privateInputs: ['data.csv'], privateResult: true, registryAuth: false });
    expect(parseSpec({ version: 1, script: 'echo' }).ok && 'sealed' in (parseSpec({ version: 1, script: 'echo' }) as { spec: object }).spec).toBe(false);
  });

  test('error: sealed names that clash with the worker, the public env or the inputs', () => {
    const base = { version: 1, script: 'echo', env: { PUBLIC: '1' }, inputs: [{ name: 'a', uri: 'https://x.example/a', sha256: 'aa'.repeat(32) }] };
    expect(parseSpec({ ...base, sealed: { env: ['PATH'] } })).toEqual({ ok: false, reason: 'sealed.env.0: is set by the worker' });
    expect(parseSpec({ ...base, sealed: { env: ['PUBLIC'] } })).toEqual({ ok: false, reason: 'sealed.env.0: "PUBLIC" is also a public env variable' });
    expect(parseSpec({ ...base, sealed: { privateInputs: ['a'] } })).toEqual({ ok: false, reason: 'sealed.privateInputs.0: duplicate input name "a"' });
    expect(parseSpec({ ...base, sealed: { secretz: true } })).toEqual({ ok: false, reason: 'unknown field: sealed.secretz' });
  });

  test('behavior: sealed.registryAuth says the image is private; it needs an image', () => {
    const image = `ghcr.io/me/private@sha256:${'ab'.repeat(32)}`;
    const r = parseSpec({ version: 1, image, sealed: { registryAuth: true } });
    expect(r.ok && r.spec.sealed).toEqual({ env: [], privateInputs: [], privateResult: false, registryAuth: true });
    expect(parseSpec({ version: 1, script: 'echo', sealed: { registryAuth: true } })).toEqual({ ok: false, reason: "sealed.registryAuth: needs an image: registry credentials are only used to pull the job's image" });
  });
});
