/**
 * A worker killed (SIGKILL) in the middle of a pull leaves nothing a later run could take for a
 * complete image, and the next run pulls it whole. The pull runs in a child process
 * (test/prepareInChild.ts), killed as soon as its first blob download appears under tmp/.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { bigImage, pushImage } from '../../testkit/images';
import { registerProcess } from '../../testkit/reaper';
import { startRegistry } from '../../testkit/registry';
import { root } from '../../testkit/root';
import { tempDir } from '../../testkit/tempDir';
import { ImageStore } from './imageStore';

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

test('behavior: a pull killed midway leaves no complete-looking root, and a new store pulls the image fine', async () => {
  const registry = await startRegistry();
  const work = tempDir('image-crash');
  const img = await bigImage(work, 'crash', 96 << 20, 3);
  const pushed = await pushImage(registry, img, 'loom/crash');
  const dir = join(work, 'store');

  const child = spawn(join(root, 'node_modules/.bin/tsx'), [join(root, 'worker/image/test/prepareInChild.ts'), dir, pushed.text, registry.host], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d));
  child.stderr!.on('data', (d: Buffer) => (output += d));
  registerProcess('prepareInChild', child, { logs: () => output, signal: 'SIGKILL' });
  const exited = new Promise<NodeJS.Signals | number | null>((r) => child.once('exit', (code, signal) => r(signal ?? code)));

  // Killed the moment a blob is being written.
  const tmp = join(dir, 'tmp');
  const started = Date.now();
  while (!(existsSync(tmp) && readdirSync(tmp).some((n) => n.startsWith('blob-')))) {
    if (child.exitCode !== null) throw new Error(`the child ended before it was killed: ${output}`);
    if (Date.now() - started > 60_000) throw new Error(`no download appeared in ${tmp}: ${output}`);
    await new Promise((r) => setTimeout(r, 2));
  }
  child.kill('SIGKILL');
  expect(await exited).toBe('SIGKILL');
  expect(output).not.toContain('prepared');
  expect(readdirSync(join(dir, 'roots'))).toEqual([]);
  expect(readdirSync(tmp).length).toBeGreaterThan(0);

  const store = await ImageStore.open({ dir, cacheBytes: 1 << 30, maxImageBytes: 1 << 30, allowedRegistries: [registry.host] });
  expect(readdirSync(tmp)).toEqual([]);
  const image = await store.prepare(pushed.ref);
  expect(image.pulled).toBe(true);
  for (let layer = 0; layer < 3; layer++) {
    for (const name of readdirSync(join(work, `crash-data-${layer}`))) {
      expect(sha(join(image.rootDir, 'data', String(layer), name))).toBe(sha(join(work, `crash-data-${layer}`, name)));
    }
  }
  await image.release();
}, 120_000);
