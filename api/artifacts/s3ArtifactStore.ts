/**
 * The artifact store on S3 or any S3-speaking server (MinIO, Ceph, R2, s3rver...), so that every API
 * replica (`ponder serve`) serves the same artifacts. Chosen by configuration (artifactStoreFromEnv.ts);
 * local disk stays the default.
 *
 * Layout in the bucket: `<prefix>/<first two hex digits>/<64 hex digits>`, and `<prefix>/tmp/` for
 * large uploads in progress.
 *
 * A `put` reads the body once, hashing and counting it as it arrives:
 * - a body of at most one part (`partSize`, 8 MiB by default) is held in memory, checked, and sent
 *   with one PutObject straight to its final key, with its sha256 as `x-amz-checksum-sha256` so the
 *   server also checks what it received;
 * - a larger body streams to a temporary key as a multipart upload (`partSize` parts, `queueSize`
 *   in flight: memory stays near `partSize × (queueSize + 1)`); once the hash is known and checked,
 *   the object is copied to its final key with one CopyObject and the temporary key is deleted. A
 *   refused or failed upload is aborted (AbortMultipartUpload), or its temporary object deleted:
 *   nothing is kept.
 * PutObject, CopyObject and CompleteMultipartUpload each make an object appear whole, so a reader
 * never sees a partial object under a final key.
 *
 * Limit: one CopyObject copies at most 5 GiB, so artifacts are at most 5 GiB (`maxObjectBytes`),
 * refused as TOO_LARGE while streaming past it (the API's own default limit is 1 GiB). Past that, a
 * multipart copy (UploadPartCopy) would be needed: not done, since no server here implements it to test against.
 *
 * Leftovers: temporary objects a crash left behind are removed after a day (`sweepTemporary`, run
 * once per process); multipart uploads a crash left open are for the bucket's lifecycle rule
 * (AbortIncompleteMultipartUpload on `<prefix>/tmp/`, see README.md).
 */
import { createHash, randomBytes } from 'node:crypto';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  type CompletedPart,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { ArtifactError, type ArtifactHash, type ArtifactSource, type ArtifactStore, type PutOptions, type PutResult, type StoredArtifact } from './artifactStore';
import { sourceChunks } from './sourceChunks';

const MiB = 1024 * 1024;
/** S3's smallest part (every part but the last). */
export const MIN_PART_SIZE = 5 * MiB;
/** S3's largest single CopyObject. */
const MAX_COPY_BYTES = 5 * 1024 * MiB;
const DAY_MS = 24 * 60 * 60 * 1000;

export type S3ArtifactStoreOptions = {
  bucket: string;
  /** Key prefix, without slashes at either end; default `artifacts`; `''` for the bucket's root. */
  prefix?: string;
  /** The client to use; default: a new one from `clientConfig`. */
  client?: S3Client;
  /** For the default client: endpoint, region, forcePathStyle, credentials (default: the AWS SDK's chain). */
  clientConfig?: S3ClientConfig;
  /** Multipart part size in bytes, at least 5 MiB (default 8 MiB); bodies up to one part go up in one PutObject. */
  partSize?: number;
  /** Parts uploaded at once (default 4). */
  queueSize?: number;
  /** Largest artifact this store accepts (default and most: 5 GiB, what one CopyObject copies). */
  maxObjectBytes?: number;
};

/** What one stored artifact is, for retention. */
export type ListedArtifact = { hash: ArtifactHash; size: number; storedAt: Date };

/**
 * @example
 * const store = new S3ArtifactStore({ bucket: 'loom', clientConfig: { region: 'eu-west-1' } });
 * const { hash } = await store.put(new TextEncoder().encode('hello'));
 */
export class S3ArtifactStore implements ArtifactStore {
  readonly bucket: string;
  readonly prefix: string;
  readonly client: S3Client;
  readonly partSize: number;
  private readonly queueSize: number;
  readonly maxObjectBytes: number;
  private ready: Promise<void> | undefined;

  constructor(options: S3ArtifactStoreOptions) {
    if (!options.bucket) throw new Error('S3ArtifactStore: a bucket is required');
    this.bucket = options.bucket;
    this.prefix = (options.prefix ?? 'artifacts').replace(/^\/+|\/+$/g, '');
    this.partSize = options.partSize ?? 8 * MiB;
    if (!Number.isSafeInteger(this.partSize) || this.partSize < MIN_PART_SIZE) {
      throw new Error(`S3ArtifactStore: partSize must be a whole number of bytes, at least ${MIN_PART_SIZE} (5 MiB, S3's minimum); got ${options.partSize}`);
    }
    this.queueSize = Math.max(1, options.queueSize ?? 4);
    this.maxObjectBytes = Math.min(options.maxObjectBytes ?? MAX_COPY_BYTES, MAX_COPY_BYTES);
    this.client =
      options.client ??
      new S3Client({
        // We hash every byte ourselves; the SDK's default CRC32 trailers (aws-chunked bodies) are
        // not understood by every S3-speaking server.
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
        ...options.clientConfig,
      });
  }

  /** `<prefix>/<rest>`, or `<rest>` at the bucket's root. */
  private key(rest: string): string {
    return this.prefix ? `${this.prefix}/${rest}` : rest;
  }

  private keyOf(hash: ArtifactHash): string {
    const hex = hash.slice(2);
    return this.key(`${hex.slice(0, 2)}/${hex}`);
  }

  /** Checks the bucket once (a clear error for a wrong name or endpoint), then sweeps old leftovers. */
  private init(): Promise<void> {
    this.ready ??= (async () => {
      try {
        await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
      } catch (err) {
        this.ready = undefined; // a later call tries again
        const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
        throw new Error(`artifact store: S3 bucket "${this.bucket}" is not reachable${status ? ` (HTTP ${status})` : ''}: ${(err as Error).message || (err as Error).name}`, {
          cause: err,
        });
      }
      // Housekeeping only: a failure here must not stop the store from serving.
      await this.sweepTemporary().catch(() => {});
    })();
    return this.ready;
  }

  async has(hash: ArtifactHash): Promise<boolean> {
    await this.init();
    return (await this.head(this.keyOf(hash))) !== null;
  }

  async get(hash: ArtifactHash): Promise<StoredArtifact | null> {
    await this.init();
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.keyOf(hash) }));
      if (!out.Body) throw new Error(`GetObject ${this.keyOf(hash)} answered no body`);
      return { size: Number(out.ContentLength), body: out.Body.transformToWebStream() as ReadableStream<Uint8Array> };
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
  }

  async put(source: ArtifactSource, options: PutOptions = {}): Promise<PutResult> {
    await this.init();
    const maxBytes = Math.min(options.maxBytes ?? Number.POSITIVE_INFINITY, this.maxObjectBytes);
    const hasher = createHash('sha256');
    let size = 0;
    async function* counted(): AsyncGenerator<Uint8Array> {
      for await (const chunk of sourceChunks(source)) {
        size += chunk.length;
        if (size > maxBytes) throw new ArtifactError('TOO_LARGE', `the artifact is over the ${maxBytes}-byte limit`);
        hasher.update(chunk);
        yield chunk;
      }
    }
    const body = counted();

    // Up to one part: in memory, then one PutObject to the final key.
    const first: Uint8Array[] = [];
    let firstBytes = 0;
    let ended = false;
    while (firstBytes <= this.partSize) {
      const next = await body.next();
      if (next.done) {
        ended = true;
        break;
      }
      first.push(next.value);
      firstBytes += next.value.length;
    }
    if (ended) {
      const digest = hasher.digest();
      const hash = this.check(digest, options);
      const key = this.keyOf(hash);
      if ((await this.head(key)) !== null) return { hash, size, created: false };
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Body: Buffer.concat(first),
          ContentLength: size,
          ContentType: 'application/octet-stream',
          ChecksumSHA256: digest.toString('base64'),
        }),
      );
      return { hash, size, created: true };
    }

    // Larger: a multipart upload to a temporary key, checked, then copied to the final key.
    const tmp = this.key(`tmp/${Date.now()}-${randomBytes(8).toString('hex')}`);
    async function* all(): AsyncGenerator<Uint8Array> {
      yield* first;
      yield* body;
    }
    try {
      await this.uploadMultipart(tmp, all());
    } catch (err) {
      // When the upload failed before reading (CreateMultipartUpload), let go of the source too.
      await body.return(undefined).catch(() => {});
      throw err;
    }
    try {
      const hash = this.check(hasher.digest(), options);
      const key = this.keyOf(hash);
      if ((await this.head(key)) !== null) return { hash, size, created: false };
      const CopySource = `${this.bucket}/${encodeURIComponent(tmp).replace(/%2F/g, '/')}`;
      await this.client.send(new CopyObjectCommand({ Bucket: this.bucket, Key: key, CopySource }));
      return { hash, size, created: true };
    } finally {
      // Best effort: what a failed delete leaves under tmp/ is swept later.
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: tmp })).catch(() => {});
    }
  }

  /** Every stored artifact (not uploads in progress), in key order. */
  async *list(): AsyncIterable<ListedArtifact> {
    await this.init();
    const pattern = new RegExp(`^${escapeRegExp(this.key(''))}([0-9a-f]{2})/([0-9a-f]{64})$`);
    let ContinuationToken: string | undefined;
    do {
      const page = await this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: this.key(''), ContinuationToken }));
      for (const object of page.Contents ?? []) {
        const match = object.Key ? pattern.exec(object.Key) : null;
        if (!match || !match[2]!.startsWith(match[1]!)) continue;
        yield { hash: `0x${match[2]}` as ArtifactHash, size: Number(object.Size ?? 0), storedAt: object.LastModified ?? new Date(0) };
      }
      ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (ContinuationToken);
  }

  /** Removes the artifact; false when the store had none. */
  async delete(hash: ArtifactHash): Promise<boolean> {
    await this.init();
    const key = this.keyOf(hash);
    // DeleteObject succeeds whether or not the key exists: ask first.
    if ((await this.head(key)) === null) return false;
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
    return true;
  }

  /**
   * Removes temporary objects under `<prefix>/tmp/` older than `olderThanMs` (default a day:
   * replicas share the bucket, and a younger one may be another replica's upload being copied).
   * Returns how many it removed.
   */
  async sweepTemporary(olderThanMs = DAY_MS): Promise<number> {
    const Prefix = this.key('tmp/');
    const before = Date.now() - olderThanMs;
    let removed = 0;
    let ContinuationToken: string | undefined;
    do {
      const page = await this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix, ContinuationToken }));
      for (const object of page.Contents ?? []) {
        if (object.Key && (object.LastModified?.getTime() ?? 0) <= before) {
          await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: object.Key }));
          removed++;
        }
      }
      ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (ContinuationToken);
    return removed;
  }

  /** The hash, once it passes the client's expectation. */
  private check(digest: Buffer, options: PutOptions): ArtifactHash {
    const hash = `0x${digest.toString('hex')}` as ArtifactHash;
    if (options.expected !== undefined && options.expected.toLowerCase() !== hash) {
      throw new ArtifactError('HASH_MISMATCH', `the bytes hash to ${hash}, not ${options.expected.toLowerCase()}`);
    }
    return hash;
  }

  /** The object's size, or null when there is none. */
  private async head(key: string): Promise<number | null> {
    try {
      const out = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return Number(out.ContentLength ?? 0);
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
  }

  /** Streams `body` to `key` in `partSize` parts, `queueSize` at a time; aborts the upload on any failure. */
  private async uploadMultipart(key: string, body: AsyncIterable<Uint8Array>): Promise<void> {
    const { UploadId } = await this.client.send(
      new CreateMultipartUploadCommand({ Bucket: this.bucket, Key: key, ContentType: 'application/octet-stream' }),
    );
    const parts: CompletedPart[] = [];
    const inFlight: Promise<unknown>[] = [];
    try {
      let PartNumber = 0;
      for await (const part of inParts(body, this.partSize)) {
        const n = ++PartNumber; // at most 5 GiB / 5 MiB = 1024 parts: under S3's 10,000
        const sent = this.client
          .send(new UploadPartCommand({ Bucket: this.bucket, Key: key, UploadId, PartNumber: n, Body: part, ContentLength: part.length }))
          .then((out) => {
            parts[n - 1] = { PartNumber: n, ETag: out.ETag };
          });
        sent.catch(() => {}); // awaited below; this only keeps a failure from being "unhandled" meanwhile
        inFlight.push(sent);
        if (inFlight.length >= this.queueSize) await inFlight.shift();
      }
      await Promise.all(inFlight);
      await this.client.send(new CompleteMultipartUploadCommand({ Bucket: this.bucket, Key: key, UploadId, MultipartUpload: { Parts: parts } }));
    } catch (err) {
      await Promise.allSettled(inFlight);
      await this.client.send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: key, UploadId })).catch(() => {});
      throw err;
    }
  }
}

/** A missing object (not a missing bucket, which is a configuration error and must surface). */
function isNotFound(err: unknown): boolean {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  if (e.name === 'NoSuchBucket') return false;
  return e.name === 'NoSuchKey' || e.name === 'NotFound' || e.$metadata?.httpStatusCode === 404;
}

/** Regroups chunks into parts of exactly `size` bytes (the last one shorter). */
async function* inParts(body: AsyncIterable<Uint8Array>, size: number): AsyncGenerator<Buffer> {
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  for await (let chunk of body) {
    while (pendingBytes + chunk.length >= size) {
      const take = size - pendingBytes;
      pending.push(chunk.subarray(0, take));
      yield Buffer.concat(pending);
      chunk = chunk.subarray(take);
      pending = [];
      pendingBytes = 0;
    }
    if (chunk.length > 0) {
      pending.push(chunk);
      pendingBytes += chunk.length;
    }
  }
  if (pendingBytes > 0) yield Buffer.concat(pending);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
