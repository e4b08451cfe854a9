/**
 * The artifact store's interface: content-addressed bytes, named by their sha256. Workers upload
 * result bundles here and post the same hash on-chain; clients fetch inputs (`artifact://<sha256>`)
 * and results from here and can check what they got against the hash.
 *
 * A backend only has to keep bytes under their hash: the local disk (localArtifactStore.ts) by
 * default; an S3 bucket or an IPFS node can implement the same methods (see README.md). `list` and `delete`
 * serve retention (collectArtifacts.ts) only: uploads never delete.
 */
import type { Readable } from 'node:stream';

/** "0x" + 64 lowercase hex digits: the sha256 of the bytes. */
export type ArtifactHash = `0x${string}`;

/** What `put` accepts: bytes in memory, a web stream (a request body), or any async iterable of chunks. */
export type ArtifactSource = Uint8Array | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array> | Readable;

export type PutOptions = {
  /** The hash the client says the bytes have: a mismatch is refused (ArtifactError HASH_MISMATCH) and nothing is kept. */
  expected?: ArtifactHash;
  /** Largest artifact accepted, in bytes: past it the upload is refused (ArtifactError TOO_LARGE) and nothing is kept. */
  maxBytes?: number;
};

export type PutResult = {
  hash: ArtifactHash;
  size: number;
  /** False when the store held these bytes already. */
  created: boolean;
};

export type StoredArtifact = {
  size: number;
  body: ReadableStream<Uint8Array>;
};

/** One artifact as `list()` yields it. */
export type ListedArtifact = {
  hash: ArtifactHash;
  size: number;
  /** When the bytes were stored (first stored: storing them again need not move it). */
  storedAt: Date;
};

/**
 * A content-addressed store. Implementations must:
 * - name bytes only by the sha256 they computed themselves, never by a name a client chose;
 * - make a `put` atomic: a reader sees all of the bytes under a hash or nothing (no partial file);
 * - refuse, and keep nothing of, an upload over `maxBytes` or one that does not hash to `expected`;
 * - treat a `put` of bytes already stored as a success (`created: false`).
 *
 * @example
 * const { hash } = await store.put(bytes);          // '0x9f86d0…'
 * const found = await store.get(hash);              // { size, body } or null
 */
export interface ArtifactStore {
  put(source: ArtifactSource, options?: PutOptions): Promise<PutResult>;
  /** The bytes under `hash` as a stream, or null when the store has none. */
  get(hash: ArtifactHash): Promise<StoredArtifact | null>;
  has(hash: ArtifactHash): Promise<boolean>;
  /**
   * Every stored artifact, in no particular order, uploads in progress excluded. Streams: a store
   * may hold millions. An artifact stored or deleted while the listing runs may or may not appear.
   */
  list(): AsyncIterable<ListedArtifact>;
  /** Removes the bytes under `hash`; false when there were none. Readers already streaming them may finish. */
  delete(hash: ArtifactHash): Promise<boolean>;
}

export const artifactErrorCodes = ['BAD_REQUEST', 'HASH_MISMATCH', 'UNAUTHORIZED', 'FORBIDDEN', 'TOO_LARGE', 'NOT_FOUND', 'RATE_LIMITED', 'QUOTA_EXCEEDED', 'INTERNAL'] as const;
export type ArtifactErrorCode = (typeof artifactErrorCodes)[number];

/** Why the store refused: one class, a closed set of codes (also the HTTP error body's `error.code`). */
export class ArtifactError extends Error {
  override name = 'ArtifactError';
  constructor(
    readonly code: ArtifactErrorCode,
    readonly shortMessage: string,
    options?: { cause?: unknown },
  ) {
    super(`${code}: ${shortMessage}`, options);
  }
}

const HASH = /^0x[0-9a-f]{64}$/;

/** Accepts "0x" + 64 hex digits (any case); returns it lowercase, or undefined. */
export function parseArtifactHash(value: string): ArtifactHash | undefined {
  const lower = value.toLowerCase();
  return HASH.test(lower) ? (lower as ArtifactHash) : undefined;
}
