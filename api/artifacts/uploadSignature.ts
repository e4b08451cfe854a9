/**
 * The server's side of signed uploads: reads the headers of a `PUT /artifacts/0x<sha256>` and
 * checks the EIP-712 signature over (sha256, size, purpose, issuedAt) in the domain of this store
 * (chain id + market address).
 *
 * The EIP-712 types are abis/offchainMessages.ts's, which the SDK signs with (sdk/artifactUpload.ts);
 * the headers and purposes below mirror the SDK's (the API may not import it), and
 * uploadSignature.test.ts signs with the SDK and verifies here, so they cannot drift apart unnoticed.
 */
import { type Address, type Hex, isAddress, isHex, recoverTypedDataAddress } from 'viem';
import { artifactUploadDomain, artifactUploadTypes } from '../../abis/offchainMessages';
import type { ArtifactHash } from './artifactStore';

export const uploadPurposes = ['result', 'input', 'model'] as const;
export type UploadPurpose = (typeof uploadPurposes)[number];

/** The store's identity in signatures. */
export type UploadDomain = { chainId: number; market: Address };

export const uploadHeaders = {
  signer: 'x-loom-upload-signer',
  purpose: 'x-loom-upload-purpose',
  size: 'x-loom-upload-size',
  issuedAt: 'x-loom-upload-issued-at',
  signature: 'x-loom-upload-signature',
} as const;


export type VerifiedUpload = { signer: Address; purpose: UploadPurpose; size: number; issuedAt: number };

export type UploadCheck =
  | { kind: 'unsigned' }
  | { kind: 'signed'; upload: VerifiedUpload }
  | { kind: 'refused'; message: string };

export type VerifyOptions = {
  domain: UploadDomain;
  /** A signature older than this is refused (seconds). */
  maxAgeSeconds: number;
  /** Clocks differ: a signature up to this far in the future is accepted (seconds). */
  maxSkewSeconds: number;
  /** Seconds since the epoch. */
  now: number;
};

const INTEGER = /^\d{1,15}$/;

/**
 * Reads and checks the upload headers for the artifact `hash` (the request's path).
 * No header at all: `unsigned`. Anything wrong: `refused`, with what is wrong.
 */
export async function verifyUploadHeaders(get: (name: string) => string | undefined, hash: ArtifactHash, o: VerifyOptions): Promise<UploadCheck> {
  const values = Object.fromEntries(Object.entries(uploadHeaders).map(([k, name]) => [k, get(name)?.trim()])) as Record<keyof typeof uploadHeaders, string | undefined>;
  const present = Object.entries(values).filter(([, v]) => v !== undefined && v !== '');
  if (present.length === 0) return { kind: 'unsigned' };
  const missing = Object.entries(uploadHeaders)
    .filter(([k]) => !values[k as keyof typeof uploadHeaders])
    .map(([, name]) => name);
  if (missing.length > 0) return refused(`a signed upload needs the headers ${missing.join(', ')}`);

  const { signer, purpose, size, issuedAt, signature } = values as Record<keyof typeof uploadHeaders, string>;
  if (!isAddress(signer, { strict: false })) return refused(`${uploadHeaders.signer} is not an address`);
  if (!uploadPurposes.includes(purpose as UploadPurpose)) return refused(`${uploadHeaders.purpose} must be one of ${uploadPurposes.join(', ')}`);
  if (!INTEGER.test(size)) return refused(`${uploadHeaders.size} must be the size in bytes`);
  if (!INTEGER.test(issuedAt)) return refused(`${uploadHeaders.issuedAt} must be seconds since the epoch`);
  if (!isHex(signature) || signature.length < 132) return refused(`${uploadHeaders.signature} must be a 65-byte hex signature`);
  const at = Number(issuedAt);
  if (at > o.now + o.maxSkewSeconds) return refused(`the signature is dated ${at - o.now} s in the future`);
  if (o.now - at > o.maxAgeSeconds) return refused(`the signature expired: made ${o.now - at} s ago, valid for ${o.maxAgeSeconds} s; sign again`);

  let recovered: Address;
  try {
    recovered = await recoverTypedDataAddress({
      domain: artifactUploadDomain(o.domain.chainId, o.domain.market),
      types: artifactUploadTypes,
      primaryType: 'ArtifactUpload',
      message: { sha256: hash, size: BigInt(size), purpose, issuedAt: BigInt(at) },
      signature: signature as Hex,
    });
  } catch {
    return refused('the signature cannot be read');
  }
  if (recovered.toLowerCase() !== signer.toLowerCase()) {
    // Signed by someone else, or for other bytes, size, purpose, time or store.
    return refused(`the signature does not match ${signer} for this artifact, size, purpose and store (chain ${o.domain.chainId}, market ${o.domain.market})`);
  }
  return { kind: 'signed', upload: { signer: recovered.toLowerCase() as Address, purpose: purpose as UploadPurpose, size: Number(size), issuedAt: at } };
}

function refused(message: string): UploadCheck {
  return { kind: 'refused', message };
}
