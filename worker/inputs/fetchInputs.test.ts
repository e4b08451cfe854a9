import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { JobInput } from '../../sdk/spec/jobSpec';
import { GOOD, type InputServer, sha256, startInputServer } from '../test/inputServer';
import { fetchInputs, isLocalAddress } from './fetchInputs';

let server: InputServer;
const root = mkdtempSync(join(tmpdir(), 'loom-inputs-'));
beforeAll(async () => {
  server = await startInputServer();
});
afterAll(async () => {
  await server.close();
  rmSync(root, { recursive: true, force: true });
});

let n = 0;
const dir = () => join(root, `job${n++}`);
const input = (name: string, path: string, hash = sha256(GOOD), extra: Partial<JobInput> = {}): JobInput => ({ name, uri: `${server.url}${path}`, sha256: hash, mountPath: `/in/${name}`, ...extra });
/** The test server is on loopback, which the worker refuses by default. */
const local = { allowPrivateNetwork: true };

describe('fetchInputs', () => {
  test('default: a good input is stored read-only under its name, after its hash is checked', async () => {
    const d = dir();
    const staged = await fetchInputs([input('good.txt', '/good.txt')], { dir: d, ...local });
    expect(staged).toEqual([{ name: 'good.txt', sha256: sha256(GOOD), size: GOOD.length, hostPath: join(d, 'good.txt'), mountPath: '/in/good.txt' }]);
    expect(readFileSync(join(d, 'good.txt'), 'utf8')).toBe(GOOD);
    expect(statSync(join(d, 'good.txt')).mode & 0o777).toBe(0o444);
  });

  test('error: an input whose bytes do not match its sha256 is refused, and nothing is left behind', async () => {
    const d = dir();
    const err = await fetchInputs([input('data.txt', '/tampered.txt')], { dir: d, ...local }).catch((e: Error) => e);
    expect(String(err)).toBe(`WorkerError: INPUT_REJECTED: input "data.txt" (${server.url}/tampered.txt): sha256 mismatch: expected ${sha256(GOOD)}, got ${sha256('hello l00m\n')}`);
    expect(readdirSync(d)).toEqual([]);
  });

  test('behavior: redirects are followed and artifact:// reads the artifact store', async () => {
    const staged = await fetchInputs(
      [input('r.txt', '/redirect'), { name: 'a.txt', uri: `artifact://${sha256(GOOD)}`, sha256: sha256(GOOD), mountPath: '/in/a.txt' }],
      { dir: dir(), ...local, artifactBaseUrl: server.url },
    );
    expect(staged.map((s) => s.size)).toEqual([GOOD.length, GOOD.length]);
    await expect(fetchInputs([{ name: 'a', uri: `artifact://${sha256(GOOD)}`, sha256: sha256(GOOD), mountPath: '/in/a' }], { dir: dir() })).rejects.toThrow(
      'artifact:// inputs need an artifact store, and none is configured',
    );
  });

  test('error: size limits, from Content-Length and while streaming, and the declared size', async () => {
    await expect(fetchInputs([input('big', '/big', 'a'.repeat(64))], { dir: dir(), ...local, maxInputBytes: 2 ** 20 })).rejects.toThrow('it is 2097152 bytes, over the 1048576-byte limit');
    const d = dir();
    await expect(fetchInputs([input('stream', '/stream', 'a'.repeat(64))], { dir: d, ...local, maxInputBytes: 2 ** 20 })).rejects.toThrow('it is over the 1048576-byte limit');
    expect(readdirSync(d)).toEqual([]);
    await expect(fetchInputs([input('g', '/good.txt', sha256(GOOD), { size: 2 ** 30 })], { dir: dir(), ...local, maxInputBytes: 2 ** 20 })).rejects.toThrow('its declared size 1073741824 bytes is over');
    await expect(fetchInputs([input('g', '/good.txt', sha256(GOOD), { size: 3 })], { dir: dir(), ...local })).rejects.toThrow('size mismatch: expected 3 bytes, got 11');
  });

  test('error: timeouts, HTTP errors and local addresses', async () => {
    await expect(fetchInputs([input('slow', '/slow')], { dir: dir(), ...local, timeoutMs: 300 })).rejects.toThrow(/^INPUT_REJECTED: input "slow" \(.*\/slow\): timed out$/);
    await expect(fetchInputs([input('m', '/missing')], { dir: dir(), ...local })).rejects.toThrow(`HTTP 404 from ${server.url}`);
    const before = server.hits.length;
    await expect(fetchInputs([input('good.txt', '/good.txt')], { dir: dir() })).rejects.toThrow('127.0.0.1 is a local or private address (127.0.0.1); the worker only fetches from public hosts');
    expect(server.hits.length).toBe(before);
  });

  test('behavior: local address ranges', () => {
    for (const a of ['127.0.0.1', '10.1.2.3', '172.16.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', '::ffff:127.0.0.1', 'fd00::1', 'fe80::1']) expect(isLocalAddress(a), a).toBe(true);
    for (const a of ['8.8.8.8', '172.32.0.1', '2606:4700::1111']) expect(isLocalAddress(a), a).toBe(false);
  });
});
