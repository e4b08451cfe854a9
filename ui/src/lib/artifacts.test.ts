import { createHash } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { downloadAndVerify, downloadUrlOf, formatBytes, sha256Hex } from './artifacts';

const bytes = new TextEncoder().encode('hello from Loom\n');
const hash = `0x${createHash('sha256').update(bytes).digest('hex')}`;

describe('results', () => {
  test('default: artifact:// URIs download from the artifact store; http(s) as they are', () => {
    expect(downloadUrlOf(`artifact://${'AB'.repeat(32)}`, 'http://127.0.0.1:42069/')).toBe(`http://127.0.0.1:42069/artifacts/0x${'ab'.repeat(32)}`);
    expect(downloadUrlOf('https://results.example/r.tar', 'http://x')).toBe('https://results.example/r.tar');
    expect(downloadUrlOf('ipfs://bafy', 'http://x')).toBeUndefined();
    expect(downloadUrlOf('artifact://short', 'http://x')).toBeUndefined();
  });

  test('default: sha256 in the browser’s form (crypto.subtle)', async () => {
    expect(await sha256Hex(bytes)).toBe(hash);
  });

  test('behavior: a download that hashes to the on-chain hash is verified; another is not', async () => {
    const fetchOk = (async () => new Response(bytes)) as typeof fetch;
    const ok = await downloadAndVerify('http://x', hash.toUpperCase().replace('0X', '0x'), fetchOk);
    expect(ok).toMatchObject({ ok: true, actual: hash, size: bytes.length });
    const bad = await downloadAndVerify('http://x', `0x${'00'.repeat(32)}`, fetchOk);
    expect(bad.ok).toBe(false);
  });

  test('error: a failed download says how', async () => {
    const missing = (async () => new Response('nope', { status: 404, statusText: 'Not Found' })) as typeof fetch;
    await expect(downloadAndVerify('http://x', hash, missing)).rejects.toThrow('the artifact store answered 404 Not Found');
  });

  test('default: sizes', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(5 * 1024 ** 3)).toBe('5 GiB');
  });
});
