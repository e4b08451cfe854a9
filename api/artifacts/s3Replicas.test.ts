/**
 * Two API replicas on one bucket: two Ponder processes serving the API, configured only by the
 * environment (LOOM_ARTIFACT_S3_*, testkit/s3.ts) to keep artifacts in the same s3rver bucket. What
 * is uploaded through one is downloaded through the other. With DATABASE_URL the replicas are the
 * production shape, `ponder start` and a separate `ponder serve` on one database; without it, two
 * `ponder start` on PGlite (the artifact store does not care which).
 */
import { createHash, randomBytes } from 'node:crypto';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startChain } from '../../testkit/chain';
import { type Indexer, startIndexer } from '../../testkit/indexer';
import { type S3Server, startS3 } from '../../testkit/s3';

const MiB = 1024 * 1024;
const postgresUrl = process.env.DATABASE_URL;
let s3: S3Server;
let a: Indexer;
let b: Indexer;

beforeAll(async () => {
  const chain = await startChain({ name: 's3-replicas' });
  s3 = await startS3();
  // 5 MiB parts: a 12 MiB upload goes the multipart way inside the API process.
  // Who may upload is signedUploads.test.ts's concern; here the point is where the bytes live.
  const env = { ...s3.env, LOOM_ARTIFACT_S3_PART_SIZE: String(5 * MiB), LOOM_ARTIFACTS_ALLOW_ANONYMOUS: '1' };
  // Each replica also gets a local artifact directory of its own: were the bucket ignored, nothing
  // would be shared.
  if (postgresUrl) {
    a = await startIndexer(chain, { schema: 's3_replicas', postgres: postgresUrl, env, artifactDir: true });
    b = await startIndexer(chain, { schema: 's3_replicas', databaseUrl: a.databaseUrl, mode: 'serve', env, artifactDir: true });
  } else {
    a = await startIndexer(chain, { schema: 's3_replica_a', env, artifactDir: true });
    b = await startIndexer(chain, { schema: 's3_replica_b', env, artifactDir: true });
  }
});
afterAll(async () => {
  await b?.stop();
  await a?.stop();
});

async function keys(): Promise<string[]> {
  const out = await s3.client.send(new ListObjectsV2Command({ Bucket: s3.bucket }));
  return (out.Contents ?? []).map((o) => o.Key!);
}

const sha = (bytes: Uint8Array) => `0x${createHash('sha256').update(bytes).digest('hex')}`;

describe('artifacts on S3 across API replicas', () => {
  test('behavior: an artifact uploaded through one replica is downloaded through the other', async () => {
    const bytes = randomBytes(12 * MiB + 1);
    const hash = sha(bytes);
    const put = await fetch(`${a.url}/artifacts/${hash}`, { method: 'PUT', body: bytes });
    expect(put.status).toBe(201);
    expect(await put.json()).toMatchObject({ hash, size: bytes.length, created: true });
    // In the bucket, under the default prefix, and nothing left under tmp/.
    expect(await keys()).toContain(`artifacts/${hash.slice(2, 4)}/${hash.slice(2)}`);
    expect((await keys()).filter((k) => k.startsWith('artifacts/tmp/'))).toEqual([]);

    const got = await fetch(`${b.url}/artifacts/${hash}`);
    expect(got.status).toBe(200);
    expect(got.headers.get('content-length')).toBe(String(bytes.length));
    expect(got.headers.get('etag')).toBe(`"${hash}"`);
    expect(sha(new Uint8Array(await got.arrayBuffer()))).toBe(hash);
    const head = await fetch(`${b.url}/artifacts/${hash}`, { method: 'HEAD' });
    expect([head.status, head.headers.get('content-length')]).toEqual([200, String(bytes.length)]);

    // The other replica knows it is stored: a re-upload there is answered created: false.
    const again = await fetch(`${b.url}/artifacts/${hash}`, { method: 'PUT', body: bytes });
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ hash, created: false });
  });

  test('behavior: the other way round, a small artifact without an expected hash; unknown hashes are 404 on both', async () => {
    const bytes = new TextEncoder().encode('result bundle from a worker');
    const put = await fetch(`${b.url}/artifacts`, { method: 'PUT', body: bytes });
    expect(put.status).toBe(201);
    const { hash } = (await put.json()) as { hash: string };
    expect(hash).toBe(sha(bytes));
    expect(await keys()).toContain(`artifacts/${hash.slice(2, 4)}/${hash.slice(2)}`);
    const got = await fetch(`${a.url}/artifacts/${hash}`);
    expect(got.status).toBe(200);
    expect(await got.text()).toBe('result bundle from a worker');

    const unknown = sha(new TextEncoder().encode('never uploaded'));
    for (const replica of [a, b]) expect((await fetch(`${replica.url}/artifacts/${unknown}`)).status).toBe(404);
  });
});
