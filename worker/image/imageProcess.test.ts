import { describe, expect, test } from 'vitest';
import { type JobSpec, parseSpec } from '../../sdk/spec/jobSpec';
import { imageProcess } from './imageProcess';
import type { ImageConfig } from './imageTypes';

const IMAGE = 'ghcr.io/loom/py:3.12@sha256:' + 'ab'.repeat(32);

function spec(json: Record<string, unknown>): JobSpec {
  const r = parseSpec({ version: 1, image: IMAGE, ...json });
  if (!r.ok) throw new Error(r.reason);
  return r.spec;
}

const python: ImageConfig = {
  env: ['PATH=/opt/py/bin:/usr/bin:/bin', 'PYTHONUNBUFFERED=1', 'MODE=image'],
  workingDir: '/app',
  entrypoint: ['python3'],
  cmd: ['-m', 'http.server'],
};

describe('imageProcess', () => {
  test('default: no command runs Entrypoint + Cmd, with the image Env over the defaults and the spec env on top', () => {
    expect(imageProcess(spec({ env: { MODE: 'spec', SEED: '7' } }), python)).toEqual({
      argv: ['python3', '-m', 'http.server'],
      env: { PATH: '/opt/py/bin:/usr/bin:/bin', HOME: '/tmp', PYTHONUNBUFFERED: '1', MODE: 'spec', SEED: '7' },
      workdir: '/app',
    });
  });

  test('behavior: the spec command replaces Cmd and follows Entrypoint', () => {
    expect(imageProcess(spec({ command: ['train.py', '--epochs', '3'] }), python)).toMatchObject({ argv: ['python3', 'train.py', '--epochs', '3'] });
    expect(imageProcess(spec({ command: ['/bin/echo', 'hi'] }), { env: [], cmd: ['/bin/sh'] })).toMatchObject({ argv: ['/bin/echo', 'hi'] });
  });

  test('behavior: a script runs under /bin/sh -c, ignoring Entrypoint and Cmd', () => {
    expect(imageProcess(spec({ script: 'echo $MODE' }), python)).toMatchObject({ argv: ['/bin/sh', '-c', 'echo $MODE'] });
  });

  test('behavior: workdir is the spec’s, else the image’s (relative ones from /), else /', () => {
    expect(imageProcess(spec({ workdir: '/in' }), python)).toMatchObject({ workdir: '/in' });
    expect(imageProcess(spec({}), { ...python, workingDir: 'srv/app/' })).toMatchObject({ workdir: '/srv/app' });
    expect(imageProcess(spec({}), { ...python, workingDir: '' })).toMatchObject({ workdir: '/' });
    expect(imageProcess(spec({}), { env: [], cmd: ['true'] })).toMatchObject({ workdir: '/', env: { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', HOME: '/tmp' } });
  });

  test('behavior: the image may set HOME; an Env entry without "=" is ignored; values keep their "="', () => {
    const r = imageProcess(spec({}), { env: ['HOME=/root', 'JUSTANAME', '=x', 'OPTS=a=b'], cmd: ['true'] });
    expect(r).toMatchObject({ env: { HOME: '/root', OPTS: 'a=b' } });
    expect(Object.keys((r as { env: object }).env).sort()).toEqual(['HOME', 'OPTS', 'PATH']);
  });

  test('error: an image without Entrypoint or Cmd and a spec without command', () => {
    expect(imageProcess(spec({}), { env: [] })).toEqual({ error: 'the image has no Entrypoint or Cmd and the spec no command' });
    expect(imageProcess(spec({}), { env: [], entrypoint: [], cmd: [] })).toEqual({ error: 'the image has no Entrypoint or Cmd and the spec no command' });
  });

  test('error: NUL bytes from an untrusted config', () => {
    expect(imageProcess(spec({}), { env: [], cmd: ['a\0b'] })).toEqual({ error: "the image's Entrypoint/Cmd contains a NUL byte" });
    expect(imageProcess(spec({}), { env: ['A=\0'], cmd: ['true'] })).toMatchObject({ error: expect.stringContaining('contains a NUL byte') });
    expect(imageProcess(spec({}), { env: [], cmd: ['true'], workingDir: '/a\0' })).toEqual({ error: "the image's WorkingDir contains a NUL byte" });
  });
});
