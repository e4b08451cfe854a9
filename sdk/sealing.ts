/**
 * Sealing: how a client gives one worker a job's secrets, and how a worker gives the client back a
 * result only the client can read. The one implementation, used by the worker, the CLI and the web UI
 * (browser-safe: @noble only, no node:crypto).
 *
 * Construction (no hand-made primitives, only their composition): an ephemeral X25519 key pair per
 * envelope, ECDH with the recipient's public key, HKDF-SHA256 of the shared secret (salted with both
 * public keys, so the key is bound to this exchange) into a 32-byte key, XChaCha20-Poly1305 with a
 * random 24-byte nonce. The associated data binds the envelope to its purpose, chain, job and
 * recipient address: a bundle sealed for another job, another worker or another chain fails
 * authentication like a tampered one, so a replayed bundle never opens.
 *
 * Envelope bytes: version (1) | ephemeral public key (32) | nonce (24) | ciphertext + tag (16).
 *
 * Keys are derived, not stored: the X25519 secret is HKDF of an account's signature of a fixed,
 * domain-tagged message (SEALING_KEY_MESSAGE). secp256k1 signatures are deterministic (RFC 6979), so
 * a worker's sealing key is kept exactly like its signing key (nothing new on disk), and a client's
 * result key comes back from its wallet in the CLI and in the browser alike.
 *
 * @example
 * const worker = sealingKeyFromSignature(await account.signMessage({ message: SEALING_KEY_MESSAGE }));
 * const sealed = sealSecrets({ secrets, to: worker.publicKey, context });
 * const opened = openSecrets({ envelope: sealed, secretKey: worker.secretKey, context });
 */
import { xchacha20poly1305 } from '@noble/ciphers/chacha';
import { randomBytes } from '@noble/ciphers/webcrypto';
import { x25519 } from '@noble/curves/ed25519';
import { hkdf } from '@noble/hashes/hkdf';
import { sha256 } from '@noble/hashes/sha256';
import { type Address, type Hex, bytesToHex, hexToBytes, isHex } from 'viem';
import { LoomError } from './errors';
import { canonicalRegistry } from './spec/imageRef';

/** What an account signs to derive its sealing key. Changing it changes every key: bump the version. */
export const SEALING_KEY_MESSAGE = 'Loom: sealing key (v1). Signing this derives your encryption key for private jobs. Never sign this message for anyone else.';

/** Largest sealed secrets bundle (envelope bytes): refused before any decryption is tried. */
export const MAX_SEALED_BUNDLE_BYTES = 64 * 1024;
/** The registry's MAX_INLINE_SEALED_BYTES: a bundle up to this size travels in the event itself. */
export const MAX_INLINE_SEALED_BYTES = 4096;

const VERSION = 1;
const HEADER = 1 + 32 + 24;
const TAG = 16;

export type SealingKeyPair = { secretKey: Uint8Array; publicKey: Hex };

/** What an envelope is for: secrets to a worker, or a result or a live log chunk to a client. */
export type SealPurpose = 'secrets' | 'result' | 'log';

/** What an envelope is bound to; opening with any other context fails. */
export type SealContext = { chainId: number; jobId: Hex; recipient: Address };

/** Why a sealed bundle was refused (the worker's, the CLI's and the UI's reason). */
export class SealError extends LoomError {
  override name = 'SealError';
  constructor(shortMessage: string) {
    super(shortMessage, { code: 'SEAL_REJECTED' });
  }
}

/**
 * The X25519 key pair of an account, from its signature of SEALING_KEY_MESSAGE.
 * @example
 * const keys = sealingKeyFromSignature(await walletClient.signMessage({ account, message: SEALING_KEY_MESSAGE }));
 */
export function sealingKeyFromSignature(signature: Hex): SealingKeyPair {
  const secretKey = hkdf(sha256, hexToBytes(signature), undefined, 'loom/sealing-key/x25519/v1', 32);
  return { secretKey, publicKey: bytesToHex(x25519.getPublicKey(secretKey)) };
}

/** Seals `plaintext` to `to` (an X25519 public key, bytes32 hex) for `purpose` in `context`. */
export function seal(o: { plaintext: Uint8Array; to: Hex; purpose: SealPurpose; context: SealContext }): Uint8Array {
  const recipient = publicKeyBytes(o.to);
  const ephemeral = randomBytes(32);
  const ephemeralPublic = x25519.getPublicKey(ephemeral);
  const key = envelopeKey(x25519.getSharedSecret(ephemeral, recipient), ephemeralPublic, recipient);
  const nonce = randomBytes(24);
  const ciphertext = xchacha20poly1305(key, nonce, associatedData(o.purpose, o.context)).encrypt(o.plaintext);
  const out = new Uint8Array(HEADER + ciphertext.length);
  out[0] = VERSION;
  out.set(ephemeralPublic, 1);
  out.set(nonce, 33);
  out.set(ciphertext, HEADER);
  return out;
}

/**
 * Opens an envelope with the recipient's secret key; throws SealError when it is malformed, over
 * `maxBytes`, or does not authenticate (wrong key, another job/recipient/chain/purpose, tampered).
 */
export function open(o: { envelope: Uint8Array; secretKey: Uint8Array; purpose: SealPurpose; context: SealContext; maxBytes?: number }): Uint8Array {
  const max = o.maxBytes ?? Number.POSITIVE_INFINITY;
  if (o.envelope.length > max) throw new SealError(`the sealed bundle is ${o.envelope.length} bytes, over the ${max}-byte cap`);
  if (o.envelope.length < HEADER + TAG) throw new SealError('the sealed bundle is truncated');
  if (o.envelope[0] !== VERSION) throw new SealError(`unknown sealed bundle version ${o.envelope[0]}`);
  const ephemeralPublic = o.envelope.subarray(1, 33);
  const nonce = o.envelope.subarray(33, HEADER);
  const publicKey = x25519.getPublicKey(o.secretKey);
  let shared: Uint8Array;
  try {
    shared = x25519.getSharedSecret(o.secretKey, ephemeralPublic);
  } catch {
    throw new SealError('the sealed bundle has an invalid ephemeral key');
  }
  const key = envelopeKey(shared, ephemeralPublic, publicKey);
  try {
    return xchacha20poly1305(key, nonce, associatedData(o.purpose, o.context)).decrypt(o.envelope.subarray(HEADER));
  } catch {
    throw new SealError('the sealed bundle does not open with this key for this job (sealed to another key, job or worker, or altered)');
  }
}

function envelopeKey(shared: Uint8Array, ephemeralPublic: Uint8Array, recipientPublic: Uint8Array): Uint8Array {
  const salt = new Uint8Array(64);
  salt.set(ephemeralPublic, 0);
  salt.set(recipientPublic, 32);
  return hkdf(sha256, shared, salt, 'loom/sealed/v1', 32);
}

function associatedData(purpose: SealPurpose, c: SealContext): Uint8Array {
  return new TextEncoder().encode(`loom/sealed/v1|${purpose}|${c.chainId}|${c.jobId.toLowerCase()}|${c.recipient.toLowerCase()}`);
}

function publicKeyBytes(key: Hex): Uint8Array {
  if (!isHex(key) || key.length !== 66 || /^0x0{64}$/.test(key)) throw new SealError(`"${key}" is not an X25519 public key (32 bytes hex, not zero)`);
  return hexToBytes(key);
}

// ---- the secrets bundle ----

/** A private input: fetched by the worker with `headers`, checked against `sha256`, mounted at /in/<name>. */
export type PrivateInput = { name: string; url: string; sha256: string; headers?: Record<string, string> };
/**
 * Credentials for one image registry host (`registry`, e.g. "ghcr.io" or "127.0.0.1:5000", named as
 * ImageRef.registry names it: canonicalRegistry). The worker uses them only to pull the job's own
 * image from that host, when the spec says `sealed.registryAuth` (worker/image/README.md).
 */
export type RegistryCredential = { registry: string; username: string; password: string };

/** What a client seals to the worker of one job. */
export type SecretsBundle = {
  /** Secret environment variables, passed only into the job's sandbox. */
  env: Record<string, string>;
  privateInputs: PrivateInput[];
  registryAuth: RegistryCredential[];
  /** The client's X25519 public key: a private result is sealed to it. */
  resultKey?: Hex;
};

/** Seals a secrets bundle to the job's worker (context.recipient = the worker's address). */
export function sealSecrets(o: { secrets: SecretsBundle; to: Hex; context: SealContext }): Uint8Array {
  const plaintext = new TextEncoder().encode(JSON.stringify({ v: 1, ...o.secrets }));
  const envelope = seal({ plaintext, to: o.to, purpose: 'secrets', context: o.context });
  if (envelope.length > MAX_SEALED_BUNDLE_BYTES) throw new SealError(`the sealed bundle is ${envelope.length} bytes, over the ${MAX_SEALED_BUNDLE_BYTES}-byte cap`);
  return envelope;
}

/** Opens and checks a secrets bundle: the worker's side of sealSecrets. Throws SealError with the reason. */
export function openSecrets(o: { envelope: Uint8Array; secretKey: Uint8Array; context: SealContext }): SecretsBundle {
  const plaintext = open({ ...o, purpose: 'secrets', maxBytes: MAX_SEALED_BUNDLE_BYTES });
  let v: unknown;
  try {
    v = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(plaintext));
  } catch {
    throw new SealError('the sealed bundle does not hold JSON');
  }
  return checkSecrets(v);
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;
const INPUT_NAME = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}$/;

/** Validates an opened bundle's shape; messages name fields, never values. */
function checkSecrets(v: unknown): SecretsBundle {
  const bad = (why: string) => new SealError(`the sealed bundle is malformed: ${why}`);
  if (typeof v !== 'object' || v === null || (v as { v?: unknown }).v !== 1) throw bad('not a version 1 bundle');
  const b = v as Record<string, unknown>;
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries((b.env ?? {}) as Record<string, unknown>)) {
    if (!ENV_NAME.test(name) || typeof value !== 'string' || value.includes('\0')) throw bad(`env "${name}"`);
    env[name] = value;
  }
  const privateInputs: PrivateInput[] = [];
  for (const [i, p] of ((b.privateInputs ?? []) as unknown[]).entries()) {
    const x = p as Record<string, unknown>;
    if (typeof x?.name !== 'string' || !INPUT_NAME.test(x.name)) throw bad(`privateInputs.${i}.name`);
    if (typeof x.url !== 'string' || !/^https?:\/\//.test(x.url)) throw bad(`privateInputs.${i}.url`);
    if (typeof x.sha256 !== 'string' || !/^(0x)?[0-9a-fA-F]{64}$/.test(x.sha256)) throw bad(`privateInputs.${i}.sha256`);
    const headers: Record<string, string> = {};
    for (const [h, value] of Object.entries((x.headers ?? {}) as Record<string, unknown>)) {
      if (!HEADER_NAME.test(h) || typeof value !== 'string' || /[\r\n\0]/.test(value)) throw bad(`privateInputs.${i}.headers "${h}"`);
      headers[h] = value;
    }
    privateInputs.push({ name: x.name, url: x.url, sha256: x.sha256.replace(/^0x/, '').toLowerCase(), headers });
  }
  const registryAuth: RegistryCredential[] = [];
  for (const [i, r] of ((b.registryAuth ?? []) as unknown[]).entries()) {
    const x = r as Record<string, unknown>;
    const registry = typeof x?.registry === 'string' ? canonicalRegistry(x.registry) : undefined;
    if (registry === undefined || typeof x.username !== 'string' || typeof x.password !== 'string') throw bad(`registryAuth.${i}`);
    // Basic auth joins them with ':' (RFC 7617): a username with one, or a control character, cannot travel.
    if (x.username.length === 0 || /[:\x00-\x1f\x7f]/.test(x.username) || /[\x00-\x1f\x7f]/.test(x.password)) throw bad(`registryAuth.${i}`);
    if (registryAuth.some((r) => r.registry === registry)) throw bad(`registryAuth.${i}: a second credential for one registry`);
    registryAuth.push({ registry, username: x.username, password: x.password });
  }
  const resultKey = b.resultKey;
  if (resultKey !== undefined && (typeof resultKey !== 'string' || !/^0x[0-9a-fA-F]{64}$/.test(resultKey))) throw bad('resultKey');
  return { env, privateInputs, registryAuth, ...(resultKey === undefined ? {} : { resultKey: resultKey as Hex }) };
}

// ---- the private result ----

/** Seals a packed result bundle to the client's key (context.recipient = the client's address). */
export function sealResult(o: { bundle: Uint8Array; to: Hex; context: SealContext }): Uint8Array {
  return seal({ plaintext: o.bundle, to: o.to, purpose: 'result', context: o.context });
}

/** Opens a private result: the client's side of sealResult. Check the plaintext's sha256 against the on-chain result hash. */
export function openResult(o: { envelope: Uint8Array; secretKey: Uint8Array; context: SealContext }): Uint8Array {
  return open({ ...o, purpose: 'result' });
}
