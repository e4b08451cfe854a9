import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { packOutputs } from './packOutputs';

const root = mkdtempSync(join(tmpdir(), 'loom-pack-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let n = 0;
function dir(): string {
  const d = join(root, `t${n++}`);
  mkdirSync(d);
  return d;
}

const files: [string, string][] = [
  ['model.bin', 'weights'],
  ['logs/train.log', 'epoch 1\nepoch 2\n'],
  ['logs/eval/metrics.json', '{"acc":0.9}'],
  ['z-last', ''],
  [`deep/${'d'.repeat(90)}/${'e'.repeat(90)}/${'f'.repeat(90)}.txt`, 'long path needs pax'],
];

/** Writes the same tree in a given order with given timestamps and modes. */
function writeTree(d: string, order: number[], mtime: number, umaskish: number): void {
  for (const i of order) {
    const [rel, body] = files[i]!;
    mkdirSync(join(d, rel, '..'), { recursive: true });
    writeFileSync(join(d, rel), body);
    chmodSync(join(d, rel), umaskish);
    utimesSync(join(d, rel), mtime, mtime);
  }
  writeFileSync(join(d, 'run.sh'), '#!/bin/sh\n');
  chmodSync(join(d, 'run.sh'), 0o700);
  symlinkSync('logs/train.log', join(d, 'latest.log'));
}

async function pack(d: string, outputs = ['/out']) {
  return packOutputs({ outDir: d, outputs, destination: `${d}.tar`, maxBytes: 2 ** 20 });
}

describe('packOutputs', () => {
  test('default: the same tree packs to the same bytes whatever the mtimes, modes and creation order', async () => {
    const a = dir();
    const b = dir();
    writeTree(a, [0, 1, 2, 3, 4], 1_000_000, 0o600);
    writeTree(b, [4, 3, 2, 1, 0], 2_000_000, 0o664);
    const pa = await pack(a);
    const pb = await pack(b);
    expect(pa.resultHash).toBe(pb.resultHash);
    expect(pa.resultHash).toMatch(/^0x[0-9a-f]{64}$/);
    expect(readFileSync(pa.path).equals(readFileSync(pb.path))).toBe(true);
    expect(pa.sha256).toBe(createHash('sha256').update(readFileSync(pa.path)).digest('hex'));
    // Sorted by path bytes, parents first.
    expect(pa.entries.slice(0, 8)).toEqual(['deep/', `deep/${'d'.repeat(90)}/`, `deep/${'d'.repeat(90)}/${'e'.repeat(90)}/`, `deep/${'d'.repeat(90)}/${'e'.repeat(90)}/${'f'.repeat(90)}.txt`, 'latest.log', 'logs/', 'logs/eval/', 'logs/eval/metrics.json']);
  });

  test('behavior: tar reads it, with fixed owners, modes and times', async () => {
    const d = dir();
    writeTree(d, [0, 1, 2, 3, 4], 1_234_567, 0o640);
    const { path } = await pack(d);
    const listing = execFileSync('tar', ['--numeric-owner', '--full-time', '-tvf', path], { encoding: 'utf8' }).trim().split('\n');
    expect(listing).toContain('-rw-r--r-- 0/0               7 1970-01-01 00:00:00 model.bin');
    expect(listing).toContain('-rwxr-xr-x 0/0              10 1970-01-01 00:00:00 run.sh');
    expect(listing).toContain('drwxr-xr-x 0/0               0 1970-01-01 00:00:00 logs/');
    expect(listing).toContain('lrwxrwxrwx 0/0               0 1970-01-01 00:00:00 latest.log -> logs/train.log');
    expect(listing.some((l) => l.endsWith(`${'f'.repeat(90)}.txt`))).toBe(true);
    // Extracting gives the files back byte for byte, the pax long path included.
    const x = dir();
    execFileSync('tar', ['-xf', path, '-C', x]);
    for (const [rel, body] of files) expect(readFileSync(join(x, rel), 'utf8')).toBe(body);
  });

  test('behavior: outputs select paths under /out, with their parents', async () => {
    const d = dir();
    writeTree(d, [0, 1, 2, 3, 4], 0, 0o644);
    const r = await pack(d, ['/out/logs/eval', '/out/model.bin']);
    expect(r.entries).toEqual(['logs/', 'logs/eval/', 'logs/eval/metrics.json', 'model.bin']);
  });

  test('error: links leaving /out, special files, missing outputs and oversized results are refused', async () => {
    const escaping = dir();
    symlinkSync('../../etc/passwd', join(escaping, 'leak'));
    await expect(pack(escaping)).rejects.toThrow('output /out/leak is a symbolic link leaving the output (../../etc/passwd)');

    const absolute = dir();
    symlinkSync('/etc/passwd', join(absolute, 'leak'));
    await expect(pack(absolute)).rejects.toThrow('symbolic link leaving the output');

    const fifo = dir();
    execFileSync('mkfifo', [join(fifo, 'pipe')]);
    await expect(pack(fifo)).rejects.toThrow('output /out/pipe is not a regular file, directory or symbolic link');

    await expect(pack(dir(), ['/out/missing'])).rejects.toThrow('output /out/missing does not exist');

    const big = dir();
    writeFileSync(join(big, 'big'), Buffer.alloc(2 ** 20));
    await expect(pack(big)).rejects.toThrow(`over the ${2 ** 20}-byte limit`);
  });

  test('behavior: extra files pack exactly as if they had been written under /out, and may not replace an output', async () => {
    const record = '{"loom":"job-run"}\n';
    const a = dir();
    const b = dir();
    writeTree(a, [0, 1, 2, 3, 4], 1_000_000, 0o600);
    writeTree(b, [0, 1, 2, 3, 4], 1_000_000, 0o600);
    mkdirSync(join(b, '.loom'));
    writeFileSync(join(b, '.loom', 'run.json'), record);
    const withExtra = await packOutputs({ outDir: a, outputs: ['/out'], destination: `${a}.tar`, maxBytes: 2 ** 20, extraFiles: [{ path: '.loom/run.json', content: record }] });
    const onDisk = await pack(b);
    expect(readFileSync(withExtra.path).equals(readFileSync(onDisk.path))).toBe(true);
    expect(withExtra.entries.slice(0, 2)).toEqual(['.loom/', '.loom/run.json']);
    expect(execFileSync('tar', ['-xOf', withExtra.path, '.loom/run.json'], { encoding: 'utf8' })).toBe(record);
    // Selected outputs: the extra file still comes with its parents.
    expect((await packOutputs({ outDir: a, outputs: ['/out/logs'], destination: `${a}-logs.tar`, maxBytes: 2 ** 20, extraFiles: [{ path: '.loom/run.json', content: record }] })).entries).toEqual([
      '.loom/', '.loom/run.json', 'logs/', 'logs/eval/', 'logs/eval/metrics.json', 'logs/train.log',
    ]);

    await expect(packOutputs({ outDir: b, outputs: ['/out'], destination: `${b}-2.tar`, maxBytes: 2 ** 20, extraFiles: [{ path: '.loom/run.json', content: record }] })).rejects.toThrow(
      "output /out/.loom/run.json is reserved for the worker's record of the run",
    );
    const c = dir();
    writeFileSync(join(c, '.loom'), 'a file');
    await expect(packOutputs({ outDir: c, outputs: ['/out'], destination: `${c}.tar`, maxBytes: 2 ** 20, extraFiles: [{ path: '.loom/run.json', content: record }] })).rejects.toThrow(
      "output /out/.loom is in the way of the worker's /out/.loom/run.json: that name is reserved",
    );
  });
});
