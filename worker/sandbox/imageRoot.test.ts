import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type MountPoint, fatalFailures, planImageRoot } from './imageRoot';

const root = mkdtempSync(join(os.tmpdir(), 'loom-image-root-'));

beforeAll(() => {
  for (const d of ['etc', 'usr/lib', 'usr/local/bin', 'opt/app', 'proc/self', 'tmp', 'in', 'out']) mkdirSync(join(root, d), { recursive: true });
  chmodSync(join(root, 'opt'), 0o750);
  writeFileSync(join(root, 'etc/hosts'), '127.0.0.1 image\n');
  writeFileSync(join(root, 'opt/app/data'), 'x');
  writeFileSync(join(root, 'README'), 'top-level file\n');
  symlinkSync('usr/lib', join(root, 'lib'));
  // Absolute and escaping links: an untrusted image may hold anything.
  symlinkSync('/etc', join(root, 'usr/local/etc'));
  symlinkSync('../../../../..', join(root, 'opt/up'));
  execFileSync('mkfifo', [join(root, 'fifo')]);
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

const file = (path: string, extra: Partial<MountPoint> = {}): MountPoint => ({ path, kind: 'file', purpose: `mount ${path}`, ...extra });

describe('planImageRoot', () => {
  test('default: the top-level entries bound or linked, those the sandbox provides and special files left out', async () => {
    expect(await planImageRoot(root, [])).toEqual({
      tree: [
        { op: 'bind', source: join(root, '/README'), path: '/README' },
        { op: 'bind', source: join(root, '/etc'), path: '/etc' },
        { op: 'symlink', target: 'usr/lib', path: '/lib' },
        { op: 'bind', source: join(root, '/opt'), path: '/opt' },
        { op: 'bind', source: join(root, '/usr'), path: '/usr' },
      ],
      failed: [],
    });
  });

  test('behavior: a missing mount point expands the directories on its way, with their modes; an existing one expands nothing', async () => {
    const { tree, failed } = await planImageRoot(root, [file('/opt/app/new/input.bin'), file('/etc/hosts'), file('/in/x'), file('/nowhere/x')]);
    expect(failed).toEqual([]);
    expect(tree).toEqual([
      { op: 'bind', source: join(root, '/README'), path: '/README' },
      { op: 'bind', source: join(root, '/etc'), path: '/etc' },
      { op: 'symlink', target: 'usr/lib', path: '/lib' },
      { op: 'dir', path: '/opt', mode: 0o750 },
      { op: 'dir', path: '/opt/app', mode: 0o755 },
      { op: 'bind', source: join(root, '/opt/app/data'), path: '/opt/app/data' },
      { op: 'symlink', target: '../../../../..', path: '/opt/up' },
      { op: 'bind', source: join(root, '/usr'), path: '/usr' },
    ]);
  });

  test('error: links on the way, a file where a directory must be, a directory where a file must be', async () => {
    const { failed } = await planImageRoot(root, [
      file('/usr/local/etc/passwd'),
      file('/lib/libcuda.so.1'),
      file('/opt/up/etc/shadow'),
      file('/README/x'),
      file('/opt/app'),
      { path: '/opt/app/data', kind: 'dir', purpose: 'the working directory' },
      { path: '/lib/work', kind: 'dir', purpose: 'the working directory', linkOk: true },
      file('/usr/local/etc/hosts', { optional: true }),
    ]);
    expect(failed.map((f) => [f.reason, f.link])).toEqual([
      ['mount /usr/local/etc/passwd: /usr/local/etc is a symbolic link in the image, so /usr/local/etc/passwd cannot be mounted there', true],
      ['mount /lib/libcuda.so.1: /lib is a symbolic link in the image, so /lib/libcuda.so.1 cannot be mounted there', true],
      ['mount /opt/up/etc/shadow: /opt/up is a symbolic link in the image, so /opt/up/etc/shadow cannot be mounted there', true],
      ['mount /README/x: /README is not a directory in the image, so /README/x cannot be made', false],
      ['mount /opt/app: /opt/app is a directory (or another non-file) in the image, so a file cannot be mounted there', false],
      ['the working directory: /opt/app/data is not a directory in the image', false],
      ['the working directory: /lib is a symbolic link in the image, so /lib/work cannot be mounted there', true],
      ['mount /usr/local/etc/hosts: /usr/local/etc is a symbolic link in the image, so /usr/local/etc/hosts cannot be mounted there', true],
    ]);
    // Optional points and a working directory behind a link do not refuse the job.
    expect(fatalFailures(failed).map((f) => f.point.path)).toEqual(['/usr/local/etc/passwd', '/lib/libcuda.so.1', '/opt/up/etc/shadow', '/README/x', '/opt/app', '/opt/app/data']);
  });
});
