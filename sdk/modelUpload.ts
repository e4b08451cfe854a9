/**
 * A model's files into the artifact store, ready to publish: each file hashed (sha256, its address
 * in the store and on-chain), uploaded signed with purpose `model` (sdk/artifactUpload.ts; the store
 * charges it to the signer's quota), and returned as the contract's `ModelFile`s.
 *
 * Browser-safe: it takes bytes (a Uint8Array, or a Blob from a file picker) and hashes with Web
 * Crypto; the Node side reads files from disk and hashes them streamed (sdk/node/modelFiles.ts),
 * passing the hash along so that nothing is read twice into memory.
 *
 * @example
 * const files = await uploadModelFiles({ files: [{ path: 'model.safetensors', body: bytes }], signer: account, chainId, market, artifactUrl });
 * const r = buildModelParams({ name, version: '1', kind: 'WEIGHTS', files, licenseURI });
 */
import { type Address, type Hex, bytesToHex } from 'viem';
import { type ArtifactUploadSigner, putArtifact, signArtifactUpload } from './artifactUpload';
import { LoomError } from './errors';
import { modelPathIssue } from './modelParams';
import type { ModelFile } from './modelWrites';

/** A file to upload: its path under /models/<name>, its bytes, and its sha256 when already known. */
export type ModelFileSource = { path: string; body: Uint8Array | Blob; sha256?: Hex | string };

/** The sha256 of `body` as 0x + 64 lowercase hex digits (Web Crypto: the browser and Node alike). */
export async function sha256Of(body: Uint8Array | Blob): Promise<Hex> {
  const bytes = body instanceof Uint8Array ? body : new Uint8Array(await body.arrayBuffer());
  return bytesToHex(new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>)));
}

/**
 * Uploads each file (one signature each) and returns them as `ModelFile`s, in order. A file the
 * store already holds is not sent twice by it (`created: false`); a path that cannot be a model
 * file's is refused before anything is signed.
 */
export async function uploadModelFiles(o: {
  files: readonly ModelFileSource[];
  signer: ArtifactUploadSigner;
  chainId: number;
  market: Address;
  /** The artifact store (the API's URL by default). */
  artifactUrl: string;
  fetch?: typeof fetch;
  /** Called before each upload (`index` from 0), for progress. */
  onFile?: (file: { index: number; path: string; size: number }) => void;
}): Promise<ModelFile[]> {
  for (const f of o.files) {
    const why = modelPathIssue(f.path);
    if (why) throw new LoomError(`model file "${f.path}" ${why}`);
  }
  const out: ModelFile[] = [];
  for (const [index, f] of o.files.entries()) {
    const size = f.body instanceof Uint8Array ? f.body.byteLength : f.body.size;
    o.onFile?.({ index, path: f.path, size });
    const sha256 = (f.sha256 ? `0x${String(f.sha256).replace(/^0x/, '').toLowerCase()}` : await sha256Of(f.body)) as Hex;
    const headers = await signArtifactUpload({ signer: o.signer, chainId: o.chainId, market: o.market, sha256, size, purpose: 'model' });
    await putArtifact({ baseUrl: o.artifactUrl, body: f.body, sha256, headers, ...(o.fetch ? { fetch: o.fetch } : {}) });
    out.push({ path: f.path, sha256, size: BigInt(size) });
  }
  return out;
}
