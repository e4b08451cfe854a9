/**
 * Who a job's secrets are sealed to and how the sealed bytes travel (README: Private jobs): the
 * client's side (which workers, each one's key, inline or by URI) and the worker's (which of the
 * job's bundles is its own, and the bytes checked against their hash). Browser-safe; shared by the
 * CLI, the web UI and the worker daemon.
 */
import { sha256 } from '@noble/hashes/sha256';
import { type Address, type Hex, bytesToHex, hexToBytes, isAddressEqual } from 'viem';
import { type ArtifactUploadSigner, putArtifact, signArtifactUpload } from './artifactUpload';
import type { JobSealing } from './documents';
import { MAX_INLINE_SEALED_BYTES, MAX_SEALED_BUNDLE_BYTES, SealError } from './sealing';

/** A worker a job's secrets go to, with the key it published (null: none, it cannot receive them). */
export type SealTarget = { worker: Address; encryptionKey: Hex | null };

/** The assigned worker of a single job, or every slot holder of a replicated one (each gets its own bundle). */
export function sealTargets(job: Pick<JobSealing, 'kind' | 'worker' | 'assignee' | 'slots'>): SealTarget[] {
  if (job.kind === 'REPLICATED') return job.slots.map((s) => ({ worker: s.worker as Address, encryptionKey: (s.holder?.encryptionKey as Hex | null | undefined) ?? null }));
  return job.worker ? [{ worker: job.worker as Address, encryptionKey: (job.assignee?.encryptionKey as Hex | null | undefined) ?? null }] : [];
}

/**
 * Whether every worker the job will have is known: a single job assigned, or every slot of a
 * replicated job taken. A replicated job is judged by its slots themselves, not by its status:
 * the sealing is done only once there is a slot holder for each replica to seal to.
 */
export function allWorkersKnown(job: Pick<JobSealing, 'kind' | 'status' | 'worker' | 'slots' | 'replicatedTerms'>): boolean {
  if (job.kind === 'REPLICATED') return job.slots.length >= (job.replicatedTerms?.replicas ?? Infinity);
  return job.status !== 'OPEN' && job.worker != null;
}

/** sha256 of bytes as bytes32 hex: the hash a sealed bundle is sent and checked by. */
export function bundleHashOf(bytes: Uint8Array): Hex {
  return bytesToHex(sha256(bytes));
}

/**
 * The `sendSealed` arguments for an envelope: inline when it fits the event, else by `uri` (the
 * caller stores the bytes there first, e.g. the artifact store's `artifact://<sha256>`).
 */
export function sealedDelivery(envelope: Uint8Array, uri?: string): { bundleHash: Hex; inlineBundle: Hex; uri: string } {
  const bundleHash = bundleHashOf(envelope);
  if (envelope.length <= MAX_INLINE_SEALED_BYTES) return { bundleHash, inlineBundle: bytesToHex(envelope), uri: '' };
  if (!uri) throw new SealError(`the sealed bundle is ${envelope.length} bytes, over the ${MAX_INLINE_SEALED_BYTES}-byte inline cap: store it and send its URI`);
  return { bundleHash, inlineBundle: '0x', uri };
}

/** Where a bundle over the inline cap is stored: the artifact store, the upload signed by the client. */
export type SealedBundleStore = {
  /** The artifact store's base URL (`PUT /artifacts/0x<sha256>`). */
  artifactUrl: string;
  /** The job's client (the CLI's key, the web UI's connected wallet): the store charges its quota. */
  signer: ArtifactUploadSigner;
  chainId: number;
  market: Address;
  fetch?: typeof fetch;
};

/**
 * The `sendSealed` arguments for an envelope, the CLI's and the web UI's: inline when it fits the
 * event, else stored first in the artifact store (purpose `input`; only ciphertext leaves, sealed to
 * one worker's key) and sent by its `artifact://<sha256>` URI, which the worker fetches and checks
 * against the hash. Signs nothing for an inline bundle. A refusal of the store throws
 * ArtifactUploadError (with `retryAfterSeconds` on 429); callers say what was being stored.
 */
export async function deliverSealed(envelope: Uint8Array, store: SealedBundleStore): Promise<ReturnType<typeof sealedDelivery>> {
  if (envelope.length <= MAX_INLINE_SEALED_BYTES) return sealedDelivery(envelope);
  const sha256 = bundleHashOf(envelope);
  const headers = await signArtifactUpload({ signer: store.signer, chainId: store.chainId, market: store.market, sha256, size: envelope.length, purpose: 'input' });
  const { uri } = await putArtifact({ baseUrl: store.artifactUrl, body: envelope, sha256, headers, ...(store.fetch ? { fetch: store.fetch } : {}) });
  return sealedDelivery(envelope, uri);
}

/** The job's latest bundle sealed to `worker` (the API lists only the client's), or undefined. */
export function latestBundleFor(bundles: JobSealing['sealedBundles'], worker: Address): JobSealing['sealedBundles'][number] | undefined {
  return bundles.filter((b) => isAddressEqual(b.worker as Address, worker)).at(-1);
}

/**
 * The envelope bytes of a bundle: inline, or fetched from its URI with `fetchUri`, then checked
 * against the hash sent on-chain and the size cap. Throws SealError with the reason.
 */
export async function bundleBytes(bundle: { bundleHash: string; inlineBundle?: string | null; uri?: string | null }, fetchUri: (uri: string, maxBytes: number) => Promise<Uint8Array>): Promise<Uint8Array> {
  let bytes: Uint8Array;
  if (bundle.inlineBundle && bundle.inlineBundle !== '0x') bytes = hexToBytes(bundle.inlineBundle as Hex);
  else if (bundle.uri) bytes = await fetchUri(bundle.uri, MAX_SEALED_BUNDLE_BYTES);
  else throw new SealError('the sealed bundle has neither bytes nor a URI');
  if (bytes.length > MAX_SEALED_BUNDLE_BYTES) throw new SealError(`the sealed bundle is ${bytes.length} bytes, over the ${MAX_SEALED_BUNDLE_BYTES}-byte cap`);
  if (bundleHashOf(bytes) !== bundle.bundleHash.toLowerCase()) throw new SealError('the sealed bundle does not match the hash sent on-chain');
  return bytes;
}
