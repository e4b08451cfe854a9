import { Writable } from 'node:stream';
import { generatePrivateKey } from 'viem/accounts';
import { describe, expect, test } from 'vitest';
import { loadWorkerKey } from '../sdk/node/keys';
import { createWorkerLogger } from './logger';

describe('createWorkerLogger', () => {
  test('behavior: secrets are redacted wherever they sit in a log line', async () => {
    const key = generatePrivateKey();
    let out = '';
    const sink = new Writable({ write: (chunk, _enc, cb) => ((out += String(chunk)), cb()) });
    const log = createWorkerLogger({ level: 'info' }, sink);
    const { account } = await loadWorkerKey({ env: { LOOM_WORKER_KEY: key } });
    log.info({ privateKey: key, config: { privateKey: key, password: 'pw' }, env: { LOOM_WORKER_KEY: key, LOOM_KEYSTORE_PASSWORD: 'pw' }, account }, 'starting');
    expect(out).toContain('"privateKey":"[redacted]"');
    expect(out).toContain('"LOOM_WORKER_KEY":"[redacted]"');
    expect(out).toContain(account.address);
    expect(out).not.toContain(key.slice(2));
    expect(out).not.toContain('"pw"');
  });
});
