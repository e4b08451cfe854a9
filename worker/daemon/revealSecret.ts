/**
 * The secret a worker derives its replicated jobs' reveal salts from (sdk/node/revealSalt.ts: an
 * HMAC of the job id under it). It must be the same after every restart, so that a worker killed
 * between commit and reveal finds the salt it committed with, without having stored it; and known to
 * nobody else, so that nobody can test guessed results against its commitments.
 *
 * It is derived from the worker's key without the key leaving its viem account (keys.ts keeps it in
 * a closure, out of reach of any log): keccak256 of the account's signature of a fixed, domain-tagged
 * message. secp256k1 signatures as viem makes them are deterministic (RFC 6979: the nonce is an HMAC
 * of the key and the message), so the same key always yields the same secret, and the signature is
 * never sent anywhere. Nothing else the worker signs is this message (EIP-191 personal messages
 * cannot be transactions, and the artifact store's uploads are EIP-712), so the secret appears nowhere else.
 *
 * The derivation is checked once at start: two signatures must agree, else signing draws fresh
 * randomness (viem's `setSignEntropy`, a remote signer) and a restart would lose every salt, so the
 * worker refuses replicated jobs rather than commit to results it could not reveal.
 *
 * @example
 * const secret = await revealSecret(account);
 * const salt = revealSalt(secret, jobId);
 */
import { type Account, type Hex, keccak256 } from 'viem';
import { WorkerError } from '../errors';

/** What the account signs. Changing it changes every salt: a worker must not restart across such a change with commitments pending. */
export const REVEAL_SECRET_MESSAGE = 'Loom worker: replicated-job reveal secret (v1). Never sign this message for anyone else.';

export async function revealSecret(account: Account): Promise<Hex> {
  if (!account.signMessage) throw new WorkerError('KEY_UNAVAILABLE', 'the worker account cannot sign messages (replicated jobs derive their reveal salts from a signature)');
  const [a, b] = await Promise.all([account.signMessage({ message: REVEAL_SECRET_MESSAGE }), account.signMessage({ message: REVEAL_SECRET_MESSAGE })]);
  if (a !== b) throw new WorkerError('KEY_UNAVAILABLE', 'the worker account signs non-deterministically: reveal salts would not survive a restart');
  return keccak256(a);
}
