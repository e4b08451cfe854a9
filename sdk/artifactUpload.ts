/**
 * Signed uploads to the artifact store: the uploader signs (EIP-712) a statement binding the
 * artifact's sha256, its size, its purpose, the store's identity (the chain id and the market's
 * address, so a signature is worthless on another market) and the time it was made (so a captured
 * signature expires within minutes), and sends it in headers with the bytes. The store checks it
 * (api/artifacts/uploadSignature.ts, the server's side of this same format) and charges the
 * upload to the signer's quota; results are accepted only from registered workers.
 *
 * Browser-safe: the worker signs with its key, the CLI with the client's key, the web UI with the
 * connected wallet (one `signTypedData` prompt per upload).
 *
 * @example
 * const headers = await signArtifactUpload({ signer: account, chainId: 31337, market, sha256, size, purpose: 'input' });
 * const { uri } = await putArtifact({ baseUrl: 'http://127.0.0.1:42069', body: bytes, sha256, headers });
 */
import type { Address, Hex } from 'viem';
import { artifactUploadDomain, artifactUploadTypes } from '../abis/offchainMessages';

/**
 * What an upload is for. `result`: a worker's result bundle (its logs are in it); accepted only
 * from a registered worker. `input` and `model`: what a client or a creator brings to jobs; any
 * signer, within its quota.
 */
export const artifactPurposes = ['result', 'input', 'model'] as const;
export type ArtifactPurpose = (typeof artifactPurposes)[number];

/** The request headers of a signed upload (lowercase, as fetch sends them). */
export const artifactUploadHeaders = {
  signer: 'x-loom-upload-signer',
  purpose: 'x-loom-upload-purpose',
  size: 'x-loom-upload-size',
  issuedAt: 'x-loom-upload-issued-at',
  signature: 'x-loom-upload-signature',
} as const;

/** The EIP-712 domain and types of the signed statement (abis/offchainMessages.ts, shared with the API). */
export { artifactUploadDomain, artifactUploadTypes };

export type ArtifactUploadMessage = { sha256: Hex; size: bigint; purpose: ArtifactPurpose; issuedAt: bigint };

/** The typed data a signer signs (also what a wallet shows). */
export function artifactUploadTypedData(o: { chainId: number; market: Address; message: ArtifactUploadMessage }) {
  return {
    domain: artifactUploadDomain(o.chainId, o.market),
    types: artifactUploadTypes,
    primaryType: 'ArtifactUpload' as const,
    message: o.message,
  };
}

/**
 * Whoever signs: a viem local account (`privateKeyToAccount`) as it is, or a wallet wrapped as
 * `{ address, signTypedData: (td) => wallet.signTypedData({ account, ...td }) }`.
 */
export type ArtifactUploadSigner = {
  address: Address;
  signTypedData: (typedData: ReturnType<typeof artifactUploadTypedData>) => Promise<Hex>;
};

export type SignArtifactUploadOptions = {
  signer: ArtifactUploadSigner;
  chainId: number;
  market: Address;
  /** The bytes' sha256: 64 hex digits, with or without 0x. */
  sha256: string;
  size: number;
  purpose: ArtifactPurpose;
  /** Seconds since the epoch (default: now). */
  now?: number;
};

const SHA256 = /^(0x)?[0-9a-fA-F]{64}$/;

/** Signs an upload; returns the headers to send with it. */
export async function signArtifactUpload(o: SignArtifactUploadOptions): Promise<Record<string, string>> {
  if (!SHA256.test(o.sha256)) throw new Error(`signArtifactUpload: sha256 must be 64 hex digits, got "${o.sha256}"`);
  if (!Number.isSafeInteger(o.size) || o.size < 0) throw new Error(`signArtifactUpload: size must be a byte count, got ${o.size}`);
  if (!artifactPurposes.includes(o.purpose)) throw new Error(`signArtifactUpload: purpose must be one of ${artifactPurposes.join(', ')}, got "${o.purpose}"`);
  const sha256 = `0x${o.sha256.replace(/^0x/, '').toLowerCase()}` as Hex;
  const issuedAt = BigInt(Math.floor(o.now ?? Date.now() / 1000));
  const signature = await o.signer.signTypedData(
    artifactUploadTypedData({ chainId: o.chainId, market: o.market, message: { sha256, size: BigInt(o.size), purpose: o.purpose, issuedAt } }),
  );
  const h = artifactUploadHeaders;
  return {
    [h.signer]: o.signer.address,
    [h.purpose]: o.purpose,
    [h.size]: String(o.size),
    [h.issuedAt]: issuedAt.toString(),
    [h.signature]: signature,
  };
}

/** What the store answers to an upload. */
export type PutArtifactResult = { hash: Hex; uri: string; created: boolean };

/** The store refused an upload: `status` and `code` as it answered them (`retryAfterSeconds` with 429). */
export class ArtifactUploadError extends Error {
  override name = 'ArtifactUploadError';
  constructor(
    readonly status: number,
    readonly code: string,
    readonly shortMessage: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(`the artifact store refused the upload: ${status} ${code}: ${shortMessage}`);
  }
}

/**
 * `PUT <baseUrl>/artifacts/0x<sha256>` with signed headers (from `signArtifactUpload`). For bytes
 * in memory (inputs from a file picker or a file); the worker streams its bundles with retries of
 * its own.
 */
export async function putArtifact(o: {
  baseUrl: string;
  body: Uint8Array | Blob;
  sha256: string;
  headers: Record<string, string>;
  fetch?: typeof fetch;
}): Promise<PutArtifactResult> {
  const hex = o.sha256.replace(/^0x/, '').toLowerCase();
  const res = await (o.fetch ?? fetch)(`${o.baseUrl.replace(/\/+$/, '')}/artifacts/0x${hex}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/octet-stream', ...o.headers },
    body: o.body as BodyInit,
  });
  const body = (await res.json().catch(() => ({}))) as { hash?: Hex; uri?: string; created?: boolean; error?: { code?: string; message?: string } };
  if (!res.ok || body.hash?.toLowerCase() !== `0x${hex}`) {
    const retryAfter = Number(res.headers.get('retry-after'));
    throw new ArtifactUploadError(
      res.status,
      body.error?.code ?? 'HTTP_ERROR',
      body.error?.message ?? `HTTP ${res.status}`,
      res.status === 429 && retryAfter > 0 ? retryAfter : undefined,
    );
  }
  return { hash: body.hash, uri: body.uri ?? `artifact://${hex}`, created: body.created ?? false };
}
