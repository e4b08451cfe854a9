import { describe, expect, test } from 'vitest';
import { hexToString } from 'viem';
import { parseSpec } from '$sdk/spec/jobSpec';
import { buildSpec, checkImage, checkSpec, defaultSpecDraft, emptyInput, issueAt, parseIssues, runsImageDefault, type SpecDraft } from './buildSpec';
import { joinArgs, splitArgs } from './splitArgs';

const SHA = 'a'.repeat(64);
const DIGEST = `sha256:${'0123456789abcdef'.repeat(4)}`;
const CUDA = `nvcr.io/nvidia/cuda:12.4.1-base-ubuntu22.04@${DIGEST}`;
const draft = (patch: Partial<SpecDraft>): SpecDraft => ({ ...defaultSpecDraft(), command: 'python train.py', ...patch });

describe('splitArgs', () => {
  test('default: words, quotes and escapes, without expansion', () => {
    expect(splitArgs(`python train.py --name "big run" 'a b' c\\ d $HOME`)).toEqual({
      ok: true,
      argv: ['python', 'train.py', '--name', 'big run', 'a b', 'c d', '$HOME'],
    });
    expect(splitArgs(`echo "say \\"hi\\"" ''`)).toEqual({ ok: true, argv: ['echo', 'say "hi"', ''] });
    expect(splitArgs('   ')).toEqual({ ok: true, argv: [] });
  });

  test('error: an unclosed quote', () => {
    expect(splitArgs(`echo "oops`)).toEqual({ ok: false, reason: 'a double quote is not closed' });
  });

  test('behavior: joinArgs quotes what needs quoting, and splits back', () => {
    const argv = ['python', '-c', "print('hi there')", '--x=1'];
    expect(splitArgs(joinArgs(argv))).toEqual({ ok: true, argv });
  });
});

describe('the post form spec', () => {
  test('default: a command with resources is a valid v1 spec, and only non-defaults are written', () => {
    const check = checkSpec(draft({ gpus: 1, vramMiB: 40_960, timeoutSeconds: 600 }));
    expect(check.ok).toBe(true);
    if (!check.ok) return;
    expect(check.value).toEqual({
      version: 1,
      command: ['python', 'train.py'],
      resources: { gpus: 1, vramMiB: 40_960, memoryMiB: 4096, cpus: 1, timeoutSeconds: 600 },
    });
    // The bytes posted on-chain are the JSON, and the worker's parser reads them the same way.
    expect(hexToString(check.hex)).toBe(check.json);
    const again = parseSpec(check.json);
    expect(again.ok && again.spec).toEqual(check.spec);
    expect(check.spec.argv).toEqual(['python', 'train.py']);
  });

  test('behavior: a script, inputs with hashes, env and outputs', () => {
    const check = checkSpec(
      draft({
        kind: 'script',
        script: 'echo hi > /out/a.txt',
        image: CUDA,
        env: [{ name: 'EPOCHS', value: '3' }, { name: '', value: '' }],
        inputs: [{ ...emptyInput(), uri: 'https://example.org/data.bin', sha256: SHA, size: '42' }],
        outputs: '/out/a.txt\n/out/logs\n',
      }),
    );
    expect(check.ok).toBe(true);
    if (!check.ok) return;
    expect(check.value).toMatchObject({
      script: 'echo hi > /out/a.txt',
      image: CUDA,
      env: { EPOCHS: '3' },
      inputs: [{ uri: 'https://example.org/data.bin', sha256: SHA, size: 42 }],
      outputs: ['/out/a.txt', '/out/logs'],
    });
    expect(check.spec.inputs[0]).toMatchObject({ name: 'data.bin', mountPath: '/in/data.bin' });
    expect(check.spec.argv).toEqual(['/bin/sh', '-c', 'echo hi > /out/a.txt']);
  });

  test('error: the worker parser’s reasons land on the fields', () => {
    const check = checkSpec(
      draft({
        inputs: [{ ...emptyInput(), uri: 'ftp://example.org/x', sha256: 'nothex' }],
        outputs: '/tmp/x',
        memoryMiB: 1,
      }),
    );
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(issueAt(check.issues, 'inputs.0.uri')).toMatch(/http\(s\) URL or artifact/);
    expect(issueAt(check.issues, 'inputs.0.sha256')).toBe('must be 64 hex digits');
    expect(issueAt(check.issues, 'outputs')).toMatch(/\/out/);
    expect(issueAt(check.issues, 'resources.memoryMiB')).toBeDefined();
  });

  test('error: form-level problems are found before the parser', () => {
    const empty = checkSpec(draft({ command: '' }));
    expect(!empty.ok && issueAt(empty.issues, 'command')).toMatch(/program/);
    const quote = checkSpec(draft({ command: `echo 'x` }));
    expect(!quote.ok && issueAt(quote.issues, 'command')).toMatch(/quote/);
    const noScript = checkSpec(draft({ kind: 'script', script: '  ' }));
    expect(!noScript.ok && issueAt(noScript.issues, 'script')).toMatch(/script/);
    const env = checkSpec(draft({ env: [{ name: 'PATH', value: '/x' }] }));
    expect(!env.ok && issueAt(env.issues, 'env')).toBe('is set by the worker');
    const dup = buildSpec(draft({ env: [{ name: 'A', value: '1' }, { name: 'A', value: '2' }] }));
    expect(dup.issues).toEqual([{ path: 'env.A', message: 'is set twice' }]);
  });

  test('behavior: with an image, command and script may be empty: the image\'s default runs, in its WorkingDir', () => {
    for (const kind of ['command', 'script'] as const) {
      const d = draft({ kind, command: '', script: ' ', image: ` ${CUDA} ` });
      expect(runsImageDefault(d)).toBe(true);
      const check = checkSpec(d);
      expect(check.ok).toBe(true);
      if (!check.ok) return;
      expect(check.value).toEqual({ version: 1, image: CUDA, resources: { memoryMiB: 4096, cpus: 1, timeoutSeconds: 600 } });
      expect(check.spec).toMatchObject({ argv: [], image: { registry: 'nvcr.io', repository: 'nvidia/cuda', tag: '12.4.1-base-ubuntu22.04', digest: DIGEST } });
      expect(check.spec.workdir).toBeUndefined();
    }
    // A command given with an image replaces its Cmd: it is written as usual.
    const withCommand = checkSpec(draft({ image: CUDA, workdir: '/srv' }));
    expect(withCommand.ok && withCommand.value).toMatchObject({ image: CUDA, command: ['python', 'train.py'], workdir: '/srv' });
    expect(runsImageDefault(draft({ image: CUDA }))).toBe(false);
    expect(runsImageDefault(draft({ command: '' }))).toBe(false);
    // Without an image the host has no default: the empty command is still an error.
    const host = checkSpec(draft({ command: '' }));
    expect(!host.ok && issueAt(host.issues, 'command')).toMatch(/or set an image/);
  });

  test("error: an image not pinned by digest is refused with parseImageRef's whole reason, on the image field", () => {
    expect(checkImage('  ')).toBeUndefined();
    expect(checkImage(` busybox:1.36@${DIGEST}`)).toMatchObject({ ok: true, ref: { text: `docker.io/library/busybox:1.36@${DIGEST}` } });
    const tag = checkSpec(draft({ command: '', image: 'pytorch/pytorch:2.4.0-cuda12.4-cudnn9-runtime' }));
    expect(tag.ok).toBe(false);
    if (tag.ok) return;
    // One issue, not the reason cut at its "; ".
    expect(tag.issues).toHaveLength(1);
    expect(issueAt(tag.issues, 'image')).toMatch(/^"pytorch\/pytorch:2.4.0-cuda12.4-cudnn9-runtime" is not pinned by digest: a tag can point to other content .*; skopeo inspect/);
    const upper = checkSpec(draft({ image: `busybox@sha256:${'AB'.repeat(32)}` }));
    expect(!upper.ok && issueAt(upper.issues, 'image')).toBe('the digest must be sha256: followed by 64 lowercase hex digits');
  });

  test('error: a spec over 8 KiB is refused with its size', () => {
    const check = checkSpec(draft({ kind: 'script', script: 'x'.repeat(8192), env: [{ name: 'BIG', value: 'y'.repeat(200) }] }));
    expect(!check.ok && check.issues[0]!.message).toMatch(/over the 8192-byte limit/);
  });

  test('default: parseSpec reasons split into issues', () => {
    expect(parseIssues('resources.gpus: Too big; missing field: version; unknown field: foo')).toEqual([
      { path: 'resources.gpus', message: 'Too big' },
      { path: 'version', message: 'is required' },
      { path: 'foo', message: 'is not a spec field (foo)' },
    ]);
  });
});
