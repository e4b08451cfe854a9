/**
 * The S3 artifact store against a real S3-speaking server (s3rver on loopback, testkit/s3.ts): the
 * store contract (artifactStore.ts), the multipart path, list/delete, the sweep of leftovers, and
 * the configuration from the environment. Every store has its own prefix in one bucket, and records
 * the S3 commands its client sent.
 */
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type S3Server, startS3 } from '../../testkit/s3';
import { ArtifactError, type ArtifactHash } from './artifactStore';
import { artifactStoreFromEnv, s3OptionsFromEnv } from './artifactStoreFromEnv';
import { LocalArtifactStore } from './localArtifactStore';
import { S3ArtifactStore, type S3ArtifactStoreOptions } from './s3ArtifactStore';

const MiB = 1024 * 1024;
let s3: S3Server;
const clients: S3Client[] = [];

beforeAll(async () => {
  s3 = await startS3();
});
afterAll(() => {
  for (const c of clients) c.destroy();
});

let n = 0;
/** A store under a prefix of its own, 5 MiB parts, and the names of the S3 commands it sends. */
function setup(options: Partial<S3ArtifactStoreOptions> = {}) {
  const prefix = `store${n++}`;
  const client = new S3Client(s3.clientConfig);
  clients.push(client);
  const commands: string[] = [];
  client.middlewareStack.add(
    (next, context) => (args) => {
      commands.push(context.commandName ?? '?');
      return next(args);
    },
    { step: 'initialize', name: 'recordCommand' },
  );
  const store = new S3ArtifactStore({ bucket: s3.bucket, prefix, client, partSize: 5 * MiB, ...options });
  const count = (name: string) => commands.filter((c) => c === name).length;
  return { store, prefix, commands, count, keys: () => keysUnder(`${prefix}/`) };
}

async function keysUnder(Prefix: string): Promise<string[]> {
  const out = await s3.client.send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix }));
  return (out.Contents ?? []).map((o) => o.Key!).sort();
}

const sha = (b: string | Uint8Array) => `0x${createHash('sha256').update(b).digest('hex')}` as ArtifactHash;
const keyOf = (prefix: string, hash: string) => `${prefix}/${hash.slice(2, 4)}/${hash.slice(2)}`;

/** `bytes` as a Node stream of uneven chunks (not aligned with any part). */
function streamOf(bytes: Uint8Array, chunk = MiB + 7): Readable {
  return Readable.from(
    (function* () {
      for (let i = 0; i < bytes.length; i += chunk) yield bytes.subarray(i, i + chunk);
    })(),
  );
}

async function readAll(body: ReadableStream<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const c of body as unknown as AsyncIterable<Uint8Array>) parts.push(c);
  return Buffer.concat(parts);
}

async function refusal(promise: Promise<unknown>): Promise<ArtifactError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ArtifactError);
  return err as ArtifactError;
}

describe('S3 artifact store (s3rver)', () => {
  test('default: a small artifact goes to <prefix>/<2 hex>/<64 hex> in one PutObject; get and has find it; a re-put is created: false', async () => {
    const { store, prefix, keys, count } = setup();
    const bytes = new TextEncoder().encode('hello loom');
    expect(await store.put(bytes)).toEqual({ hash: sha(bytes), size: 10, created: true });
    expect(await keys()).toEqual([keyOf(prefix, sha(bytes))]);
    expect(count('PutObjectCommand')).toBe(1);
    expect(count('CreateMultipartUploadCommand')).toBe(0);

    const found = await store.get(sha(bytes));
    expect(found?.size).toBe(10);
    expect((await readAll(found!.body)).toString()).toBe('hello loom');
    expect(await store.has(sha(bytes))).toBe(true);

    // The same bytes again, as a web stream: stored already, nothing written.
    const again = await store.put(new Blob([bytes]).stream(), { expected: sha(bytes) });
    expect(again).toEqual({ hash: sha(bytes), size: 10, created: false });
    expect(count('PutObjectCommand')).toBe(1);
    expect(await keys()).toEqual([keyOf(prefix, sha(bytes))]);

    const unknown = sha('nothing stored');
    expect(await store.get(unknown)).toBeNull();
    expect(await store.has(unknown)).toBe(false);

    // The empty artifact is an artifact too.
    expect(await store.put(new Uint8Array(0))).toEqual({ hash: sha(''), size: 0, created: true });
    expect((await store.get(sha('')))?.size).toBe(0);
  });

  test('behavior: 20 MiB streams as a multipart upload of 5 MiB parts to tmp/, is copied to its hash, and tmp/ is emptied', async () => {
    const { store, prefix, keys, count } = setup();
    const bytes = randomBytes(20 * MiB + 123);
    const result = await store.put(streamOf(bytes));
    expect(result).toEqual({ hash: sha(bytes), size: bytes.length, created: true });
    expect(count('CreateMultipartUploadCommand')).toBe(1);
    expect(count('UploadPartCommand')).toBe(5); // 4 × 5 MiB + 123 bytes
    expect(count('CompleteMultipartUploadCommand')).toBe(1);
    expect(count('CopyObjectCommand')).toBe(1);
    expect(count('PutObjectCommand')).toBe(0);
    expect(await keys()).toEqual([keyOf(prefix, sha(bytes))]);

    const found = await store.get(sha(bytes));
    expect(found?.size).toBe(bytes.length);
    expect(sha(await readAll(found!.body))).toBe(sha(bytes));

    // Again: uploaded and hashed, found stored, the temporary object removed, nothing copied.
    expect(await store.put(streamOf(bytes))).toEqual({ hash: sha(bytes), size: bytes.length, created: false });
    expect(count('CopyObjectCommand')).toBe(1);
    expect(await keys()).toEqual([keyOf(prefix, sha(bytes))]);
  });

  test('behavior: a hash mismatch or an over-size upload is refused and keeps nothing, in one part or in many', async () => {
    const { store, keys, count } = setup();
    const small = new TextEncoder().encode('abd');
    expect((await refusal(store.put(small, { expected: sha('abc') }))).code).toBe('HASH_MISMATCH');
    expect((await refusal(store.put(new Uint8Array(100), { maxBytes: 10 }))).code).toBe('TOO_LARGE');
    expect(count('PutObjectCommand')).toBe(0);

    const large = randomBytes(12 * MiB);
    expect((await refusal(store.put(streamOf(large), { expected: sha('something else') }))).code).toBe('HASH_MISMATCH');
    expect(count('CompleteMultipartUploadCommand')).toBe(1);
    expect((await refusal(store.put(streamOf(large), { maxBytes: 7 * MiB }))).code).toBe('TOO_LARGE');
    expect(count('AbortMultipartUploadCommand')).toBe(1);
    expect(count('CopyObjectCommand')).toBe(0);

    // (s3rver answers AbortMultipartUpload with 405 and keeps the parts where no client sees them;
    // S3 discards them. What matters here: the store asked, and no object is visible.)
    expect(await keys()).toEqual([]);
    expect(await store.has(sha(large))).toBe(false);
  });

  test('behavior: artifacts are at most maxObjectBytes (5 GiB, one CopyObject) even without maxBytes', async () => {
    const { store, keys, count } = setup({ maxObjectBytes: 7 * MiB });
    expect((await refusal(store.put(streamOf(randomBytes(12 * MiB))))).code).toBe('TOO_LARGE');
    expect(count('AbortMultipartUploadCommand')).toBe(1);
    expect(await keys()).toEqual([]);
    expect(new S3ArtifactStore({ bucket: 'b', client: store.client, maxObjectBytes: 6 * 1024 ** 3 })).toMatchObject({ maxObjectBytes: 5 * 1024 ** 3 });
  });

  test('behavior: list yields stored artifacts (not uploads in progress) with size and time; delete removes one, once', async () => {
    const { store, prefix } = setup();
    const started = Date.now();
    const items = ['one', 'two', 'three'].map((s) => new TextEncoder().encode(s));
    for (const b of items) await store.put(b);
    await s3.client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: `${prefix}/tmp/leftover`, Body: 'partial' }));

    const listed = [];
    for await (const a of store.list()) listed.push(a);
    expect(listed.map((a) => [a.hash, a.size]).sort()).toEqual(items.map((b) => [sha(b), b.length]).sort());
    for (const a of listed) {
      expect(a.storedAt).toBeInstanceOf(Date);
      // The server's clock: only roughly ours (a minute either way).
      expect(Math.abs(a.storedAt.getTime() - started)).toBeLessThan(60_000);
    }

    expect(await store.delete(sha('two'))).toBe(true);
    expect(await store.delete(sha('two'))).toBe(false);
    expect(await store.get(sha('two'))).toBeNull();
    const after = [];
    for await (const a of store.list()) after.push(a.hash);
    expect(after.sort()).toEqual([sha('one'), sha('three')].sort());
  });

  test('behavior: sweepTemporary removes temporary objects older than the age given', async () => {
    const { store, prefix, keys } = setup();
    await store.put(new TextEncoder().encode('kept'));
    await s3.client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: `${prefix}/tmp/crashed`, Body: 'partial' }));
    // Younger than a day: maybe another replica's upload in progress, kept.
    expect(await store.sweepTemporary()).toBe(0);
    expect(await keys()).toContain(`${prefix}/tmp/crashed`);
    expect(await store.sweepTemporary(0)).toBe(1);
    expect(await keys()).toEqual([keyOf(prefix, sha('kept'))]);
  });

  test('error: a bucket that does not exist is named in the error', async () => {
    const { store } = setup();
    const missing = new S3ArtifactStore({ bucket: 'no-such-bucket', client: store.client });
    await expect(missing.put(new Uint8Array(1))).rejects.toThrow(/S3 bucket "no-such-bucket" is not reachable/);
  });
});

describe('artifact store from the environment', () => {
  test('default: without LOOM_ARTIFACT_S3_BUCKET the local disk; with it, the bucket', async () => {
    expect(artifactStoreFromEnv({ LOOM_ARTIFACT_DIR: '/tmp/loom-artifacts-x' })).toBeInstanceOf(LocalArtifactStore);
    const store = artifactStoreFromEnv({ ...s3.env, LOOM_ARTIFACT_S3_PREFIX: '/env/', LOOM_ARTIFACT_S3_PART_SIZE: String(6 * MiB) });
    expect(store).toBeInstanceOf(S3ArtifactStore);
    const s = store as S3ArtifactStore;
    expect([s.bucket, s.prefix, s.partSize]).toEqual([s3.bucket, 'env', 6 * MiB]);
    expect(await s.client.config.forcePathStyle).toBe(true);
    s.client.destroy();
    // The default prefix, and virtual-host style against AWS itself.
    const aws = s3OptionsFromEnv({ LOOM_ARTIFACT_S3_BUCKET: 'b', AWS_REGION: 'eu-west-1' })!;
    expect(aws).toMatchObject({ bucket: 'b', clientConfig: { region: 'eu-west-1', forcePathStyle: false } });
    expect(new S3ArtifactStore(aws).prefix).toBe('artifacts');
  });

  test('error: bad settings are refused with the variable named', () => {
    expect(() => artifactStoreFromEnv({ LOOM_ARTIFACT_S3_ENDPOINT: 'http://127.0.0.1:9000' })).toThrow(/LOOM_ARTIFACT_S3_ENDPOINT is set but LOOM_ARTIFACT_S3_BUCKET is not/);
    expect(() => artifactStoreFromEnv({ LOOM_ARTIFACT_S3_BUCKET: 'b', LOOM_ARTIFACT_S3_PART_SIZE: '1000' })).toThrow(/LOOM_ARTIFACT_S3_PART_SIZE must be a whole number of bytes, at least 5242880/);
    expect(() => artifactStoreFromEnv({ LOOM_ARTIFACT_S3_BUCKET: 'b', LOOM_ARTIFACT_S3_ENDPOINT: '127.0.0.1:9000' })).toThrow(/LOOM_ARTIFACT_S3_ENDPOINT must be an http/);
    expect(() => artifactStoreFromEnv({ LOOM_ARTIFACT_S3_BUCKET: 'b', LOOM_ARTIFACT_S3_FORCE_PATH_STYLE: 'maybe' })).toThrow(/LOOM_ARTIFACT_S3_FORCE_PATH_STYLE must be true or false/);
  });
});
